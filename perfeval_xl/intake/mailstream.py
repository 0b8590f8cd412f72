"""A message read as a stream: the size limit applies while the bytes arrive, big bodies never sit in memory.

A 54 MB mail used to be read whole, parsed whole (the email package keeps every body line as a
string, then joins them) and its 40 MB attachment decoded whole before the limits said no: 561 MB.
Here the raw bytes are fed in chunks, with a byte budget (reading stops the moment it is exceeded),
through a splitter that follows the MIME structure line by line — every header block parsed by the
email package's own ``BytesHeaderParser``, boundaries matched as its feed parser matches them (any
enclosing boundary ends a part). A leaf body beyond ``INLINE_MAX`` bytes goes to one temporary
spool file and leaves a placeholder line in the *skeleton*: the message with headers, boundaries
and small bodies only, which the email package then parses as usual. A spooled body is only read
back (and decoded) when its encoded size allows an attachment within the limits.
"""

from __future__ import annotations

import binascii
import secrets
import tempfile
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import Iterable

INLINE_MAX = 64 << 10  # bodies up to this stay in the skeleton (text, signatures, small attachments)
SKELETON_MAX = 4 << 20  # once the skeleton is this large, every further body is spooled whatever its size
CHUNK = 1 << 20
HEADER_MAX = 1 << 20  # one header block; what runs on past it is read as body
_LINE_MAX = 1 << 16  # a longer line cannot be a boundary (70 characters at most) and goes to the body unsplit


@dataclass
class Body:
    """One spooled leaf body: where it sits in the spool, its bytes, and its bytes without line ends."""

    offset: int
    size: int
    chars: int


@dataclass
class Streamed:
    """What the splitter made of a message."""

    skeleton: bytes
    size: int  # bytes read (up to the first past the budget)
    over: bool  # the budget was exceeded: reading stopped, the skeleton holds only the start
    head: bytes  # the top-level header block, for the envelope facts of a refused message
    marker: str
    bodies: list[Body] = field(default_factory=list)
    spool: object = None

    def body_of(self, part: Message) -> Body | None:
        """The spooled body a placeholder part stands for, or None for a body kept in the skeleton."""
        payload = part.get_payload()
        if not isinstance(payload, str) or not payload.startswith(self.marker):
            return None
        try:
            return self.bodies[int(payload[len(self.marker):].strip())]
        except (ValueError, IndexError):
            return None

    def read(self, body: Body) -> bytes:
        self.spool.seek(body.offset)
        return self.spool.read(body.size)

    def decoded(self, part: Message, body: Body) -> bytes:
        """A spooled body decoded by its Content-Transfer-Encoding, as ``get_payload(decode=True)`` would."""
        raw = self.read(body)
        cte = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
        if cte == "base64":
            try:
                return binascii.a2b_base64(raw)
            except binascii.Error:
                pass  # bad padding: the email package's lenient decoder below
        tmp = Message()
        for k, v in part.items():
            tmp[k] = v
        tmp.set_payload(raw.decode("ascii", "surrogateescape"))
        return tmp.get_payload(decode=True) or b""

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()
            self.spool = None


def decoded_size(part: Message, body: Body) -> int:
    """The size the attachment will have once decoded, from its encoded size alone."""
    cte = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    return body.chars * 3 // 4 if cte == "base64" else body.chars


class _Splitter:
    HEAD, BODY = 0, 1

    def __init__(self, budget: int):
        self.budget = budget
        self.size = 0
        self.over = False
        self.marker = f"X-PERFEVAL-SPOOLED-{secrets.token_hex(8)} "
        self.out = bytearray()
        self.head: bytes | None = None
        self.spool = tempfile.TemporaryFile(prefix="perfeval-mail-")
        self.spooled = 0
        self.bodies: list[Body] = []
        self.stack: list[bytes] = []  # boundaries of the enclosing multiparts, outermost first
        self.digest: list[bool] = []  # whether each of them is a multipart/digest (its parts default to message/rfc822)
        self.mode = self.HEAD
        self.header: list[bytes] = []
        self.header_bytes = 0
        self.body = bytearray()
        self.body_file: Body | None = None  # the body being written to the spool
        self.partial = b""
        self.after_boundary = False  # the header block being read opens a part of a multipart
        self.long_line = False  # the line being read is already too long for a boundary

    # --- input --------------------------------------------------------------------------------

    def feed(self, chunk: bytes) -> bool:
        """False once the budget is exceeded (the caller stops reading)."""
        self.size += len(chunk)
        if self.size > self.budget:
            self.over = True
            return False
        data = self.partial + chunk if self.partial else chunk
        start = 0
        while True:
            if self.mode == self.BODY and not self.long_line and not any(data.startswith(b"--" + b, start) for b in self.stack):
                # inside a body only a line starting with "--" and an enclosing boundary can end it: take everything
                # up to the next such line at once (lines of dashes alone must not cost a Python step each)
                found = [i for i in (data.find(b"\n--" + b, start) for b in self.stack) if i >= 0]
                nxt = min(found) if found else -1
                stop = nxt + 1 if nxt >= 0 else data.rfind(b"\n", start) + 1
                if stop > start:
                    self._body_bytes(data[start:stop])
                    start = stop
                    continue
            nl = data.find(b"\n", start)
            if nl < 0:
                break
            self._line(data[start:nl + 1])
            start = nl + 1
        rest = data[start:]
        if len(rest) > _LINE_MAX and self.mode == self.BODY:
            self._body_bytes(rest)  # the head of an overlong line: never a boundary
            self.long_line = True
            rest = b""
        self.partial = bytes(rest)
        return True

    def close(self) -> Streamed:
        if self.partial and not self.over:
            self._line(self.partial)
        self.partial = b""
        if self.mode == self.HEAD and self.header:
            self._end_header(eof=True)
        self._end_body()
        if self.head is None:
            self.head = bytes(self.out) if self.over else b""
        return Streamed(bytes(self.out), self.size, self.over, self.head, self.marker, self.bodies, self.spool)

    # --- structure ----------------------------------------------------------------------------

    def _line(self, line: bytes) -> None:
        if self.long_line:  # the end of an overlong line
            self.long_line = False
            self._body_bytes(line)
            return
        if self.stack and line.startswith(b"--"):
            bare = line.rstrip(b"\r\n").rstrip(b" \t")
            for depth in range(len(self.stack) - 1, -1, -1):
                sep = b"--" + self.stack[depth]
                if bare == sep or bare == sep + b"--":
                    if self.mode == self.HEAD:
                        self._end_header()
                    self._end_body()
                    self.out += line
                    if bare == sep:
                        del self.stack[depth + 1:], self.digest[depth + 1:]
                        self.mode, self.header, self.after_boundary = self.HEAD, [], True
                    else:  # the closing boundary: what follows is that multipart's epilogue
                        del self.stack[depth:], self.digest[depth:]
                        self.mode = self.BODY
                    return
        if self.mode == self.HEAD:
            self.header.append(line)
            self.header_bytes += len(line)
            if line in (b"\n", b"\r\n", b"\r"):
                self._end_header()
            elif self.header_bytes > HEADER_MAX:  # no real header block is this long: the rest is body
                self._end_header(eof=True)
            return
        self._body_bytes(line)

    def _end_header(self, eof: bool = False) -> None:
        block = b"".join(self.header)
        self.header, self.header_bytes = [], 0
        self.out += block
        if self.head is None:
            self.head = block
        self.mode = self.BODY
        if eof:
            return
        msg = BytesHeaderParser(policy=compat32).parsebytes(block)
        in_digest = self.after_boundary and bool(self.digest) and self.digest[-1]
        self.after_boundary = False
        ctype = msg.get_content_type() if msg.get("Content-Type") or not in_digest else "message/rfc822"
        if msg.get_content_maintype() == "multipart":
            boundary = msg.get_boundary()
            if boundary:
                self.stack.append(boundary.encode("utf-8", "surrogateescape"))
                self.digest.append(ctype == "multipart/digest")
        elif ctype == "message/rfc822":
            self.mode = self.HEAD  # the forwarded message's own headers follow at once

    def _body_bytes(self, data: bytes) -> None:
        if self.body_file is None and len(self.body) + len(data) <= INLINE_MAX and len(self.out) < SKELETON_MAX:
            self.body += data
            return
        if self.body_file is None:
            self.body_file = Body(self.spooled, 0, 0)
            self._spool(bytes(self.body))
            self.body = bytearray()
        self._spool(data)

    def _spool(self, data: bytes) -> None:
        self.spool.write(data)
        self.spooled += len(data)
        self.body_file.size += len(data)
        self.body_file.chars += len(data) - data.count(b"\n") - data.count(b"\r")

    def _end_body(self) -> None:
        if self.body_file is not None:
            self.bodies.append(self.body_file)
            self.out += f"{self.marker}{len(self.bodies) - 1}\n".encode()
            self.body_file = None
        elif self.body:
            self.out += self.body
        self.body = bytearray()


def stream_message(chunks: Iterable[bytes], budget: int) -> Streamed:
    """Split a message read chunk by chunk; stops reading as soon as more than ``budget`` bytes arrived."""
    splitter = _Splitter(budget)
    try:
        for chunk in chunks:
            if not splitter.feed(chunk):
                break
        return splitter.close()
    except BaseException:
        splitter.spool.close()
        raise


def chunks_of(data: bytes, size: int = CHUNK) -> Iterable[bytes]:
    view = memoryview(data)
    for i in range(0, len(data), size):
        yield bytes(view[i:i + size])


def file_chunks(path: str, size: int = CHUNK) -> Iterable[bytes]:
    with open(path, "rb") as fh:
        yield from iter(lambda: fh.read(size), b"")


__all__ = ["Body", "Streamed", "chunks_of", "decoded_size", "file_chunks", "stream_message"]
