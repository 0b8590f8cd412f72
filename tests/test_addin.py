"""The ribbon add-in build: xlwings' xlam with only ribbon and config changed."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from defusedxml import ElementTree as SafeET
from python_calamine import CalamineWorkbook

from perfeval_xl.xl import addin

REPO_MACROS = Path(__file__).resolve().parent.parent / "macros"
CUI = "{http://schemas.microsoft.com/office/2006/01/customui}"
CONFIG_SHEET_MEMBER = "xl/worksheets/sheet1.xml"
CHANGED = {addin.CUSTOMUI_MEMBER, addin.WORKBOOK_MEMBER, CONFIG_SHEET_MEMBER}


@pytest.fixture(scope="module")
def original() -> Path:
    return addin.xlwings_addin_path()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return addin.build_addin(tmp_path_factory.mktemp("addin") / "perfeval_xl.xlam")


def _sha256(path: Path, member: str) -> str:
    with zipfile.ZipFile(path) as z:
        return hashlib.sha256(z.read(member)).hexdigest()


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_zip_has_same_members_order_and_compression(built, original):
    with zipfile.ZipFile(built) as new, zipfile.ZipFile(original) as old:
        assert new.testzip() is None
        assert new.namelist() == old.namelist()
        assert [i.compress_type for i in new.infolist()] == [i.compress_type for i in old.infolist()]


def test_only_ribbon_workbook_and_config_sheet_differ(built, original):
    new, old = _members(built), _members(original)
    assert {name for name in old if new[name] != old[name]} == CHANGED


def test_vba_project_is_byte_identical(built, original):
    assert _sha256(built, addin.VBA_MEMBER) == _sha256(original, addin.VBA_MEMBER)


def test_ribbon_has_chinese_labels_and_runmain_callback(built):
    data = _members(built)[addin.CUSTOMUI_MEMBER]
    assert data == (REPO_MACROS / "customUI.xml").read_bytes()
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"')
    root = SafeET.fromstring(data)
    assert root.tag == f"{CUI}customUI"
    tab = root.find(f"{CUI}ribbon/{CUI}tabs/{CUI}tab")
    group = tab.find(f"{CUI}group")
    button = group.find(f"{CUI}button")
    assert (tab.get("label"), group.get("label"), button.get("label")) == ("绩效评价", "数据校验", "校验")
    # qualified with our file: every quickstart add-in has a RibbonMyAddin.RunMain of its own
    assert button.get("onAction") == "'perfeval_xl.xlam'!RibbonMyAddin.RunMain" == addin.RIBBON_CALLBACK
    assert button.get("size") == "large" and button.get("imageMso")
    assert re.search(r"[\u4e00-\u9fff]", button.get("supertip", "")) and "校验结果" in button.get("supertip")


def test_config_sheet_is_active_and_filled(built):
    book = CalamineWorkbook.from_path(str(built))
    assert book.sheet_names == ["myaddin.conf"]  # "_myaddin.conf" would be ignored by the VBA
    rows = book.get_sheet_by_name("myaddin.conf").to_python()
    config = {row[0]: row[1] for row in rows}
    assert list(config) == [
        "Interpreter_Win", "Interpreter_Mac", "PYTHONPATH", "Conda Path", "Conda Env",
        "UDF Modules", "Debug UDFs", "Use UDF Server", "Show Console",
    ]
    assert config["UDF Modules"] == "perfeval_xl.xl.udfs"
    assert config["Show Console"] is False and config["PYTHONPATH"] == "" and config["Interpreter_Win"] == ""


@pytest.mark.parametrize("member", [addin.WORKBOOK_MEMBER, CONFIG_SHEET_MEMBER])
def test_ignorable_prefixes_stay_declared(built, member):
    # ElementTree would drop xmlns:x14ac etc.; Excel then calls the file corrupt.
    text = _members(built)[member].decode("utf-8")
    ignorable = re.search(r'mc:Ignorable="([^"]*)"', text).group(1).split()
    assert ignorable
    for prefix in ignorable:
        assert f"xmlns:{prefix}=" in text, prefix


def test_olevba_still_sees_runmain(built):
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(built))
    try:
        code = {name: src for _, _, name, src in parser.extract_macros()}
    finally:
        parser.close()
    assert "Sub RunMain(control As IRibbonControl)" in code["RibbonMyAddin.bas"]
    assert addin.vba_project_name(built.read_bytes()) == "myaddin"


def test_output_must_be_named_after_the_module(tmp_path):
    with pytest.raises(addin.AddinError, match="perfeval_xl.xlam"):
        addin.build_addin(tmp_path / "绩效评价.xlam")
    assert not list(tmp_path.iterdir())
    assert addin.build_addin(tmp_path) == (tmp_path / "perfeval_xl.xlam").resolve()


def _macros_copy(tmp_path: Path) -> Path:
    target = tmp_path / "macros"
    shutil.copytree(REPO_MACROS, target)
    return target


def test_misspelt_config_key_is_rejected(tmp_path):
    macros = _macros_copy(tmp_path)
    conf = macros / "addin.conf.yml"
    conf.write_text(conf.read_text(encoding="utf-8").replace("UDF Modules:", "UDF Module:"), encoding="utf-8")
    with pytest.raises(addin.AddinError) as exc:
        addin.build_addin(tmp_path, macros_dir=macros)
    assert "UDF Modules" in str(exc.value) and "UDF Module" in str(exc.value)


def test_custom_values_land_in_column_b(tmp_path):
    macros = _macros_copy(tmp_path)
    conf = macros / "addin.conf.yml"
    text = conf.read_text(encoding="utf-8")
    text = text.replace('PYTHONPATH: ""', r"PYTHONPATH: '%USERPROFILE%\perfeval\src & <b>'")
    text = text.replace("Show Console: false", "Show Console: true")
    conf.write_text(text, encoding="utf-8")
    out = addin.build_addin(tmp_path, macros_dir=macros)
    config = dict(CalamineWorkbook.from_path(str(out)).get_sheet_by_name("myaddin.conf").to_python())
    assert config["PYTHONPATH"] == r"%USERPROFILE%\perfeval\src & <b>"
    assert config["Show Console"] is True


def test_ribbon_callback_other_than_runmain_is_rejected(tmp_path):
    macros = _macros_copy(tmp_path)
    cui = macros / "customUI.xml"
    cui.write_text(cui.read_text(encoding="utf-8").replace("RibbonMyAddin.RunMain", "Module1.Check"), encoding="utf-8")
    with pytest.raises(addin.AddinError, match="RunMain"):
        addin.build_addin(tmp_path, macros_dir=macros)


def test_unqualified_callback_is_rejected(tmp_path):
    """Unqualified, Excel may run the RunMain of another quickstart add-in loaded first."""
    macros = _macros_copy(tmp_path)
    cui = macros / "customUI.xml"
    cui.write_text(cui.read_text(encoding="utf-8").replace("'perfeval_xl.xlam'!RibbonMyAddin", "RibbonMyAddin"), encoding="utf-8")
    with pytest.raises(addin.AddinError, match="perfeval_xl.xlam"):
        addin.build_addin(tmp_path, macros_dir=macros)


def test_xlwings_is_pinned_to_the_version_whose_dll_the_vba_loads(built):
    import importlib.metadata
    import tomllib

    pyproject = tomllib.loads((REPO_MACROS.parent / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [d for d in pyproject["project"]["dependencies"] if d.startswith("xlwings")]
    assert len(pins) == 1 and pins[0].startswith("xlwings==")
    pinned = pins[0].split("==")[1].strip()
    assert addin.vba_dll_version(built.read_bytes()) == pinned == importlib.metadata.version("xlwings")


def test_build_refuses_an_xlam_whose_dll_differs_from_installed_xlwings(tmp_path, monkeypatch):
    monkeypatch.setattr(addin, "xlwings_version", lambda: "0.30.0")  # as if another xlwings were installed
    with pytest.raises(addin.AddinError, match=r"xlwings==0\.37\.8"):
        addin.build_addin(tmp_path)
    assert not (tmp_path / "perfeval_xl.xlam").exists()


def _with_other_vba(src: Path, dest: Path) -> Path:
    """An add-in as Excel saves it after ImportPythonUDFsToAddin: same members, different VBA bytes."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, data + b"\0imported wrappers" if info.filename == addin.VBA_MEMBER else data)
    return dest


def test_install_without_file_keeps_imported_udf_wrappers(tmp_path, monkeypatch, built):
    monkeypatch.setattr(addin, "_is_windows", lambda: True)
    monkeypatch.setenv("APPDATA", str(tmp_path / "AppData"))
    excel = tmp_path / "AppData" / "Microsoft" / "Excel"
    (excel / "XLSTART").mkdir(parents=True)
    installed = _with_other_vba(built, excel / "XLSTART" / "perfeval_xl.xlam")
    before = installed.read_bytes()
    with pytest.raises(addin.AddinError, match="UDF 包装函数"):
        addin.install_addin()
    assert installed.read_bytes() == before
    addin.install_addin(force=True)
    backups = list(excel.glob("perfeval_xl-备份-*.xlam"))
    assert len(backups) == 1 and backups[0].read_bytes() == before
    assert _sha256(installed, addin.VBA_MEMBER) == _sha256(built, addin.VBA_MEMBER)
    assert not [p for p in (excel / "XLSTART").iterdir() if p.name != "perfeval_xl.xlam"]


def test_missing_sources_give_a_chinese_error(tmp_path, monkeypatch):
    monkeypatch.setattr(addin, "_REPO_MACROS", tmp_path / "nowhere")
    with pytest.raises(addin.AddinError, match="找不到加载项源文件"):
        addin.load_sources()


def test_install_outside_windows_explains_manual_steps(monkeypatch):
    monkeypatch.setattr(addin, "_is_windows", lambda: False)
    with pytest.raises(addin.AddinError, match="XLSTART"):
        addin.install_addin()


def test_install_on_windows_copies_into_xlstart(tmp_path, monkeypatch, built):
    monkeypatch.setattr(addin, "_is_windows", lambda: True)
    monkeypatch.setenv("APPDATA", str(tmp_path / "AppData"))
    xlstart = tmp_path / "AppData" / "Microsoft" / "Excel" / "XLSTART"

    installed = addin.install_addin(built)
    assert Path(installed) == xlstart / "perfeval_xl.xlam"
    assert Path(installed).read_bytes() == built.read_bytes()

    Path(installed).unlink()
    assert Path(addin.install_addin()) == xlstart / "perfeval_xl.xlam"  # builds in place
    assert _sha256(Path(installed), addin.VBA_MEMBER) == _sha256(built, addin.VBA_MEMBER)

    renamed = tmp_path / "copy.xlam"
    shutil.copyfile(built, renamed)
    with pytest.raises(addin.AddinError, match="perfeval_xl.xlam"):
        addin.install_addin(renamed)


def _perfeval(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    code = "import sys; from perfeval_xl.cli import main; sys.exit(main(sys.argv[1:]))"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-c", code, *argv], cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8"
    )


def test_cli_build_writes_the_addin(tmp_path, original):
    out = tmp_path / "dist" / "perfeval_xl.xlam"
    result = _perfeval("addin", "build", "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "已生成" in result.stdout
    assert _sha256(out, addin.VBA_MEMBER) == _sha256(original, addin.VBA_MEMBER)


def test_cli_build_default_is_current_directory(tmp_path):
    result = _perfeval("addin", "build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert zipfile.is_zipfile(tmp_path / "perfeval_xl.xlam")


@pytest.mark.skipif(sys.platform == "win32", reason="on Windows install really installs")
def test_cli_install_off_windows_exits_2_in_chinese(tmp_path):
    result = _perfeval("addin", "install", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("错误：加载项只能安装到 Windows 版 Excel")
    assert "XLSTART" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
