"""回执: a per-submission receipt in Chinese (text and HTML) and a reply draft (.eml).

Like Sandre's conformity certificate (anchors.md §5): file name, SHA-256 and
size, template version, counts by severity, the first findings, and the verdict
合格 / 不合格. The reply is built with the stdlib ``email`` package, addressed to
the sender, with the annotated copy attached; it is only sent with ``--send``
(SMTP server from the environment, never from the command line).
"""

from __future__ import annotations

import html
import mimetypes
import os
import smtplib
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from pathlib import Path

from .. import __version__
from ..errors import UserError
from ..outputs.timefmt import local_display, to_local, zone_label
from .ledger import STATUS_ZH

TOP_FINDINGS = 10
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def current_template_version() -> str:
    try:
        from ..schema import TEMPLATE_VERSION

        return str(TEMPLATE_VERSION)
    except Exception:  # pragma: no cover
        return ""


def verdict(row: dict) -> str:
    """合格 / 不合格 / 已拒收 / 无法校验 / 重复提交 for one ledger row."""
    return STATUS_ZH.get(row["status"], row["status"])


def _when(value) -> str:
    """A ledger timestamp as the department reads it: 2024-03-29 07:30（北京时间）."""
    shown = local_display(value)
    return f"{shown}（{zone_label()}）" if shown and to_local(value) is not None else shown


def _where(f: dict) -> str:
    cells = f.get("cells") or []
    if cells and cells[0].get("sheet"):
        c = cells[0]
        return f"{c['sheet']}!{c['address']}" if c.get("address") else c["sheet"]
    return ""


def _sorted_findings(report: dict) -> list[dict]:
    rank = {"error": 0, "warning": 1, "info": 2}
    return sorted(report.get("findings") or [], key=lambda f: (rank.get(f["severity"], 3), f["rule_id"].startswith("SEC") is False))


def _notes(row: dict, mail: dict | None, ledger_rows: dict[int, dict] | None = None) -> list[str]:
    out = []
    if row["status"] == "duplicate" and row.get("duplicate_of"):
        out.append(f"本文件与第 {row['duplicate_of']} 号报送内容完全相同（SHA-256 一致），按重复提交处理，不重复计入。")
    if row.get("supersedes"):
        out.append(f"本次报送替代同一部门、同一年度此前的第 {row['supersedes']} 号报送。")
    if row.get("superseded_by"):
        out.append(f"同一部门、同一年度已有更晚的第 {row['superseded_by']} 号报送，本次报送不作为最终结果。")
    current = current_template_version()
    tv = row.get("template_version")
    if tv and current and tv != current:
        out.append(f"所用模板版本为 {tv}，当前下发版本为 {current}，请使用新版模板。")
    if row["status"] == "rejected":
        if row.get("stored_path"):
            out.append("文件未通过安全预检，已隔离，未打开其内容；请按提示处理后重新报送。")
        else:
            out.append("未收到可校验的工作簿，请按提示处理后重新报送。")
    for n in (mail or {}).get("notes") or []:
        if n.get("message"):
            out.append(n["message"])
    return out


def receipt_text(row: dict, report: dict, mail: dict | None = None) -> str:
    counts = report.get("counts") or {}
    lines = [
        "部门整体支出绩效评价 · 报送回执",
        "=" * 32,
        f"回执编号：第 {row['id']} 号",
        f"文件名称：{row['file_name']}",
    ]
    if mail and (mail.get("sender") or mail.get("subject")):
        lines.append(f"来件：{mail.get('sender_name') or ''} <{mail.get('sender') or ''}>  主题：{mail.get('subject') or ''}")
    lines += [
        f"接收时间：{_when(row.get('received'))}",
        f"处理时间：{_when(row.get('processed_at'))}",
        f"SHA-256：{row.get('sha256') or '（无）'}",
        f"文件大小：{row.get('size') or 0} 字节",
        f"部门（单位）：{row.get('department') or '（未能读取）'}",
        f"评价年度：{row.get('year') or '（未能读取）'}",
        f"模板版本：{row.get('template_version') or '（未识别）'}（当前下发版本 {current_template_version()}）",
        f"校验结论：{verdict(row)}",
        f"问题统计：错误 {counts.get('error', 0)} 项，警告 {counts.get('warning', 0)} 项，提示 {counts.get('info', 0)} 项"
        f"（其中安全检查 {row.get('security') or 0} 项）",
    ]
    if row.get("score"):
        lines.append(f"评分：{row['score']} 分，评价等级：{row.get('grade') or '—'}")
    findings = _sorted_findings(report)
    if findings:
        lines.append("")
        lines.append(f"主要问题（共 {len(findings)} 项，列出前 {min(TOP_FINDINGS, len(findings))} 项）：")
        for i, f in enumerate(findings[:TOP_FINDINGS], 1):
            where = _where(f)
            lines.append(f"{i:>2}. 【{SEVERITY_ZH.get(f['severity'], f['severity'])} {f['rule_id']}】{where + ' ' if where else ''}{f['message']}")
    notes = _notes(row, mail)
    if notes:
        lines.append("")
        lines.append("说明：")
        lines += [f"  · {n}" for n in notes]
    tail = "；附件中的标注副本标出了每个问题所在的单元格" if row.get("annotated_path") else ""
    lines += ["", f"（本回执由 perfeval-xl {__version__} 自动生成{tail}。）"]
    return "\n".join(lines) + "\n"


def receipt_html(row: dict, report: dict, mail: dict | None = None) -> str:
    e = html.escape
    counts = report.get("counts") or {}
    status = verdict(row)
    colour = {"合格": "#006100", "不合格": "#9C0006", "已拒收": "#9C0006"}.get(status, "#9C5700")
    facts = [
        ("回执编号", f"第 {row['id']} 号"),
        ("文件名称", row["file_name"]),
        ("发件人", f"{(mail or {}).get('sender_name') or ''} <{(mail or {}).get('sender') or ''}>" if mail and mail.get("sender") else ""),
        ("邮件主题", (mail or {}).get("subject") or ""),
        ("接收时间", _when(row.get("received"))),
        ("SHA-256", row.get("sha256") or "（无）"),
        ("文件大小", f"{row.get('size') or 0} 字节"),
        ("部门（单位）", row.get("department") or "（未能读取）"),
        ("评价年度", row.get("year") or "（未能读取）"),
        ("模板版本", f"{row.get('template_version') or '（未识别）'}（当前 {current_template_version()}）"),
        ("问题统计", f"错误 {counts.get('error', 0)} 项，警告 {counts.get('warning', 0)} 项，提示 {counts.get('info', 0)} 项"),
    ]
    if row.get("score"):
        facts.append(("评分", f"{row['score']} 分，等级 {row.get('grade') or '—'}"))
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>报送回执</title>",
        "<style>body{font-family:'Microsoft YaHei','PingFang SC',sans-serif;max-width:60em;margin:1em auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:4px 8px;text-align:left;vertical-align:top}"
        ".verdict{font-size:1.4em;font-weight:bold}</style></head><body>",
        "<h1>部门整体支出绩效评价 · 报送回执</h1>",
        f"<p class='verdict' style='color:{colour}'>校验结论：{e(status)}</p>",
        "<table>",
    ]
    parts += [f"<tr><th>{e(k)}</th><td>{e(str(v))}</td></tr>" for k, v in facts if v]
    parts.append("</table>")
    findings = _sorted_findings(report)
    if findings:
        parts.append(f"<h2>主要问题（共 {len(findings)} 项，列出前 {min(TOP_FINDINGS, len(findings))} 项）</h2>")
        parts.append("<table><tr><th>#</th><th>严重程度</th><th>规则</th><th>位置</th><th>说明</th></tr>")
        for i, f in enumerate(findings[:TOP_FINDINGS], 1):
            parts.append(
                f"<tr><td>{i}</td><td>{e(SEVERITY_ZH.get(f['severity'], f['severity']))}</td><td>{e(f['rule_id'])}</td>"
                f"<td>{e(_where(f))}</td><td>{e(f['message'])}</td></tr>"
            )
        parts.append("</table>")
    notes = _notes(row, mail)
    if notes:
        parts.append("<h2>说明</h2><ul>" + "".join(f"<li>{e(n)}</li>" for n in notes) + "</ul>")
    parts.append(f"<p style='color:#666'>本回执由 perfeval-xl {e(__version__)} 自动生成。</p></body></html>")
    return "\n".join(parts) + "\n"


def sender_address() -> str:
    return os.environ.get("PERFEVAL_SMTP_FROM") or formataddr(("财政局绩效评价收件", "perfeval@localhost"))


def reply_message(row: dict, report: dict, mail: dict | None, text: str, html_body: str,
                  attachments: list[Path] = ()) -> MIMEMultipart:
    """The reply draft (stdlib ``email.mime``: compat32 builds an order of magnitude faster than EmailMessage)."""
    msg = MIMEMultipart("mixed")
    from_ = sender_address()
    msg["From"] = _addr_header(from_)
    to = _reply_address(mail)
    if to:  # only a validated address, the department's registered one where the list has it
        header = _addr_header(formataddr((mail.get("sender_name") or "", to) if to == mail.get("sender") else ("", to)))
        msg["To"] = header if parseaddr(header)[1].lower() == to else to
    subject = (mail or {}).get("subject") or row["file_name"]
    msg["Subject"] = Header(f"报送回执（{verdict(row)}）：{subject}", "utf-8").encode()
    msg["Date"] = formatdate(localtime=True)
    domain = parseaddr(from_)[1].rpartition("@")[2] or "localhost"
    msg["Message-ID"] = make_msgid("perfeval", domain=domain)
    if mail and mail.get("message_id"):
        msg["In-Reply-To"] = mail["message_id"]
        msg["References"] = mail["message_id"]
    msg["X-Perfeval-Submission"] = str(row["id"])
    body = MIMEMultipart("alternative")
    body.attach(MIMEText(text, "plain", "utf-8"))
    body.attach(MIMEText(html_body, "html", "utf-8"))
    msg.attach(body)
    for path in attachments:
        path = Path(path)
        subtype = "vnd.openxmlformats-officedocument.spreadsheetml.sheet" if path.suffix.lower() == ".xlsx" else None
        if subtype is None:
            ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            maintype, subtype = ctype.split("/", 1)
            part = MIMEText(path.read_text(encoding="utf-8"), subtype, "utf-8") if maintype == "text" else MIMEApplication(path.read_bytes(), subtype)
        else:
            part = MIMEApplication(path.read_bytes(), subtype)
        part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", path.name))
        msg.attach(part)
    return msg


def _reply_address(mail: dict | None) -> str | None:
    from .addresses import valid_address

    if not mail:
        return None
    to = mail["reply_to"] if "reply_to" in mail else mail.get("sender")
    return to if valid_address(to) else None


def _addr_header(value: str) -> str:
    """An address header with a non-ASCII display name encoded (RFC 2047)."""
    name, addr = parseaddr(value)
    if name and not name.isascii():
        return formataddr((str(Header(name, "utf-8")), addr))
    return formataddr((name, addr)) if name else addr


def write_receipts(folder: Path, row: dict, report: dict, mail: dict | None, annotated: Path | None) -> dict[str, Path]:
    """回执.txt, 回执.html and 回复草稿.eml in ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    text = receipt_text(row, report, mail)
    html_body = receipt_html(row, report, mail)
    txt_path = folder / "回执.txt"
    html_path = folder / "回执.html"
    txt_path.write_text(text, encoding="utf-8")
    html_path.write_text(html_body, encoding="utf-8")
    attachments = [html_path] + ([annotated] if annotated and Path(annotated).is_file() else [])
    reply = reply_message(row, report, mail, text, html_body, attachments)
    eml_path = folder / "回复草稿.eml"
    eml_path.write_bytes(reply.as_bytes())
    return {"receipt_txt": txt_path, "receipt_html": html_path, "reply_eml": eml_path}


class SmtpSender:
    """Sends reply drafts: PERFEVAL_SMTP_HOST, _PORT, _USER, _PASSWORD, _SSL / _STARTTLS, _FROM."""

    def __init__(self, env=os.environ):
        host = env.get("PERFEVAL_SMTP_HOST")
        if not host:
            raise UserError("使用 --send 需要设置环境变量 PERFEVAL_SMTP_HOST（以及 _PORT、_USER、_PASSWORD、_FROM）")
        self.host = host
        truthy = ("1", "true", "yes", "on")
        self.ssl = (env.get("PERFEVAL_SMTP_SSL") or "").lower() in truthy
        self.starttls = (env.get("PERFEVAL_SMTP_STARTTLS") or "").lower() in truthy
        try:
            self.port = int(env.get("PERFEVAL_SMTP_PORT") or (465 if self.ssl else 25))
        except ValueError as exc:
            raise UserError("PERFEVAL_SMTP_PORT 必须是端口号") from exc
        self.user = env.get("PERFEVAL_SMTP_USER")
        self.password = env.get("PERFEVAL_SMTP_PASSWORD")
        self.conn = None
        self.sent = 0

    def _connect(self):
        cls = smtplib.SMTP_SSL if self.ssl else smtplib.SMTP
        conn = cls(self.host, self.port, timeout=60)
        if self.starttls:
            conn.starttls()
        if self.user:
            conn.login(self.user, self.password or "")
        return conn

    def send(self, eml_path: Path) -> str | None:
        """Send one draft; returns an error text instead of raising (a batch never stops for one reply)."""
        from email import message_from_bytes, policy

        msg = message_from_bytes(Path(eml_path).read_bytes(), policy=policy.default)
        if not msg["To"]:
            return "没有收件人地址"
        try:
            if self.conn is None:
                self.conn = self._connect()
            self.conn.send_message(msg)
            self.sent += 1
            return None
        except (OSError, smtplib.SMTPException) as exc:
            self.conn = None
            return f"{type(exc).__name__}: {exc}"

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except Exception:
                pass


__all__ = ["SmtpSender", "receipt_html", "receipt_text", "reply_message", "verdict", "write_receipts"]
