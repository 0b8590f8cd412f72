from decimal import Decimal

from ..field import FieldType
from ..layout import IDENTITY_DIFF, IDENTITY_EXPECTED, Column, Sheet, Table

OUTPUT_TABLE = Table(
    "outputs",
    "履职产出与效益指标",
    15,
    (
        Column("name", "指标名称", FieldType.TEXT, max_length=60, width=30, help="如：建议提案办结率、区长信箱办结率"),
        Column("unit", "计量单位", FieldType.TEXT, max_length=10, width=10, help="如：件、条、次"),
        Column("plan", "计划值", FieldType.NUMBER, min=Decimal(0), width=12),
        Column("actual", "实际值", FieldType.NUMBER, min=Decimal(0), width=12),
        Column("rate", "完成率（报告所述）", FieldType.PERCENT, unit="%", min=Decimal(0), width=16, help="= 实际值 / 计划值 × 100%"),
        # the row's RATE010 identity (完成率 = 实际值 / 计划值), written from that declaration by the template
        Column("rate_expected", "完成率应为", FieldType.PERCENT, unit="%", width=12, formula=IDENTITY_EXPECTED),
        Column("rate_diff", "差异", FieldType.PERCENT, unit="%", width=10, formula=IDENTITY_DIFF),
    ),
)

OUTPUTS = Sheet("outputs", "履职产出", "履职产出与效益", label_width=8, blocks=(OUTPUT_TABLE,))
