"""The bundled template and filled examples, rebuilt from their data files.

``workbook_templates/`` is generated output: ``perfeval examples`` (or
``python -m perfeval_xl.examples``) rewrites it, and a test fails when the
committed files differ from what the declarations produce.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .readers.data_file import load

ROOT = Path(__file__).resolve().parent.parent / "workbook_templates"
TEMPLATE_NAME = "部门整体支出绩效评价模板.xlsx"
TEMPLATE_UDF_NAME = "部门整体支出绩效评价模板_UDF.xlsx"


@dataclass(frozen=True)
class Example:
    stem: str
    profile: str
    title: str


EXAMPLES = (
    Example("seed_furong_2020", "V1", "2020年度芙蓉区政府办（公开报告转录，缺项留空）"),
    Example("hunan_unit_2018", "V3", "2018年湖南某单位基础数据表（网络公开的自评材料）"),
    Example("synthetic", "V1", "虚构的完全一致的示例部门"),
)


def data_path(example: Example, root: Path = ROOT) -> Path:
    return root / "examples" / "data" / f"{example.stem}.json"


def build_all(root: Path = ROOT) -> list[Path]:
    from .template.writer import build_template

    root = Path(root)
    written = [build_template(root / TEMPLATE_NAME), build_template(root / TEMPLATE_UDF_NAME, udf=True)]
    for ex in EXAMPLES:
        values, errors = load(data_path(ex, ROOT))
        if errors:
            raise ValueError(f"{ex.stem}: " + "; ".join(map(str, errors)))
        written.append(build_template(root / "examples" / f"{ex.stem}.xlsx", profile=ex.profile, values=values))
    return written


if __name__ == "__main__":  # pragma: no cover
    for p in build_all():
        print(p)
