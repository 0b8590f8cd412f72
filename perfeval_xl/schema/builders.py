"""Short constructors so each sheet module reads like the paper form it replaces."""

from __future__ import annotations

from decimal import Decimal

from .field import Field, FieldType

ZERO = Decimal("0")


def money(id: str, label: str, help: str = "", *, required: bool = False, negative: bool = False, **kw) -> Field:
    return Field(id, label, FieldType.MONEY, help=help, required=required, min=None if negative else ZERO, **kw)


def count(id: str, label: str, help: str = "", *, unit: str = "人", required: bool = False, **kw) -> Field:
    kw.setdefault("min", ZERO)
    return Field(id, label, FieldType.COUNT, help=help, unit=unit, required=required, **kw)


def percent(id: str, label: str, help: str = "", *, negative: bool = False, **kw) -> Field:
    kw.setdefault("min", None if negative else ZERO)
    return Field(id, label, FieldType.PERCENT, help=help, **kw)


def number(id: str, label: str, help: str = "", *, unit: str, **kw) -> Field:
    kw.setdefault("min", ZERO)
    return Field(id, label, FieldType.NUMBER, help=help, unit=unit, **kw)


def text(id: str, label: str, help: str = "", *, max_length: int = 100, required: bool = False, **kw) -> Field:
    return Field(id, label, FieldType.TEXT, help=help, max_length=max_length, required=required, **kw)


def longtext(id: str, label: str, help: str = "", *, max_length: int = 2000, **kw) -> Field:
    return Field(id, label, FieldType.LONGTEXT, help=help, max_length=max_length, **kw)


def choice(id: str, label: str, choices: tuple[str, ...], help: str = "", *, required: bool = False, **kw) -> Field:
    return Field(id, label, FieldType.ENUM, help=help, choices=choices, required=required, **kw)


def date(id: str, label: str, help: str = "", *, required: bool = False, **kw) -> Field:
    return Field(id, label, FieldType.DATE, help=help, required=required, **kw)


def listed_names(prefix: str, what: str, n: int, help: str) -> tuple[Field, ...]:
    """A stated count followed by n name slots (domain.md I14: the count must match the list)."""
    return (count(f"{prefix}.count", f"{what}个数（报告所述）", f"报告中写明的{what}个数，应等于下方列出的名称数", unit="个"),) + tuple(
        text(f"{prefix}.name_{i:02d}", f"{what}名称{i}", help if i == 1 else "", max_length=60) for i in range(1, n + 1)
    )
