"""Which cells a set of findings marks, and how: shared by the annotated copy and the 校验 button."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..rules.base import Severity

# Excel's "Bad" pink for errors; a gold that stands out from the template's pale-yellow input cells for warnings; light blue for hints.
MARK_RGB = {Severity.ERROR: "FFC7CE", Severity.WARNING: "FFD966", Severity.INFO: "DDEBF7"}
TEXT_RGB = {Severity.ERROR: "9C0006", Severity.WARNING: "9C5700", Severity.INFO: "1F4E78"}


@dataclass
class Mark:
    """What one flagged cell gets: the worst severity among its findings, and their lines."""

    severity: Severity
    lines: list[str] = field(default_factory=list)


def note_line(finding) -> str:
    return f"【{finding.severity.label_zh} {finding.rule_id}】{finding.message}"


def cell_marks(findings) -> dict[tuple[str, str], Mark]:
    """(sheet, address) → Mark for every cell of every finding, in finding order."""
    out: dict[tuple[str, str], Mark] = {}
    for f in findings:
        seen: set[tuple[str, str]] = set()
        for c in f.cells:
            if not c.sheet or not c.address:
                continue
            key = (c.sheet, c.address.replace("$", "").upper())
            if key in seen:  # a finding naming a cell twice (stated and listed) notes it once
                continue
            seen.add(key)
            m = out.get(key)
            if m is None:
                out[key] = Mark(f.severity, [note_line(f)])
            else:
                if f.severity.rank > m.severity.rank:
                    m.severity = f.severity
                m.lines.append(note_line(f))
    return out
