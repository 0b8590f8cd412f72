"""Benchmark of the workbook's own verdict (a script, not a test; figures depend on the machine).

    python benchmarks/bench_native.py                 # size, recalculation, and the full parity corpus
    python benchmarks/bench_native.py --every 10      # a tenth of the mutations
    python benchmarks/bench_native.py --no-parity     # size and recalculation only

Measured in one run:

* the template's size (goal < 300 KB);
* LibreOffice headless converting the filled seed workbook, against converting a
  one-cell workbook in the same run (soffice start-up): the difference is the
  recalculation and load of the template's formulas (goal < 2 s), and the ratio;
* the parity corpus (tests/native/parity.py: examples, native rule fixtures, the ratio boundary
  workbooks, gaps beside 超支/节约 and blank 上年/预算 figures a stated amount or rate supplies, each checkable input +0.01, +1, blanked, ×10, and every numeric input negated, given
  one decimal too many or set to −150 % where a rate may fall): how many workbooks, how many agree
  with ``perfeval check`` (goal: all), and the seconds spent writing, recalculating and comparing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "native"))

from openpyxl import Workbook  # noqa: E402

from parity import CorpusWriter, compare, corpus, examples, recalculate_all  # noqa: E402
from perfeval_xl.examples import ROOT as TEMPLATES, TEMPLATE_NAME  # noqa: E402
from perfeval_xl.outputs.libreoffice import convert  # noqa: E402


def recalc_time(tmp: Path, repeats: int) -> tuple[float, float]:
    blank = tmp / "blank.xlsx"
    wb = Workbook()
    wb.active["A1"] = 1
    wb.save(blank)
    seed = CorpusWriter().write(dict(examples())["seed_furong_2020"], tmp / "seed.xlsx")
    times = {"blank": [], "seed": []}
    for i in range(repeats):  # interleaved, so drift in machine load hits both alike
        for name, path in (("blank", blank), ("seed", seed)):
            t = time.perf_counter()
            convert([path], "xlsx", tmp / f"r{i}")
            times[name].append(time.perf_counter() - t)
    return statistics.median(times["blank"]), statistics.median(times["seed"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--every", type=int, default=1, help="take every n-th mutation")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-parity", action="store_true", help="only the size and the recalculation time")
    args = ap.parse_args()
    size = (TEMPLATES / TEMPLATE_NAME).stat().st_size
    print(f"template size: {size / 1024:.0f} KB (goal < 300 KB)")
    with tempfile.TemporaryDirectory(prefix="bench-native-") as d:
        tmp = Path(d)
        blank, seed = recalc_time(tmp, args.repeats)
        print(f"LibreOffice convert: one-cell workbook {blank:.2f} s, filled seed workbook {seed:.2f} s: "
              f"recalculation and load {seed - blank:.2f} s (goal < 2 s), ratio {seed / blank:.2f}×")
        if args.no_parity:
            return
        members = corpus(args.every)
        writer = CorpusWriter()
        t0 = time.perf_counter()
        paths = [writer.write(raw, tmp / f"c{i:04d}.xlsx") for i, (_, raw) in enumerate(members)]
        t1 = time.perf_counter()
        recalculated = recalculate_all(paths, tmp / "recalc")
        t2 = time.perf_counter()
        problems = [p for p in (compare(a, b) for a, b in zip(paths, recalculated)) if p]
        t3 = time.perf_counter()
        agree = len(members) - len(problems)
        print(f"parity: {agree} of {len(members)} workbooks give the same native findings and counts as perfeval check "
              f"({100 * agree / len(members):.1f} %)")
        print(f"  write {t1 - t0:.0f} s, LibreOffice {t2 - t1:.0f} s ({(t2 - t1) / len(members):.2f} s per workbook), "
              f"compare {t3 - t2:.0f} s; total {t3 - t0:.0f} s")
        for p in problems[:20]:
            print("  DIFFERS", p)


if __name__ == "__main__":
    main()
