"""The 部门整体支出绩效评价报告, written from a filled workbook.

* ``phrases``     – pure wording of figures (万元, 占比, 完成率, 增减变动, counted lists)
* ``content``     – pure: typed values + score card + findings → a structured ``Document``
* ``docx_writer`` – the ``Document`` as a .docx (python-docx)

``generate(path, out)`` ties them to the reader, the checker and the scorer; the
``perfeval report`` command is a thin shell around it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError
from .content import Document, build_report

DEFAULT_PROFILE = "V1"


@dataclass
class Generated:
    docx: Path
    pdf: Path | None = None
    errors: int = 0
    rounding: int = 0
    profile: str = ""
    document: Document | None = field(default=None, repr=False)


def typed_values(path: Path):
    """(WorkbookData, field id → typed value) of a filled template; UserError if unreadable."""
    from ..readers.workbook import read_workbook
    from ..schema import INPUTS
    from ..schema.values import coerce

    data = read_workbook(path, with_formulas=False)
    if not data.readable or not data.is_template:
        reason = "；".join(p.detail or p.code for p in data.problems) or "缺少模板标识（不是本工具生成的模板）"
        raise UserError(f"无法读取 {path}：{reason}")
    return data, {fid: coerce(f, data.raw.get(fid))[0] for fid, f in INPUTS.items()}


def check_findings(path: Path) -> list:
    from ..check import check_path

    report = check_path(path)
    if not report.checked:
        lines = "；".join(f.message for f in report.findings[:3])
        raise UserError(f"无法校验 {path}：{lines or '文件无法读取'}")
    return list(report.findings)


def generate(
    path: Path | str,
    out: Path | str,
    *,
    profile: str | None = None,
    force: bool = False,
    pdf: bool = False,
) -> Generated:
    """Check, score and write the report of the workbook at ``path`` to ``out`` (.docx)."""
    from ..indicators import PROFILES, score
    from ..rules.base import Severity
    from .docx_writer import write_docx

    path, out = Path(path), Path(out)
    if not path.is_file():
        raise UserError(f"找不到工作簿：{path}")
    if out.suffix.lower() != ".docx":
        raise UserError(f"报告文件须为 .docx：{out}")
    if out.exists() and out.resolve() == path.resolve():
        raise UserError(f"报告会覆盖输入文件 {path}，已拒绝。")
    data, values = typed_values(path)
    findings = check_findings(path)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors and not force:
        raise UserError(
            f"工作簿有 {len(errors)} 项错误，未生成报告。请先运行 perfeval check {path} 查看并修正；"
            "如确需先出草稿，可加 --force，报告开头将标注“未通过校验”并列出这些错误。"
        )
    from ..readers.evaluator import given_of_workbook

    found = None if profile else given_of_workbook(data)  # the evaluator's entries (and an imported profile)
    pid = found[0].id if found else profile or data.profile or DEFAULT_PROFILE
    if not found and pid not in PROFILES:
        raise UserError(f"未知的评分方案 {pid}；可选：{'、'.join(PROFILES)}")
    card = score(values, found[0], found[1]) if found else score(values, pid)
    doc = build_report(values, card, findings)
    try:
        write_docx(doc, out)
    except OSError as exc:
        raise UserError(f"无法写入报告 {out}：{exc}") from exc
    result = Generated(out, None, len(errors), sum(1 for f in findings if f.rounding and f.severity is not Severity.ERROR),
                       pid, doc)
    if pdf:
        result.pdf = to_pdf(out)
    return result


def to_pdf(docx: Path) -> Path:
    """Convert the .docx to PDF next to it with LibreOffice headless."""
    import subprocess

    from ..outputs.libreoffice import LibreOfficeMissing, convert

    try:
        return convert([docx], "pdf", docx.parent)[0]
    except LibreOfficeMissing as exc:
        raise UserError(str(exc)) from exc
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        raise UserError(f"转换 PDF 失败：{exc}") from exc


__all__ = ["DEFAULT_PROFILE", "Document", "Generated", "build_report", "generate", "to_pdf", "typed_values"]
