"""A real IMAP server (dovecot on loopback): append mail with imaplib, run `perfeval intake --imap`,
check the moves to Processed / Rejected and the ledger; a second run adds nothing."""

from __future__ import annotations

import sqlite3

import pytest

import intake_corpus as C
from perfeval_xl.cli import main


def _count(conn, mailbox: str) -> int:
    typ, data = conn.select(f'"{mailbox}"', readonly=True)
    assert typ == "OK", (mailbox, data)
    return int(data[0])


def _subjects(conn, mailbox: str) -> set[str]:
    from email import message_from_bytes, policy

    conn.select(f'"{mailbox}"', readonly=True)
    typ, data = conn.search(None, "ALL")
    out = set()
    for num in data[0].split():
        typ, parts = conn.fetch(num, "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        out.add(str(message_from_bytes(parts[0][1], policy=policy.default)["Subject"]))
    return out


@pytest.fixture
def mailbox(dovecot):
    """A fresh mailbox per test: messages go to INBOX/<name> so tests do not see each other's mail."""
    import uuid

    name = f"Intake{uuid.uuid4().hex[:8]}"
    conn = dovecot.client()
    assert conn.create(f'"{name}"')[0] == "OK"
    yield conn, name
    conn.logout()


def test_imap_intake_moves_and_records(dovecot, mailbox, tmp_path, monkeypatch, base_workbook):
    conn, name = mailbox
    good = C.mail(sender="a@example.gov.cn", subject="甲局报送", message_id="<imap-good@example.gov.cn>",
                  attachments=[("甲局.xlsx", C.with_dept(base_workbook, "IMAP甲局"), "application/octet-stream")])
    plain = C.mail(sender="b@example.gov.cn", subject="只有正文", message_id="<imap-plain@example.gov.cn>")
    macro = C.mail(sender="c@example.gov.cn", subject="带宏的表", message_id="<imap-macro@example.gov.cn>",
                   attachments=[("宏.xlsm", C.vba_macro(base_workbook), "application/octet-stream")])
    bad = C.mail(sender="d@example.gov.cn", subject="有错误的表", message_id="<imap-bad@example.gov.cn>",
                 attachments=[("丁局.xlsx", C.with_dept(C.text_in_money(base_workbook), "IMAP丁局"), "application/octet-stream")])
    for msg in (good, plain, macro, bad):
        typ, _ = conn.append(f'"{name}"', None, None, bytes(msg))
        assert typ == "OK"
    already_read = C.mail(sender="e@example.gov.cn", subject="已读邮件", message_id="<imap-seen@example.gov.cn>")
    conn.append(f'"{name}"', "(\\Seen)", None, bytes(already_read))
    for k, v in dovecot.env(name).items():
        monkeypatch.setenv(k, v)
    out = tmp_path / "out"
    rc = main(["intake", "--imap", "--out", str(out), "-q"])
    assert rc == 1  # a rejected mail and a workbook with errors need attention
    assert _subjects(conn, "Processed") >= {"甲局报送", "有错误的表"}
    assert _subjects(conn, "Rejected") >= {"只有正文", "带宏的表"}
    assert _subjects(conn, name) == {"已读邮件"}  # only unseen mail is fetched; nothing else stays behind
    db = sqlite3.connect(out / "ledger.sqlite3")
    got = {r[0]: (r[1], r[2]) for r in db.execute("SELECT message_id, outcome, sender FROM messages")}
    assert got["<imap-good@example.gov.cn>"] == ("processed", "a@example.gov.cn")
    assert got["<imap-bad@example.gov.cn>"][0] == "processed"
    assert got["<imap-plain@example.gov.cn>"][0] == "rejected"
    assert got["<imap-macro@example.gov.cn>"][0] == "rejected"
    assert "<imap-seen@example.gov.cn>" not in got
    subs = {r[0]: r[1:] for r in db.execute("SELECT message_id, status, department, stored_path FROM submissions")}
    assert subs["<imap-good@example.gov.cn>"][:2] == ("passed", "IMAP甲局")
    assert subs["<imap-bad@example.gov.cn>"][:2] == ("failed", "IMAP丁局")
    assert subs["<imap-macro@example.gov.cn>"][0] == "rejected" and subs["<imap-macro@example.gov.cn>"][2].startswith("rejected/")
    n = db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
    db.close()

    # the same mail appended again (a client re-sends the same Message-ID): recorded once, still moved
    conn.append(f'"{name}"', None, None, bytes(good))
    rc = main(["intake", "--imap", "--out", str(out), "-q"])
    assert rc == 0
    db = sqlite3.connect(out / "ledger.sqlite3")
    assert db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == n
    db.close()
    assert _count(conn, name) == 1  # only the seen one


def test_imap_credentials_only_from_env(monkeypatch, tmp_path):
    for k in ("PERFEVAL_IMAP_HOST", "PERFEVAL_IMAP_USER", "PERFEVAL_IMAP_PASSWORD"):
        monkeypatch.delenv(k, raising=False)
    assert main(["intake", "--imap", "--out", str(tmp_path / "o")]) == 2


def test_imap_size_is_asked_before_the_body_is_fetched(dovecot, mailbox, tmp_path, monkeypatch, base_workbook):
    """A message over the size limit is never downloaded: RFC822.SIZE first, then only its header;
    it is recorded with SEC035 (sender and all) and moved to Rejected, the small one next to it is processed."""
    import imaplib
    import json
    import os

    from perfeval_xl.intake.batch import Config, run_intake
    from perfeval_xl.intake.sources import ImapSettings, ImapSource
    from perfeval_xl.preflight import Limits

    conn, name = mailbox
    limit = 400_000
    big = C.mail(sender="big@example.gov.cn", subject="超大邮件", message_id="<imap-big@example.gov.cn>",
                 attachments=[("大表.xlsx", os.urandom(limit), "application/octet-stream")])
    small = C.mail(sender="small@example.gov.cn", subject="正常邮件", message_id="<imap-small@example.gov.cn>",
                   attachments=[("乙局.xlsx", C.with_dept(base_workbook, "IMAP乙局"), "application/octet-stream")])
    assert len(bytes(small)) < limit < len(bytes(big))
    for msg in (big, small):
        assert conn.append(f'"{name}"', None, None, bytes(msg))[0] == "OK"
    fetched: list[tuple[str, str]] = []
    real_uid = imaplib.IMAP4.uid

    def spy(self, command, *args):
        if command.upper() == "FETCH":
            fetched.append((args[0].decode() if isinstance(args[0], bytes) else str(args[0]), args[1]))
        return real_uid(self, command, *args)

    monkeypatch.setattr(imaplib.IMAP4, "uid", spy)
    imap = ImapSource(ImapSettings.from_env(dovecot.env(name)), max_bytes=limit)
    out = tmp_path / "out"
    try:
        run_intake(imap.envelopes(), Config(out=str(out), limits=Limits(max_message_bytes=limit), annotate=False), imap=imap)
    finally:
        imap.close()
    header_only = [uid for uid, what in fetched if what == "(BODY.PEEK[HEADER])"]
    bodies = [uid for uid, what in fetched if what == "(BODY.PEEK[])"]
    assert len(header_only) == 1 and len(bodies) == 1 and header_only != bodies
    assert all(what.startswith("(RFC822.SIZE") for uid, what in fetched if uid == header_only[0] and what not in
               ("(BODY.PEEK[HEADER])",))
    rows = {r["message_id"]: r for r in C.ledger_rows(out)}
    refused = rows["<imap-big@example.gov.cn>"]
    assert refused["status"] == "rejected" and refused["stored_path"] is None
    assert [f["rule_id"] for f in json.loads(refused["report_json"])["findings"]] == ["SEC035"]
    assert rows["<imap-small@example.gov.cn>"]["department"] == "IMAP乙局"
    db = sqlite3.connect(out / "ledger.sqlite3")
    senders = {r[0]: r[1:] for r in db.execute("SELECT message_id, sender, outcome FROM messages")}
    db.close()
    assert senders["<imap-big@example.gov.cn>"] == ("big@example.gov.cn", "rejected")
    assert _subjects(conn, "Rejected") >= {"超大邮件"} and _subjects(conn, "Processed") >= {"正常邮件"}


def test_a_message_over_the_limit_is_kept_from_the_server_range_by_range(dovecot, mailbox, tmp_path, monkeypatch, base_workbook):
    """With a spool folder, the refused message's bytes are fetched in ranges (never BODY.PEEK[] whole) and kept
    under rejected/ as 邮件原文.eml, byte for byte what the server holds, its hash in the ledger; the spool is emptied."""
    import hashlib
    import imaplib
    import json
    import os

    from perfeval_xl.intake import sources
    from perfeval_xl.intake.batch import Config, run_intake
    from perfeval_xl.intake.sources import ImapSettings, ImapSource
    from perfeval_xl.preflight import Limits

    conn, name = mailbox
    limit = 400_000
    big = C.mail(sender="big@example.gov.cn", subject="超大邮件", message_id="<imap-kept@example.gov.cn>",
                 attachments=[("大表.xlsx", os.urandom(limit), "application/octet-stream")])
    assert conn.append(f'"{name}"', None, None, bytes(big))[0] == "OK"
    conn.select(f'"{name}"')
    typ, data = conn.uid("SEARCH", None, "HEADER", "Message-ID", "<imap-kept@example.gov.cn>")
    uid = data[0].split()[-1]
    held = next(p[1] for p in conn.uid("FETCH", uid, "(BODY.PEEK[])")[1] if isinstance(p, tuple))
    monkeypatch.setattr(sources, "CHUNK", 100_000)  # several ranges for this message
    fetched: list[str] = []
    real_uid = imaplib.IMAP4.uid

    def spy(self, command, *args):
        if command.upper() == "FETCH":
            fetched.append(args[1])
        return real_uid(self, command, *args)

    monkeypatch.setattr(imaplib.IMAP4, "uid", spy)
    spool = tmp_path / "out" / ".imap-spool"
    imap = ImapSource(ImapSettings.from_env(dovecot.env(name)), max_bytes=limit, spool=spool)
    out = tmp_path / "out"
    try:
        run_intake(imap.envelopes(), Config(out=str(out), limits=Limits(max_message_bytes=limit), annotate=False), imap=imap)
    finally:
        imap.close()
    assert "(BODY.PEEK[])" not in fetched and sum(w.startswith("(BODY.PEEK[]<") for w in fetched) == -(-len(held) // 100_000)
    row = {r["message_id"]: r for r in C.ledger_rows(out)}["<imap-kept@example.gov.cn>"]
    assert row["status"] == "rejected" and [f["rule_id"] for f in json.loads(row["report_json"])["findings"]] == ["SEC035"]
    stored = out / row["stored_path"]
    assert stored.name == "邮件原文.eml" and "rejected" in stored.parts
    assert stored.read_bytes() == held and row["sha256"] == hashlib.sha256(held).hexdigest()
    assert not list(spool.glob("*"))
