"""The Excel backend of the share groups (``shares.GROUPS``, SUM020–SUM022): one 校验结果 row per group.

As ``check/shares.py`` decides it:

* a blocked share or amount → 未能核对;
* a part's share is *stated* when its cell is filled, *unknown* when it is blank and its amount is not
  stated as 0; no stated share, or a single one beside an unknown → nothing to check (未能核对);
* with no unknown part the stated shares must make exactly 100 %, otherwise at most 100 %;
  a gap the shares' printed intervals explain is a 舍入差异 (warning), beyond it an error.

Every share is read in units of 10⁻⁴ percentage points (a usable share has at most four decimals,
``VAL007``), so sums and the printed intervals are whole numbers and compare exactly: a share printed
with p decimals (declared, or more when more were typed) lies in [v − ½·10⁻ᵖ, v + 10⁻ᵖ] (rounded or
truncated), a printed 0 in [−10⁻ᵖ, 10⁻ᵖ] (``intervals.printed_interval``). The finding's cell is the
first stated share: the row's 单元格 link follows it.
"""

from __future__ import annotations

from .excel_backend import ERROR, PASS, ROUNDING, UNCHECKED, UNCHECKED_TEXT, NativeCheck, _lit, _message, blank, decimals, ref, usable
from .registry import REGISTRY
from .shares import GROUPS, MESSAGE

HELPERS = ("ok", "n", "unknown", "total", "w", "wzero")
SCALE = 10 ** 6  # a fraction cell × 10⁶ = the share in 10⁻⁴ percentage points
HUNDRED = 100 * 10 ** 4


def _w(fid: str) -> str:
    """10^(4 − p) for the share's printed decimals p = MAX(declared, typed): its interval's unit in 10⁻⁴ points."""
    x = ref(fid)
    typed = "IF(" + ",IF(".join(f"ROUND({x},{k + 2})={x},{10 ** (4 - k)}" for k in range(4)) + ",1" + ")" * 4
    return f"MIN(10^(4-{decimals(fid)}),{typed})"


def _check(group) -> NativeCheck:
    rule = REGISTRY[group.rule_id]
    shares = [s for s, _ in group.parts if s]
    fields = [f for pair in group.parts for f in pair if f]
    stated = {s: f"NOT({blank(s)})" for s in shares}
    # no share, and no amount stated as 0: the part's share is unknown
    unknown = [f"AND({blank(s) if s else 'TRUE'},NOT(AND(NOT({blank(a)}),N({ref(a)})=0)))" for s, a in group.parts]
    total = "+".join(f"ROUND(N({ref(s)})*{SCALE},0)" for s in shares)
    wsum = "+".join(f"IF({stated[s]},{_w(s)},0)" for s in shares)
    wzero = "+".join(f"IF(AND({stated[s]},N({ref(s)})=0),10^(4-{decimals(s)}),0)" for s in shares)
    # the intervals around [total]: lo = total − ½Σw − ½Σw over zero shares, hi = total + Σw (doubled: whole numbers)
    lo = f"2*[total]-[w]-[wzero]<={2 * HUNDRED}"
    within = f"IF([unknown]=0,AND({lo},[total]+[w]>={HUNDRED}),{lo})"
    passed = f"IF([unknown]=0,[total]={HUNDRED},[total]<={HUNDRED})"
    status = (f'IF(OR(NOT([ok]),[n]=0,AND([n]<2,[unknown]>0)),{_lit(UNCHECKED)},'
              f'IF({passed},{_lit(PASS)},IF({within},{_lit(ROUNDING)},{_lit(ERROR)})))')
    pct = _plain("[total]/10000")
    diff = f'IF([total]>{HUNDRED},"+","")&' + _plain(f"([total]-{HUNDRED})/10000")
    params = {"group": _lit(group.name), "total": pct,
              "expected": f'IF([unknown]=0,"应为 100%","不应超过 100%")', "diff": diff}
    assert MESSAGE == rule.message
    message = _message(rule, params, unchecked=f'IF([n]=0,"未填写占比，无需核对",{UNCHECKED_TEXT})',
                       suffix=f'IF([status]={_lit(ROUNDING)},"；差额在各占比的舍入误差范围内，属舍入差异","")')
    return NativeCheck(rule, shares[0], tuple(shares), {
        "ok": "AND(" + ",".join(usable(f) for f in fields) + ")",
        "n": "+".join(f"{stated[s]}*1" for s in shares),
        "unknown": "+".join(f"{u}*1" for u in unknown),
        "total": total,
        "w": wsum,
        "wzero": wzero,
        "status": status,
        "message": message,
    }, rule.title, primaries=tuple(shares))


def _plain(v: str) -> str:
    """A percentage as the engine prints it: no trailing zeros (45.70 → "45.7", 100.00 → "100")."""
    out = f'TEXT({v},"0.0000")'
    for k in (3, 2, 1):
        out = f'IF(ROUND({v},{k})={v},TEXT({v},"0.{"0" * k}"),{out})'
    return f'IF(ROUND({v},0)={v},TEXT({v},"0"),{out})'


def share_checks(rule) -> list[NativeCheck]:
    return [_check(g) for g in GROUPS if g.rule_id == rule.id]


def is_share_rule(rule) -> bool:
    return any(g.rule_id == rule.id for g in GROUPS)


__all__ = ["HELPERS", "is_share_rule", "share_checks"]
