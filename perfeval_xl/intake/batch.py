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
import shutil
import sys
import traceback
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..check.findings import Finding, Report
from ..rules.base import Severity
from .attachments import Item, Mail, archive_items, msg_items, read_mail, sanitise
from .ledger import LEDGER_NAME, Ledger, MessageRow, SubmissionRow, now_iso, year_text
from .preflight import Limits, preflight, sec
from .sources import Envelope

SUBMISSIONS_DIR = "submissions"
REJECTED_DIR = "rejected"


@dataclass(frozen=True)
class Config:
    out: str
    limits: Limits = field(default_factory=Limits)
    annotate: bool = True
    worker_memory_mb: int = 3072


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


def _init_worker(memory_mb: int) -> None:
    """Worker processes: a memory ceiling, so one hostile file cannot take the machine down."""
    if memory_mb and memory_mb > 0:
        try:
            import resource

            limit = memory_mb * (1 << 20)
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            if hard == resource.RLIM_INFINITY or hard > limit:
                resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        except (ImportError, ValueError, OSError):  # pragma: no cover - not on every platform
            pass


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
        if env.kind == "mail" and not env.imap_uid and mail.date:
            msg.received = mail.date  # .eml/.mbox/Maildir: the Date header beats a file time
        msg.received = msg.received or mail.date or now_iso()
        msg.notes = [f.to_dict() for f in mail.notes]
        for index, item in enumerate(mail.items):
            try:
                result.items.append(_process_item(env, item, index, msg, cfg))
            except Exception as exc:  # one item never takes the others down
                result.items.append(_failed_item(env, item, index, msg, exc))
        if not result.items:
            msg.error = "没有可处理的内容"
    except Exception as exc:  # pragma: no cover - defensive: the envelope is recorded as failed
        msg.error = f"{type(exc).__name__}: {exc}"[:500]
        msg.received = msg.received or now_iso()
    msg.outcome = "failed" if msg.error else ("rejected" if result.rejected else "processed")
    result.duration_ms = (time.perf_counter() - t0) * 1000
    return result


def _open(env: Envelope, limits: Limits) -> Mail:
    if env.kind == "mail":
        return read_mail(env.raw or b"", limits)
    path = Path(env.path)
    name = path.name
    size = path.stat().st_size
    suffix = path.suffix.lower()
    if size > limits.max_file_bytes:
        mail = Mail(size=size)
        mail.items.append(Item(name, str(path), copy_from=str(path), findings=[
            sec("SEC001", size_mb=f"{size / 2**20:.1f}", limit_mb=f"{limits.max_file_bytes / 2**20:.1f}")]))
        return mail
    data = path.read_bytes()
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


def _folder(cfg: Config, env: Envelope, received: str, index: int, rejected: bool) -> Path:
    base = Path(cfg.out) / (REJECTED_DIR if rejected else SUBMISSIONS_DIR)
    return base / submission_key(env.key, received, index)


def _store(folder: Path, name: str, data: bytes | None, copy_from: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / sanitise(name, default="工作簿")
    if target.name in ("回执.txt", "回执.html", "回复草稿.eml") or target.name.endswith("_批注.xlsx"):
        target = folder / ("原件_" + target.name)
    tmp = target.with_name(target.name + ".part")
    if copy_from is not None:
        shutil.copyfile(copy_from, tmp)
    else:
        tmp.write_bytes(data or b"")
    os.replace(tmp, target)
    return target


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
        stored = _store(folder, item.name, item.data, copy_from=oversize)
    else:
        folder.mkdir(parents=True, exist_ok=True)
    if blocked:
        report = Report(file=item.name, sha256=sha, size=size, findings=findings, checked=False, checked_at=now_iso())
        row = _row(cfg, item, index, folder, stored, report, None, "rejected")
        return ItemResult(index, row)
    data, report = _check(stored)
    report.file = item.name
    report.findings[0:0] = findings  # non-blocking SEC warnings first
    score, grade = _score(data) if data is not None and report.checked else (None, None)
    status = "unreadable" if not report.checked else ("passed" if report.passed else "failed")
    row = _row(cfg, item, index, folder, stored, report, data, status)
    row.score, row.grade = score, grade
    annotate_error = None
    if cfg.annotate and report.checked and data is not None and data.readable:
        try:
            from ..outputs.annotate import annotate

            out = folder / (Path(stored.name).stem + "_批注.xlsx")
            annotate(stored, report, out)
            row.annotated_path = _rel(cfg, out)
        except Exception as exc:  # openpyxl could not write it: the receipt still goes out
            annotate_error = f"{type(exc).__name__}: {exc}"[:300]
    return ItemResult(index, row, annotate_error)


def _failed_item(env: Envelope, item: Item, index: int, msg: MessageRow, exc: Exception) -> ItemResult:
    folder = Path("failed")
    detail = f"{type(exc).__name__}: {exc}"[:200]
    report = Report(file=item.name, findings=[sec("SEC090", detail=f"处理时出现异常（{detail}）")], checked=False, checked_at=now_iso())
    row = SubmissionRow(index, item.origin, item.name, None, str(folder), "", 0, None, None, None, None, None, "rejected",
                        False, False, report.counts(), 1, None, None, None, report.to_dict())
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
        item_index=index, origin=item.origin, file_name=item.name, stored_path=_rel(cfg, stored), folder=_rel(cfg, folder) or "",
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
    """Score and grade when the indicators package can compute them (optional in the summary)."""
    try:
        from ..indicators import PROFILES, score
        from ..schema import INPUTS
        from ..schema.values import coerce

        from ..readers.evaluator import given_of_workbook

        profile = data.profile if data.profile in PROFILES else "V1"
        values = {fid: coerce(f, data.raw.get(fid))[0] for fid, f in INPUTS.items()}
        found = given_of_workbook(data)  # the evaluator's entries, and an imported profile embedded in the book
        card = score(values, found[0], found[1]) if found else score(values, profile)
        total = card.total
        if total is None:  # no grade on part of the table: the grade column says what is still open
            return None, card.explanation if card.explanation.startswith("已评") else None
        return f"{total.quantize(__import__('decimal').Decimal('0.01'))}", card.grade
    except Exception:
        return None, None


# --- the driver -------------------------------------------------------------------------------


def _safe_process(env: Envelope, cfg: Config) -> EnvelopeResult:
    return process_envelope(env, cfg)


def run_envelopes(envelopes: Iterable[Envelope], cfg: Config, jobs: int, *, skip: Callable[[Envelope], bool],
                  on_skip: Callable[[Envelope], None] = lambda e: None) -> Iterator[EnvelopeResult]:
    """Results in input order; ``skip`` is asked in order before any work (idempotency)."""
    todo = (e for e in envelopes if not (skip(e) and (on_skip(e) or True)))
    if jobs <= 1:
        for env in todo:
            yield process_envelope(env, cfg)
        return
    import multiprocessing

    warm()  # forked workers inherit the template layout and expected formulas instead of each building them
    ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    window = max(jobs * 4, 8)
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker, initargs=(cfg.worker_memory_mb,))
    pending: deque = deque()
    try:
        source = iter(todo)
        exhausted = False
        while True:
            while not exhausted and len(pending) < window:
                try:
                    env = next(source)
                except StopIteration:
                    exhausted = True
                    break
                pending.append((env, pool.submit(_safe_process, env, cfg)))
            if not pending:
                break
            env, fut = pending.popleft()
            try:
                yield fut.result()
            except BrokenProcessPool:
                # a worker died (memory ceiling, crash): record this envelope, restart the pool, resubmit the rest
                yield _crashed(env, "处理进程异常退出（可能超出内存上限）")
                pool.shutdown(wait=False, cancel_futures=True)
                pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker,
                                           initargs=(cfg.worker_memory_mb,))
                pending = deque((e, pool.submit(_safe_process, e, cfg)) for e, _f in pending)
            except Exception as exc:  # pragma: no cover - pickling problems and the like
                yield _crashed(env, f"{type(exc).__name__}: {exc}")
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


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


def _crashed(env: Envelope, text: str) -> EnvelopeResult:
    msg = MessageRow(key=env.key, kind=env.kind, source=env.source, received=env.received or now_iso(), outcome="failed", error=text)
    return EnvelopeResult(env.key, env.kind, env.source, env.imap_uid, msg)


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


def run_intake(envelopes: Iterable[Envelope], cfg: Config, *, jobs: int = 1, imap=None, sender=None,
               progress=None, total: int | None = None) -> RunOutcome:
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
            mail = {"sender": res.message.sender, "sender_name": res.message.sender_name, "subject": res.message.subject,
                    "message_id": res.message.message_id, "notes": res.message.notes}
            sends: list[tuple[int, Path]] = []

            def receipts(rows, res=res, mail=mail, sends=sends):
                for item, row in zip(res.items, rows):
                    rec = ledger.submission(row.id)
                    item_mail = mail
                    if item.annotate_error:
                        note = {"message": f"批注副本未能生成（{item.annotate_error}），请以本回执所列问题为准。"}
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
            if sender is not None and res.kind == "mail" and res.message.sender:
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
