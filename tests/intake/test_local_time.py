"""Times people read are in 北京时间 (PERFEVAL_TZ): a mail received at 07:30 +08:00 on 29 March is
filed under 20240329 and its receipt says 2024-03-29 07:30, even when the IMAP server reports UTC."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

import intake_corpus as C
from perfeval_xl.cli import main
from perfeval_xl.intake.batch import submission_key
from perfeval_xl.intake.receipt import receipt_html, receipt_text
from perfeval_xl.outputs.timefmt import ENV, local_display, local_iso, zone_label

BEIJING_0730 = dt.datetime(2024, 3, 29, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def default_zone(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)


@pytest.mark.parametrize("value", ["2024-03-28T23:30:00+00:00", "2024-03-28T23:30:00Z", "2024-03-29T07:30:00+08:00",
                                   dt.datetime(2024, 3, 28, 23, 30, tzinfo=dt.timezone.utc)])
def test_shown_in_beijing_time_whatever_the_stored_offset(value):
    assert local_display(value) == "2024-03-29 07:30"
    assert local_iso(value) == "2024-03-29T07:30:00+08:00"
    assert zone_label() == "北京时间"


def test_zone_is_configurable(monkeypatch):
    monkeypatch.setenv(ENV, "Europe/Paris")
    assert local_display("2024-03-28T23:30:00+00:00") == "2024-03-29 00:30" and zone_label() == "Europe/Paris"
    monkeypatch.setenv(ENV, "UTC")
    assert local_display("2024-03-29T07:30:00+08:00") == "2024-03-28 23:30"
    monkeypatch.setenv(ENV, "Not/AZone")  # a typo never stops a batch: 北京时间
    assert local_display("2024-03-28T23:30:00+00:00") == "2024-03-29 07:30" and zone_label() == "北京时间"
    monkeypatch.setenv(ENV, "local")
    assert local_display("2024-03-28T23:30:00+00:00") == dt.datetime(2024, 3, 28, 23, 30, tzinfo=dt.timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M")


def test_what_is_not_a_time_is_shown_as_it_is():
    assert local_display(None) == "" and local_display("") == "" and local_display("未知") == "未知"
    assert local_display("2024-03-29T07:30:00") == "2024-03-29 07:30"  # no offset: already local


def test_folder_is_dated_by_the_local_day():
    key = submission_key("k", local_iso("2024-03-28T23:30:00+00:00"), 0)
    assert key.startswith("20240329-073000-")


def test_receipt_shows_local_time():
    row = {"id": 7, "file_name": "甲局.xlsx", "status": "passed", "received": "2024-03-28T23:30:00+00:00",
           "processed_at": "2024-03-29T00:05:00+00:00"}
    text = receipt_text(row, {"counts": {}})
    assert "接收时间：2024-03-29 07:30（北京时间）" in text and "处理时间：2024-03-29 08:05（北京时间）" in text
    assert "2024-03-28" not in text
    assert "2024-03-29 07:30（北京时间）" in receipt_html(row, {"counts": {}})


def test_imap_mail_received_at_0730_beijing_is_filed_that_day(dovecot, tmp_path, monkeypatch, base_workbook):
    import uuid

    name = f"Tz{uuid.uuid4().hex[:8]}"
    conn = dovecot.client()
    assert conn.create(f'"{name}"')[0] == "OK"
    msg = C.mail(sender="a@example.gov.cn", subject="早上的报送", message_id=f"<tz-{name}@example.gov.cn>",
                 attachments=[("甲局.xlsx", C.with_dept(base_workbook, "早班局"), "application/octet-stream")])
    assert conn.append(f'"{name}"', None, BEIJING_0730, bytes(msg))[0] == "OK"
    conn.logout()
    for k, v in dovecot.env(name).items():
        monkeypatch.setenv(k, v)
    out = tmp_path / "out"
    assert main(["intake", "--imap", "--out", str(out), "-q", "--no-annotate"]) in (0, 1)
    db = sqlite3.connect(out / "ledger.sqlite3")
    (received,) = db.execute("SELECT received FROM submissions").fetchone()
    db.close()
    assert dt.datetime.fromisoformat(received) == BEIJING_0730  # stored with whatever offset the server gave
    folders = [p.name for p in (out / "submissions").iterdir()]
    assert len(folders) == 1 and folders[0].startswith("20240329-073000-")
    receipt = (out / "submissions" / folders[0] / "回执.txt").read_text(encoding="utf-8")
    assert "接收时间：2024-03-29 07:30（北京时间）" in receipt


def test_status_lines_show_local_time_and_keep_the_exact_timestamp():
    from perfeval_xl.intake.status import Expected, StatusLine

    line = StatusLine(Expected("901", "早班局", ("a@example.gov.cn",)), "passed",
                      {"id": 1, "received": "2024-03-28T23:30:00+00:00", "file_name": "甲局.xlsx"})
    d = line.to_dict()
    assert d["接收时间"] == "2024-03-29 07:30" and d["received"] == "2024-03-28T23:30:00+00:00"
