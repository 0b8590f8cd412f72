"""Who submitted, who is missing, who still has errors — the expected list against the ledger.

The expected list is a CSV (UTF-8 with or without BOM, or GB18030 as Excel saves
it on Chinese Windows) with the columns 预算编码 / 部门名称 / 邮箱 (English
aliases code / name / email; several addresses separated by ; or ,). A
department matches a submission by its normalised name (as read from the
workbook cover) or by the sender's address.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError
from ..outputs.timefmt import local_display
from .ledger import Ledger, dept_key

STATUS_CSV = "status.csv"
STATUS_JSON = "status.json"
COLUMNS = {
    "code": ("预算编码", "单位编码", "编码", "code", "budget_code"),
    "name": ("部门名称", "单位名称", "部门（单位）名称", "部门", "name", "department"),
    "email": ("邮箱", "电子邮箱", "邮件地址", "email", "mail"),
}
STATE_ZH = {
    "missing": "未报送",
    "passed": "已报送·合格",
    "failed": "已报送·有错误",
    "rejected": "已拒收·须重报",
    "unreadable": "已报送·无法校验",
}


@dataclass
class Expected:
    code: str
    name: str
    emails: tuple[str, ...] = ()


@dataclass
class StatusLine:
    expected: Expected
    state: str  # missing | passed | failed | rejected | unreadable
    submission: dict | None = None
    matched_by: str = ""
    attempts: int = 0

    def to_dict(self) -> dict:
        s = self.submission or {}
        return {
            "预算编码": self.expected.code, "部门名称": self.expected.name, "邮箱": ";".join(self.expected.emails),
            "状态": STATE_ZH[self.state], "state": self.state, "匹配方式": self.matched_by, "报送次数": self.attempts,
            "编号": s.get("id"), "错误": s.get("errors"), "警告": s.get("warnings"), "安全问题": s.get("security"),
            # people read 接收时间 (北京时间); programs get the exact ISO timestamp under "received"
            "接收时间": local_display(s.get("received")), "received": s.get("received"),
            "文件": s.get("file_name"), "填报部门": s.get("department"),
        }


@dataclass
class StatusReport:
    lines: list[StatusLine] = field(default_factory=list)
    unexpected: list[dict] = field(default_factory=list)  # submissions that matched nobody on the list

    def count(self, state: str) -> int:
        return sum(1 for line in self.lines if line.state == state)

    @property
    def complete(self) -> bool:
        return all(line.state == "passed" for line in self.lines)


def read_expected(path: Path) -> list[Expected]:
    if not path.is_file():
        raise UserError(f"找不到应报送单位名单：{path}")
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise UserError(f"无法识别名单的编码：{path}")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise UserError(f"名单为空：{path}")
    header = [h.strip() for h in rows[0]]
    index = {}
    for key, names in COLUMNS.items():
        for i, h in enumerate(header):
            if h in names or h.lower() in names:
                index[key] = i
                break
    if "name" not in index and "email" not in index:
        raise UserError(f"名单缺少“部门名称”或“邮箱”列（表头：{'、'.join(header)}）")
    out = []
    for row in rows[1:]:
        if not any(c.strip() for c in row):
            continue

        def cell(key: str) -> str:
            i = index.get(key)
            return row[i].strip() if i is not None and i < len(row) else ""

        emails = tuple(e.strip().lower() for e in cell("email").replace("；", ";").replace(",", ";").split(";") if e.strip())
        out.append(Expected(cell("code"), cell("name"), emails))
    return out


def compute(expected: list[Expected], ledger: Ledger) -> StatusReport:
    current = [r for r in ledger.current() if r["status"] != "duplicate"]
    all_rows = [r for r in ledger.submissions() if r["status"] != "duplicate"]
    report = StatusReport()
    used: set[int] = set()
    for exp in expected:
        key = dept_key(exp.name)
        by_name = [r for r in current if key and r["dept_key"] == key]
        by_mail = [r for r in current if exp.emails and (r["sender"] or "").lower() in exp.emails]
        matches = by_name or by_mail
        how = "部门名称" if by_name else ("发件人邮箱" if by_mail else "")
        if not matches:
            report.lines.append(StatusLine(exp, "missing"))
            continue
        # the latest submission that counts; a rejected file after a good one does not undo it
        # a sender not registered for the department (SEC040) never outranks one that is
        best = max(matches, key=lambda r: ('"SEC040"' not in (r["report_json"] or ""), r["status"] in ("passed", "failed"),
                                            r["received"] or "", r["id"]))
        attempts = sum(1 for r in all_rows if (key and r["dept_key"] == key) or (exp.emails and (r["sender"] or "").lower() in exp.emails))
        used.update(r["id"] for r in matches)
        report.lines.append(StatusLine(exp, best["status"] if best["status"] in STATE_ZH else "failed", best, how, attempts))
    report.unexpected = [r for r in current if r["id"] not in used and r["department"]]
    return report


def write_status(report: StatusReport, out_dir: Path) -> tuple[Path, Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path = out_dir / STATUS_CSV
    lines = [line.to_dict() for line in report.lines]
    header = list(lines[0].keys()) if lines else ["预算编码", "部门名称", "邮箱", "状态"]
    with open(csv_path, "w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel opens it as UTF-8
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        for line in lines:
            w.writerow({k: _csv_safe(v) for k, v in line.items()})
    json_path = out_dir / STATUS_JSON
    doc = {
        "expected": len(report.lines),
        "counts": {s: report.count(s) for s in STATE_ZH},
        "lines": lines,
        "unexpected": [{"编号": r["id"], "部门": r["department"], "发件人": r["sender"], "文件": r["file_name"]} for r in report.unexpected],
    }
    json_path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return csv_path, json_path


def _csv_safe(value):
    """CSV cells a spreadsheet would run as formulas get a leading apostrophe (OWASP ASVS 1.2.10)."""
    if isinstance(value, str):
        from ..outputs.safe_text import escape

        return escape(value)
    return value


def print_status(report: StatusReport, console=None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    table = Table("预算编码", "部门名称", "状态", "错误", "安全", "报送次数", "接收时间", title="报送情况")
    style = {"missing": "yellow", "passed": "green", "failed": "red", "rejected": "red", "unreadable": "magenta"}
    for line in report.lines:
        s = line.submission or {}
        table.add_row(line.expected.code, line.expected.name, f"[{style[line.state]}]{STATE_ZH[line.state]}[/]",
                      str(s.get("errors", "")) if s else "", str(s.get("security", "")) if s else "", str(line.attempts or ""),
                      local_display(s.get("received")))
    console.print(table)
    counts = "，".join(f"{STATE_ZH[k]} {report.count(k)}" for k in STATE_ZH)
    console.print(f"应报送 {len(report.lines)} 个单位：{counts}")
    if report.unexpected:
        names = "、".join(sorted({r["department"] for r in report.unexpected}))
        console.print(f"[yellow]名单外的报送 {len(report.unexpected)} 份：{names}[/]")


__all__ = ["Expected", "StatusReport", "compute", "print_status", "read_expected", "write_status"]
