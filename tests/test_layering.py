"""Declarations stay apart from the edges: the schema, rules and indicators import no I/O library."""

from __future__ import annotations

import subprocess
import sys

EDGE_LIBRARIES = ("openpyxl", "xlwings", "python_calamine", "docx", "imaplib", "smtplib", "sqlite3", "pandas")


def test_declarations_import_no_io_library():
    code = (
        "import sys\n"
        "import perfeval_xl.schema, perfeval_xl.rules.registry, perfeval_xl.indicators, perfeval_xl.template.layout\n"
        f"print(','.join(m for m in {EDGE_LIBRARIES!r} if m in sys.modules))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "", f"declarations pulled in: {r.stdout.strip()}"


def test_checking_values_needs_no_spreadsheet_library():
    """The engine every front end shares runs on field values alone."""
    code = (
        "import sys\n"
        "from perfeval_xl.check import check_values\n"
        "check_values({'exp.total_year': 1.0, 'exp.basic': 0.5, 'exp.project': 0.5})\n"
        f"print(','.join(m for m in {EDGE_LIBRARIES!r} if m in sys.modules))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "", f"the engine pulled in: {r.stdout.strip()}"
