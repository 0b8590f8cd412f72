"""--send through a real SMTP server (aiosmtpd on loopback), `perfeval status`, and -j determinism."""

from __future__ import annotations

import csv
import sqlite3
from email import message_from_bytes, policy

import intake_corpus as C
from perfeval_xl.cli import main


def _inbox(tmp_path, base):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.eml").write_bytes(bytes(C.mail(sender="a@example.gov.cn", sender_name="甲局", subject="甲局报送",
                                               message_id="<send-a@example.gov.cn>",
                                               attachments=[("甲局.xlsx", C.with_dept(base, "甲局"), "application/octet-stream")])))
    (inbox / "b.eml").write_bytes(bytes(C.mail(sender="b@example.gov.cn", subject="乙局报送", message_id="<send-b@example.gov.cn>",
                                               attachments=[("乙局.xlsx", C.with_dept(C.text_in_money(base), "乙局"),
                                                             "application/octet-stream")])))
    (inbox / "c.eml").write_bytes(bytes(C.mail(sender="c@example.gov.cn", subject="丙局", message_id="<send-c@example.gov.cn>")))
    return inbox


def test_send_replies_over_smtp(smtp_server, tmp_path, monkeypatch, base_workbook):
    controller, handler = smtp_server
    monkeypatch.setenv("PERFEVAL_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("PERFEVAL_SMTP_PORT", str(controller.port))
    monkeypatch.setenv("PERFEVAL_SMTP_FROM", "财政局 <finance@example.gov.cn>")
    rc = main(["intake", str(_inbox(tmp_path, base_workbook)), "--out", str(tmp_path / "out"), "--send", "-q"])
    assert rc == 1
    assert len(handler.messages) == 3
    by_rcpt = {rcpts[0]: message_from_bytes(content, policy=policy.default) for _f, rcpts, content in handler.messages}
    a = by_rcpt["a@example.gov.cn"]
    assert "合格" in a["Subject"] and a["In-Reply-To"] == "<send-a@example.gov.cn>"
    names = [p.get_filename() for p in a.iter_attachments()]
    assert "回执.html" in names and any(n.endswith("_批注.xlsx") for n in names)
    body = a.get_body(preferencelist=("plain",)).get_content()
    assert "校验结论：合格" in body and "SHA-256" in body
    assert "不合格" in by_rcpt["b@example.gov.cn"]["Subject"]
    c_body = by_rcpt["c@example.gov.cn"].get_body(preferencelist=("plain",)).get_content()
    assert "SEC030" in c_body


def test_status_expected_list(tmp_path, base_workbook, capsys):
    out = tmp_path / "out"
    main(["intake", str(_inbox(tmp_path, base_workbook)), "--out", str(out), "-q"])
    expected = tmp_path / "departments.csv"
    expected.write_bytes("预算编码,部门名称,邮箱\n101,甲局,\n102,乙局,\n103,丙局,c@example.gov.cn\n104,丁局,d@example.gov.cn\n"
                         .encode("gb18030"))  # as Excel saves it on Chinese Windows
    rc = main(["status", "--expected", str(expected), "--out", str(out)])
    assert rc == 1
    with open(out / "status.csv", encoding="utf-8-sig") as fh:
        lines = {r["部门名称"]: r for r in csv.DictReader(fh)}
    assert lines["甲局"]["状态"] == "已报送·合格"
    assert lines["乙局"]["状态"] == "已报送·有错误"
    assert lines["丙局"]["状态"] == "已拒收·须重报" and lines["丙局"]["匹配方式"] == "发件人邮箱"
    assert lines["丁局"]["状态"] == "未报送"
    printed = capsys.readouterr().out
    assert "未报送" in printed and "丁局" in printed


def test_parallel_output_is_deterministic(tmp_path, base_workbook):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(8):
        data = C.variant(C.with_dept(base_workbook, f"并行测试局{i % 3}"), i)
        if i % 4 == 3:
            data = C.truncated(data)
        (inbox / f"{i:02d}.xlsx").write_bytes(data)
    tables = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        main(["intake", str(inbox), "--out", str(out), "-j", jobs, "-q", "--no-annotate"])
        db = sqlite3.connect(out / "ledger.sqlite3")
        tables.append(db.execute("SELECT id, file_name, status, department, supersedes, superseded_by, duplicate_of, folder"
                                 " FROM submissions ORDER BY id").fetchall())
        db.close()
    assert tables[0] == tables[1]
    assert len(tables[0]) == 8


def test_usage_errors(tmp_path):
    assert main(["intake", "--out", str(tmp_path / "o")]) == 2
    assert main(["intake", str(tmp_path / "missing"), "--out", str(tmp_path / "o")]) == 2
    assert main(["status", "--expected", str(tmp_path / "none.csv"), "--out", str(tmp_path)]) == 2
