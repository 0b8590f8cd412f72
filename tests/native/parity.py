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
from perfeval_xl.rules.excel_backend import ERROR, HINT, PASS, ROUNDING, UNCHECKED, WARNING, native_checks
from perfeval_xl.rules.native import native_ids, row_rule, zero_base_rule
from perfeval_xl.schema import SCHEMA, FieldType
from perfeval_xl.template.layout import layout
from perfeval_xl.template.results_layout import ERRORS_NAME, NATIVE_FIRST_ROW, STATUS_COLUMN, WARNINGS_NAME
from perfeval_xl.template.results_sheet import COLUMNS, field_cells
from perfeval_xl.outputs.libreoffice import convert
from perfeval_xl.schema.values import to_cell
from perfeval_xl.template.writer import build_workbook

SEVERITY_OF = {ERROR: "error", WARNING: "warning", ROUNDING: "warning", HINT: "info"}


@lru_cache(maxsize=None)  # the tests read each recalculated workbook once
def workbook_verdict(path: Path) -> tuple[Counter, tuple[int, int], list[str]]:
    """(Counter of (rule, sheet, cell, severity) the workbook itself reports, (errors, warnings) names, odd statuses)."""
    wb = load_workbook(path, data_only=True)
    ws = wb["校验结果"]
    found, odd = Counter(), []
    codes = {fid: ws[f"{c}{r}"].value for fid, (_, _, _, c, r) in field_cells().items()}
    for i, chk in enumerate(native_checks()):
        status = ws[f"{STATUS_COLUMN}{NATIVE_FIRST_ROW + i}"].value
        if chk.per_cell:  # a value rule: the cells it names are in the field table
            for fid, code in codes.items():
                if code == chk.rule.id:
                    cell = layout().cell(fid)
                    found[(code, layout().sheet_title(cell.sheet), cell.address, chk.rule.severity.value)] += 1
            if (status != PASS) != any(code == chk.rule.id for code in codes.values()):
                odd.append(f"{chk.rule.id} row {NATIVE_FIRST_ROW + i}: {status!r} against its cells")
            continue
        if status in (PASS, UNCHECKED):
            continue
        if status not in SEVERITY_OF:
            odd.append(f"{chk.rule.id} row {NATIVE_FIRST_ROW + i}: {status!r}")
            continue
        cell = layout().cell(chk.stated)
        rule = chk.rule.id
        if "mode" in chk.formulas and ws[f"{COLUMNS['mode']}{NATIVE_FIRST_ROW + i}"].value == "zero":
            rule = zero_base_rule().id  # a ratio on a zero base: the row gives RATE012's verdict
        # a check whose finding names the first filled of several cells: its 单元格 link says which
        address = ws[f"E{NATIVE_FIRST_ROW + i}"].value if chk.primaries else cell.address
        found[(rule, layout().sheet_title(cell.sheet), address, SEVERITY_OF[status])] += 1
    names = []
    for name in (ERRORS_NAME, WARNINGS_NAME):
        dest = list(wb.defined_names[name].destinations)[0]
        names.append(wb[dest[0]][dest[1].replace("$", "")].value)
    return found, tuple(names), odd


def engine_verdict(path: Path) -> tuple[Counter, tuple[int, int]]:
    report = check_path(path)
    found = Counter()
    errors = warnings = 0
    for f in report.findings:
        if not f.native:  # a Python-only rule, or a finding no formula can see (a date in a number cell)
            continue
        c = f.primary
        found[(row_rule(f.rule_id), c.sheet, c.address, f.severity.value)] += 1  # VAL003/VAL004 show in VAL002's row
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


def mutations(raw: dict, fields: list[str], more: bool = False):
    """(name, raw values) for each checkable input +0.01, +1, blanked and ×10, in Decimal (what a person types).

    ``more``: also negated and +0.001 (the value rules: negative, a decrease beyond 100 %, too many decimals).
    """
    for fid in fields:
        v = raw.get(fid)
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            continue
        tags = [("+0.01", _plus(v, Decimal("0.01"))), ("+1", _plus(v, Decimal(1))), ("blank", None),
                ("x10", float(Decimal(repr(float(v))) * 10))]
        if more:
            tags += [("negated", float(-Decimal(repr(float(v))))), ("+0.001", _plus(v, Decimal("0.001")))]
            if SCHEMA[fid].type is FieldType.PERCENT and SCHEMA[fid].min is not None and SCHEMA[fid].min < 0:
                tags.append(("-150%", -1.5))  # a decrease beyond 100 % (RATE011), or below another bound
        for tag, new in tags:
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
        self.formats = {fid: c.number_format for fid, c in self.cells.items()}

    def write(self, raw: dict, path: Path) -> Path:
        for fid, c in self.cells.items():
            v = raw.get(fid)
            if isinstance(v, Decimal):
                v = float(v)
            c.number_format = self.formats[fid]  # a date written earlier leaves a date format behind
            c.value = v
            if isinstance(v, str):
                c.data_type = "s"  # text stays text, as typed
        self.wb.save(path)
        return path


def recalculate_all(paths: list[Path], outdir: Path, batch: int = 30) -> list[Path]:
    """LibreOffice headless over many files, a batch per soffice process (time allowed: 30 s a file, a loaded machine)."""
    out = []
    for i in range(0, len(paths), batch):
        chunk = paths[i:i + batch]
        out += convert(chunk, "xlsx", outdir, timeout=30 * len(chunk) + 60)
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
            if any(isinstance(v, bool) and SCHEMA[k].type.numeric for k, v in (case.get("fields") or {}).items()):
                continue  # TRUE/FALSE in a number cell: Excel and WPS flag it, LibreOffice (this harness) reads 1/0
            raw = dict(baseline)
            for k, v in (case.get("fields") or {}).items():
                if v is None:
                    raw.pop(k, None)
                else:
                    raw[k] = v
            out.append((f"{rule_id}.{name}", raw))
    return out


# Ratio boundaries, each (what, changes to the synthetic example): a stated rate exactly at, just inside and
# just outside its rounding and truncation intervals, with exact (counts) and rounded (money) figures.
# Percentages are typed as fractions, as the cells hold them.
RATIO_BOUNDARIES = (
    # 1/8 = 12.5 % exactly; counts are exact, so only the printed rate's interval counts
    ("count exact 12.50", {"staff.onpost.total": 1, "staff.quota.total": 8, "staff.control_rate": 0.125}),
    ("count rounded up 13 at 0 decimals", {"staff.onpost.total": 1, "staff.quota.total": 8, "staff.control_rate": 0.13,
                                           "report.rate_decimals": 0}),
    ("count truncated 12 at 0 decimals", {"staff.onpost.total": 1, "staff.quota.total": 8, "staff.control_rate": 0.12,
                                          "report.rate_decimals": 0}),
    ("count 11 at 0 decimals", {"staff.onpost.total": 1, "staff.quota.total": 8, "staff.control_rate": 0.11,
                                "report.rate_decimals": 0}),
    ("count 14 at 0 decimals", {"staff.onpost.total": 1, "staff.quota.total": 8, "staff.control_rate": 0.14,
                                "report.rate_decimals": 0}),
    ("count touching 12.49", {"staff.onpost.total": 1, "staff.quota.total": 8, "staff.control_rate": 0.1249}),
    ("count outside 12.48", {"staff.onpost.total": 1, "staff.quota.total": 8, "staff.control_rate": 0.1248}),
    ("count outside 12.51", {"staff.onpost.total": 1, "staff.quota.total": 8, "staff.control_rate": 0.1251}),
    # 2/3 = 66.666…: 66.67 rounded, 66.66 truncated, one more digit either way is wrong
    ("count rounded 66.67", {"staff.onpost.total": 2, "staff.quota.total": 3, "staff.control_rate": 0.6667}),
    ("count truncated 66.66", {"staff.onpost.total": 2, "staff.quota.total": 3, "staff.control_rate": 0.6666}),
    ("count 66.65", {"staff.onpost.total": 2, "staff.quota.total": 3, "staff.control_rate": 0.6665}),
    ("count 66.68", {"staff.onpost.total": 2, "staff.quota.total": 3, "staff.control_rate": 0.6668}),
    ("count typed 66.667 (3 decimals)", {"staff.onpost.total": 2, "staff.quota.total": 3, "staff.control_rate": 0.66667}),
    ("count typed 66.6 (1 decimal, read at 2)", {"staff.onpost.total": 2, "staff.quota.total": 3, "staff.control_rate": 0.666}),
    # money: (0.13 − 0.005) / (0.62 + 0.005) = 20 % exactly, the top of 19.99's printed interval
    ("money touching 19.99", {"budget.fiscal_final": 0.13, "budget.fiscal_initial": 0.62, "budget.fiscal_completion_rate": 0.1999}),
    ("money outside 19.98", {"budget.fiscal_final": 0.13, "budget.fiscal_initial": 0.62, "budget.fiscal_completion_rate": 0.1998}),
    ("money exact 20.97", {"budget.fiscal_final": 0.13, "budget.fiscal_initial": 0.62, "budget.fiscal_completion_rate": 0.2097}),
    ("money truncated 20.96", {"budget.fiscal_final": 0.13, "budget.fiscal_initial": 0.62, "budget.fiscal_completion_rate": 0.2096}),
    # 1.00 / 2.00 with both figures rounded: anything in [49.626…, 50.376…] is a rounding difference
    ("money rounding 50.38", {"budget.fiscal_final": 1, "budget.fiscal_initial": 2, "budget.fiscal_completion_rate": 0.5038}),
    ("money outside 50.39", {"budget.fiscal_final": 1, "budget.fiscal_initial": 2, "budget.fiscal_completion_rate": 0.5039}),
    ("money rounding 49.62", {"budget.fiscal_final": 1, "budget.fiscal_initial": 2, "budget.fiscal_completion_rate": 0.4962}),
    ("money outside 49.61", {"budget.fiscal_final": 1, "budget.fiscal_initial": 2, "budget.fiscal_completion_rate": 0.4961}),
    ("rate at 3 decimals", {"budget.fiscal_final": 1, "budget.fiscal_initial": 3, "budget.fiscal_completion_rate": 0.33333,
                            "report.rate_decimals": 3}),
    ("rate at 3 decimals truncated", {"budget.fiscal_final": 2, "budget.fiscal_initial": 3, "budget.fiscal_completion_rate": 0.66666,
                                      "report.rate_decimals": 3}),
    ("money zero base", {"budget.fiscal_final": 0.12, "budget.fiscal_initial": 0, "budget.fiscal_completion_rate": 0.5}),
    ("money zero base, zero rate, zero numerator", {"budget.fiscal_final": 0, "budget.fiscal_initial": 0,
                                                    "budget.fiscal_completion_rate": 0}),
    ("money zero base, zero rate, a numerator", {"budget.fiscal_final": 0.5, "budget.fiscal_initial": 0,
                                                 "budget.fiscal_completion_rate": 0}),
    ("count zero base, 100 %", {"staff.onpost.total": 3, "staff.quota.total": 0, "staff.control_rate": 1}),
    ("money base within a cent of zero", {"budget.fiscal_final": 0.12, "budget.fiscal_initial": 0.01,
                                          "budget.fiscal_completion_rate": 9}),
    ("money 0 decimals", {"budget.fiscal_final": 3, "budget.fiscal_initial": 7, "budget.fiscal_completion_rate": 0.5,
                          "report.money_decimals": 0}),
    ("money 4 decimals", {"budget.fiscal_final": 1.2345, "budget.fiscal_initial": 2.4691, "budget.fiscal_completion_rate": 0.5,
                          "report.money_decimals": 4}),
    ("large figures", {"budget.fiscal_final": 98765432.1, "budget.fiscal_initial": 87654321.99,
                       "budget.fiscal_completion_rate": 1.1268}),
    ("output row blank plan", {"outputs.r01.actual": 5, "outputs.r01.rate": 0.5}),
    ("output row 155/157", {"outputs.r01.plan": 157, "outputs.r01.actual": 155, "outputs.r01.rate": 0.9873}),
    ("output row 155/157 wrong", {"outputs.r01.plan": 157, "outputs.r01.actual": 155, "outputs.r01.rate": 0.989}),
)


# One of each value rule, whatever share of the mutations a run takes.
VALUE_CASES = (
    ("count not whole", {"staff.quota.admin": 30.5}),
    ("negative money", {"budget.added": -300.0}),
    ("money with a third decimal", {"budget.initial": 2900.001}),
    ("decrease beyond 100 %", {"staff.control_rate": 0.9333, "budget.gap_rate": -1.5}),
    # anything but a number in a number cell: one row (VAL002) for text, numbers stored as text and formula text
    # (not TRUE/FALSE: LibreOffice reads a logical value in a number-formatted cell as 1/0, Excel does not)
    ("text in a money cell", {"exp.basic": "abc"}),
    ("number stored as text", {"exp.basic": "1,641.81", "staff.quota.admin": "30"}),
    ("formula left as text", {"inc.general_budget": "=1+2"}),
    ("only an ideographic space: blank", {"exp.basic": "\u3000", "staff.quota.admin": " \t"}),
    ("text in a rate cell", {"staff.control_rate": "95%"}),
    # text cells: formula text (VAL004, in VAL002's row), a choice not in the dropdown (VAL009)
    ("formula text in a name cell", {"dept.name": "=A1", "narrative.project_mgmt": "  =SUM(1,2)"}),
    ("a lone equals sign is text", {"contact.name": "= "}),
    ("a choice not in the dropdown", {"eval.method": "自评", "projects.r01.key": "Y"}),
    ("choices with half-width brackets and spaces", {"eval.method": "部门(单位)绩效自评", "projects.r01.key": "\u3000是 "}),
    ("a number in a choice cell", {"building.status": 1, "projects.r01.source": 2020}),
    ("a choice with a space inside", {"projects.r01.source": "财政 拨款"}),
)


# Plausibility cases both ways and exactly at their thresholds (changes to the synthetic example, where
# every plausibility rule passes): 办公经费 budget 55, 水电差旅 78, 会议 10; 编制 45; “三公” final 19.80.
_NA = "不适用（本年无完工项目）"
PLAUS_BOUNDARIES = (
    ("onpost over quota", {"staff.onpost.total": 46}),
    ("onpost equal to quota", {"staff.onpost.total": 45}),
    ("quota 0 with staff", {"staff.quota.total": 0}),
    ("quota text: unchecked", {"staff.quota.total": "四十五"}),
    ("sanggong up a cent", {"spend.sanggong.prior_final": 19.79}),
    ("sanggong unchanged", {"spend.sanggong.prior_final": 19.8}),
    ("sanggong prior 0", {"spend.sanggong.prior_final": 0}),
    ("office at 9 %", {"spend.office.final": 4.95}),
    ("office exactly 10 %", {"spend.office.final": 5.5}),
    ("office just below 10 %", {"spend.office.final": 5.49}),
    ("travel exactly 300 %", {"spend.utilities_travel.final": 234}),
    ("travel just above 300 %", {"spend.utilities_travel.final": 234.01}),
    ("travel at 301 %", {"spend.utilities_travel.final": 234.78}),
    ("meeting budget 0", {"spend.meeting.budget": 0}),
    ("meeting budget and final 0", {"spend.meeting.budget": 0, "spend.meeting.final": 0}),
    ("final over adjusted, no addition", {"budget.final": 3150.01, "budget.added": None}),
    ("final over adjusted, addition 0", {"budget.final": 3150.01, "budget.added": 0}),
    ("final over initial, no adjusted", {"budget.final": 2900.01, "budget.adjusted": None, "budget.added": None}),
    ("reception over budget", {"spend.reception.final": 9.01}),
    ("reception at budget", {"spend.reception.final": 9}),
    ("project over adjusted", {"projects.r01.actual": 420.01}),
    ("project over initial, no adjusted", {"projects.r02.adjusted": None}),
    ("key projects over project spending", {"goals.key_project_amount": 1300.01}),
    ("key projects over the goal's amount", {"goals.key_project_amount": 1300.01, "exp.project": None}),
    ("balance over carry-over (a hint)", {"budget.balance_end": 150.01}),
    ("assets in use over closing", {"assets.fixed.in_use": 542.81}),
    ("not applicable, half-width, with an area", {"building.status": "不适用(本年无完工项目)", "building.approved_area": 100}),
    ("applicable with spaces, nothing filled", {"building.status": " 适用\u3000"}),
    ("applicable with figures", {"building.status": "适用", "building.actual_area": 80, "building.actual_invest": 10}),
    ("not applicable, a figure typed as text", {"building.status": _NA, "building.actual_invest": "约十万"}),
    ("not an option", {"building.status": "适 用"}),
    ("totals in 元 too small: one finding", {"report.money_unit": "元"}),
    ("元: expenditure exactly 1 万元, income below", {"report.money_unit": "元", "exp.total_year": 10000, "inc.total_year": 9999.99}),
    ("亿元: income just above 1 万亿元", {"report.money_unit": "亿元", "inc.total_year": 10000.01}),
    ("亿元: totals exactly 1 万亿元", {"report.money_unit": "亿元", "exp.total_year": 10000, "inc.total_year": 10000}),
    ("亿元 at 4 decimals: exactly 1 万元", {"report.money_unit": "亿元", "report.money_decimals": 4, "exp.total_year": 0.0001,
                                        "inc.total_year": 0.0001}),
)

# Stated shares of the three “三公” items against 100 % (synthetic: 出国 0, so its share is known to be 0):
# each share printed with two decimals lies in [v − 0.005, v + 0.01], so 100.01 and 99.98 are 舍入差异 and
# 100.02 and 99.97 errors; with 出国 blank the shares may only be at most 100 %.
SHARE_BOUNDARIES = (
    ("shares make 100", {"change.reception.share": 0.3636, "change.vehicle.share": 0.6364}),
    ("shares 100.01", {"change.reception.share": 0.3636, "change.vehicle.share": 0.6365}),
    ("shares 100.02", {"change.reception.share": 0.3636, "change.vehicle.share": 0.6366}),
    ("shares 99.98", {"change.reception.share": 0.3636, "change.vehicle.share": 0.6362}),
    ("shares 99.97", {"change.reception.share": 0.3636, "change.vehicle.share": 0.6361}),
    ("a stated 0 share first, 99.97", {"change.abroad.share": 0, "change.reception.share": 0.3636, "change.vehicle.share": 0.6361}),
    ("one share beside an unknown", {"change.vehicle.share": 0.6364, "spend.abroad.final": None}),
    ("unknown part, 100.01", {"change.reception.share": 0.3636, "change.vehicle.share": 0.6365, "spend.abroad.final": None}),
    ("unknown part, 100.02", {"change.reception.share": 0.3636, "change.vehicle.share": 0.6366, "spend.abroad.final": None}),
)


# What a person may leave in a 超支/节约 cell besides an option: padded (still the option), or not an option at all
ODD_CHOICES = (("padded with a full-width space", " 节约\u3000"), ("tab and newline", "\t节约\n"), ("inner space", "节 约"),
               ("longer text", "节约了"), ("half-width words", "saving"), ("a number", 1), ("a logical value", True),
               ("formula text", "=节约"), ("only spaces", "  "),
               ("only a tab", "\t"))


def direction_cases(full: bool = False) -> list[tuple[str, dict]]:
    """The synthetic example with its gaps typed unsigned beside 超支/节约: as reported, each choice flipped or blanked,
    a negative gap with each option (``full``: beside every gap, else two), odd texts in a choice cell."""
    from perfeval_xl.rules.values_rules import DIRECTED
    from perfeval_xl.schema.sheets.expenses import GAP_SIGN

    base = dict(dict(examples())["synthetic"])
    pairs = [(a, d) for a, d in DIRECTED if isinstance(base.get(a), (int, float))]
    ways = {1: "超支", -1: "节约"}
    unsigned = dict(base)
    for a, d in pairs:
        unsigned[a] = abs(base[a])
        unsigned[d] = ways[-1 if base[a] < 0 else 1]
    out = [("unsigned with 超支/节约", unsigned),
           ("unsigned with 增加/减少", {**unsigned, **{d: "减少" if unsigned[d] == "节约" else "增加" for _, d in pairs}})]
    for a, d in (pairs if full else pairs[::3]):
        out.append((f"{d} flipped", {**unsigned, d: ways[-GAP_SIGN[unsigned[d]]]}))
        out.append((f"{d} blank", {k: v for k, v in unsigned.items() if k != d}))
    negative = [p for p in pairs if unsigned[p[0]]] if full else [p for p in pairs if unsigned[p[0]]][:1]
    for a, d in negative:
        for way in GAP_SIGN:
            out.append((f"{a} negative with {way}", {**unsigned, a: -unsigned[a], d: way}))
    a, d = negative[-1]
    for what, text in ODD_CHOICES:
        out.append((f"{d} {what}", {**unsigned, d: text}))
        if full:
            out.append((f"{d} {what}, gap negative", {**unsigned, a: -unsigned[a], d: text}))
    return [(f"direction: {name}", raw) for name, raw in out]


# A figure an identity supplies from a stated amount, which a stated rate alone could also give:
# (the figure, the stated amount, the figure the amount is counted from, the stated rate)
SUPPLIED = (
    ("budget.adjusted", "budget.gap", "budget.final", "budget.gap_rate"),
    ("spend.reception.budget", "change.reception.gap", "spend.reception.final", "change.reception.gap_rate"),
    ("inc.total_prior", "inc.change_amount", "inc.total_year", "inc.change_rate"),
    ("exp.total_prior", "exp.change_amount", "exp.total_year", "exp.change_rate"),
)


def rate_cases(full: bool = False) -> list[tuple[str, dict]]:
    """The synthetic example with a 上年/预算 figure blank: supplied by its stated amount, by its stated rate alone
    (printed rounded or truncated; ``full``: for every figure, else one), by neither, or given impossible by the
    amount while the rate is stated."""
    base = dict(dict(examples())["synthetic"])
    out = []
    for k, (target, amount, later, rate) in enumerate(SUPPLIED):
        blank = {k: v for k, v in base.items() if k != target}
        out.append((f"{target} blank, supplied by {amount}", blank))
        out.append((f"{target} blank, {rate} only", {k: v for k, v in blank.items() if k != amount}))
        out.append((f"{target} blank, {later} blank", {k: v for k, v in blank.items() if k != later}))
        # the amount gives a negative figure (impossible): the identity fails whether or not the rate gives one
        out.append((f"{target} blank, {amount} beyond {later}", {**blank, amount: base[later] + 10}))
        # the stated rate at its printed precision: the exact quotient rounded, truncated, and one digit off
        exact = (Decimal(repr(base[later])) - Decimal(repr(base[target]))) / Decimal(repr(base[target]))
        only = {f: v for f, v in blank.items() if f != amount}
        if k and not full:
            continue
        for how, r in (("rounded", exact.quantize(Decimal("0.0001"), "ROUND_HALF_UP")),
                       ("truncated", exact.quantize(Decimal("0.0001"), "ROUND_DOWN")), ("off", exact.quantize(Decimal("0.0001")) + Decimal("0.0002"))):
            out.append((f"{target} blank, {rate} {how} ({r})", {**only, rate: float(r)}))
    # whether the rate gives a figure when the amount gives an impossible one: no rate; a fall of 100 % or (at its
    # printed precision) reaching it; a later figure of 0 less its rounding below 0
    target, amount, later, rate = SUPPLIED[2]
    beyond = {**{k: v for k, v in base.items() if k != target}, amount: base[later] + 10}
    out.append((f"{target} blank, {amount} beyond {later}, no rate", {k: v for k, v in beyond.items() if k != rate}))
    for r in (-1.0, -0.9999, -0.9998, -0.99995):
        out.append((f"{target} blank, {amount} beyond {later}, {rate} {r:.3%}", {**beyond, rate: r}))
    out.append((f"{target} blank, {later} 0, {amount} beyond it", {**beyond, later: 0.0, amount: 10.0}))
    gap, way = "budget.gap", "budget.gap_direction"
    blank = {k: v for k, v in base.items() if k != "budget.adjusted"}
    out.append(("budget.adjusted blank, gap typed unsigned with 节约", {**blank, gap: abs(base[gap]), way: "节约"}))
    out.append(("budget.adjusted blank, negative gap with 超支", {**blank, gap: -abs(base[gap]), way: "超支"}))
    return [(f"supplied figure: {name}", raw) for name, raw in out]


def ratio_boundaries() -> list[tuple[str, dict]]:
    """The ratio boundary workbooks, one workbook for each value rule, then the plausibility cases."""
    base = dict(examples())["synthetic"]
    out = []
    for kind, cases in (("ratio boundary", RATIO_BOUNDARIES), ("value case", VALUE_CASES), ("plausibility", PLAUS_BOUNDARIES),
                        ("shares", SHARE_BOUNDARIES)):
        for name, changes in cases:
            raw = dict(base)
            raw.update(changes)
            out.append((f"{kind}: {name}", {k: v for k, v in raw.items() if v is not None}))
    return out


def corpus(every: int = 1) -> list[tuple[str, dict]]:
    """Examples, native fixtures, the ratio boundaries, then the mutations of every example (every ``every``-th)."""
    fields = checkable_inputs()
    muts = [(f"{stem} {name}", raw) for stem, base in examples() for name, raw in mutations(base, fields)]
    # the value rules on one example: every numeric input negated and given one decimal too many
    values = [(f"synthetic {name}", raw) for name, raw in mutations(dict(examples())["synthetic"], numeric_inputs(), more=True)
              if name.endswith(("negated", "+0.001", "-150%"))]
    return examples() + fixtures() + ratio_boundaries() + direction_cases(full=every == 1) + rate_cases(full=every == 1) + muts[::every] + values[::every]


def numeric_inputs() -> list[str]:
    return [fid for fid, f in SCHEMA.items() if f.is_input and f.type.numeric]
