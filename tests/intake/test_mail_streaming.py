"""Issue 14, memory and time: mail is read as a stream — the message limit applies while reading,
an attachment too large by its encoded size is never decoded, big bodies never sit in memory."""

from __future__ import annotations

import base64
import hashlib
import json
import os

import pytest

import intake_corpus as C
from perfeval_xl.intake.batch import Config, run_intake
from perfeval_xl.intake.sources import iter_sources
from perfeval_xl.intake import mailstream
from perfeval_xl.intake.attachments import read_mail, read_mail_stream
from perfeval_xl.intake.mailstream import chunks_of, stream_message
from perfeval_xl.preflight import Limits

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def base() -> bytes:
    return C.example()


def _codes(mail) -> list[str]:
    return [f.rule_id for item in mail.items for f in item.findings] + [f.rule_id for f in mail.notes]


def _summary(mail) -> list[tuple]:
    return [(i.name, i.origin, hashlib.sha256(i.data).hexdigest() if i.data is not None else None,
             [f.rule_id for f in i.findings]) for i in mail.items]


def _mails(base: bytes) -> dict[str, bytes]:
    """Shapes of real mail: plain, nested forwards, GBK names, TNEF, CRLF and LF, digest, a preamble and an epilogue."""
    inner = C.mail(sender="unit@example.gov.cn", subject="原始", attachments=[("转发.xlsx", C.with_dept(base, "转发局"), XLSX)])
    two = C.mail(attachments=[("甲.xlsx", C.with_dept(base, "甲局"), XLSX), ("说明.pdf", b"%PDF-1.4 " + os.urandom(90_000),
                                                                             "application/pdf")])
    digest = (b"From: d@example.gov.cn\nSubject: digest\nMIME-Version: 1.0\nContent-Type: multipart/digest; boundary=\"dd\"\n\n"
              b"preamble text\n--dd\n\n" + bytes(C.mail(attachments=[("摘要.xlsx", base, XLSX)])).replace(b"\r\n", b"\n")
              + b"\n--dd--\nepilogue\n")
    return {
        "plain": bytes(C.mail(attachments=[("表.xlsx", base, XLSX)])),
        "lf_only": bytes(C.mail(attachments=[("表.xlsx", base, XLSX)])).replace(b"\r\n", b"\n"),
        "two_attachments": bytes(two),
        "forwarded_twice": bytes(C.forwarded(C.forwarded(inner))),
        "gbk_2047": C.raw_mail_gbk("绩效评价表.xlsx", base, "2047", message_id="<s1@x>"),
        "gbk_2231": C.raw_mail_gbk("绩效评价表.xlsx", base, "2231", message_id="<s2@x>"),
        "tnef": bytes(C.mail(attachments=[("winmail.dat", C.tnef([(b"t.xlsx", base)]), "application/ms-tnef")])),
        "digest": digest,
    }


MAIL_SHAPES = ("plain", "lf_only", "two_attachments", "forwarded_twice", "gbk_2047", "gbk_2231", "tnef", "digest")


@pytest.mark.parametrize("case", MAIL_SHAPES)
def test_spooling_every_body_changes_nothing(base, case, monkeypatch):
    """The same items, bytes and findings whether bodies stay in the skeleton or all go to the spool."""
    raw = _mails(base)[case]
    monkeypatch.setattr(mailstream, "INLINE_MAX", 10**9)
    inline = read_mail(raw)
    monkeypatch.setattr(mailstream, "INLINE_MAX", 0)
    spooled = read_mail(raw)
    assert _summary(inline) == _summary(spooled)
    assert (inline.sender, inline.subject, inline.message_id) == (spooled.sender, spooled.subject, spooled.message_id)
    assert inline.workbooks, case


def test_boundaries_as_the_email_package_matches_them(base):
    """Trailing blanks after a boundary, a body line that starts with "--" but is none, an inner multipart
    left unclosed (the outer boundary ends it), and a line of 300 kB without a line break."""
    b64 = base64.encodebytes(base).decode()
    second = C.with_dept(base, "长行局")
    long_line = base64.b64encode(second).decode()  # one line, no breaks
    raw = ("From: x@example.gov.cn\r\nSubject: edge\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"out\"\r\n\r\n"
           "--out  \r\nContent-Type: multipart/alternative; boundary=\"in\"\r\n\r\n--in\r\nContent-Type: text/plain\r\n\r\n"
           "-- \r\nsignature line\r\n--not-a-boundary\r\n"
           "--out\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"a.xlsx\"\r\n"
           f"Content-Transfer-Encoding: base64\r\n\r\n{b64}\r\n"
           "--out\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"b.xlsx\"\r\n"
           f"Content-Transfer-Encoding: base64\r\n\r\n{long_line}\r\n--out--\r\n").encode()
    mail = read_mail(raw)
    assert [i.name for i in mail.workbooks] == ["a.xlsx", "b.xlsx"]
    assert mail.workbooks[0].data == base and mail.workbooks[1].data == second


def test_big_bodies_leave_only_a_small_skeleton(base):
    data = os.urandom(5 << 20)
    raw = bytes(C.mail(attachments=[("大.xlsx", data, XLSX)]))
    streamed = stream_message(chunks_of(raw), 60 << 20)
    try:
        assert len(streamed.skeleton) < 4096 < len(raw)
        assert len(streamed.bodies) == 1 and streamed.bodies[0].size > 5 << 20
    finally:
        streamed.close()


def test_an_attachment_too_large_by_its_encoded_size_is_never_decoded(base, monkeypatch):
    def refuse(*_a, **_k):
        raise AssertionError("decoded")

    monkeypatch.setattr(mailstream.Streamed, "decoded", refuse)
    raw = bytes(C.mail(attachments=[("大表.xlsx", os.urandom(3 << 20), XLSX)]))
    mail = read_mail(raw, Limits(max_file_bytes=2 << 20))
    assert _codes(mail) == ["SEC001"] and mail.items[0].name == "大表.xlsx" and not mail.workbooks


def test_a_large_non_workbook_is_listed_and_the_workbook_beside_it_read(base):
    raw = bytes(C.mail(attachments=[("扫描件.pdf", os.urandom(3 << 20), "application/pdf"), ("表.xlsx", base, XLSX)]))
    mail = read_mail(raw, Limits(max_file_bytes=2 << 20))
    assert _codes(mail) == ["SEC034"] and [i.name for i in mail.workbooks] == ["表.xlsx"]


def test_reading_stops_as_soon_as_the_message_limit_is_passed(base):
    raw = bytes(C.mail(sender="big@example.gov.cn", attachments=[("表.xlsx", os.urandom(4 << 20), XLSX)]))
    read = []

    def chunks():
        for chunk in chunks_of(raw, 1 << 16):
            read.append(len(chunk))
            yield chunk

    mail = read_mail_stream(chunks(), Limits(max_message_bytes=1 << 20))
    assert _codes(mail) == ["SEC035"] and mail.sender == "big@example.gov.cn"
    assert sum(read) <= (1 << 20) + (1 << 16) < len(raw)


def test_a_stated_size_over_the_limit_is_refused_from_the_header_alone():
    """What an IMAP source passes for a message it did not download: the header and the server's size."""
    header = b"From: far@example.gov.cn\r\nSubject: big\r\nMessage-ID: <far@x>\r\n\r\n"
    mail = read_mail_stream(chunks_of(header), Limits(max_message_bytes=1000), size=5000)
    assert _codes(mail) == ["SEC035"] and mail.message_id == "<far@x>" and "0.0 MB" in mail.items[0].findings[0].message


def test_oversize_eml_keeps_its_original_and_the_batch_goes_on(base, tmp_path):
    """An .eml over the message limit: SEC035 with its sender, the file itself kept under rejected/ (hash in the ledger);
    an attachment over the file limit: SEC001, the mail kept for it; the good mail beside them is processed."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a_huge.eml").write_bytes(bytes(C.mail(sender="huge@example.gov.cn", attachments=[("巨.xlsx", os.urandom(5 << 20), XLSX)])))
    (inbox / "b_big_attachment.eml").write_bytes(bytes(C.mail(sender="big@example.gov.cn",
                                                              attachments=[("大.xlsx", os.urandom(2 << 20), XLSX)])))
    (inbox / "c_good.eml").write_bytes(bytes(C.mail(attachments=[("好.xlsx", C.with_dept(base, "流式测试局"), XLSX)])))
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inbox.iterdir()}
    out = tmp_path / "out"
    limits = Limits(max_message_bytes=4 << 20, max_file_bytes=1 << 20)  # the defaults are 60 and 25 MB
    run_intake(iter_sources([inbox]), Config(out=str(out), limits=limits, annotate=False))
    rows = {r["file_name"]: r for r in C.ledger_rows(out)}
    assert [f["rule_id"] for f in json.loads(rows["邮件"]["report_json"])["findings"]] == ["SEC035"]
    assert [f["rule_id"] for f in json.loads(rows["大.xlsx"]["report_json"])["findings"]] == ["SEC001"]
    for name, source in (("邮件", "a_huge.eml"), ("大.xlsx", "b_big_attachment.eml")):
        stored = out / rows[name]["stored_path"]
        assert stored.name == "邮件原文.eml" and stored.parent.parent.name == "rejected"
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == rows[name]["sha256"] == before[source]
    assert rows["好.xlsx"]["department"] == "流式测试局"
    assert before == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inbox.iterdir()}


def test_many_small_parts_still_leave_a_bounded_skeleton():
    """Past SKELETON_MAX every body is spooled whatever its size: 400 parts of 20 kB do not all sit in memory."""
    parts = [(f"附件{i}.txt", os.urandom(20_000), "application/octet-stream") for i in range(400)]
    raw = bytes(C.mail(attachments=parts))
    streamed = stream_message(chunks_of(raw), 60 << 20)
    try:
        assert len(streamed.skeleton) < mailstream.SKELETON_MAX + mailstream.INLINE_MAX + 200 * 400 < len(raw)
        assert streamed.bodies
    finally:
        streamed.close()


@pytest.mark.parametrize("shape", ["dash_lines", "header_lines"])
def test_lines_that_only_look_like_structure_are_read_in_bulk(shape, monkeypatch):
    """A body of lines starting "--" that are no boundary, or a header block that never ends: neither is handled
    line by line (counted), and both are read to the end."""
    calls = []
    real = mailstream._Splitter._line

    def counting(self, line):
        calls.append(1)
        return real(self, line)

    monkeypatch.setattr(mailstream._Splitter, "_line", counting)
    if shape == "dash_lines":
        raw = (b"From: a@example.gov.cn\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\n"
               b"Content-Type: text/plain\n\n" + b"--x\n" * 200_000 + b"--b--\n")
        assert raw.count(b"\n--x\n") >= 100_000
        limit = 1_000
    else:
        raw = b"From: a@example.gov.cn\n" + b"X-Pad: y\n" * 300_000
        limit = (mailstream.HEADER_MAX // 9) + 1_000
    streamed = stream_message(chunks_of(raw), 60 << 20)
    try:
        assert not streamed.over and streamed.size == len(raw)
        assert len(calls) < limit, len(calls)
    finally:
        streamed.close()


def test_an_attached_eml_is_split_as_a_stream_not_parsed_whole(base):
    """An .eml attached as a file is split like the outer message (its big bodies spooled, each attachment size-checked
    before decoding): the workbook inside is found, and memory stays near the attachment's own size (parsing it whole
    with the email package peaked at about nine times it)."""
    import tracemalloc

    inner = bytes(C.mail(sender="inner@example.gov.cn", attachments=[("甲.xlsx", C.with_dept(base, "内层局"), XLSX),
                                                                      ("大.bin", os.urandom(6 << 20), "application/octet-stream")]))
    outer = bytes(C.mail(sender="outer@example.gov.cn", attachments=[("转发.eml", inner, "application/octet-stream")]))
    tracemalloc.start()
    try:
        mail = read_mail(outer, Limits())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [i.name for i in mail.workbooks] == ["甲.xlsx"] and _codes(mail) == ["SEC034"]  # 大.bin: listed, not a workbook
    assert peak < 4 * len(inner), f"{peak / 2**20:.1f} MB for a {len(inner) / 2**20:.1f} MB attached message"

