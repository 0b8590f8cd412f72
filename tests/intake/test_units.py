"""Unit checks: file-name decoding, storage names, zip names, pre-flight false positives, mbox/Maildir sources."""

from __future__ import annotations

import hashlib
import mailbox
import re
from email.message import EmailMessage

import pytest

import intake_corpus as C
from perfeval_xl.intake.attachments import decode_words, read_mail, sanitise
from perfeval_xl.preflight import SEC_RULES, Limits, preflight
from perfeval_xl.intake.sources import iter_sources


@pytest.mark.parametrize("stem", ["synthetic", "seed_furong_2020", "hunan_unit_2018"])
def test_examples_pass_preflight(stem):
    pf = preflight(C.example(stem), f"{stem}.xlsx")
    assert pf.kind == "xlsx" and not pf.findings


def test_styles_like_ratio_is_not_a_bomb(base_workbook):
    # a highly compressible but small part (like styles.xml at ~100:1) must not trip the ratio rule
    data = C.rezip(base_workbook, add={"xl/media/repetitive.xml": b"<a/>" * 200_000})
    assert not preflight(data, "x.xlsx").findings


def test_sec_rules_are_declared():
    assert all(r.id.startswith("SEC") and r.title and r.rationale and r.message for r in SEC_RULES.values())


@pytest.mark.parametrize("text,expected", [
    ("=?GBK?B?" + __import__("base64").b64encode("预算表.xlsx".encode("gbk")).decode() + "?=", "预算表.xlsx"),
    ("=?gb2312?Q?=D4=A4=CB=E3.xlsx?=", "预算.xlsx"),
    ("=?UTF-8?B?5pel?= =?UTF-8?B?5pys?=.xlsx", "日本.xlsx"),
    ("plain.xlsx", "plain.xlsx"),
])
def test_decode_words(text, expected):
    assert decode_words(text) == expected


@pytest.mark.parametrize("name,expected", [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\x\\预算.xlsx", "预算.xlsx"),
    ("a\x00b\x1f.xlsx", "a_b_.xlsx"),
    ("...", "附件"),
    ("", "附件"),
    ("CON.xlsx", "_CON.xlsx"),
    ("报表\u202e.xlsx", "报表_.xlsx"),
])
def test_sanitise(name, expected):
    assert sanitise(name) == expected


def test_raw_8bit_gbk_header(base_workbook):
    import re

    raw = re.sub(rb"filename\*=gbk''\S+", b'filename="' + "财务报表.xlsx".encode("gbk") + b'"',
                 C.raw_mail_gbk("x.xlsx", base_workbook, "2231", message_id="<r@x>"))
    mail = read_mail(raw)
    assert [i.name for i in mail.workbooks] == ["财务报表.xlsx"]
    assert mail.subject == "报送材料"


def test_depth_limit(base_workbook):
    msg = C.mail(attachments=[("a.xlsx", base_workbook, "application/octet-stream")])
    for _ in range(6):
        msg = C.forwarded(msg)
    mail = read_mail(bytes(msg), Limits(max_depth=3))
    assert not mail.workbooks
    assert any(f.rule_id == "SEC032" for i in mail.items for f in i.findings)


def test_attachment_count_limit(base_workbook):
    msg = C.mail(attachments=[(f"{i}.txt", b"x", "text/plain") for i in range(10)])
    mail = read_mail(bytes(msg), Limits(max_attachments=5))
    assert any(f.rule_id == "SEC032" for f in mail.notes)


def test_ignored_attachments_are_noted(base_workbook):
    msg = C.mail(attachments=[("说明.pdf", b"%PDF-1.4 x", "application/pdf"), ("a.xlsx", base_workbook, "application/octet-stream")])
    mail = read_mail(bytes(msg))
    assert len(mail.workbooks) == 1 and [f.rule_id for f in mail.notes] == ["SEC034"]


def test_workbook_without_name_or_disposition_is_found(base_workbook):
    msg = EmailMessage()
    msg["From"] = "x@example.gov.cn"
    msg["Message-ID"] = "<noname@x>"
    msg.set_content("see attached")
    msg.add_attachment(base_workbook, maintype="application", subtype="octet-stream")
    del msg.get_payload()[1]["Content-Disposition"]
    mail = read_mail(bytes(msg))
    assert len(mail.workbooks) == 1


def test_mbox_and_maildir_sources(tmp_path, base_workbook):
    box = mailbox.mbox(str(tmp_path / "in.mbox"))
    for i in range(3):
        box.add(bytes(C.mail(message_id=f"<mbox{i}@x>", attachments=[("a.xlsx", base_workbook, "application/octet-stream")])))
    box.close()
    md = mailbox.Maildir(str(tmp_path / "Maildir"), create=True)
    for i in range(2):
        md.add(bytes(C.mail(message_id=f"<md{i}@x>")))
    md.close()
    envs = list(iter_sources([tmp_path]))
    # keyed by content, never by Message-ID alone (issue 14)
    assert sorted(e.key for e in envs) == sorted("mail:" + hashlib.sha256(e.message_bytes()).hexdigest() for e in envs)
    found = sorted(re.search(rb"Message-ID: (<[^>]+>)", e.message_bytes()).group(1).decode() for e in envs)
    assert found == sorted([f"<mbox{i}@x>" for i in range(3)] + [f"<md{i}@x>" for i in range(2)])
    # streamed, never held: an envelope names its file (and an mbox message its byte range)
    assert all(e.kind == "mail" and e.raw is None and e.path for e in envs)
    # the same bytes the standard library's own mbox reader gives (its From_ line dropped, the blank separator too)
    ours = [e.message_bytes() for e in envs if e.span is not None]
    box = mailbox.mbox(str(tmp_path / "in.mbox"), create=False)
    theirs = [box.get_bytes(k) for k in box.keys()]
    assert [m.rstrip(b"\n") for m in ours] == [m.rstrip(b"\n") for m in theirs]


def test_oversized_message_is_not_parsed():
    msg = EmailMessage()
    msg["From"] = "会计 <kj@example.gov.cn>"
    msg["Subject"] = "报送"
    msg.set_content("附件见内")
    msg.add_attachment(C.example(), maintype="application", subtype="octet-stream", filename="表.xlsx")
    mail = read_mail(msg.as_bytes(), Limits(max_message_bytes=10_000))
    codes = [f.rule_id for item in mail.items for f in item.findings]
    assert codes == ["SEC035"]
    assert not mail.workbooks


def test_msg_without_the_optional_extra_is_a_coded_finding(monkeypatch):
    """extract-msg is GPL, so it is optional: without it a .msg gets SEC031, never a crash."""
    import sys

    from perfeval_xl.intake.attachments import msg_items

    monkeypatch.setitem(sys.modules, "extract_msg", None)  # import extract_msg → ImportError
    mail = msg_items("outlook.msg", C.outlook_msg_with([("表.xlsx", C.example())]))
    assert [f.rule_id for item in mail.items for f in item.findings] == ["SEC031"]
    assert not mail.workbooks


def test_msg_source_yields_its_workbook_and_sender():
    from perfeval_xl.intake.attachments import msg_items

    data = C.example()
    mail = msg_items("outlook.msg", C.outlook_msg_with([("绩效评价表.xlsx", data)], sender="Kuaiji@Example.gov.cn"))
    assert [w.data for w in mail.workbooks] == [data]
    assert mail.sender == "kuaiji@example.gov.cn"
    assert mail.subject == "部门整体支出绩效评价报送"
