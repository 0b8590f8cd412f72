"""Untrusted files are parsed in worker processes bounded in time and memory.

A native reader can abort the whole process (python-calamine asking for 512 GB aborts with
signal 6) or run for minutes; the pre-flight catches the known shapes, this is the backstop
for the unknown ones. ``guarded_map`` feeds items to ``jobs`` long-lived workers (a fork of
the warmed-up parent, so a file costs no start-up), each with an address-space ceiling
(``RLIMIT_AS``) and a wall-clock limit per item enforced by the parent. A worker that dies or
overruns is replaced; its item gets a ``Fault`` and the batch goes on. Results come back in
input order.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import signal
import sys
import time
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Callable, Iterable, Iterator

DEFAULT_TIMEOUT_S = 120.0
DEFAULT_MEMORY_MB = 2048
OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EACCES, errno.EPERM})


@dataclass(frozen=True)
class Fault:
    """Why an item has no result: ``timeout``, ``crash`` (the worker died) or ``error`` (it raised)."""

    kind: str
    detail: str
    errno: int | None = None  # kind "output": writing our own output failed (disk full, read-only): not the file's fault

    def message(self) -> str:
        """Chinese text for a finding or a receipt."""
        if self.kind == "timeout":
            return f"处理超时（{self.detail}），已中止该文件的处理"
        if self.kind == "crash":
            return f"处理进程异常退出（{self.detail}，可能超出内存上限或文件触发了读取程序的缺陷）"
        return f"处理时出现异常（{self.detail}）"


def limit_memory(memory_mb: int) -> None:
    """Cap this process's address space at ``memory_mb`` beyond what it already maps."""
    if not memory_mb or memory_mb <= 0:
        return
    try:
        import resource

        base = 0
        try:
            with open("/proc/self/status") as fh:
                for line in fh:
                    if line.startswith("VmSize:"):
                        base = int(line.split()[1]) * 1024
                        break
        except OSError:
            pass
        limit = base + memory_mb * (1 << 20)
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not on every platform
        pass


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "未知原因"
    if code < 0:
        try:
            return f"信号 {-code} {signal.Signals(-code).name}"
        except ValueError:
            return f"信号 {-code}"
    return f"退出码 {code}"


def _loop(conn, fn: Callable, memory_mb: int) -> None:
    limit_memory(memory_mb)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        index, item = job
        try:
            out = (index, True, fn(item))
        except MemoryError:
            out = (index, False, Fault("crash", "内存不足（MemoryError）"))
        except OSError as exc:
            kind = "output" if exc.errno in OUTPUT_ERRNOS else "error"
            out = (index, False, Fault(kind, f"{type(exc).__name__}: {exc}"[:300], exc.errno))
        except BaseException as exc:  # noqa: BLE001 - reported for this item, the worker goes on
            out = (index, False, Fault("error", f"{type(exc).__name__}: {exc}"[:300]))
        try:
            conn.send(out)
        except Exception as exc:  # an unpicklable result
            conn.send((index, False, Fault("error", f"结果无法传回：{type(exc).__name__}")))


class _Worker:
    def __init__(self, ctx, fn, memory_mb):
        parent, child = ctx.Pipe()
        self.proc = ctx.Process(target=_loop, args=(child, fn, memory_mb), daemon=False)  # a worker may need a worker of its own (the redo of a faulty envelope)
        self.proc.start()
        child.close()
        self.conn = parent
        self.job: tuple[int, object] | None = None
        self.deadline = 0.0

    def give(self, index: int, item, timeout: float) -> None:
        self.job = (index, item)
        self.deadline = time.monotonic() + timeout
        self.conn.send((index, item))

    def stop(self, kill: bool = False) -> None:
        try:
            if kill:
                os.kill(self.proc.pid, signal.SIGKILL)  # only ever our own worker, by its id
            else:
                self.conn.send(None)
        except (OSError, ValueError, BrokenPipeError):
            pass
        self.proc.join(5)
        if self.proc.is_alive():  # pragma: no cover - a worker that ignores the stop request
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.join()
        self.conn.close()


def _context():
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


def guarded_map(fn: Callable, items: Iterable, *, jobs: int = 1, timeout: float = DEFAULT_TIMEOUT_S,
                memory_mb: int = DEFAULT_MEMORY_MB) -> Iterator[tuple[object, object]]:
    """``(item, fn(item) or Fault)`` for each item, in input order, each call in a bounded worker."""
    ctx = _context()
    source = iter(enumerate(items))
    workers = [_Worker(ctx, fn, memory_mb) for _ in range(max(1, jobs))]
    done: dict[int, tuple[object, object]] = {}
    next_out = 0
    exhausted = False
    try:
        while True:
            for i, w in enumerate(workers):
                if w.job is None and not exhausted:
                    try:
                        index, item = next(source)
                    except StopIteration:
                        exhausted = True
                        break
                    try:
                        w.give(index, item, timeout)
                    except (OSError, ValueError, BrokenPipeError):  # the idle worker had died: replace it
                        w.stop(kill=True)
                        workers[i] = w = _Worker(ctx, fn, memory_mb)
                        w.give(index, item, timeout)
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            busy = [w for w in workers if w.job is not None]
            if not busy:
                if exhausted:
                    return
                continue
            wait_for = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = wait([w.conn for w in busy], timeout=wait_for)
            for i, w in enumerate(workers):
                if w.job is None:
                    continue
                index, item = w.job
                if w.conn in ready:
                    try:
                        got_index, ok, result = w.conn.recv()
                    except (EOFError, OSError):
                        w.proc.join(5)
                        done[index] = (item, Fault("crash", _describe_exit(w.proc.exitcode)))
                        w.stop(kill=True)
                        workers[i] = _Worker(ctx, fn, memory_mb)
                        continue
                    done[got_index] = (item, result)
                    w.job = None
                elif time.monotonic() >= w.deadline:
                    w.stop(kill=True)
                    done[index] = (item, Fault("timeout", f"超过 {timeout:g} 秒"))
                    workers[i] = _Worker(ctx, fn, memory_mb)
    finally:
        for w in workers:
            w.stop(kill=w.job is not None)


def run_guarded(fn: Callable, item, *, timeout: float = DEFAULT_TIMEOUT_S, memory_mb: int = DEFAULT_MEMORY_MB):
    """``fn(item)`` in one bounded worker: its result, or a ``Fault``."""
    for _item, result in guarded_map(fn, [item], jobs=1, timeout=timeout, memory_mb=memory_mb):
        return result
    return Fault("error", "没有结果")  # pragma: no cover


__all__ = ["DEFAULT_MEMORY_MB", "DEFAULT_TIMEOUT_S", "Fault", "guarded_map", "limit_memory", "run_guarded"]
