from ..layout import Sheet

SCORING = Sheet("scoring", "评分", "部门整体支出绩效评价指标评分表", placeholder="由评分功能填写（perfeval 指标计算）")
FINDINGS = Sheet("findings", "校验结果", "校验结果", placeholder="由“校验”按钮或 perfeval check 填写")
