"""Benchmark of the annotated copy (a script, not a test; figures depend on the machine).

    python benchmarks/bench_annotate.py            # 60 copies of the examples and their one-more-万元 mutations
    python benchmarks/bench_annotate.py --n 200

Measured in one run, interleaved file by file so that drift in machine load hits
every side alike, on the same files and reports:

* ``annotate`` (the package patcher) per workbook;
* the check it annotates (``check_path``): the copy's cost as a multiple of the check's own;
* an openpyxl ``load_workbook(rich_text=True)`` + ``save`` of the same file, i.e. the floor of
  the former openpyxl writer: target copy ≤ 0.3× that;
* the former openpyxl writer itself (``annotate_openpyxl``), for reference.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXAMPLES = sorted((ROOT / "workbook_templates" / "examples").glob("*.xlsx"))
TARGET = 0.3


def load_save(path: Path, out: Path) -> None:
    from openpyxl import load_workbook

    load_workbook(path, rich_text=True).save(out)


def ms(fn, *args) -> float:
    gc.collect()
    t = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - t) * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=60, help="number of workbooks (default 60)")
    args = ap.parse_args()

    from perfeval_xl.check import check_path
    from perfeval_xl.outputs.annotate import annotate
    from perfeval_xl.outputs.annotate_openpyxl import annotate_openpyxl

    tmp = Path(tempfile.mkdtemp(prefix="perfeval-bench-annotate-"))
    try:
        files = []
        for i in range(args.n):
            dst = tmp / "in" / f"{i:04d}_{EXAMPLES[i % len(EXAMPLES)].name}"
            dst.parent.mkdir(exist_ok=True)
            shutil.copyfile(EXAMPLES[i % len(EXAMPLES)], dst)
            files.append(dst)
        out = tmp / "out"
        out.mkdir()
        for p in files[: len(EXAMPLES)]:  # warm-up: imports, caches
            r = check_path(p)
            annotate(p, r, out / "warm.xlsx")
            load_save(p, out / "warm2.xlsx")
        t = {"check": [], "copy": [], "load_save": [], "openpyxl_writer": []}
        marks = fallbacks = 0
        for p in files:
            gc.collect()
            t0 = time.perf_counter()
            report = check_path(p)
            t["check"].append((time.perf_counter() - t0) * 1000)
            gc.collect()
            t0 = time.perf_counter()
            res = annotate(p, report, out / f"a_{p.name}")
            t["copy"].append((time.perf_counter() - t0) * 1000)
            marks += res.flagged
            fallbacks += bool(res.warnings)
            t["load_save"].append(ms(load_save, p, out / f"p_{p.name}"))
            t["openpyxl_writer"].append(ms(annotate_openpyxl, p, report, out / f"o_{p.name}"))
        med = {k: statistics.median(v) for k, v in t.items()}
        print(f"annotated-copy benchmark: {args.n} workbooks ({len(EXAMPLES)} examples round-robin), "
              f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}; {marks} cells marked, {fallbacks} openpyxl fallbacks")
        print(f"{'measure (median ms/workbook)':<44}{'ms':>9}")
        for k, label in (("check", "check (check_path)"), ("copy", "annotated copy (package patch)"),
                         ("load_save", "openpyxl load+save"), ("openpyxl_writer", "former openpyxl writer")):
            print(f"{label:<44}{med[k]:>9.1f}")
        ratio = med["copy"] / med["load_save"]
        print(f"{'copy / check':<44}{med['copy'] / med['check']:>9.2f}×")
        print(f"{'copy / openpyxl load+save':<44}{ratio:>9.2f}×   target ≤ {TARGET}×  {'yes' if ratio <= TARGET else 'NO'}")
        print(f"{'copy / former openpyxl writer':<44}{med['copy'] / med['openpyxl_writer']:>9.2f}×")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
