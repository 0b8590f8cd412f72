"""One set of declarations, two backends: what is native, and the formulas the checker expects."""

from __future__ import annotations

import subprocess
import sys

from openpyxl import load_workbook

from perfeval_xl.check.engine import check_values, expected_formulas
from perfeval_xl.examples import ROOT, TEMPLATE_NAME
from perfeval_xl.rules.base import ArithmeticRule, CountRule, IdentityKind
from perfeval_xl.rules.excel_backend import native_checks
from perfeval_xl.rules.native import SHOWN_UNDER, native_ids, python_only_reason, rows_of
from perfeval_xl.rules.plausibility import CASES as PLAUS_CASES
from perfeval_xl.rules.registry import REGISTRY
from perfeval_xl.rules.values_rules import DIRECTED
from perfeval_xl.template.results_layout import NATIVE_FIRST_ROW, native_count


# 预算 = 决算 − 差额 and 上年 = 本年 − 增减额, where the one rate that could give the figure uses the same 决算/本年
SUPPLIERS = {"RATE014", "RATE020", "RATE024"}


def test_native_is_derived_from_the_declarations():
    for rule in REGISTRY.values():
        reason = python_only_reason(rule)
        if isinstance(rule, CountRule):
            assert not reason
        elif isinstance(rule, ArithmeticRule) and not any(t.present_if for c in rule.cases for t in c.terms):
            # sums, bounds, ratios, signed gaps beside 超支/节约 and figures derived from a stated amount all
            # compile; a figure the engine may derive from a stated rate alone does not, unless the rule reads it
            # only as the one identity supplying it from the same figures the rate would use
            from_rate = any(c.derives for c in rule.cases if rule.kind is IdentityKind.RATIO) or bool(
                {c.derives for r in REGISTRY.values() if isinstance(r, ArithmeticRule) and r.kind is IdentityKind.RATIO
                 for c in r.cases if c.derives} & set(rule.inputs()))
            assert bool(reason) == (from_rate and rule.id not in SUPPLIERS), (rule.id, reason)
        elif rule.family == "PLAUS":  # each declared as comparisons: both backends derive from the cases
            assert not reason and any(c.rule is rule for c in PLAUS_CASES), rule.id
        elif rule.family in ("STR", "SEC", "MISS"):
            assert reason, rule.id
    assert {"SUM008", "SUM009", "SUM005", "XREF005", "ROLL001", "VAL001"} <= native_ids()
    # ratios (RATE010 included), the identities that supply a blank 上年/预算, and the sums reading such figures
    assert {"RATE001", "RATE003", "RATE007", "RATE010", "RATE022", "RATE023", "SUM030"} <= native_ids()
    # a base the engine may take from a stated rate alone (an interval) keeps these in Python
    assert not {"RATE002", "RATE005", "RATE025", "SUM012", "ROLL002", "RATE004", "RATE016", "RATE018"} & native_ids()
    assert SUPPLIERS <= native_ids()
    # a gap typed unsigned beside its 超支/节约 choice, and a negative gap against or doubling the choice
    assert {"SUM018", "SUM019", "XREF010", "XREF011"} <= native_ids()
    assert not {"SUM015", "SEC001"} & native_ids()
    assert "RATE012" in native_ids()  # a zero base: the verdict of a native ratio's own row


def test_every_native_case_has_one_row_on_the_results_sheet():
    from perfeval_xl.rules.values_rules import REQUIRED, VAL001

    def rows(r):
        if r.family == "PLAUS":
            return sum(c.rule is r for c in PLAUS_CASES)
        if r.id in ("XREF010", "XREF011"):  # one row per gap beside a choice
            return len(DIRECTED)
        return len(r.cases) if isinstance(r, ArithmeticRule) else len(REQUIRED) if r is VAL001 else 1  # a value rule: one row

    # VAL003/VAL004 show in VAL002's row (a formula tells a number from text, not which kind of text)
    assert all(under in native_ids() and shown in native_ids() for shown, under in SHOWN_UNDER.items())
    # RATE012 shows on the ratios' own rows; VAL003/VAL004 in VAL002's
    assert rows_of("RATE012") >= {"RATE001", "RATE010"} and rows_of("VAL004") == {"VAL002"}
    cases = sum(rows(r) for r in REGISTRY.values() if r.id in native_ids() and rows_of(r.id) == {r.id})
    assert native_count() == cases == len(native_checks())
    ws = load_workbook(ROOT / TEMPLATE_NAME)["校验结果"]
    rules = [ws.cell(NATIVE_FIRST_ROW + i, 2).value for i in range(cases)]
    assert rules == [c.rule.id for c in native_checks()]
    assert all(str(ws.cell(NATIVE_FIRST_ROW + i, 3).value).startswith("=") for i in range(cases))


def test_findings_say_whether_the_workbook_reports_them_itself():
    findings = check_values({"exp.basic": 1, "exp.project": 2, "exp.total_year": 2, "report.year": "二〇二〇",
                             "report.date": "三月底"})
    by_rule = {f.rule_id: f.to_dict()["native"] for f in findings}
    assert by_rule["SUM009"] is True
    assert by_rule["VAL002"] is True  # text in a number cell: the workbook's VAL002 row counts it
    assert by_rule["VAL011"] is False  # whether text is a date needs Python


def test_the_checker_expects_exactly_the_formulas_the_template_holds():
    wb = load_workbook(ROOT / TEMPLATE_NAME)
    expected = expected_formulas()
    held = {key: wb[key[0]][key[1]].value for key in expected}
    assert {k: v[1:] for k, v in held.items()} == expected


def test_the_checker_learns_the_template_formulas_without_openpyxl():
    code = ("import sys; from perfeval_xl.check import engine; f = engine.expected_formulas(); "
            "assert len(f) > 300; assert 'openpyxl' not in sys.modules, 'openpyxl imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_native_checks_live_difference_is_coloured_by_its_results_row():
    """The 差异 cell beside a stated figure and the 校验结果 row can never disagree: one reads the other."""
    from perfeval_xl.template.layout import layout
    from perfeval_xl.template.results_sheet import status_row

    wb = load_workbook(ROOT / TEMPLATE_NAME)
    lay = layout()
    seen = 0
    for p in lay.checks:
        row = status_row(p.spec.rule_id, p.spec.stated)
        ws = wb[lay.sheet_title(p.diff_cell.sheet)]
        rules = [r for cf in ws.conditional_formatting for r in cf.rules if p.diff_cell.address in str(cf.sqref).split()]
        text = " ".join(f for r in rules for f in r.formula)
        if row:
            seen += 1
            assert f"'校验结果'!$C${row}" in text, (p.spec.rule_id, p.diff_cell.address)
        else:
            assert "校验结果" not in text
    # a table's own 差异 column (履职产出, RATE010) reads its row the same way
    from perfeval_xl.schema import SCHEMA
    from perfeval_xl.schema.layout import IDENTITY_DIFF
    from perfeval_xl.template.formulas import row_identity

    for fid in (f for f, g in SCHEMA.items() if g.formula == IDENTITY_DIFF):
        rule, case = row_identity(fid)
        cell = lay.cell(fid)
        ws = wb[lay.sheet_title(cell.sheet)]
        text = " ".join(f for cf in ws.conditional_formatting for r in cf.rules if cell.address in str(cf.sqref).split()
                        for f in r.formula)
        assert f"'校验结果'!$C${status_row(rule.id, case.stated)}" in text, fid
        seen += 1
    # counts (XREF005–008) included: their COUNTA no longer judges a space
    # identities only: a plausibility row, a value rule or a negative gap against its choice has no 应为/差异 cell
    assert seen == len([c for c in native_checks() if isinstance(c.rule, (ArithmeticRule, CountRule))])


def test_readme_states_the_current_number_of_native_rules():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"{len(REGISTRY)} 条规则中的 {len(native_ids())} 条" in readme


def test_blank_means_what_the_engine_strips():
    """Every character str.strip() removes is turned into a space before TRIM: a cell of only those is blank in both."""
    import sys as _sys

    from perfeval_xl.rules.excel_backend import _STRIPPED_CODES, _STRIPPED_LITERALS

    covered = {chr(c) for c in _STRIPPED_CODES} | set(_STRIPPED_LITERALS) | {" "}
    stripped = {chr(c) for c in range(_sys.maxunicode + 1) if chr(c).strip() == ""}
    assert stripped == covered


def test_ratio_verdicts_compare_whole_numbers_without_dividing():
    """Division rounds in binary; the ratio verdicts compare products of whole numbers instead (exact below 2^53)."""
    ratios = [c for c in native_checks() if isinstance(c.rule, ArithmeticRule) and c.rule.kind is IdentityKind.RATIO]
    assert len(ratios) == sum(len(r.cases) for r in REGISTRY.values()
                              if isinstance(r, ArithmeticRule) and r.kind is IdentityKind.RATIO and r.id in native_ids())
    assert len(ratios) >= 20
    for chk in ratios:
        for key in ("num", "hn", "den", "hd", "ss", "q", "agree", "within"):
            assert "/" not in chk.formulas[key], (chk.rule.id, key)
        assert chk.formulas["num"].startswith("ROUND(") and chk.formulas["den"].startswith("ROUND(")


def test_a_supplied_figure_comes_from_rows_before_its_readers():
    """上年/预算 supplied by a stated change: the engine derives in registry order, the first row that can does."""
    from perfeval_xl.rules.excel_backend import _derivers, _positions

    derivers = _derivers()
    # a figure a stated change supplies may also come from a stated rate alone (an interval the formulas do not
    # reproduce): the only native row reading it is the one supplying it, and that row knows whether the rate would
    assert derivers
    for target, rows in derivers.items():
        # a plausibility row reads the cell as it is, never a supplied figure (the engine's later families do too)
        readers = {chk.rule.id for chk in native_checks() if target in chk.inputs and chk.rule.family != "PLAUS"}
        assert len(rows) == 1 and readers == {native_checks()[rows[0]].rule.id}, (target, readers)
        assert "rtook" in native_checks()[rows[0]].formulas
        assert list(rows) == sorted(rows)
        users = [i for i, chk in enumerate(native_checks()) if f"[took#{rows[0]}]" in " ".join(chk.formulas.values())]
        assert users, target


def test_messages_name_money_in_the_unit_the_cover_declares():
    from perfeval_xl.rules.excel_backend import GLOBALS
    from perfeval_xl.schema import SCHEMA, FieldType

    assert all(f'"{u}"' in GLOBALS["unit"] for u in ("元", "万元", "亿元"))
    money_rows = [c for c in native_checks() if c.stated and SCHEMA[c.stated].type is FieldType.MONEY and "diff" in c.formulas]
    assert money_rows
    for chk in money_rows:
        assert "[global.unit]" in chk.formulas["message"] and '"万元"' not in chk.formulas["message"], chk.rule.id


def test_plausibility_rows_compare_whole_numbers_without_dividing():
    """A threshold on a ratio (办公经费 at 10 % of its budget) is cross-multiplied and compared on whole numbers."""
    import re

    rows = [c for c in native_checks() if c.rule.family == "PLAUS" and "[text]" not in c.formulas["hit"]]
    assert len(rows) == sum(1 for c in PLAUS_CASES if c.rule.id != "PLAUS011")
    for chk in rows:
        hit = chk.formulas["hit"]
        assert "/" not in hit, chk.rule.id
        comparisons = re.findall(r"ROUND\(.*?,0\)(?:>=|<=|>|<|=)0", hit)
        assert comparisons and hit.count("ROUND(") == len(comparisons), (chk.rule.id, hit)


def test_plausibility_thresholds_come_from_the_rule_parameters():
    from perfeval_xl.rules.plausibility import PLAUS006

    office = next(c for c in native_checks() if c.rule is PLAUS006 and c.stated == "spend.office.final")
    low, high = PLAUS006.params["low_pct"], PLAUS006.params["high_pct"]
    assert f"N({{spend.office.budget}})*{low})" in office.formulas["hit"]
    assert f"N({{spend.office.budget}})*{high})" in office.formulas["hit"]


def test_one_finding_per_rule_later_rows_defer_to_the_first():
    """PLAUS012 reports the first total in the wrong magnitude only: the second row reads the first row's status."""
    rows = [(i, c) for i, c in enumerate(native_checks()) if c.rule.id == "PLAUS012"]
    assert [c.stated for _, c in rows] == ["exp.total_year", "inc.total_year"]
    (first, _), (_, second) = rows
    assert f"[status#{first}]" in second.formulas["status"]


def test_share_rows_link_the_first_stated_share():
    from perfeval_xl.rules.shares import GROUPS

    rows = {c.rule.id: c for c in native_checks() if c.primaries}
    assert set(rows) == {g.rule_id for g in GROUPS}
    for g in GROUPS:
        assert rows[g.rule_id].primaries == tuple(s for s, _ in g.parts if s)
        assert "/" not in rows[g.rule_id].formulas["status"]
