from decimal import Decimal

from ..builders import count
from ..field import FieldType
from ..layout import Column, Form, Sheet, Table

FUND_SOURCES = ("财政拨款", "财政专户管理资金", "单位资金", "其他资金")
YES_NO = ("是", "否")

PROJECT_TABLE = Table(
    "projects",
    "二、项目支出明细",
    30,
    (
        Column("name", "项目名称", FieldType.TEXT, max_length=60, width=30, help="每行一个项目"),
        Column("source", "资金来源", FieldType.ENUM, choices=FUND_SOURCES, width=14),
        Column("initial", "年初预算", min=Decimal(0), width=12),
        Column("adjusted", "调整后预算", min=Decimal(0), width=12),
        Column("actual", "实际支出", min=Decimal(0), width=12, help="项目本年实际支出；各行合计应等于项目支出"),
        Column("key", "重点项目", FieldType.ENUM, choices=YES_NO, width=10),
        Column("goal_rate", "绩效目标完成率", FieldType.PERCENT, unit="%", min=Decimal(0), width=14),
        Column("note", "备注", FieldType.TEXT, max_length=200, width=30),
    ),
)

PROJECTS = Sheet(
    "projects",
    "项目支出",
    "项目支出明细",
    label_width=10,
    blocks=(
        Form("summary", "一、项目概况", (count("projects.count", "实施项目个数（报告所述）", "报告中写明的项目个数，应等于下表列出的项目数", unit="个"),)),
        PROJECT_TABLE,
    ),
)
