"""收入支出决算总表 and 支出决算表, transcribed by label (domain.md §3.2)."""

from ..builders import money
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
    ),
)
