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
# rows of the 增减 table: 合计, 因公出国（境）, 公务接待, 公务用车
CHANGE_ROWS = ("sanggong", "abroad", "reception", "vehicle")
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
    *(Identity("SUM014", "at_least", f"spend.public.{p}",
               (f"spend.office.{p}", f"spend.utilities_travel.{p}", f"spend.meeting.{p}", f"spend.training.{p}")) for p in PERIODS),
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
