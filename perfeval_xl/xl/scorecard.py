"""The Python engine's scores beside the 评分 sheet's own formulas.

The 评分 sheet computes itself (native formulas or UDFs); the button adds a
复核 column computed by the same engine as ``perfeval check`` and says, row by
row, whether the two agree — a broken formula or a stale UDF shows at once.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..schema import SHEET_BY_ID, col_letter
from ..schema.values import typed_values

SCORING_SHEET = SHEET_BY_ID["scoring"].title
_PROFILE = re.compile(r"评分方案：(?P<id>\w+)")
FIRST_COL = 13  # M: right of the sheet's own table and its 评价组得分/扣分理由 inputs (J, K)


def _row_col(book, name: str) -> tuple[int, int] | None:
    try:
        rng = book.names[name].refers_to_range
    except Exception:  # name missing in this book
        return None
    return rng.row, rng.column


def profile_of(book) -> str | None:
    """The scoring profile the 评分 sheet was generated for (its A2 reads "评分方案：V1 …")."""
    from ..indicators import PROFILES

    if SCORING_SHEET not in {s.name for s in book.sheets}:
        return None
    m = _PROFILE.search(str(book.sheets[SCORING_SHEET].range("A2").value or ""))
    return m.group("id") if m and m.group("id") in PROFILES else None


def given_in(book, profile) -> dict:
    """The evaluator's 得分 and 扣分理由 as typed in the live book (a non-number 得分 counts as blank)."""
    from ..indicators import PROFILES

    out = {}
    for item in PROFILES[profile].evaluator_items:
        got = []
        for what in ("given", "reason"):
            at = _row_col(book, f"score_{item.key.lower()}_{what}")
            got.append(book.sheets[SCORING_SHEET].range(at).value if at else None)
        s, reason = got
        number = Decimal(repr(float(s))) if isinstance(s, (int, float)) and not isinstance(s, bool) else None
        out[item.key] = (number, None if reason in (None, "") else str(reason))
    return out


def write(book, raw: dict[str, object]):
    from ..indicators import score

    profile = profile_of(book)
    if profile is None:
        return None
    sheet = book.sheets[SCORING_SHEET]
    card = score(typed_values(raw), profile, given_in(book, profile))
    placed = []
    for item in card.items:
        value_at = _row_col(book, f"score_{item.code.lower()}_value")
        score_at = _row_col(book, f"score_{item.code.lower()}_score")
        if value_at:
            placed.append((item, value_at, score_at))
    if not placed:
        return card
    header_row = min(r for _, (r, _c), _s in placed) - 1
    k, l, m_ = (col_letter(FIRST_COL + i) for i in range(3))
    sheet.range((header_row, FIRST_COL)).value = [["复核：指标值", "复核：得分", "与表内一致"]]
    for item in card.items:  # evaluator rows: the 复核 of the score the sheet derives from the entry
        score_at = _row_col(book, f"score_{item.code.lower()}_score") if item.evaluator else None
        if score_at:
            placed.append((item, score_at, score_at))
    for item, (row, vcol), score_at in placed:
        value = item.value
        if value is not None and item.unit == "%":
            value = value / Decimal(100)  # the sheet holds percentages as fractions
        score_cell = f"{col_letter(score_at[1])}{score_at[0]}" if score_at else None
        agree = (
            f'=IF(AND(ISNUMBER({score_cell}),ISNUMBER({l}{row})),IF(ROUND({score_cell},2)=ROUND({l}{row},2),"一致","不一致"),'
            f'IF(AND(NOT(ISNUMBER({score_cell})),NOT(ISNUMBER({l}{row}))),"一致","不一致"))'
            if score_cell
            else ""
        )
        sheet.range((row, FIRST_COL)).value = [
            [float(value) if value is not None else "", float(item.score) if item.score is not None else "", agree]
        ]
        if item.unit == "%":
            sheet.range((row, FIRST_COL)).number_format = "0.00%"
    total_at = _row_col(book, "score_total")
    if total_at:  # the total, or what is still open ("已评 X / 100 分，尚有 N 项待评")
        sheet.range((total_at[0], FIRST_COL + 1)).value = float(card.total) if card.total is not None else card.explanation
    return card
