"""The arithmetic identities of domain.md §3, each declared once.

The template draws its live 应为/差异 cells from these declarations and the
checker evaluates them with rounding intervals; neither restates a formula.
"""

from __future__ import annotations

from ..schema import SCHEMA
from ..schema.sheets.expenses import CHANGE_ROWS, PERIODS
from ..schema.sheets.finance import FUNCTION_CLASSES, INCOME_SOURCES, NATURE_PARTS, SHARE_PARTS, YEAR_TOTALS
from ..schema.sheets.outputs import OUTPUT_TABLE
from ..schema.sheets.projects import PROJECT_TABLE
from .base import ArithmeticRule, Case, CountRule, Severity, Term, minus, plus

SUM_MSG = "{stated_label}填报 {actual}，按{basis}计算应为 {expected}，相差 {diff}"
AT_LEAST_MSG = "{stated_label}填报 {actual}，小于{basis} {expected}，相差 {diff}；合计不应小于其中各项之和"
RATE_MSG = "{stated_label}填报 {actual}%，按{basis}计算应为 {expected}%，相差 {diff} 个百分点"


def _sum(id, slug, title, rationale, stated, terms, basis, **kw):
    return ArithmeticRule(
        id=id, slug=slug, title=title, rationale=rationale, message=SUM_MSG, kind="sum",
        cases=(Case(stated, terms, basis),), **kw,
    )


def _per_period(id, slug, title, rationale, row, parts, basis, kind="sum", periods=PERIODS):
    return ArithmeticRule(
        id=id, slug=slug, title=title, rationale=rationale, message=AT_LEAST_MSG if kind == "at_least" else SUM_MSG,
        kind=kind,
        cases=tuple(
            Case(f"spend.{row}.{p.key}", plus(*(f"spend.{r}.{p.key}" for r in parts)), f"{basis}（{p.label}）")
            for p in periods
        ),
    )


STAFF_RULES = (
    _sum("SUM001", "quota-parts-not-summing", "编制数合计与分项不符",
         "编制数合计应等于行政、事业、工勤编制之和（机构编制部门核定的编制口径）。",
         "staff.quota.total", plus("staff.quota.admin", "staff.quota.inst", "staff.quota.worker"), "行政+事业+工勤编制"),
    _sum("SUM002", "onpost-parts-not-summing", "在编在岗合计与分项不符",
         "在编在岗人数应等于行政、事业、工勤人员之和（例：37+14+4=55）。",
         "staff.onpost.total", plus("staff.onpost.admin", "staff.onpost.inst", "staff.onpost.worker"), "行政+事业+工勤人员"),
    _sum("SUM003", "other-staff-not-summing", "其他人员合计与分项不符",
         "其他人员应等于政府雇员与临聘人员之和（例：2+5=7）。",
         "staff.other.total", plus("staff.other.gov_employee", "staff.other.temp"), "政府雇员+临聘人员"),
    _sum("SUM004", "retired-not-summing", "离退休合计与分项不符",
         "离退休人员合计应等于退休与离休人员之和。",
         "staff.retired.total", plus("staff.retired.retire", "staff.retired.lixiu"), "退休+离休"),
)

FINANCE_RULES = (
    _sum("SUM005", "income-sources-not-summing", "本年收入合计与各收入来源之和不符",
         "收入支出决算总表：本年收入合计 = 八项收入来源之和（财政部 部门决算报表说明：收入支出决算总表）。",
         "inc.total_year", plus(*(f"inc.{k}" for k, _ in INCOME_SOURCES)), "八项收入来源之和"),
    _sum("SUM006", "fiscal-income-not-summing", "财政拨款收入与三类财政拨款之和不符",
         "财政拨款收入 = 一般公共预算 + 政府性基金 + 国有资本经营预算财政拨款收入（财政部 部门决算报表说明：收入决算表）。",
         "inc.fiscal_total", plus("inc.general_budget", "inc.gov_fund", "inc.state_capital"), "三类财政拨款收入之和"),
    _sum("SUM007", "income-grand-total-not-summing", "收入总计与其构成不符",
         "收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余（财政部 部门决算报表说明：收入支出决算总表）。",
         "inc.grand_total", plus("inc.total_year", "inc.non_fiscal_balance_used", "inc.carryover_begin"),
         "本年收入合计+使用非财政拨款结余+年初结转和结余"),
    _sum("SUM008", "function-classes-not-summing", "本年支出合计与功能分类各类之和不符",
         "支出决算表：本年支出合计 = 各功能分类（类）支出之和（财政部 部门决算报表说明；例：1941.98+236.79+71.99+27.33=2278.09）。",
         "exp.total_year", plus(*(f"exp.func.{k}" for k, _ in FUNCTION_CLASSES)), "功能分类各类支出之和"),
    _sum("SUM009", "nature-parts-not-summing", "本年支出合计与基本支出、项目支出等之和不符",
         "本年支出合计 = 基本支出 + 项目支出 + 上缴上级 + 经营支出 + 对附属单位补助（财政部 部门决算报表说明：支出决算表）。"
         "例：1641.81 + 636.29 = 2278.10，与所述 2278.09 相差 0.01，属舍入差异。",
         "exp.total_year", plus(*(f"exp.{k}" for k, _, _ in NATURE_PARTS)), "基本支出+项目支出+上缴上级+经营+对附属单位补助",
         template_block="nature"),
    _sum("SUM010", "basic-not-personnel-plus-public", "基本支出与人员经费、公用经费之和不符",
         "基本支出 = 人员经费 + 公用经费（财政部 部门决算报表说明：基本支出 = 人员经费 + 公用经费）。",
         "exp.basic", plus("exp.personnel", "exp.public"), "人员经费+公用经费"),
    _sum("SUM011", "expense-grand-total-not-summing", "支出总计与其构成不符",
         "支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余（财政部 部门决算报表说明：收入支出决算总表）。",
         "exp.grand_total", plus("exp.total_year", "exp.surplus_distribution", "exp.carryover_end"),
         "本年支出合计+结余分配+年末结转和结余"),
)

SPEND_RULES = (
    _per_period("SUM012", "sanggong-parts-not-summing", "“三公”经费合计与三项之和不符",
                "“三公”经费 = 因公出国（境）费 + 公务接待费 + 公务用车购置及运行维护费，逐期核对（财政部 部门决算报表说明：“三公”经费支出决算表）。",
                "sanggong", ("abroad", "reception", "vehicle"), "三项之和"),
    _per_period("SUM013", "vehicle-parts-not-summing", "公务用车经费与购置、运行维护之和不符",
                "公务用车购置及运行维护费 = 购置费 + 运行维护费，逐期核对（财政部 部门决算报表说明：“三公”经费支出决算表）。",
                "vehicle", ("vehicle_purchase", "vehicle_operation"), "购置+运行维护"),
    _per_period("SUM014", "public-less-than-its-items", "公用经费合计小于其中各项之和",
                "“其中”各项不是穷举，公用经费合计只须不小于办公、水电差旅、会议、培训之和。",
                "public", ("office", "utilities_travel", "meeting", "training"), "其中各项之和", kind="at_least"),
    _sum("SUM030", "sanggong-prior2-parts-not-summing", "“三公”经费前年决算合计与三项之和不符",
         "“三公”经费 = 因公出国（境）费 + 公务接待费 + 公务用车购置及运行维护费，前年决算数也不例外；"
         "三年对比图按这些数绘制，合计与三项之和对不上时图与文字会互相矛盾（财政部 部门决算报表说明：“三公”经费支出决算表）。",
         "history.sanggong.prior2_final",
         plus("history.abroad.prior2_final", "history.reception.prior2_final", "history.vehicle.prior2_final"),
         "三项之和（前年决算数）"),
    _sum("SUM015", "project-list-not-summing", "项目支出与项目明细实际支出合计不符",
         "项目支出应等于项目支出明细表各项目实际支出之和。",
         "exp.project", tuple(Term(a, 1, present_if=n) for a, n in zip(PROJECT_TABLE.column_ids("actual"), PROJECT_TABLE.column_ids("name"))),
         "项目明细实际支出合计",
         template_block="projects"),
)

# Stated differences add up like the figures they are differences of.
CHANGE_SUM_COLUMNS = ("amount", "gap", "budget_change", "budget_vs_prior_final")


def _change_sum(id, slug, title, rationale, row, parts, basis):
    return ArithmeticRule(
        id=id, slug=slug, title=title, rationale=rationale, message=SUM_MSG, kind="sum", quiet_without_parts=True,
        cases=tuple(
            Case(f"change.{row}.{col}", plus(*(f"change.{r}.{col}" for r in parts)), f"{basis}（{SCHEMA[f'change.{row}.{col}'].column_label}）")
            for col in CHANGE_SUM_COLUMNS
        ),
    )


CHANGE_SUM_RULES = (
    _change_sum("SUM018", "sanggong-change-parts-not-summing", "“三公”经费增减额与各项增减额之和不符",
                "“三公”经费是三项之和，其增减额（较上年、较预算）也必然等于三项增减额之和。报告中合计的增减额与各项增减额对不上，"
                "说明某一项的增减额漏写（如“因公出国费0万元”却未写其较上年变化）或写错：请核对原文，报告载明的照填，"
                "未载明的保持空白（空白视为未知，不按 0 计算）。",
                "sanggong", ("abroad", "reception", "vehicle"), "三项增减额之和"),
    _change_sum("SUM019", "vehicle-change-parts-not-summing", "公务用车增减额与购置、运行维护增减额之和不符",
                "公务用车购置及运行维护费 = 购置费 + 运行维护费，其增减额也等于两者增减额之和。不符时请核对原文中两项的增减额。",
                "vehicle", ("vehicle_purchase", "vehicle_operation"), "购置+运行维护增减额"),
)

PART_MSG = "{stated_label}填报 {actual}，小于其中的{basis} {expected}，相差 {diff}；部分不可能大于整体"


def _part(id, slug, title, rationale, whole, part, basis, **kw):
    """The whole is at least its part (“其中” figures, sub-totals quoted on their own)."""
    return ArithmeticRule(id=id, slug=slug, title=title, rationale=rationale, message=PART_MSG, kind="at_least",
                          cases=(Case(whole, plus(part), basis),), **kw)


PART_RULES = (
    _part("SUM016", "fiscal-income-exceeds-total-income", "财政拨款收入大于本年收入合计",
          "财政拨款收入是本年收入合计的“其中”项（部门决算《收入支出决算总表》），不可能大于本年收入合计。"
          "多为把收入总计（含年初结转）当成了财政拨款收入，或两数填反。请对照决算总表核对两数。",
          "inc.total_year", "inc.fiscal_total", "财政拨款收入"),
    _part("SUM017", "fiscal-spending-exceeds-total-spending", "财政拨款支出决算大于本年支出合计",
          "财政拨款支出只是本年支出的一部分（另有其他资金安排的支出），不可能大于本年支出合计。"
          "常见原因是把财政拨款支出填成了支出总计（含年末结转），或单位（元/万元）不一致。请核对预算执行表与收入支出表。",
          "exp.total_year", "budget.fiscal_final", "财政拨款支出决算数"),
    _part("XREF009", "project-goal-exceeds-dept-goal", "项目绩效目标金额大于部门整体绩效目标金额",
          "项目支出绩效目标覆盖的是项目支出，部门整体支出绩效目标覆盖全部支出，前者不可能大于后者（财预〔2013〕53号 部门整体支出框架）。"
          "请核对两项目标金额是否填反。",
          "goals.dept_amount", "goals.project_amount", "项目支出绩效目标金额"),
)

ROLL_RULES = (
    _sum("ROLL001", "fixed-assets-not-rolling-forward", "固定资产年末数与年初、增减变动不衔接",
         "固定资产：年初 + 本年增加 − 本年减少 = 年末。例：138.36 + 1.72 − 7.34 = 132.74，"
         "与所述 132.75 相差 0.01，属舍入差异。",
         "assets.fixed.closing", plus("assets.fixed.opening", "assets.fixed.added") + minus("assets.fixed.disposed"),
         "年初+本年增加−本年减少"),
    _sum("ROLL002", "adjusted-budget-not-rolling-forward", "调整后预算与年初预算、追加追减不衔接",
         "调整后预算 = 年初预算 + 本年追加 − 本年追减（调整预算数 = 年初预算数 + 预算调增数 − 预算调减数）。",
         "budget.adjusted", plus("budget.initial", "budget.added") + minus("budget.reduced"), "年初预算+追加−追减"),
    _sum("ROLL003", "carryover-not-rolling-forward", "年末结转和结余与年初结转、本年收支不衔接",
         "年末结转和结余 = 年初结转和结余 + 本年收入合计 + 使用非财政拨款结余 − 本年支出合计 − 结余分配（由收入支出决算总表收支两端相等推出，财政部 部门决算报表说明）。",
         "exp.carryover_end",
         plus("inc.carryover_begin", "inc.total_year", "inc.non_fiscal_balance_used") + minus("exp.total_year", "exp.surplus_distribution"),
         "年初结转+本年收入+使用结余−本年支出−结余分配"),
)

XREF_RULES = (
    _sum("XREF001", "income-total-not-expense-total", "收入总计与支出总计不等",
         "收入支出决算总表两端必须平衡：收入总计 = 支出总计（财政部 部门决算报表说明）。",
         "exp.grand_total", plus("inc.grand_total"), "收入总计"),
    _sum("XREF002", "dept-goal-not-total-expense", "部门整体支出绩效目标金额与本年支出合计不等",
         "部门整体支出绩效目标应覆盖本年全部支出（例：2278.09 = 2278.09）。",
         "goals.dept_amount", plus("exp.total_year"), "本年支出合计"),
    _sum("XREF003", "project-goal-not-project-expense", "项目绩效目标金额与项目支出不等",
         "项目支出绩效目标金额应等于项目支出（例：636.29 = 636.29）。",
         "goals.project_amount", plus("exp.project"), "项目支出"),
    _sum("XREF004", "budget-final-not-total-expense", "预算执行表支出决算数与本年支出合计不等",
         "预算执行的支出决算数与收入支出表的本年支出合计是同一数字，两处填报应一致。",
         "budget.final", plus("exp.total_year"), "本年支出合计", severity=Severity.WARNING),
)

COUNT_MSG = "{stated_label}填报 {actual} 个，下方实际列出 {expected} 个"

COUNT_RULES = (
    CountRule("XREF005", "internal-units-count-mismatch", "内设机构个数与所列名称数不符",
              "报告“内设机构X个”后应恰好列出X个名称（列表与所述个数不符按警告处理）。",
              severity=Severity.WARNING, message=COUNT_MSG,
              stated="org.internal.count", listed=tuple(f"org.internal.name_{i:02d}" for i in range(1, 16))),
    CountRule("XREF006", "subunits-count-mismatch", "下属单位个数与所列名称数不符",
              "所述下属单位个数应等于列出的单位名称数。", severity=Severity.WARNING, message=COUNT_MSG,
              stated="org.subunit.count", listed=tuple(f"org.subunit.name_{i:02d}" for i in range(1, 11))),
    CountRule("XREF007", "project-count-mismatch", "项目个数与项目明细所列项目数不符",
              "报告“共实施7个项目”应对应明细表中7个项目名称。", severity=Severity.WARNING, message=COUNT_MSG,
              stated="projects.count", listed=tuple(PROJECT_TABLE.column_ids("name"))),
    CountRule("XREF008", "goal-count-mismatch", "项目绩效目标个数与项目明细所列项目数不符",
              "项目支出绩效目标个数应等于实施的项目个数。", severity=Severity.WARNING, message=COUNT_MSG,
              stated="goals.project_count", listed=tuple(PROJECT_TABLE.column_ids("name"))),
)


def _stated_change(ids, what, rows, why):
    """Two rules for a stated change: amount = later − earlier (which may supply a blank earlier figure), rate = amount / earlier.

    ``rows``: (amount field, rate field, later field, earlier field, row label).
    """
    amount_id, rate_id = ids
    slug = {"本年预算较上年预算": "budget-on-prior-budget", "本年预算较上年决算": "budget-on-prior-final",
            "本年收支合计较上年": "year-total-on-prior", "支出决算较预算": "final-on-budget"}[what]
    return (
        ArithmeticRule(
            amount_id, f"{slug}-amount-mismatch", f"{what}增减额与两期数字不符",
            f"增减额 = 后一数 − 前一数。{why}不符时请对照报告原文核对增减额的数字和方向（减少、节约填负数）。",
            message=SUM_MSG, kind="sum",
            cases=tuple(Case(a, plus(later) + minus(earlier), f"{label}{what}", require_all=True, derives=earlier)
                        for a, _, later, earlier, label in rows),
        ),
        ArithmeticRule(
            rate_id, f"{slug}-rate-mismatch", f"{what}增减率与两期数字不符",
            f"增减率 = 增减额 / 前一数 × 100%；前一数为 0 时无定义。{why}按推算的基数算出的比率与所述不符，"
            "说明增减额或比率之一有误，或比率用了别的基数：请核对后照实填写。",
            message=RATE_MSG, kind="ratio",
            cases=tuple(Case(r, plus(later) + minus(earlier), f"{label}{what}（增减额/前一数）", denominator=plus(earlier),
                             derives=earlier)
                        for _, r, later, earlier, label in rows),
        ),
    )


def _ratio(id, slug, title, rationale, stated, num, den, basis, **kw):
    return ArithmeticRule(
        id=id, slug=slug, title=title, rationale=rationale, message=RATE_MSG, kind="ratio",
        cases=(Case(stated, num, basis, denominator=den),), **kw,
    )


RATE_RULES = (
    _ratio("RATE001", "staff-control-rate-mismatch", "在职人员控制率与人数不符",
           "在职人员控制率 = 在编在岗人数 / 编制数 × 100%（财预〔2013〕53号 共性指标体系框架“在职人员控制率”；例：136/143 = 95.10%）。",
           "staff.control_rate", plus("staff.onpost.total"), plus("staff.quota.total"), "在编在岗/编制数"),
    _ratio("RATE002", "exec-rate-mismatch", "预算执行率与决算、预算数不符",
           "预算执行率 = 支出决算数 / 调整后预算数 × 100%（财预〔2013〕53号 共性指标体系框架）。",
           "budget.exec_rate", plus("budget.final"), plus("budget.adjusted"), "支出决算/调整后预算"),
    _ratio("RATE003", "fiscal-completion-rate-mismatch", "完成年初预算比例与财政拨款数不符",
           "完成年初预算比例 = 财政拨款支出决算 / 财政拨款年初预算 × 100%（例：2250.76/1924.71 = 116.94%）。",
           "budget.fiscal_completion_rate", plus("budget.fiscal_final"), plus("budget.fiscal_initial"), "财政拨款决算/年初预算"),
    ArithmeticRule(
        "RATE004", "change-amount-mismatch", "增减额与本年、上年决算数不符",
        "增减额 = 本年决算 − 上年决算（财政部 部门决算报表说明：“三公”经费支出决算表）。", message=SUM_MSG, kind="sum",
        cases=tuple(
            Case(f"change.{r.key}.amount", plus(f"spend.{r.key}.final") + minus(f"spend.{r.key}.prior_final"), f"{r.label}本年决算−上年决算",
                 require_all=True, derives=f"spend.{r.key}.prior_final")
            for r in CHANGE_ROWS
        ),
    ),
    ArithmeticRule(
        "RATE005", "change-rate-mismatch", "增减率与本年、上年决算数不符",
        "增减率 = (本年决算 − 上年决算) / 上年决算 × 100%；上年为 0 时无定义（例：1.51/2.12 = 71.23%）。",
        message=RATE_MSG, kind="ratio",
        cases=tuple(
            Case(f"change.{r.key}.rate", plus(f"spend.{r.key}.final") + minus(f"spend.{r.key}.prior_final"),
                 f"{r.label}（本年决算−上年决算）/上年决算", denominator=plus(f"spend.{r.key}.prior_final"),
                 derives=f"spend.{r.key}.prior_final")
            for r in CHANGE_ROWS
        ),
    ),
    ArithmeticRule(
        "RATE006", "completion-rate-mismatch", "完成预算比例与决算、预算数不符",
        "完成预算比例 = 本年决算 / 本年预算 × 100%（财预〔2013〕53号 共性指标体系框架“三公经费控制率”；例：公务接待 0.61/2.50 = 24.4%）。",
        message=RATE_MSG, kind="ratio",
        cases=tuple(
            Case(f"change.{r.key}.completion", plus(f"spend.{r.key}.final"), f"{r.label}本年决算/本年预算",
                 denominator=plus(f"spend.{r.key}.budget"))
            for r in CHANGE_ROWS
        ),
    ),
    ArithmeticRule(
        "RATE013", "increase-exceeds-current-year", "增加额大于本年决算数",
        "增减额 = 本年 − 上年，上年不可能为负，故增加额不可能大于本年决算数；超过即说明增减额、本年数之一填错，"
        "或把“较预算”的差额当成了“较上年”的增减额。请对照报告原文核对。",
        message="{basis}所述增加 {expected}，大于{stated_label} {actual}（相差 {diff}）：上年将为负数，不可能",
        kind="at_least",
        cases=tuple(Case(f"spend.{r.key}.final", plus(f"change.{r.key}.amount"), f"{r.label}较上年") for r in CHANGE_ROWS),
    ),
    ArithmeticRule(
        "RATE014", "budget-gap-mismatch", "较预算增减额与本年决算、预算数不符",
        "较预算增减额 = 本年决算 − 本年预算（《部门决算》“决算数大于/小于预算数”的说明）。报告常只印差额而不印预算数，"
        "此时预算数按“决算 − 差额”推算，用于核对完成预算比例和较预算增减率。不符时请对照报告原文：“大于”填正数，“节约”“小于”填负数。",
        message=SUM_MSG, kind="sum",
        cases=tuple(
            Case(f"change.{r.key}.gap", plus(f"spend.{r.key}.final") + minus(f"spend.{r.key}.budget"), f"{r.label}本年决算−本年预算",
                 require_all=True, derives=f"spend.{r.key}.budget")
            for r in CHANGE_ROWS
        ),
    ),
    ArithmeticRule(
        "RATE015", "budget-gap-rate-mismatch", "较预算增减率与决算、预算数不符",
        "较预算增减率 = (本年决算 − 本年预算) / 本年预算 × 100%；预算为 0 时无定义。报告把“完成预算的 30.77%”写成"
        "“-69.23%”之类，就是把增减率当成了完成率：请分别填入“完成预算比例”和“较预算增减率”两栏。",
        message=RATE_MSG, kind="ratio",
        cases=tuple(
            Case(f"change.{r.key}.gap_rate", plus(f"spend.{r.key}.final") + minus(f"spend.{r.key}.budget"),
                 f"{r.label}（本年决算−本年预算）/本年预算", denominator=plus(f"spend.{r.key}.budget"),
                 derives=f"spend.{r.key}.budget")
            for r in CHANGE_ROWS
        ),
    ),
    *(
        rule
        for ids, col, later, earlier, what in (
            (("RATE016", "RATE017"), "budget_change", "budget", "prior_budget", "本年预算较上年预算"),
            (("RATE018", "RATE019"), "budget_vs_prior_final", "budget", "prior_final", "本年预算较上年决算"),
        )
        for rule in _stated_change(
            ids, what, tuple((f"change.{r.key}.{col}", f"change.{r.key}.{col}_rate", f"spend.{r.key}.{later}",
                              f"spend.{r.key}.{earlier}", r.label) for r in CHANGE_ROWS),
            "预算公开常写“本年“三公”经费预算X万元，比上年预算减少Y万元，下降Z%”，或与上年决算比较；上年数多不印出，"
            "由所述增减额推算。",
        )
    ),
    *_stated_change(
        ("RATE020", "RATE021"), "本年收支合计较上年",
        tuple((f"{k}.change_amount", f"{k}.change_rate", f"{k}.total_year", f"{k}.total_prior", label) for k, label in YEAR_TOTALS),
        "部门决算说明写“本年收入合计X万元，比上年增加Y万元，增长Z%”，一般不印上年数：上年按本年 − 增减额推算。",
    ),
    ArithmeticRule(
        "RATE022", "sanggong-share-mismatch", "“三公”各项占比与决算数不符",
        "占比 = 本项本年决算 / “三公”经费本年决算 × 100%（部门决算“三公”经费说明）。公开报告中常见以预算数为分母、"
        "把各项完成率当成占比、或两项占比对调的情形：请按决算数重新计算后照实填写，并更正报告原文。",
        message=RATE_MSG, kind="ratio",
        cases=tuple(Case(f"change.{r.key}.share", plus(f"spend.{r.key}.final"), f"{r.label}本年决算/“三公”经费本年决算",
                         denominator=plus("spend.sanggong.final")) for r in CHANGE_ROWS if r.key != "sanggong"),
    ),
    ArithmeticRule(
        "RATE023", "expense-share-mismatch", "支出结构占比与支出数不符",
        "占比 = 分项支出 / 本年支出合计 × 100%（部门决算 支出决算表说明“基本支出X万元，占Y%”）。"
        "以预算数或收入合计为分母算出的占比会与此不符：请按本年支出合计重新计算后照实填写。",
        message=RATE_MSG, kind="ratio",
        cases=tuple(Case(f"exp.share.{k}", plus(part), f"{label}/本年支出合计", denominator=plus("exp.total_year"))
                    for k, label, part in SHARE_PARTS),
    ),
    *_stated_change(
        ("RATE024", "RATE025"), "支出决算较预算",
        (("budget.gap", "budget.gap_rate", "budget.final", "budget.adjusted", "部门支出"),),
        "报告写“支出决算X万元，决算数大于（小于）预算数Y万元”而不印预算数时，调整后预算按决算 − 差额推算，"
        "用于核对预算执行率（“完成预算的100%”与非零差额互相矛盾）。",
    ),
    _ratio("RATE007", "building-area-rate-mismatch", "楼堂馆所面积控制率与面积不符",
           "面积控制率 = 实际建设面积 / 批复建设面积 × 100%（财预〔2013〕53号 共性指标体系框架“楼堂馆所控制率”）。",
           "building.area_rate", plus("building.actual_area"), plus("building.approved_area"), "实际面积/批复面积"),
    _ratio("RATE008", "building-invest-rate-mismatch", "投资概算控制率与投资额不符",
           "投资概算控制率 = 实际投资 / 概算投资 × 100%（财预〔2013〕53号 共性指标体系框架“楼堂馆所控制率”）。",
           "building.invest_rate", plus("building.actual_invest"), plus("building.approved_invest"), "实际投资/概算投资"),
    _ratio("RATE009", "asset-use-rate-mismatch", "固定资产利用率与资产数不符",
           "固定资产利用率 = 在用固定资产 / 固定资产总额 × 100%（53号框架 资产管理）。",
           "assets.fixed.use_rate", plus("assets.fixed.in_use"), plus("assets.fixed.closing"), "在用/年末固定资产"),
    ArithmeticRule(
        "RATE010", "output-rate-mismatch", "履职指标完成率与计划值、实际值不符",
        "完成率 = 实际值 / 计划值 × 100%（财预〔2013〕53号“实际完成率”；例：区长信箱 155/157 = 98.7%）。",
        message=RATE_MSG, kind="ratio", show_in_template=False,  # the table carries its own 应为/差异 columns
        cases=tuple(
            Case(OUTPUT_TABLE.field_id(i, "rate"), plus(OUTPUT_TABLE.field_id(i, "actual")), f"第{i}行 实际值/计划值",
                 denominator=plus(OUTPUT_TABLE.field_id(i, "plan")))
            for i in range(1, OUTPUT_TABLE.n_rows + 1)
        ),
    ),
)

ARITHMETIC_RULES: tuple[ArithmeticRule | CountRule, ...] = (
    STAFF_RULES + FINANCE_RULES + SPEND_RULES + CHANGE_SUM_RULES + PART_RULES + ROLL_RULES + XREF_RULES + COUNT_RULES + RATE_RULES
)
