"""Prefill data keyed by field id, from JSON or CSV, validated against the schema."""

from __future__ import annotations

import csv
import difflib
import json
from dataclasses import dataclass
from pathlib import Path

from ..schema import INPUTS, SCHEMA
from ..schema.values import parse_input


@dataclass(frozen=True)
class DataError:
    field_id: str
    message: str
    # what went wrong, for programs: unknown_field | computed_field | invalid_value
    code: str = "invalid_value"

    def __str__(self) -> str:
        label = SCHEMA[self.field_id].label if self.field_id in SCHEMA else ""
        return f"{self.field_id}{'（' + label + '）' if label else ''}：{self.message}"


# json's messages (CPython's decoder) → what an accountant can act on; anything else is shown as is.
_JSON_PROBLEMS = (
    ("Expecting value", "此处缺少值（多余的逗号，或值未加引号？）"),
    ("Expecting ',' delimiter", "缺少逗号"),
    ("Expecting ':' delimiter", "缺少冒号"),
    ("Expecting property name enclosed in double quotes", "字段编号须用英文双引号括起（末尾多了逗号？）"),
    ("Unterminated string", "引号未闭合"),
    ("Extra data", "对象结束后还有多余内容"),
    ("Invalid control character", "字符串中有换行或控制字符"),
    ("Invalid \\escape", "无效的反斜杠转义（路径请写成 \\\\ 或 /）"),
    ("Invalid \\uXXXX escape", "无效的 \\u 转义"),
)


def _json_problem(msg: str) -> str:
    return next((zh for en, zh in _JSON_PROBLEMS if msg.startswith(en)), "格式错误")


def load_raw(path: Path) -> dict[str, object]:
    """Field id → value as written in the file (no validation yet)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"找不到数据文件：{path}")
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            doc = json.loads(path.read_text(encoding="utf-8-sig"))
        except json.JSONDecodeError as exc:
            raise ValueError(
                f"数据文件不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{_json_problem(exc.msg)}"
            ) from exc
        if isinstance(doc, dict) and isinstance(doc.get("values"), dict):
            doc = doc["values"]
        if not isinstance(doc, dict):
            raise ValueError("JSON 数据文件应为 {字段编号: 值} 形式的对象")
        return {str(k): v for k, v in doc.items() if not str(k).startswith("_")}
    if suffix == ".csv":
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            rows = [r for r in reader if r and any(c.strip() for c in r)]
        if rows and rows[0][0].strip().lower() in ("field", "id", "field_id", "字段编号"):
            rows = rows[1:]
        out = {}
        for r in rows:
            if len(r) < 2:
                raise ValueError(f"CSV 行缺少值：{r}")
            out[r[0].strip()] = r[1]
        return out
    raise ValueError(f"不支持的数据文件格式：{suffix}（支持 .json、.csv）")


def validate(raw: dict[str, object]) -> tuple[dict[str, object], list[DataError]]:
    values: dict[str, object] = {}
    errors: list[DataError] = []
    for fid, data in raw.items():
        if fid not in SCHEMA:
            near = difflib.get_close_matches(fid, list(INPUTS), n=3, cutoff=0.6)
            hint = f"，您是否想输入：{'、'.join(near)}？" if near else "（运行 perfeval schema 查看全部字段）"
            errors.append(DataError(fid, "未知字段编号" + hint, "unknown_field"))
            continue
        if fid not in INPUTS:
            errors.append(DataError(fid, "这是计算单元格，不能填写", "computed_field"))
            continue
        value, err = parse_input(SCHEMA[fid], data)
        if err:
            errors.append(DataError(fid, err))
        elif value is not None:
            values[fid] = value
    return values, errors


def load(path: Path) -> tuple[dict[str, object], list[DataError]]:
    return validate(load_raw(path))
