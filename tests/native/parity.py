"""Shared by the parity test and its benchmark: workbooks recalculated by LibreOffice against perfeval check.

A workbook's verdict is read from its own 校验结果 rows (status per native check,
computed by LibreOffice) and compared with the native findings of ``check_path``
as (rule, sheet, cell, severity), plus the two workbook names.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from openpyxl import load_workbook

from perfeval_xl.check.engine import check_path
from perfeval_xl.rules.excel_backend import ERROR, PASS, ROUNDING, UNCHECKED, WARNING, native_checks
from perfeval_xl.rules.native import native_ids
from perfeval_xl.schema import SCHEMA, FieldType
from perfeval_xl.template.layout import layout
from perfeval_xl.template.results_layout import ERRORS_NAME, NATIVE_FIRST_ROW, STATUS_COLUMN, WARNINGS_NAME
from perfeval_xl.outputs.libreoffice import convert
from perfeval_xl.schema.values import to_cell
from perfeval_xl.template.writer import build_workbook

SEVERITY_OF = {ERROR: "error", WARNING: "warning", ROUNDING: "warning"}


@lru_cache(maxsize=None)  # the tests read each recalculated workbook once
def workbook_verdict(path: Path) -> tuple[Counter, tuple[int, int], list[str]]:
    """(Counter of (rule, sheet, cell, severity) the workbook itself reports, (errors, warnings) names, odd statuses)."""
    wb = load_workbook(path, data_only=True)
    ws = wb["校验结果"]
    found, odd = Counter(), []
    for i, chk in enumerate(native_checks()):
        status = ws[f"{STATUS_COLUMN}{NATIVE_FIRST_ROW + i}"].value
        if status in (PASS, UNCHECKED):
            continue
        if status not in SEVERITY_OF:
            odd.append(f"{chk.rule.id} row {NATIVE_FIRST_ROW + i}: {status!r}")
            continue
        cell = layout().cell(chk.stated)
        found[(chk.rule.id, layout().sheet_title(cell.sheet), cell.address, SEVERITY_OF[status])] += 1
    names = []
    for name in (ERRORS_NAME, WARNINGS_NAME):
        dest = list(wb.defined_names[name].destinations)[0]
        names.append(wb[dest[0]][dest[1].replace("$", "")].value)
    return found, tuple(names), odd


def engine_verdict(path: Path) -> tuple[Counter, tuple[int, int]]:
    report = check_path(path)
    native = native_ids()
    found = Counter()
    errors = warnings = 0
    for f in report.findings:
        if f.rule_id not in native:
            continue
        c = f.primary
        found[(f.rule_id, c.sheet, c.address, f.severity.value)] += 1
        errors += f.severity.value == "error"
        warnings += f.severity.value == "warning"
    return found, (errors, warnings)


def checkable_inputs() -> list[str]:
    """The numeric inputs native checks read (the mutation corpus varies each)."""
    out = {}
    for chk in native_checks():
        for fid in chk.inputs:
            if SCHEMA[fid].is_input and SCHEMA[fid].type.numeric:
                out[fid] = None
    return list(out)


def cell_values(typed: dict) -> dict:
    """Typed example values as their cells hold them (percentages as fractions)."""
    return {fid: to_cell(SCHEMA[fid], v) for fid, v in typed.items() if v is not None}


def _plus(v, d: Decimal):
    return float(Decimal(repr(float(v))) + d)


def mutations(raw: dict, fields: list[str]):
    """(name, raw values) for each checkable input +0.01, +1, blanked and ×10, in Decimal (what a person types)."""
    for fid in fields:
        v = raw.get(fid)
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            continue
        for tag, new in (("+0.01", _plus(v, Decimal("0.01"))), ("+1", _plus(v, Decimal(1))), ("blank", None),
                         ("x10", float(Decimal(repr(float(v))) * 10))):
            changed = dict(raw)
            if new is None:
                changed.pop(fid)
            else:
                changed[fid] = int(new) if isinstance(v, int) and new == int(new) else new
            yield f"{fid} {tag}", changed


class CorpusWriter:
    """One template in memory; each corpus member is its input cells set to a raw value map and saved (fast)."""

    def __init__(self, profile: str = "V1"):
        self.wb = build_workbook(profile=profile)
        lay = layout()
        self.cells = {fid: self.wb[lay.sheet_title(lay.cell(fid).sheet)].cell(lay.cell(fid).row, lay.cell(fid).col)
                      for fid, f in SCHEMA.items() if f.is_input}

    def write(self, raw: dict, path: Path) -> Path:
        for fid, c in self.cells.items():
            v = raw.get(fid)
            if isinstance(v, Decimal):
                v = float(v)
            c.value = v
            if isinstance(v, str):
                c.data_type = "s"  # text stays text, as typed
        self.wb.save(path)
        return path


def recalculate_all(paths: list[Path], outdir: Path, batch: int = 60) -> list[Path]:
    """LibreOffice headless over many files, a batch per soffice process."""
    out = []
    for i in range(0, len(paths), batch):
        out += convert(paths[i:i + batch], "xlsx", outdir)
    return out


def compare(path: Path, recalculated: Path) -> str:
    """"" when the workbook's own verdict equals perfeval check's; otherwise what differs."""
    wb_found, wb_counts, odd = workbook_verdict(recalculated)
    py_found, py_counts = engine_verdict(path)
    if wb_found == py_found and tuple(wb_counts) == py_counts and not odd:
        return ""
    return (f"{path.name}: workbook {dict(wb_found - py_found)} {wb_counts}, perfeval check {dict(py_found - wb_found)} "
            f"{py_counts}{' ' + '; '.join(odd) if odd else ''}")


def examples() -> list[tuple[str, dict]]:
    from perfeval_xl.examples import EXAMPLES, data_path
    from perfeval_xl.readers.data_file import load

    out = []
    for ex in EXAMPLES:
        typed, errors = load(data_path(ex))
        assert not errors, errors
        out.append((ex.stem, cell_values(typed)))
    return out


def fixtures() -> list[tuple[str, dict]]:
    """Every case of a native rule's YAML fixture that is a set of cell values (not a tampered workbook)."""
    import yaml

    from perfeval_xl.docs.rules import fixture_cases

    here = Path(__file__).resolve().parents[1] / "rules"
    baseline = yaml.safe_load((here / "baseline.yml").read_text(encoding="utf-8"))
    out = []
    for rule_id in sorted(native_ids()):
        path = here / "cases" / f"{rule_id}.yml"
        if not path.is_file():
            continue
        for name, case in fixture_cases(yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            if case.get("mutation"):
                continue
            raw = dict(baseline)
            for k, v in (case.get("fields") or {}).items():
                if v is None:
                    raw.pop(k, None)
                else:
                    raw[k] = v
            out.append((f"{rule_id}.{name}", raw))
    return out


def corpus(every: int = 1) -> list[tuple[str, dict]]:
    """Examples, native fixtures, then the mutations of every example (every ``every``-th of them)."""
    fields = checkable_inputs()
    muts = [(f"{stem} {name}", raw) for stem, base in examples() for name, raw in mutations(base, fields)]
    return examples() + fixtures() + muts[::every]
