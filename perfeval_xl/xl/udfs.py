"""Excel functions (xlwings UDFs) over the indicator engine.

Thin wrappers: every function turns cell values into typed values, calls
``perfeval_xl.indicators`` and turns the result back into a cell value. In
Excel the names are the upper-cased Python names (``PE_RATIO`` …; under an
Office.js namespace ``<NS>.PE_RATIO``).

* Classic add-in (Windows): list ``perfeval_xl.xl.udfs`` under "UDF Modules".
* xlwings Server / Lite: set ``XLWINGS_ON_SERVER=true`` before xlwings is first
  imported; ``@xw.func`` then registers these for Office.js custom functions.
* Elsewhere (Linux without the env var) the decorators are no-ops and these are
  plain Python functions.

Conventions shared by all functions: percent cells hold fractions (0.951 shown
as 95.10%), a blank cell is "no data", and "no result" is returned as a blank
cell (``None``), never as an error value.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import xlwings as xw

from ..indicators import INDICATORS, PROFILES, grade
from ..indicators.engine import scaled, score_item
from ..indicators.indicator import NOT_APPLICABLE, PERCENT
from ..indicators.profile import ProfileItem
from ..indicators.scoring_rules import (
    Band,
    Bands,
    Checklist,
    LinearOver,
    LinearUnder,
    ScoringRule,
    StepsOver,
    StepsUnder,
    quantize_x,
)
from ..schema import SCHEMA
from ..schema.sheets.qualitative import YES
from ..schema.values import coerce, is_blank, to_decimal

_HUNDRED = Decimal(100)


# -- cell values <-> Decimal --------------------------------------------------------------


def _flat(raw: Any) -> list:
    """A cell, a row, a column or a 2-D range as one flat list."""
    if isinstance(raw, (list, tuple)):
        return [x for item in raw for x in _flat(item)]
    return [raw]


def _number(raw: Any) -> Decimal | None:
    """A numeric cell value as Decimal; blanks, text and booleans are not numbers."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, Decimal):
        return raw if raw.is_finite() else None
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and (raw != raw or raw in (float("inf"), float("-inf"))):
            return None
        return to_decimal(raw)
    return None


def _total(raw: Any) -> Decimal | None:
    """Σ of the numbers in a cell or range, None when it holds none (like SUM, but blank-aware)."""
    nums = [d for d in (_number(x) for x in _flat(raw)) if d is not None]
    return sum(nums, Decimal(0)) if nums else None


def _cell(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _is_na(raw: Any) -> bool:
    return isinstance(raw, str) and raw.strip() == NOT_APPLICABLE


def _required(raw: Any, what: str) -> Decimal:
    d = _number(raw)
    if d is None:
        raise ValueError(f"{what}应为数字，实际为 {raw!r}")
    return d


def _profile_item(code: str, profile_id: str) -> ProfileItem:
    if profile_id not in PROFILES:
        raise ValueError(f"未知的评分方案 {profile_id!r}，可选：{'、'.join(PROFILES)}")
    for item in PROFILES[profile_id].items:
        if item.code == code:
            return item
    raise ValueError(f"评分方案 {profile_id} 不含指标 {code}")


def _typed_inputs(code: str, inputs: tuple) -> dict[str, object]:
    if code not in INDICATORS:
        raise ValueError(f"未知的指标代码 {code!r}")
    ind = INDICATORS[code]
    if len(inputs) != len(ind.inputs):
        labels = "、".join(SCHEMA[f].label for f in ind.inputs)
        raise ValueError(f"{code} 需要 {len(ind.inputs)} 个参数（{labels}），实际为 {len(inputs)} 个")
    values: dict[str, object] = {}
    for fid, raw in zip(ind.inputs, inputs):
        if isinstance(raw, (list, tuple)):  # a 1×1 range that arrived as a matrix
            flat = _flat(raw)
            raw = flat[0] if len(flat) == 1 else raw
        value, _problem = coerce(SCHEMA[fid], None if is_blank(raw) else raw)
        values[fid] = value  # an unreadable value is None: the indicator reports it as missing
    return values


def _apply(rule: ScoringRule, value: Any, points: Any, percent: bool = True, ind: Any = None) -> float | None:
    w = _required(points, "分值")
    if _is_na(value):
        return float(w)
    v = _number(_flat(value)[0] if isinstance(value, (list, tuple)) else value)
    if v is None:
        return None
    x = quantize_x(v * _HUNDRED if percent else v)
    return _cell(rule.score(x, w, ind))


def _pp(raw: Any, what: str) -> Decimal:
    """A threshold typed as in a percent cell (100% = 1) → percentage points."""
    return _required(raw, what) * _HUNDRED


# -- ratios ---------------------------------------------------------------------------


@xw.func
@xw.arg("numerator", doc="分子：单元格或区域，取其中数字之和，空白忽略")
@xw.arg("denominator", doc="分母：单元格或区域，取其中数字之和，空白忽略")
def pe_ratio(numerator, denominator):
    """比率 = 分子合计 ÷ 分母合计，结果为小数（单元格设为百分比格式即显示 95.10%）。分子或分母全为空白、或分母合计为 0 时返回空白。"""
    num, den = _total(numerator), _total(denominator)
    if num is None or den is None or den == 0:
        return None
    return _cell(num / den)


@xw.func
@xw.arg("current", doc="本年数：单元格或区域，取数字之和")
@xw.arg("prior", doc="上年数：单元格或区域，取数字之和")
def pe_change_rate(current, prior):
    """变动率 =（本年 − 上年）÷ 上年，结果为小数。任一方全为空白、或上年为 0（变动率无定义）时返回空白。"""
    cur, pri = _total(current), _total(prior)
    if cur is None or pri is None or pri == 0:
        return None
    return _cell((cur - pri) / pri)


# -- scoring rules --------------------------------------------------------------------


@xw.func
@xw.arg("value", doc="指标值（百分比单元格，如 95.10%）；“不适用”得满分，空白返回空白")
@xw.arg("points", doc="分值（满分）")
@xw.arg("threshold", doc="阈值，如 100%")
@xw.arg("deduct", doc="每超过 per 个百分点扣的分数")
@xw.arg("per", doc="扣分步长（百分点），默认 1")
def pe_linear_over(value, points, threshold, deduct, per=1):
    """线性扣分：指标值不超过阈值得满分；每超过 per 个百分点扣 deduct 分，扣完为止（如在职人员控制率每超 1 个百分点扣 0.5 分）。"""
    rule = LinearOver(threshold=_pp(threshold, "阈值"), deduct=_required(deduct, "扣分"), per=_required(per, "步长"))
    return _apply(rule, value, points)


@xw.func
@xw.arg("value", doc="指标值（百分比单元格）；“不适用”得满分，空白返回空白")
@xw.arg("points", doc="分值（满分）")
@xw.arg("threshold", doc="阈值，如 100%")
@xw.arg("deduct", doc="每低于 per 个百分点扣的分数")
@xw.arg("per", doc="扣分步长（百分点），默认 1")
def pe_linear_under(value, points, threshold, deduct, per=1):
    """线性扣分：指标值不低于阈值得满分；每低于 per 个百分点扣 deduct 分，扣完为止。"""
    rule = LinearUnder(threshold=_pp(threshold, "阈值"), deduct=_required(deduct, "扣分"), per=_required(per, "步长"))
    return _apply(rule, value, points)


@xw.func
@xw.arg("value", doc="指标值（百分比单元格）；“不适用”得满分，空白返回空白")
@xw.arg("points", doc="分值（满分）")
@xw.arg("threshold", doc="阈值，如 100%")
@xw.arg("step", doc="每档宽度，如 5%")
@xw.arg("deduct", doc="每满一档扣的分数")
def pe_steps_over(value, points, threshold, step, deduct):
    """分档扣分：不超过阈值得满分；每超过一整档（如 5%）扣 deduct 分，不足一档不扣，扣完为止。"""
    rule = StepsOver(threshold=_pp(threshold, "阈值"), step=_pp(step, "档宽"), deduct=_required(deduct, "扣分"))
    return _apply(rule, value, points)


@xw.func
@xw.arg("value", doc="指标值（百分比单元格）；“不适用”得满分，空白返回空白")
@xw.arg("points", doc="分值（满分）")
@xw.arg("threshold", doc="阈值，如 100%")
@xw.arg("step", doc="每档宽度，如 5%")
@xw.arg("deduct", doc="每满一档扣的分数")
def pe_steps_under(value, points, threshold, step, deduct):
    """分档扣分：“100%计满分，每低于5%扣2分”——只扣完整的档（99.27% 仍得满分），扣完为止。"""
    rule = StepsUnder(threshold=_pp(threshold, "阈值"), step=_pp(step, "档宽"), deduct=_required(deduct, "扣分"))
    return _apply(rule, value, points)


def parse_bands(spec: str) -> Bands:
    """"=0:5;(0,10]:4;>30:0" → Bands; a band without points ("(30,50]:") means 需人工评分."""
    bands = []
    for part in str(spec).replace("；", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        if ":" not in part.replace("：", ":"):
            raise ValueError(f"区间 {part!r} 缺少“:分数”")
        interval, pts = part.replace("：", ":").rsplit(":", 1)
        bands.append(Band.parse(interval, Decimal(pts.strip()) if pts.strip() else None))
    if not bands:
        raise ValueError("评分区间为空")
    return Bands(tuple(bands))


@xw.func
@xw.arg("value", doc="指标值；“不适用”返回空白（请另行计满分）")
@xw.arg("bands", doc="评分区间，如 \"=0:5;(0,10]:4;(10,20]:3;(20,30]:2;>30:0\"（百分点）")
@xw.arg("percent", doc="指标值是否为百分比（默认 TRUE：区间按百分点书写）")
def pe_bands(value, bands, percent=True):
    """分段计分：按指标值所在区间取分；区间写明开闭，如 (0,10] 含 10%、不含 0。不在任何区间内时返回空白。"""
    rule = parse_bands(bands)
    if _is_na(value):
        return None
    v = _number(_flat(value)[0] if isinstance(value, (list, tuple)) else value)
    if v is None:
        return None
    x = quantize_x(v * _HUNDRED if percent else v)
    return _cell(rule.score(x, Decimal(0), None))


@xw.func
@xw.arg("answers", doc="评价要点的回答区域（“是”/“否”）")
@xw.arg("points", doc="分值（满分）")
@xw.arg("per_item", doc="每项的分数，默认 1")
@xw.arg("mode", doc="\"award\"：每项“是”得分；\"deduct\"：每项“否”扣分")
def pe_checklist(answers, points, per_item=1, mode="award"):
    """评价要点计分：award 时每项“是”得 per_item 分（不超过分值）；deduct 时从分值起每项“否”扣 per_item 分，扣完为止。有未回答的要点时返回空白。"""
    cells = _flat(answers)
    if any(is_blank(c) for c in cells):
        return None
    yes = Decimal(sum(1 for c in cells if str(c).strip() == YES))
    rule = Checklist(per_item=_required(per_item, "每项分数"), mode=str(mode))
    return _cell(rule.score(yes, _required(points, "分值"), SimpleNamespace(items=len(cells))))


# -- indicators and profiles ------------------------------------------------------------


@xw.func
@xw.arg("code", doc="指标代码，如 \"STAFF_CONTROL\"")
@xw.arg("inputs", doc="指标所需的输入单元格，按指标定义的顺序")
def pe_indicator(code, *inputs):
    """按指标代码计算指标值（百分比指标返回小数）。不适用时返回“不适用”，缺少数据或分母为 0 时返回空白。"""
    ind = INDICATORS.get(code)
    values = _typed_inputs(code, inputs)
    out = ind.evaluate(values)
    if not out.applicable:
        return NOT_APPLICABLE
    return None if out.value is None else _cell(out.value / ind.scale)


@xw.func
@xw.arg("code", doc="指标代码，如 \"STAFF_CONTROL\"")
@xw.arg("value", doc="指标值单元格（PE_INDICATOR 的结果）")
@xw.arg("profile", doc="评分方案，如 \"V1\"")
def pe_score(code, value, profile):
    """按评分方案给指标值打分：“不适用”得满分；空白或无法评分（如资料未载明的档）返回空白。"""
    item = _profile_item(code, profile)
    if item.rule is None:
        raise ValueError(f"评分方案 {profile} 只计算指标值，不计分")
    return _apply(item.rule, value, item.points, percent=item.indicator.unit == PERCENT, ind=item.indicator)


@xw.func
@xw.arg("code", doc="指标代码，如 \"STAFF_CONTROL\"")
@xw.arg("profile", doc="评分方案，如 \"V1\"")
@xw.arg("inputs", doc="指标所需的输入单元格，按指标定义的顺序")
def pe_explain(code, profile, *inputs):
    """评分说明：如“在职人员控制率 95.10% ≤ 100%，得满分 8 分”，或“无法计算：缺少 编制数合计”。"""
    item = _profile_item(code, profile)
    values = _typed_inputs(code, inputs)
    return score_item(values, item, PROFILES[profile].scored)[3]


@xw.func
@xw.arg("total", doc="总分")
@xw.arg("max_total", doc="总分的满分，默认 100；不足 100 时折算为百分制再评级")
def pe_grade(total, max_total=100):
    """评价等级：折算百分制 ≥ 90 为“优”，≥ 80 为“良”，≥ 60 为“中”，其余为“差”。总分空白时返回空白。"""
    t = _number(total)
    if t is None:
        return None
    m = _required(max_total, "满分")
    if m <= 0:
        raise ValueError("满分应大于 0")
    return grade(scaled(t, m))
