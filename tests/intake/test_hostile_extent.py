"""Issue 14, class A: sheet extents that make python-calamine abort or crawl, and the guard behind the pre-flight."""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

import pytest

import hostile_corpus as H
import intake_corpus as C
from perfeval_xl.cli import main
from perfeval_xl.intake.batch import Config, run_intake
from perfeval_xl.intake.sources import iter_sources
from perfeval_xl.preflight import Limits, preflight
from perfeval_xl.preflight.checked import check_file
from perfeval_xl.preflight.guard import Fault, guarded_map

NO_EXTENT_LIMIT = Limits(max_sheet_rows=10**9, max_sheet_cells=10**15)


@pytest.fixture(scope="module")
def base() -> bytes:
    return C.example()


@pytest.mark.parametrize("case", sorted(H.EXTENT_CASES))
def test_preflight_finds_every_extent(base, case):
    found = preflight(H.EXTENT_CASES[case](base), case + ".xlsx")
    assert [f.rule_id for f in found.findings] == ["SEC008"], found.findings
    assert found.unsafe


def test_part_outside_worksheets_is_named_by_its_relationship(base):
    found = preflight(H.far_cell_part_elsewhere(base))
    assert "xl/data/blob1.bin" in found.findings[0].message


def test_check_applies_the_preflight_and_goes_on(base, tmp_path, capsys):
    for case, build in H.EXTENT_CASES.items():
        (tmp_path / f"{case}.xlsx").write_bytes(build(base))
    (tmp_path / "zz_good.xlsx").write_bytes(base)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()}
    rc = main(["check", str(tmp_path), "--json"])
    doc = json.loads(capsys.readouterr().out)
    by_name = {Path(f["file"]).name: f for f in doc["files"]}
    assert rc == 2  # some files could not be checked
    for case in H.EXTENT_CASES:
        f = by_name[f"{case}.xlsx"]
        assert f["checked"] is False and [x["rule_id"] for x in f["findings"]] == ["SEC008"], case
    assert by_name["zz_good.xlsx"]["checked"] is True and by_name["zz_good.xlsx"]["findings"] == []
    assert before == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()}


def _boom(item):
    if item == "abort":
        import os

        os.abort()
    if item == "hang":
        import time

        time.sleep(60)
    if item == "memory":
        return len(bytearray(8 << 30))
    if item == "raise":
        raise ValueError("坏")
    return item.upper()


def test_guard_survives_abort_hang_memory_and_keeps_order():
    items = ["a", "abort", "b", "hang", "memory", "raise", "c"]
    got = list(guarded_map(_boom, items, jobs=2, timeout=3, memory_mb=512))
    assert [i for i, _r in got] == items
    results = dict(got)
    assert results["a"] == "A" and results["b"] == "B" and results["c"] == "C"
    assert isinstance(results["abort"], Fault) and results["abort"].kind == "crash" and "SIGABRT" in results["abort"].detail
    assert isinstance(results["hang"], Fault) and results["hang"].kind == "timeout"
    assert isinstance(results["memory"], Fault) and results["memory"].kind == "crash"
    assert isinstance(results["raise"], Fault) and "坏" in results["raise"].detail


def test_guard_catches_calamine_abort_when_preflight_is_loosened(base, tmp_path):
    """Without the extent limit calamine really aborts (signal 6): the worker dies, the next file is checked."""
    bad, good = tmp_path / "bad.xlsx", tmp_path / "good.xlsx"
    bad.write_bytes(H.far_cell_single_quotes(base))
    good.write_bytes(base)
    fn = functools.partial(check_file, limits=NO_EXTENT_LIMIT)
    got = dict(guarded_map(fn, [bad, good], timeout=60, memory_mb=1024))
    assert isinstance(got[bad], Fault) and got[bad].kind == "crash"
    assert got[good].checked and got[good].passed


def test_intake_records_sec090_for_the_file_that_kills_its_worker(base, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a_bad.xlsx").write_bytes(H.far_cell_single_quotes(base))
    (inbox / "b_good.xlsx").write_bytes(base)
    out = tmp_path / "out"
    cfg = Config(out=str(out), limits=NO_EXTENT_LIMIT, annotate=False, timeout_s=60, worker_memory_mb=1024)
    outcome = run_intake(iter_sources([inbox], exclude=[out]), cfg)
    rows = {r["file_name"]: r for r in outcome.submissions}
    assert rows["b_good.xlsx"]["status"] == "passed"
    bad = rows["a_bad.xlsx"]
    assert bad["status"] in ("rejected", "unreadable") and "SEC090" in bad["report_json"]
    stored = out / bad["stored_path"]  # not lost: kept, and it is the file that was sent
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == bad["sha256"] == hashlib.sha256((inbox / "a_bad.xlsx").read_bytes()).hexdigest()
