"""三公经费, 公用经费 and 政府采购 by period (domain.md §1.1 Block B), and 楼堂馆所 (Block C)."""

from decimal import Decimal

from ..builders import choice, money, number, percent
from ..field import FieldType
from ..layout import Column, Form, Grid, GridRow, Sheet

PERIODS = (
    Column("prior_budget", "上年预算数", min=Decimal(0), help="上年度批复预算数"),
    Column("prior_final", "上年决算数", min=Decimal(0), help="上年度决算数"),
    Column("budget", "本年预算数", min=Decimal(0), help="本年度预算数"),
    Column("final", "本年决算数", min=Decimal(0), help="本年度决算数"),
)

SPEND_ROWS = (
    GridRow("sanggong", "“三公”经费合计", "= 因公出国（境）费 + 公务接待费 + 公务用车购置及运行维护费"),
    GridRow("abroad", "1、因公出国（境）费", "因公出国（境）的国际旅费、住宿费等"),
    GridRow("reception", "2、公务接待费", "各类公务接待（含外宾接待）费用"),
    GridRow("vehicle", "3、公务用车购置及运行维护费", "= 公务用车购置费 + 公务用车运行维护费"),
    GridRow("vehicle_purchase", "　其中：公务用车购置费", ""),
    GridRow("vehicle_operation", "　　　　公务用车运行维护费", "燃料、维修、过路过桥、保险等"),
    GridRow("public", "公用经费合计", "日常公用经费总额；不小于下列“其中”各项之和"),
    GridRow("office", "　其中：办公经费", ""),
    GridRow("utilities_travel", "　　　　水费、电费、差旅费", ""),
    GridRow("meeting", "　　　　会议费", ""),
    GridRow("training", "　　　　培训费", ""),
    GridRow("procurement", "政府采购金额", "政府采购执行率 = 本年决算 / 本年预算"),
)

# How reports say which way an actual-vs-budget gap goes; with a direction chosen the amount is typed unsigned.
GAP_DIRECTIONS = ("超支", "节约", "增加", "减少")
GAP_SIGN = {"超支": 1, "增加": 1, "节约": -1, "减少": -1}
GAP_DIRECTION_HELP = ("报告写“超支X万元”“决算数大于预算数X万元”选“超支”（或“增加”），写“节约X万元”“小于预算X万元”选“节约”"
                      "（或“减少”）；选了方向，增减额照印填不带正负号的数。不选时按增减额的正负号理解")

CHANGE_COLUMNS = (
    Column("amount", "增减额（较上年决算）", FieldType.MONEY, min=None, help="本年决算 − 上年决算；减少填负数"),
    Column("rate", "增减率（报告所述）", FieldType.PERCENT, unit="%", min=Decimal(-100), help="增减额 / 上年决算 × 100%；减少填负数"),
    Column("completion", "完成预算比例（报告所述）", FieldType.PERCENT, unit="%", min=Decimal(0), help="本年决算 / 本年预算 × 100%"),
    Column("gap", "较预算增减额（报告所述）", FieldType.MONEY, min=None,
           help="本年决算 − 本年预算：“决算数大于预算数X万元”填 X，“节约X万元”“小于预算X万元”填 −X；或填 X 并在右侧选方向"),
    Column("gap_direction", "较预算方向（超支/节约）", FieldType.ENUM, choices=GAP_DIRECTIONS, help=GAP_DIRECTION_HELP, width=10),
    Column("gap_rate", "较预算增减率（报告所述）", FieldType.PERCENT, unit="%", min=Decimal(-100),
           help="较预算增减额 / 本年预算 × 100%；节约填负数"),
    Column("share", "占“三公”经费比重（报告所述）", FieldType.PERCENT, unit="%", min=Decimal(0), max=Decimal(100),
           help="本项本年决算 / “三公”经费本年决算 × 100%"),
    Column("budget_change", "本年预算较上年预算增减额（报告所述）", FieldType.MONEY, min=None,
           help="预算公开中“比上年预算增加/减少X万元”：本年预算 − 上年预算；减少填负数"),
    Column("budget_change_rate", "本年预算较上年预算增减率（报告所述）", FieldType.PERCENT, unit="%", min=Decimal(-100),
           help="本年预算较上年预算增减额 / 上年预算 × 100%"),
    Column("budget_vs_prior_final", "本年预算较上年决算增减额（报告所述）", FieldType.MONEY, min=None,
           help="“本年预算比上年决算增加/减少X万元”：本年预算 − 上年决算；减少填负数"),
    Column("budget_vs_prior_final_rate", "本年预算较上年决算增减率（报告所述）", FieldType.PERCENT, unit="%", min=Decimal(-100),
           help="本年预算较上年决算增减额 / 上年决算 × 100%"),
)

CHANGE_ROWS = (
    GridRow("sanggong", "“三公”经费合计"),
    GridRow("abroad", "因公出国（境）费"),
    GridRow("reception", "公务接待费"),
    GridRow("vehicle", "公务用车购置及运行维护费"),
    GridRow("vehicle_purchase", "其中：公务用车购置费"),
    GridRow("vehicle_operation", "其中：公务用车运行维护费"),
)

# the year before last, for the three-year 三公 comparison reports print (前年决算 · 上年决算 · 本年决算)
SANGGONG_ROWS = SPEND_ROWS[:4]  # 合计 and its three parts
HISTORY_COLUMNS = (
    Column("prior2_final", "前年决算数", min=Decimal(0), help="上上年度（前年）决算数；报告比较三年“三公”经费时照填，未载明留空"),
)

BUILDING_STATUS = ("不适用（本年无完工项目）", "适用")

EXPENSES = Sheet(
    "expenses",
    "三公经费",
    "“三公”经费、公用经费与楼堂馆所",
    blocks=(
        Grid("spend", "一、“三公”经费、公用经费与政府采购（万元）", PERIODS, SPEND_ROWS),
        Grid(
            "change",
            "二、报告所述增减与完成情况",
            CHANGE_COLUMNS,
            CHANGE_ROWS,
            note="报告正文中“与上年相比减少X万元，减少Y%”“完成预算的Z%”“决算数大于预算数X万元”等表述，逐项照填以便核对；"
            "报告只印了增减额而未印上年数（或只印了较预算差额而未印预算数）时，上年数（预算数）由增减额推算",
        ),
        Form(
            "building",
            "三、楼堂馆所控制情况（本年完工项目）",
            (
                choice("building.status", "是否有本年完工的新建楼堂馆所", BUILDING_STATUS, "无项目选“不适用”，相关指标计满分"),
                number("building.approved_area", "批复建设面积", "", unit="㎡"),
                number("building.actual_area", "实际建设面积", "", unit="㎡"),
                money("building.approved_invest", "概算投资", "批复的投资概算"),
                money("building.actual_invest", "实际投资", ""),
                percent("building.area_rate", "面积控制率（报告所述）", "= 实际面积 / 批复面积 × 100%"),
                percent("building.invest_rate", "投资概算控制率（报告所述）", "= 实际投资 / 概算投资 × 100%"),
            ),
        ),
        Grid(
            "history",
            "四、“三公”经费前年决算（三年对比）",
            HISTORY_COLUMNS,
            SANGGONG_ROWS,
            note="报告列出前年、上年、本年三年“三公”经费时填写；报告图表按三年决算绘制",
        ),
    ),
)
