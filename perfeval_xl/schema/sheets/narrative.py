"""Free-text paragraphs of the 评价报告 that no figure can write (职能, 重点工作, 问题, 建议 …).

Each is a wrapped long-text input; the report shows a visible placeholder where one is empty,
never invented prose.
"""

from ..builders import longtext
from ..layout import Form, Sheet

NARRATIVE = Sheet(
    "narrative",
    "文字说明",
    "评价报告文字部分（供生成报告使用）",
    label_width=26,
    value_width=90,
    blocks=(
        Form(
            "overview",
            "一、部门概况",
            (
                longtext("narrative.functions", "主要职能", "部门“三定”规定的主要职能，可分条列出", max_length=3000),
                longtext("narrative.institutions", "机构设置补充说明", "内设机构、下属单位以外需要说明的机构情况", max_length=1000),
                longtext("narrative.work_plan", "年度重点工作计划", "本年度的重点工作安排", max_length=2000),
            ),
        ),
        Form(
            "spending",
            "二、支出管理及使用情况",
            (
                longtext("narrative.basic_use", "基本支出主要用途", "如：保障机构正常运转、完成日常工作任务……", max_length=1000),
                longtext("narrative.project_use", "项目资金使用情况", "各项目的主要内容与资金使用情况", max_length=4000),
            ),
        ),
        Form(
            "implementation",
            "三、项目组织实施与资产管理",
            (
                longtext("narrative.project_org", "项目组织情况", "", max_length=2000),
                longtext("narrative.project_mgmt", "项目管理情况", "制度建设及执行情况", max_length=2000),
                longtext("narrative.asset_mgmt", "资产管理情况", "资产管理制度及执行情况", max_length=2000),
            ),
        ),
        Form(
            "results",
            "四、绩效情况、问题与建议",
            (
                longtext("narrative.performance", "部门整体支出绩效情况", "本年度主要工作成效", max_length=6000),
                longtext("narrative.problems", "存在的主要问题", "", max_length=3000),
                longtext("narrative.suggestions", "改进措施和有关建议", "", max_length=3000),
            ),
        ),
        Form(
            "reasons",
            "五、原因与目标说明",
            (
                longtext("narrative.goal_setting", "绩效目标设定情况", "绩效目标的编制、申报与审核情况（报告“绩效目标设定情况”一节的文字）", max_length=2000),
                longtext("narrative.sanggong_reason", "“三公”经费增减原因", "如：厉行节约，严格控制公务接待；用车改革后车辆减少……", max_length=1000),
                longtext("narrative.overspend_reason", "超预算原因", "支出决算超过预算（或项目实际支出超过调整后预算）的原因", max_length=1000),
            ),
        ),
    ),
)
