"""The intake batch: envelopes → submissions → ledger, receipts, replies, summary.

* Work per envelope (MIME walking, pre-flight, reading, checking, scoring, the
  annotated copy) runs in ``-j N`` worker processes; results are consumed in
  input order, so ledger ids, duplicates and supersessions are deterministic.
* One failure never stops the batch: an exception inside a worker, or a worker
  that dies, becomes a recorded failure of that envelope only.
* Originals are never modified: source files are only read; each workbook is
  stored once under DIR (sanitised name) and every later step reads that copy.
* A file with a SEC error is not parsed further and is stored under DIR/rejected/.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..check.findings import Finding, Report
from ..rules.base import Severity
from .attachments import Item, Mail, archive_items, display_name, msg_items, read_mail_stream, sanitise
from ..outputs.timefmt import local_iso
from .ledger import LEDGER_NAME, Ledger, MessageRow, SubmissionRow, now_iso, year_text
from ..preflight import Limits, preflight, sec
from ..preflight.guard import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, OUTPUT_ERRNOS, Fault, guarded_map, run_guarded
from .sources import Envelope

SUBMISSIONS_DIR = "submissions"
REJECTED_DIR = "rejected"


@dataclass(frozen=True)
class Config:
    out: str
    limits: Limits = field(default_factory=Limits)
    annotate: bool = True
    worker_memory_mb: int = DEFAULT_MEMORY_MB
    timeout_s: float = DEFAULT_TIMEOUT_S  # per envelope (and per workbook when a faulty envelope is redone)
    isolate: bool = False  # each workbook read in its own bounded worker (the redo of an envelope that faulted)


@dataclass
class ItemResult:
    index: int
    row: SubmissionRow
    annotate_error: str | None = None


@dataclass
class EnvelopeResult:
    env_key: str
    kind: str
    source: str
    imap_uid: str | None
    message: MessageRow
    items: list[ItemResult] = field(default_factory=list)
    duration_ms: float = 0.0

    @property
    def rejected(self) -> bool:
        """For IMAP: no usable workbook, or a security finding."""
        rows = [i.row for i in self.items]
        return not any(r.stored_path and r.status != "rejected" for r in rows) or any(r.security_error for r in rows)

    @property
    def needs_attention(self) -> bool:
        return self.message.error is not None or any(not i.row.passed for i in self.items)


# --- the worker -------------------------------------------------------------------------------


def submission_key(env_key: str, received: str, index: int) -> str:
    """The folder name of one submission: stable across runs and independent of batch order."""
    digits = re.sub(r"\D", "", received or "")[:14]
    stamp = f"{digits[:8]}-{digits[8:14]}" if len(digits) >= 14 else "00000000-000000"
    return f"{stamp}-{hashlib.sha256(env_key.encode('utf-8', 'surrogateescape')).hexdigest()[:10]}-{index:02d}"


def process_envelope(env: Envelope, cfg: Config) -> EnvelopeResult:
    """Everything for one envelope that needs no shared state. Never raises."""
    import time

    t0 = time.perf_counter()
    msg = MessageRow(key=env.key, kind=env.kind, source=env.source, received=env.received)
    result = EnvelopeResult(env.key, env.kind, env.source, env.imap_uid, msg)
    try:
        mail = _open(env, cfg.limits)
        msg.sender, msg.sender_name, msg.subject, msg.message_id = mail.sender, mail.sender_name, mail.subject, mail.message_id
        # the time it reached us (IMAP INTERNALDATE, the mbox From_ line, Maildir delivery, file time), never the
        # sender's Date header: a message dated 2099 must not become a department's latest submission
        msg.received = msg.received or now_iso()
        msg.notes = [f.to_dict() for f in mail.notes]
        for index, item in enumerate(mail.items):
            try:
                result.items.append(_process_item(env, item, index, msg, cfg))
            except OSError as exc:
                if exc.errno in OUTPUT_ERRNOS:
                    raise  # our output cannot be written: record nothing, so a rerun completes it
                result.items.append(_failed_item(env, item, index, msg, exc))
            except Exception as exc:  # one item never takes the others down
                result.items.append(_failed_item(env, item, index, msg, exc))
        if not result.items:
            msg.error = "没有可处理的内容"
    except OSError as exc:
        if exc.errno in OUTPUT_ERRNOS:
            raise
        msg.error = f"{type(exc).__name__}: {exc}"[:500]
        msg.received = msg.received or now_iso()
    except Exception as exc:  # pragma: no cover - defensive: the envelope is recorded as failed
        msg.error = f"{type(exc).__name__}: {exc}"[:500]
        msg.received = msg.received or now_iso()
    msg.outcome = "failed" if msg.error else ("rejected" if result.rejected else "processed")
    result.duration_ms = (time.perf_counter() - t0) * 1000
    return result


def _open(env: Envelope, limits: Limits) -> Mail:
    if env.kind == "mail":  # streamed under the message size limit; an .eml file is what is kept of a refused one
        original = env.path if env.raw is None and env.span is None else None
        return read_mail_stream(env.chunks(), limits, size=env.size or None, original=original)
    path = Path(env.path)
    name = path.name
    if env.refused:  # nothing of it is read or copied: the ledger and the receipt say why
        mail = Mail()
        mail.items.append(Item(name, str(path), findings=[sec("SEC037", detail=env.refused)]))
        return mail
    size = path.stat().st_size
    suffix = path.suffix.lower()
    if size > limits.max_file_bytes:
        mail = Mail(size=size)
        mail.items.append(Item(name, str(path), copy_from=str(path), findings=[
            sec("SEC001", size_mb=f"{size / 2**20:.1f}", limit_mb=f"{limits.max_file_bytes / 2**20:.1f}")]))
        return mail
    data = _read_regular(path)
    if suffix == ".msg":
        return msg_items(name, data, limits)
    if suffix == ".zip":  # an archive of workbooks, unless it is a workbook package with the wrong suffix
        try:
            import io
            import zipfile

            is_workbook = "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
        except Exception:
            is_workbook = False
        if not is_workbook:
            return archive_items(name, data, limits)
    mail = Mail(size=size)
    mail.items.append(Item(name, str(path), data=data))
    return mail


def _read_regular(path: Path) -> bytes:
    """The bytes of a regular file, without following a symlink or blocking on a FIFO swapped in meanwhile."""
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"不是普通文件：{path}")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read()
    finally:
        os.close(fd)


def _folder(cfg: Config, env: Envelope, received: str, index: int, rejected: bool) -> Path:
    base = Path(cfg.out) / (REJECTED_DIR if rejected else SUBMISSIONS_DIR)
    # dated by the day the bureau received it, in 北京时间 (not by an IMAP server's UTC)
    return base / submission_key(env.key, local_iso(received) or received, index)


def _store(folder: Path, name: str, data: bytes | None, copy_from: str | None = None,
           chunks: Iterable[bytes] | None = None) -> Path:
    """``data``, the file ``copy_from`` or the streamed ``chunks`` (a message of an mbox or IMAP) under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / sanitise(name, default="工作簿")
    if target.name in ("回执.txt", "回执.html", "回复草稿.eml") or target.name.endswith("_批注.xlsx"):
        target = folder / ("原件_" + target.name)
    target = _free_name(target, data, copy_from if chunks is None else "（邮件）")
    # a temp name of our own (pid + random): two intakes on one --out never share a .part file
    tmp = target.with_name(f".{target.name[:60]}.{os.getpid()}.{secrets.token_hex(4)}.part")
    try:
        if copy_from is not None:
            _copy_regular(copy_from, tmp)
        elif chunks is not None:
            with open(tmp, "wb") as fh:
                for chunk in chunks:
                    fh.write(chunk)
        else:
            tmp.write_bytes(data or b"")
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return target


def _free_name(target: Path, data: bytes | None, copy_from: str | None) -> Path:
    """``target``, unless a different file already has that name: then ``name (2).xlsx`` and so on.
    A stored file is never overwritten by another one (its ledger hash would no longer match)."""
    if not target.exists():
        return target
    want = hashlib.sha256(data or b"").hexdigest() if copy_from is None else None
    for n in range(2, 1000):
        from ..readers.workbook import sha256_of

        if want is not None and sha256_of(target)[0] == want:
            return target  # the same bytes again (a rerun after a crash): replacing it changes nothing
        target = target.with_name(f"{Path(target.name).stem.split(' (')[0]} ({n}){target.suffix}")
        if not target.exists():
            return target
    raise OSError("同名文件过多")


def _copy_regular(source: str, tmp: Path) -> None:
    """Copy a regular file only: a symlink, FIFO or device given as a submission is refused, never followed."""
    import stat

    fd = os.open(source, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"不是普通文件：{source}")
        with os.fdopen(fd, "rb", closefd=False) as src, open(tmp, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    finally:
        os.close(fd)


def _rel(cfg: Config, path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return str(Path(path).relative_to(cfg.out))
    except ValueError:
        return str(path)


def _process_item(env: Envelope, item: Item, index: int, msg: MessageRow, cfg: Config) -> ItemResult:
    from ..readers.workbook import sha256_of

    findings: list[Finding] = list(item.findings)
    stored: Path | None = None
    sha, size = "", 0
    oversize = item.copy_from
    if item.data is not None:
        sha, size = hashlib.sha256(item.data).hexdigest(), len(item.data)
        pf = preflight(item.data, item.name, cfg.limits)
        findings.extend(pf.findings)
    elif oversize:
        sha, size = sha256_of(Path(oversize))
    blocked = any(f.severity is Severity.ERROR for f in findings) or item.data is None
    folder = _folder(cfg, env, msg.received, index, rejected=blocked)
    if item.data is not None or oversize:
        stored = _store(folder, item.stored_name or item.name, item.data, copy_from=oversize)
    elif item.keep_message and env.kind == "mail" and env.whole:  # of an mbox or IMAP: streamed to disk, never decoded
        stored = _store(folder, item.stored_name or item.name, None, chunks=env.chunks())
        sha, size = sha256_of(stored)
    else:
        folder.mkdir(parents=True, exist_ok=True)
    if blocked:
        report = Report(file=item.name, sha256=sha, size=size, findings=findings, checked=False, checked_at=now_iso())
        row = _row(cfg, item, index, folder, stored, report, None, "rejected")
        return ItemResult(index, row)
    job = (str(stored), item.name, cfg.annotate)
    if cfg.isolate:
        got = run_guarded(_examine, job, timeout=cfg.timeout_s, memory_mb=cfg.worker_memory_mb)
        if isinstance(got, Fault):
            report = Report(file=item.name, sha256=sha, size=size, checked=False, checked_at=now_iso(), findings=findings + [sec("SEC090", detail=got.message())])
            got = (None, report, (None, None), None, None)
    else:
        got = _examine(job)
    data, report, (score, grade), annotated, annotate_error = got
    report.findings[0:0] = [f for f in findings if f not in report.findings]  # non-blocking SEC warnings first
    status = "unreadable" if not report.checked else ("passed" if report.passed else "failed")
    row = _row(cfg, item, index, folder, stored, report, data, status)
    row.score, row.grade = score, grade
    row.annotated_path = _rel(cfg, annotated) if annotated else None
    return ItemResult(index, row, annotate_error)


def _examine(job: tuple[str, str, bool]):
    """Read, check, score and annotate one stored workbook: (data, report, (score, grade), annotated path, annotate error)."""
    path, name, want_annotated = job
    stored = Path(path)
    data, report = _check(stored)
    report.file = name
    score, grade = _score(data) if data is not None and report.checked else (None, None)
    annotated = annotate_error = None
    if want_annotated and report.checked and data is not None and data.readable:
        try:
            from ..outputs.annotate import annotate

            out = stored.parent / (stored.stem + "_批注.xlsx")
            annotate(stored, report, out)
            annotated = str(out)
        except Exception as exc:  # openpyxl could not write it: the receipt still goes out
            annotate_error = f"{type(exc).__name__}: {exc}"[:300]
    return data, report, (score, grade), annotated, annotate_error


def _failed_item(env: Envelope, item: Item, index: int, msg: MessageRow, exc: Exception) -> ItemResult:
    folder = Path("failed")
    detail = f"{type(exc).__name__}: {exc}"[:200]
    report = Report(file=item.name, findings=[sec("SEC090", detail=f"处理时出现异常（{detail}）")], checked=False, checked_at=now_iso())
    row = SubmissionRow(index, item.origin, item.name, None, str(folder), "", 0, None, None, None, None, None, "rejected",
                        False, False, report.counts(), 1, None, None, None, report.to_dict())
    if os.environ.get("PERFEVAL_DEBUG"):
        sys.stderr.write(traceback.format_exc())
    return ItemResult(index, row)


def _row(cfg: Config, item: Item, index: int, folder: Path, stored: Path | None, report: Report, data, status: str) -> SubmissionRow:
    counts = report.counts()
    security = sum(1 for f in report.findings if f.rule_id.startswith("SEC") and f.rule_id != "SEC090")
    dept = year = None
    if data is not None and data.readable:
        raw_dept = data.raw.get("dept.name")
        dept = str(raw_dept).strip() if raw_dept not in (None, "") else None
        year = year_text(data.raw.get("report.year"))
    return SubmissionRow(
        item_index=index, origin=item.origin, file_name=display_name(item.name), stored_path=_rel(cfg, stored), folder=_rel(cfg, folder) or "",
        sha256=report.sha256, size=report.size, department=dept, year=year,
        template_id=getattr(data, "template_id", None) if data is not None else report.template_id,
        template_version=getattr(data, "template_version", None) if data is not None else report.template_version,
        profile=getattr(data, "profile", None) if data is not None else None,
        status=status, checked=report.checked, passed=report.passed, counts=counts, security=security,
        score=None, grade=None, annotated_path=None, report=report.to_dict(),
    )


def _check(path: Path):
    """read_workbook + the checker's ``check_workbook`` (which never raises; guarded anyway)."""
    from ..check import check_workbook
    from ..readers.workbook import read_workbook

    data = None
    try:
        data = read_workbook(path)
        return data, check_workbook(data)
    except Exception as exc:
        sha, size = (data.sha256, data.size) if data is not None else ("", 0)
        report = Report(file=str(path), sha256=sha, size=size, checked=False, checked_at=now_iso(),
                        findings=[sec("SEC090", detail=f"读取或校验时出现异常（{type(exc).__name__}: {exc}"[:200] + "）")])
        return data, report


def _score(data) -> tuple[str | None, str | None]:
    """Score and grade for the ledger; before every row is scored, (None, "已评 X / 100 分，尚有 N 项待评")."""
    from decimal import Decimal

    from ..readers.evaluator import scorecard_of

    try:
        card = scorecard_of(data)
    except Exception:  # a workbook too broken to score still gets its ledger row
        return None, None
    if card is None:
        return None, None
    if card.total is None:  # no grade on part of the table: the grade column says what is still open
        return None, card.explanation if card.explanation.startswith("已评") else None
    return f"{card.total.quantize(Decimal('0.01'))}", card.grade


# --- the driver -------------------------------------------------------------------------------


class _Process:
    """``process_envelope`` with its settings bound: what a guarded worker calls per envelope."""

    def __init__(self, cfg: Config):
        self.cfg = cfg

    def __call__(self, env: Envelope) -> EnvelopeResult:
        return process_envelope(env, self.cfg)


def run_envelopes(envelopes: Iterable[Envelope], cfg: Config, jobs: int, *, skip: Callable[[Envelope], bool],
                  on_skip: Callable[[Envelope], None] = lambda e: None) -> Iterator[EnvelopeResult]:
    """Results in input order; ``skip`` is asked in order before any work (idempotency).

    Every envelope is processed in a guarded worker (time and memory limits). One that overruns
    or kills its worker is done again with each workbook in a worker of its own, so only the
    offending file gets SEC090; if even that fails, its bytes are stored unparsed with SEC090.
    """
    todo = (e for e in envelopes if not (skip(e) and (on_skip(e) or True)))
    warm()  # forked workers inherit the template layout and expected formulas instead of each building them
    for env, result in guarded_map(_Process(cfg), todo, jobs=jobs, timeout=cfg.timeout_s, memory_mb=cfg.worker_memory_mb):
        if isinstance(result, Fault) and result.kind == "output":
            raise OSError(result.errno, result.detail)
        if isinstance(result, Fault):
            result = _redo(env, cfg, result)
        yield result


def _redo(env: Envelope, cfg: Config, fault: Fault) -> EnvelopeResult:
    from dataclasses import replace

    isolated = replace(cfg, isolate=True, timeout_s=cfg.timeout_s * 4)  # the envelope's own work, then each file's
    again = run_guarded(_Process(isolated), env, timeout=isolated.timeout_s, memory_mb=cfg.worker_memory_mb)
    if isinstance(again, Fault) and again.kind == "output":
        raise OSError(again.errno, again.detail)
    if not isinstance(again, Fault):
        return again
    return _store_unparsed(env, cfg, fault)


def _store_unparsed(env: Envelope, cfg: Config, fault: Fault) -> EnvelopeResult:
    """The last resort: keep the envelope's bytes, unparsed, under rejected/ with SEC090 (never lose a submission)."""
    msg = MessageRow(key=env.key, kind=env.kind, source=env.source, received=env.received or now_iso(), outcome="rejected")
    result = EnvelopeResult(env.key, env.kind, env.source, env.imap_uid, msg)
    name = Path(env.path).name if env.path else "邮件原文.eml"
    item = Item(name, env.source, findings=[sec("SEC090", detail=fault.message())])
    folder = _folder(cfg, env, msg.received, 0, rejected=True)
    raw = env.raw if env.raw is not None or env.span is None else env.message_bytes()  # one message of an mbox
    stored = _store(folder, name, raw, copy_from=None if raw is not None else env.path)
    from ..readers.workbook import sha256_of

    sha, size = sha256_of(stored)
    report = Report(file=name, sha256=sha, size=size, findings=list(item.findings), checked=False, checked_at=now_iso())
    result.items.append(ItemResult(0, _row(cfg, item, 0, folder, stored, report, None, "rejected")))
    return result


def warm() -> None:
    """Build the process-wide caches (layout, the checker's expected formulas) once, before forking."""
    try:
        from ..template.layout import layout

        layout()
        from ..check import engine

        if hasattr(engine, "expected_formulas"):
            engine.expected_formulas()
        import python_calamine  # noqa: F401
        from ..outputs import annotate  # noqa: F401
        from . import receipt  # noqa: F401
    except Exception:  # pragma: no cover - warming is an optimisation only
        pass
    import gc

    gc.collect()
    gc.freeze()  # keep the inherited objects out of the workers' collections: fewer copy-on-write page faults


# --- the whole run (main process) -------------------------------------------------------------


@dataclass
class RunOutcome:
    processed: int = 0  # envelopes processed in this run
    skipped: int = 0  # already in the ledger
    submissions: list[dict] = field(default_factory=list)  # ledger rows recorded in this run
    failures: list[str] = field(default_factory=list)
    send_errors: list[str] = field(default_factory=list)
    sent: int = 0
    moved: dict = field(default_factory=dict)
    summary: tuple[Path, Path] | None = None

    @property
    def needs_attention(self) -> bool:
        return bool(self.failures) or any(r["status"] not in ("passed", "duplicate") for r in self.submissions)


def vet_sender(res: EnvelopeResult, expected) -> str | None:
    """Check each workbook's department against the expected list; returns the address a reply may go to.

    A mail whose sender is not registered for the department named in its workbook gets SEC040 (an
    error: it is not 合格 and supersedes nothing) and its reply goes to the registered address only.
    Without a list, or for a department the list has no address for, the validated sender is used.
    """
    from .addresses import valid_address
    from .ledger import dept_key

    sender = res.message.sender if valid_address(res.message.sender) else ""
    if res.kind != "mail" or not expected:
        return sender or None
    registered: list[str] = []
    for item in res.items:
        row = item.row
        key = dept_key(row.department)
        entry = next((e for e in expected if key and dept_key(e.name) == key and e.emails), None)
        if entry is None:
            continue
        registered += [e for e in entry.emails if e not in registered]
        if sender and sender in entry.emails:
            continue
        finding = sec("SEC040", sender=res.message.sender or "（无有效地址）", department=row.department,
                      registered="、".join(entry.emails))
        row.report["findings"].insert(0, finding.to_dict())
        row.report["counts"]["error"] = row.report["counts"].get("error", 0) + 1
        row.report["passed"] = False
        row.counts = dict(row.report["counts"])
        row.security += 1
        row.passed = False
        row.trusted = False
        if row.status == "passed":
            row.status = "failed"
    valid = [a for a in registered if valid_address(a)]
    if registered:
        return valid[0] if valid else None
    return sender or None


def run_intake(envelopes: Iterable[Envelope], cfg: Config, *, jobs: int = 1, imap=None, sender=None,
               progress=None, total: int | None = None, expected=None) -> RunOutcome:
    """Process envelopes, record them, write receipts and replies, move IMAP mail, rebuild the summary."""
    from .receipt import write_receipts
    from .summary import write_summary

    out_dir = Path(cfg.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    outcome = RunOutcome()
    ledger = Ledger(out_dir / LEDGER_NAME)
    task = progress.add_task("收件处理", total=total) if progress is not None else None

    def skip(env: Envelope) -> bool:
        return ledger.has_message(env.key)

    def on_skip(env: Envelope) -> None:
        outcome.skipped += 1
        if imap is not None and env.imap_uid:  # a previous run recorded it but did not move it
            row = ledger.message(env.key)
            imap.move(env.imap_uid, rejected=(row["outcome"] != "processed"))
        if task is not None:
            progress.advance(task)

    try:
        for res in run_envelopes(envelopes, cfg, jobs, skip=skip, on_skip=on_skip):
            outcome.processed += 1
            if res.message.error:
                outcome.failures.append(f"{res.source}：{res.message.error}")
            reply_to = vet_sender(res, expected)
            mail = {"sender": res.message.sender, "sender_name": res.message.sender_name, "subject": res.message.subject,
                    "message_id": res.message.message_id, "notes": res.message.notes, "reply_to": reply_to}
            sends: list[tuple[int, Path]] = []

            def receipts(rows, res=res, mail=mail, sends=sends):
                for item, row in zip(res.items, rows):
                    rec = ledger.submission(row.id)
                    item_mail = mail
                    if item.annotate_error:
                        note = {"message": f"标注副本未能生成（{item.annotate_error}），请以本回执所列问题为准。"}
                        item_mail = dict(mail, notes=list(mail["notes"]) + [note])
                    annotated = out_dir / row.annotated_path if row.annotated_path else None
                    try:
                        paths = write_receipts(out_dir / row.folder, rec, row.report, item_mail, annotated)
                        ledger.set_outputs(row.id, **{k: str(v.relative_to(out_dir)) for k, v in paths.items()})
                        sends.append((row.id, paths["reply_eml"]))
                    except Exception as exc:  # a receipt that cannot be written is reported, the batch goes on
                        outcome.failures.append(f"第 {row.id} 号回执：{type(exc).__name__}: {exc}")

            rows = ledger.record(res.message, [i.row for i in res.items], after=receipts)
            for row in rows:
                outcome.submissions.append(ledger.submission(row.id))
            if sender is not None and res.kind == "mail" and reply_to:
                for id_, eml in sends:
                    err = sender.send(eml)
                    if err:
                        outcome.send_errors.append(f"第 {id_} 号：{err}")
                    else:
                        outcome.sent += 1
            if imap is not None and res.imap_uid:
                try:
                    imap.move(res.imap_uid, rejected=res.message.outcome != "processed")
                except Exception as exc:
                    outcome.failures.append(f"IMAP 移动邮件 {res.imap_uid} 失败：{exc}")
            if task is not None:
                progress.advance(task)
        outcome.summary = write_summary(ledger, out_dir)
        if imap is not None:
            outcome.moved = dict(imap.moved)
    finally:
        ledger.close()
    return outcome


__all__ = ["Config", "EnvelopeResult", "ItemResult", "LEDGER_NAME", "Ledger", "RunOutcome", "process_envelope", "run_intake", "run_envelopes", "submission_key"]
