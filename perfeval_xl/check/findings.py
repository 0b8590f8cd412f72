"""The findings model shared by every front end (CLI, Excel button, intake).

A finding is a flat record; a report is data. The JSON form is versioned
(``REPORT_SCHEMA_VERSION``) and documented in docs/report-json.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..rules.base import Severity
from ..schema.layout import a1_position

REPORT_SCHEMA_VERSION = "1.0"


@dataclass(frozen=True)
class CellRef:
    """One cell a finding involves: where it is, which field, what it holds."""

    sheet: str | None
    address: str | None
    field_id: str | None = None
    value: object = None
    role: str = ""  # stated | term | listed | input | formula | ...

    def to_dict(self) -> dict:
        from ..outputs.serialize import jsonable

        return {
            "sheet": self.sheet,
            "address": self.address,
            "field_id": self.field_id,
            "value": jsonable(self.value),
            "role": self.role,
        }


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: Severity
    message: str  # Chinese, rendered from the rule's template
    cells: tuple[CellRef, ...] = ()
    expected: Decimal | str | None = None
    actual: Decimal | str | None = None
    difference: Decimal | None = None
    rounding: bool = False  # a 舍入差异: explained by the declared precision
    title: str = ""
    params: dict = field(default_factory=dict, hash=False, compare=False)
    formula_blind: bool = False  # a native rule's finding that no formula can see (a date Excel made of a number)

    @property
    def primary(self) -> CellRef | None:
        return self.cells[0] if self.cells else None

    @property
    def native(self) -> bool:
        """Whether the workbook's own formulas report this finding too (rules/native.py)."""
        from ..rules.native import native_ids

        return self.rule_id in native_ids() and not self.formula_blind

    def sort_key(self) -> tuple:
        c = self.primary
        return (c.sheet or "" if c else "", a1_position(c.address) if c else (0, 0), self.rule_id, self.message)

    def to_dict(self) -> dict:
        from ..outputs.serialize import jsonable

        return {
            "rule_id": self.rule_id,
            "severity": self.severity.value,
            "severity_zh": self.severity.label_zh,
            "title": self.title,
            "message": self.message,
            "rounding": self.rounding,
            "native": self.native,
            "cells": [c.to_dict() for c in self.cells],
            "expected": jsonable(self.expected),
            "actual": jsonable(self.actual),
            "difference": jsonable(self.difference),
            "params": {k: jsonable(v) for k, v in sorted(self.params.items())},
        }


@dataclass
class Report:
    """The result of checking one workbook."""

    file: str
    sha256: str = ""
    size: int = 0
    template_id: str | None = None
    template_version: str | None = None
    ruleset_version: str = ""
    checked_at: str = ""
    duration_ms: float = 0.0
    findings: list[Finding] = field(default_factory=list)
    checked: bool = True  # False: the file could not be checked at all (exit code 2)

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Severity}
        for f in self.findings:
            out[f.severity.value] += 1
        return out

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def passed(self) -> bool:
        """合格: checked and no 错误 (warnings and hints do not fail a submission)."""
        return self.checked and not self.has_errors

    def to_dict(self) -> dict:
        return {
            "schema_version": REPORT_SCHEMA_VERSION,
            "file": self.file,
            "sha256": self.sha256,
            "size": self.size,
            "template_id": self.template_id,
            "template_version": self.template_version,
            "ruleset_version": self.ruleset_version,
            "checked_at": self.checked_at,
            "duration_ms": round(self.duration_ms, 3),
            "checked": self.checked,
            "passed": self.passed,
            "counts": self.counts(),
            "findings": [f.to_dict() for f in self.findings],
        }
