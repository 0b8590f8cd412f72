"""Across submissions: summary.xlsx and summary.json, rebuilt from the ledger after each run.

* 汇总 – one row per department and year (the submission that counts), then the
  submissions that could not be attributed (rejected, unreadable, no workbook);
* 全部问题 – every finding of those submissions;
* 错误分布 – errors pivoted by rule and department, with totals;
* 图表 – errors by rule and scores by department (openpyxl BarChart).

The tables are DataFrames written by the same writers as ``perfeval check --summary``
(outputs/summary.py), so both summaries look and behave alike.

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
from ..outputs.summary import UNKNOWN_DEPT, add_charts, errors_by_rule_and_department, write_frame, write_pivot
from ..outputs.timefmt import local_display, zone_label
from .ledger import STATUS_ZH, Ledger, now_iso

SUMMARY_XLSX = "summary.xlsx"
SUMMARY_JSON = "summary.json"

# (header, key in collect()'s entries, minimum width); widths grow with the content (outputs.summary.write_frame)
DEPT_COLUMNS = (
    ("编号", "id", 5), ("部门（单位）", "department", 14), ("年度", "year", 6), ("结论", "verdict", 8),
    ("错误", "errors", 5), ("警告", "warnings", 5), ("提示", "infos", 5), ("安全问题", "security", 6),
    ("得分", "score", 6), ("等级", "grade", 5), ("模板版本", "template_version", 8), ("发件人", "sender", 14),
    (f"接收时间（{zone_label()}）", "received_local", 17), ("文件", "file", 16), ("报送次数", "attempts", 6),
    ("说明", "notes", 16), ("SHA-256（前 16 位）", "sha_short", 18), ("SHA-256", "sha256", 66),
)
FINDINGS_COLUMNS = (
    ("编号", "id", 5), ("部门（单位）", "department", 14), ("文件", "file", 16), ("规则", "rule_id", 8),
    ("严重程度", "severity_zh", 8), ("规则名称", "title", 16), ("工作表", "sheet", 10), ("单元格", "address", 7),
    ("说明", "message", 60),
)
DEPT_HEADER = tuple(h for h, _, _ in DEPT_COLUMNS)
FINDINGS_HEADER = tuple(h for h, _, _ in FINDINGS_COLUMNS)
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


def frames(doc: dict):
    """collect()'s document as DataFrames: submissions (departments first) and findings."""
    import pandas as pd

    entries = pd.DataFrame(doc["departments"] + doc["unattributed"], columns=[k for _, k, _ in DEPT_COLUMNS if k not in ("received_local", "sha_short")] + ["status", "received"])
    entries["department"] = entries["department"].fillna(UNKNOWN_DEPT)
    entries["received_local"] = entries["received"].map(local_display)
    entries["sha_short"] = entries["sha256"].str[:16]
    findings = pd.DataFrame(doc["findings"], columns=["id", "department", "file", "rule_id", "severity", "title", "sheet", "address", "message"])
    findings["severity_zh"] = findings["severity"].map(lambda v: SEVERITY_ZH.get(v, v))
    findings["severity_id"] = findings["severity"]
    findings["n"] = 1
    return entries, findings


def _write_xlsx(doc: dict, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    entries, findings = frames(doc)
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    write_frame(ws, entries, DEPT_COLUMNS)
    ws.freeze_panes = "B2"
    fills = {"passed": "C6EFCE", "failed": "FFC7CE", "rejected": "FFC7CE", "unreadable": "FFEB9C"}
    for i, status in enumerate(entries["status"], start=2):
        if status in fills:
            ws.cell(i, 4).fill = PatternFill("solid", fgColor=fills[status])

    wf = wb.create_sheet("全部问题")
    write_frame(wf, findings, FINDINGS_COLUMNS)
    wf.freeze_panes = "B2"
    pivot = errors_by_rule_and_department(findings)
    write_pivot(wb.create_sheet("错误分布"), pivot, "按规则和部门统计的错误")

    by_rule = pd_series(doc["errors_by_rule"])
    scored = [e for e in doc["departments"] if e["score"] is not None]
    scores = pd_series({(f"{e['department']}（{e['year']}）" if e["year"] else e["department"]): e["score"] for e in scored})
    add_charts(wb, by_rule, scores.sort_values(ascending=False))
    save_atomically(wb, path)


def pd_series(mapping: dict):
    import pandas as pd

    return pd.Series(mapping, dtype="float64" if not mapping else None)


__all__ = ["SUMMARY_JSON", "SUMMARY_XLSX", "collect", "write_summary"]
