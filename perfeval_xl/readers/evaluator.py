"""The evaluator's entries on the 评分 sheet (得分, 扣分理由 of each evaluator row).

The profile declares the rows; the sheet names each input ``score_<key>_given``
and ``score_<key>_reason``, so reading needs only the workbook's defined names.
A 得分 typed as text is kept as text so the check can say so; it never scores.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from .workbook import WorkbookData, cell_values, parse_ref


def read_given(data: WorkbookData, profile) -> tuple[dict[str, tuple[Decimal | None, str | None]], dict[str, object]]:
    """(key → (得分, 扣分理由), key → a 得分 that is not a number) for the profile's evaluator rows."""
    by_sheet: dict[str, dict[tuple[str, str], str]] = {}
    for item in profile.evaluator_items:
        for what in ("given", "reason"):
            ref = data.defined_names.get(f"score_{item.key.lower()}_{what}")
            at = parse_ref(ref) if ref else None
            if at:
                by_sheet.setdefault(at[0], {})[(item.key, what)] = at[1]
    raw: dict[tuple[str, str], object] = {}
    for sheet, cells in by_sheet.items():
        try:
            got = (data.read_cells or (lambda t, a: cell_values(data.path, t, a)))(sheet, list(cells.values()))
        except Exception:  # a sheet that cannot be read: the STR rules report it
            continue
        for k, a in cells.items():
            raw[k] = got.get(a)
    given, bad = {}, {}
    for item in profile.evaluator_items:
        s, reason = raw.get((item.key, "given")), raw.get((item.key, "reason"))
        number = None
        if isinstance(s, (int, float)) and not isinstance(s, bool):
            number = Decimal(repr(float(s))) if isinstance(s, float) else Decimal(s)
        elif isinstance(s, str) and s.strip():
            try:
                number = Decimal(s.strip())
            except InvalidOperation:
                bad[item.key] = s
        given[item.key] = (number, None if reason in (None, "") else str(reason))
    return given, bad


def given_of_workbook(data: WorkbookData):
    """(profile, entries, non-numbers, where(key, what) → (sheet, A1)) for a workbook with evaluator rows, else None."""
    from ..indicators import PROFILES
    from ..indicators.profile import profile_from_text
    from ..indicators.scoring_sheet_names import PROFILE_NAME

    if not data.path or not data.readable:
        return None
    profile = PROFILES.get(data.profile or "")
    if profile is None:
        at = parse_ref(data.defined_names.get(PROFILE_NAME) or "")
        if not at:
            return None
        try:
            read = data.read_cells or (lambda t, a: cell_values(data.path, t, a))
            profile = profile_from_text(str(read(at[0], [at[1]]).get(at[1])))
        except Exception:  # an embedded profile that no longer reads: nothing to check against
            return None
    if not profile.scored or not profile.evaluator_items:
        return None
    given, bad = read_given(data, profile)

    def where(key: str, what: str) -> tuple[str | None, str | None]:
        at = parse_ref(data.defined_names.get(f"score_{key.lower()}_{what}") or "")
        return at if at else (None, None)

    return profile, given, bad, where


def scorecard_of(data: WorkbookData, fallback: str | None = "V1"):
    """The workbook scored with its own profile and the evaluator's entries; ``fallback`` when its profile is unknown.

    Raises what scoring raises: callers that must never stop (summaries, receipts) catch it.
    """
    from ..indicators import PROFILES, score
    from ..schema.values import typed_values

    found = given_of_workbook(data)  # the evaluator's entries, and an imported profile embedded in the book
    if found:
        profile, given = found[0], found[1]
    else:
        profile, given = PROFILES.get(data.profile or "") or PROFILES.get(fallback or ""), {}
        if profile is None:
            return None
    return score(typed_values(data.raw), profile, given)


def score_summary(data: WorkbookData) -> str | None:
    """"总分 82 分，评价等级：良" or "已评 X / 100 分，尚有 N 项待评" for a readable template; None otherwise."""
    if not getattr(data, "readable", False) or not getattr(data, "is_template", False):
        return None
    try:
        card = scorecard_of(data, fallback=None if data.profile else "V1")
    except Exception:  # a summary line must never stop a check
        return None
    return card.explanation if card else None
