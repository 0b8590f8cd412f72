from decimal import Decimal

from ..builders import choice, date, count, text
from ..layout import Form, Sheet

EVAL_METHODS = ("部门（单位）绩效自评", "财政部门重点评价", "第三方机构评价")
# The unit money figures are entered in, as the report prints them (real reports use 元, 万元 and 亿元).
MONEY_UNITS = ("万元", "元", "亿元")
DEFAULT_MONEY_UNIT = MONEY_UNITS[0]
DEFAULT_MONEY_DECIMALS = 2
DEFAULT_RATE_DECIMALS = 2
MONEY_UNIT, MONEY_DECIMALS, RATE_DECIMALS = "report.money_unit", "report.money_decimals", "report.rate_decimals"

COVER = Sheet(
    "cover",
    "封面",
    "部门整体支出绩效评价基础数据表",
    blocks=(
        Form(
            "info",
            "一、基本信息",
            (
                text("dept.name", "部门（单位）名称", "填写部门全称，如：长沙市芙蓉区人民政府办公室", required=True, max_length=60),
                text("dept.code", "预算编码", "财政部门核定的部门预算编码，如：906017", max_length=20),
                count("report.year", "评价年度", "被评价的预算年度，四位数字，如 2020", unit="年", required=True,
                      min=Decimal(2000), max=Decimal(2100)),
                choice("eval.method", "评价方式", EVAL_METHODS, "从下拉列表选择", required=True),
                text("eval.org", "评价机构", "如：部门（单位）评价组", max_length=60),
                text("contact.name", "填报人", "负责填报本表的人员姓名", required=True, max_length=20),
                text("contact.phone", "联系电话", "手机或座机号码", max_length=30),
                date("report.date", "填报日期", "格式：2021-03-31", required=True),
                # the report's cover page (评价报告封面): who issues the form and when the report is dated
                text("report.bureau", "财政局名称", "封面落款“XX财政局（制）”中的财政局，如：长沙市芙蓉区财政局", max_length=40),
                date("report.issued", "报告日期", "评价报告封面上的日期；空白时用填报日期"),
            ),
        ),
        Form(
            "precision",
            "二、计量单位与精度（按所依据的报告填写）",
            (
                choice(MONEY_UNIT, "金额单位", MONEY_UNITS,
                       f"报告、决算表所用的金额单位；不填按“{DEFAULT_MONEY_UNIT}”。所有金额单元格都按此单位填写"),
                count(MONEY_DECIMALS, "金额小数位数", f"报告所印金额的小数位数（0–4）；不填按 {DEFAULT_MONEY_DECIMALS} 位。"
                      "核对合计时每个金额按此精度视为舍入后的数", unit="位", min=Decimal(0), max=Decimal(4)),
                count(RATE_DECIMALS, "比率小数位数", f"报告所印百分比的小数位数（0–4）；不填按 {DEFAULT_RATE_DECIMALS} 位。"
                      "报告印“95.10%”时填 2：即使单元格里显示为 95.1%，也按两位核对", unit="位", min=Decimal(0), max=Decimal(4)),
            ),
            note="空白单元格表示“报告未载明”，不按 0 计算；报告写明为 0 的数请填 0。",
        ),
    ),
)
