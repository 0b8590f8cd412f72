"""Where submissions come from: files, folders, .eml, .mbox, Maildir, .zip, .msg, IMAP.

Every source yields ``Envelope``s in a deterministic order (sorted paths, mailbox
order, IMAP UID order). An envelope is small and picklable: a worker process
turns it into submissions. Its ``key`` is the idempotency key of the ledger:
the SHA-256 of the raw message for mail (its Message-ID and sender are recorded
beside it, never trusted alone), the content hash and path for a loose file.
Its ``received`` time is when it reached us (IMAP INTERNALDATE, the mbox From_
line, the Maildir delivery time, the file time), never the sender's Date header.
Sources are only ever opened for reading.

A message in a file (.eml, Maildir, one message of an mbox) is not read here: the envelope
names the file (and the byte range of an mbox message) and the worker streams it with the
message size limit applied while reading. An IMAP message's size is asked for before its body
is fetched; one over the limit is never fetched, only its header (SEC035).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import imaplib
import mailbox
import os
import re
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import UserError
from ..preflight import Limits
from .mailstream import CHUNK, chunks_of, file_chunks

MAIL_EXTS = (".eml",)
MBOX_EXTS = (".mbox", ".mbx")
IGNORED_NAMES = (".DS_Store", "Thumbs.db", "desktop.ini")
# inside a folder only these are taken (a file named explicitly is always taken)
FOLDER_EXTS = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlsb", ".et", ".eml", ".mbox", ".mbx", ".msg", ".zip")


@dataclass
class Envelope:
    kind: str  # file | mail
    key: str
    source: str  # human-readable origin
    path: str | None = None  # file kind
    raw: bytes | None = None  # mail kind held in memory (IMAP; only the header of one over the size limit)
    received: str = ""  # ISO 8601
    imap_uid: str | None = None
    refused: str | None = None  # why a path is not read at all (a symlink, FIFO, device, unreadable, oversize)
    span: tuple[int, int] | None = None  # mail kind: the byte range of one message inside the mbox ``path``
    size: int = 0  # mail kind: the message's size as the source states it (file size, mbox range, RFC822.SIZE)

    def display(self) -> str:
        return self.source

    def chunks(self) -> Iterator[bytes]:
        """The raw message, chunk by chunk, never whole in memory (mail kind)."""
        if self.raw is not None:
            return chunks_of(self.raw)
        if self.span is not None:
            return mbox_message_chunks(Path(self.path), *self.span)
        return file_chunks(self.path)

    @property
    def whole(self) -> bool:
        """Whether ``chunks`` gives the whole message (not the header alone of one the server was not asked for)."""
        return self.raw is None or len(self.raw) >= self.size

    def message_bytes(self) -> bytes:
        return b"".join(self.chunks())


def message_key(raw: bytes, message_id: str | None = None) -> str:
    """A message is identified by its content: two different messages reusing one Message-ID are two messages
    (the Message-ID and the sender are recorded beside it, never trusted alone); the same bytes fetched
    again are the same message."""
    return "mail:" + hashlib.sha256(raw).hexdigest()


def streamed_key(chunks) -> str:
    """``message_key`` of a message read chunk by chunk."""
    h = hashlib.sha256()
    for chunk in chunks:
        h.update(chunk)
    return "mail:" + h.hexdigest()


def file_key(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return f"file:{h.hexdigest()}:{path.resolve()}"


def _mtime(path: Path) -> str:
    try:
        return dt.datetime.fromtimestamp(os.lstat(path).st_mtime).astimezone().isoformat(timespec="seconds")
    except OSError:
        return ""


def _delivered(file: Path) -> str:
    """A Maildir file name starts with its delivery time in seconds (maildir(5)); else the file time."""
    m = re.match(r"(\d{9,11})\.", file.name)
    if m:
        return dt.datetime.fromtimestamp(int(m.group(1))).astimezone().isoformat(timespec="seconds")
    return _mtime(file)


def _is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() and (path / "new").is_dir()


def iter_sources(sources: list[Path], *, exclude: list[Path] = ()) -> Iterator[Envelope]:
    """Envelopes of every given path, in a stable order. Unknown paths are a usage error (raised before any work)."""
    for src in sources:
        if not src.exists():
            raise UserError(f"找不到来源：{src}")
    excluded = [e.resolve() for e in exclude]
    for src in sources:
        yield from _walk(src, excluded, explicit=True)


def _walk(path: Path, excluded: list[Path], explicit: bool = False) -> Iterator[Envelope]:
    resolved = path.resolve()
    if any(resolved == e or e in resolved.parents for e in excluded):
        return
    try:
        st = os.lstat(path)
    except OSError as exc:
        yield _refused(path, f"无法访问（{exc.strerror or exc}）")
        return
    if stat.S_ISLNK(st.st_mode) and explicit and path.is_dir():
        st = os.stat(path)  # a folder the user named through a link: theirs to choose
    if stat.S_ISLNK(st.st_mode):
        if explicit or path.suffix.lower() in FOLDER_EXTS:  # never followed: it could point at any file on this machine
            yield _refused(path, "符号链接，未跟随读取")
        return
    if not stat.S_ISDIR(st.st_mode) and not stat.S_ISREG(st.st_mode):
        if explicit or path.suffix.lower() in FOLDER_EXTS:
            yield _refused(path, "不是普通文件（管道、设备或套接字）")
        return
    if path.is_dir():
        if _is_maildir(path):
            yield from maildir_envelopes(path)
            return
        try:
            children = sorted(path.iterdir(), key=lambda p: p.name)
        except OSError as exc:
            yield _refused(path, f"文件夹无法读取（{exc.strerror or exc}）")
            return
        for child in children:
            if child.name.startswith((".", "~$")) or child.name in IGNORED_NAMES:
                continue
            yield from _walk(child, excluded)
        return
    if not path.is_file():
        return
    suffix = path.suffix.lower()
    if not explicit and suffix not in FOLDER_EXTS:
        return
    try:
        if suffix in MBOX_EXTS or (suffix == "" and _looks_mbox(path)):
            yield from mbox_envelopes(path)
            return
        if suffix in MAIL_EXTS:  # streamed by the worker, never read whole here
            yield Envelope("mail", streamed_key(file_chunks(str(path))), str(path), path=str(path), received=_mtime(path),
                           size=st.st_size)
            return
        yield Envelope("file", file_key(path), str(path), path=str(path), received=_mtime(path))
    except OSError as exc:  # unreadable: this file is reported, the ones next to it are still taken
        yield _refused(path, f"无法读取（{exc.strerror or exc}）")


def _refused(path: Path, why: str) -> Envelope:
    return Envelope("file", f"refused:{path.absolute()}:{why}", str(path), path=str(path), received=_mtime(path), refused=why)


def _looks_mbox(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(5) == b"From "
    except OSError:
        return False


# A From_ line as delivery agents write it: "From sender Www Mmm dd hh:mm:ss yyyy" (optionally a zone).
_FROM_LINE = re.compile(rb"^From (\S*) +((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) +(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
                        rb" +\d{1,2} +\d{1,2}:\d{2}(?::\d{2})? +(?:[A-Z]{2,5} +|[+-]\d{4} +)?\d{4})\s*$")
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")


def mbox_envelopes(path: Path) -> Iterator[Envelope]:
    """Messages of an mbox file, opened read-only and read line by line (never whole).

    A body line that merely begins "From " (an unescaped mboxo line) does not start a message:
    a boundary is a From_ line with a delivery date, after a blank line (or at the top), followed by
    a header line. The From_ date is when the message was delivered: it orders submissions. Each
    envelope is the byte range of its message; the worker streams it under the message size limit.
    """
    for i, (start, end, delivered) in enumerate(mbox_spans(path)):
        key = streamed_key(mbox_message_chunks(path, start, end))
        yield Envelope("mail", key, f"{path}#{i + 1}", path=str(path), span=(start, end), size=end - start,
                       received=delivered or _mtime(path))


def split_mbox(path: Path) -> Iterator[tuple[bytes, str]]:
    """(raw message, delivery time) of each message: ``mbox_envelopes`` with the bytes read (small boxes, tests)."""
    for start, end, delivered in mbox_spans(path):
        yield b"".join(mbox_message_chunks(path, start, end)), delivered


def mbox_spans(path: Path) -> Iterator[tuple[int, int, str]]:
    """(start, end, delivered) of each message of an mbox: the byte range after its From_ line.

    The box is searched block by block for a line starting "From " (rare: base64 has no spaces);
    only there are the lines around it read, to see whether it is a real From_ line."""
    size = _size(path)
    with open(path, "rb") as fh, open(path, "rb") as look:
        start, delivered = None, ""
        found = [0] if fh.read(5) == b"From " else []
        fh.seek(0)
        base, tail = 0, b""
        while True:
            for p in found:
                got = _from_line_at(look, p)
                if got is not None:
                    if start is not None:
                        yield start, p, delivered
                    start, delivered = got
            block = fh.read(CHUNK)
            if not block:
                break
            data, off = tail + block, base - len(tail)
            found, i = [], data.find(b"\nFrom ")
            while i >= 0:  # the tail is shorter than the token: none is found twice
                found.append(off + i + 1)
                i = data.find(b"\nFrom ", i + 1)
            base += len(block)
            tail = data[-5:]  # a "\nFrom " split between two blocks
        if start is not None:
            yield start, size, delivered


def _from_line_at(fh, p: int) -> tuple[int, str] | None:
    """(start of the message, delivery time) when the line at offset ``p`` begins a message: it follows a blank
    line (or the top of the box), carries a delivery date, and a header line comes next."""
    if p > 0:
        back = min(p, 258)
        fh.seek(p - back)
        before = fh.read(back)[:-1]  # the line before, without its newline
        nl = before.rfind(b"\n")
        if nl < 0 and back == 258:
            return None  # a line of 257 bytes or more is not blank
        if before[nl + 1:].strip():
            return None
    fh.seek(p)
    ahead = fh.read(1 << 12)
    end = ahead.find(b"\n")
    if end < 0:
        return None
    m = _FROM_LINE.match(ahead[:end + 1].rstrip(b"\r\n"))
    if m is None or not _HEADER_LINE.match(ahead[end + 1:]):
        return None
    return p + end + 1, _from_date(m.group(2))


def _size(path: Path) -> int:
    return os.stat(path).st_size


_MBOXRD = re.compile(rb"\n>(>*From )")


def mbox_message_chunks(path: Path, start: int, end: int) -> Iterator[bytes]:
    """One message of an mbox, unquoted (mboxrd ">From "), without the blank line that separates it from the next.

    Read block by block; a block is cut at its last line break so a quoted line is never split (a line
    longer than a block is passed on whole: only a line's start can be quoted)."""
    with open(path, "rb") as fh:
        if end - start >= 2:
            fh.seek(end - 2)
            if fh.read(2) == b"\n\n":
                end -= 1
        fh.seek(start)
        remaining = end - start
        carry, first = b"\n", True  # a line break before the first line: its start is a line start too
        while remaining > 0:
            block = fh.read(min(CHUNK, remaining))
            if not block:
                break
            remaining -= len(block)
            data = carry + block
            cut = data.rfind(b"\n")
            if remaining > 0 and cut > 0:
                out, carry = data[:cut], data[cut:]
            elif remaining > 0 and len(data) <= 1 << 16:
                carry = data
                continue
            else:
                out, carry = data, b""
            out = _MBOXRD.sub(rb"\n\1", out) if b"\n>" in out else out
            if first:
                out, first = out[1:], False
            if out:
                yield out
        if carry:
            out = _MBOXRD.sub(rb"\n\1", carry)
            yield out[1:] if first else out


def _from_date(text: bytes) -> str:
    parts = text.decode("ascii", "replace").split()
    parts = [p for p in parts if not re.fullmatch(r"[A-Z]{2,5}|[+-]\d{4}", p)]
    for fmt in ("%a %b %d %H:%M:%S %Y", "%a %b %d %H:%M %Y"):
        try:
            return dt.datetime.strptime(" ".join(parts), fmt).astimezone().isoformat(timespec="seconds")
        except ValueError:
            continue
    return ""


def maildir_envelopes(path: Path) -> Iterator[Envelope]:
    box = mailbox.Maildir(str(path), factory=None, create=False)
    entries = []
    for key in box.keys():
        try:
            file = Path(path) / box._lookup(key)  # noqa: SLF001 - the stable file name gives a stable order
        except KeyError:
            continue
        entries.append((file.name, key, file))
    for name, _key, file in sorted(entries):  # each message a file of its own, streamed by the worker
        yield Envelope("mail", streamed_key(file_chunks(str(file))), f"{path}/{file.parent.name}/{name}", path=str(file),
                       received=_delivered(file), size=_size(file))


# --- IMAP ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    user: str
    password: str
    mailbox: str = "INBOX"
    ssl: bool = False
    processed: str = "Processed"
    rejected: str = "Rejected"

    @classmethod
    def from_env(cls, env=os.environ) -> "ImapSettings":
        missing = [v for v in ("PERFEVAL_IMAP_HOST", "PERFEVAL_IMAP_USER", "PERFEVAL_IMAP_PASSWORD") if not env.get(v)]
        if missing:
            raise UserError("使用 --imap 需要设置环境变量：" + "、".join(missing) + "（密码不在命令行上传递）")
        ssl = (env.get("PERFEVAL_IMAP_SSL") or "").strip().lower() in ("1", "true", "yes", "on")
        try:
            port = int(env.get("PERFEVAL_IMAP_PORT") or (993 if ssl else 143))
        except ValueError as exc:
            raise UserError("PERFEVAL_IMAP_PORT 必须是端口号") from exc
        return cls(
            host=env["PERFEVAL_IMAP_HOST"], port=port, user=env["PERFEVAL_IMAP_USER"], password=env["PERFEVAL_IMAP_PASSWORD"],
            mailbox=env.get("PERFEVAL_IMAP_MAILBOX") or "INBOX", ssl=ssl,
            processed=env.get("PERFEVAL_IMAP_PROCESSED") or "Processed", rejected=env.get("PERFEVAL_IMAP_REJECTED") or "Rejected",
        )


def _internaldate(meta: bytes) -> str:
    m = re.search(rb'INTERNALDATE "([^"]+)"', meta)
    if not m:
        return ""
    try:
        return dt.datetime.strptime(m.group(1).decode(), "%d-%b-%Y %H:%M:%S %z").isoformat()
    except ValueError:
        return ""


def _quote(mailbox_name: str) -> str:
    return '"' + mailbox_name.replace("\\", "\\\\").replace('"', '\\"') + '"'


class ImapSource:
    """Unseen messages of one mailbox, fetched with BODY.PEEK[] (not marked read until moved).

    The server states each message's size (RFC822.SIZE) before anything is fetched: one over
    ``max_bytes`` is never parsed, only its header, and is recorded with SEC035 and moved to
    the rejected folder like any other refused mail. With ``spool`` (a folder of the output) its
    raw bytes are first copied there in ranges of ``CHUNK`` (``BODY.PEEK[]<start.count>``, never
    whole in memory), so the intake keeps them under rejected/ as the evidence of the refusal."""

    def __init__(self, settings: ImapSettings, timeout: float = 60.0, max_bytes: int = Limits.max_message_bytes,
                 spool: Path | None = None):
        self.s = settings
        self.max_bytes = max_bytes
        self.spool = spool
        self.spooled: list[Path] = []
        try:
            if settings.ssl:
                self.conn = imaplib.IMAP4_SSL(settings.host, settings.port, timeout=timeout)
            else:
                self.conn = imaplib.IMAP4(settings.host, settings.port, timeout=timeout)
            self.conn.login(settings.user, settings.password)
        except (OSError, imaplib.IMAP4.error) as exc:
            raise UserError(f"无法连接 IMAP 服务器 {settings.host}:{settings.port}：{exc}") from exc
        typ, _ = self.conn.select(_quote(settings.mailbox))
        if typ != "OK":
            raise UserError(f"IMAP 邮箱不存在：{settings.mailbox}")
        self.moved = {"processed": 0, "rejected": 0}
        self._ensure(settings.processed)
        self._ensure(settings.rejected)

    def _ensure(self, folder: str) -> None:
        typ, data = self.conn.list('""', _quote(folder))
        if typ == "OK" and data and data[0]:
            return
        self.conn.create(_quote(folder))
        try:
            self.conn.subscribe(_quote(folder))
        except imaplib.IMAP4.error:
            pass

    def envelopes(self) -> Iterator[Envelope]:
        typ, data = self.conn.uid("SEARCH", None, "UNSEEN")
        if typ != "OK":
            raise UserError("IMAP 搜索未读邮件失败")
        uids = sorted((data[0] or b"").split(), key=int)
        for uid in uids:
            typ, parts = self.conn.uid("FETCH", uid, "(RFC822.SIZE INTERNALDATE)")
            if typ != "OK":
                continue
            meta = b" ".join(p[0] if isinstance(p, tuple) else p for p in parts if p)
            size = re.search(rb"RFC822\.SIZE (\d+)", meta)
            size = int(size.group(1)) if size else 0
            received = _internaldate(meta)
            u = uid.decode()
            source = f"imap://{self.s.user}@{self.s.host}/{self.s.mailbox};UID={u}"
            if size > self.max_bytes:  # never downloaded: its header says who sent it, the size says why it is refused
                header = self._fetch(uid, "BODY.PEEK[HEADER]") or b""
                key = "mail:" + hashlib.sha256(b"RFC822.SIZE %d\r\n" % size + header).hexdigest()
                kept = self._download(uid, size) if self.spool is not None else None
                yield Envelope("mail", key, source, raw=None if kept else header, path=str(kept) if kept else None,
                               size=size, received=received, imap_uid=u)
                continue
            raw = self._fetch(uid, "BODY.PEEK[]")
            if raw is None:
                continue
            yield Envelope("mail", message_key(raw), source, raw=raw, size=len(raw), received=received, imap_uid=u)

    def _download(self, uid: bytes, size: int) -> Path | None:
        """The message copied to the spool folder range by range; None when the server would not give it all."""
        self.spool.mkdir(parents=True, exist_ok=True)
        path = self.spool / f"{uid.decode()}.{secrets.token_hex(4)}.eml"
        self.spooled.append(path)
        with open(path, "wb") as fh:
            got = 0
            while got < size:
                part = self._fetch(uid, f"BODY.PEEK[]<{got}.{min(CHUNK, size - got)}>")
                if not part:
                    break
                fh.write(part)
                got += len(part)
        return path if got >= size else None

    def _fetch(self, uid: bytes, item: str) -> bytes | None:
        typ, parts = self.conn.uid("FETCH", uid, f"({item})")
        if typ != "OK":
            return None
        return next((p[1] for p in parts if isinstance(p, tuple)), None)

    def move(self, uid: str, rejected: bool) -> None:
        folder = self.s.rejected if rejected else self.s.processed
        self.conn.uid("STORE", uid, "+FLAGS", "(\\Seen)")
        caps = self.conn.capabilities
        if "MOVE" in caps:
            typ, _ = self.conn.uid("MOVE", uid, _quote(folder))
        else:
            typ, _ = self.conn.uid("COPY", uid, _quote(folder))
            if typ == "OK":
                self.conn.uid("STORE", uid, "+FLAGS", "(\\Deleted)")
                self.conn.expunge()
        if typ == "OK":
            self.moved["rejected" if rejected else "processed"] += 1

    def close(self) -> None:
        for path in self.spooled:  # each was copied under rejected/ by then
            path.unlink(missing_ok=True)
        try:
            self.conn.close()
        except Exception:
            pass
        try:
            self.conn.logout()
        except Exception:
            pass


__all__ = ["Envelope", "ImapSettings", "ImapSource", "file_key", "iter_sources", "message_key"]
