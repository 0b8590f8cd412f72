"""Build and install the Excel ribbon add-in ``perfeval_xl.xlam``.

The add-in is xlwings' own ``quickstart_addin_ribbon.xlam`` with three zip members
rewritten and everything else copied unchanged:

* ``customUI/customUI.xml``  -> ``macros/customUI.xml`` (tab 绩效评价 → 数据校验 → 校验);
* ``xl/workbook.xml``        -> config sheet ``_myaddin.conf`` renamed ``myaddin.conf``;
  the leading underscore is what keeps xlwings from reading it;
* the config sheet's XML     -> column B filled from ``macros/addin.conf.yml``.

``xl/vbaProject.bin`` is never touched: editing VBA needs Windows Excel, and keeping
xlwings' signed-off code byte-identical is what makes this build reviewable on Linux.
The button calls ``RibbonMyAddin.RunMain``, which runs ``import <file stem>;
<file stem>.main()`` — hence the file must be called ``perfeval_xl.xlam``.

Where the sources come from (see ``macros/README.md``):

1. ``<repo>/macros/`` next to the package — a source checkout or an editable install;
2. ``perfeval_xl/addin_data/`` inside the installed package — a wheel, if the build
   copies ``macros/customUI.xml`` and ``macros/addin.conf.yml`` there.

XML is parsed with defusedxml. Changes are spliced into the original text instead of
re-serialising whole parts, because ElementTree drops namespace declarations that are
only referenced from ``mc:Ignorable`` (``x14ac``, ``xr``, …) and Excel then reports the
file as corrupt.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import importlib.util
import io
import os
import posixpath
import re
import shutil
import sys
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape, quoteattr

import yaml
from defusedxml import ElementTree as SafeET

ADDIN_STEM = "perfeval_xl"
ADDIN_FILENAME = f"{ADDIN_STEM}.xlam"
XLWINGS_ADDIN_NAME = "quickstart_addin_ribbon.xlam"
# The only ribbon callback that exists in xlwings' VBA. Every quickstart add-in has a module
# RibbonMyAddin with this procedure, and Excel resolves an unqualified callback in whichever
# project it finds first; naming our file (as Application.Run does) keeps the button ours.
RIBBON_PROCEDURE = "RibbonMyAddin.RunMain"
RIBBON_CALLBACK = f"'{ADDIN_FILENAME}'!{RIBBON_PROCEDURE}"

CUSTOMUI_MEMBER = "customUI/customUI.xml"
WORKBOOK_MEMBER = "xl/workbook.xml"
WORKBOOK_RELS_MEMBER = "xl/_rels/workbook.xml.rels"
SHARED_STRINGS_MEMBER = "xl/sharedStrings.xml"
VBA_MEMBER = "xl/vbaProject.bin"

CUSTOMUI_FILE = "customUI.xml"
CONFIG_FILE = "addin.conf.yml"

CUSTOMUI_NS = "http://schemas.microsoft.com/office/2006/01/customui"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_NS = "http://www.w3.org/XML/1998/namespace"

_REPO_ROOT = Path(__file__).resolve().parents[2]
_REPO_MACROS = _REPO_ROOT / "macros"
_PACKAGE_DATA = "addin_data"

MANUAL_INSTALL_ZH = (
    "加载项只能安装到 Windows 版 Excel，当前系统（{platform}）无法自动安装。请手动操作：\n"
    "  1. 运行 perfeval addin build，生成 perfeval_xl.xlam；\n"
    "  2. 把该文件复制到 Windows 电脑的 %APPDATA%\\Microsoft\\Excel\\XLSTART 文件夹，"
    "文件名必须保持 perfeval_xl.xlam；\n"
    "  3. 重新启动 Excel，功能区应出现“绩效评价”选项卡。\n"
    "详见 macros/README.md。"
)


class AddinError(Exception):
    """A problem building or installing the add-in; the message is Chinese and user-facing."""


@dataclass(frozen=True)
class AddinSources:
    """The two editable inputs of the add-in, plus where they were read from."""

    customui: bytes
    config: dict[str, str | bool | None]
    origin: str


# --------------------------------------------------------------------------- sources


def xlwings_addin_path() -> Path:
    """The ribbon add-in shipped inside the installed xlwings package."""
    spec = importlib.util.find_spec("xlwings")  # locate without importing (no COM on Windows)
    if spec is None or not spec.submodule_search_locations:
        raise AddinError("未安装 xlwings，无法生成加载项。请先运行：pip install xlwings")
    path = Path(list(spec.submodule_search_locations)[0]) / XLWINGS_ADDIN_NAME
    if not path.is_file():
        raise AddinError(f"xlwings 安装中缺少 {XLWINGS_ADDIN_NAME}（查找位置：{path}）。请重新安装 xlwings。")
    return path


def xlwings_version() -> str:
    try:
        return importlib.metadata.version("xlwings")
    except importlib.metadata.PackageNotFoundError:
        return "未知"


def sources_location(macros_dir: str | os.PathLike | None = None):
    """Directory (or importlib Traversable) holding customUI.xml and addin.conf.yml."""
    if macros_dir is not None:
        return Path(macros_dir)
    # pyproject.toml guards against picking up an unrelated top-level "macros" folder
    # that happens to sit next to perfeval_xl in site-packages.
    if (_REPO_ROOT / "pyproject.toml").is_file() and (_REPO_MACROS / CUSTOMUI_FILE).is_file():
        return _REPO_MACROS
    packaged = importlib.resources.files("perfeval_xl").joinpath(_PACKAGE_DATA)
    if packaged.joinpath(CUSTOMUI_FILE).is_file():
        return packaged
    raise AddinError(
        f"找不到加载项源文件 {CUSTOMUI_FILE} 和 {CONFIG_FILE}：既不在 {_REPO_MACROS}，"
        f"也不在已安装包的 perfeval_xl/{_PACKAGE_DATA}/ 中。请在源码目录中运行，或重新安装 perfeval-xl。"
    )


def load_sources(macros_dir: str | os.PathLike | None = None) -> AddinSources:
    location = sources_location(macros_dir)
    try:
        customui = location.joinpath(CUSTOMUI_FILE).read_bytes()
        config_text = location.joinpath(CONFIG_FILE).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise AddinError(f"缺少加载项源文件：{exc.filename}") from None
    try:
        config = yaml.safe_load(config_text)
    except yaml.YAMLError as exc:
        raise AddinError(f"{CONFIG_FILE} 不是有效的 YAML：{exc}") from None
    if not isinstance(config, dict):
        raise AddinError(f"{CONFIG_FILE} 应为“键: 值”形式的映射。")
    for key, value in config.items():
        if not isinstance(key, str) or not (value is None or isinstance(value, (str, bool))):
            raise AddinError(f"{CONFIG_FILE} 中 {key!r} 的取值只能是文本、true/false 或空，实际为 {value!r}。")
    _check_customui(customui)
    return AddinSources(customui=customui, config=config, origin=str(location))


def _check_customui(data: bytes) -> None:
    """Reject ribbon XML that Excel would load but whose buttons could not work."""
    try:
        root = SafeET.fromstring(data)
    except SafeET.ParseError as exc:
        raise AddinError(f"{CUSTOMUI_FILE} 不是有效的 XML：{exc}") from None
    if root.tag != f"{{{CUSTOMUI_NS}}}customUI":
        raise AddinError(f"{CUSTOMUI_FILE} 的根元素必须是 customUI，命名空间 {CUSTOMUI_NS}（与 xlwings 原版一致）。")
    for elem in root.iter():
        for name, value in elem.attrib.items():
            # onAction/getLabel/loadImage/... name VBA procedures; only RunMain exists.
            if name.startswith(("on", "get")) or name == "loadImage":
                if name != "onAction" or value != RIBBON_CALLBACK:
                    raise AddinError(
                        f"{CUSTOMUI_FILE} 中 {name}=\"{value}\" 无法使用：加载项的 VBA 只有回调 {RIBBON_CALLBACK}，"
                        "新增回调需要在 Windows Excel 中修改 VBA。"
                    )


# --------------------------------------------------------------------------- build


def build_addin(
    out_path: str | os.PathLike,
    source_xlam: str | os.PathLike | None = None,
    *,
    macros_dir: str | os.PathLike | None = None,
) -> Path:
    """Write ``perfeval_xl.xlam`` and return its absolute path.

    ``out_path`` is the file (which must be named ``perfeval_xl.xlam``) or an existing
    directory to put it in. ``source_xlam`` defaults to xlwings' ribbon add-in;
    ``macros_dir`` overrides where customUI.xml / addin.conf.yml are read from.
    """
    out = Path(out_path)
    if out.is_dir() or os.fspath(out_path).endswith(("/", os.sep)):
        out = out / ADDIN_FILENAME
    if out.name != ADDIN_FILENAME:
        raise AddinError(
            f"输出文件必须命名为 {ADDIN_FILENAME}（当前为 {out.name}）：功能区按钮按文件名执行 "
            f"import {ADDIN_STEM}; {ADDIN_STEM}.main()，改名后按钮就找不到 Python 代码。"
        )
    source = Path(source_xlam) if source_xlam is not None else xlwings_addin_path()
    sources = load_sources(macros_dir)

    try:
        original = source.read_bytes()
    except OSError as exc:
        raise AddinError(f"无法读取加载项模板 {source}：{exc.strerror}") from None
    if not zipfile.is_zipfile(io.BytesIO(original)):
        raise AddinError(f"{source} 不是有效的 .xlam（zip）文件。")

    with zipfile.ZipFile(io.BytesIO(original)) as zin:
        members = [(info, zin.read(info)) for info in zin.infolist()]
    contents = {info.filename: data for info, data in members}
    replacements = _replacements(contents, original, sources)

    out.parent.mkdir(parents=True, exist_ok=True)
    # Write next to the target and rename, so a failed build never leaves half a file
    # (and never clobbers an add-in Excel currently has open).
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w") as zout:
            for info, data in members:
                # Same name, order, timestamp and compression method as the template.
                clone = zipfile.ZipInfo(info.filename, info.date_time)
                clone.compress_type = info.compress_type
                clone.external_attr = info.external_attr
                clone.create_system = info.create_system
                clone.comment = info.comment
                clone.extra = info.extra
                zout.writestr(clone, replacements.get(info.filename, data))
        os.replace(tmp, out)
    except PermissionError:
        raise AddinError(f"无法写入 {out}：文件可能正被 Excel 打开。请关闭 Excel 后重试。") from None
    finally:
        tmp.unlink(missing_ok=True)  # no-op after a successful replace
    return out.resolve()


def _replacements(contents: Mapping[str, bytes], original: bytes, sources: AddinSources) -> dict[str, bytes]:
    for member in (CUSTOMUI_MEMBER, WORKBOOK_MEMBER, WORKBOOK_RELS_MEMBER, SHARED_STRINGS_MEMBER, VBA_MEMBER):
        if member not in contents:
            raise AddinError(f"加载项模板中缺少 {member}，不是 xlwings 的功能区加载项。")
    check_dll_matches_installed(original)
    project = vba_project_name(original)
    workbook_xml, sheet_rid = _activate_config_sheet(contents[WORKBOOK_MEMBER], project)
    sheet_member = _relationship_target(contents[WORKBOOK_RELS_MEMBER], sheet_rid, base="xl")
    if sheet_member not in contents:
        raise AddinError(f"加载项模板中缺少配置工作表 {sheet_member}。")
    strings = _shared_strings(contents[SHARED_STRINGS_MEMBER])
    return {
        CUSTOMUI_MEMBER: sources.customui,
        WORKBOOK_MEMBER: workbook_xml,
        sheet_member: _fill_config_sheet(contents[sheet_member], strings, sources.config),
    }


def _vba_code(xlam: bytes) -> str:
    from oletools.olevba import VBA_Parser  # heavy import, only needed while building

    parser = VBA_Parser(ADDIN_FILENAME, data=xlam)
    try:
        return "\n".join(code for _, _, _, code in parser.extract_macros())
    finally:
        parser.close()


def vba_project_name(xlam: bytes) -> str:
    """``PROJECT_NAME`` from the add-in's VBA: the config sheet is ``<PROJECT_NAME>.conf``.

    Read rather than assumed, so a future xlwings renaming it fails loudly instead of
    producing an add-in whose config sheet is silently ignored.
    """
    match = re.search(r'Const\s+PROJECT_NAME\s+As\s+String\s*=\s*"([^"]+)"', _vba_code(xlam))
    if match:
        return match.group(1)
    raise AddinError("加载项模板的 VBA 中找不到 PROJECT_NAME 常量，无法确定配置工作表的名称。")


def vba_dll_version(xlam: bytes) -> str | None:
    """The xlwings version whose DLL the VBA declares (``xlwings64-0.37.8.dll``)."""
    versions = set(re.findall(r"xlwings(?:32|64)-([\d.]+?)\.dll", _vba_code(xlam)))
    if len(versions) > 1:
        raise AddinError(f"加载项模板的 VBA 引用了多个 xlwings DLL 版本：{'、'.join(sorted(versions))}。")
    return versions.pop() if versions else None


def check_dll_matches_installed(xlam: bytes) -> str:
    """The add-in's VBA loads one xlwings DLL version; the Python side must be that version."""
    dll, installed = vba_dll_version(xlam), xlwings_version()
    if dll is None:
        raise AddinError("加载项模板的 VBA 中找不到 xlwings DLL 的版本号。")
    if dll != installed:
        raise AddinError(
            f"加载项模板的 VBA 加载 xlwings {dll} 的 DLL，而本机安装的是 xlwings {installed}。"
            f"请安装 xlwings=={dll}，或用本机 xlwings 自带的 {XLWINGS_ADDIN_NAME} 生成。"
        )
    return dll


def _activate_config_sheet(workbook_xml: bytes, project: str) -> tuple[bytes, str]:
    """Rename ``_<project>.conf`` to ``<project>.conf``; return new XML and the sheet's r:id."""
    active, disabled = f"{project}.conf", f"_{project}.conf"
    sheets = [
        s for s in _parse(workbook_xml, WORKBOOK_MEMBER).iter(f"{{{MAIN_NS}}}sheet") if s.get("name") in (active, disabled)
    ]
    if len(sheets) != 1:
        raise AddinError(f"{WORKBOOK_MEMBER} 中应恰有一个名为 {disabled} 的配置工作表，实际找到 {len(sheets)} 个。")
    rid = sheets[0].get(f"{{{DOC_REL_NS}}}id")
    if sheets[0].get("name") == active:
        return workbook_xml, rid
    text = workbook_xml.decode("utf-8")
    old = f'name="{disabled}"'
    if text.count(old) != 1:
        raise AddinError(f"{WORKBOOK_MEMBER} 的格式与预期不同，无法安全地重命名 {disabled}。")
    new = text.replace(old, f'name="{active}"').encode("utf-8")
    names = [s.get("name") for s in _parse(new, WORKBOOK_MEMBER).iter(f"{{{MAIN_NS}}}sheet")]
    if active not in names:  # post-condition, cheap insurance for the text splice above
        raise AddinError(f"重命名配置工作表失败：{names}")
    return new, rid


def _relationship_target(rels_xml: bytes, rid: str | None, base: str) -> str:
    for rel in _parse(rels_xml, WORKBOOK_RELS_MEMBER).iter(f"{{{PKG_REL_NS}}}Relationship"):
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
    raise AddinError(f"{WORKBOOK_RELS_MEMBER} 中找不到配置工作表的关系 {rid}。")


def _shared_strings(sst_xml: bytes) -> list[str]:
    strings = []
    for si in _parse(sst_xml, SHARED_STRINGS_MEMBER).iter(f"{{{MAIN_NS}}}si"):
        # Plain <t> or rich-text runs <r><t>; phonetic <rPh> runs are not part of the value.
        parts = [t.text or "" for t in si.findall(f"{{{MAIN_NS}}}t")]
        parts += [t.text or "" for t in si.findall(f"{{{MAIN_NS}}}r/{{{MAIN_NS}}}t")]
        strings.append("".join(parts))
    return strings


def _fill_config_sheet(sheet_xml: bytes, strings: list[str], config: Mapping[str, str | bool | None]) -> bytes:
    """Set column B of the rows whose column-A key appears in ``config``.

    The key set must equal the template's: the VBA reads the contiguous A column, and a
    misspelt key would otherwise be written nowhere and silently ignored.
    """
    root = _parse(sheet_xml, "config sheet")
    sheet_data = root.find(f"{{{MAIN_NS}}}sheetData")
    if sheet_data is None:
        raise AddinError("配置工作表中没有 sheetData。")
    rows = {}
    for row in sheet_data.findall(f"{{{MAIN_NS}}}row"):
        key_cell = _cell(row, "A")
        key = _cell_text(key_cell, strings) if key_cell is not None else ""
        if key:
            rows[key] = row
    missing, unknown = sorted(set(rows) - set(config)), sorted(set(config) - set(rows))
    if missing or unknown:
        raise AddinError(
            f"{CONFIG_FILE} 的键名与 xlwings 配置表不一致。缺少：{'、'.join(missing) or '无'}；"
            f"多余或拼错：{'、'.join(unknown) or '无'}。应为：{'、'.join(rows)}。"
        )
    for key, value in config.items():
        _set_value_cell(rows[key], value)

    text = sheet_xml.decode("utf-8")
    prefixes = _namespace_prefixes(sheet_xml)
    if prefixes.get(MAIN_NS) != "":
        raise AddinError("配置工作表的 XML 格式与预期不同（主命名空间不是默认命名空间）。")
    spans = list(re.finditer(r"<sheetData\b[^>]*?/>|<sheetData\b.*?</sheetData>", text, re.S))
    if len(spans) != 1:
        raise AddinError("配置工作表的 XML 格式与预期不同，无法定位 sheetData。")
    start, end = spans[0].span()
    new = (text[:start] + _serialize(sheet_data, prefixes) + text[end:]).encode("utf-8")
    _parse(new, "config sheet")  # the splice must still be well-formed XML
    return new


def _set_value_cell(row: Element, value: str | bool | None) -> None:
    key_cell = _cell(row, "A")
    old = _cell(row, "B")
    style = (old if old is not None else key_cell).get("s")
    if old is not None:
        row.remove(old)
    if value is not None and value != "":
        cell = Element(f"{{{MAIN_NS}}}c", {"r": f"B{row.get('r')}"})
        if style is not None:
            cell.set("s", style)
        if isinstance(value, bool):
            # Same cell type as the shipped B7:B9, so the VBA's "= True" comparisons behave as upstream.
            cell.set("t", "b")
            _sub(cell, "v").text = "1" if value else "0"
        else:
            cell.set("t", "inlineStr")
            t = _sub(_sub(cell, "is"), "t")
            t.text = value
            if value != value.strip():
                t.set(f"{{{XML_NS}}}space", "preserve")
        row.insert(list(row).index(key_cell) + 1, cell)
    if "spans" in row.attrib:
        cols = [_column_number(c.get("r", "")) for c in row.findall(f"{{{MAIN_NS}}}c")]
        row.set("spans", f"{min(cols)}:{max(cols)}")


def _sub(parent: Element, local: str) -> Element:
    """ET.SubElement in the spreadsheet namespace."""
    child = Element(f"{{{MAIN_NS}}}{local}")
    parent.append(child)
    return child


def _cell(row: Element, column: str) -> Element | None:
    for cell in row.findall(f"{{{MAIN_NS}}}c"):
        if re.fullmatch(rf"{column}\d+", cell.get("r", "")):
            return cell
    return None


def _cell_text(cell: Element, strings: list[str]) -> str:
    kind = cell.get("t")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{{{MAIN_NS}}}t"))
    value = cell.findtext(f"{{{MAIN_NS}}}v") or ""
    if kind == "s" and value:
        return strings[int(value)]
    return value


def _column_number(ref: str) -> int:
    number = 0
    for ch in re.match(r"[A-Z]*", ref).group(0):
        number = number * 26 + ord(ch) - ord("A") + 1
    return number


# --------------------------------------------------------------------------- XML helpers


def _parse(data: bytes, what: str) -> Element:
    try:
        return SafeET.fromstring(data)
    except SafeET.ParseError as exc:
        raise AddinError(f"{what} 不是有效的 XML：{exc}") from None


def _namespace_prefixes(data: bytes) -> dict[str, str]:
    """URI -> prefix as declared in the document (first declaration wins)."""
    prefixes = {XML_NS: "xml"}
    for _, (prefix, uri) in SafeET.iterparse(io.BytesIO(data), events=("start-ns",)):
        prefixes.setdefault(uri, prefix)
    return prefixes


def _qname(name: str, prefixes: Mapping[str, str]) -> str:
    if not name.startswith("{"):
        return name
    uri, local = name[1:].split("}", 1)
    if uri not in prefixes:
        raise AddinError(f"配置工作表中出现未声明的命名空间 {uri}。")
    return f"{prefixes[uri]}:{local}" if prefixes[uri] else local


def _serialize(elem: Element, prefixes: Mapping[str, str]) -> str:
    """Serialise a subtree using the document's own prefixes (no new xmlns declarations)."""
    tag = _qname(elem.tag, prefixes)
    attrs = "".join(f" {_qname(k, prefixes)}={quoteattr(v)}" for k, v in elem.attrib.items())
    inner = escape(elem.text or "") + "".join(_serialize(c, prefixes) + escape(c.tail or "") for c in elem)
    return f"<{tag}{attrs}>{inner}</{tag}>" if inner else f"<{tag}{attrs}/>"


# --------------------------------------------------------------------------- install


def _is_windows() -> bool:
    return sys.platform == "win32"


def xlstart_dir() -> Path:
    """The per-user Excel startup folder; Excel opens every file in it at launch."""
    appdata = os.environ.get("APPDATA")
    if not appdata:
        raise AddinError("环境变量 APPDATA 未设置，无法确定 Excel 启动文件夹 XLSTART。")
    return Path(appdata) / "Microsoft" / "Excel" / "XLSTART"


def install_addin(path: str | os.PathLike | None = None, *, force: bool = False) -> str:
    """Put ``perfeval_xl.xlam`` into the user's XLSTART folder and return its path.

    With ``path=None`` a fresh add-in is built straight into XLSTART; otherwise the given
    (already built) file is copied. Only Windows Excel loads add-ins from XLSTART the way
    this add-in expects, so elsewhere this raises ``AddinError`` with manual steps.

    An installed add-in whose VBA differs from the one about to replace it carries work
    done in Excel (UDF wrappers from ImportPythonUDFsToAddin): it is not overwritten unless
    ``force``, and then a copy is kept outside XLSTART (Excel opens every file inside it).
    """
    if not _is_windows():
        raise AddinError(MANUAL_INSTALL_ZH.format(platform=sys.platform))
    target_dir = xlstart_dir()
    target = target_dir / ADDIN_FILENAME
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        source = None
        if path is not None:
            source = Path(path)
            if source.is_dir():
                source = source / ADDIN_FILENAME
            _check_built_addin(source)
            if source.resolve() == target.resolve():
                return str(target)
        new_vba = _vba_of(source) if source is not None else _vba_of(xlwings_addin_path())
        old_vba = _vba_of(target) if target.is_file() else None
        if old_vba is not None and old_vba != new_vba:
            if not force:
                raise AddinError(VBA_WOULD_BE_LOST_ZH.format(target=target))
            backup = _backup(target)
            print(f"原加载项已备份到：{backup}", file=sys.stderr)
        if source is None:
            return str(build_addin(target))
        shutil.copyfile(source, target)
    except PermissionError:
        raise AddinError(
            f"无法写入 {target}：Excel 可能正在运行并已加载旧版加载项。请关闭所有 Excel 窗口后重试。"
        ) from None
    return str(target)


VBA_WOULD_BE_LOST_ZH = (
    "{target} 已存在，且其中的 VBA 与将要安装的不同（通常是在 Excel 中导入的 UDF 包装函数）。"
    "直接覆盖会丢失这些内容，已停止。请用 perfeval addin install --file <含包装函数的加载项> 安装，"
    "或加 --force 覆盖（原文件会先备份到 XLSTART 的上一级文件夹）。"
)


def _vba_of(path: Path) -> bytes | None:
    try:
        with zipfile.ZipFile(path) as z:
            return z.read(VBA_MEMBER)
    except (OSError, KeyError, zipfile.BadZipFile):
        return None


def _backup(target: Path) -> Path:
    from datetime import datetime

    # next to XLSTART, not in it: Excel would open a backup kept inside at every start
    backup = target.parent.parent / f"{target.stem}-备份-{datetime.now():%Y%m%d-%H%M%S}{target.suffix}"
    shutil.copyfile(target, backup)
    return backup


def _check_built_addin(path: Path) -> None:
    if path.name != ADDIN_FILENAME:
        raise AddinError(f"加载项文件必须命名为 {ADDIN_FILENAME}（当前为 {path.name}），否则按钮找不到 Python 代码。")
    if not path.is_file():
        raise AddinError(f"找不到 {path}。请先运行 perfeval addin build。")
    if not zipfile.is_zipfile(path):
        raise AddinError(f"{path} 不是有效的 .xlam 文件。")
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
    if not {CUSTOMUI_MEMBER, VBA_MEMBER} <= names:
        raise AddinError(f"{path} 不是 perfeval addin build 生成的加载项（缺少功能区或 VBA）。")
