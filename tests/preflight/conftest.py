"""The pre-flight tests reuse the intake corpus' package builders (VBA projects, macro sheets, OLE files)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "intake"))
