"""Benchmark of `perfeval intake` (a script, not a test).

Generates N submissions as .eml files from the bundled examples (distinct
departments and distinct bytes), then runs `perfeval intake DIR --out OUT -j J`
as a child process and reports wall time, workbooks/s, ms per workbook, and the
peak RSS (largest single process, and the sum over the process tree sampled from
/proc), next to a raw python-calamine read of the same attachments in the same run.

    python benchmarks/bench_intake.py --no-annotate        # targets: ≥ 50 workbooks/s on 2 cores, peak RSS ≤ 300 MB
    python benchmarks/bench_intake.py -n 200               # with the annotated copy (openpyxl load + save per workbook)
"""

from __future__ import annotations

import argparse
import io
import os
import re
import resource
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "workbook_templates" / "examples").glob("*.xlsx"))


def _with_dept(data: bytes, dept: str) -> bytes:
    """The cover's department cell (封面!B5, the first sheet) set to ``dept`` at the package level."""
    from xml.sax.saxutils import escape

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = re.sub(rb'<c r="B5"([^>]*?)( t="[^"]*")?>.*?</c>',
                              lambda m: b'<c r="B5"' + m.group(1) + b' t="inlineStr"><is><t>' + escape(dept).encode() + b"</t></is></c>",
                              body, count=1, flags=re.S)
            dst.writestr(info, body)
    return out.getvalue()


def _with_comment(data: bytes, comment: bytes) -> bytes:
    """Distinct bytes, same content: a zip archive comment in the end-of-central-directory record."""
    eocd = data.rfind(b"PK\x05\x06")
    return data[: eocd + 20] + struct.pack("<H", len(comment)) + comment


def generate(folder: Path, n: int, departments: int = 50) -> list[Path]:
    import datetime as dt

    bases = [p.read_bytes() for p in EXAMPLES]
    variants = [_with_dept(bases[i % len(bases)], f"基准测试第{i:03d}局") for i in range(departments)]
    folder.mkdir(parents=True, exist_ok=True)
    attachments = folder.parent / "attachments"
    attachments.mkdir(exist_ok=True)
    t0 = dt.datetime(2024, 3, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    paths = []
    for i in range(n):
        data = _with_comment(variants[i % departments], f"submission {i}".encode())
        msg = EmailMessage()
        msg["From"] = f"dept{i % departments:03d}@example.gov.cn"
        msg["To"] = "finance@example.gov.cn"
        msg["Subject"] = f"绩效评价报送 {i}"
        msg["Date"] = format_datetime(t0 + dt.timedelta(minutes=i))
        msg["Message-ID"] = f"<bench-{i}@example.gov.cn>"
        msg.set_content("请查收。")
        msg.add_attachment(data, maintype="application", subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           filename=f"基准测试第{i % departments:03d}局.xlsx")
        path = folder / f"{i:05d}.eml"
        path.write_bytes(bytes(msg))
        (attachments / f"{i:05d}.xlsx").write_bytes(data)
        paths.append(path)
    return paths


def calamine_baseline(folder: Path) -> float:
    """ms per workbook: open with python-calamine and read every sheet, single process."""
    from python_calamine import CalamineWorkbook

    files = sorted(folder.glob("*.xlsx"))
    t = time.perf_counter()
    for f in files:
        book = CalamineWorkbook.from_path(str(f))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return (time.perf_counter() - t) * 1000 / len(files)


def _tree_rss(root_pid: int) -> int:
    """Sum of VmRSS (bytes) over ``root_pid`` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as fh:
                text = fh.read()
        except OSError:
            continue
        ppid = int(re.search(r"PPid:\s+(\d+)", text).group(1))
        m = re.search(r"VmRSS:\s+(\d+) kB", text)
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = int(m.group(1)) * 1024 if m else 0
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def run_intake(inbox: Path, out: Path, jobs: int, annotate: bool) -> dict:
    cmd = [sys.executable, "-m", "perfeval_xl.cli", "intake", str(inbox), "--out", str(out), "-j", str(jobs), "-q"]
    if not annotate:
        cmd.append("--no-annotate")
    peak = [0]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _out, err = proc.communicate()
    wall = time.perf_counter() - t
    sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"intake failed ({proc.returncode}): {err.decode(errors='replace')[-2000:]}")
    max_single = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return {"wall": wall, "peak_tree": peak[0], "peak_single": max_single, "rc": proc.returncode}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=1000, help="number of submissions (.eml)")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="worker processes")
    ap.add_argument("--no-annotate", action="store_true", help="run without the annotated copy")
    ap.add_argument("--keep", type=Path, default=None, help="keep the generated inbox and output here")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="perfeval-bench-")) if args.keep is None else args.keep
    try:
        t = time.perf_counter()
        generate(work / "inbox", args.n)
        gen = time.perf_counter() - t
        baseline = calamine_baseline(work / "attachments")
        res = run_intake(work / "inbox", work / "out", args.jobs, annotate=not args.no_annotate)
        import sqlite3

        db = sqlite3.connect(work / "out" / "ledger.sqlite3")
        n_sub = db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
        statuses = dict(db.execute("SELECT status, COUNT(*) FROM submissions GROUP BY status").fetchall())
        db.close()
        rate = n_sub / res["wall"]
        mode = "无批注副本 (--no-annotate)" if args.no_annotate else "含批注副本"
        print(f"perfeval intake 基准：{args.n} 封 .eml，-j {args.jobs}，{mode}，{os.cpu_count()} 核")
        print(f"  生成用时             {gen:8.1f} s")
        print(f"  登记报送             {n_sub:8d} 份  {statuses}")
        print(f"  总用时（墙钟）       {res['wall']:8.2f} s")
        print(f"  吞吐                 {rate:8.1f} 份/秒")
        print(f"  每份（墙钟）         {1000 * res['wall'] / n_sub:8.2f} ms")
        print(f"  进程时间（×{args.jobs} 进程）{1000 * res['wall'] * args.jobs / n_sub:8.2f} ms")
        print(f"  python-calamine 直读 {baseline:8.2f} ms/份（单进程，读全部工作表）")
        print(f"  峰值 RSS（单进程）   {res['peak_single'] / 2**20:8.1f} MB")
        print(f"  峰值 RSS（进程树合计）{res['peak_tree'] / 2**20:7.1f} MB")
        if args.no_annotate:
            ok = rate >= 50 and res["peak_single"] <= 300 * 2**20
            print(f"  目标 ≥ 50 份/秒、峰值 RSS ≤ 300 MB：{'达到' if ok else '未达到'}")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
