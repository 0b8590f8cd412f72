"""Issue 14, memory and time: a cell text past Excel's 32,767 characters is refused (SEC009) before any reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import hostile_corpus as H
import intake_corpus as C
from perfeval_xl.cli import main
from perfeval_xl.preflight import preflight
from perfeval_xl.preflight.cell_text import TextSpan, longest_text


@pytest.fixture(scope="module")
def base() -> bytes:
    return C.example()


SMALL = {k: v for k, v in H.CELL_TEXT_CASES.items() if k != "long_inline_string"}  # the 30 MB one runs in the batch below


@pytest.mark.parametrize("case", sorted(SMALL))
def test_over_long_cell_text_is_refused(base, case):
    found = preflight(SMALL[case](base), case + ".xlsx")
    assert [f.rule_id for f in found.findings] == ["SEC009"], found.findings
    assert found.unsafe and found.blocked
    assert "32,767" in found.findings[0].message


@pytest.mark.parametrize("case", sorted(H.CELL_TEXT_WITHIN))
def test_text_within_the_limit_is_accepted(base, case):
    found = preflight(H.CELL_TEXT_WITHIN[case](base), case + ".xlsx")
    assert found.findings == []


def test_the_message_names_the_part_and_the_cell(base):
    inline = preflight(H.one_past_the_limit(base)).findings[0]
    assert "xl/worksheets/sheet1.xml" in inline.message and "B5" in inline.message and "32,768" in inline.message
    shared = preflight(H.long_rich_text_runs(base)).findings[0]
    assert "xl/sharedStrings.xml" in shared.message and "第 2 个共享字符串" in shared.message


RUNS = b"".join(b"<r><rPr><color rgb=\"FF0000\"/></rPr><t>" + b"q" * 900 + b"</t></r>" for _ in range(40))
LONG_TEXTS = {  # (shared-strings part?, XML): each holds a text of more than 32,767 characters
    "inline_one_run": (False, b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>' + b"z" * 40_000 + b"</t></is></c></row>"),
    "inline_rich_runs": (False, b'<row r="1"><c r="A1"><v>1</v></c><c r="B1" t="inlineStr"><is>' + RUNS + b"</is></c></row>"),
    "inline_prefixed": (False, b'<x:row><x:c t="inlineStr"><x:is>' + RUNS.replace(b"<", b"<x:").replace(b"<x:/", b"</x:")
                        + b"</x:is></x:c></x:row>"),
    "cached_value": (False, b'<c r="A1" t="str"><f>x</f><v>' + b"v" * 33_000 + b"</v></c>"),
    "shared_rich_runs": (True, b"<sst><si><t>a</t></si><si>" + RUNS + b"</si><si><t>b</t></si></sst>"),
    "shared_last": (True, b"<sst><si><t>a</t></si><si>" + RUNS),
}


@pytest.mark.parametrize("case", sorted(LONG_TEXTS))
def test_byte_bounds_never_miss_a_long_text(case):
    """The first pass may suspect too much (bytes ≥ characters), never too little: every chunking of a long text is caught."""
    shared, body = LONG_TEXTS[case]
    for size in (1, 7, 4096, 16_384, 32_768, 65_536, 1 << 20):
        span = TextSpan(shared_strings=shared)
        for i in range(0, len(body), size):
            span.feed(body[i:i + size])
        assert span.needs_count(), size


def test_clean_parts_are_not_counted_again(base):
    """The exact count (a second inflate) is for suspicious parts only: the bundled examples need none."""
    import zipfile, io

    with zipfile.ZipFile(io.BytesIO(base)) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                span = TextSpan(shared_strings=False)
                data = zf.read(name)
                for i in range(0, len(data), 1 << 16):
                    span.feed(data[i:i + (1 << 16)])
                assert not span.needs_count(), name


def test_exact_count_stops_at_the_first_long_text():
    chunks = [b"<sst><si><t>", b"a" * 20_000, b"</t></si><si><t>", b"b" * 40_000, b"</t></si><si><t>ok</t></si></sst>"]
    chars, where = longest_text(iter(chunks))
    assert chars > 32_767 and where == "第 2 个共享字符串"
    assert longest_text(iter([b"<sst><si><t>short</t></si></sst>"])) is None


def test_thirty_megabytes_in_one_cell_in_intake_and_check(base, tmp_path, capsys):
    """The issue's case: refused with SEC009 by both commands, the good file next to it still checked."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a_long.xlsx").write_bytes(H.long_inline_string(base))
    (inbox / "b_good.xlsx").write_bytes(base)
    rc = main(["check", str(inbox), "--json"])
    doc = json.loads(capsys.readouterr().out)
    by_name = {Path(f["file"]).name: f for f in doc["files"]}
    assert rc == 2
    assert [x["rule_id"] for x in by_name["a_long.xlsx"]["findings"]] == ["SEC009"]
    assert by_name["b_good.xlsx"]["checked"] is True
    out = tmp_path / "out"
    main(["intake", str(inbox), "--out", str(out), "-q", "--no-annotate"])
    rows = {r["file_name"]: r for r in C.ledger_rows(out)}
    assert rows["a_long.xlsx"]["status"] == "rejected" and "SEC009" in rows["a_long.xlsx"]["report_json"]
    assert rows["a_long.xlsx"]["stored_path"].startswith("rejected/")
    assert rows["b_good.xlsx"]["status"] in ("passed", "failed")
