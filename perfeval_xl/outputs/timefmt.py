"""Times as a reviewer reads them: 'YYYY-MM-DD HH:MM' in 北京时间.

Reports and ledgers keep ISO 8601 with an offset (exact, sortable); only what a
person reads is converted. The zone is Asia/Shanghai unless PERFEVAL_TZ names
another IANA zone.
"""

from __future__ import annotations

import datetime as dt
import os

TZ_ENV = "PERFEVAL_TZ"
DEFAULT_TZ = "Asia/Shanghai"
_ZONE_LABELS = {DEFAULT_TZ: "北京时间"}


def _zone() -> dt.tzinfo:
    name = os.environ.get(TZ_ENV) or DEFAULT_TZ
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:  # Windows without the tzdata package; China keeps UTC+8 all year
        return dt.timezone(dt.timedelta(hours=8), "UTC+8")


def zone_label() -> str:
    name = os.environ.get(TZ_ENV) or DEFAULT_TZ
    return _ZONE_LABELS.get(name, name)


def local_display(value: dt.datetime | str | None) -> str:
    """'2026-01-01 17:00' for 2026-01-01T09:00:00Z; '' for nothing; unparseable text as given."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if value.tzinfo is None:  # naive times in this project are UTC (engine and ledger write UTC)
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(_zone()).strftime("%Y-%m-%d %H:%M")
