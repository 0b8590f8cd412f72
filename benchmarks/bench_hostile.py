"""Worst cases of issue 14: time and peak RSS per hostile file, the whole bad-input corpus as one
intake batch, and the `perfeval check DIR --json` ratio against a raw calamine read.

    python benchmarks/bench_hostile.py              # per-file figures + the corpus batch + 400-file ratio
    python benchmarks/bench_hostile.py --n 100      # fewer copies for the ratio
    python benchmarks/bench_hostile.py --ratio-only # only the 400-file ratio, 3 rounds, median and load average
    python benchmarks/bench_hostile.py --ratio-only --baseline bf2fb04   # the ratio of the new and the old code, same rounds
    python benchmarks/bench_hostile.py --only mail --baseline 4ae674a --skip-ratio   # before/after for some cases

Per hostile file: a fresh process runs ``perfeval intake FILE --out …`` and reports its wall
time and the peak RSS of itself and of its workers (VmHWM / RUSAGE_CHILDREN). Goal: each
≤ 5 s and ≤ 300 MB, the batch going on. The memory cases (big mail, an mbox with a 62 MB
message, the 30 MB text cell) are in the list too; ``--only PATTERN`` runs the cases whose name
contains it.

The corpus batch: every hostile case plus a clean control in one ``perfeval intake`` run;
printed totals are crashes (a traceback or an exit code other than 0/1), silent 合格 (a
hostile case recorded as passed) and lost submissions (a case with no ledger row, or a
stored file whose bytes differ from its ledger hash).

The ratio, as a user runs it: ``perfeval check DIR --json`` as one process over N copies of
the examples, against one process reading the same files with python-calamine (every sheet,
``to_python``); the start-up of each (the interpreter and its imports, no file) is measured
in the same round and subtracted; three rounds (``--repeat``), each with its own start-ups, and
their median is the figure, printed with the load average. Target ≤ 3×. Beside the wall-clock ratio, the
CPU ratio (user + system time of each process and its workers) says how much work each side did, which
the load of a shared machine disturbs less. This is a script, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "intake"))
EXAMPLES = sorted((ROOT / "workbook_templates" / "examples").glob("*.xlsx"))
GOAL_S, GOAL_MB, GOAL_RATIO = 5.0, 300, 3.0

CHILD = r"""
import resource, sys, time
t = time.perf_counter()
from perfeval_xl.cli import main
code = main(sys.argv[1:])
wall = time.perf_counter() - t
kb = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0])
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"RESULT {wall:.3f} {max(kb, kids)} {code}", file=sys.stderr)
"""

CALAMINE = r"""
import sys, time
from pathlib import Path
t = time.perf_counter()
from python_calamine import CalamineWorkbook
n = 0
if sys.argv[1] != "-":
    for p in sorted(Path(sys.argv[1]).rglob("*.xlsx")):
        wb = CalamineWorkbook.from_path(str(p))
        for name in wb.sheet_names:
            n += len(wb.get_sheet_by_name(name).to_python(skip_empty_area=False))
print(f"RESULT {time.perf_counter() - t:.3f}", file=sys.stderr)
"""

CHECK_BASE = r"""
import sys, time
t = time.perf_counter()
from perfeval_xl.cli import build_parser
build_parser()
import perfeval_xl.check, perfeval_xl.readers.workbook, perfeval_xl.outputs.terminal, perfeval_xl.preflight.checked, python_calamine
from perfeval_xl.preflight.checked import warm
warm()
print(f"RESULT {time.perf_counter() - t:.3f}", file=sys.stderr)
"""


def _env(root: Path = ROOT) -> dict:
    return {**os.environ, "PYTHONPATH": str(root)}


def _child(code: str, *args: str, timeout: float = 600, root: Path = ROOT) -> tuple[list[str], str]:
    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=_env(root), cwd=root, timeout=timeout)
    outer = time.perf_counter() - t
    line = next((l for l in p.stderr.splitlines() if l.startswith("RESULT ")), "")
    return (line.split()[1:] + [f"{outer:.3f}"]) if line else ["nan", "0", str(p.returncode), f"{outer:.3f}"], p.stderr


def cases() -> dict[str, tuple[str, bytes]]:
    """case → (file name, bytes): every hostile builder of the tests, plus a few mail-level ones."""
    import hostile_corpus as H
    import intake_corpus as C

    base = C.example()
    out: dict[str, tuple[str, bytes]] = {}
    for k, f in H.EXTENT_CASES.items():
        out[k] = (f"{k}.xlsx", f(base))
    for k, (f, _rule) in H.TAMPER_CASES.items():
        out[k] = (f"{k}.xlsx", f(base))
    for k, f in H.ADDIN_NOT_OURS.items():
        out[k] = (f"{k}.xlsx", f(base))
    out["zip_bomb_ratio"] = ("bomb.xlsx", C.zip_bomb_ratio(base))
    out["billion_laughs"] = ("laughs.xlsx", C.billion_laughs(base))
    out["truncated"] = ("truncated.xlsx", C.truncated(base))
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    import base64

    bcc = bytes(C.mail(sender="dept@example.gov.cn", attachments=[("a.xlsx", H.stale_formula_in_input(base), xlsx)]))
    word = b"=?UTF-8?B?" + base64.b64encode("x\r\nBcc: a@evil.example".encode()) + b"?="
    out["crlf_bcc_display_name"] = ("bcc.eml", bcc.replace(b"From: dept@example.gov.cn", b"From: " + word + b" <dept@example.gov.cn>", 1))
    out["long_cjk_name"] = ("long.eml", bytes(C.mail(attachments=[("𠀀" * 300 + ".xlsx", H.ref_error_in_input(base), xlsx)])))
    out["device_name"] = ("device.eml", bytes(C.mail(attachments=[("COM3.xlsx", H.two_names_one_cell(base), xlsx)])))
    out.update(memory_cases(base))
    return out


def memory_cases(base: bytes) -> dict[str, tuple[str, bytes]]:
    """Issue 14's memory and time class: big mail (54 MB with a 40 MB attachment: SEC001; 62 MB: SEC035),
    an mbox holding a 62 MB message, and text past Excel's cell limit (SEC009), the 30 MB cell included."""
    import intake_corpus as C
    import hostile_corpus as H

    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    out = {k: (f"{k}.xlsx", f(base)) for k, f in H.CELL_TEXT_CASES.items()}
    out["mail_54mb_attachment_40mb"] = ("big54.eml", bytes(C.mail(attachments=[("大表.xlsx", os.urandom(40 << 20), xlsx)])))
    out["mail_62mb"] = ("big62.eml", bytes(C.mail(attachments=[("巨表.xlsx", os.urandom(46 << 20), xlsx)])))
    def neighbour() -> bytes:  # a message of its own (new Message-ID) with a refused workbook
        return bytes(C.mail(attachments=[("长文字.xlsx", H.one_past_the_limit(base), xlsx)])).replace(b"\r\n", b"\n")

    huge = bytes(C.mail(attachments=[("巨表.xlsx", os.urandom(46 << 20), xlsx)])).replace(b"\r\n", b"\n")
    out["mbox_with_62mb_message"] = ("inbox.mbox", b"".join(b"From MAILER-DAEMON Mon Mar  4 09:00:00 2024\n" + m + b"\n"
                                                            for m in (neighbour(), huge, neighbour())))
    return out


def per_file(tmp: Path, all_cases: dict, root: Path = ROOT, tag: str = "") -> list[tuple[str, float, float, str]]:
    rows = []
    for case, (name, data) in all_cases.items():
        folder = tmp / "one" / case
        path = folder / name
        if not path.exists():
            folder.mkdir(parents=True)
            path.write_bytes(data)
        out = tmp / f"one_out{tag}" / case
        shutil.rmtree(out, ignore_errors=True)  # a fresh ledger each run: nothing is skipped as already seen
        (wall, kb, code, _outer), _err = _child(CHILD, "intake", str(path), "--out", str(out), "-q", root=root)
        rows.append((case, float(wall), int(kb) / 1024, code))
    return rows


def export(rev: str, tmp: Path) -> Path:
    """The code of an earlier revision, unpacked (``git archive``) to run the same files against."""
    dest = tmp / f"rev-{rev}"
    dest.mkdir()
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def corpus_batch(tmp: Path, all_cases: dict) -> dict:
    inbox = tmp / "corpus"
    inbox.mkdir()
    for i, (case, (name, data)) in enumerate(all_cases.items()):
        (inbox / f"{i:02d}_{case}").mkdir()
        (inbox / f"{i:02d}_{case}" / name).write_bytes(data)
    (inbox / "zz_control").mkdir()
    shutil.copy(ROOT / "workbook_templates" / "examples" / "synthetic.xlsx", inbox / "zz_control" / "control.xlsx")
    out = tmp / "corpus_out"
    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "perfeval_xl", "intake", str(inbox), "--out", str(out), "-j", "2", "-q"],
                       capture_output=True, text=True, env=_env(), cwd=ROOT, timeout=1800)
    wall = time.perf_counter() - t
    db = sqlite3.connect(out / "ledger.sqlite3")
    db.row_factory = sqlite3.Row
    rows = [dict(r) for r in db.execute("SELECT s.*, m.source FROM submissions s JOIN messages m ON m.key = s.message_key")]
    db.close()
    import hashlib

    by_case: dict[str, list[dict]] = {}
    for r in rows:
        case = Path(r["source"].split("#")[0]).parent.name.split("_", 1)[1]
        by_case.setdefault(case, []).append(r)
    crashes = int(p.returncode not in (0, 1)) + p.stderr.count("Traceback")
    silent = sorted(c for c, rs in by_case.items() if c != "control" and any(r["status"] == "passed" for r in rs))
    lost = sorted(c for c in list(all_cases) + ["control"] if c not in by_case)
    lost += sorted(r["file_name"] for r in rows if r["stored_path"]
                   and hashlib.sha256((out / r["stored_path"]).read_bytes()).hexdigest() != r["sha256"])
    return {"cases": len(all_cases), "submissions": len(rows), "exit": p.returncode, "seconds": round(wall, 1),
            "crashes": crashes, "silent_passed": silent, "lost": lost,
            "control_passed": any(r["status"] == "passed" for r in by_case.get("control", []))}


@dataclass
class Round:
    """One round of the ratio: seconds of work (start-up subtracted), wall clock and CPU (the process and its workers)."""

    check: float
    cal: float
    check_cpu: float
    cal_cpu: float
    base: float | None = None  # the same check with the code of --baseline, in the same round
    base_cpu: float | None = None

    @property
    def wall_ratio(self) -> float:
        return self.check / self.cal

    @property
    def cpu_ratio(self) -> float:
        return self.check_cpu / self.cal_cpu


def _run(argv: list[str], root: Path) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall s, CPU s of the process and all its children, the process) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run([sys.executable, *argv], capture_output=True, env=_env(root), cwd=root, timeout=1800)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), p


def _check_work(folder: Path, n: int, root: Path) -> tuple[float, float]:
    """`perfeval check DIR --json` less a process that starts as it does (imports, warm-up) and reads no file."""
    start_wall, start_cpu, _p = _run(["-c", CHECK_BASE], root)
    wall, cpu, p = _run(["-m", "perfeval_xl", "check", str(folder), "--json"], root)
    assert json.loads(p.stdout)["summary"]["files"] == n, p.stderr[-2000:]
    return wall - start_wall, cpu - start_cpu


def ratio(tmp: Path, n: int, repeat: int = 3, base_root: Path | None = None) -> list[Round]:
    """``repeat`` rounds, start-up subtracted. Each round measures, back to back, both start-ups and both full runs
    (and the baseline's, with ``base_root``), so machine load (shared with other work) hits both sides alike."""
    folder = tmp / "copies"
    folder.mkdir()
    for i in range(n):
        shutil.copy(EXAMPLES[i % len(EXAMPLES)], folder / f"{i:04d}.xlsx")
    for root in [ROOT] + ([base_root] if base_root else []):  # first runs warm the page cache and the bytecode
        _run(["-c", CHECK_BASE], root)
    _run(["-c", CALAMINE, str(folder)], ROOT)
    rounds = []
    for _ in range(repeat):
        base = _check_work(folder, n, base_root) if base_root else (None, None)
        check, check_cpu = _check_work(folder, n, ROOT)
        cal_start, cal_start_cpu, _p = _run(["-c", CALAMINE, "-"], ROOT)
        cal, cal_cpu, _p = _run(["-c", CALAMINE, str(folder)], ROOT)
        rounds.append(Round(check, cal - cal_start, check_cpu, cal_cpu - cal_start_cpu, *base))
    return rounds


def print_ratio(n: int, rounds: list[Round], baseline: str = "") -> None:
    import statistics

    for r in rounds:
        line = (f"perfeval check DIR --json over {n} files: {r.check:.2f} s (CPU {r.check_cpu:.2f} s); calamine read: "
                f"{r.cal:.2f} s (CPU {r.cal_cpu:.2f} s); ratio {r.wall_ratio:.2f}× (CPU {r.cpu_ratio:.2f}×)")
        if r.base is not None:
            line += f"; {baseline}: {r.base:.2f} s, {r.base / r.cal:.2f}× (CPU {r.base_cpu / r.cal_cpu:.2f}×)"
        print(line)
    med = statistics.median(r.wall_ratio for r in rounds)
    cpu = statistics.median(r.cpu_ratio for r in rounds)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"ratio median of {len(rounds)}: {med:.2f}× (target ≤ {GOAL_RATIO}×; CPU {cpu:.2f}×), start-up subtracted; "
          f"load average {load}")
    if rounds[0].base is not None:
        b = statistics.median(r.base / r.cal for r in rounds)
        bc = statistics.median(r.base_cpu / r.cal_cpu for r in rounds)
        print(f"baseline {baseline}, same rounds: median {b:.2f}× (CPU {bc:.2f}×)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--skip-ratio", action="store_true")
    ap.add_argument("--ratio-only", action="store_true", help="only the check/calamine ratio (same definition)")
    ap.add_argument("--repeat", type=int, default=3, help="rounds of the ratio; the median is reported")
    ap.add_argument("--only", default="", help="only the cases whose name contains this")
    ap.add_argument("--baseline", default="", help="also run the per-file cases (or, with --ratio-only, the ratio) with this "
                    "git revision's code, in the same run (before/after)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="perfeval-hostile-"))
    try:
        if args.ratio_only:
            base_root = export(args.baseline, tmp) if args.baseline else None
            print_ratio(args.n, ratio(tmp, args.n, args.repeat, base_root), args.baseline)
            return
        all_cases = {k: v for k, v in cases().items() if args.only in k}
        # the same command on a clean workbook: what any intake run costs on this machine now (start-up, receipt, summary)
        control = {"clean_control": ("control.xlsx", (ROOT / "workbook_templates" / "examples" / "synthetic.xlsx").read_bytes())}
        print(f"{'case':<32} {'time s':>7} {'peak MB':>8}  exit")
        worst_t = worst_m = 0.0
        rows = per_file(tmp, {**control, **all_cases})
        (_c, control_s, control_mb, _x), rows = rows[0], rows[1:]
        print(f"{'clean_control':<32} {control_s:>7.2f} {control_mb:>8.0f}  (a clean workbook: the fixed cost of one intake run)")
        for case, wall, mb, code in rows:
            flag = "" if wall <= GOAL_S and mb <= GOAL_MB else "  ← over goal"
            print(f"{case:<32} {wall:>7.2f} {mb:>8.0f}  {code}{flag}")
            worst_t, worst_m = max(worst_t, wall), max(worst_m, mb)
        print(f"worst: {worst_t:.2f} s (goal ≤ {GOAL_S} s), {worst_m:.0f} MB (goal ≤ {GOAL_MB} MB); "
              f"worst less the clean control: {worst_t - control_s:+.2f} s")
        if args.baseline:
            print(f"the same files with the code of {args.baseline} (before/after in this run):")
            print(f"{'case':<32} {'before s':>8} {'after s':>8} {'before MB':>9} {'after MB':>8}")
            base_root = export(args.baseline, tmp)
            for case, data in {**control, **all_cases}.items():  # interleaved case by case: load swings hit both alike
                (_k, wall0, mb0, code0), = per_file(tmp, {case: data}, base_root, "_base")
                (_k, wall, mb, _c), = per_file(tmp, {case: data}, ROOT, "_again")
                print(f"{case:<32} {wall0:>8.2f} {wall:>8.2f} {mb0:>9.0f} {mb:>8.0f}  (exit before {code0})")
        totals = corpus_batch(tmp, all_cases)
        print("corpus as one intake batch:", json.dumps(totals, ensure_ascii=False))
        if not args.skip_ratio:
            print_ratio(args.n, ratio(tmp, args.n, args.repeat))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
