"""The intake ledger: one SQLite file under --out recording every message and submission.

Idempotent: a message is keyed by the SHA-256 of its bytes (for a loose file, its
content hash and path), never by its Message-ID alone; processing the same mail again
adds nothing. Each workbook found becomes a submission with the department and
year read from its cover, counts by severity, and its relation to earlier ones:

* ``duplicate_of`` – the same bytes (SHA-256) were already submitted;
* ``supersedes`` / ``superseded_by`` – a later submission of the same department
  and year replaces an earlier one (later by received time — when it reached us, not the
  sender's Date — then by arrival); a sender not registered for the department (SEC040)
  never replaces anything.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

LEDGER_NAME = "ledger.sqlite3"
BUSY_TIMEOUT_S = 60.0
SCHEMA_VERSION = "1"

STATUS_ZH = {
    "passed": "合格",
    "failed": "不合格",
    "rejected": "已拒收",
    "unreadable": "无法校验",
    "duplicate": "重复提交",
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS messages (
    key TEXT PRIMARY KEY,
    kind TEXT, source TEXT, sender TEXT, sender_name TEXT, subject TEXT, message_id TEXT,
    received TEXT, processed_at TEXT, outcome TEXT, items INTEGER, notes TEXT, error TEXT
);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_key TEXT NOT NULL REFERENCES messages(key),
    item_index INTEGER NOT NULL,
    origin TEXT, file_name TEXT, stored_path TEXT, folder TEXT, sha256 TEXT, size INTEGER,
    department TEXT, dept_key TEXT, year TEXT, template_id TEXT, template_version TEXT, profile TEXT,
    sender TEXT, message_id TEXT, received TEXT, processed_at TEXT,
    status TEXT NOT NULL, checked INTEGER, passed INTEGER,
    errors INTEGER, warnings INTEGER, infos INTEGER, security INTEGER,
    score TEXT, grade TEXT,
    duplicate_of INTEGER, supersedes INTEGER, superseded_by INTEGER,
    annotated_path TEXT, receipt_txt TEXT, receipt_html TEXT, reply_eml TEXT,
    report_json TEXT,
    UNIQUE (message_key, item_index)
);
CREATE INDEX IF NOT EXISTS submissions_sha ON submissions(sha256);
CREATE INDEX IF NOT EXISTS submissions_dept ON submissions(dept_key, year);
"""


def dept_key(name: str | None) -> str | None:
    """Department names compare without width, spacing or punctuation differences."""
    if not name:
        return None
    text = unicodedata.normalize("NFKC", str(name))
    text = re.sub(r"[\s·•,，.。、()（）\[\]【】\"'“”‘’]", "", text)
    return text.lower() or None


def year_text(raw: object) -> str | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    text = str(raw).strip()
    m = re.fullmatch(r"(\d{4})(?:\.0+)?\s*年?", text)
    return m.group(1) if m else text


def now_iso() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass
class MessageRow:
    key: str
    kind: str
    source: str
    sender: str = ""
    sender_name: str = ""
    subject: str = ""
    message_id: str = ""
    received: str = ""
    outcome: str = "processed"  # processed | rejected | failed
    notes: list[dict] = field(default_factory=list)
    error: str | None = None


@dataclass
class SubmissionRow:
    item_index: int
    origin: str
    file_name: str
    stored_path: str | None
    folder: str
    sha256: str
    size: int
    department: str | None
    year: str | None
    template_id: str | None
    template_version: str | None
    profile: str | None
    status: str  # passed | failed | rejected | unreadable  (duplicate is decided here)
    checked: bool
    passed: bool
    counts: dict
    security: int
    score: str | None
    grade: str | None
    annotated_path: str | None
    report: dict
    trusted: bool = True  # False: a sender not registered for the department (SEC040) cannot supersede
    # filled in by the ledger
    id: int | None = None
    duplicate_of: int | None = None
    supersedes: int | None = None
    superseded_by: int | None = None

    @property
    def security_error(self) -> bool:
        return any(f["rule_id"].startswith("SEC") and f["rule_id"] != "SEC090" and f["severity"] == "error"
                   for f in self.report.get("findings", []))


class Ledger:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # a second intake on the same --out waits for the first one's transaction (busy timeout) instead of failing
        self.db = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S)
        self.db.row_factory = sqlite3.Row
        self.db.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        # WAL + NORMAL: a commit per message without an fsync each; durable across crashes of this process.
        # Switching needs a moment alone with the file: only done when not yet WAL, retried while another run holds it.
        for attempt in range(50):
            try:
                if self.db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    self.db.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError:
                if attempt == 49:
                    raise
                time.sleep(0.1)
        self.db.execute("PRAGMA synchronous=NORMAL")
        with self.db:
            self.db.executescript(_SCHEMA)
            self.db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,))

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- reading -----------------------------------------------------------------------------

    def message(self, key: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM messages WHERE key = ?", (key,)).fetchone()

    def has_message(self, key: str) -> bool:
        return self.message(key) is not None

    def submissions(self, where: str = "", params: tuple = ()) -> list[dict]:
        sql = "SELECT * FROM submissions" + (f" WHERE {where}" if where else "") + " ORDER BY id"
        return [dict(r) for r in self.db.execute(sql, params)]

    def submission(self, id_: int) -> dict | None:
        r = self.db.execute("SELECT * FROM submissions WHERE id = ?", (id_,)).fetchone()
        return dict(r) if r else None

    def messages(self) -> list[dict]:
        return [dict(r) for r in self.db.execute("SELECT * FROM messages ORDER BY rowid")]

    def current(self) -> list[dict]:
        """The submission that counts for each department and year (latest, not a duplicate),
        and every submission whose department is unknown (rejected, unreadable, no workbook)."""
        return self.submissions("status != 'duplicate' AND superseded_by IS NULL")

    # --- writing -----------------------------------------------------------------------------

    def record(self, msg: MessageRow, items: list[SubmissionRow], after=None) -> list[SubmissionRow]:
        """Record one message and its submissions in one transaction; fills ids and relations.

        ``after(rows)`` runs inside the transaction (receipts are written there, so a crash
        never leaves a recorded submission without its receipt paths); returns [] when the
        message was already recorded.
        """
        processed_at = now_iso()
        with self.db:
            cur = self.db.execute(
                "INSERT OR IGNORE INTO messages(key, kind, source, sender, sender_name, subject, message_id, received,"
                " processed_at, outcome, items, notes, error) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (msg.key, msg.kind, msg.source, msg.sender, msg.sender_name, msg.subject, msg.message_id, msg.received,
                 processed_at, msg.outcome, len(items), json.dumps(msg.notes, ensure_ascii=False), msg.error),
            )
            if cur.rowcount == 0:
                return []  # already recorded: idempotent
            for it in items:
                self._insert(msg, it, processed_at)
            if after is not None:
                after(items)
        return items

    def _insert(self, msg: MessageRow, it: SubmissionRow, processed_at: str) -> None:
        status = it.status
        if it.sha256 and it.stored_path:
            dup = self.db.execute(
                "SELECT id FROM submissions WHERE sha256 = ? AND status != 'duplicate' ORDER BY id LIMIT 1", (it.sha256,)
            ).fetchone()
            if dup:
                status = "duplicate"
                it.duplicate_of = dup["id"]
        it.status = status
        key = dept_key(it.department)
        cur = self.db.execute(
            "INSERT INTO submissions(message_key, item_index, origin, file_name, stored_path, folder, sha256, size,"
            " department, dept_key, year, template_id, template_version, profile, sender, message_id, received, processed_at,"
            " status, checked, passed, errors, warnings, infos, security, score, grade, duplicate_of, annotated_path, report_json)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (msg.key, it.item_index, it.origin, it.file_name, it.stored_path, it.folder, it.sha256, it.size,
             it.department, key, it.year, it.template_id, it.template_version, it.profile, msg.sender, msg.message_id,
             msg.received, processed_at, status, int(it.checked), int(it.passed), it.counts.get("error", 0),
             it.counts.get("warning", 0), it.counts.get("info", 0), it.security, it.score, it.grade, it.duplicate_of,
             it.annotated_path, json.dumps(it.report, ensure_ascii=False)),
        )
        it.id = cur.lastrowid
        if status == "duplicate" or not key or not it.year or status not in ("passed", "failed") or not it.trusted:
            return
        prev = self.db.execute(
            "SELECT id, received FROM submissions WHERE dept_key = ? AND year = ? AND id != ? AND superseded_by IS NULL"
            " AND status IN ('passed', 'failed') AND report_json NOT LIKE '%\"SEC040\"%' ORDER BY id DESC LIMIT 1",
            (key, it.year, it.id),
        ).fetchone()
        if prev is None:
            return
        if (msg.received or "") and (prev["received"] or "") and _ts(msg.received) < _ts(prev["received"]):
            # an older mail processed late: the one already recorded stays current
            it.superseded_by = prev["id"]
            self.db.execute("UPDATE submissions SET superseded_by = ? WHERE id = ?", (prev["id"], it.id))
        else:
            it.supersedes = prev["id"]
            self.db.execute("UPDATE submissions SET superseded_by = ? WHERE id = ?", (it.id, prev["id"]))
            self.db.execute("UPDATE submissions SET supersedes = ? WHERE id = ?", (prev["id"], it.id))

    def set_outputs(self, id_: int, **paths: str | None) -> None:
        """Output paths of one submission (call inside ``record``'s ``after``, or commit yourself)."""
        allowed = {"receipt_txt", "receipt_html", "reply_eml", "annotated_path"}
        cols = {k: v for k, v in paths.items() if k in allowed}
        if not cols:
            return
        self.db.execute("UPDATE submissions SET " + ", ".join(f"{k} = ?" for k in cols) + " WHERE id = ?", (*cols.values(), id_))


def _ts(text: str) -> float:
    try:
        d = dt.datetime.fromisoformat(text)
        if d.tzinfo is None:
            d = d.astimezone()
        return d.timestamp()
    except ValueError:
        return 0.0


__all__ = ["LEDGER_NAME", "Ledger", "MessageRow", "STATUS_ZH", "SubmissionRow", "dept_key", "year_text"]
