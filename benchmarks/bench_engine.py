"""Benchmark of ``check_values`` (the engine alone, no file I/O) — the timed test that used to sit in tests/.

    python benchmarks/bench_engine.py            # 200 interleaved rounds
    python benchmarks/bench_engine.py --n 1000

Measured in one run on the same input (every input field present, as a reader hands them over):

* ``check_values`` on the consistent baseline of tests/rules/baseline.yml: target ≤ 15 ms (best of N);
* against a floor measured alongside it: converting every value to ``Decimal`` once
  (what any checker must at least do), reported as a ratio.

Rounds are interleaved (check, floor, check, floor, …) so machine load hits both alike.
This is a script, not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

TARGET_MS = 15.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="rounds")
    args = ap.parse_args(argv)

    import yaml

    from perfeval_xl.check import check_values
    from perfeval_xl.schema import INPUTS

    baseline = yaml.safe_load((ROOT / "tests" / "rules" / "baseline.yml").read_text(encoding="utf-8"))
    raw = {fid: baseline.get(fid) for fid in INPUTS}

    def floor():
        return [Decimal(repr(v)) for v in raw.values() if isinstance(v, (int, float))]

    findings = check_values(raw)  # warm: compiled structures, caches
    floor()
    checks, floors = [], []
    for _ in range(args.n):
        t = time.perf_counter()
        check_values(raw)
        checks.append(time.perf_counter() - t)
        t = time.perf_counter()
        floor()
        floors.append(time.perf_counter() - t)
    best, med = min(checks) * 1000, statistics.median(checks) * 1000
    fbest = min(floors) * 1000
    print(f"inputs: {len(raw)}, findings on the baseline: {len(findings)}, rounds: {args.n}")
    print(f"check_values: best {best:.2f} ms, median {med:.2f} ms (target best ≤ {TARGET_MS:.0f} ms): "
          f"{'OK' if best <= TARGET_MS else 'MISSED'}")
    print(f"floor (Decimal of every value): best {fbest:.3f} ms; check ÷ floor = {best / fbest:.1f}×")
    return 0 if best <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
