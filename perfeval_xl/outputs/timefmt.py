"""Times as people read them: 北京时间 by default, whatever zone a timestamp was recorded in.

Ledgers, JSON and mail headers keep full ISO 8601 timestamps with their offset
(often UTC: an IMAP server's INTERNALDATE, a CI machine's clock). Everything a
person reads (receipts, summaries, 校验结果, folder names) shows them in one
zone: ``Asia/Shanghai`` unless ``PERFEVAL_TZ`` names another IANA zone, or
``local`` for the machine's own zone. A mail received at 07:30 on 29 March in
Beijing is filed and shown as 29 March, not as 28 March 23:30 UTC.
"""

from __future__ import annotations

import datetime as dt
import os

ENV = "PERFEVAL_TZ"
DEFAULT_ZONE = "Asia/Shanghai"
# China has kept UTC+8 without daylight saving since 1991: exact where no tz database is installed (Windows without tzdata).
_BEIJING = dt.timezone(dt.timedelta(hours=8), "CST")
_LABELS = {DEFAULT_ZONE: "北京时间", "Asia/Chongqing": "北京时间", "Asia/Harbin": "北京时间", "PRC": "北京时间"}


def zone_name() -> str:
    return (os.environ.get(ENV) or DEFAULT_ZONE).strip() or DEFAULT_ZONE


def zone() -> dt.tzinfo:
    """The display zone; an unknown name falls back to 北京时间 rather than failing a batch halfway."""
    name = zone_name()
    if name.lower() == "local":
        return dt.datetime.now().astimezone().tzinfo
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except (ImportError, ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        return _BEIJING


def zone_label() -> str:
    """How the zone is named next to a time: 北京时间, or the configured zone's name."""
    name = zone_name()
    if name.lower() == "local":
        return "本机时间"
    return _LABELS.get(name, name if _known(name) else "北京时间")


def to_local(value: dt.datetime | str | None) -> dt.datetime | None:
    """``value`` (a datetime or ISO 8601 text) in the display zone; None when it is not a time.

    A time without an offset is taken as already local: that is how the machine wrote it.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, dt.datetime):
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=zone())
    return value.astimezone(zone())


def local_display(dt_value) -> str:
    """'YYYY-MM-DD HH:MM' in the display zone; text that is not a time is returned as it was."""
    local = to_local(dt_value)
    if local is None:
        return "" if dt_value is None else str(dt_value)
    return local.strftime("%Y-%m-%d %H:%M")


def local_iso(value) -> str:
    """ISO 8601 in the display zone, offset included (e.g. for a folder name's date); '' when not a time."""
    local = to_local(value)
    return local.isoformat(timespec="seconds") if local is not None else ""


def _known(name: str) -> bool:
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(name)
        return True
    except (ImportError, ValueError, OSError, KeyError):
        return False


__all__ = ["DEFAULT_ZONE", "ENV", "local_display", "local_iso", "to_local", "zone", "zone_label"]
