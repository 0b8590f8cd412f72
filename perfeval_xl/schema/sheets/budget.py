"""预算执行: the inputs 预算完成率 / 预算控制率 need (domain.md §1.1 'extra inputs', §2.2 V1)."""

from decimal import Decimal

from ..builders import choice, count, money, percent
from ..layout import Form, Sheet
from .expenses import GAP_DIRECTION_HELP, GAP_DIRECTIONS

BUDGET = Sheet(
    "budget",
    "预算执行",
    "预算执行与绩效目标",
    blocks=(
        Form(
            "execution",
            "一、部门预算执行",
            (
                money("budget.carryover_prior", "上年结转（年初结余）", "上年结转到本年使用的资金"),
                money("budget.initial", "年初预算数", "人大批复的本年年初预算"),
                money("budget.added", "本年追加预算", "年度中追加的预算"),
                money("budget.reduced", "本年追减预算", "年度中调减的预算，填正数"),
                money("budget.adjusted", "调整后预算数", "= 年初预算 + 追加 − 追减（填报数）"),
                money("budget.final", "支出决算数", "本年实际支出数"),
                money("budget.balance_end", "年末结余", "年末尚未支出的结转结余"),
                percent("budget.exec_rate", "预算执行率（报告所述）", "= 支出决算数 / 调整后预算数 × 100%"),
                money("budget.gap", "决算较预算增减额（报告所述）",
                      "“决算数大于预算数X万元”填 X，“小于/节约X万元”填 −X：支出决算数 − 调整后预算数；报告未印预算数时由此推算",
                      negative=True),
                choice("budget.gap_direction", "决算较预算方向（超支/节约）", GAP_DIRECTIONS, GAP_DIRECTION_HELP),
                percent("budget.gap_rate", "决算较预算增减率（报告所述）", "= 增减额 / 调整后预算数 × 100%；节约填负数",
                        negative=True, min=Decimal(-100)),
            ),
        ),
        Form(
            "fiscal",
            "二、财政拨款预算执行",
            (
                money("budget.fiscal_initial", "财政拨款年初预算数", "报告所述“财政拨款支出年初预算数”"),
                money("budget.fiscal_final", "财政拨款支出决算数", "报告所述“财政拨款支出决算数”"),
                percent("budget.fiscal_completion_rate", "完成年初预算比例（报告所述）", "= 财政拨款支出决算 / 年初预算 × 100%，可超过100%"),
            ),
        ),
        Form(
            "goals",
            "三、绩效目标",
            (
                money("goals.dept_amount", "部门整体支出绩效目标金额", "应等于本年支出合计"),
                count("goals.project_count", "项目支出绩效目标个数", "申报绩效目标的项目个数", unit="个"),
                money("goals.project_amount", "项目支出绩效目标金额", "应等于项目支出"),
                money("goals.key_project_amount", "重点项目支出", "本年预算安排的重点项目支出；重点支出安排率的分子"),
            ),
        ),
    ),
)
