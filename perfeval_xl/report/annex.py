"""附表: the 基础数据表 and 指标评分表 as tables, after the narrative sections."""

from __future__ import annotations

from decimal import Decimal
from typing import Sequence

from ..schema.sheets.expenses import SPEND_ROWS
from ..schema.sheets.finance import FUNCTION_CLASSES, INCOME_SOURCES
from . import phrases as P
from .phrases import MISSING
from .model import Block, Heading, NOT_COMPUTABLE, PageBreak, Table, cell, cell_pct, para
from .reading import BUDGET_ITEMS, ONPOST_PARTS, OTHER_PARTS, QUOTA_PARTS, RETIRED_PARTS, Values, breakdown, clean_label, score_text, severity_of, spend_row, total_of, year_text, finding_line


def _annex(v: Values, year: int | None, scorecard, findings: Sequence) -> list[Block]:
    out: list[Block] = [Heading("附表1　部门整体支出绩效评价基础数据表", 1)]
    out.append(para("金额单位：万元。表中数字均取自填报的基础数据表；占比、完成率、增减额、增减率、合计等按填报数计算。"
                    "“未填报”表示该项未填报，“—”表示无法计算。", "note"))
    out.append(_staff_table(v, year))
    out.append(_finance_table(v))
    out.append(_spend_table(v))
    out.append(_budget_table(v))
    out.append(_asset_table(v))
    rounding = [f for f in findings if getattr(f, "rounding", False) and severity_of(f) != "error"]
    if rounding:
        out.append(Heading("数据校验说明", 2))
        out.append(para(f"校验发现{len(rounding)}处舍入差异（各数分别四舍五入到0.01万元所致，不影响结论）：", "note"))
        for i, f in enumerate(rounding, 1):
            out.append(para(f"{i}. {finding_line(f)}", "note"))
    out.append(PageBreak())
    out.extend(_score_annex(scorecard))
    return out


def _staff_table(v: Values, year: int | None) -> Table:
    rows: list[tuple[str, ...]] = []

    def row(label: str, total_id: str, parts) -> Decimal | None:
        total, _ = total_of(v, total_id, [f for f, _ in parts])
        rows.append((label, cell(total, 0), breakdown(v, parts, lambda x: P.num(x, 0))))
        return total

    quota = row("编制数（人）", "staff.quota.total", QUOTA_PARTS)
    onpost = row(f"{year_text(year)}底实际在编在岗人数（人）", "staff.onpost.total", ONPOST_PARTS)
    rows.append(("在职人员控制率", cell_pct(P.share(onpost, quota)), "在编在岗人数 ÷ 编制数 × 100%"))
    row("其他人员（人）", "staff.other.total", OTHER_PARTS)
    row("离退休人员（人）", "staff.retired.total", RETIRED_PARTS)
    for prefix, label, n in (("org.internal", "内设机构（个）", 15), ("org.subunit", "下属单位（个）", 10)):
        names = v.names(prefix, n)
        rows.append((label, str(len(names)) if names else cell(v.d(f"{prefix}.count"), 0), "、".join(names)))
    return Table("（一）人员与机构", ("项目", "数量", "构成"), tuple(rows), numeric=(1,), widths=(3.6, 1.1, 4.6))


def _finance_table(v: Values) -> Table:
    rows: list[tuple[str, ...]] = []
    totals: list[int] = []
    inc_total = v.d("inc.total_year")
    for key, label in INCOME_SOURCES:
        x = v.d(f"inc.{key}")
        if x is not None:
            rows.append(("收入", clean_label(label), cell(x), cell_pct(P.share(x, inc_total))))
    totals.append(len(rows))
    rows.append(("收入", "本年收入合计", cell(inc_total), cell_pct(P.share(inc_total, inc_total))))
    for fid, label in (("inc.fiscal_total", "其中：财政拨款收入"), ("inc.non_fiscal_balance_used", "使用非财政拨款结余"),
                       ("inc.carryover_begin", "年初结转和结余"), ("inc.grand_total", "收入总计")):
        if v.d(fid) is not None:
            rows.append(("收入", label, cell(v.d(fid)),
                         cell_pct(P.share(v.d(fid), inc_total)) if fid == "inc.fiscal_total" else ""))
    exp_total = v.d("exp.total_year")
    for key, label in FUNCTION_CLASSES:
        x = v.d(f"exp.func.{key}")
        if x is not None:
            rows.append(("功能分类支出", label, cell(x), cell_pct(P.share(x, exp_total))))
    totals.append(len(rows))
    rows.append(("支出", "本年支出合计", cell(exp_total), cell_pct(P.share(exp_total, exp_total))))
    for fid, label in (("exp.basic", "基本支出"), ("exp.personnel", "　其中：人员经费"), ("exp.public", "　　　　公用经费"),
                       ("exp.project", "项目支出"), ("exp.upper", "上缴上级支出"), ("exp.operating", "经营支出"),
                       ("exp.affiliate", "对附属单位补助支出")):
        x = v.d(fid)
        if x is None and fid not in ("exp.basic", "exp.project"):
            continue
        rows.append(("性质分类支出", label, cell(x), cell_pct(P.share(x, exp_total))))
    for fid, label in (("exp.surplus_distribution", "结余分配"), ("exp.carryover_end", "年末结转和结余"), ("exp.grand_total", "支出总计")):
        if v.d(fid) is not None:
            rows.append(("支出", label, cell(v.d(fid)), ""))
    return Table(
        "（二）收入支出情况（单位：万元）", ("类别", "项目", "金额", "占比"), tuple(rows), numeric=(2, 3),
        widths=(2.0, 4.4, 1.6, 1.3),
        notes=("仅列示填有数据的收入来源和功能分类科目；占比 = 该项 ÷ 本年收入（支出）合计 × 100%。",),
        total_rows=tuple(totals),
    )


def _grid_label(label: str) -> str:
    """A 其中 row of the grid, indented by one space instead of the form's "其中：" column."""
    if label.startswith("　"):
        return "　" + clean_label(label)
    return label


def _spend_table(v: Values) -> Table:
    rows = []
    for r in SPEND_ROWS:
        s = spend_row(v, r.key)
        ch = P.change(s["final"], s["prior_final"])
        if ch.amount is None:
            amount, rate = NOT_COMPUTABLE, NOT_COMPUTABLE
        else:
            amount = P.num(ch.amount)
            rate = P.pct(ch.rate) if ch.rate is not None else ("上年为0" if ch.amount != 0 else NOT_COMPUTABLE)
        rows.append((
            _grid_label(r.label), cell(s["prior_budget"]), cell(s["prior_final"]), cell(s["budget"]),
            cell(s["final"]), amount, rate, cell_pct(P.completion(s["final"], s["budget"])),
        ))
    return Table(
        "（三）“三公”经费、公用经费与政府采购（单位：万元）",
        ("项目", "上年预算", "上年决算", "本年预算", "本年决算", "增减额", "增减率", "完成预算"),
        tuple(rows),
        numeric=(1, 2, 3, 4, 5, 6, 7),
        widths=(2.6, 1.15, 1.15, 1.15, 1.15, 1.1, 1.15, 1.15),
        notes=("增减额 = 本年决算 − 上年决算；增减率 = 增减额 ÷ 上年决算 × 100%（上年为0时不计算）；"
               "完成预算 = 本年决算 ÷ 本年预算 × 100%（预算为0时不计算）。",),
        total_rows=(0,),
    )


def _budget_table(v: Values) -> Table:
    rows = [(label, cell(v.d(fid))) for fid, label in BUDGET_ITEMS]
    rows.append(("预算执行率（支出决算 ÷ 调整后预算）", cell_pct(P.completion(v.d("budget.final"), v.d("budget.adjusted")))))
    rows.append(("财政拨款支出年初预算", cell(v.d("budget.fiscal_initial"))))
    rows.append(("财政拨款支出决算", cell(v.d("budget.fiscal_final"))))
    rows.append(("完成年初预算（财政拨款支出决算 ÷ 年初预算）",
                 cell_pct(P.completion(v.d("budget.fiscal_final"), v.d("budget.fiscal_initial")))))
    rows.append(("部门整体支出绩效目标金额", cell(v.d("goals.dept_amount"))))
    rows.append(("项目支出绩效目标个数（个）", cell(v.d("goals.project_count"), 0)))
    rows.append(("项目支出绩效目标金额", cell(v.d("goals.project_amount"))))
    rows.append(("重点项目支出", cell(v.d("goals.key_project_amount"))))
    return Table("（四）预算执行与绩效目标（单位：万元）", ("项目", "数值"), tuple(rows), numeric=(1,), widths=(6.0, 2.0))


def _asset_table(v: Values) -> Table:
    o, a, d, c = (v.d(f"assets.fixed.{k}") for k in ("opening", "added", "disposed", "closing"))
    expected = None if None in (o, a, d) else o + a - d
    diff = None if expected is None or c is None else c - expected
    rows = [(cell(o), cell(a), cell(d), cell(c), P.num(expected) if expected is not None else NOT_COMPUTABLE,
             P.num(diff) if diff is not None else NOT_COMPUTABLE)]
    return Table(
        "（五）固定资产（单位：万元）",
        ("年初数", "本年增加", "本年减少", "年末数（填报）", "年末数（计算）", "差异"),
        tuple(rows),
        numeric=(0, 1, 2, 3, 4, 5),
        widths=(1.4, 1.4, 1.4, 1.6, 1.6, 1.2),
        notes=("年末数（计算）= 年初数 + 本年增加 − 本年减少；差异 = 填报数 − 计算数。",),
    )


def _indicator_value(item) -> str:
    """The indicator's value as the scoring sheet prints it (95.10%, 3/3 项符合, a level's label)."""
    from ..indicators import INDICATORS

    ind = INDICATORS.get(item.code)
    if ind is not None:
        return ind.format_value(item.value)
    return P.pct(item.value) if item.unit == "%" else f"{P.num(item.value)}{item.unit}"


def _score_annex(scorecard) -> list[Block]:
    out: list[Block] = [Heading("附表2　部门整体支出绩效评价指标评分表", 1)]
    if scorecard is None:
        out.append(para(f"指标评分{MISSING}。"))
        return out
    prof = scorecard.profile
    out.append(para(f"评分方案：{prof.name}（{prof.id}）。", "note"))
    rows = []
    for it in scorecard.items:
        if getattr(it, "evaluator", False):
            value = "评价组评分"
        elif not it.applicable:
            value = "不适用"
        elif it.value is None:
            value = "无法计算"
        else:
            value = _indicator_value(it)
        rows.append((it.level, it.group, it.title, score_text(it.points), value, score_text(it.score), it.explanation))
    totals: tuple[int, ...] = ()
    if prof.scored:
        total_text = score_text(scorecard.total)
        rows.append(("合计", "", "", score_text(scorecard.max_total), "", total_text, scorecard.explanation))
        totals = (len(rows) - 1,)
    out.append(Table(
        "",
        ("一级指标", "二级指标", "三级指标", "分值", "指标值", "得分", "评分说明"),
        tuple(rows),
        numeric=(3, 4, 5),
        widths=(1.0, 1.2, 2.2, 0.7, 1.2, 0.7, 3.7),
        total_rows=totals,
    ))
    if prof.notes:
        out.append(para(f"方案说明：{' '.join(prof.notes.split())}", "note"))
    return out
