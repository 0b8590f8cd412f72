"""The 部门整体支出绩效评价报告, written from a filled workbook.

* ``phrases``     – pure wording of figures (万元, 占比, 完成率, 增减变动, counted lists)
* ``stated``      – one figure per fact: computed from base figures or the stated field
* ``content``     – pure: typed values + score card + findings → a structured ``Document``
  (sections in ``spending``, ``performance``, ``drafts``, ``scoretable``, ``annex``)
* ``docx_writer`` – the ``Document`` as a .docx (python-docx); ``charts`` draws its charts (matplotlib)

``generate(path, out)`` ties them to the reader, the checker and the scorer; the
``perfeval report`` command is a thin shell around it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError
from .content import Document, build_report
from .reading import MODES, PUBLISH, REVIEW, finding_line

DEFAULT_PROFILE = "V1"


@dataclass
class Generated:
    docx: Path
    pdf: Path | None = None
    todo: Path | None = None  # the companion 待补充.txt
    gaps: tuple[str, ...] = ()
    error_lines: tuple[str, ...] = ()
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
    mode: str = PUBLISH,
) -> Generated:
    """Check, score and write the report of the workbook at ``path`` to ``out`` (.docx)."""
    from ..indicators import PROFILES, score
    from ..rules.base import Severity
    from .docx_writer import write_docx

    path, out = Path(path), Path(out)
    if mode not in MODES:
        raise UserError(f"未知的报告模式 {mode}；可选：{'、'.join(MODES)}")
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
            "如确需先出草稿，可加 --force（发布模式的正文不含校验信息，错误列在终端和待补充清单中；"
            "审核模式在报告开头标注“未通过校验”）。"
        )
    from ..readers.evaluator import given_of_workbook

    found = None if profile else given_of_workbook(data)  # the evaluator's entries (and an imported profile)
    pid = found[0].id if found else profile or data.profile or DEFAULT_PROFILE
    if not found and pid not in PROFILES:
        raise UserError(f"未知的评分方案 {pid}；可选：{'、'.join(PROFILES)}")
    card = score(values, found[0], found[1]) if found else score(values, pid)
    doc = build_report(values, card, findings, mode=mode)
    error_lines = tuple(finding_line(f) for f in errors)
    todo = todo_path(out)
    try:
        write_docx(doc, out)
        todo.write_text(todo_text(doc, error_lines), encoding="utf-8")
    except OSError as exc:
        raise UserError(f"无法写入报告 {out}：{exc}") from exc
    result = Generated(out, None, todo, tuple(doc.gaps), error_lines, len(errors),
                       sum(1 for f in findings if f.rounding and f.severity is not Severity.ERROR), pid, doc)
    if pdf:
        result.pdf = to_pdf(out)
    return result


def todo_path(out: Path) -> Path:
    """报告.docx → 报告.待补充.txt next to it."""
    return out.with_name(f"{out.stem}.待补充.txt")


def todo_text(doc: Document, error_lines: tuple[str, ...] = ()) -> str:
    """The 待补充 list: what the text left out for want of a figure or a paragraph, and the errors."""
    lines = [f"{doc.title}：待补充", ""]
    if error_lines:
        lines.append(f"工作簿有 {len(error_lines)} 项错误（报告按 --force 生成，修正后请重新生成）：")
        lines.extend(f"  {i}. {t}" for i, t in enumerate(error_lines, 1))
        lines.append("")
    if doc.gaps:
        lines.append(f"以下 {len(doc.gaps)} 项未填报，正文已略去相应内容；补填工作簿后重新生成报告：")
        lines.extend(f"  {i}. {g}" for i, g in enumerate(doc.gaps, 1))
    else:
        lines.append("无待补充内容。")
    return "\n".join(lines) + "\n"


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


__all__ = ["DEFAULT_PROFILE", "MODES", "PUBLISH", "REVIEW", "Document", "Generated", "build_report", "generate", "to_pdf",
           "todo_path", "todo_text", "typed_values"]
