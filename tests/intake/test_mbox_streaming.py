"""Issue 14, memory and time: an mbox is read line by line, read-only, each message under the message size limit."""

from __future__ import annotations

import json
import mailbox
import os
import re
import tracemalloc

import pytest

import intake_corpus as C
from perfeval_xl.intake.batch import Config, run_intake
from perfeval_xl.preflight import Limits
from perfeval_xl.intake import sources
from perfeval_xl.intake.sources import iter_sources, mbox_envelopes, split_mbox

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def base() -> bytes:
    return C.example()


def _box(path, messages: list[bytes]) -> None:
    box = mailbox.mbox(str(path))
    for m in messages:
        box.add(m)
    box.close()


def test_messages_match_the_standard_library_reader(base, tmp_path):
    """Messages of several MB (more than one chunk each), a ">From " body line (mboxrd) and a line of 200 kB."""
    big = bytes(C.mail(attachments=[("a.xlsx", os.urandom(3 << 20), XLSX)]))
    quoted = bytes(C.mail(body="第一行\nFrom now on we report monthly.\n", attachments=[("b.xlsx", base, XLSX)]))
    long_line = b"From: l@example.gov.cn\nSubject: long\n\n" + b"x" * 200_000 + b"\nend\n"
    path = tmp_path / "in.mbox"
    _box(path, [big, quoted, long_line])
    ours = [raw for raw, _when in split_mbox(path)]
    theirs = [mailbox.mbox(str(path), create=False).get_bytes(k) for k in mailbox.mbox(str(path), create=False).keys()]
    # the standard library quotes a body line "From " as ">From " when writing and leaves it so when reading
    assert b"\n>From now on" in theirs[1]
    unquoted = [re.sub(rb"(?m)^>(>*From )", rb"\1", m) for m in theirs]
    assert [m.rstrip(b"\n") for m in ours] == [m.rstrip(b"\n") for m in unquoted]
    assert b"\nFrom now on" in ours[1]


def test_splitting_holds_only_a_line_at_a_time(tmp_path):
    """20 MB of mbox are split, keyed and described with a few MB of Python memory (a chunk being hashed), not the box."""
    path = tmp_path / "big.mbox"
    _box(path, [bytes(C.mail(message_id=f"<m{i}@x>", attachments=[("a.xlsx", os.urandom(5 << 20), XLSX)])) for i in range(4)])
    assert path.stat().st_size > 20 << 20
    tracemalloc.start()
    try:
        envs = list(mbox_envelopes(path))
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(envs) == 4 and all(e.raw is None and e.span for e in envs)
    assert peak < 8 << 20 < path.stat().st_size, peak


def test_mbox_is_opened_read_only(base, tmp_path, monkeypatch):
    path = tmp_path / "in.mbox"
    _box(path, [bytes(C.mail(attachments=[("a.xlsx", base, XLSX)]))])
    modes = []
    real_open = open

    def spy(file, mode="r", *a, **k):
        if str(file) == str(path):
            modes.append(mode)
        return real_open(file, mode, *a, **k)

    monkeypatch.setattr(sources, "open", spy, raising=False)
    envs = list(iter_sources([path]))
    assert len(envs) == 1 and envs[0].message_bytes().startswith(b"From: ")
    assert modes and set(modes) == {"rb"}


def test_a_message_over_the_limit_is_refused_and_its_neighbours_processed(base, tmp_path):
    """One message of the box beyond the message limit: SEC035 with its sender, read no further than the limit;
    the messages before and after it are processed, and the box is unchanged."""
    path = tmp_path / "inbox.mbox"
    _box(path, [bytes(C.mail(sender="a@example.gov.cn", attachments=[("甲.xlsx", C.with_dept(base, "前一封局"), XLSX)])),
                bytes(C.mail(sender="huge@example.gov.cn", attachments=[("巨.xlsx", os.urandom(3 << 20), XLSX)])),
                bytes(C.mail(sender="c@example.gov.cn", attachments=[("丙.xlsx", C.with_dept(base, "后一封局"), XLSX)]))])
    before = path.read_bytes()
    out = tmp_path / "out"
    run_intake(iter_sources([path]), Config(out=str(out), limits=Limits(max_message_bytes=2 << 20), annotate=False))
    rows = C.ledger_rows(out)
    by_dept = {r["department"]: r for r in rows if r["department"]}
    assert set(by_dept) == {"前一封局", "后一封局"}
    refused = [r for r in rows if r["status"] == "rejected"]
    assert len(refused) == 1 and [f["rule_id"] for f in json.loads(refused[0]["report_json"])["findings"]] == ["SEC035"]
    assert path.read_bytes() == before


def _oracle(raw: bytes) -> list[bytes]:
    """The splitting rule, one line at a time over the whole box in memory: a From_ line with a delivery date,
    after a blank line or at the top, followed by a header line, starts a message; mboxrd quoting is undone
    and the blank line before the next From_ line dropped."""
    from perfeval_xl.intake.sources import _FROM_LINE, _HEADER_LINE

    lines = raw.splitlines(keepends=True)
    starts = [n for n, line in enumerate(lines)
              if (n == 0 or lines[n - 1].strip() == b"") and _FROM_LINE.match(line.rstrip(b"\r\n"))
              and n + 1 < len(lines) and _HEADER_LINE.match(lines[n + 1])]
    out = []
    for k, n in enumerate(starts):
        body = b"".join(lines[n + 1: starts[k + 1] if k + 1 < len(starts) else len(lines)])
        body = body[:-1] if body.endswith(b"\n\n") else body
        out.append(re.sub(rb"(?m)^>(>*From )", rb"\1", body))
    return out


@pytest.mark.parametrize("shift", [-7, -6, -5, -1, 0, 1, 3])
def test_a_from_line_across_a_block_edge(tmp_path, shift):
    """The separator "\\nFrom " placed across the reader's block edge, a quoted ">From " line there too,
    CRLF blank lines, a "From " line with no date and one with no header after it (both stay in the body)."""
    from perfeval_xl.intake.mailstream import CHUNK

    head = b"From a@x Mon Mar  4 09:00:00 2024\nFrom: a@x\nSubject: one\n\n"
    tricky = b"\r\nFrom nobody in particular\nFrom b@x Mon Mar  4 09:00:00 2024\nnot a header\n\n>From quoted\n"
    pad = CHUNK + shift - len(head) - len(tricky) - 1
    raw = (head + tricky + b"y" * pad + b"\n\nFrom c@x Tue Mar  5 10:00:00 2024\nFrom: c@x\nSubject: two\n\n>>From twice\nbye\n"
           + b"\n" + b"From d@x Wed Mar  6 10:00:00 +0800 2024\nFrom: d@x\n\n" + b"z" * (CHUNK + 10) + b"\n")
    path = tmp_path / "edge.mbox"
    path.write_bytes(raw)
    got = [m for m, _when in split_mbox(path)]
    assert got == _oracle(raw) and len(got) == 3
    assert b"\nFrom quoted\n" in got[0] and got[1].endswith(b"From twice\nbye\n")


def test_a_refused_message_of_an_mbox_is_kept_under_rejected_as_it_stood_in_the_box(base, tmp_path):
    """Over the message limit (SEC035), or holding an attachment over the file limit (SEC001): the raw message is
    streamed to rejected/ as 邮件原文.eml, its ledger row points at it and records its hash; the box is unchanged."""
    import hashlib

    path = tmp_path / "inbox.mbox"
    huge = bytes(C.mail(sender="huge@example.gov.cn", message_id="<huge@x>", attachments=[("巨.xlsx", os.urandom(3 << 20), XLSX)]))
    wide = bytes(C.mail(sender="wide@example.gov.cn", message_id="<wide@x>", attachments=[("宽.xlsx", os.urandom(1200 << 10), XLSX)]))
    good = bytes(C.mail(sender="c@example.gov.cn", attachments=[("丙.xlsx", C.with_dept(base, "后一封局"), XLSX)]))
    _box(path, [huge, wide, good])
    before = path.read_bytes()
    as_in_box = [m for m, _when in split_mbox(path)]
    out = tmp_path / "out"
    run_intake(iter_sources([path]), Config(out=str(out), limits=Limits(max_message_bytes=2 << 20, max_file_bytes=1 << 20),
                                            annotate=False))
    rows = {r["message_id"]: r for r in C.ledger_rows(out)}
    for mid, code, raw in (("<huge@x>", "SEC035", as_in_box[0]), ("<wide@x>", "SEC001", as_in_box[1])):
        row = rows[mid]
        assert row["status"] == "rejected" and [f["rule_id"] for f in json.loads(row["report_json"])["findings"]] == [code]
        stored = out / row["stored_path"]
        assert stored.name == "邮件原文.eml" and "rejected" in stored.parts
        assert stored.read_bytes() == raw and row["sha256"] == hashlib.sha256(raw).hexdigest()
    assert rows[next(k for k in rows if k not in ("<huge@x>", "<wide@x>"))]["department"] == "后一封局"
    assert path.read_bytes() == before


def test_max_size_mb_sets_the_message_limit_too(base, tmp_path):
    """--max-size-mb 1 makes the message limit 2.4 MB (the default proportion, 60 MB per 25 MB): a 3 MB message
    that the default limits take is refused with SEC035, and `perfeval intake --help` says so."""
    import contextlib
    import io

    from perfeval_xl.cli import main

    path = tmp_path / "inbox.mbox"
    _box(path, [bytes(C.mail(sender="m@example.gov.cn", message_id="<m@x>", attachments=[("中.xlsx", os.urandom(2 << 20), XLSX)]))])
    codes = {}
    for name, extra in (("default", []), ("one", ["--max-size-mb", "1"])):
        out = tmp_path / name
        with contextlib.redirect_stdout(io.StringIO()):
            main(["intake", str(path), "--out", str(out), "-q", *extra])
        row = C.ledger_rows(out)[0]
        codes[name] = [f["rule_id"] for f in json.loads(row["report_json"])["findings"]]
    assert "SEC035" not in codes["default"] and codes["one"] == ["SEC035"]
    text = io.StringIO()
    with contextlib.redirect_stdout(text), pytest.raises(SystemExit):
        main(["intake", "--help"])
    assert "邮件大小上限" in text.getvalue()
