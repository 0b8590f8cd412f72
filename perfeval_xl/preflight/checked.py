"""One untrusted file → its ``Report``: the pre-flight, then the reader and checker, in a bounded worker.

Used by ``perfeval check``: the same pre-flight as intake runs first, so a file a parser must
not see (a zip bomb, an absurd sheet extent, a DTD) is reported with its SEC finding and never
read; what the pre-flight cannot foresee is caught by the guard (SEC090 for that file).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Iterable, Iterator

from ..check.findings import Report
from .guard import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, Fault, guarded_map
from .scan import Limits, preflight, sec, sniff


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def check_file(path: Path | str, limits: Limits | None = None) -> Report:
    """Pre-flight, then ``check_path``. Never raises on a bad file."""
    from ..check import check_path

    path = Path(path)
    limits = limits or Limits()
    try:
        size = path.stat().st_size
        if not path.is_file():
            return check_path(path)  # the reader reports what it is (not found, not a file)
        if size > limits.max_file_bytes:
            return Report(file=str(path), size=size, checked=False, checked_at=_now(), findings=[
                sec("SEC001", size_mb=f"{size / 2**20:.1f}", limit_mb=f"{limits.max_file_bytes / 2**20:.1f}")])
        data = path.read_bytes()
    except OSError:
        return check_path(path)  # unreadable or missing: the reader's STR001 says so
    if sniff(data) != "zip":
        return check_path(path)  # OLE, text, empty: the reader recognises them without parsing cells
    pf = preflight(data, path.name, limits, keep_parts=True)
    if pf.unsafe:
        return Report(file=str(path), sha256=hashlib.sha256(data).hexdigest(), size=len(data), checked=False,
                      checked_at=_now(), findings=pf.findings)
    from ..readers.workbook import Inflated

    report = check_path(path, parts=Inflated(data, pf.parts, pf.names) if pf.names else None)
    report.findings[0:0] = pf.findings  # macros, links, embedded objects: reported with the checker's findings
    return report


def fault_report(path: Path | str, fault: Fault) -> Report:
    """The report of a file whose worker overran or died."""
    try:
        from ..readers.workbook import sha256_of

        sha, size = sha256_of(Path(path))
    except OSError:
        sha, size = "", 0
    return Report(file=str(path), sha256=sha, size=size, checked=False, checked_at=_now(),
                  findings=[sec("SEC090", detail=fault.message())])


def check_files(paths: Iterable[Path], *, timeout: float = DEFAULT_TIMEOUT_S, memory_mb: int = DEFAULT_MEMORY_MB,
                jobs: int = 1) -> Iterator[Report]:
    """Reports in input order; each file read in a bounded worker."""
    for path, result in guarded_map(check_file, paths, jobs=jobs, timeout=timeout, memory_mb=memory_mb):
        yield fault_report(path, result) if isinstance(result, Fault) else result


def warm() -> None:
    """Import and build what every check needs before the workers are forked from this process."""
    from ..check import engine
    from ..template.layout import layout

    layout()
    if hasattr(engine, "expected_formulas"):
        engine.expected_formulas()
    import python_calamine  # noqa: F401

    from ..indicators import PROFILES  # noqa: F401 - the scored profiles and rules every check of a 评分 sheet needs
    from ..indicators.profile import profile_from_text  # noqa: F401
    from ..readers import evaluator, workbook  # noqa: F401
    from ..rules import scoring  # noqa: F401


__all__ = ["check_file", "check_files", "fault_report", "warm"]
