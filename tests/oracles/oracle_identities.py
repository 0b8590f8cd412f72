"""The arithmetic identities of the 部门决算 tables and the base-data sheet, typed out by hand.

This table is the tests' oracle. It is written from the report layout
(domain.md §3.1 I1–I16 and §3.2 D1–D14: 收入支出决算总表, 收入决算表, 支出决算表,
“三公”经费表, 基础数据表), NOT imported from ``perfeval_xl.rules``: a term dropped from
(or added to) a declaration in the registry then disagrees with this table instead of
silently dropping out of the test as well. Keep it that way — never derive it.

Each identity: (rule id, kind, stated field, + terms, − terms, denominator, severity).
``kind`` is "sum" (stated = Σ+ − Σ−), "at_least" (stated ≥ Σ+, 其中 rows are not
exhaustive) or "ratio" (stated % = (Σ+ − Σ−) / Σden × 100).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Identity:
    rule: str
    kind: str
    stated: str
    plus: tuple[str, ...]
    minus: tuple[str, ...] = ()
    den: tuple[str, ...] = ()
    severity: str = "error"

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.stated, *self.plus, *self.minus, *self.den)


def S(rule, stated, plus, minus=(), severity="error") -> Identity:
    return Identity(rule, "sum", stated, tuple(plus), tuple(minus), (), severity)


def R(rule, stated, plus, den, minus=()) -> Identity:
    return Identity(rule, "ratio", stated, tuple(plus), tuple(minus), tuple(den))


def A(rule, stated, plus) -> Identity:
    """stated ≥ Σ+ (a whole and its 其中 part)."""
    return Identity(rule, "at_least", stated, tuple(plus))


# 收入支出决算总表 收入栏: 一 … 八
INCOME_SOURCES = ("inc.general_budget", "inc.gov_fund", "inc.state_capital", "inc.superior_subsidy", "inc.business",
                  "inc.operating", "inc.affiliate", "inc.other")
# 支出栏 by 功能分类 类 (201 … 232; 209, 218, 219, 223, 225–228, 230 are not used by departments' 决算)
FUNCTION_CLASSES = ("exp.func.c201", "exp.func.c202", "exp.func.c203", "exp.func.c204", "exp.func.c205", "exp.func.c206",
                    "exp.func.c207", "exp.func.c208", "exp.func.c210", "exp.func.c211", "exp.func.c212", "exp.func.c213",
                    "exp.func.c214", "exp.func.c215", "exp.func.c216", "exp.func.c217", "exp.func.c220", "exp.func.c221",
                    "exp.func.c222", "exp.func.c224", "exp.func.c229", "exp.func.c231", "exp.func.c232")
# 三公 table columns: 上年预算 | 上年决算 | 本年预算 | 本年决算
PERIODS = ("prior_budget", "prior_final", "budget", "final")
# rows of the 增减 table: 合计, 因公出国（境）, 公务接待, 公务用车, 其中 购置, 其中 运行维护
CHANGE_ROWS = ("sanggong", "abroad", "reception", "vehicle", "vehicle_purchase", "vehicle_operation")
# stated differences that add up like the figures they are differences of (SUM018, SUM019)
CHANGE_SUM_COLUMNS = ("amount", "gap", "budget_change", "budget_vs_prior_final")
# 本年收入合计 / 本年支出合计 and the stated change on the prior year (RATE020, RATE021)
YEAR_TOTALS = ("inc", "exp")
# 支出结构占比 parts of 本年支出合计 (RATE023): 基本支出, 项目支出, each 功能分类 类
SHARE_PARTS = ("exp.basic", "exp.project", *FUNCTION_CLASSES)
PROJECT_ROWS = 30  # 项目支出明细表 rows
OUTPUT_ROWS = 15  # 履职产出 rows

IDENTITIES: tuple[Identity, ...] = (
    # 人员 (I13)
    S("SUM001", "staff.quota.total", ["staff.quota.admin", "staff.quota.inst", "staff.quota.worker"]),
    S("SUM002", "staff.onpost.total", ["staff.onpost.admin", "staff.onpost.inst", "staff.onpost.worker"]),
    S("SUM003", "staff.other.total", ["staff.other.gov_employee", "staff.other.temp"]),
    S("SUM004", "staff.retired.total", ["staff.retired.retire", "staff.retired.lixiu"]),
    # 收入支出决算总表 (D1, D9, D2, D5, D6, D7, D3)
    S("SUM005", "inc.total_year", INCOME_SOURCES),
    S("SUM006", "inc.fiscal_total", ["inc.general_budget", "inc.gov_fund", "inc.state_capital"]),
    S("SUM007", "inc.grand_total", ["inc.total_year", "inc.non_fiscal_balance_used", "inc.carryover_begin"]),
    S("SUM008", "exp.total_year", FUNCTION_CLASSES),
    S("SUM009", "exp.total_year", ["exp.basic", "exp.project", "exp.upper", "exp.operating", "exp.affiliate"]),
    S("SUM010", "exp.basic", ["exp.personnel", "exp.public"]),
    S("SUM011", "exp.grand_total", ["exp.total_year", "exp.surplus_distribution", "exp.carryover_end"]),
    # 三公 (I2, I3, D14) and 公用经费 其中 (I4), per period column
    *(S("SUM012", f"spend.sanggong.{p}", [f"spend.abroad.{p}", f"spend.reception.{p}", f"spend.vehicle.{p}"]) for p in PERIODS),
    *(S("SUM013", f"spend.vehicle.{p}", [f"spend.vehicle_purchase.{p}", f"spend.vehicle_operation.{p}"]) for p in PERIODS),
    # the year before last (前年决算, for the three-year chart): 合计 = 因公出国 + 公务接待 + 公务用车
    S("SUM030", "history.sanggong.prior2_final",
      ["history.abroad.prior2_final", "history.reception.prior2_final", "history.vehicle.prior2_final"]),
    *(Identity("SUM014", "at_least", f"spend.public.{p}",
               (f"spend.office.{p}", f"spend.utilities_travel.{p}", f"spend.meeting.{p}", f"spend.training.{p}")) for p in PERIODS),
    # a stated 增减 of a total = Σ the parts' 增减, per column (合计 = 三项; 公务用车 = 购置 + 运行维护)
    *(S("SUM018", f"change.sanggong.{c}", [f"change.abroad.{c}", f"change.reception.{c}", f"change.vehicle.{c}"])
      for c in CHANGE_SUM_COLUMNS),
    *(S("SUM019", f"change.vehicle.{c}", [f"change.vehicle_purchase.{c}", f"change.vehicle_operation.{c}"])
      for c in CHANGE_SUM_COLUMNS),
    # a whole is at least its 其中 part
    A("SUM016", "inc.total_year", ["inc.fiscal_total"]),
    A("SUM017", "exp.total_year", ["budget.fiscal_final"]),
    A("XREF009", "goals.dept_amount", ["goals.project_amount"]),
    # 项目支出 = 项目明细实际支出合计 (D6, I15)
    S("SUM015", "exp.project", [f"projects.r{i:02d}.actual" for i in range(1, PROJECT_ROWS + 1)]),
    # roll-forwards (I16, I5, D2–D4)
    S("ROLL001", "assets.fixed.closing", ["assets.fixed.opening", "assets.fixed.added"], ["assets.fixed.disposed"]),
    S("ROLL002", "budget.adjusted", ["budget.initial", "budget.added"], ["budget.reduced"]),
    S("ROLL003", "exp.carryover_end", ["inc.carryover_begin", "inc.total_year", "inc.non_fiscal_balance_used"],
      ["exp.total_year", "exp.surplus_distribution"]),
    # the same figure in two places (D4, I15)
    S("XREF001", "exp.grand_total", ["inc.grand_total"]),
    S("XREF002", "goals.dept_amount", ["exp.total_year"]),
    S("XREF003", "goals.project_amount", ["exp.project"]),
    S("XREF004", "budget.final", ["exp.total_year"], severity="warning"),
    # rates (I1, I12, I10, I8, Block C, 53号 资产管理 and 实际完成率)
    R("RATE001", "staff.control_rate", ["staff.onpost.total"], ["staff.quota.total"]),
    R("RATE002", "budget.exec_rate", ["budget.final"], ["budget.adjusted"]),
    R("RATE003", "budget.fiscal_completion_rate", ["budget.fiscal_final"], ["budget.fiscal_initial"]),
    *(S("RATE004", f"change.{r}.amount", [f"spend.{r}.final"], [f"spend.{r}.prior_final"]) for r in CHANGE_ROWS),
    *(R("RATE005", f"change.{r}.rate", [f"spend.{r}.final"], [f"spend.{r}.prior_final"], minus=[f"spend.{r}.prior_final"])
      for r in CHANGE_ROWS),
    *(R("RATE006", f"change.{r}.completion", [f"spend.{r}.final"], [f"spend.{r}.budget"]) for r in CHANGE_ROWS),
    # 增加额 ≤ 本年决算 (上年 cannot be negative)
    *(A("RATE013", f"spend.{r}.final", [f"change.{r}.amount"]) for r in CHANGE_ROWS),
    # 较预算: gap = 本年决算 − 本年预算, gap rate = gap / 本年预算
    *(S("RATE014", f"change.{r}.gap", [f"spend.{r}.final"], [f"spend.{r}.budget"]) for r in CHANGE_ROWS),
    *(R("RATE015", f"change.{r}.gap_rate", [f"spend.{r}.final"], [f"spend.{r}.budget"], minus=[f"spend.{r}.budget"])
      for r in CHANGE_ROWS),
    # 本年预算较上年预算 / 较上年决算: amount = 本年预算 − earlier, rate = amount / earlier
    *(S("RATE016", f"change.{r}.budget_change", [f"spend.{r}.budget"], [f"spend.{r}.prior_budget"]) for r in CHANGE_ROWS),
    *(R("RATE017", f"change.{r}.budget_change_rate", [f"spend.{r}.budget"], [f"spend.{r}.prior_budget"],
        minus=[f"spend.{r}.prior_budget"]) for r in CHANGE_ROWS),
    *(S("RATE018", f"change.{r}.budget_vs_prior_final", [f"spend.{r}.budget"], [f"spend.{r}.prior_final"]) for r in CHANGE_ROWS),
    *(R("RATE019", f"change.{r}.budget_vs_prior_final_rate", [f"spend.{r}.budget"], [f"spend.{r}.prior_final"],
        minus=[f"spend.{r}.prior_final"]) for r in CHANGE_ROWS),
    # 本年收入/支出合计较上年: amount = 本年 − 上年, rate = amount / 上年
    *(S("RATE020", f"{k}.change_amount", [f"{k}.total_year"], [f"{k}.total_prior"]) for k in YEAR_TOTALS),
    *(R("RATE021", f"{k}.change_rate", [f"{k}.total_year"], [f"{k}.total_prior"], minus=[f"{k}.total_prior"]) for k in YEAR_TOTALS),
    # 占比: each 三公 item / 三公合计 (本年决算); each 支出 part / 本年支出合计
    *(R("RATE022", f"change.{r}.share", [f"spend.{r}.final"], ["spend.sanggong.final"]) for r in CHANGE_ROWS if r != "sanggong"),
    *(R("RATE023", "exp.share." + p.rsplit(".", 1)[1], [p], ["exp.total_year"]) for p in SHARE_PARTS),
    # 支出决算较预算: gap = 支出决算数 − 调整后预算, rate = gap / 调整后预算
    S("RATE024", "budget.gap", ["budget.final"], ["budget.adjusted"]),
    R("RATE025", "budget.gap_rate", ["budget.final"], ["budget.adjusted"], minus=["budget.adjusted"]),
    R("RATE007", "building.area_rate", ["building.actual_area"], ["building.approved_area"]),
    R("RATE008", "building.invest_rate", ["building.actual_invest"], ["building.approved_invest"]),
    R("RATE009", "assets.fixed.use_rate", ["assets.fixed.in_use"], ["assets.fixed.closing"]),
    *(R("RATE010", f"outputs.r{i:02d}.rate", [f"outputs.r{i:02d}.actual"], [f"outputs.r{i:02d}.plan"])
      for i in range(1, OUTPUT_ROWS + 1)),
)

# counts announced in the text = names listed below them (I14)
COUNTS = (
    ("XREF005", "org.internal.count", tuple(f"org.internal.name_{i:02d}" for i in range(1, 16))),
    ("XREF006", "org.subunit.count", tuple(f"org.subunit.name_{i:02d}" for i in range(1, 11))),
    ("XREF007", "projects.count", tuple(f"projects.r{i:02d}.name" for i in range(1, PROJECT_ROWS + 1))),
    ("XREF008", "goals.project_count", tuple(f"projects.r{i:02d}.name" for i in range(1, PROJECT_ROWS + 1))),
)

# the shares of every part of one whole add up to 100 % (支出决算表 占比; “三公”经费 占比): per rule, the
# (share field or "" where the table prints none, the part's amount) of each part of the whole
SHARE_SUMS = (
    ("SUM020", (("exp.share.basic", "exp.basic"), ("exp.share.project", "exp.project"), ("", "exp.upper"),
                ("", "exp.operating"), ("", "exp.affiliate"))),
    ("SUM021", tuple((f.replace("exp.func.", "exp.share."), f) for f in FUNCTION_CLASSES)),
    ("SUM022", (("change.abroad.share", "spend.abroad.final"), ("change.reception.share", "spend.reception.final"),
                ("change.vehicle.share", "spend.vehicle.final"))),
)
