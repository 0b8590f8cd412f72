"""Issue 14, class D and the smaller items: faults and odd sources end in a coded finding or a clear
Chinese message (exit 2), never a traceback, a lost submission or a stored file that differs from the ledger."""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

import intake_corpus as C
from perfeval_xl.cli import main

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def base() -> bytes:
    return C.example()


_rows = C.ledger_rows


def _consistent(out) -> None:
    for r in _rows(out):
        if r["stored_path"]:
            assert hashlib.sha256((out / r["stored_path"]).read_bytes()).hexdigest() == r["sha256"]
    assert not list(out.rglob("*.part"))


def test_symlinks_fifos_and_unreadable_entries_do_not_stop_the_batch(base, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "b_good.xlsx").write_bytes(base)
    os.symlink("/etc/passwd", inbox / "a_link.xlsx")
    os.mkfifo(inbox / "c_pipe.xlsx")
    out = tmp_path / "out"
    rc = main(["intake", str(inbox), "--out", str(out), "-q", "--no-annotate"])
    rows = {r["file_name"]: r for r in _rows(out)}
    assert rows["b_good.xlsx"]["status"] == "passed"
    for name in ("a_link.xlsx", "c_pipe.xlsx"):
        assert rows[name]["status"] == "rejected" and "SEC037" in rows[name]["report_json"] and rows[name]["stored_path"] is None
    passwd = Path("/etc/passwd").read_bytes()
    assert not any(p.read_bytes() == passwd for p in out.rglob("*") if p.is_file())
    assert rc == 1
    _consistent(out)


def test_an_explicit_fifo_source_is_reported_not_ignored(tmp_path):
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    out = tmp_path / "out"
    assert main(["intake", str(fifo), "--out", str(out), "-q"]) == 1
    assert "SEC037" in _rows(out)[0]["report_json"]


def test_long_cjk_and_device_names_are_stored(base, tmp_path):
    names = ["𠀀" * 300 + ".xlsx", "COM3.xlsx", "LPT9.xlsx", "nul .xlsx", "CONIN$.xlsx", "报表\u202excod.xlsx"]
    msg = C.mail(attachments=[(n, C.variant(base, i), XLSX) for i, n in enumerate(names)])
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "m.eml").write_bytes(bytes(msg))
    out = tmp_path / "out"
    main(["intake", str(inbox), "--out", str(out), "-q"])
    rows = _rows(out)
    assert len(rows) == len(names) and all(r["status"] == "passed" for r in rows)
    stored = [Path(r["stored_path"]).name for r in rows]
    assert all(len(n.encode()) <= 255 for n in stored)
    assert stored[1:5] == ["_COM3.xlsx", "_LPT9.xlsx", "_nul.xlsx", "_CONIN$.xlsx"]
    assert all("\u202e" not in r["file_name"] for r in rows) and all("\u202e" not in n for n in stored)
    summary = (out / "summary.json").read_text(encoding="utf-8")
    assert "\u202e" not in summary and "\\u202e" not in summary
    _consistent(out)


def test_a_corrupt_ledger_is_a_clear_message_and_left_alone(base, tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.xlsx").write_bytes(base)
    out = tmp_path / "out"
    out.mkdir()
    (out / "ledger.sqlite3").write_bytes(b"this is not a database" * 100)
    assert main(["intake", str(inbox), "--out", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert "台账" in err and "Traceback" not in err
    assert (out / "ledger.sqlite3").read_bytes() == b"this is not a database" * 100


def test_disk_full_stops_with_a_message_and_a_rerun_completes(base, tmp_path, monkeypatch, capsys):
    from perfeval_xl.intake import batch

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(3):
        (inbox / f"{i}.xlsx").write_bytes(C.variant(C.with_dept(base, f"磁盘测试局{i}"), i))
    out = tmp_path / "out"
    real = batch._store
    calls = {"n": 0}

    def full(*a, **kw):
        calls["n"] += 1
        if calls["n"] >= 2:  # the second file meets a full disk
            raise OSError(errno.ENOSPC, "No space left on device", str(a[0]))
        return real(*a, **kw)

    monkeypatch.setattr(batch, "_store", full)  # the forked workers inherit it
    assert main(["intake", str(inbox), "--out", str(out), "-q", "--no-annotate"]) == 2
    err = capsys.readouterr().err
    assert "磁盘空间不足" in err and "Traceback" not in err
    first = _rows(out)
    assert len(first) <= 1  # only what was completely stored is recorded
    _consistent(out)
    monkeypatch.setattr(batch, "_store", real)
    main(["intake", str(inbox), "--out", str(out), "-q", "--no-annotate"])
    rows = _rows(out)
    assert sorted(r["department"] for r in rows) == [f"磁盘测试局{i}" for i in range(3)]
    assert all(r["status"] == "passed" for r in rows)
    _consistent(out)


def test_two_intakes_on_one_out_at_the_same_time(base, tmp_path):
    out = tmp_path / "out"
    procs = []
    for k in range(2):
        inbox = tmp_path / f"inbox{k}"
        inbox.mkdir()
        for i in range(4):
            (inbox / f"{k}_{i}.xlsx").write_bytes(C.variant(C.with_dept(base, f"并发测试局{k}{i}"), 10 * k + i))
        procs.append(subprocess.Popen([sys.executable, "-m", "perfeval_xl", "intake", str(inbox), "--out", str(out), "-q",
                                       "--no-annotate"], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    for p in procs:
        _o, err = p.communicate(timeout=600)
        assert p.returncode == 0, err.decode()
        assert b"Traceback" not in err
    rows = _rows(out)
    assert len(rows) == 8 and all(r["status"] == "passed" for r in rows)
    _consistent(out)
