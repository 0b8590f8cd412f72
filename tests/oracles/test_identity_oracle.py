"""The checker and the template against a hand-written oracle (oracle_identities.py).

Nothing here reads the rule declarations to decide what is expected: the identity table
and the all-terms-non-zero department are typed by hand, so a term dropped from (or added
to) a declaration makes these tests fail rather than vanish from them.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from fractions import Fraction

import oracle_baseline as OB
import pytest
from oracle_identities import COUNTS, IDENTITIES

from perfeval_xl.check import check_values
from perfeval_xl.check.engine import CASES, COUNT_RULES

IDENTITY_FAMILIES = ("SUM", "ROLL", "XREF", "RATE")
PERCENT = {i.stated for i in IDENTITIES if i.kind == "ratio"}


def _family(rule_id: str) -> str:
    return rule_id.rstrip("0123456789")


def _identity_findings(findings) -> list:
    return [f for f in findings if _family(f.rule_id) in IDENTITY_FAMILIES]


# -- the declarations agree with the hand-written table ---------------------------------------------


def _hand_signature() -> Counter:
    return Counter(
        (i.rule, i.kind, i.stated, tuple(sorted(i.plus)), tuple(sorted(i.minus)), tuple(sorted(i.den)), i.severity)
        for i in IDENTITIES
    )


def _compiled_signature() -> Counter:
    out = Counter()
    for c in CASES:
        plus = tuple(sorted(t.fid for t in c.terms if t.sign > 0))
        minus = tuple(sorted(t.fid for t in c.terms if t.sign < 0))
        den = tuple(sorted(t.fid for t in c.den))
        out[(c.rule.id, c.rule.kind, c.stated, plus, minus, den, c.rule.severity.value)] += 1
    return out


def test_every_compiled_identity_is_the_hand_written_one():
    hand, compiled = _hand_signature(), _compiled_signature()
    assert compiled - hand == Counter(), f"declared but not in the report layout: {sorted(compiled - hand)}"
    assert hand - compiled == Counter(), f"in the report layout but not declared: {sorted(hand - compiled)}"


def test_every_count_rule_is_the_hand_written_one():
    assert sorted((r.id, r.stated, r.listed) for r in COUNT_RULES) == sorted(COUNTS)


# -- the all-terms-non-zero department ----------------------------------------------------------------


def test_every_term_of_every_identity_is_non_zero():
    values = OB.typed()
    zero = sorted({f for i in IDENTITIES for f in i.fields if not values.get(f)})
    assert not zero, zero


def test_the_department_satisfies_every_identity_by_hand():
    values = OB.typed()
    for ident in IDENTITIES:
        want, stated = OB.evaluate(ident, values), Fraction(values[ident.stated])
        if ident.kind == "ratio":
            assert values[ident.stated] == OB.percent(want, Fraction(100)), ident
        elif ident.kind == "at_least":
            assert stated >= want, ident
        else:
            assert stated == want, ident
    for _rule, stated, listed in COUNTS:
        assert values[stated] == sum(1 for f in listed if values.get(f)), stated


def test_the_engine_finds_nothing_in_the_consistent_department():
    assert [(f.rule_id, f.message) for f in check_values(OB.raw())] == []


# -- one more unit in one input: exactly the identities of the hand table that read it -------------------


def _mutations() -> list[tuple[str, int]]:
    """(field, direction): every numeric figure of the table once; an at-least total goes down (其中 rows may sum to less)."""
    out: dict[str, int] = {}
    for ident in IDENTITIES:
        for fid in ident.fields:
            down = ident.kind == "at_least" and fid == ident.stated
            out[fid] = -1 if down and out.get(fid, -1) == -1 else 1
    out.update({stated: 1 for _, stated, _ in COUNTS})
    return sorted(out.items())


def _expected(fid: str, direction: int | Decimal) -> set[tuple[str, str]]:
    mutated = OB.typed()
    mutated[fid] = mutated[fid] + direction  # +1 万元, +1 person, +1 percentage point (typed values hold points)
    want = set()
    for ident in IDENTITIES:
        if fid not in ident.fields:
            continue
        if ident.kind == "at_least" and Fraction(mutated[ident.stated]) >= OB.evaluate(ident, mutated):
            # a whole may exceed its 其中 parts by any amount: only crossing the bound is reported, worked out by hand.
            # (公用经费 equals its 其中 rows here, so for SUM014 this is exactly "the 合计 going down or a row going up".)
            continue
        want.add((ident.rule, ident.severity))
    want |= {(rule, "warning") for rule, stated, _ in COUNTS if stated == fid}  # a count off by one is a 警告 (domain.md §6.3)
    want |= _share_sums_crossed(fid, mutated)
    return want


def _share_sums_crossed(fid: str, mutated: dict) -> set[tuple[str, str]]:
    """The shares of one whole add up to 100 %: each printed share s stands for [s − ½u, s + u] (rounded or truncated);
    with every part's share known (stated, or 0 for a part stated as 0) 100 must lie in the sum's interval, otherwise
    the lower end must not pass 100."""
    from oracle_identities import SHARE_SUMS

    u = Fraction(1, 10 ** int(mutated["report.rate_decimals"]))
    out = set()
    for rule, parts in SHARE_SUMS:
        if fid not in {s for s, _ in parts}:
            continue
        stated = [Fraction(mutated[s]) for s, _ in parts if s and mutated.get(s) is not None]
        known = all((s and mutated.get(s) is not None) or mutated.get(a) == 0 for s, a in parts)
        lo, hi = sum(stated) - len(stated) * u / 2, sum(stated) + len(stated) * u
        if (known and not lo <= 100 <= hi) or (not known and lo > 100):
            out.add((rule, "error"))
    return out


@pytest.mark.parametrize(("fid", "direction"), _mutations())
def test_one_unit_more_is_reported_by_exactly_the_identities_that_read_it(fid, direction):
    """+1.00 万元 (+1 person, +1 percentage point …) in one figure → each identity of the hand table
    that reads it reports it, by its rule id and at its severity — and no other identity does."""
    raw = OB.raw()
    step = Decimal("0.01") if fid in PERCENT else Decimal(1)  # a percentage cell holds a fraction: +0.01 = +1 point
    raw[fid] = float(Decimal(repr(raw[fid])) + direction * step)
    found = _identity_findings(check_values(raw))
    got = {(f.rule_id, f.severity.value) for f in found}
    assert got == _expected(fid, direction), [(f.rule_id, f.severity.value, f.message) for f in found]
    for f in found:
        assert fid in {c.field_id for c in f.cells}, (f.rule_id, [c.field_id for c in f.cells])
        assert not f.rounding, f.message  # one whole unit is never a rounding difference at these magnitudes


AT_LEAST = [i for i in IDENTITIES if i.kind == "at_least"]


@pytest.mark.parametrize("ident", AT_LEAST, ids=lambda i: f"{i.rule}-{i.stated}")
def test_a_part_one_unit_above_its_whole_is_reported(ident):
    """Each at-least identity, however much room its whole leaves (财政拨款收入 is far below 本年收入合计 here), reports a
    part pushed one 万元 past the bound — together with exactly the other identities of the hand table reading that part."""
    values = OB.typed()
    fid = ident.plus[0]
    delta = OB._exact(Fraction(values[ident.stated]) - OB.evaluate(ident, values)) + 1  # room left, plus one 万元
    want = _expected(fid, delta)
    assert (ident.rule, ident.severity) in want  # by hand: the bound is crossed
    raw = OB.raw()
    raw[fid] = float(Decimal(repr(raw[fid])) + delta)
    found = _identity_findings(check_values(raw))
    assert {(f.rule_id, f.severity.value) for f in found} == want, [(f.rule_id, f.severity.value, f.message) for f in found]
    for f in found:
        assert fid in {c.field_id for c in f.cells}, (f.rule_id, [c.field_id for c in f.cells])
        assert not f.rounding, f.message


def test_the_mutations_cover_every_figure_of_the_table():
    assert {f for f, _ in _mutations()} == {f for i in IDENTITIES for f in i.fields} | {s for _, s, _ in COUNTS}


# -- a real spreadsheet engine computes the template's 应为/差异 cells as the hand table says --------------


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    from openpyxl import load_workbook

    from perfeval_xl.outputs.libreoffice import recalculate
    from perfeval_xl.template.writer import build_template

    root = tmp_path_factory.mktemp("oracle_lo")
    path = build_template(root / "all_terms.xlsx", values=OB.typed())
    return load_workbook(recalculate(path, root / "out"), data_only=True)


def test_libreoffice_live_cells_equal_the_hand_table(recalculated):
    from perfeval_xl.template.layout import layout

    values = OB.typed()
    by_key = {(i.rule, i.stated): i for i in IDENTITIES}
    by_key.update({(rule, stated): listed for rule, stated, listed in COUNTS})
    lay = layout()
    seen = set()
    for p in lay.checks:
        key = (p.spec.rule_id, p.spec.stated)
        assert key in by_key, f"the template checks {key}, which the report layout does not have"
        seen.add(key)
        ws = recalculated[lay.sheet_title(p.expected_cell.sheet)]
        got_e, got_d = ws[p.expected_cell.address].value, ws[p.diff_cell.address].value
        oracle = by_key[key]
        if isinstance(oracle, tuple):  # a count
            want = Fraction(sum(1 for f in oracle if values.get(f)))
        else:
            want = OB.evaluate(oracle, values) / (100 if oracle.kind == "ratio" else 1)
        assert got_e == pytest.approx(float(want), rel=1e-12, abs=1e-12), (key, got_e, float(want))
        stated = Fraction(values[p.spec.stated]) / (100 if p.spec.stated in PERCENT else 1)
        if not isinstance(oracle, tuple) and oracle.kind == "ratio":
            # a stated rate is the quotient printed to 2 decimals: the live 差异 is that rounding, nothing more
            assert abs(got_d) <= 0.00005 + 1e-12, (key, got_d)
        else:
            assert got_d == pytest.approx(float(stated - want), abs=1e-9), (key, got_d)
    # every identity the accountant can see beside the cell is there (履职产出 rows carry their own columns)
    visible = {(i.rule, i.stated) for i in IDENTITIES if i.rule != "RATE010"} | {(r, s) for r, s, _ in COUNTS}
    assert visible <= seen, sorted(visible - seen)


def test_libreoffice_output_rate_columns_equal_the_hand_table(recalculated):
    """履职产出's own 应为 column (actual/plan) for every row."""
    from perfeval_xl.template.layout import layout

    values = OB.typed()
    lay = layout()
    for ident in (i for i in IDENTITIES if i.rule == "RATE010"):
        cell = lay.cell(ident.stated.replace(".rate", ".rate_expected"))
        got = recalculated[lay.sheet_title(cell.sheet)][cell.address].value
        assert got == pytest.approx(float(OB.evaluate(ident, values) / 100), rel=1e-12), ident.stated


def test_every_share_sum_is_the_hand_written_one():
    from oracle_identities import SHARE_SUMS

    from perfeval_xl.rules.shares import GROUPS

    assert sorted((g.rule_id, tuple(sorted(g.parts))) for g in GROUPS) == sorted((r, tuple(sorted(p))) for r, p in SHARE_SUMS)
