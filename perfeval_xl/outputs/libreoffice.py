"""LibreOffice headless as a formula engine and a PDF converter.

Each call gets its own throw-away profile: two soffice processes sharing a
profile hand jobs to each other and exit early (xlwings.md §6). The profile
forces recalculation on load, otherwise stale cached values are kept.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

_RECALC_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


class LibreOfficeMissing(RuntimeError):
    pass


def soffice() -> str:
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    raise LibreOfficeMissing("未找到 LibreOffice（soffice）。请先运行 scripts/setup-test-env.sh 或安装 libreoffice-calc-nogui。")


def convert(paths: list[Path] | Path, fmt: str, outdir: Path, timeout: float = 300) -> list[Path]:
    """Convert files with LibreOffice headless (``fmt``: xlsx, pdf, …); returns the output paths."""
    if isinstance(paths, Path | str):
        paths = [Path(paths)]
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="perfeval-lo-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_RECALC_XCU, encoding="utf-8")
        env = dict(os.environ, HOME=profile)
        cmd = [
            soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            *[str(p) for p in paths],
        ]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    outs = [outdir / (Path(p).stem + "." + fmt.split(":")[0]) for p in paths]
    missing = [o for o in outs if not o.exists()]
    if proc.returncode != 0 or missing:
        raise RuntimeError(f"LibreOffice 转换失败（{proc.returncode}）：{proc.stderr.strip() or proc.stdout.strip()}")
    return outs


def recalculate(path: Path, outdir: Path) -> Path:
    """A copy of ``path`` with every formula computed by LibreOffice (read it with data_only=True)."""
    return convert([Path(path)], "xlsx", outdir)[0]
