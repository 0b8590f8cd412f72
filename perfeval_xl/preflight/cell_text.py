"""Over-long cell text (SEC009), found while a sheet or shared-strings part is inflated, before any reader.

Excel keeps at most 32,767 characters in one cell; a part that holds more in one cell was not
written by Excel from a filled-in template, and a reader given a 30 MB string spends seconds and
hundreds of MB on it. Two passes, both streaming with bounded memory:

* ``TextSpan`` rides along the pre-flight's single inflate of every sheet and shared-strings part and
  only looks at byte distances, which bound the characters from above (a character is at least one
  byte of UTF-8, an entity more than one character): the longest run between two ``<``, the longest
  shared string (from one ``<si`` to the next) and the longest inline string (``<is>`` to ``</is>``);
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
_LONG_RUN = re.compile(rb"[^<]{%d}" % (EXCEL_CELL_TEXT_MAX + 1))
_SI = re.compile(rb"<(?:[\w.-]+:)?si[\s>/]")
_IS = re.compile(rb"<(/?)(?:[\w.-]+:)?is([\s>/])")


class TextSpan:
    """Upper bounds, from byte distances, of the longest text one cell of a part can hold."""

    def __init__(self, shared_strings: bool, limit: int = EXCEL_CELL_TEXT_MAX):
        self.shared = shared_strings
        self.limit = limit
        self.run = 0  # bytes since the last "<" (a tag's own bytes included: an overestimate is harmless)
        self.pos = 0  # bytes of the part seen so far
        self.last_si = None  # offset of the latest <si
        self.open_is = None  # offset of an inline string's <is> not yet closed (its rich-text runs add up)
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
            longest = max(self.run + first, len(chunk) - last - 1)
            if longest > self.limit or (last - first > self.limit and _LONG_RUN.search(chunk, first, last)):
                self.suspect = True
            self.run = len(chunk) - last - 1
        if self.run > self.limit:
            self.suspect = True
        window = self.tail + chunk
        seen = len(self.tail)  # a tag wholly inside the carried tail was counted with the previous chunk
        offset = self.pos - seen
        if self.shared:
            for m in _SI.finditer(window):
                if m.end() <= seen:
                    continue
                at = offset + m.start()
                if self.last_si is not None and at - self.last_si > self.limit:
                    self.suspect = True
                self.last_si = at
        else:
            for m in _IS.finditer(window):
                if m.end() <= seen:
                    continue
                at = offset + m.start()
                if m.group(1):  # </is>
                    if self.open_is is not None and at - self.open_is > self.limit:
                        self.suspect = True
                    self.open_is = None
                elif m.group(2) != b"/":
                    self.open_is = at
        self.pos += len(chunk)
        self.tail = window[-16:]

    def needs_count(self) -> bool:
        """True when the bounds allow a cell text over the limit: the part must be counted exactly."""
        if self.suspect:
            return True
        if self.shared and self.last_si is not None and self.pos - self.last_si > self.limit:
            return True
        return self.open_is is not None and self.pos - self.open_is > self.limit


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
