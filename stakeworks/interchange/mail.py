"""Mail as touches: who wrote to whom and when, read from an mbox, a Maildir or a folder of
.eml files. Only headers are read (From, To, Cc, Date, Message-ID); no body is kept.

An mbox is read line by line in one pass, so memory stays flat however large the file is.
A message whose headers say it may be a delivery-failure report (multipart/report, or from a
mailer daemon, or a failure subject) is read whole and handed to flufl.bounce, GNU Mailman's
bounce detectors: RFC 3464 delivery-status reports and the common non-standard formats
(qmail, Exim, Postfix, ...). Only permanent failures count.
"""

from __future__ import annotations

import hashlib
import heapq
import re
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from email import message_from_bytes
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from functools import lru_cache
from pathlib import Path

from stakeworks.domain.errors import InputError

# The header fields an import reads, each with its continuation lines (RFC 5322 2.2: a field is a
# name, a colon and a value; a line starting with a space or a tab continues it). Located with one
# search over the header block: the stdlib parser builds every field of every message as objects,
# which cost more than all the rest of an import. Addresses and dates are still parsed by
# email.utils; a delivery report is still parsed whole by the stdlib.
_FIELDS = re.compile(rb"^(from|to|cc|date|message-id)[ \t]*:[ \t]*(.*(?:\n[ \t].*)*)", re.IGNORECASE | re.MULTILINE)
# The separator line mbox writers put before each message: "From SENDER Thu Sep  3 10:00:00 2026".
# A body line that merely starts with "From " (writers should escape it as ">From ") is not one.
_SEPARATOR = re.compile(
    rb"From \S+\s+(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+\d"
)
# What makes a message worth reading whole as a possible failure report, in the first 8 KB of its
# headers: a report's content type, a mailer daemon, or failure words on its Subject line. One
# search per message, over the lower-cased headers after a newline (each branch then starts with
# a known letter, which the search skips to; a case-blind one with "^" tried every position).
_MAY_BE_REPORT = re.compile(
    rb"multipart/report|mailer-daemon|postmaster|mail delivery (?:subsystem|system)|"
    rb"\nsubject:[^\r\n]*(?:undeliver|delivery status|delivery (?:has )?failed|failure notice|returned mail|"
    rb"mail delivery fail|could not be delivered|delivery failure)"
)
# Bounds (docs/reliability.md): memory stays flat however large the mailbox or a message is.
MAX_LINE_BYTES = 1 << 20  # a longer line (a 100 MB header) is read in pieces and left out
MAX_HEAD_BYTES = 1 << 20  # a message's headers beyond this are left out
MAX_REPORT_BYTES = 1 << 20  # a larger "delivery report" is read as a plain message
MAX_REPORT_NESTING = 32  # a report with more multipart levels is not handed to the bounce detectors
READ_PIECE = 1 << 16
RECENT_IDS = 8192  # Message-IDs in the dict before they go into the sorted arrays
ADDRESS_HEADERS_KEPT = 8192  # parsed From/To/Cc lines kept for reuse (least recently used go)


@dataclass(frozen=True, slots=True)
class Mail:
    message_id: str
    day: date | None
    sender: str
    emails: frozenset[str]  # From, To and Cc, lower-case
    failed: frozenset[str] = frozenset()  # a delivery-failure report: who could not be reached
    # (address, what the report says of that address, whether it says the address does not exist)
    failures: tuple[tuple[str, str, bool], ...] = ()
    # (address, display name, "from" or "to") of everyone on it, From first, each address once
    people: tuple[tuple[str, str, str], ...] = ()

    @property
    def source(self) -> str:
        """Its identity for a re-import: the Message-ID."""
        return f"mail:{self.message_id}"


def _may_be_report(raw: bytes) -> bool:
    return _MAY_BE_REPORT.search(b"\n" + raw[:8192].lower()) is not None


def _text(value: bytes) -> str:
    """A header's bytes as valid Unicode: UTF-8 read back, any other invalid byte as U+FFFD."""
    return value.decode("utf-8", "replace")


def _fields(head: bytes) -> dict[bytes, list[bytes]]:
    """The From, To, Cc, Date and Message-ID fields of a header block (name lower-case -> each
    value in order, unfolded lines kept as the stdlib's compat32 policy keeps them)."""
    found: dict[bytes, list[bytes]] = {}
    for name, value in _FIELDS.findall(head):
        found.setdefault(name.lower(), []).append(value.rstrip(b"\r\n"))
    return found


@lru_cache(maxsize=ADDRESS_HEADERS_KEPT)
def _addresses(value: bytes) -> tuple[tuple[str, str], ...]:
    """(address lower-case, display name) on one From, To or Cc line."""
    # A mailbox repeats the same From and To lines (our own, the people we write to most) tens of
    # thousands of times: each is parsed once while it keeps coming, in a bounded memory.
    pairs = getaddresses([_text(value)])
    return tuple((a.strip().lower(), " ".join(n.split())[:200]) for n, a in pairs if "@" in a)


def _people(fields: dict[bytes, list[bytes]]) -> tuple[tuple[str, str, str], ...]:
    seen: dict[str, tuple[str, str, str]] = {}
    for way, names in _WAYS:
        for name in names:
            for value in fields.get(name, ()):
                for address, person in _addresses(value):
                    if address not in seen:
                        seen[address] = (address, person, way)
    return tuple(seen.values())


_WAYS = (("from", (b"from",)), ("to", (b"to", b"cc")))


def _day(fields: dict[bytes, list[bytes]]) -> date | None:
    raw = fields.get(b"date")
    if not raw or not raw[0]:
        return None
    try:
        return parsedate_to_datetime(_text(raw[0])).date()  # the sender's own date
    except (TypeError, ValueError, IndexError):
        return None


def _message(head: bytes, whole: bytes | None, skipped: Counter[str]) -> Mail:
    fields = _fields(head)
    people = _people(fields)
    sender = next((a for a, _, way in people if way == "from"), "")
    message_id = " ".join(_text(fields.get(b"message-id", [b""])[0]).split())
    if not message_id:  # no id: one made from what identifies the message
        message_id = "sha1:" + hashlib.sha1(head).hexdigest()
    failures: tuple[tuple[str, str, bool], ...] = ()
    if whole is not None:
        failures = _report(whole, skipped)
    failed = frozenset(a for a, _, _ in failures)
    return Mail(message_id, _day(fields), sender, frozenset(a for a, _, _ in people), failed, failures, people)


def _report(whole: bytes, skipped: Counter[str]) -> tuple[tuple[str, str, bool], ...]:
    """Who a delivery report says could not be reached; a report nested too deeply for the
    parser and the detectors (they recurse per level) is counted and read as no report."""
    if whole.lower().count(b"multipart/") > MAX_REPORT_NESTING:
        skipped[f"delivery reports nested more than {MAX_REPORT_NESTING} levels deep (not read as reports)"] += 1
        return ()
    try:
        return _bounced(message_from_bytes(whole))
    except (RecursionError, ValueError, LookupError):  # a report the parser cannot take apart
        skipped["delivery reports that cannot be taken apart (not read as reports)"] += 1
        return ()


def _bounced(msg: Message) -> tuple[tuple[str, str, bool], ...]:
    """(address, what the report says of it, whether that means the address does not exist) of
    each permanent failure in a delivery-failure report."""
    from flufl.bounce import all_failures

    try:
        _temporary, permanent = all_failures(msg)
    except Exception:  # noqa: BLE001 - a detector choking on a malformed report is not a bounce
        return ()
    addresses = sorted({bytes(a).decode("utf-8", "replace").strip().lower() for a in permanent})
    addresses = [a for a in addresses if "@" in a]
    if not addresses:
        return ()
    statuses = _recipient_statuses(msg)
    text = _report_text(msg)
    out = []
    for address in addresses:
        status, diagnostic = statuses.get(address, ("", ""))
        said = diagnostic or _paragraph_about(text, address)
        out.append((address, " ".join(f"{status} {said}".split())[:300] or "permanent delivery failure",
                    address_gone(status, said)))  # fmt: skip
    return tuple(out)


# An enhanced status code (RFC 3463): class.subject.detail. 5.1.x says the address is bad.
_ENHANCED = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])")
_NO_SUCH = re.compile(
    r"user unknown|unknown user|unknown recipient|no such (user|mailbox|recipient|address|person)|does not exist|"
    r"doesn't exist|no mailbox|mailbox not found|recipient not found|user not found|invalid recipient|"
    r"address rejected|no longer (accepts|available|with)|not a valid (mailbox|recipient)|account (has been )?disabled",
    re.IGNORECASE,
)


def address_gone(status: str, diagnostic: str) -> bool:
    """A failure that says the address does not exist (5.1.x, or words to that effect when the
    report has no code): the only kind that suggests a person left. "Message too big",
    "attachment refused", a full mailbox or a policy block are not."""
    codes = [m.groups() for text in (status, diagnostic) for m in _ENHANCED.finditer(text)]
    # Exim reports a generic 5.0.0 in Status and the server's own code in the diagnostic.
    specific = [c for c in codes if c[1:] != ("0", "0")] or codes
    if specific:
        return specific[0][0] == "5" and specific[0][1] == "1"
    return bool(_NO_SUCH.search(diagnostic))


def _recipient_statuses(msg: Message) -> dict[str, tuple[str, str]]:
    """Address -> (Status, Diagnostic-Code text) of each recipient group of the delivery-status
    parts (RFC 3464: one group per recipient after the per-message fields)."""
    out: dict[str, tuple[str, str]] = {}
    for part in msg.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        groups = part.get_payload()
        for group in groups if isinstance(groups, list) else []:
            if not isinstance(group, Message):
                continue
            recipient = str(group.get("Final-Recipient", "") or group.get("Original-Recipient", ""))
            address = recipient.partition(";")[2].strip().strip("<>").lower() or recipient.strip().lower()
            if "@" not in address:
                continue
            diagnostic = " ".join(str(group.get("Diagnostic-Code", "")).split())
            out.setdefault(address, (str(group.get("Status", "")).strip(), diagnostic.partition(";")[2].strip()
                                     or diagnostic))  # fmt: skip
    return out


def _report_text(msg: Message) -> str:
    """The human-readable text of a report (its first text/plain part, or the whole of a plain one)."""
    for part in msg.walk():
        if part.get_content_type() == "text/plain" and not part.is_multipart():
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload.decode(part.get_content_charset() or "utf-8", "replace")
    return ""


def _paragraph_about(text: str, address: str) -> str:
    """What a report without per-recipient fields says of one address: its paragraph (qmail's
    "<address>:" and the reason, Postfix's "<address>: host ... said: ...")."""
    at = text.lower().find(address)
    if at < 0:
        return ""
    paragraph = text[at:].split("\n\n", 1)[0]
    return " ".join(paragraph.replace(address, "", 1).lstrip(">:").split())


_LINE = MAX_LINE_BYTES + 1  # a line read up to this many bytes is longer than the bound
_BLANK = (b"\n", b"\r\n")
Readline = Callable[[int], bytes]


def _left_out(readline: Readline, skipped: Counter[str]) -> None:
    """The rest of a line longer than MAX_LINE_BYTES, read in pieces and dropped (never held
    whole: a 100 MB header is 64 KB at a time), counted in `skipped`."""
    while (piece := readline(READ_PIECE)) and not piece.endswith(b"\n"):
        pass
    skipped[f"lines longer than {MAX_LINE_BYTES >> 20} MB (left out)"] += 1


def _is_separator(line: bytes) -> bool:
    # The separator's own pattern tells it (a Gmail Takeout mbox has no blank line before some).
    return line.startswith(b"From ") and _SEPARATOR.match(line) is not None


# Each line of a message is looked at by one of the two loops below, inline: a function call per
# line (a generator of lines, a method adding one) cost a tenth of an import.


def _head(readline: Readline, skipped: Counter[str], mbox: bool) -> tuple[bytes, bytes]:
    """A message's header lines (up to MAX_HEAD_BYTES), read up to the blank line after them, and
    the line that ended them: a blank one, the next separator (`mbox`), or b"" at the end."""
    lines: list[bytes] = []
    size = 0
    while line := readline(_LINE):
        if len(line) > MAX_LINE_BYTES:
            _left_out(readline, skipped)
        elif line in _BLANK or (mbox and _is_separator(line)):
            break
        elif size + len(line) > MAX_HEAD_BYTES:
            skipped[f"header lines beyond {MAX_HEAD_BYTES >> 20} MB of one message (left out)"] += 1
        else:
            lines.append(line)
            size += len(line)
    return b"".join(lines), line


def _body(readline: Readline, skipped: Counter[str], mbox: bool, keep: bool) -> tuple[list[bytes] | None, bytes]:
    """A message's body lines when `keep` (a possible report, up to MAX_REPORT_BYTES; None past
    it or when not kept), read up to the next separator (`mbox`), and that line (b"" at the end)."""
    lines: list[bytes] | None = [] if keep else None
    size = 0
    while line := readline(_LINE):
        if len(line) > MAX_LINE_BYTES:
            _left_out(readline, skipped)
        elif mbox and line.startswith(b"From ") and _SEPARATOR.match(line):
            break
        elif lines is not None:
            size += len(line)
            if size > MAX_REPORT_BYTES:
                skipped[f"delivery reports over {MAX_REPORT_BYTES >> 20} MB (read as plain messages)"] += 1
                lines = None
            else:
                lines.append(line)
    return lines, line


def _one_message(readline: Readline, skipped: Counter[str], mbox: bool) -> tuple[bytes, bytes | None, bytes]:
    """(headers, the whole message when it may be a failure report, the line after it)."""
    head, after = _head(readline, skipped, mbox)
    body: list[bytes] | None = None
    if after in _BLANK:
        body, after = _body(readline, skipped, mbox, keep=_may_be_report(head))
    return head, (head + b"\n" + b"".join(body)) if body is not None else None, after


def _split_mbox(readline: Readline, first: bytes, skipped: Counter[str]) -> Iterator[tuple[bytes, bytes | None]]:
    """(headers, the whole message when it may be a failure report) of each message, one pass;
    `first` is the file's first line (what comes before a separator is no message's)."""
    line = first
    if not _is_separator(first):
        _, line = _body(readline, skipped, mbox=True, keep=False)
    while line:  # a separator
        head, whole, line = _one_message(readline, skipped, mbox=True)
        yield head, whole


def _file_message(path: Path, skipped: Counter[str]) -> tuple[bytes, bytes | None]:
    """Headers of one message file (read up to the blank line), and the whole of a failure report."""
    with path.open("rb") as fh:
        head, whole, _ = _one_message(fh.readline, skipped, mbox=False)
    return head, whole


def message_files(path: Path) -> list[Path]:
    """The message files of a Maildir (cur/ and new/) or of a folder of .eml files, by name."""
    if (path / "cur").is_dir() or (path / "new").is_dir():
        return sorted(
            p for sub in ("cur", "new") if (path / sub).is_dir() for p in (path / sub).iterdir() if p.is_file()
        )
    return sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".eml")


def read_mail(path: Path, skipped: Counter[str] | None = None) -> Iterator[Mail]:
    """Every message of an mbox file, a Maildir, a folder of .eml files or one .eml file.

    Memory stays flat in the size of the mailbox and of each message (the bounds above); what
    was left out is counted in `skipped`. A Message-ID that another, different message already
    used gets a suffix from its headers, so neither hides the other."""
    skipped = Counter() if skipped is None else skipped
    seen = _SeenIds(skipped)
    try:
        for head, whole in _raw_messages(path, skipped):
            yield seen.distinct(_message(head, whole, skipped))
    except OSError as exc:
        raise InputError(f"{exc.filename or path}: {exc.strerror or exc}") from None


def _raw_messages(path: Path, skipped: Counter[str]) -> Iterator[tuple[bytes, bytes | None]]:
    if path.is_dir():
        files = message_files(path)
        if not files:
            raise InputError(f"{path}: neither a Maildir (cur/, new/) nor a folder with .eml files")
        for f in files:
            yield _file_message(f, skipped)
        return
    if path.suffix.lower() == ".eml":
        yield _file_message(path, skipped)
        return
    with path.open("rb") as fh:
        first = fh.readline(MAX_LINE_BYTES)
        if not first.startswith(b"From "):
            raise InputError(f"{path}: not an mbox file (it does not start with a 'From ' line)")
        yield from _split_mbox(fh.readline, first, skipped)


class _SeenIds:
    """Message-IDs met so far, each with what tells its message apart, as 64-bit digests: the
    latest in a dict, the rest in two sorted arrays (16 bytes a message, not a dict's ~100: 500,000
    messages ~8 MB), merged in when the dict has grown by an eighth of them. The digests are
    Python's own hashes (SipHash for text; they differ between runs, and live only for this one):
    a keyed digest per message cost more than the rest of its bookkeeping. The suffix that keeps
    a reused id apart is a stable digest, made only for such a message: a re-import makes the same."""

    def __init__(self, skipped: Counter[str]) -> None:
        self.skipped = skipped
        self.recent: dict[int, int] = {}
        self.keys, self.marks = array("Q"), array("Q")

    def distinct(self, mail: Mail) -> Mail:
        key = hash(mail.message_id) & _U64
        mark = hash((mail.day, mail.sender, mail.emails, mail.failed)) & _U64  # the sets' hashes ignore order
        if self._first(key, mark) == mark:  # the first with this id, or another copy of the same message
            return mail
        self.skipped["messages reusing another message's Message-ID (kept apart by their headers)"] += 1
        stable = _digest(f"{mail.day}|{mail.sender}|{','.join(sorted(mail.emails))}|{','.join(sorted(mail.failed))}")
        return replace(mail, message_id=f"{mail.message_id}#{stable:016x}")

    def _first(self, key: int, mark: int) -> int:
        """The mark of the first message with this key (this one's, if it is the first)."""
        found = self.recent.get(key)
        if found is not None:
            return found
        at = bisect_left(self.keys, key)
        if at < len(self.keys) and self.keys[at] == key:
            return self.marks[at]
        self.recent[key] = mark
        if len(self.recent) >= max(RECENT_IDS, len(self.keys) // 8):
            keys, marks = array("Q"), array("Q")
            for k, m in heapq.merge(zip(self.keys, self.marks, strict=True), sorted(self.recent.items())):
                keys.append(k)
                marks.append(m)
            self.keys, self.marks = keys, marks
            self.recent.clear()
        return mark


_U64 = (1 << 64) - 1  # a hash as the unsigned 64 bits the arrays hold


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")
