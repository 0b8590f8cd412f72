from ..builders import money, percent
from ..layout import Form, Sheet

ASSETS = Sheet(
    "assets",
    "资产",
    "资产管理情况",
    blocks=(
        Form(
            "fixed",
            "一、固定资产（账面价值）",
            (
                money("assets.fixed.opening", "年初固定资产", "年初账面固定资产"),
                money("assets.fixed.added", "本年增加", "购置、调入等"),
                money("assets.fixed.disposed", "本年减少", "报废、调拨、处置等，填正数"),
                money("assets.fixed.closing", "年末固定资产", "= 年初 + 本年增加 − 本年减少（填报数）"),
                money("assets.fixed.in_use", "在用固定资产", "年末实际在用的固定资产；固定资产利用率的分子"),
                percent("assets.fixed.use_rate", "固定资产利用率（报告所述）", "= 在用固定资产 / 年末固定资产 × 100%"),
            ),
        ),
    ),
)
