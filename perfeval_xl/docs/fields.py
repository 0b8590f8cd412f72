"""docs/fields.md and ``perfeval schema``: the field documentation, from the schema declarations."""

from __future__ import annotations

from ..outputs.serialize import dumps
from ..schema import SCHEMA, SHEETS, TEMPLATE_VERSION
from ..template.formulas import field_formula
from ..template.layout import layout
from .banner import BANNER


def _field_rows():
    lay = layout()
    for f in SCHEMA.values():
        cell = lay.cell(f.id)
        bounds = []
        if f.min is not None:
            bounds.append(f"≥{f.min}")
        if f.max is not None:
            bounds.append(f"≤{f.max}")
        if f.max_length:
            bounds.append(f"≤{f.max_length}字")
        if f.choices:
            bounds.append("/".join(f.choices))
        yield {
            "id": f.id,
            "label": f.label,
            "sheet": lay.sheet_title(cell.sheet),
            "cell": cell.address,
            "defined_name": f.defined_name if f.is_input else None,
            "type": f.type.value,
            "unit": f.unit_label,
            "decimals": f.precision if f.type.numeric else None,
            "required": f.required,
            "bounds": "，".join(str(b) for b in bounds),
            "help": f.help,
            "formula": field_formula(f.id) if f.formula else None,
        }


def fields_markdown() -> str:
    lines = [BANNER, "", f"# 字段说明（模板 v{TEMPLATE_VERSION}）", ""]
    rows = list(_field_rows())
    by_sheet: dict[str, list[dict]] = {}
    for r in rows:
        by_sheet.setdefault(r["sheet"], []).append(r)
    n_inputs = sum(1 for r in rows if r["defined_name"])
    lines.append(f"共 {len(rows)} 个字段，其中输入 {n_inputs} 个（每个输入有同名的工作簿级名称），计算单元格 {len(rows) - n_inputs} 个。")
    lines.append("")
    for sheet in SHEETS:
        srows = by_sheet.get(sheet.title, [])
        if not srows:
            continue
        lines += [f"## {sheet.title}", "", "| 字段编号 | 名称 | 单元格 | 类型 | 单位 | 小数 | 必填 | 范围 | 说明 |", "|---|---|---|---|---|---|---|---|---|"]
        for r in srows:
            kind = r["type"] if r["defined_name"] else f"{r['type']}（计算）"
            help_ = r["help"] or (f"`={r['formula']}`" if r["formula"] else "")
            lines.append(
                f"| `{r['id']}` | {r['label']} | {r['cell']} | {kind} | {r['unit']} | {'' if r['decimals'] is None else r['decimals']} | "
                f"{'是' if r['required'] else ''} | {r['bounds']} | {help_.replace('|', '｜')} |"
            )
        lines.append("")
    return "\n".join(lines)


def fields_json() -> str:
    return dumps({"template_version": TEMPLATE_VERSION, "fields": list(_field_rows())}, indent=1)
