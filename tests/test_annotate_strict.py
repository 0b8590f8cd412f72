"""A Strict Open XML workbook (Excel's "Strict Open XML 电子表格"): checked like its Transitional twin,
and its annotated copy patched in place, staying Strict, with the same marks as the Transitional copy."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from perfeval_xl.check import check_path
from perfeval_xl.errors import UserError
from perfeval_xl.outputs.annotate import RESULTS_SHEET, annotate
from perfeval_xl.outputs.ooxml_strict import to_transitional
from strict_ooxml import STRICT_DOCUMENT_REL, STRICT_MAIN, strict_copy, transitional_uris
from test_annotate_patch import marks_of, package_problems

SEED = Path(__file__).resolve().parent.parent / "workbook_templates" / "examples" / "seed_furong_2020.xlsx"


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """(transitional, strict) copies of the seed example."""
    d = tmp_path_factory.mktemp("strict")
    t, s = d / "transitional.xlsx", d / "strict.xlsx"
    t.write_bytes(SEED.read_bytes())
    s.write_bytes(strict_copy(SEED.read_bytes()))
    return t, s


@pytest.fixture(scope="module")
def copies(pair, tmp_path_factory):
    d = tmp_path_factory.mktemp("copies")
    t, s = pair
    return annotate(t, check_path(t), d / "t.xlsx"), annotate(s, check_path(s), d / "s.xlsx")


def _members(data: bytes) -> dict[str, bytes]:
    z = zipfile.ZipFile(io.BytesIO(data))
    return {n: z.read(n) for n in z.namelist()}


def _strict_names(data: bytes) -> None:
    m = _members(data)
    assert transitional_uris(data) == []
    assert m["xl/workbook.xml"].count(f'xmlns="{STRICT_MAIN}"'.encode()) == 1
    assert STRICT_DOCUMENT_REL.encode() in m["_rels/.rels"]


def test_the_strict_corpus_is_strict_and_libreoffice_reads_it_as_the_original(pair, tmp_path):
    from perfeval_xl.outputs.libreoffice import convert

    t, s = pair
    _strict_names(s.read_bytes())
    a, b = convert([t, s], "xlsx", tmp_path / "lo")
    wa, wb = load_workbook(a), load_workbook(b)
    assert wa.sheetnames == wb.sheetnames and len(wb.sheetnames) > 10
    for title in wa.sheetnames:
        assert [[c.value for c in r] for r in wa[title].iter_rows()] == [[c.value for c in r] for r in wb[title].iter_rows()]


def test_check_reads_strict_like_transitional(pair):
    t, s = pair
    a, b = check_path(t), check_path(s)
    assert a.checked and b.checked and a.template_version == b.template_version
    key = lambda r: [(f.rule_id, f.severity, f.message, [(c.sheet, c.address) for c in f.cells]) for f in r.findings]  # noqa: E731
    assert key(a) == key(b) and a.findings


def test_annotated_copy_stays_strict_and_marks_what_the_transitional_copy_marks(copies, tmp_path):
    t, s = copies
    assert s.warnings == [] and (s.flagged, s.rows) == (t.flagged, t.rows) and s.flagged > 10
    data = s.path.read_bytes()
    _strict_names(data)
    # read back in Transitional names, it is the Transitional copy: same marks, notes, rows, links
    back = tmp_path / "back.xlsx"
    with zipfile.ZipFile(back, "w") as z:
        for name, body in _members(data).items():
            z.writestr(name, to_transitional(body) if name.endswith((".xml", ".rels")) else body)
    assert package_problems(back) == []
    got, want = marks_of(back), marks_of(t.path)
    status = lambda m: [x for x in m["results"] if x[0] != "A4"]  # noqa: E731  (A4 names the file's hash)
    assert status(got) == status(want)
    assert {k: v for k, v in got.items() if k != "results"} == {k: v for k, v in want.items() if k != "results"}


def test_only_the_marked_parts_change_in_the_strict_copy(pair, copies):
    before, after = _members(pair[1].read_bytes()), _members(copies[1].path.read_bytes())
    assert set(before) <= set(after)
    changed = {n for n in before if before[n] != after[n]}
    untouched = {"xl/theme/theme1.xml", "docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"}
    assert changed and not changed & untouched


def test_libreoffice_opens_the_strict_copy_with_fills_and_notes(copies, tmp_path):
    from perfeval_xl.outputs.libreoffice import convert

    s = copies[1].path
    out = convert([s], "xlsx", tmp_path / "lo")[0]
    ours = {k: v for k, v in marks_of(copies[0].path)["cells"].items() if v[1] is not None and v[1][1] == "perfeval 校验"}
    seen = marks_of(out)
    assert len(ours) > 10
    for key, (rgb, note) in ours.items():
        assert seen["cells"][key][0] == rgb, key
        assert seen["cells"][key][1][0].strip() == note[0].strip(), key
    assert load_workbook(out)[RESULTS_SHEET]["A4"].value.startswith("校验结论：不合格")


def test_a_strict_package_the_patcher_cannot_read_is_refused_not_rewritten(pair, tmp_path):
    """openpyxl knows no Strict namespaces: its rewrite would keep one sheet of twelve. Refuse instead."""
    m = _members(pair[1].read_bytes())
    rels = "xl/_rels/workbook.xml.rels"
    m[rels] = m[rels].replace(b"relationships/styles", b"relationships/stylez")
    src = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(src, "w") as z:
        for name, body in m.items():
            z.writestr(name, body)
    report = check_path(src)
    with pytest.raises(UserError, match="Strict Open XML"):
        annotate(src, report, tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()
