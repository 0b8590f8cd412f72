"""The finance bureau's morning, timed end to end (a script, not a test; figures depend on the machine).

80 departments each mail one workbook to an IMAP mailbox (a real dovecot on
loopback, set up as the intake tests do); the expected list names 85, so 5 are
missing; 8 of the workbooks have errors. One "morning" is what the bureau runs:

    perfeval intake --imap --out OUT --expected 名单.csv -j 1     (receipts, reply drafts, summary, ledger)
    perfeval status --expected 名单.csv --out OUT

each as a fresh process, timed from start to end. It runs with annotated copies
and with ``--no-annotate``, alternately (fresh mailbox and output folder each
time), and prints the medians. Goals: with copies ≤ 2× without, and < 8 s.

    python benchmarks/bench_morning.py              # 3 rounds of each
    python benchmarks/bench_morning.py --rounds 5 -j 2
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "intake"))  # the intake tests' dovecot and workbook builders

DEPARTMENTS, MISSING, FAILING = 80, 5, 8
TARGET_RATIO, TARGET_SECONDS = 2.0, 8.0


def workbooks() -> list[tuple[str, str, bytes]]:
    """(department, sender, workbook) for the 80 senders: the clean synthetic example, and for 8 of
    them the same with a text in a money cell (an error)."""
    import intake_corpus as C

    out = []
    for i in range(DEPARTMENTS):
        base = C.text_in_money(C.example()) if i < FAILING else C.example()
        out.append((f"测试第{i:03d}局", f"dept{i:03d}@example.gov.cn", C.with_dept(base, f"测试第{i:03d}局")))
    return out


def expected_list(path: Path) -> None:
    lines = ["预算编码,部门名称,邮箱"]
    lines += [f"{900 + i},测试第{i:03d}局,dept{i:03d}@example.gov.cn" for i in range(DEPARTMENTS + MISSING)]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8-sig"))


def fill_mailbox(server, name: str, mails: list[bytes]) -> None:
    conn = server.client()
    assert conn.create(f'"{name}"')[0] == "OK"
    for m in mails:
        assert conn.append(f'"{name}"', None, None, m)[0] == "OK"
    conn.logout()


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def morning(server, mails: list[bytes], expected: Path, out: Path, annotate: bool, jobs: int) -> tuple[float, float, float]:
    """(intake s, status s, CPU s of both processes) for one morning on a fresh mailbox."""
    name = f"Morning{uuid.uuid4().hex[:8]}"
    fill_mailbox(server, name, mails)
    env = dict(os.environ, **server.env(name), PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "perfeval_xl", "intake", "--imap", "--out", str(out), "--expected", str(expected),
           "-j", str(jobs), "-q"] + ([] if annotate else ["--no-annotate"])
    cpu = _children_cpu()
    t = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    t_intake = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"intake failed ({proc.returncode}): {proc.stderr[-2000:]}")
    t = time.perf_counter()
    status = subprocess.run([sys.executable, "-m", "perfeval_xl", "status", "--expected", str(expected), "--out", str(out)],
                            env=env, cwd=ROOT, capture_output=True, text=True)
    t_status = time.perf_counter() - t
    if status.returncode not in (0, 1):
        raise RuntimeError(f"status failed ({status.returncode}): {status.stderr[-2000:]}")
    return t_intake, t_status, _children_cpu() - cpu


def verify(out: Path, annotate: bool) -> str:
    """What the morning produced, so that a fast but wrong run cannot pass unnoticed."""
    import json
    import sqlite3

    db = sqlite3.connect(out / "ledger.sqlite3")
    rows = db.execute("SELECT status, COUNT(*) FROM submissions GROUP BY status").fetchall()
    db.close()
    counts = dict(rows)
    receipts = len(list(out.glob("submissions/*/回执.txt")))
    drafts = len(list(out.glob("submissions/*/回复草稿.eml")))
    copies = len(list(out.glob("submissions/*/*_批注.xlsx")))
    status = json.loads((out / "status.json").read_text(encoding="utf-8")) if (out / "status.json").exists() else {}
    missing = sum(1 for line in status.get("lines", status if isinstance(status, list) else []) if isinstance(line, dict)
                  and line.get("state") == "missing")
    ok = (sum(counts.values()) == DEPARTMENTS and counts.get("failed") == FAILING and receipts == DEPARTMENTS
          and drafts == DEPARTMENTS and copies == (DEPARTMENTS if annotate else 0))
    return (f"{sum(counts.values())} ledger rows {counts}, {receipts} receipts, {drafts} drafts, {copies} copies, "
            f"{missing} missing in status.json{'' if ok else '  <-- UNEXPECTED'}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("-j", "--jobs", type=int, default=1)
    args = ap.parse_args()

    import intake_corpus as C
    from conftest import Dovecot

    tmp = Path(tempfile.mkdtemp(prefix="perfeval-morning-"))
    server = Dovecot()
    try:
        expected = tmp / "名单.csv"
        expected_list(expected)
        mails = [bytes(C.mail(sender=s, subject=f"{d} 绩效评价报送", message_id=f"<morning-{i}@example.gov.cn>",
                              attachments=[(f"{d}.xlsx", wb, "application/octet-stream")]))
                 for i, (d, s, wb) in enumerate(workbooks())]
        times: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
        cpu: dict[bool, list[float]] = {True: [], False: []}
        for r in range(args.rounds):
            for annotate in (True, False):
                out = tmp / f"out-{r}-{int(annotate)}"
                ti, ts, c = morning(server, mails, expected, out, annotate, args.jobs)
                times[annotate].append((ti, ts))
                cpu[annotate].append(c)
                print(f"round {r + 1}, {'with copies   ' if annotate else 'without copies'}: intake {ti:5.2f} s + status {ts:4.2f} s"
                      f" = {ti + ts:5.2f} s, CPU {c:5.2f} s   ({verify(out, annotate)})")
                shutil.rmtree(out, ignore_errors=True)
        med = {a: statistics.median(i + s for i, s in times[a]) for a in times}
        med_cpu = {a: statistics.median(cpu[a]) for a in cpu}
        ratio = med[True] / med[False]
        print()
        print(f"load average while measuring: {os.getloadavg()[0]:.1f} (wall times on a shared machine stretch with it; "
              f"CPU seconds much less)")
        print(f"the morning: {DEPARTMENTS} IMAP submissions ({FAILING} with errors, {MISSING} departments missing), "
              f"-j {args.jobs}, {os.cpu_count()} CPUs, median of {args.rounds}")
        print(f"{'':28}{'wall':>8}{'CPU':>8}")
        print(f"  with annotated copies   {med[True]:8.2f}{med_cpu[True]:8.2f} s   target < {TARGET_SECONDS:g} s wall  "
              f"{'yes' if med[True] < TARGET_SECONDS else 'NO'}")
        print(f"  without (--no-annotate) {med[False]:8.2f}{med_cpu[False]:8.2f} s")
        print(f"  with / without          {ratio:8.2f}{med_cpu[True] / med_cpu[False]:8.2f} ×   target ≤ {TARGET_RATIO:g}×  "
              f"{'yes' if ratio <= TARGET_RATIO else 'NO'}")
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
