"""定性指标评价要点: one 是/否 answer per checklist item.

Items follow the 评价要点 of 财预〔2013〕53号 附件2 (domain.md §2.1) and the Yueyang
criteria (§2.2 V2). Every item is worded so that 是 means 符合: a checklist
score then only counts 是 answers, whatever the indicator.
"""

from ..builders import choice
from ..layout import Form, Sheet

YES, NO = "是", "否"
YES_NO = (YES, NO)


def _items(indicator: str, items: tuple[tuple[str, str], ...]) -> tuple:
    return tuple(
        choice(f"qual.{indicator}.{key}", label, YES_NO, "符合选“是”，不符合选“否”")
        for key, label in items
    )


QUAL_CHECKLISTS: dict[str, tuple[tuple[str, str], ...]] = {
    # 过程 / 预算管理
    "budget_rules": (
        ("exists", "已制定或具有预算资金管理办法、内部财务管理制度、会计核算制度等管理制度"),
        ("lawful", "相关管理制度合法、合规、完整"),
        ("enforced", "相关管理制度得到有效执行"),
    ),
    "fund_compliance": (
        ("regulations", "符合国家财经法规和财务管理制度以及有关专项资金管理办法的规定"),
        ("approval", "资金的拨付有完整的审批程序和手续"),
        ("appraisal", "项目的重大开支经过评估论证"),
        ("purpose", "符合部门预算批复的用途"),
        ("no_misuse", "不存在截留、挤占、挪用、虚列支出等情况"),
    ),
    "disclosure": (
        ("content", "按规定内容公开预决算信息"),
        ("timely", "按规定时限公开预决算信息"),
    ),
    "basic_info": (
        ("true", "基础数据信息和会计信息资料真实"),
        ("complete", "基础数据信息和会计信息资料完整"),
        ("accurate", "基础数据信息和会计信息资料准确"),
    ),
    # 过程 / 资产管理
    "asset_rules": (
        ("exists", "已制定或具有资产管理制度"),
        ("lawful", "相关资产管理制度合法、合规、完整"),
        ("enforced", "相关资产管理制度得到有效执行"),
    ),
    "asset_safety": (
        ("intact", "资产保存完整"),
        ("allocation", "资产配置合理"),
        ("disposal", "资产处置规范"),
        ("accounts", "资产账务管理合规，帐实相符"),
        ("income", "资产有偿使用及处置收入及时足额上缴"),
    ),
}

_TITLES = {
    "budget_rules": "一、预算管理：管理制度健全性",
    "fund_compliance": "二、预算管理：资金使用合规性",
    "disclosure": "三、预算管理：预决算信息公开性",
    "basic_info": "四、预算管理：基础信息完善性",
    "asset_rules": "五、资产管理：管理制度健全性",
    "asset_safety": "六、资产管理：资产管理安全性",
}

QUALITATIVE = Sheet(
    "qualitative",
    "定性指标",
    "定性指标评价要点（符合选“是”）",
    blocks=tuple(Form(key, _TITLES[key], _items(key, items)) for key, items in QUAL_CHECKLISTS.items()),
    label_width=60,
)
