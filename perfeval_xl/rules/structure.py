"""STR: is this file our template, intact, before any of its numbers is looked at?

The facts come from the reader (``WorkbookData``: problems, template id and
version, sheet names and states, the formulas of template-owned cells); the rules
only judge them, so they import no I/O library. The expected formulas are handed
in by the engine (what the template generator writes).

Order matters, as in GSA FAC's general checks: a file that is not a workbook, not
readable or not this template gets one finding and nothing else is checked.
Per-sheet facts are grouped into one finding per sheet, not one per cell, so a
pasted-over sheet is one finding listing its cells, not a hundred.
"""

from __future__ import annotations

from ..schema import KNOWN_VERSIONS, SCHEMA, TEMPLATE_ID, TEMPLATE_VERSION, a1_position
from ..template.layout import layout
from .base import CheckRule, Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO


def _rule(id, slug, title, rationale, severity, message):
    return CheckRule(id=id, slug=slug, title=title, rationale=rationale, severity=severity, message=message)


STR001 = _rule(
    "STR001", "file-not-readable", "文件无法读取",
    "文件不存在、不是 .xlsx（zip）工作簿或已损坏时，任何数字都无法读取；只报告这一条，不再逐项校验（GSA FAC is_a_workbook）。",
    E, "无法读取该文件：{reason}",
)
STR002 = _rule(
    "STR002", "encrypted-or-legacy-xls", "加密工作簿或旧版 .xls",
    "设置了打开密码的工作簿和 Excel 97-2003 的 .xls 文件都是 OLE 复合文档，无法按模板读取；需去掉密码并另存为 .xlsx。",
    E, "文件是加密工作簿或旧版 .xls 格式，无法读取；请在 Excel 中取消打开密码，并“另存为”Excel 工作簿（.xlsx）后重新提交",
)
STR003 = _rule(
    "STR003", "not-this-template", "不是本模板生成的工作簿",
    "只有本模板的工作簿才能按单元格位置和名称读取；其他表格（如自制的基础数据表）逐项校验只会产生大量误报（GSA FAC is_right_workbook）。",
    E, "该工作簿不是由本模板生成的{detail}；请下载最新模板，将数据填入后重新提交",
)
STR004 = _rule(
    "STR004", "template-version-unknown", "模板版本无法识别",
    "不同版本的模板单元格位置可能不同；无法识别的版本按当前位置读取会张冠李戴，故停止校验（GSA FAC validate_workbook_version）。",
    E, "模板版本{version}无法识别（本工具支持：{known}）；请使用最新模板重新填报",
)
STR005 = _rule(
    "STR005", "template-version-outdated", "模板版本较旧",
    "旧版模板仍可读取和校验，但可能缺少新增的栏目与核对；下次填报请使用最新模板。",
    W, "模板版本 {version} 较旧（当前版本 {current}），仍可校验；下次填报请使用最新模板",
)
STR006 = _rule(
    "STR006", "sheet-missing", "缺少工作表",
    "模板的每张工作表都承载填报项或核对结果；被删除（或改名）后，其中的数据无法读取，相关核对跳过。",
    E, "缺少工作表“{sheet}”（可能被删除或改名），其中 {n} 个填报项无法读取",
)
STR007 = _rule(
    "STR007", "sheet-unreadable", "工作表无法读取",
    "工作表的 XML 损坏时，其中的数据无法读取，相关核对跳过。",
    E, "工作表“{sheet}”无法读取（{detail}），其中 {n} 个填报项无法核对",
)
STR008 = _rule(
    "STR008", "defined-name-missing", "填报单元格的名称被删除",
    "每个填报单元格都有同名的工作簿级名称，模板中的“应为/差异”公式通过名称引用它们；名称被删除后这些公式显示 #NAME?。"
    "本工具仍按模板位置读取数值。",
    W, "工作表“{sheet}”有 {n} 个填报单元格的名称被删除（{names}）；已按模板位置读取，但表中核对公式将显示 #NAME?",
)
STR009 = _rule(
    "STR009", "defined-name-broken", "填报单元格的名称失效",
    "名称指向 #REF! 说明它引用的行或列被删除，原位置上的数值已不是该填报项，不能可靠读取。",
    E, "工作表“{sheet}”有 {n} 个填报单元格的名称指向 #REF!（{names}），多为删除了行或列；这些数值无法可靠读取",
)
STR010 = _rule(
    "STR010", "input-cell-moved", "填报单元格被移动",
    "名称被改指向本表的另一单元格（常是辅助单元格），或剪切粘贴、插入删除列使单元格离开了它所在的行列："
    "本工具按名称读取，但读到的数已不在模板规定的位置上，财政局无法确认它就是该填报项，故按错误处理。"
    "单纯插入行（整行下移、A 列各行标签仍与模板一致）不在此列，另见 STR019；同一表中只有跟随本行移动的名称算插入行，"
    "另有去处的名称仍报本条。该表计算单元格的位置无法确定，不再逐格比对公式。",
    E, "工作表“{sheet}”有 {n} 个填报单元格不在模板位置（如 {example}）；已按名称读取，但无法确认其来源，请在下发的模板中重新填报，勿插入、删除行列、剪切单元格或修改名称",
)
STR011 = _rule(
    "STR011", "formula-replaced-by-constant", "计算单元格的公式被改为常数",
    "模板的合计、“应为”“差异”单元格由公式计算；被改成手填数字后，表内核对失去意义，且常用来掩盖对不上的数"
    "（Melford：应为公式处出现常数；GSA FAC 不信任模板自身公式）。",
    E, "工作表“{sheet}”有 {n} 个计算单元格的公式被删除或改为常数（{cells}）；请从模板恢复这些公式",
)
STR012 = _rule(
    "STR012", "formula-changed", "计算单元格的公式被改动",
    "计算单元格的公式应与模板生成时逐字相同；被改动的公式可能漏算、错引用，表内“应为/差异”不再可信。",
    E, "工作表“{sheet}”有 {n} 个计算单元格的公式被改动（{cells}）；请从模板恢复这些公式",
)
STR013 = _rule(
    "STR013", "hidden-sheet", "工作表被隐藏",
    "模板不隐藏任何工作表；被隐藏的工作表不便审核，可能藏有未报送的数据或被改动的内容。",
    W, "工作表“{sheet}”被隐藏{how}；请取消隐藏，以便审核",
)
STR014 = _rule(
    "STR014", "extra-sheet", "多出模板以外的工作表",
    "模板以外的工作表不会被读取；若把数据填在了自建的表里，应移回模板对应的单元格。",
    I, "工作簿中多出工作表“{sheet}”，其中的内容不会被读取",
)

STR015 = _rule(
    "STR015", "protection-removed", "模板保护被撤销",
    "模板下发时每张表都受保护，只有输入格可编辑，工作簿结构也已锁定；保护被撤销后，标签、公式和结构都可能被改动而不易察觉"
    "（公式改动另由 STR011/STR012 逐格核对）。",
    W, "{what}已被撤销（{sheets}）；请在下发的模板中重新填报，或确认未改动标签、公式和表结构",
)

STR016 = _rule(
    "STR016", "input-name-redirected", "填报单元格的名称被改指向别处",
    "名称指向另一张工作表、模板的计算单元格，或与另一填报项共用一个单元格时，读到的数值不是该填报项在模板中的位置上的数，"
    "而是别处（常是辅助单元格）的数；表内核对与读取结果都不可信，财政局无法据此认定合格。",
    E, "工作表“{sheet}”有 {n} 个填报单元格的名称被改指向别处（如 {example}）；请从模板恢复这些名称，把数值填回原位置",
)
STR017 = _rule(
    "STR017", "formula-in-input", "填报单元格填的是公式",
    "填报单元格应填数值。公式的结果只是文件里保存的缓存值，可能与公式不符（如 =1800+500 缓存为 1800），"
    "也可能引用其他工作簿或单元格；财政局看到的数不一定是报送单位的数，故不能认定合格。",
    E, "工作表“{sheet}”有 {n} 个填报单元格填的是公式而不是数值（{cells}）；请复制后“选择性粘贴 → 数值”，改为直接填写数值",
)
STR018 = _rule(
    "STR018", "error-in-input", "填报单元格是错误值",
    "#REF!、#N/A 等错误值在读取数值时显示为空白，若不单独指出会被当成“未填”，而它通常说明引用的单元格被删除或公式出错。",
    E, "工作表“{sheet}”有 {n} 个填报单元格是错误值（{cells}）；请改为正确的数值",
)

STR019 = _rule(
    "STR019", "rows-inserted", "工作表插入了行",
    "撤销保护后插入行时，Excel 把下方的单元格连同名称一起下移，名称仍指向原填报项。本工具据 A 列判断："
    "模板在每个有单元格的行的 A 列都写有标签（项目、应为/差异、表头、序号），若这些标签仍按原顺序出现、"
    "插入的行中没有模板标签，且每个移动的名称正好落在其标签所在的新行、原来的列上，就是插入行而非改指向："
    "按名称读到的仍是该填报项，计算单元格的公式也在其新位置上逐格比对，故只作警告；"
    "名称被改指向辅助单元格、另一张表或另一填报项的单元格，仍分别按 STR010、STR016 报错误。",
    W, "工作表“{sheet}”插入或删除了行，{n} 个填报单元格随所在行移动（如 {example}）；A 列各行标签与模板一致，已按名称读取，"
    "公式按移动后的位置核对；下次请在下发的模板中填报，勿插入或删除行",
)

RULES = (STR001, STR002, STR003, STR004, STR005, STR006, STR007, STR008, STR009, STR010, STR011, STR012, STR013, STR014, STR015, STR016, STR017, STR018, STR019)

_UNREADABLE = {
    "not_found": "文件不存在",
    "not_a_workbook": "不是 Excel 工作簿（.xlsx）",
    "corrupt": "文件已损坏或不完整",
}
_LIST_MAX = 8  # cells or names named in a message; the finding's cells list them all


def _listing(items: list[str]) -> str:
    shown = "、".join(items[:_LIST_MAX])
    return shown + (f" 等 {len(items)} 处" if len(items) > _LIST_MAX else "")


def _fields_by_sheet() -> dict[str, tuple[str, ...]]:
    lay = layout()
    out: dict[str, list[str]] = {}
    for fid in SCHEMA:
        out.setdefault(lay.sheet_title(lay.cell(fid).sheet), []).append(fid)
    return {k: tuple(v) for k, v in out.items()}


_FIELDS_BY_SHEET = _fields_by_sheet()
TEMPLATE_SHEETS = tuple(layout().sheet_title(s.id) for s in layout().sheets)


def run(ctx, data, expected_formulas: dict[tuple[str, str], str]) -> bool:
    """Report the structural findings of ``data``; True when nothing else can be checked."""
    problems = {}
    for p in data.problems:
        problems.setdefault(p.code, []).append(p)
    if "ole_container" in problems:
        ctx.report(STR002, ())
        return True
    for code in ("not_found", "not_a_workbook", "corrupt"):
        if code in problems:
            detail = problems[code][0].detail
            reason = _UNREADABLE[code] + (f"（{detail}）" if detail and code == "corrupt" else "")
            ctx.report(STR001, (), reason=reason)
            return True
    if not data.sheet_names or not getattr(data, "readable", True):
        ctx.report(STR001, (), reason="工作簿中没有可读取的工作表")
        return True
    if data.template_id != TEMPLATE_ID:
        detail = "（未找到模板标识）" if not data.template_id else f"（模板标识为 {data.template_id}）"
        ctx.report(STR003, (), detail=detail)
        return True
    if data.template_version not in KNOWN_VERSIONS:
        version = f" {data.template_version} " if data.template_version else "（未标明）"
        ctx.report(STR004, (), version=version, known="、".join(KNOWN_VERSIONS))
        return True
    if data.template_version != TEMPLATE_VERSION:
        ctx.report(STR005, (), version=data.template_version, current=TEMPLATE_VERSION)

    no_formula_check: set[str] = set()
    for code, rule in (("missing_sheet", STR006), ("unreadable_sheet", STR007)):
        for p in problems.get(code, ()):
            fields = _FIELDS_BY_SHEET.get(p.sheet, ())
            ctx.blocked.update(fields)
            no_formula_check.add(p.sheet)
            n = sum(1 for fid in fields if SCHEMA[fid].is_input)
            ctx.report(rule, (ctx.at(p.sheet, None),), sheet=p.sheet, n=n, detail=p.detail)
    for code, rule in (("missing_name", STR008), ("broken_name", STR009), ("moved_name", STR010), ("redirected_name", STR016),
                       ("shifted_name", STR019)):
        by_sheet: dict[str, list] = {}
        for p in problems.get(code, ()):
            if p.field_id not in ctx.blocked:  # a field on a missing sheet has no name either: one finding is enough
                by_sheet.setdefault(p.sheet, []).append(p)
        for sheet, ps in by_sheet.items():
            if rule is STR009:
                ctx.blocked.update(p.field_id for p in ps)
            if rule in (STR010, STR016, STR019):
                if rule is not STR019 or sheet not in getattr(data, "shifted_rows", {}):
                    no_formula_check.add(sheet)  # after an insert the reader found the formulas where their rows went
                cells = tuple(ctx.at(*_split(p.detail), field_id=p.field_id, role="moved") for p in ps)
                first = ps[0]
                example = f"{SCHEMA[first.field_id].label} 应在 {first.address}，现在 {first.detail}"
                ctx.report(rule, cells, sheet=sheet, n=len(ps), example=example)
                continue
            cells = tuple(ctx.at(p.sheet, p.address, field_id=p.field_id, role="input") for p in ps)
            names = [SCHEMA[p.field_id].defined_name for p in ps if p.field_id]
            ctx.report(rule, cells, sheet=sheet, n=len(ps), names=_listing(names))

    if data.formulas:
        _check_formulas(ctx, data.formulas, expected_formulas, no_formula_check)
    for rule, found in ((STR017, getattr(data, "input_formulas", {})), (STR018, getattr(data, "input_errors", {}))):
        _report_input_cells(ctx, rule, found)

    if data.unprotected_sheets or data.structure_locked is False:
        what = "、".join(w for w, on in (("工作表保护", data.unprotected_sheets), ("工作簿结构保护", data.structure_locked is False)) if on)
        sheets = "、".join(data.unprotected_sheets) if data.unprotected_sheets else "整个工作簿"
        ctx.report(STR015, tuple(ctx.at(t, None) for t in data.unprotected_sheets), what=what, sheets=sheets)

    for title in data.sheet_names:
        state = data.sheet_states.get(title, "visible")
        if state != "visible":
            ctx.report(STR013, (ctx.at(title, None),), sheet=title, how="（深度隐藏，只能用 VBA 取消）" if state == "veryHidden" else "")
        if title not in TEMPLATE_SHEETS:
            ctx.report(STR014, (ctx.at(title, None),), sheet=title)
    return False


def _split(ref: str) -> tuple[str | None, str | None]:
    sheet, _, address = ref.rpartition("!")
    return (sheet or None), (address or None)


def _check_formulas(ctx, actual: dict, expected: dict, skip: set[str]) -> None:
    gone: dict[str, list[tuple[str, str]]] = {}
    changed: dict[str, list[tuple[str, str]]] = {}
    for key, want in expected.items():
        sheet, address = key
        if sheet in skip or key not in actual:
            continue
        got = actual[key].strip()
        got = got[1:] if got.startswith("=") else got
        if got == want:
            continue
        (changed if got else gone).setdefault(sheet, []).append((address, got))
    for rule, found in ((STR011, gone), (STR012, changed)):
        for sheet in sorted(found, key=_sheet_order):
            items = sorted(found[sheet], key=lambda a: a1_position(a[0]))
            cells = tuple(ctx.at(sheet, a, value=("=" + f) if f else None, role="formula") for a, f in items)
            ctx.report(rule, cells, sheet=sheet, n=len(items), cells=_listing([a for a, _ in items]))


def _report_input_cells(ctx, rule: CheckRule, found: dict[tuple[str, str], str]) -> None:
    """One finding per sheet listing the input cells that hold a formula (STR017) or an error value (STR018)."""
    by_sheet: dict[str, list[tuple[str, str]]] = {}
    for (sheet, address), text in found.items():
        by_sheet.setdefault(sheet, []).append((address, text))
    fields = {where: fid for fid, where in ctx.addresses.items()}
    for sheet in sorted(by_sheet, key=_sheet_order):
        items = sorted(by_sheet[sheet], key=lambda a: a1_position(a[0]))
        shown = [f"{a} {('=' + t) if rule is STR017 and not t.startswith('（') else t}" for a, t in items]
        cells = tuple(ctx.at(sheet, a, field_id=fields.get((sheet, a)), value=("=" + t) if rule is STR017 else t, role="input")
                      for a, t in items)
        ctx.report(rule, cells, sheet=sheet, n=len(items), cells=_listing(shown))


def _sheet_order(title: str) -> int:
    return TEMPLATE_SHEETS.index(title) if title in TEMPLATE_SHEETS else len(TEMPLATE_SHEETS)


