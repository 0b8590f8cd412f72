"""收入支出决算总表 and 支出决算表, transcribed by label (domain.md §3.2)."""

from decimal import Decimal

from ..builders import money, percent
from ..layout import Form, Sheet

INCOME_SOURCES = (
    ("general_budget", "一、一般公共预算财政拨款收入"),
    ("gov_fund", "二、政府性基金预算财政拨款收入"),
    ("state_capital", "三、国有资本经营预算财政拨款收入"),
    ("superior_subsidy", "四、上级补助收入"),
    ("business", "五、事业收入"),
    ("operating", "六、经营收入"),
    ("affiliate", "七、附属单位上缴收入"),
    ("other", "八、其他收入"),
)

FISCAL_SOURCES = ("general_budget", "gov_fund", "state_capital")

# 支出功能分类科目 (类) as printed in 收入支出决算总表; the code is the 类 number.
FUNCTION_CLASSES = (
    ("c201", "一般公共服务支出（201类）"),
    ("c202", "外交支出（202类）"),
    ("c203", "国防支出（203类）"),
    ("c204", "公共安全支出（204类）"),
    ("c205", "教育支出（205类）"),
    ("c206", "科学技术支出（206类）"),
    ("c207", "文化旅游体育与传媒支出（207类）"),
    ("c208", "社会保障和就业支出（208类）"),
    ("c210", "卫生健康支出（210类）"),
    ("c211", "节能环保支出（211类）"),
    ("c212", "城乡社区支出（212类）"),
    ("c213", "农林水支出（213类）"),
    ("c214", "交通运输支出（214类）"),
    ("c215", "资源勘探工业信息等支出（215类）"),
    ("c216", "商业服务业等支出（216类）"),
    ("c217", "金融支出（217类）"),
    ("c220", "自然资源海洋气象等支出（220类）"),
    ("c221", "住房保障支出（221类）"),
    ("c222", "粮油物资储备支出（222类）"),
    ("c224", "灾害防治及应急管理支出（224类）"),
    ("c229", "其他支出（229类）"),
    ("c231", "债务还本支出（231类）"),
    ("c232", "债务付息支出（232类）"),
)

# The totals whose change against last year reports state (“本年收入合计X万元，比上年增加Y万元，增长Z%”).
YEAR_TOTALS = (("inc", "本年收入合计"), ("exp", "本年支出合计"))
# Parts of 本年支出合计 whose share reports state (“基本支出X万元，占Y%”).
SHARE_PARTS = (("basic", "基本支出", "exp.basic"), ("project", "项目支出", "exp.project")) + tuple(
    (k, label.split("（")[0], f"exp.func.{k}") for k, label in FUNCTION_CLASSES)

NATURE_PARTS = (
    ("basic", "基本支出", "保障机构正常运转的支出 = 人员经费 + 公用经费"),
    ("project", "项目支出", "为完成特定任务的项目支出；应等于项目支出明细表合计"),
    ("upper", "上缴上级支出", ""),
    ("operating", "经营支出", ""),
    ("affiliate", "对附属单位补助支出", ""),
)

FINANCE = Sheet(
    "finance",
    "收入支出",
    "收入支出决算情况（按部门决算报表填列）",
    blocks=(
        Form(
            "income",
            "一、收入（收入支出决算总表）",
            tuple(money(f"inc.{k}", label, "按收入支出决算总表对应行填列") for k, label in INCOME_SOURCES)
            + (
                money("inc.total_year", "本年收入合计", "决算表所列本年收入合计（填报数）", required=True),
                money("inc.fiscal_total", "其中：财政拨款收入", "= 一般公共预算 + 政府性基金 + 国有资本经营 财政拨款收入"),
                money("inc.non_fiscal_balance_used", "使用非财政拨款结余（含专用结余）", ""),
                money("inc.carryover_begin", "年初结转和结余", "也称上年结转和结余"),
                money("inc.grand_total", "收入总计", "= 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余；应等于支出总计"),
            ),
        ),
        Form(
            "function",
            "二、本年支出（按支出功能分类，类级）",
            tuple(money(f"exp.func.{k}", label, "按支出决算表功能分类类级科目填列") for k, label in FUNCTION_CLASSES)
            + (money("exp.total_year", "本年支出合计", "决算表所列本年支出合计（填报数）", required=True),),
        ),
        Form(
            "nature",
            "三、本年支出（按支出性质）",
            tuple(money(f"exp.{k}", label, help) for k, label, help in NATURE_PARTS)
            + (
                money("exp.personnel", "基本支出：人员经费", "工资福利支出 + 对个人和家庭的补助"),
                money("exp.public", "基本支出：公用经费", "商品和服务支出等日常公用经费"),
            ),
        ),
        Form(
            "balance",
            "四、结余及总计",
            (
                money("exp.surplus_distribution", "结余分配", ""),
                money("exp.carryover_end", "年末结转和结余", ""),
                money("exp.grand_total", "支出总计", "= 本年支出合计 + 结余分配 + 年末结转和结余；应等于收入总计"),
            ),
        ),
        Form(
            "prior",
            "五、与上年比较（报告所述）",
            tuple(
                f
                for key, label in YEAR_TOTALS
                for f in (
                    money(f"{key}.total_prior", f"上年{label[2:]}", f"上年决算的{label[2:]}；报告未印时留空，由增减额推算"),
                    money(f"{key}.change_amount", f"{label}较上年增减额", "本年 − 上年；减少填负数", negative=True),
                    percent(f"{key}.change_rate", f"{label}较上年增减率", "增减额 / 上年 × 100%；减少填负数", negative=True,
                            min=Decimal(-100)),
                )
            ),
            note="报告写“本年收入合计X万元，比上年增加Y万元，增长Z%”时照填；上年数未印则留空",
        ),
        Form(
            "share",
            "六、支出结构占比（报告所述）",
            tuple(percent(f"exp.share.{k}", f"{label}占本年支出比重", f"{label} / 本年支出合计 × 100%", max=Decimal(100))
                  for k, label, _ in SHARE_PARTS),
            note="报告写“基本支出X万元，占Y%”“一般公共服务支出X万元，占Z%”时照填所述比重",
        ),
    ),
)
