"""Draw a ``model.Chart`` as a PNG with matplotlib (Agg, no display).

The font family is set explicitly to an installed CJK font: matplotlib's default (DejaVu Sans)
has no Chinese glyphs and would print tofu boxes. ``CJK_FONTS`` lists the candidates in order
of preference (WenQuanYi Zen Hei is what ``scripts/setup-test-env.sh`` installs).
"""

from __future__ import annotations

import io
from functools import lru_cache

from .model import Chart

CJK_FONTS = ("WenQuanYi Zen Hei", "Noto Sans CJK SC", "Source Han Sans SC", "SimHei", "Microsoft YaHei", "PingFang SC")
COLORS = ("#8FAADC", "#F4B183", "#5B7DB1", "#A9D18E", "#FFD966", "#C9C9C9", "#9DC3E6", "#E2A0A0")


@lru_cache(maxsize=1)
def cjk_font() -> tuple[str, int] | None:
    """(family, weight) of the first installed CJK font, or None (charts then have no Chinese glyphs).
    The weight is the font's own (WenQuanYi is 500): asking for 400 makes matplotlib warn on every text."""
    from matplotlib import font_manager

    installed = {f.name: f.weight for f in font_manager.fontManager.ttflist}
    return next(((name, installed[name]) for name in CJK_FONTS if name in installed), None)


def render(chart: Chart, *, width_in: float = 6.0, height_in: float = 3.2, dpi: int = 200) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    font = cjk_font()
    rc = {"font.size": 10, "axes.unicode_minus": False, "svg.fonttype": "none"}
    if font:
        rc["font.family"] = [font[0]]
        rc["font.weight"] = font[1]
    with plt.rc_context(rc):
        fig, ax = plt.subplots(figsize=(width_in, height_in), dpi=dpi)
        try:
            if chart.kind == "pie":
                _pie(ax, chart)
            else:
                _bars(ax, chart)
            ax.set_title(chart.title, fontsize=11)
            fig.tight_layout()
            buf = io.BytesIO()
            fig.savefig(buf, format="png")
        finally:
            plt.close(fig)
    return buf.getvalue()


def _pie(ax, chart: Chart) -> None:
    values = [float(x or 0) for x in chart.series[0][1]]
    total = sum(values)
    labels = [f"{name}\n{x:.2f}{chart.unit}（{x * 100 / total:.2f}%）" for name, x in zip(chart.categories, values)]
    wedges, _ = ax.pie(values, colors=COLORS[: len(values)], startangle=90, counterclock=False,
                       wedgeprops={"linewidth": 1, "edgecolor": "white"})
    ax.legend(wedges, labels, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=9)
    ax.axis("equal")


def _bars(ax, chart: Chart) -> None:
    n = len(chart.series)
    width = 0.8 / max(n, 1)
    for i, (name, values) in enumerate(chart.series):
        xs = [j + (i - (n - 1) / 2) * width for j in range(len(chart.categories))]
        ys = [float(v) if v is not None else 0.0 for v in values]
        bars = ax.bar(xs, ys, width, label=name, color=COLORS[i % len(COLORS)])
        for bar, v in zip(bars, values):
            if v is not None:
                ax.annotate(f"{float(v):.2f}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                            ha="center", va="bottom", fontsize=8, xytext=(0, 1), textcoords="offset points")
    ax.set_xticks(range(len(chart.categories)))
    ax.set_xticklabels(chart.categories)
    ax.set_ylabel(chart.unit)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, fontsize=9)
