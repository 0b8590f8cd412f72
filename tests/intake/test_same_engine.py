"""One engine, many front ends: the bureau's intake reports exactly what `perfeval check --json` reports."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from perfeval_xl.examples import EXAMPLES, ROOT


def _run(*args):
    return subprocess.run([sys.executable, "-m", "perfeval_xl", *map(str, args)], capture_output=True, text=True)


def test_intake_findings_equal_check_json(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for ex in EXAMPLES:
        shutil.copy(ROOT / "examples" / f"{ex.stem}.xlsx", inbox)
    r = _run("check", "--json", inbox)
    assert r.returncode in (0, 1), r.stderr
    cli = {}
    for report in json.loads(r.stdout)["files"]:
        name = report["file"].replace("\\", "/").rsplit("/", 1)[-1]
        cli[name] = [
            (f["rule_id"], f["severity"], f["cells"][0]["sheet"] if f["cells"] else None,
             f["cells"][0]["address"] if f["cells"] else None, f["message"])
            for f in report["findings"]
        ]
    r = _run("intake", inbox, "--out", tmp_path / "out", "-q", "--no-annotate")
    assert r.returncode in (0, 1), r.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    intake: dict[str, list] = {}
    for f in summary["findings"]:
        intake.setdefault(f["file"], []).append((f["rule_id"], f["severity"], f["sheet"], f["address"], f["message"]))
    assert set(cli) == {f"{ex.stem}.xlsx" for ex in EXAMPLES}
    for name, findings in cli.items():
        assert intake.get(name, []) == findings, name
    assert sum(len(v) for v in cli.values()) > 10
