"""Issue 14, class C: mail that used to lose or misfile submissions."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from email import message_from_bytes, policy

import pytest

import intake_corpus as C
from perfeval_xl.cli import main
from perfeval_xl.intake.addresses import parse_sender, valid_address
from perfeval_xl.intake.attachments import decode_words, read_mail
from perfeval_xl.intake.sources import split_mbox

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REAL = "caizheng-a@example.gov.cn"


@pytest.fixture(scope="module")
def base() -> bytes:
    return C.example()


def _mail(data: bytes, name: str = "报表.xlsx", **kw) -> bytes:
    return bytes(C.mail(attachments=[(name, data, XLSX)], **kw))


_rows = C.ledger_rows


def _stored_match_ledger(out) -> None:
    for r in _rows(out):
        if r["stored_path"]:
            assert hashlib.sha256((out / r["stored_path"]).read_bytes()).hexdigest() == r["sha256"], r["stored_path"]


def test_two_messages_reusing_a_message_id_are_both_kept(base, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    a, b = C.with_dept(base, "复用编号甲局"), C.with_dept(base, "复用编号乙局")
    (inbox / "a.eml").write_bytes(_mail(a, message_id="<same@example.gov.cn>"))
    (inbox / "b.eml").write_bytes(_mail(b, message_id="<same@example.gov.cn>"))  # same id, same Date header
    out = tmp_path / "out"
    main(["intake", str(inbox), "--out", str(out), "-q", "--no-annotate"])
    rows = _rows(out)
    assert sorted(r["department"] for r in rows) == ["复用编号乙局", "复用编号甲局"]
    assert len({r["folder"] for r in rows}) == 2
    _stored_match_ledger(out)
    # a later run: a third message with that id is new; the same bytes again are not
    later = tmp_path / "later"
    later.mkdir()
    (later / "a_again.eml").write_bytes((inbox / "a.eml").read_bytes())
    (later / "c.eml").write_bytes(_mail(C.with_dept(base, "复用编号丙局"), message_id="<same@example.gov.cn>"))
    main(["intake", str(later), "--out", str(out), "-q", "--no-annotate"])
    rows = _rows(out)
    assert sorted(r["department"] for r in rows) == ["复用编号丙局", "复用编号乙局", "复用编号甲局"]
    _stored_match_ledger(out)


def _mbox(*messages: tuple[str, bytes]) -> bytes:
    return b"".join(f"From MAILER-DAEMON {when}\n".encode() + raw.replace(b"\r\n", b"\n").rstrip(b"\n") + b"\n\n"
                    for when, raw in messages)


def test_mbox_body_line_beginning_from_does_not_split_a_message(base, tmp_path):
    body = "各位好：\n\nFrom the attached workbook you can see our figures.\nFrom 2024 on we report monthly.\n"
    raw = bytes(C.mail(body=body, attachments=[("甲局.xlsx", C.with_dept(base, "正文From测试局"), XLSX)]))
    raw = raw.replace(b"Content-Transfer-Encoding: base64", b"Content-Transfer-Encoding: base64", 1)
    text_mail = raw
    second = _mail(C.with_dept(base, "第二封测试局"))
    box = tmp_path / "inbox.mbox"
    box.write_bytes(_mbox(("Mon Mar  4 09:00:00 2024", text_mail), ("Tue Mar  5 10:30:00 2024", second)))
    # the body text is 8-bit/quoted-printable or plain: make sure the "From " lines are really at line starts
    assert b"\nFrom the attached" in box.read_bytes() or b"\nFrom 2024" in box.read_bytes() or b"RnJvbS" in box.read_bytes()
    before = box.read_bytes()
    messages = list(split_mbox(box))
    assert len(messages) == 2
    assert messages[0][1].startswith("2024-03-04T09:00:00") and messages[1][1].startswith("2024-03-05T10:30:00")
    out = tmp_path / "out"
    main(["intake", str(box), "--out", str(out), "-q", "--no-annotate"])
    assert sorted(r["department"] for r in _rows(out)) == ["正文From测试局", "第二封测试局"]
    assert box.read_bytes() == before


def test_mbox_with_plain_text_from_lines(tmp_path):
    """A hand-written mbox: an unescaped "From " line after a blank line inside the body."""
    msg1 = b"From: a@example.gov.cn\nSubject: one\nMessage-ID: <m1@x>\n\nhello\n\nFrom here on, the figures.\n"
    msg2 = b"From: b@example.gov.cn\nSubject: two\nMessage-ID: <m2@x>\n\nbye\n"
    box = tmp_path / "x.mbox"
    box.write_bytes(b"From a@example.gov.cn Mon Mar  4 09:00:00 2024\n" + msg1 + b"\nFrom b@example.gov.cn Tue Mar  5 09:00:00 +0800 2024\n" + msg2)
    got = list(split_mbox(box))
    assert len(got) == 2 and b"From here on, the figures." in got[0][0] and got[1][0].startswith(b"From: b@")


def _expected(tmp_path, name: str, email: str):
    path = tmp_path / "departments.csv"
    path.write_text(f"预算编码,部门名称,邮箱\n901,{name},{email}\n", encoding="utf-8")
    return path


def test_a_stranger_dated_2099_does_not_replace_the_real_submission(base, tmp_path):
    dept = "冒名测试局"
    real = _mail(C.variant(C.with_dept(base, dept, 2023), 1), sender=REAL, message_id="<real@example.gov.cn>")
    fake = _mail(C.variant(C.with_dept(base, dept, 2023), 2), sender="attacker@evil.example", message_id="<fake@evil.example>",
                 date=dt.datetime(2099, 1, 1, tzinfo=dt.timezone.utc))
    for order in (("Mon Mar  4 09:00:00 2024", real), ("Tue Mar  5 09:00:00 2024", fake)), \
                 (("Mon Mar  4 09:00:00 2024", fake), ("Tue Mar  5 09:00:00 2024", real)):
        case = tmp_path / ("fake_last" if order[1][1] is fake else "fake_first")
        case.mkdir()
        box = case / "in.mbox"
        box.write_bytes(_mbox(*order))
        out = case / "out"
        rc = main(["intake", str(box), "--out", str(out), "-q", "--no-annotate", "--expected", str(_expected(case, dept, REAL))])
        rows = {r["sender"]: r for r in _rows(out)}
        good, bad = rows[REAL], rows["attacker@evil.example"]
        assert good["status"] == "passed" and good["superseded_by"] is None
        assert bad["status"] == "failed" and "SEC040" in bad["report_json"] and bad["supersedes"] is None
        assert not bad["received"].startswith("2099")
        status = json.loads((out / "status.json").read_text(encoding="utf-8"))
        assert status["lines"][0]["状态"] == "已报送·合格", status
        reply = message_from_bytes((out / bad["reply_eml"]).read_bytes(), policy=policy.default)
        assert reply["To"].addresses[0].addr_spec == REAL  # the stranger gets nothing, the department is told
        assert rc == 1


def _raw_from(header: str, data: bytes) -> bytes:
    b64 = base64.encodebytes(data).decode().replace("\n", "\r\n")
    return (f"From: {header}\r\nTo: finance@example.gov.cn\r\nSubject: test\r\nMessage-ID: <{hashlib.md5(header.encode()).hexdigest()}@x>\r\n"
            "Date: Mon, 4 Mar 2024 09:00:00 +0800\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"
            "--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhi\r\n--B\r\n"
            f"Content-Type: {XLSX}\r\nContent-Disposition: attachment; filename=a.xlsx\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            f"{b64}\r\n--B--\r\n").encode()


def _enc(text: str) -> str:
    return "=?UTF-8?B?" + base64.b64encode(text.encode()).decode() + "?="


@pytest.mark.parametrize("header,addr", [
    (f"{_enc('张三 <attacker@evil.example>')} <dept@example.gov.cn>", "dept@example.gov.cn"),
    (f"{_enc('x' + chr(13) + chr(10) + 'Bcc: attacker@evil.example')} <dept@example.gov.cn>", "dept@example.gov.cn"),
    (f"{_enc('财务科, attacker@evil.example,')} <dept@example.gov.cn>", "dept@example.gov.cn"),
    ("dept@example.gov.cn, attacker@evil.example", ""),
    ("<dept@example.gov.cn\r\n Bcc: attacker@evil.example>", ""),
    ("财务科 <not an address>", ""),
])
def test_sender_address_is_parsed_before_the_display_name_is_decoded(base, header, addr):
    mail = read_mail(_raw_from(header, base))
    assert mail.sender == addr
    assert "\n" not in mail.sender_name and "\r" not in mail.sender_name
    if not addr:
        assert any(n.rule_id == "SEC036" for n in mail.notes)


def test_reply_goes_only_to_a_validated_address(base, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.eml").write_bytes(_raw_from(f"{_enc('x' + chr(13) + chr(10) + 'Bcc: attacker@evil.example')} <dept@example.gov.cn>", base))
    (inbox / "b.eml").write_bytes(_raw_from("dept@example.gov.cn, attacker@evil.example", C.variant(base, 3)))
    out = tmp_path / "out"
    main(["intake", str(inbox), "--out", str(out), "-q", "--no-annotate"])
    replies = {r["file_name"] + str(r["id"]): (out / r["reply_eml"]).read_bytes() for r in _rows(out)}
    a, b = (message_from_bytes(v, policy=policy.default) for _k, v in sorted(replies.items()))
    assert [x.addr_spec for x in a["To"].addresses] == ["dept@example.gov.cn"] and a["Bcc"] is None
    assert b["To"] is None  # two addresses in From: no reply address at all
    for m in (a, b):
        assert m["Cc"] is None and m["Bcc"] is None


def test_address_validation():
    assert valid_address("a.b-c@example.gov.cn")
    for bad in ("", "a@b", "a b@example.com", "a@example.com\r\nBcc: x@y.z", "<a@example.com>", "a@example.com,b@example.com"):
        assert not valid_address(bad), bad
    assert parse_sender("", decode_words)[2] == "缺少发件人"
