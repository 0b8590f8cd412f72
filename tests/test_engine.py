"""The checker engine as a whole: the seed's figures, mutations, cascades, determinism, API.

Speed is measured by benchmarks/bench_engine.py, not asserted here.
"""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from perfeval_xl.check import REGISTRY, RULESET_VERSION, Finding, Report, check_path, check_values, check_workbook
from perfeval_xl.check.engine import CASES, COUNT_RULES
from perfeval_xl.outputs.serialize import dumps
from perfeval_xl.rules.base import ArithmeticRule, Severity
from perfeval_xl.schema import INPUTS, SCHEMA, FieldType
from perfeval_xl.schema.values import to_cell
from perfeval_xl.template.layout import layout

from oracles.oracle_identities import IDENTITIES  # typed by hand from the report layout, not read from the registry

ROOT = Path(__file__).resolve().parent.parent
BASELINE = yaml.safe_load((ROOT / "tests" / "rules" / "baseline.yml").read_text(encoding="utf-8"))
SEED_JSON = ROOT / "workbook_templates" / "examples" / "data" / "seed_furong_2020.json"
IDENTITY_FAMILIES = ("SUM", "ROLL", "RATE", "XREF")


def baseline(**changes) -> dict:
    raw = dict(BASELINE)
    raw.update({k.replace("__", "."): v for k, v in changes.items()})
    return raw


def rules_of(findings, *families) -> list[Finding]:
    return [f for f in findings if f.rule_id.rstrip("0123456789") in families]


# -- the seed (domain.md §4.1) -------------------------------------------------------------------


def _seed_raw() -> dict:
    """The seed report's figures as cells hold them (the lead's data file, which carries the transcription)."""
    from perfeval_xl.readers.data_file import load

    values, errors = load(SEED_JSON)
    assert not errors, errors
    return {fid: to_cell(SCHEMA[fid], v) for fid, v in values.items()}


def test_seed_has_exactly_the_two_known_rounding_differences():
    findings = check_values(_seed_raw())
    arithmetic = rules_of(findings, *IDENTITY_FAMILIES)
    assert [(f.rule_id, f.severity, f.rounding) for f in arithmetic] == [
        ("SUM009", Severity.WARNING, True),  # 1641.81 + 636.29 = 2278.10 vs 2278.09
        ("ROLL001", Severity.WARNING, True),  # 138.36 + 1.72 − 7.34 = 132.74 vs 132.75
    ]
    sum009, roll001 = arithmetic
    assert (sum009.actual, sum009.expected, sum009.difference) == (Decimal("2278.09"), Decimal("2278.10"), Decimal("-0.01"))
    assert (roll001.actual, roll001.expected, roll001.difference) == (Decimal("132.75"), Decimal("132.74"), Decimal("0.01"))
    assert [c.field_id for c in sum009.cells] == ["exp.total_year", "exp.basic", "exp.project"]
    lay = layout()
    where = (lay.sheet_title(lay.cell("exp.total_year").sheet), lay.cell("exp.total_year").address)
    assert (sum009.cells[0].role, sum009.cells[0].sheet, sum009.cells[0].address) == ("stated", *where)
    # the seed prints no 上缴上级/经营/对附属单位补助: blank parts are unknown, so the total is only bounded below
    assert (sum009.params["expected"], sum009.params["actual"], sum009.params["diff"]) == ("不小于2,278.10万元", "2,278.09万元", "-0.01万元")
    assert sum009.params["half_width"] == Decimal("0.015") and sum009.params["likely"] == ()


def test_seed_figures_in_the_domain_table():
    raw = _seed_raw()
    for fid, want in {"exp.basic": 1641.81, "exp.project": 636.29, "exp.total_year": 2278.09, "assets.fixed.opening": 138.36,
                      "assets.fixed.added": 1.72, "assets.fixed.disposed": 7.34, "assets.fixed.closing": 132.75}.items():
        assert raw[fid] == want, fid


# -- every money input that feeds an identity is watched ---------------------------------------------


def _identity_money_inputs() -> dict[str, bool]:
    """Money input → True when it is only ever the stated side of an at-least (其中) identity (hand-written table)."""
    only_at_least_stated: dict[str, bool] = {}
    for ident in IDENTITIES:
        for fid in ident.fields:
            if fid in INPUTS and SCHEMA[fid].type is FieldType.MONEY:
                stated_at_least = ident.kind == "at_least" and fid == ident.stated
                only_at_least_stated[fid] = only_at_least_stated.get(fid, True) and stated_at_least
    return only_at_least_stated


MONEY_INPUTS = _identity_money_inputs()


def test_identity_inputs_cover_the_registry():
    assert len(MONEY_INPUTS) > 100
    assert {"exp.total_year", "assets.fixed.disposed", "budget.reduced", "projects.r30.actual"} <= set(MONEY_INPUTS)


@pytest.mark.parametrize("fid", sorted(MONEY_INPUTS))
def test_one_yuan_wan_more_is_an_error_naming_the_cell(fid):
    """Baseline + 1.00 万元 in one input → at least one ERROR whose cells include that input.

    A 其中 total may exceed its items, so where a field is only the total of an
    at-least identity the mutation is −1.00 instead.
    """
    old = BASELINE.get(fid) or 0
    new = round(old + (-1 if MONEY_INPUTS[fid] else 1), 2)
    findings = check_values(baseline(**{fid: new}))
    errors = [f for f in findings if f.severity is Severity.ERROR and fid in {c.field_id for c in f.cells}]
    assert errors, f"{fid}: {old} → {new} gave {[(f.rule_id, f.severity.value, f.message) for f in findings]}"


# -- cascades ---------------------------------------------------------------------------------------


def test_text_in_a_number_cell_is_reported_once():
    findings = check_values(baseline(exp__basic="一千六百四十一"))
    assert [f.rule_id for f in findings] == ["VAL002"]  # not SUM009/SUM010 as well


def test_negative_disposals_block_the_roll_forward():
    findings = check_values(baseline(assets__fixed__disposed=-7.34))
    assert [f.rule_id for f in findings] == ["VAL005"]


def test_required_blank_does_not_cascade_into_identities_or_miss():
    findings = check_values(baseline(exp__total_year=None))
    assert [f.rule_id for f in findings] == ["VAL001"]


def test_structural_failure_stops_everything(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["B5"] = "not a template"
    wb.save(tmp_path / "plain.xlsx")
    report = check_path(tmp_path / "plain.xlsx")
    assert not report.checked and not report.passed
    assert [f.rule_id for f in report.findings] == ["STR003"]


def test_missing_sheet_blocks_its_fields(tmp_path):
    from openpyxl import load_workbook

    from perfeval_xl.template.writer import build_template

    typed = {k: __import__("perfeval_xl.schema.values", fromlist=["coerce"]).coerce(SCHEMA[k], v)[0] for k, v in BASELINE.items()}
    path = build_template(tmp_path / "t.xlsx", values=typed)
    wb = load_workbook(path)
    del wb["资产"]
    wb.save(path)
    report = check_path(path)
    assert report.checked
    assert [f.rule_id for f in report.findings] == ["STR006"]  # no VAL001/MISS001/ROLL001 for the assets fields


# -- hints: which single input explains the gap ---------------------------------------------------------


@pytest.mark.parametrize(("changes", "rule", "likely"), [
    ({"inc__other": 27.23}, "SUM005", [("swap", "inc.other", Decimal("27.32"))]),
    ({"budget__adjusted": 2307.96}, "ROLL002", [("omitted", "budget.reduced", 0)]),
    ({"assets__fixed__closing": 147.42, "assets__fixed__use_rate": 0.8174}, "ROLL001",
     [("sign", "assets.fixed.disposed", Decimal("-7.34"))]),
    ({"staff__control_rate": 93.33}, "RATE001", [("percent", "staff.control_rate", Decimal("93.33"))]),  # 9333 % typed
    ({"goals__dept_amount": 22780900}, "XREF002",  # 元 typed into a 万元 cell — or the other cell typed in 元
     [("yuan", "goals.dept_amount", Decimal("2278.09")), ("yuan", "exp.total_year", Decimal("22780900"))]),
    ({"change__reception__rate": 0.7123}, "RATE005", [("sign", "change.reception.rate", Decimal("-71.23"))]),
    # 2278.09 + 636.29: 项目支出 counted twice (1641.80 + 2 × 636.29 = 2914.38)
    # (上缴上级/经营/对附属单位补助 stated as 0: with them blank the larger total could be theirs)
    ({"exp__total_year": 2914.38, "goals__dept_amount": 2914.38, "budget__final": 2914.38, "budget__exec_rate": 1.2682,
      "exp__upper": 0, "exp__operating": 0, "exp__affiliate": 0}, "SUM009",
     [("doubled", "exp.project", Decimal("1272.58"))]),
    ({"inc__other": 273.2}, "SUM005", [("shift", "inc.other", Decimal("27.32"))]),  # a digit too many
    ({"staff__control_rate": 1.0714}, "RATE001", [("num_den_swapped", None, None)]),  # 45/42 = 107.14 %
])
def test_the_finding_names_the_input_that_explains_the_gap(changes, rule, likely):
    """The hint is data (params["likely"]): the input, the kind of slip and the value that would fit."""
    f = next(f for f in check_values(baseline(**changes)) if f.rule_id == rule)
    assert f.severity is Severity.ERROR
    assert [(d["kind"], d["field_id"], d["value"]) for d in f.params["likely"]] == likely
    assert f.message.count("可能原因") == 1


def test_a_blank_prior_year_is_derived_from_the_stated_change():
    """上年 blank but 增减额 stated: 上年 = 0.61 + 1.51 = 2.12, and the stated −71.23 % is checked against it."""
    assert not [f for f in check_values(baseline(spend__reception__prior_final=None)) if f.rule_id in ("MISS002", "RATE005")]
    wrong = [f for f in check_values(baseline(spend__reception__prior_final=None, change__reception__rate=-0.65))
             if f.rule_id == "RATE005"]
    assert len(wrong) == 1 and wrong[0].severity is Severity.ERROR and "推算" in wrong[0].message


def test_a_blank_term_of_a_change_leaves_it_unverifiable_naming_the_identity():
    """Neither 上年 nor 增减额 given: the stated rate supplies 上年 (本年 / (1 + rate)), so the rate is no longer
    unverifiable; the 三公 change decomposition (SUM018), one of whose terms is the blank 增减额, still is (MISS002)."""
    findings = check_values(baseline(spend__reception__prior_final=None, change__reception__amount=None))
    found = [f for f in findings if f.rule_id == "MISS002"]
    assert sorted(f.params["identity"] for f in found) == ["SUM018"]
    assert not [f for f in findings if f.rule_id in ("RATE004", "RATE005")]
    sum018 = found[0]
    assert ("change.reception.amount", "term") in [(c.field_id, c.role) for c in sum018.cells]
    assert sum018.params["stated_label"] == SCHEMA[sum018.cells[0].field_id].label and sum018.params["basis"]


def test_a_prior_year_derived_from_a_rate_alone_is_an_interval_the_sums_use():
    """上年 from the rate alone: 2.12 ≈ 0.61 / (1 − 71.23 %); the 三公 prior-year sum accepts any figure inside the
    interval (no 舍入差异 for the midpoint), and a 上年 sum far outside it is an error that says the figure was derived."""
    blank = {"spend__reception__prior_final": None, "change__reception__amount": None, "change__sanggong__amount": None,
             "change__abroad__amount": None, "change__vehicle__amount": None}
    assert not [f for f in check_values(baseline(**blank)) if f.rule_id == "SUM012"]
    wrong = [f for f in check_values(baseline(**blank, change__reception__rate=-0.2123)) if f.rule_id == "SUM012"]
    assert len(wrong) == 1 and wrong[0].severity is Severity.ERROR
    assert "按所述增减率推算，2、公务接待费（上年决算数）约为 0.77万元" in wrong[0].message


def test_a_blank_current_figure_is_not_taken_as_zero_in_a_rate():
    """本年决算 blank: the change rate is unverifiable, not (0 − 2.12)/2.12 = −100 %."""
    findings = check_values(baseline(spend__reception__final=None))
    assert not [f for f in findings if f.rule_id == "RATE005"]
    assert "RATE005" in {f.params.get("identity") for f in findings if f.rule_id == "MISS002"}


def test_rounding_differences_carry_no_hint():
    f = next(f for f in check_values(baseline(exp__basic=1641.81)) if f.rule_id == "SUM010")
    assert f.rounding and f.params["likely"] == ()


def test_gap_figures_are_data():
    f = next(f for f in check_values(baseline(staff__quota__total=46)) if f.rule_id == "SUM001")
    assert (f.actual, f.expected, f.difference) == (46, 45, 1)
    assert (f.params["actual"], f.params["expected"], f.params["diff"]) == ("46人", "45人", "+1人")
    assert f.message == REGISTRY["SUM001"].message.format_map(f.params)


# -- decimals, never floats ------------------------------------------------------------------------------


def test_decimal_and_float_inputs_agree():
    as_decimal = {k: Decimal(repr(v)) if isinstance(v, (int, float)) else v for k, v in baseline(exp__basic=1641.81).items()}
    pct = [k for k in as_decimal if SCHEMA[k].type is FieldType.PERCENT and as_decimal[k] is not None]
    for k in pct:  # a Decimal in a percent field is already percentage points
        as_decimal[k] = as_decimal[k] * 100
    a = [f.to_dict() for f in check_values(baseline(exp__basic=1641.81))]
    b = [f.to_dict() for f in check_values(as_decimal)]
    assert a == b and len(a) == 2


def test_float_noise_does_not_break_sums():
    # 0.1 + 0.2 in binary is 0.30000000000000004; Excel shows and stores 15 digits
    findings = check_values(baseline(spend__vehicle_operation__prior_final=6.6000000000000005))
    assert not rules_of(findings, *IDENTITY_FAMILIES)


# -- determinism ------------------------------------------------------------------------------------------


def test_identical_input_gives_byte_identical_findings():
    raw = baseline(exp__basic=1641.81, inc__other="abc", staff__quota__total=46, assets__fixed__closing=132.75)
    shuffled = dict(reversed(list(raw.items())))
    one = dumps([f.to_dict() for f in check_values(raw)])
    two = dumps([f.to_dict() for f in check_values(shuffled)])
    assert one == two
    assert "checked_at" not in one


def test_findings_are_sorted_by_position():
    findings = check_values(baseline(staff__quota__total=46, exp__basic=1641.81, assets__fixed__closing=132.75))
    assert [f.rule_id for f in findings] == ["SUM001", "RATE001", "SUM009", "SUM010", "ROLL001", "RATE009"]


# -- the public API ----------------------------------------------------------------------------------------


def test_registry_and_version():
    assert RULESET_VERSION and len(REGISTRY) >= 40
    families = {r.family for r in REGISTRY.values()}
    assert {"STR", "VAL", "SUM", "ROLL", "XREF", "RATE", "PLAUS", "MISS"} <= families
    for r in REGISTRY.values():
        assert all(f in SCHEMA for f in r.inputs()), r.id
    ids = list(REGISTRY)
    assert len(ids) == len(set(ids))


def test_registry_rejects_bad_declarations():
    from perfeval_xl.rules.base import CheckRule
    from perfeval_xl.rules.registry import validate

    bad = CheckRule("SUM1", "Not_Kebab", "", "", message="{0}", fields=("no.such.field",))
    problems = " ".join(validate(bad))
    for word in ("family prefix", "kebab", "required", "unknown fields", "message template"):
        assert word in problems


def test_check_values_accepts_addresses():
    findings = check_values(baseline(staff__quota__total=46), addresses={"staff.quota.total": ("人员与机构", "H9")})
    f = next(f for f in findings if f.rule_id == "SUM001")
    assert (f.cells[0].sheet, f.cells[0].address) == ("人员与机构", "H9")


def test_check_workbook_report(tmp_path):
    from perfeval_xl.readers.workbook import read_workbook
    from perfeval_xl.template.writer import build_template

    path = build_template(tmp_path / "empty.xlsx")
    report = check_workbook(read_workbook(path))
    assert isinstance(report, Report) and report.checked and report.ruleset_version == RULESET_VERSION
    assert report.template_version and report.sha256
    assert {f.rule_id for f in report.findings} >= {"VAL001"}
    assert not [f for f in report.findings if f.rule_id.startswith("STR")]
    json.loads(dumps(report.to_dict()))


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04garbage", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "文字".encode()])
def test_check_path_never_raises(tmp_path, content):
    p = tmp_path / "bad.xlsx"
    p.write_bytes(content)
    report = check_path(p)
    assert not report.checked and len(report.findings) == 1 and report.findings[0].rule_id in ("STR001", "STR002")


def test_check_path_on_a_directory_and_a_zip_without_workbook(tmp_path):
    assert check_path(tmp_path).findings[0].rule_id == "STR001"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    (tmp_path / "z.xlsx").write_bytes(buf.getvalue())
    assert [f.rule_id for f in check_path(tmp_path / "z.xlsx").findings] == ["STR001"]


def test_profile_params_override_thresholds():
    raw = baseline(spend__office__final=6.80, spend__public__final=150.30)
    assert "PLAUS006" in {f.rule_id for f in check_values(raw)}
    assert "PLAUS006" not in {f.rule_id for f in check_values(raw, profile={"params": {"PLAUS006": {"low_pct": 5}}})}


# -- the reader's formula scan ---------------------------------------------------------------------------


def _zip_with(member: str, xml: bytes) -> zipfile.ZipFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(member, xml)
    return zipfile.ZipFile(io.BytesIO(buf.getvalue()))


def test_formula_scan_expands_shared_formulas_and_prefixes():
    from perfeval_xl.readers.workbook import _formulas, _sheet_data

    xml = (
        b'<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
        b'<x:row r="5"><x:c r="G5" s="1"><x:f t="shared" ref="G5:G7" si="0">IF(N(C5)&lt;&gt;0,D5/C5,"A1")</x:f><x:v>1</x:v></x:c>'
        b'<x:c r="H5"><x:v>3</x:v></x:c></x:row>'
        b'<x:row r="6"><x:c r="G6" s="1"><x:f t="shared" si="0"/><x:v>1</x:v></x:c></x:row>'
        b'<x:row r="7"><x:c r="G7"><x:f t="shared" si="0" /></x:c><x:c r="H7" t="str"><x:f>outputs_r03_rate-$G$7</x:f><x:v></x:v></x:c></x:row>'
        b"</x:sheetData><x:dataValidations/></x:worksheet>"
    )
    sheet_xml, prefix, _protected = _sheet_data(_zip_with("s.xml", xml), "s.xml")
    got, typed_in_inputs = _formulas(sheet_xml, prefix, "履职产出", frozenset({"G5", "G6", "G7", "H5", "H7", "Z9"}))
    assert typed_in_inputs == {}  # no input cells named: nothing to report there
    assert got == {
        ("履职产出", "G5"): 'IF(N(C5)<>0,D5/C5,"A1")',
        ("履职产出", "G6"): 'IF(N(C6)<>0,D6/C6,"A1")',
        ("履职产出", "G7"): 'IF(N(C7)<>0,D7/C7,"A1")',
        ("履职产出", "H5"): "",
        ("履职产出", "H7"): "outputs_r03_rate-$G$7",
        ("履职产出", "Z9"): "",
    }


def test_every_identity_case_is_compiled():
    n = sum(len(r.cases) for r in REGISTRY.values() if isinstance(r, ArithmeticRule))
    assert len(CASES) == n == len(IDENTITIES)
    assert len(COUNT_RULES) == 4
