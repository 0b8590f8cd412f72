"""Mail → the files in it: MIME walking, encoded file names, nested containers.

* file names in RFC 2231 (``filename*=gbk''%C4%EA``), RFC 2047 encoded words
  inside quotes (``filename="=?GBK?B?…?="``, split across several words too) and
  raw 8-bit GBK/GB18030 headers (anchors.md §5);
* parts without Content-Disposition, inline parts with a file name,
  ``message/rfc822`` (forwarded mail), attached ``.eml``, TNEF ``winmail.dat``
  (tnefparse), Outlook ``.msg`` (only with the optional GPL extra
  ``perfeval-xl[msg]``; the test extra installs it), zip archives with GBK member names
  (``ZipFile(metadata_encoding=…)`` when the UTF-8 flag is not set), nested zips;
* a depth limit and a count limit; archive attachments pass the same zip caps as
  workbooks before anything is inflated.

Names are only ever *display* text here: storage names come from ``sanitise``.
"""

from __future__ import annotations

import email
import email.policy
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from email.header import decode_header
from email.message import Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from typing import Iterable

from ..check.findings import Finding
from .addresses import one_line, parse_sender, valid_address
from ..preflight import Limits, is_workbook_package, scan_zip, sec, sniff
from .mailstream import Streamed, chunks_of, decoded_size, stream_message

WORKBOOK_EXTS = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xlam", ".xls", ".xlt", ".xlsb", ".et", ".ett")
ARCHIVE_EXTS = (".zip",)
SPREADSHEET_TYPES = ("spreadsheet", "ms-excel", "excel")
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
                    "euc-cn": "gb18030", "x-euc-cn": "gb18030"}


@dataclass
class Item:
    """One thing found in a message: a workbook candidate, or a note about something that could not be used."""

    name: str  # as the sender named it (display only)
    origin: str  # where in the message, e.g. "附件2 › winmail.dat › 预算.xlsx"
    data: bytes | None = None
    findings: list[Finding] = field(default_factory=list)
    copy_from: str | None = None  # a file too large to read: stored by streaming copy, never parsed
    stored_name: str | None = None  # the name to store ``copy_from`` under when it is not the item itself (the mail)
    # the whole message is the evidence (too large, or holding an attachment too large to decode): kept under
    # rejected/ as ``stored_name``, copied from ``copy_from`` or, from an mbox or IMAP, streamed from its source
    keep_message: bool = False

    @property
    def is_workbook(self) -> bool:
        return self.data is not None


@dataclass
class Mail:
    """The envelope facts of one message and what it carried."""

    sender: str = ""
    sender_name: str = ""
    to: str = ""
    subject: str = ""
    message_id: str = ""
    date: str = ""  # ISO 8601, from the Date header
    items: list[Item] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)  # INFO about ignored attachments, limits
    size: int = 0

    @property
    def workbooks(self) -> list[Item]:
        return [i for i in self.items if i.is_workbook]


# --- text decoding ------------------------------------------------------------------------------


def _codec(charset: str | None) -> str:
    cs = (charset or "").strip().lower()
    return _CHARSET_ALIASES.get(cs, cs or "utf-8")


def decode_bytes(raw: bytes, charset: str | None = None) -> str:
    """Bytes of a name in an unknown or declared charset: declared, then UTF-8, then GB18030."""
    for cs in ([_codec(charset)] if charset else []) + ["utf-8", "gb18030"]:
        try:
            return raw.decode(cs)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("latin-1")


def _unsurrogate(text: str) -> str:
    """compat32 keeps raw 8-bit header bytes as surrogate escapes: decode them as UTF-8 or GB18030."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    return decode_bytes(text.encode("utf-8", "surrogateescape"))


def decode_words(text: str) -> str:
    """RFC 2047 encoded words anywhere in ``text`` (also where RFC 2047 forbids them, e.g. in quotes)."""
    text = _unsurrogate(text)
    if "=?" not in text:
        return text
    try:
        parts = decode_header(text)
    except Exception:
        return text
    out = []
    for chunk, charset in parts:
        if isinstance(chunk, bytes):
            out.append(decode_bytes(chunk, charset))
        else:
            out.append(chunk)
    # decode_header keeps the whitespace between encoded and plain words as separate chunks
    return "".join(out).strip()


def raw_header(msg: Message, name: str) -> str:
    """A header exactly as sent (encoded words not decoded), or ""."""
    lname = name.lower()
    value = next((v for k, v in msg.raw_items() if k.lower() == lname), None)
    return "" if value is None else str(value)


def header_text(msg: Message, name: str) -> str:
    """A header as text: RFC 2047 words decoded, raw 8-bit bytes read as UTF-8 or GB18030."""
    lname = name.lower()
    value = next((v for k, v in msg.raw_items() if k.lower() == lname), None)
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    return " ".join(decode_words(value).split())


def filename_of(part: Message) -> str:
    """The attachment's file name, decoded, or "" (RFC 2231 → RFC 2047 → raw 8-bit)."""
    for param, header in (("filename", "content-disposition"), ("name", "content-type")):
        try:
            value = _param(part, param, header)
        except Exception:
            value = None
        if not value:
            continue
        if isinstance(value, tuple):  # RFC 2231: (charset, language, percent-decoded text as latin-1)
            charset, _lang, text = value
            raw = text.encode("latin-1", "surrogateescape") if isinstance(text, str) else bytes(text)
            name = decode_bytes(raw, charset)
        else:
            name = decode_words(email.utils.unquote(value))
        name = name.strip().strip('"')
        if name:
            return name
    return ""


def _param(part: Message, param: str, header: str):
    """A header parameter; raw 8-bit header bytes (GBK written without any encoding) decoded first."""
    raw = next((v for k, v in part.raw_items() if k.lower() == header), None)
    if isinstance(raw, str) and any("\udc80" <= ch <= "\udcff" for ch in raw):
        tmp = Message()
        tmp[header] = _unsurrogate(raw)
        return tmp.get_param(param, header=header)
    return part.get_param(param, header=header)


# Windows device names (with or without an extension, any case, trailing dots/spaces ignored by Windows)
_RESERVED = re.compile(r"(?i)^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³]|CONIN\$|CONOUT\$|CLOCK\$)$")
# control characters, characters Windows forbids, and invisible or direction-changing ones (U+202E shows
# "xlsx.exe" as "exe.xslx"): none of them may reach a stored name, the ledger or the summary
_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*\u200b-\u200f\u202a-\u202e\u2060-\u2069\u061c\ufeff\ufff9-\ufffb]")
NAME_MAX_BYTES = 150  # one path component is 255 bytes on Linux; room for "_批注.xlsx", " (2)" and a temp suffix


def display_name(name: str) -> str:
    """A sender's file name for the ledger, receipts and summaries: invisible and direction controls removed."""
    return " ".join(_UNSAFE.sub("", name or "").split())


def sanitise(name: str, default: str = "附件", max_len: int = 80) -> str:
    """A storage name derived from a sender's file name: one path component, printable, bounded.

    Never a path: separators, drive letters, dot-dot and control characters go;
    Chinese characters stay so a reviewer recognises the file. Cut by whole characters to
    at most ``max_len`` characters and ``NAME_MAX_BYTES`` bytes of UTF-8.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name or set(name) <= {"_", "."}:
        name = default
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) > 8 or not ext.isascii():
        stem, ext = name, ""
    stem = stem[: max_len - len(ext) - 1] if ext else stem[:max_len]
    budget = NAME_MAX_BYTES - (len(ext) + 1 if ext else 0)
    while len(stem.encode("utf-8")) > budget:
        stem = stem[:-1]
    stem = stem.rstrip(" .") or default
    if _RESERVED.match(stem.split(".")[0].rstrip(" .")):
        stem = "_" + stem
    return f"{stem}.{ext.lower()}" if ext else stem


def _ext(name: str) -> str:
    n = name.lower().strip()
    i = n.rfind(".")
    return n[i:] if i >= 0 else ""


# --- parsing ---------------------------------------------------------------------------------


def parse_message(raw: bytes) -> Message:
    return email.message_from_bytes(raw, policy=email.policy.compat32)


def _iso_date(msg: Message) -> str:
    value = msg.get("Date")
    if not value:
        return ""
    try:
        return parsedate_to_datetime(str(value)).isoformat()
    except Exception:
        return ""


HEADER_BUDGET = 1 << 20


def read_mail(raw: bytes, limits: Limits | None = None) -> Mail:
    """Everything the intake needs from one RFC 5322 message held in memory. Never raises."""
    return read_mail_stream(chunks_of(raw), limits, size=len(raw))


def read_mail_stream(chunks: Iterable[bytes], limits: Limits | None = None, *, size: int | None = None,
                     original: str | None = None) -> Mail:
    """Everything the intake needs from one message read chunk by chunk. Never raises.

    Reading stops as soon as the message exceeds ``limits.max_message_bytes`` (SEC035, only its
    headers are used); an attachment whose encoded size already exceeds ``max_file_bytes`` is
    never decoded (SEC001). ``size`` is the message's known size, ``original`` the file it came
    from, which is what is kept of an attachment too large to decode.
    """
    limits = limits or Limits()
    # a message the source already says is too large: read only as far as its header needs
    budget = HEADER_BUDGET if size is not None and size > limits.max_message_bytes else limits.max_message_bytes
    try:
        streamed = stream_message(chunks, budget)
    except OSError:
        raise
    except Exception as exc:  # pragma: no cover - the splitter is lenient like the email package
        mail = Mail(size=size or 0)
        mail.items.append(Item("邮件", "邮件", findings=[sec("SEC033", name="邮件", detail=str(exc)[:120])]))
        return mail
    try:
        return _read_streamed(streamed, limits, size, original)
    finally:
        streamed.close()


def _read_streamed(streamed: Streamed, limits: Limits, size: int | None, original: str | None) -> Mail:
    mail = Mail(size=max(size or 0, streamed.size))
    try:
        msg = parse_message(streamed.head if streamed.over else streamed.skeleton)
    except Exception as exc:  # pragma: no cover - the email package is very lenient
        mail.items.append(Item("邮件", "邮件", findings=[sec("SEC033", name="邮件", detail=str(exc)[:120])]))
        return mail
    mail.sender, mail.sender_name, problem = parse_sender(raw_header(msg, "From"), decode_words)
    if problem:
        mail.notes.append(sec("SEC036", detail=problem))
    mail.to = ", ".join(a for _n, a in getaddresses([header_text(msg, "To")]) if a)
    mail.subject = header_text(msg, "Subject")
    mail.message_id = header_text(msg, "Message-ID")
    mail.date = _iso_date(msg)
    if streamed.over or mail.size > limits.max_message_bytes:  # its own file (an .eml) is kept, never parsed
        mail.items.append(Item("邮件", "邮件", copy_from=original, stored_name="邮件原文.eml", keep_message=True,
                               findings=[sec("SEC035", size_mb=f"{mail.size / 2**20:.1f}",
                                             limit_mb=f"{limits.max_message_bytes / 2**20:.1f}")]))
        return mail
    walker = _Walker(limits, mail, streamed, original)
    try:
        walker.message(msg, "", 0)
    except OSError:
        raise
    except Exception as exc:  # a malformed structure the email package let through: report, keep what was found
        mail.items.append(Item("邮件", "邮件", findings=[sec("SEC033", name="邮件", detail=f"邮件结构无法解析（{type(exc).__name__}）")]))
    if not mail.workbooks and not any(i.findings for i in mail.items):
        names = walker.ignored
        shown = "：" + "、".join(names[:5]) if names else ""
        mail.items.append(Item("邮件", "邮件", findings=[sec("SEC030", where="邮件", count=walker.count, names=shown)]))
    return mail


class _Walker:
    def __init__(self, limits: Limits, mail: Mail, streamed: Streamed | None = None, original: str | None = None):
        self.limits = limits
        self.mail = mail
        self.streamed = streamed  # spooled bodies of the message being walked
        self.original = original  # the message's own file, kept in place of an attachment too large to decode
        self.count = 0  # attachments seen, all levels
        self.ignored: list[str] = []
        self.limited = False

    def _limit(self, where: str, what: str, limit: int) -> None:
        if not self.limited:
            self.limited = True
            self.mail.notes.append(sec("SEC032", where=where or "邮件", what=what, limit=limit))
            self.mail.items.append(Item(where or "邮件", where or "邮件", findings=[sec("SEC032", where=where or "邮件", what=what, limit=limit)]))

    def message(self, msg: Message, origin: str, depth: int) -> None:
        if depth > self.limits.max_depth:
            self._limit(origin, "嵌套层数", self.limits.max_depth)
            return
        index = 0
        stack = [msg]
        while stack:
            part = stack.pop(0)
            ctype = part.get_content_type()
            if part.is_multipart() and ctype != "message/rfc822":
                stack[0:0] = list(part.get_payload() or [])
                continue
            if ctype == "message/rfc822":  # a forwarded message: its attachments count as this mail's
                inner = part.get_payload()
                inner = inner[0] if isinstance(inner, list) and inner else None
                index += 1
                if inner is not None:
                    title = filename_of(part) or header_text(inner, "Subject") or "转发邮件"
                    self.message(inner, self._label(origin, title, index), depth + 1)
                continue
            name = filename_of(part)
            disposition = str(part.get("Content-Disposition") or "").split(";")[0].strip().lower()
            if not name and ctype.startswith("text/") and disposition != "attachment":
                continue  # the body
            if not name and ctype.startswith("image/") and disposition != "attachment":
                continue  # inline images of a signature
            body = self.streamed.body_of(part) if self.streamed is not None else None
            index += 1
            label = self._label(origin, name or f"附件{index}", index)
            if body is not None and decoded_size(part, body) > self.limits.max_file_bytes:
                self.too_large(name, ctype, decoded_size(part, body), label)
                continue
            try:
                data = self.streamed.decoded(part, body) if body is not None else part.get_payload(decode=True) or b""
            except OSError:
                raise
            except Exception:
                data = b""
            self.leaf(name, ctype, data, label, depth)

    def too_large(self, name: str, ctype: str, size: int, origin: str) -> None:
        """An attachment whose encoded size already exceeds the file limit: never decoded. A workbook (or what
        could hide one) gets SEC001 and the message's own file is kept for it; anything else is only listed."""
        self.count += 1
        if self.count > self.limits.max_attachments:
            self._limit(origin, "附件数量", self.limits.max_attachments)
            return
        ext = _ext(name)
        candidate = (not name or ext in WORKBOOK_EXTS + ARCHIVE_EXTS + (".eml", ".msg", ".dat")
                     or any(t in ctype for t in SPREADSHEET_TYPES + ("zip", "octet-stream", "rfc822", "tnef", "outlook")))
        if not candidate:
            self.ignored.append(name or ctype)
            self.mail.notes.append(sec("SEC034", name=origin))
            return
        finding = sec("SEC001", size_mb=f"{size / 2**20:.1f}", limit_mb=f"{self.limits.max_file_bytes / 2**20:.1f}")
        self.mail.items.append(Item(name or "附件", origin, findings=[finding], copy_from=self.original,
                                    stored_name="邮件原文.eml", keep_message=True))

    @staticmethod
    def _label(origin: str, name: str, _index) -> str:
        return f"{origin} › {name}" if origin else name

    def attached_message(self, data: bytes, origin: str, depth: int) -> None:
        """An attached .eml, split as the outer message was: only its skeleton is parsed, its big bodies go to a
        spool, and each of its attachments is size-checked before it is decoded (not parsed whole, lines and all)."""
        streamed = stream_message(chunks_of(data), self.limits.max_message_bytes)
        outer, self.streamed = self.streamed, streamed
        try:
            self.message(parse_message(streamed.skeleton), origin, depth + 1)
        finally:
            self.streamed = outer
            streamed.close()

    def leaf(self, name: str, ctype: str, data: bytes, origin: str, depth: int) -> None:
        self.count += 1
        if self.count > self.limits.max_attachments:
            self._limit(origin, "附件数量", self.limits.max_attachments)
            return
        ext = _ext(name)
        kind = sniff(data)
        if ext in WORKBOOK_EXTS or any(t in ctype for t in SPREADSHEET_TYPES):
            self.mail.items.append(Item(name or "工作簿", origin, data=data))
            return
        if ext == ".eml" or ctype == "message/rfc822":
            self.attached_message(data, origin, depth)
            return
        if ext == ".msg" or ctype == "application/vnd.ms-outlook":
            self.outlook(name, data, origin, depth)
            return
        if ctype == "application/ms-tnef" or name.lower() == "winmail.dat":
            self.tnef(name or "winmail.dat", data, origin, depth)
            return
        if kind == "zip":
            try:
                names = zipfile.ZipFile(io.BytesIO(data)).namelist()
            except Exception:
                names = None
            if names is not None and is_workbook_package(names):
                self.mail.items.append(Item(name or "工作簿.xlsx", origin, data=data))
                return
            if ext in ARCHIVE_EXTS or "zip" in ctype or names is not None or ext == "":
                self.archive(name or "附件.zip", data, origin, depth)
                return
        if kind == "ole" and ext == "" and _ole_is_workbook(data):
            self.mail.items.append(Item(name or "工作簿.xls", origin, data=data))
            return
        if ext in ARCHIVE_EXTS:
            self.archive(name, data, origin, depth)
            return
        if not data:
            return
        self.ignored.append(name or ctype)
        self.mail.notes.append(sec("SEC034", name=origin))

    def archive(self, name: str, data: bytes, origin: str, depth: int) -> None:
        if depth + 1 > self.limits.max_depth:
            self._limit(origin, "嵌套层数", self.limits.max_depth)
            return
        scan = scan_zip(data, self.limits, workbook=False)
        if scan.blocked:
            findings = [sec("SEC033", name=name, detail=f.message) if f.rule_id == "SEC015" else f for f in scan.findings]
            self.mail.items.append(Item(name, origin, findings=findings))
            return
        try:
            zf = open_archive(data)
        except Exception as exc:
            self.mail.items.append(Item(name, origin, findings=[sec("SEC033", name=name, detail=f"{type(exc).__name__}")]))
            return
        with zf:
            for info in zf.infolist():
                if info.is_dir() or info.filename.startswith("__MACOSX/") or info.filename.rsplit("/", 1)[-1].startswith(("~$", "._")):
                    continue
                member = info.filename.rsplit("/", 1)[-1]
                try:
                    content = zf.read(info)
                except Exception as exc:
                    self.mail.items.append(Item(member, f"{origin} › {member}", findings=[sec("SEC033", name=member, detail=type(exc).__name__)]))
                    continue
                self.leaf(member, "application/octet-stream", content, f"{origin} › {member}", depth + 1)

    def tnef(self, name: str, data: bytes, origin: str, depth: int) -> None:
        if depth + 1 > self.limits.max_depth:
            self._limit(origin, "嵌套层数", self.limits.max_depth)
            return
        try:
            from tnefparse import TNEF

            tnef = TNEF(data, do_checksum=False)
        except Exception as exc:
            self.mail.items.append(Item(name, origin, findings=[sec("SEC033", name=name, detail=f"winmail.dat 无法解析（{type(exc).__name__}）")]))
            return
        for att in tnef.attachments:
            member = _tnef_name(att, tnef.codepage)
            self.leaf(member, "application/octet-stream", att.data or b"", f"{origin} › {member or '附件'}", depth + 1)

    def outlook(self, name: str, data: bytes, origin: str, depth: int) -> None:
        try:
            import extract_msg  # GPL-3.0: only through the optional extra perfeval-xl[msg]
        except ImportError:
            self.mail.items.append(Item(name or "邮件.msg", origin, findings=[sec("SEC031", name=name or "邮件.msg")]))
            return
        if depth + 1 > self.limits.max_depth:
            self._limit(origin, "嵌套层数", self.limits.max_depth)
            return
        try:
            msg = extract_msg.openMsg(data) if hasattr(extract_msg, "openMsg") else extract_msg.Message(data)
            if depth == 0:
                self._outlook_envelope(msg)
            for att in getattr(msg, "attachments", []):
                member = getattr(att, "longFilename", None) or getattr(att, "shortFilename", None) or "附件"
                payload = getattr(att, "data", b"")
                if not isinstance(payload, (bytes, bytearray)):  # an embedded .msg
                    inner = getattr(payload, "exportBytes", None)
                    payload = inner() if callable(inner) else b""
                    member = member if member.lower().endswith(".msg") else member + ".msg"
                self.leaf(member, "application/octet-stream", bytes(payload), f"{origin} › {member}", depth + 1)
        except Exception as exc:  # a damaged .msg is reported, the batch goes on
            self.mail.items.append(Item(name, origin, findings=[sec("SEC033", name=name, detail=f".msg 无法解析（{type(exc).__name__}）")]))

    def _outlook_envelope(self, msg) -> None:
        """Sender, subject and Message-ID of a .msg given as a source (the receipt goes back to the sender)."""
        def stream(tag: str) -> str:
            try:
                return (msg.getStringStream(f"__substg1.0_{tag}") or "").strip()
            except Exception:  # property absent in this message
                return ""

        name, addr = parseaddr(str(getattr(msg, "sender", "") or ""))
        # PR_SENDER_EMAIL_ADDRESS, then PR_SENT_REPRESENTING_EMAIL_ADDRESS: Outlook fills one or both
        addr = addr if "@" in addr else stream("0C1F") or stream("0065")
        self.mail.sender = addr.strip().lower() if valid_address(addr.strip().lower()) else ""
        self.mail.sender_name = one_line(name or str(getattr(msg, "sender", "") or ""))[:200]
        self.mail.subject = str(getattr(msg, "subject", "") or "")
        self.mail.message_id = str(getattr(msg, "messageId", "") or "")


def _tnef_name(att, codepage: str | None) -> str:
    raw = getattr(att, "_name", b"")
    for p in getattr(att, "mapi_attrs", []):
        if getattr(p, "name", None) == 0x3707:  # PR_ATTACH_LONG_FILENAME
            raw = p.data
            break
    if isinstance(raw, bytes):
        raw = raw.rstrip(b"\x00")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return decode_bytes(raw, codepage if codepage and codepage != "cp1252" else "gb18030")
    return str(raw).strip("\x00")


def _ole_is_workbook(data: bytes) -> bool:
    try:
        import olefile

        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return ole.exists("Workbook") or ole.exists("Book") or ole.exists("EncryptedPackage")
    except Exception:
        return False


def open_archive(data: bytes) -> zipfile.ZipFile:
    """A zip archive whose member names are decoded right: UTF-8 when flagged, else UTF-8 or GBK (GB18030).

    The UTF-8 flag (bit 11) still wins per member; ``metadata_encoding`` applies to the others.
    """
    zf = zipfile.ZipFile(io.BytesIO(data))
    legacy = [i for i in zf.infolist() if not i.flag_bits & 0x800]
    raw = [i.orig_filename.encode("cp437") for i in legacy]
    if not raw or all(r.isascii() for r in raw):
        return zf
    for encoding in ("utf-8", "gb18030"):
        try:
            for r in raw:
                r.decode(encoding)
        except UnicodeDecodeError:
            continue
        zf.close()
        return zipfile.ZipFile(io.BytesIO(data), metadata_encoding=encoding)
    return zf


def archive_items(name: str, data: bytes, limits: Limits | None = None) -> Mail:
    """A .zip given as a source: its workbooks, as if it were a mail attachment."""
    mail = Mail(size=len(data))
    walker = _Walker(limits or Limits(), mail)
    walker.archive(name, data, name, 0)
    if not mail.workbooks and not any(i.findings for i in mail.items):
        shown = "：" + "、".join(walker.ignored[:5]) if walker.ignored else ""
        mail.items.append(Item(name, name, findings=[sec("SEC030", where=f"压缩包 {name} ", count=walker.count, names=shown)]))
    return mail


def msg_items(name: str, data: bytes, limits: Limits | None = None) -> Mail:
    """An Outlook .msg given as a source."""
    mail = Mail(size=len(data))
    walker = _Walker(limits or Limits(), mail)
    walker.outlook(name, data, name, 0)
    if not mail.workbooks and not any(i.findings for i in mail.items):
        mail.items.append(Item(name, name, findings=[sec("SEC030", where=f"{name} ", count=walker.count, names="")]))
    return mail


__all__ = ["Item", "Mail", "archive_items", "decode_words", "filename_of", "msg_items", "open_archive", "read_mail",
           "read_mail_stream", "sanitise"]
