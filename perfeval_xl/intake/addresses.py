"""Mail addresses: parsed from the raw header before any display name is decoded, and validated.

An RFC 2047 display name can decode to ``"x\\r\\nBcc: a@evil"`` or ``"a@evil, "``: parsing the
decoded text would take that as the address. So the raw header is split into address and
display name first (an encoded word is one atom there), and only the name is decoded. A reply
goes only to an address that passes ``valid_address`` — the one registered for the department
when the expected list has one.
"""

from __future__ import annotations

import re
from email.utils import getaddresses

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def valid_address(addr: str | None) -> bool:
    """One plain ``local@domain.tld`` address: no spaces, commas, brackets or line breaks, at most 254 characters."""
    return bool(addr) and len(addr) <= 254 and _ADDRESS.fullmatch(addr) is not None


def one_line(text: str) -> str:
    """Display text with control characters (CR, LF, …) replaced by spaces."""
    return " ".join(_CONTROL.sub(" ", text or "").split())


def parse_sender(raw_header: str, decode) -> tuple[str, str, str | None]:
    """(address, display name, problem) of a raw ``From`` header; ``decode`` turns encoded words into text.

    The address is "" when the header does not hold exactly one valid address.
    """
    if not raw_header:
        return "", "", "缺少发件人"
    pairs = [(n, a) for n, a in getaddresses([raw_header]) if a or n]
    if len(pairs) != 1:
        return "", one_line(decode(raw_header))[:200], f"发件人字段含 {len(pairs)} 个地址"
    name, addr = pairs[0]
    addr = addr.strip().lower()
    name = one_line(decode(name))[:200]
    if not valid_address(addr):
        return "", name, f"发件人地址无效（{one_line(addr)[:80]}）"
    return addr, name, None


__all__ = ["one_line", "parse_sender", "valid_address"]
