"""MISS: blanks that stop an indicator or a check — hints, not errors.

MISS001 names, for each indicator, the blank inputs that prevent it (one finding
per indicator, listing every missing field). The indicators are declared in
``perfeval_xl.indicators`` (``INDICATORS``: code → object with ``.name``,
``.inputs`` and, when available, ``.required``/``.title``/``.not_applicable``);
until that package is importable a small local map of the four core indicators
is used.

MISS002 is emitted by the engine when a stated figure is filled but what it is
checked against is blank — every part of a sum, any figure of a rate or a
change, or blank parts whose sign is not known: the identity is skipped (DQC:
"if any component of a comparison is missing, the comparison does not run")
and this says why. MISS003: a total is blank while its parts are filled — a
blank is unknown, never 0, so the sum is not checked and this says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..schema import INPUTS, SCHEMA
from .base import CheckRule, Severity

I = Severity.INFO

MISS001 = CheckRule(
    id="MISS001", slug="indicator-inputs-missing", title="指标所需数据未填写",
    rationale="评分表的每个指标都由基础数据计算；所需单元格为空时该指标无法计算、得分为空。"
    "逐个指标列出缺少的单元格，便于补填（GX“failed to execute”单列；DQC 必需事实缺失时不计算）。",
    severity=I, message="未填写 {missing}，无法计算 {indicator}",
)
MISS002 = CheckRule(
    id="MISS002", slug="stated-figure-unverifiable", title="填报数无法核对",
    rationale="某个合计已填但分项全部为空，或某个比率、增减额已填但所依据的数字有空缺时，核对不运行"
    "（DQC：比较所需的数据缺失则不比较），既不算对也不算错；补填后才能核对。",
    severity=I, message="{stated_label}已填写，但{basis}所需的 {missing} 未填写，无法核对",
)
MISS003 = CheckRule(
    id="MISS003", slug="stated-total-blank", title="合计未填写，无法核对",
    rationale="报告只列了分项、没有印出合计（或没有印出年末结转和结余）时，空白表示“报告未载明”，不是 0："
    "不能说合计填错了，只能说无法核对。会计应对照原报告：报告载有合计的，照印填写；报告写明为 0 的，填 0；"
    "报告确实没有的，保持空白即可，此提示不影响结论。",
    severity=I, message="{stated_label}未填写，无法按{basis}核对（已填各项计算为 {expected}）；报告载有此数请照填，确为 0 请填 0",
)

RULES = (MISS001, MISS002, MISS003)
_LIST_MAX = 6
# The profile a template gets when none is chosen (template_writer.DEFAULT_PROFILE, report.DEFAULT_PROFILE):
# a workbook that does not say which profile it is scored under is taken to be that one.
DEFAULT_PROFILE = "V1"


@dataclass(frozen=True)
class _LocalIndicator:
    code: str
    name: str
    inputs: tuple[str, ...]

    @property
    def required(self) -> tuple[str, ...]:
        return self.inputs


# Used only while perfeval_xl.indicators is not importable (domain.md §2.2 V1 formulas).
FALLBACK_INDICATORS = {
    i.code: i
    for i in (
        _LocalIndicator("STAFF_CONTROL", "在职人员控制率", ("staff.onpost.total", "staff.quota.total")),
        _LocalIndicator("SANGGONG_CHANGE", "“三公经费”变动率", ("spend.sanggong.budget", "spend.sanggong.prior_budget")),
        _LocalIndicator("BUDGET_COMPLETION", "预算完成率",
                        ("budget.carryover_prior", "budget.initial", "budget.added", "budget.balance_end")),
        _LocalIndicator("BUDGET_CONTROL", "预算控制率", ("budget.added", "budget.initial")),
    )
}


def listing(labels: list[str]) -> str:
    shown = "、".join(labels[:_LIST_MAX])
    return shown + (f" 等 {len(labels)} 项" if len(labels) > _LIST_MAX else "")


@dataclass(frozen=True)
class Watched:
    """What MISS001 needs of one indicator, derived once per profile."""

    code: str
    name: str
    required: tuple[str, ...]  # input fields that must be filled
    not_applicable: tuple[str, object] | None  # (field, value) that makes the indicator not apply


def indicators(profile_id: str | None = DEFAULT_PROFILE) -> list[Watched]:
    """The indicators scored under ``profile_id``; every declared indicator for None or an unknown id."""
    try:
        from ..indicators import INDICATORS, PROFILES
    except ImportError:
        INDICATORS, PROFILES = FALLBACK_INDICATORS, {}
    codes = None
    if profile_id and profile_id in PROFILES:
        profile = PROFILES[profile_id]
        codes = [item.code for level in profile.levels for group in level.groups for item in group.items]
    chosen = [INDICATORS[c] for c in codes if c in INDICATORS] if codes is not None else list(INDICATORS.values())
    out = []
    for ind in chosen:
        required = getattr(ind, "required", None)
        required = tuple(ind.inputs if required is None else required)
        na = getattr(ind, "not_applicable", None)
        out.append(Watched(ind.code, getattr(ind, "title", None) or ind.name, tuple(f for f in required if f in INPUTS),
                           (na.field, na.value) if na is not None else None))
    return out


def run(ctx, watched: list[Watched]) -> None:
    values, blocked = ctx.values, ctx.blocked
    for ind in watched:
        if ind.not_applicable is not None and values.get(ind.not_applicable[0]) == ind.not_applicable[1]:
            continue
        # a blocked input is not "missing": a VAL/STR finding already says what is wrong with it
        missing = [f for f in ind.required if f not in blocked and values.get(f) is None]
        if missing:
            ctx.report(MISS001, tuple(ctx.cell(f) for f in missing), missing=listing([SCHEMA[f].label for f in missing]),
                       indicator=ind.name, indicator_code=ind.code)
