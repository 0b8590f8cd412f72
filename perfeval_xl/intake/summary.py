"""Across submissions: summary.xlsx and summary.json, rebuilt from the ledger after each run.

* 汇总 – one row per department and year (the submission that counts), then the
  submissions that could not be attributed (rejected, unreadable, no workbook);
* 全部问题 – every finding of those submissions;
* 图表 – errors by rule and scores by department (openpyxl BarChart).

Everything a sender wrote (department, file name, subject, messages) goes
through ``safe_text``: a department called "=HYPERLINK(…)" lands as text;
counts and scores stay numbers.
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..outputs.files import save_atomically
from ..outputs.summary import header_row
from ..outputs.timefmt import local_display
from .ledger import STATUS_ZH, Ledger, now_iso

SUMMARY_XLSX = "summary.xlsx"
SUMMARY_JSON = "summary.json"

DEPT_HEADER = ("编号", "部门（单位）", "年度", "结论", "错误", "警告", "提示", "安全问题", "得分", "等级", "模板版本",
               "发件人", "接收时间", "文件", "报送次数", "说明", "SHA-256")
DEPT_WIDTHS = (7, 32, 7, 10, 6, 6, 6, 8, 8, 6, 9, 28, 22, 36, 8, 40, 66)
FINDINGS_HEADER = ("编号", "部门（单位）", "文件", "规则", "严重程度", "规则名称", "工作表", "单元格", "说明")
FINDINGS_WIDTHS = (7, 30, 32, 9, 8, 26, 12, 8, 90)
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def _score(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return float(Decimal(text))
    except (InvalidOperation, ValueError):
        return None


def collect(ledger: Ledger) -> dict:
    """The summary as data (also what summary.json holds)."""
    rows = ledger.current()
    all_rows = ledger.submissions()
    attempts = Counter((r["dept_key"], r["year"]) for r in all_rows if r["dept_key"] and r["status"] != "duplicate")
    departments, others, findings = [], [], []
    by_rule: Counter = Counter()
    for r in rows:
        report = json.loads(r["report_json"] or "{}")
        notes = []
        if r.get("supersedes"):
            notes.append(f"替代第 {r['supersedes']} 号")
        if r.get("template_version") and r["template_version"] != _current_version():
            notes.append(f"旧版模板 {r['template_version']}")
        entry = {
            "id": r["id"], "department": r["department"], "year": r["year"], "status": r["status"],
            "verdict": STATUS_ZH.get(r["status"], r["status"]), "errors": r["errors"], "warnings": r["warnings"],
            "infos": r["infos"], "security": r["security"], "score": _score(r["score"]), "grade": r["grade"],
            "template_version": r["template_version"], "sender": r["sender"], "received": r["received"],
            "file": r["file_name"], "attempts": attempts.get((r["dept_key"], r["year"]), 1) if r["dept_key"] else 1,
            "notes": "；".join(notes), "sha256": r["sha256"], "folder": r["folder"],
        }
        (departments if r["department"] else others).append(entry)
        for f in report.get("findings") or []:
            cell = (f.get("cells") or [{}])[0]
            findings.append({
                "id": r["id"], "department": r["department"], "file": r["file_name"], "rule_id": f["rule_id"],
                "severity": f["severity"], "title": f.get("title") or "", "sheet": cell.get("sheet"),
                "address": cell.get("address"), "message": f["message"],
            })
            if f["severity"] == "error":
                by_rule[f["rule_id"]] += 1
    departments.sort(key=lambda e: (e["department"] or "", e["year"] or ""))
    statuses = Counter(e["status"] for e in departments + others)
    return {
        "generated_at": now_iso(),
        "totals": {
            "messages": len(ledger.messages()), "submissions": len(all_rows), "departments": len(departments),
            "passed": statuses.get("passed", 0), "failed": statuses.get("failed", 0),
            "rejected": statuses.get("rejected", 0), "unreadable": statuses.get("unreadable", 0),
            "duplicates": sum(1 for r in all_rows if r["status"] == "duplicate"),
            "superseded": sum(1 for r in all_rows if r["superseded_by"]),
        },
        "departments": departments,
        "unattributed": others,
        "errors_by_rule": dict(sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))),
        "findings": findings,
    }


def _current_version() -> str:
    try:
        from ..schema import TEMPLATE_VERSION

        return str(TEMPLATE_VERSION)
    except Exception:  # pragma: no cover
        return ""


def write_summary(ledger: Ledger, out_dir: Path) -> tuple[Path, Path]:
    doc = collect(ledger)
    json_path = Path(out_dir) / SUMMARY_JSON
    tmp = json_path.with_suffix(".json.part")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(json_path)
    xlsx_path = Path(out_dir) / SUMMARY_XLSX
    _write_xlsx(doc, xlsx_path)
    return xlsx_path, json_path


def _write_xlsx(doc: dict, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    from ..outputs import safe_text

    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    header_row(ws, DEPT_HEADER, DEPT_WIDTHS)
    ws.freeze_panes = "B2"
    fills = {"passed": "C6EFCE", "failed": "FFC7CE", "rejected": "FFC7CE", "unreadable": "FFEB9C"}
    r = 1
    for e in doc["departments"] + doc["unattributed"]:
        r += 1
        safe_text.write_row(ws, r, (
            e["id"], e["department"] or "（未能识别）", e["year"], e["verdict"], e["errors"], e["warnings"], e["infos"],
            e["security"], e["score"], e["grade"], e["template_version"], e["sender"], local_display(e["received"]), e["file"],
            e["attempts"], e["notes"], e["sha256"],
        ))
        colour = fills.get(e["status"])
        if colour:
            ws.cell(r, 4).fill = PatternFill("solid", fgColor=colour)
    if r > 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(DEPT_HEADER))}{r}"

    wf = wb.create_sheet("全部问题")
    header_row(wf, FINDINGS_HEADER, FINDINGS_WIDTHS)
    wf.freeze_panes = "B2"
    for i, f in enumerate(doc["findings"], 2):
        safe_text.write_row(wf, i, (
            f["id"], f["department"], f["file"], f["rule_id"], SEVERITY_ZH.get(f["severity"], f["severity"]), f["title"],
            f["sheet"], f["address"], f["message"],
        ))
    if doc["findings"]:
        wf.auto_filter.ref = f"A1:{get_column_letter(len(FINDINGS_HEADER))}{len(doc['findings']) + 1}"

    wc = wb.create_sheet("图表")
    wc["A1"].font = Font(bold=True)
    safe_text.write_row(wc, 1, ("规则", "错误数"))
    rules = list(doc["errors_by_rule"].items())
    for i, (rule, n) in enumerate(rules, 2):
        safe_text.write_row(wc, i, (rule, n))
    if rules:
        chart = BarChart()
        chart.type = "bar"
        chart.title = "各规则错误数"
        chart.y_axis.title = "错误数"
        chart.add_data(Reference(wc, min_col=2, min_row=1, max_row=len(rules) + 1), titles_from_data=True)
        chart.set_categories(Reference(wc, min_col=1, min_row=2, max_row=len(rules) + 1))
        chart.height = max(7.5, 0.5 * len(rules))
        wc.add_chart(chart, "E2")
    scored = [e for e in doc["departments"] if e["score"] is not None]
    safe_text.write_row(wc, 1, ("部门（单位）", "得分"), start_col=3)
    for i, e in enumerate(scored, 2):
        safe_text.write_row(wc, i, (f"{e['department']}（{e['year']}）" if e["year"] else e["department"], e["score"]), start_col=3)
    if scored:
        chart = BarChart()
        chart.type = "bar"
        chart.title = "各部门得分"
        chart.y_axis.title = "得分"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 100
        chart.add_data(Reference(wc, min_col=4, min_row=1, max_row=len(scored) + 1), titles_from_data=True)
        chart.set_categories(Reference(wc, min_col=3, min_row=2, max_row=len(scored) + 1))
        chart.height = max(7.5, 0.5 * len(scored))
        wc.add_chart(chart, "E20")
    wc.column_dimensions["A"].width = 12
    wc.column_dimensions["C"].width = 36
    save_atomically(wb, path)


__all__ = ["SUMMARY_JSON", "SUMMARY_XLSX", "collect", "write_summary"]
