"""`perfeval check` inflates a package once: the reader works from the parts the pre-flight kept.

Both paths must read a workbook identically (the examples and every tampering case), the
canonical-extent shortcut must count what the tag-by-tag scan counts however the part is cut
into chunks, and a file that changes after its pre-flight is read as it was vetted.
"""

from __future__ import annotations

import dataclasses
import pickle
import random
from pathlib import Path

import pytest

import hostile_corpus as H
import intake_corpus as C
from perfeval_xl.preflight import preflight
from perfeval_xl.preflight.checked import check_file
from perfeval_xl.preflight.scan import _Extent
from perfeval_xl.readers.workbook import Inflated, read_workbook

EXAMPLES = ("synthetic", "hunan_unit_2018", "seed_furong_2020")


def _read_both(path: Path) -> tuple[dict, dict]:
    data = path.read_bytes()
    pf = preflight(data, path.name, keep_parts=True)
    assert pf.names
    plain = read_workbook(path)
    shared = read_workbook(path, parts=Inflated(data, pf.parts, pf.names))

    def facts(d):
        out = dataclasses.asdict(dataclasses.replace(d, read_cells=None))
        out["problems"] = [(p.code, p.detail, p.sheet, p.address, p.field_id) for p in d.problems]
        return out

    return facts(plain), facts(shared)


@pytest.mark.parametrize("stem", EXAMPLES)
def test_examples_read_alike_from_kept_parts(tmp_path, stem):
    path = tmp_path / f"{stem}.xlsx"
    path.write_bytes(C.example(stem))
    plain, shared = _read_both(path)
    assert plain == shared
    assert plain["raw"] and plain["defined_names"]
    assert "xl/workbook.xml" in preflight(path.read_bytes(), keep_parts=True).parts


@pytest.mark.parametrize("case", sorted(k for k, (_f, rule) in H.TAMPER_CASES.items() if rule.startswith("STR")))
def test_tampered_workbooks_read_alike_from_kept_parts(tmp_path, case):
    path = tmp_path / f"{case}.xlsx"
    path.write_bytes(H.TAMPER_CASES[case][0](C.example()))
    plain, shared = _read_both(path)
    assert plain == shared
    assert plain["problems"] or plain["input_formulas"] or plain["input_errors"]


def test_file_replaced_after_preflight_is_read_as_vetted(tmp_path, monkeypatch):
    """The reader takes the vetted bytes: swapping the file between pre-flight and read changes nothing."""
    from perfeval_xl.preflight import checked

    path = tmp_path / "a.xlsx"
    good = C.example()
    path.write_bytes(good)
    real = checked.preflight

    def swap_after(data, name, limits, **kw):
        out = real(data, name, limits, **kw)
        path.write_bytes(H.far_cell_double_quotes(good))  # what the pre-flight would have refused
        return out

    monkeypatch.setattr(checked, "preflight", swap_after)
    report = check_file(path)
    assert report.checked and not any(f.rule_id.startswith("SEC") for f in report.findings)
    assert report.sha256 == __import__("hashlib").sha256(good).hexdigest()


def test_evaluator_cells_read_after_a_worker_sends_the_workbook_back(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(C.example())
    data = read_workbook(path)
    sheet = data.sheet_names[0]
    again = pickle.loads(pickle.dumps(data))
    assert again.read_cells(sheet, ["A1"]) == data.read_cells(sheet, ["A1"])
    assert data.read_cells(sheet, ["A1"])["A1"] not in (None, "")


def _extent(xml: bytes, cuts: list[int], fast: bool) -> tuple[int, int]:
    e = _Extent()
    if not fast:
        e._fast = lambda scan, end: False
    last = 0
    for cut in cuts + [len(xml)]:
        e.feed(xml[last:cut])
        last = cut
    return e.result()


SHEETS = {
    "cell below its row": b'<sheetData><row r="2"><c r="A2"/><c r="C900"/></row></sheetData>',
    "rows out of order": b'<sheetData><row r="70"><c r="B70"/></row><row r="3"><c r="AB3"/></row></sheetData>',
    "cell without r after canonical ones": b'<sheetData><row r="4"><c r="Y4"/><c><v>1</v></c></row></sheetData>',
    "row without r after a canonical row": b'<sheetData><row r="9"><c r="A9"/></row><row><c r="B10"/></row><row/></sheetData>',
    "prefixed tags": b'<x:sheetData><x:row r="5"><x:c r="D5"/></x:row></x:sheetData>',
    "single quotes": b"<sheetData><row r='12'><c r='E12'/></row></sheetData>",
    "r not first": b'<sheetData><row spans="1:2" r="6"><c s="1" r="F6"/></row></sheetData>',
    "no cells": b'<sheetData><cols><col min="1" max="9"/></cols></sheetData>',
}


@pytest.mark.parametrize("name", sorted(SHEETS))
def test_extent_shortcut_counts_as_the_tag_scan(name):
    xml = SHEETS[name]
    rng = random.Random(name)
    for _ in range(40):
        cuts = sorted(rng.sample(range(1, len(xml)), k=min(len(xml) - 1, rng.randint(0, 6))))
        assert _extent(xml, cuts, fast=True) == _extent(xml, cuts, fast=False), cuts


def test_extent_shortcut_on_real_sheets():
    import zipfile
    import io

    zf = zipfile.ZipFile(io.BytesIO(C.example("seed_furong_2020")))
    sheets = [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
    rng = random.Random(7)
    for xml in sheets:
        cuts = sorted(rng.sample(range(1, len(xml)), k=5))
        assert _extent(xml, cuts, fast=True) == _extent(xml, cuts, fast=False)
        assert _extent(xml, cuts, fast=True)[0] > 1


@pytest.mark.parametrize("fast", [True, False])
def test_a_decoy_end_does_not_stop_the_count_wherever_the_chunks_are_cut(fast):
    xml = b'<sheetData><row r="1"><c r="A1"/></row><!-- </sheetData> --><row r="70"><c r="D70"/></row></sheetData>'
    for cut in range(1, len(xml)):
        assert _extent(xml, [cut], fast) == (70, 4), cut


def _sheets(data: bytes):
    import io
    import zipfile

    zf = zipfile.ZipFile(io.BytesIO(data))
    for name in zf.namelist():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            yield zf, name


def _same_by_one_scan(xml: bytes, prefix: bytes, formats: list[str]) -> bool:
    """Whether the one findall of the cells gave what the scan per question gives; False when it could not be used."""
    from perfeval_xl.readers import workbook as W

    cells = W._usual_cells(xml, prefix)
    owned, inputs = W._derived_addresses_cached(), W._input_addresses_cached()
    for title in owned:
        wanted = inputs.get(title, frozenset()) | {f"{c}{r}" for c in "ABCDEFGH" for r in range(1, 80)}
        for addresses, typed in ((owned[title], wanted), (W._EVERY_CELL, frozenset())):
            assert W._formulas(xml, prefix, title, addresses, typed, cells) == W._formulas(xml, prefix, title, addresses, typed)
        assert W._cell_formats(xml, title, wanted, formats, cells) == W._cell_formats_each(xml, title, wanted, formats)
    return cells is not None


@pytest.mark.parametrize("case", ["example", "prefixed"] + sorted(H.TAMPER_CASES))
def test_one_scan_of_the_cells_reads_formulas_and_formats_as_a_scan_per_question(case):
    """The one findall of a sheet's cells finds each formula and each format the separate scans find."""
    from perfeval_xl.readers import workbook as W

    build = {"example": lambda b: b, "prefixed": H.far_cell_prefixed}.get(case) or H.TAMPER_CASES[case][0]
    usual = []
    for zf, name in _sheets(build(C.example())):
        xml, prefix, _protected = W._sheet_data(zf, name)
        usual.append(_same_by_one_scan(xml, prefix, W._xf_formats(zf)))
    assert any(usual) and (all(usual) or case == "prefixed")


SHEET_CELLS = (b'<sheetData><row r="3"><c r="B3" s="2"><f t="shared" ref="B3:B5" si="0">A3*2</f><v>2</v></c>'
               b'<c r="C3" s="1"><f t="array" ref="C3">SUM(A1:A2)</f></c><c r="D3" s="3" t="e"><v>#REF!</v></c></row>'
               b'<row r="4"><c r="B4" s="2"><f t="shared" si="0"/><v>4</v></c><c r="C4"/><c r="D4" s="9"><f>1+1</f></c></row>'
               b'<row r="5"><c r="B5"><f t="shared" si="0"/></c><c r="C5" s="1">\n <f>C4&amp;"&lt;"</f></c></row></sheetData>')
ODD_CELLS = {"r not first": b'<c s="1" r="E5"/>', "single quotes": b"<c r='E5'/>", "no r": b"<c><v>1</v></c>",
             "prefixed": b'<x:c r="E5"/>'}


def test_one_scan_expands_shared_formulas_and_reads_styles_as_the_scan_per_question():
    assert _same_by_one_scan(SHEET_CELLS, b"", ["General", "0", "0.00", "0%"])


@pytest.mark.parametrize("odd", sorted(ODD_CELLS))
def test_a_cell_tag_written_otherwise_sends_the_sheet_to_the_scan_per_question(odd):
    xml = SHEET_CELLS.replace(b"</row></sheetData>", ODD_CELLS[odd] + b"</row></sheetData>")
    assert not _same_by_one_scan(xml, b"", ["General", "0", "0.00", "0%"])


def test_parts_not_kept_are_inflated_by_the_reader(tmp_path, monkeypatch):
    """Past the kept-bytes budget the pre-flight keeps nothing more; the reader inflates the rest and reads alike."""
    from perfeval_xl.preflight import scan

    path = tmp_path / "a.xlsx"
    path.write_bytes(C.example())
    data = path.read_bytes()
    whole = preflight(data, path.name, keep_parts=True).parts
    budget = sum(map(len, whole.values())) // 2  # half of what would be kept: some parts must be left out
    monkeypatch.setattr(scan, "KEEP_TOTAL_MAX", budget)
    pf = preflight(data, path.name, keep_parts=True)
    assert 0 < len(pf.parts) < len(whole) and sum(map(len, pf.parts.values())) <= budget
    plain, shared = _read_both(path)
    assert plain == shared
