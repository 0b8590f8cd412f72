"""Over-long cell text (SEC009), found while a sheet or shared-strings part is inflated, before any reader.

Excel keeps at most 32,767 characters in one cell; a part that holds more in one cell was not
written by Excel from a filled-in template, and a reader given a 30 MB string spends seconds and
hundreds of MB on it. Two passes, both streaming with bounded memory:

* ``TextSpan`` rides along the pre-flight's single inflate of every sheet and shared-strings part and
  only looks at byte distances, which bound the characters from above (a character is at least one
  byte of UTF-8, an entity more than one character): the longest run between two ``<`` and the longest
  shared or inline string (``<si>`` to ``</si>``, ``<is>`` to ``</is>``), found with a few ``bytes.find``
  per chunk;
* only a part where that bound exceeds the limit (an attack, or a long Chinese text of more than
  32,767 bytes but fewer characters) is inflated again and counted exactly by ``longest_text``, an
  expat parse (the part's prolog has already been checked for DTDs and entities) that adds up the
  characters of a shared or inline string's ``<t>`` runs (phonetic runs excepted) and of each ``<v>``
  and ``<f>``, in UTF-16 code units as Excel counts them.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from typing import Iterable

EXCEL_CELL_TEXT_MAX = 32_767  # characters in one cell, Excel's own limit


def _string_tag(window: bytes, j: int) -> bool | None:
    """At ``j`` an "si>" or "is>": True when it closes a string, False when it opens one, None when it is neither."""
    if j < 0:
        return None
    before = window[max(0, j - 2):j]
    if before.endswith(b"<"):
        return False
    if before == b"</":
        return True
    if before.endswith(b":"):  # a prefixed tag: look back for its "<"
        lt = window.rfind(b"<", max(0, j - 64), j)
        if lt >= 0 and re.fullmatch(rb"/?[\w.-]+:", window[lt + 1:j]):
            return window[lt + 1:lt + 2] == b"/"
    return None


class TextSpan:
    """Upper bounds, from byte distances, of the longest text one cell of a part can hold."""

    def __init__(self, shared_strings: bool, limit: int = EXCEL_CELL_TEXT_MAX):
        self.shared = shared_strings
        self.limit = limit
        self.run = 0  # bytes since the last "<" (a tag's own bytes included: an overestimate is harmless)
        self.pos = 0  # bytes of the part seen so far
        self.needle = b"si>" if shared_strings else b"is>"  # ends the tags of a shared / an inline string
        self.open_at = None  # offset of a string's opening tag not yet closed (its rich-text runs add up)
        self.tail = b""
        self.suspect = False

    def feed(self, chunk: bytes) -> None:
        if self.suspect:
            return
        first = chunk.find(b"<")
        if first < 0:
            self.run += len(chunk)
        else:
            last = chunk.rfind(b"<")
            if self.run + first > self.limit or self._long_run_inside(chunk, first, last):
                self.suspect = True
            self.run = len(chunk) - last - 1
        if self.run > self.limit:
            self.suspect = True
        window = self.tail + chunk
        seen = len(self.tail)  # a tag wholly inside the carried tail was looked at with the previous chunk
        self._strings(window, seen, self.pos - seen)
        self.pos += len(chunk)
        self.tail = window[-64:]

    def _strings(self, window: bytes, seen: int, offset: int) -> None:
        """Whether a shared (``<si>``…``</si>``) or inline (``<is>``…``</is>``) string, rich-text runs and all, may
        span more bytes than the limit.

        No "si>"/"is>" occurs inside such a string, so one longer than the limit holds a whole block of half the
        limit's length without it, preceded by its opening tag; a string that crosses chunks is carried as the
        offset of an opening tag not yet closed. A few C-level finds per chunk, not a step per cell."""
        needle = self.needle
        step = (self.limit + 1) // 2
        first = window.find(needle, max(0, seen - 2))
        if first < 0:
            if self.open_at is not None and offset + len(window) - self.open_at > self.limit:
                self.suspect = True
            return
        if self.open_at is not None and _string_tag(window, first) is True and offset + first - self.open_at > self.limit:
            self.suspect = True
        before, lo = -1, 0  # the last needle ending by k + 2, searched block by block (not from 0 each time)
        for k in range(first, len(window) - step + 1, step):
            j = window.rfind(needle, lo, k + 2)
            before, lo = (j if j >= 0 else before), k + 2 - (len(needle) - 1)
            if window.find(needle, k, k + step) < 0 and _string_tag(window, before) is False:
                self.suspect = True
                return
        last = window.rfind(needle)
        self.open_at = offset + last if _string_tag(window, last) is False else None

    def _long_run_inside(self, chunk: bytes, first: int, last: int) -> bool:
        """Whether a run between two "<" of the chunk may exceed the limit: such a run holds a whole block of half
        the limit's length, aligned from ``first``, with no "<" in it (a few C-level finds per chunk; a run between
        half the limit and the limit is suspected too, and the exact count settles it)."""
        step = (self.limit + 1) // 2
        for k in range(first, last - step + 1, step):
            if chunk.find(b"<", k, k + step) < 0:
                return True
        return False

    def needs_count(self) -> bool:
        """True when the bounds allow a cell text over the limit: the part must be counted exactly."""
        return self.suspect or (self.open_at is not None and self.pos - self.open_at > self.limit)


class _Found(Exception):
    pass


def _units(text: str) -> int:
    """UTF-16 code units, as Excel counts a cell's characters (a character outside the BMP counts two)."""
    n = len(text)
    if text.isascii():
        return n
    return n + sum(1 for ch in text if ord(ch) > 0xFFFF)


class _Counter:
    def __init__(self, limit: int):
        self.limit = limit
        self.group = 0  # characters of the current <si>/<is>
        self.grouped = False
        self.phonetic = 0
        self.in_t = False
        self.in_vf = False
        self.single = 0
        self.index = -1  # shared string number
        self.cell = ""  # r of the current <c>
        self.where = ""
        self.longest = 0

    def start(self, name: str, attrs: dict) -> None:
        local = name.rsplit(":", 1)[-1]
        if local == "c":
            self.cell = attrs.get("r", "")
        elif local in ("si", "is"):
            self.grouped, self.group = True, 0
            if local == "si":
                self.index += 1
        elif local == "rPh":
            self.phonetic += 1
        elif local == "t" and self.grouped and not self.phonetic:
            self.in_t = True
        elif local in ("v", "f") and not self.grouped:
            self.in_vf, self.single = True, 0

    def end(self, name: str) -> None:
        local = name.rsplit(":", 1)[-1]
        if local in ("si", "is"):
            self.grouped = False
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "t":
            self.in_t = False
        elif local in ("v", "f"):
            self.in_vf = False

    def text(self, data: str) -> None:
        if self.in_t:
            self.group += _units(data)
            self._check(self.group)
        elif self.in_vf:
            self.single += _units(data)
            self._check(self.single)

    def _check(self, n: int) -> None:
        if n > self.longest:
            self.longest = n
        if n > self.limit:
            self.where = f"单元格 {self.cell} " if self.cell and not (self.index >= 0 and self.grouped) else (
                f"第 {self.index + 1} 个共享字符串" if self.index >= 0 else "一个单元格")
            raise _Found


def longest_text(chunks: Iterable[bytes], limit: int = EXCEL_CELL_TEXT_MAX) -> tuple[int, str] | None:
    """(characters, where) of the first cell text over ``limit`` in an XML part, or None when none is.

    Stops at the first one: what is past the limit need not be counted. A part that is not
    well-formed is left to the rest of the pre-flight and the reader (None)."""
    counter = _Counter(limit)
    parser = xml.parsers.expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    parser.StartElementHandler = counter.start
    parser.EndElementHandler = counter.end
    parser.CharacterDataHandler = counter.text
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Found:
        return counter.longest, counter.where
    except xml.parsers.expat.ExpatError:
        return None
    return None


__all__ = ["EXCEL_CELL_TEXT_MAX", "TextSpan", "longest_text"]
