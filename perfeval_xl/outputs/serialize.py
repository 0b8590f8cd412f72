"""JSON for typed values: Decimals stay exact (written as their decimal text)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal


def jsonable(value: object) -> object:
    if isinstance(value, Decimal):
        # integral values as ints, others as floats whose repr is exactly the decimal text
        if value == value.to_integral_value():
            return int(value)
        f = float(value)
        return f if Decimal(repr(f)) == value else str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def dumps(doc: object, **kw) -> str:
    return json.dumps(doc, ensure_ascii=False, default=jsonable, **kw)
