"""How the 评价报告 words a figure: amounts, shares, 完成率, 增减变动, counted lists.

Pure functions over ``Decimal`` (typed values, ``perfeval_xl.schema.values``). Every rate is
computed here with ``ROUND_HALF_UP`` at two decimals, never taken from a stated cell;
a blank figure reads "（未填报）", never 0 (domain.md §3, I10–I14).

Conventions
* money: 万元, two decimals ("2467.08万元"); a negative amount keeps its sign ("-1.51万元").
* rates: percentage points at two decimals ("71.23%").
* 变动额 = 本年 − 上年; 变动率 = 变动额 / |上年| × 100%, undefined when 上年 = 0 ("上年为0");
  the direction word (增加/减少/持平) comes from the sign of 变动额, the figures are absolute.
* 完成率 = 决算 / 预算 × 100%, undefined when 预算 = 0.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterator, Sequence

MISSING = "（未填报）"
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)
MONEY_UNIT = "万元"
# The money unit and decimals of the report being written: the workbook's 封面 declares them (a report
# in 元 prints "123456元", not "123456万元"); ``money_as`` sets them for one report.
_MONEY: ContextVar[tuple[str, int]] = ContextVar("report_money", default=(MONEY_UNIT, 2))


@contextmanager
def money_as(unit: str, places: int) -> Iterator[None]:
    token = _MONEY.set((unit, places))
    try:
        yield
    finally:
        _MONEY.reset(token)


def money_unit() -> str:
    return _MONEY.get()[0]


def money_places() -> int:
    return _MONEY.get()[1]

_CN_DIGITS = "零一二三四五六七八九"


def dec(x: object) -> Decimal | None:
    """A typed numeric value as ``Decimal`` (None stays None; bools are not numbers)."""
    if x is None or isinstance(x, bool):
        return None
    if isinstance(x, Decimal):
        return x
    if isinstance(x, (int, float, str)):
        return Decimal(str(x))
    return None


def q2(x: Decimal) -> Decimal:
    """Two decimals, half up (the report's precision for 万元 and %)."""
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def _text(d: Decimal) -> str:
    s = format(d, "f")
    return s[1:] if s.startswith("-") and d == 0 else s  # never print "-0.00"


def num(x: object, places: int = 2) -> str:
    """A figure at fixed decimals ("2467.08", "-1.51"); blank → "（未填报）"."""
    d = dec(x)
    if d is None:
        return MISSING
    if places == 0:
        return _text(d.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return _text(d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def quantity(x: object) -> str:
    """A measured quantity (件, 条, ㎡ …): whole numbers without decimals, else up to two."""
    d = dec(x)
    if d is None:
        return MISSING
    if d == d.to_integral_value():
        return num(d, 0)
    return _text(q2(d).normalize()) if q2(d) != q2(d).to_integral_value() else num(d, 0)


def money(x: object, unit: str | None = None) -> str:
    """"2467.08万元" (in the report's unit and decimals); blank → "（未填报）" (no unit after a blank)."""
    d = dec(x)
    return MISSING if d is None else f"{num(d, money_places())}{unit or money_unit()}"


def persons(x: object, unit: str = "人") -> str:
    d = dec(x)
    return MISSING if d is None else f"{num(d, 0)}{unit}"


def pct(pp: object) -> str:
    """Percentage points at two decimals: 71.226 → "71.23%"; blank → "（未填报）"."""
    d = dec(pp)
    return MISSING if d is None else f"{num(d)}%"


def ratio(numerator: object, denominator: object) -> Decimal | None:
    """numerator / denominator × 100 in percentage points (unrounded); None when undefined."""
    n, d = dec(numerator), dec(denominator)
    if n is None or d is None or d == 0:
        return None
    return n * HUNDRED / d


def share(part: object, total: object) -> Decimal | None:
    """占比 in percentage points, two decimals; None when a figure is blank or the total is 0."""
    r = ratio(part, total)
    return None if r is None else q2(r)


def share_phrase(part: object, total: object, of: str = "") -> str:
    """"占85.25%" (or "占本年支出合计的85.25%"); "" when it cannot be computed."""
    s = share(part, total)
    if s is None:
        return ""
    return f"占{of}的{pct(s)}" if of else f"占{pct(s)}"


# -- 增减变动 ----------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """本年 against 上年. ``rate`` is None when 上年 is blank or 0 (变动率 undefined)."""

    current: Decimal | None
    prior: Decimal | None
    amount: Decimal | None
    rate: Decimal | None  # percentage points, two decimals, signed

    @property
    def direction(self) -> str | None:
        if self.amount is None:
            return None
        if self.amount > 0:
            return "增加"
        if self.amount < 0:
            return "减少"
        return "持平"

    @property
    def zero_base(self) -> bool:
        return self.prior is not None and self.prior == 0


def change(current: object, prior: object) -> Change:
    c, p = dec(current), dec(prior)
    if c is None or p is None:
        return Change(c, p, None, None)
    amount = c - p
    rate = None if p == 0 else q2(amount * HUNDRED / abs(p))
    return Change(c, p, amount, rate)


def _rate_words(rate: Decimal, up: bool) -> str:
    word = "增长" if up else "下降"
    if rate == 0:
        return f"{word}不足0.01%"
    return f"{word}{pct(abs(rate))}"


def change_phrase(
    current: object,
    prior: object,
    *,
    unit: str | None = None,
    places: int | None = None,
    prior_label: str = "上年数",
    current_label: str = "本年数",
    lead: str = "与上年相比",
) -> str:
    """The 增减 clause of a sentence, e.g. "与上年相比减少1.51万元，下降71.23%".

    * 上年 blank → "上年数（未填报），无法计算增减变动"
    * 上年 = 0   → "上年为0，本年增加3.00万元，不计算变动率"
    * no change  → "与上年持平"
    """
    ch = change(current, prior)
    if ch.prior is None and ch.current is None:
        return f"{current_label}和{prior_label}{MISSING}，无法计算增减变动"
    if ch.prior is None:
        return f"{prior_label}{MISSING}，无法计算增减变动"
    if ch.current is None:
        return f"{current_label}{MISSING}，无法计算增减变动"
    assert ch.amount is not None
    if ch.amount == 0:
        return "与上年持平" if ch.prior != 0 else "上年、本年均为0，与上年持平"
    size = f"{num(abs(ch.amount), money_places() if places is None else places)}{unit or money_unit()}"
    if ch.zero_base:
        return f"上年为0，本年{ch.direction}{size}，不计算变动率"
    assert ch.rate is not None
    return f"{lead}{ch.direction}{size}，{_rate_words(ch.rate, ch.amount > 0)}"


# -- 完成率 ------------------------------------------------------------------------


def completion(actual: object, budget: object) -> Decimal | None:
    """完成率 = 决算 / 预算 × 100 (two decimals); None when undefined."""
    return share(actual, budget)


def completion_phrase(actual: object, budget: object, *, budget_label: str = "预算数", verb: str = "完成预算的") -> str:
    """"完成预算的24.40%"; explains instead when it cannot be computed."""
    a, b = dec(actual), dec(budget)
    if b is None:
        return f"{budget_label}{MISSING}，无法计算完成率"
    if a is None:
        return f"决算数{MISSING}，无法计算完成率"
    if b == 0:
        return "预算数与决算数均为0" if a == 0 else "预算数为0，不计算完成率"
    return f"{verb}{pct(completion(a, b))}"


# -- clauses for the published text: None when a figure is missing (the sentence drops it) --


def spent_against_budget(actual: object, budget: object) -> str | None:
    """"完成预算的24.40%", or "超预算17.86万元" when the spending exceeds the budget."""
    a, b = dec(actual), dec(budget)
    if a is None or b is None:
        return None
    if b == 0:
        return "预算与决算均为0" if a == 0 else f"无预算安排，超预算{money(a)}"
    if a > b:
        return f"超预算{money(a - b)}"
    return f"完成预算的{pct(completion(a, b))}"


def change_clause(amount: Decimal | None, rate: Decimal | None, prior: Decimal | None, *, rate_stated: bool = False) -> str | None:
    """The 增减 clause from a (signed) amount and rate, either of which may be missing.

    上年 = 0: "上年无此项支出，本年增加3.00万元" (no rate); both years 0: "上年和本年均为0"."""
    if amount is None and rate is None:
        return None
    if prior is not None and prior == 0:
        if amount is None or amount == 0:
            return "上年和本年均为0"
        return f"上年无此项支出，本年增加{money(abs(amount))}"
    if amount is not None and amount == 0 or amount is None and rate == 0:
        return "与上年持平"
    up = (amount if amount is not None else rate) > 0  # type: ignore[operator]
    text = f"与上年相比{'增加' if up else '减少'}"
    if amount is not None:
        text += money(abs(amount))
        if rate is not None:
            text += f"，{'增长' if up else '下降'}{rate_text(abs(rate), rate_stated)}"
    else:
        text = f"与上年相比{'增长' if up else '下降'}{rate_text(abs(rate), rate_stated)}"  # type: ignore[arg-type]
    return text


UP, DOWN = ("增加", "增长"), ("减少", "下降")
OVER, UNDER = ("超支", "超支率"), ("节约", "节约率")


def versus(lead: str, amount: Decimal | None, rate: Decimal | None, *, rate_stated: bool = False,
           up: tuple[str, str] = UP, down: tuple[str, str] = DOWN) -> str | None:
    """A signed difference in words, e.g. "本年预算较上年预算减少1.20万元，下降10.5%" or
    "较预算节约1.80万元，节约率20%"; either figure may be missing, the words follow its sign."""
    if amount is None and rate is None:
        return None
    sign = amount if amount is not None and (amount != 0 or rate is None) else rate
    if sign == 0:
        return f"{lead}持平"
    words = up if sign > 0 else down  # type: ignore[operator]
    parts = []
    if amount is not None:
        parts.append(f"{lead}{words[0]}{money(abs(amount))}")
    if rate is not None:
        parts.append(("" if parts else lead) + f"{words[1]}{rate_text(abs(rate), rate_stated)}")
    return "，".join(parts)


def rate_text(x: Decimal, stated: bool) -> str:
    """A computed rate at two decimals; a stated one as the author wrote it."""
    return pct_as_stated(x) if stated else pct(x)


def pct_as_stated(x: Decimal) -> str:
    """A rate at the precision it was written with ("24.4%", "100%"), two decimals at most."""
    d = q2(x)
    if d == d.to_integral_value():
        return f"{num(d, 0)}%"
    return f"{_text(d.normalize())}%"


# -- counted lists (I14) -----------------------------------------------------------


def listing(what: str, names: Sequence[str], *, unit: str = "个", stated: object = None, sep: str = "、") -> str:
    """"内设机构5个：A、B、C、D、E": the count is the number of names listed.

    A stated count that differs from the list is shown next to it; no names and no
    count reads "内设机构（未填报）", a count without names "下属单位2个，名称（未填报）".
    """
    names = [n for n in (s.strip() for s in names) if n]
    s = dec(stated)
    if not names:
        if s is None:
            return f"{what}{MISSING}"
        if s == 0:
            return f"无{what}"
        return f"{what}{num(s, 0)}{unit}，名称{MISSING}"
    text = f"{what}{len(names)}{unit}：{sep.join(names)}"
    if s is not None and s != len(names):
        text += f"（填报个数为{num(s, 0)}{unit}，与列出的名称数不一致）"
    return text


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (section ordinals)."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def cn_ordinal(n: int) -> str:
    """The second-level heading ordinal: 1 → "（一）"."""
    return f"（{cn_number(n)}）"


def cn_number_value(text: str) -> int | None:
    """Inverse of ``cn_number`` for 一 … 九十九; None for anything else."""
    if not text:
        return None
    if "十" in text:
        head, _, tail = text.partition("十")
        if len(text) > 3 or (head and head not in _CN_DIGITS[2:]) or (tail and tail not in _CN_DIGITS[1:]):
            return None
        tens = _CN_DIGITS.index(head) if head else 1
        return tens * 10 + (_CN_DIGITS.index(tail) if tail else 0)
    if len(text) == 1 and text in _CN_DIGITS[1:]:
        return _CN_DIGITS.index(text)
    return None
