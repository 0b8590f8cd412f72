"""Benchmark of `perfeval check` against the floor set by the libraries it uses.

    python benchmarks/bench_check.py              # 200 copies of the examples
    python benchmarks/bench_check.py --n 1000     # the peak-RSS target is stated for 1,000 files
    python benchmarks/bench_check.py --profile    # plus cProfile of check and annotate

Measured in one run, on the same files:

* full check (``check_path``) per workbook vs a raw python-calamine read
  (open + ``to_python()`` of every sheet): target ≤ 3×;
* the annotated copy (``annotate``, given the report) vs an openpyxl
  load + save of the same file: target ≤ 1.2×;
* peak RSS of a fresh process running ``perfeval check DIR -q`` over all N
  files: target < 300 MB for 1,000 files.

Timings are interleaved file by file (check, raw, check, raw, …) so that drift
in machine load hits both sides alike. This is a script, not a test: the
figures depend on the machine.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

EXAMPLES = sorted((ROOT / "workbook_templates" / "examples").glob("*.xlsx"))
TARGET_CHECK, TARGET_ANNOTATE, TARGET_RSS_MB, TARGET_RSS_FILES = 3.0, 1.2, 300, 1000

RSS_CHILD = r"""
import resource, sys, time
t = time.perf_counter()
from perfeval_xl.cli import build_parser, main
if sys.argv[1] == "-":  # baseline: the interpreter with everything a check imports, no file read
    build_parser()
    import perfeval_xl.check, perfeval_xl.readers.workbook, perfeval_xl.outputs.terminal, python_calamine
    code = 0
else:
    code = main(["check", sys.argv[1], "-q"])
wall = time.perf_counter() - t
# VmHWM, not ru_maxrss: on Linux ru_maxrss survives exec, so a child forked from this
# (already large) benchmark process would report the parent's size instead of its own.
try:
    kb = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0])
except (OSError, IndexError):
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"RSS_KB={kb} WALL={wall:.3f} EXIT={code}", file=sys.stderr)
"""


def make_copies(n: int, into: Path) -> list[Path]:
    into.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        src = EXAMPLES[i % len(EXAMPLES)]
        dst = into / f"{i:04d}_{src.name}"
        shutil.copyfile(src, dst)
        out.append(dst)
    return out


def raw_read(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    n = 0
    for name in book.sheet_names:
        n += len(book.get_sheet_by_name(name).to_python())
    return n


def load_save(path: Path, out: Path) -> None:
    from openpyxl import load_workbook

    load_workbook(path).save(out)


def timed(fn, *args) -> float:
    t = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - t) * 1000


def stats(xs: list[float]) -> tuple[float, float]:
    return statistics.median(xs), statistics.fmean(xs)


def bench_check(files: list[Path]) -> dict[str, list]:
    """Per file: check_path, the raw read, and check_path's two halves timed separately."""
    from perfeval_xl.check import check_path, check_workbook
    from perfeval_xl.readers.workbook import read_workbook

    for p in files[: len(EXAMPLES)]:  # warm-up: imports, layout cache, rule registry
        check_path(p)
        raw_read(p)
    out: dict[str, list] = {"check": [], "raw": [], "read": [], "rules": [], "reports": []}
    gc.collect()
    for p in files:
        t = time.perf_counter()
        out["reports"].append(check_path(p))
        out["check"].append((time.perf_counter() - t) * 1000)
        out["raw"].append(timed(raw_read, p))
        t = time.perf_counter()
        data = read_workbook(p)
        t2 = time.perf_counter()
        check_workbook(data)
        out["rules"].append((time.perf_counter() - t2) * 1000)
        out["read"].append((t2 - t) * 1000)
    return out


def bench_annotate(files: list[Path], reports: list, out: Path) -> tuple[list[float], list[float]]:
    from perfeval_xl.outputs.annotate import annotate

    out.mkdir(exist_ok=True)
    annotate(files[0], reports[0], out / "warm.xlsx")
    load_save(files[0], out / "warm2.xlsx")
    ann_ms, plain_ms = [], []
    for p, r in zip(files, reports):
        gc.collect()
        ann_ms.append(timed(annotate, p, r, out / f"a_{p.name}"))
        gc.collect()
        plain_ms.append(timed(load_save, p, out / f"p_{p.name}"))
    return ann_ms, plain_ms


def peak_rss(folder: Path | None) -> tuple[float, float, int]:
    """(peak RSS MB, wall s, exit code) of a fresh interpreter checking ``folder`` (None: imports only)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run(
        [sys.executable, "-c", RSS_CHILD, str(folder) if folder else "-"],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )
    line = next((l for l in proc.stderr.splitlines() if l.startswith("RSS_KB=")), None)
    if line is None:
        raise RuntimeError(f"RSS child failed: {proc.stderr[-2000:]}")
    fields = dict(kv.split("=") for kv in line.split())
    return int(fields["RSS_KB"]) / 1024, float(fields["WALL"]), int(fields["EXIT"])


def profile(label: str, fn, top: int = 18) -> None:
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(top)
    print(f"\n== cProfile: {label} (top {top} by cumulative time) ==")
    print("\n".join(l for l in buf.getvalue().splitlines() if l.strip())[:6000])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=200, help="number of workbook copies (default 200)")
    ap.add_argument("--annotate-sample", type=int, default=40, help="files used for the annotate comparison (default 40)")
    ap.add_argument("--profile", action="store_true", help="print cProfile of check and annotate")
    ap.add_argument("--keep", type=Path, default=None, help="make the copies here and keep them")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="perfeval-bench-")) if args.keep is None else args.keep
    try:
        files = make_copies(args.n, tmp / "in")
        measured = bench_check(files)
        check_ms, raw_ms, reports = measured["check"], measured["raw"], measured["reports"]
        k = min(args.annotate_sample, len(files))
        ann_ms, plain_ms = bench_annotate(files[:k], reports[:k], tmp / "out")
        base_mb, _, _ = peak_rss(None)
        rss_mb, wall_s, code = peak_rss(tmp / "in")

        cm, cmean = stats(check_ms)
        rm, rmean = stats(raw_ms)
        am, amean = stats(ann_ms)
        pm, pmean = stats(plain_ms)
        rss_target = TARGET_RSS_MB if args.n >= TARGET_RSS_FILES else None
        errors = sum(r.counts()["error"] for r in reports)
        print(f"perfeval check benchmark: {args.n} workbooks ({len(EXAMPLES)} examples copied round-robin), "
              f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
        print(f"check results: {sum(r.checked for r in reports)} checked, {errors} errors, "
              f"{sum(len(r.findings) for r in reports)} findings in total")
        print()
        print(f"{'measure':<46}{'median':>10}{'mean':>10}{'ratio':>8}{'target':>8}  ok")
        rows = [
            ("full check, ms/workbook (check_path)", cm, cmean, None, None),
            ("  of which read_workbook (reader)", *stats(measured["read"]), None, None),
            ("  of which check_workbook (rules)", *stats(measured["rules"]), None, None),
            ("raw calamine read, ms/workbook", rm, rmean, None, None),
            ("  check / raw read", None, None, cm / rm, TARGET_CHECK),
            (f"annotate, ms/workbook (n={k})", am, amean, None, None),
            (f"openpyxl load+save, ms/workbook (n={k})", pm, pmean, None, None),
            ("  annotate / load+save", None, None, am / pm, TARGET_ANNOTATE),
        ]
        for name, med, mean, ratio, target in rows:
            cells = f"{med:>10.1f}{mean:>10.1f}" if med is not None else f"{'':>10}{'':>10}"
            r = f"{ratio:>8.2f}" if ratio is not None else f"{'':>8}"
            t = f"{'≤' + format(target, 'g'):>8}" if target else f"{'':>8}"
            ok = ("yes" if ratio <= target else "NO") if target else ""
            print(f"{name:<46}{cells}{r}{t}  {ok}")
        verdict = ("yes" if rss_mb < rss_target else "NO") if rss_target else f"(target is for {TARGET_RSS_FILES} files)"
        print(f"{'peak RSS, perfeval check DIR -q, MB':<46}{rss_mb:>10.1f}{'':>10}{'':>8}{'<' + str(TARGET_RSS_MB):>8}  {verdict}")
        print(f"{'  of which interpreter + imports, MB':<46}{base_mb:>10.1f}")
        print(f"{'  wall time of that process, s':<46}{wall_s:>10.2f}   (exit code {code}, {wall_s / args.n * 1000:.1f} ms/workbook)")

        if args.profile:
            from perfeval_xl.check import check_path
            from perfeval_xl.outputs.annotate import annotate

            sample = files[: min(30, len(files))]
            profile(f"check_path × {len(sample)}", lambda: [check_path(p) for p in sample])
            profile(
                f"annotate × {min(10, k)}",
                lambda: [annotate(p, r, tmp / "out" / f"prof_{p.name}") for p, r in zip(files[:10], reports[:10])],
            )
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
