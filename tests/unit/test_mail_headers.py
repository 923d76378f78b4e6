"""The mail reader finds the From, To, Cc, Date and Message-ID fields itself (one search over a
message's headers, not the stdlib parser's objects for every field): what it reads of each
message is what the standard library's parser (compat32, as `mailbox` uses it) reads of the
same bytes, on folded, repeated, oddly cased and non-ASCII fields and their look-alikes."""

from __future__ import annotations

from collections import Counter
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from stakeworks.interchange.mail import _may_be_report, read_mail

SEPARATOR = b"From someone@example.com Thu Sep  3 10:00:00 2026\n"

HEADS = [
    # folded over lines with CRLF, a quoted name with a comma, a tab continuation
    b'From: "Tanaka, Aiko" <Aiko.Tanaka@Kestrel.example>\r\nTo: alex@ourco.example,\r\n  Sam Lee <sam@vantage'
    b".example>,\r\n\tnew.one@vantage.example\r\nDate: Thu, 1 Oct 2026 10:00:00 +0200\r\nMessage-ID:\r\n <f1@x>\r\n",
    # repeated fields (the first Date and Message-ID count; every From, To and Cc), odd cases
    b"FROM: a@one.example\nfrom: b@two.example\nto: c@three.example\nCC: d@four.example\ncc: e@five.example\n"
    b"date: Fri, 2 Oct 2026 23:30:00 -0700\nDATE: Sat, 3 Oct 2026 01:00:00 +0000\nmessage-id: <r1@x>\n"
    b"Message-ID: <r2@x>\n",
    # look-alikes that are not the fields read: Resent-From, Reply-To, X-Original-To, a body-like line
    b"Resent-From: no1@x.example\nReply-To: no2@x.example\nX-Original-To: no3@x.example\nFrom: yes@x.example\n"
    b"To: undisclosed-recipients:;\nSubject: To: no4@x.example\nDate: Thu, 1 Oct 2026\n",
    # encoded words, raw UTF-8 and Latin-1 bytes in names and ids, spaces before values
    b"From: =?utf-8?q?J=C3=A9r=C3=B4me?= <jerome@x.example>\nTo: \xc3\x89lodie <elodie@x.example>, "
    b'"J\xe9r\xf4me \xff" <Tom@Northwind.example>\nDate:    Thu, 1 Oct 2026 10:00:00 +0000\n'
    b"Message-ID:   <caf\xe9@x>  \n",
    # no Date, no Message-ID, an empty To and a Cc whose value starts on the next line
    b"From: only@x.example\nTo:\nCc:\n  Late Person <late@x.example>\n",
    # a date the parser cannot read, and an address without a domain
    b"From: Ann <ann>\nTo: bob@x.example\nDate: yesterday at noon\nMessage-ID: <d1@x>\n",
]


def _stdlib(head: bytes) -> tuple[str, object, tuple[tuple[str, str, str], ...]]:
    """(Message-ID, day, people) as read with the standard library's header parser (its raw
    values, their bytes read back as UTF-8: an invalid byte as U+FFFD, the rest as written)."""
    raw = BytesHeaderParser().parsebytes(head).raw_items()
    fields = [
        (name.lower(), value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")) for name, value in raw
    ]

    def get_all(name: str) -> list[str]:
        return [value for key, value in fields if key == name]

    people: dict[str, tuple[str, str, str]] = {}
    for way, names in (("from", ("from",)), ("to", ("to", "cc"))):
        values = [v for name in names for v in get_all(name)]
        for name, address in getaddresses(values):
            if "@" in address:
                key = address.strip().lower()
                people.setdefault(key, (key, " ".join(name.split())[:200], way))
    dates = get_all("date")
    try:
        day = parsedate_to_datetime(dates[0]).date() if dates and dates[0] else None
    except (TypeError, ValueError, IndexError):
        day = None
    return " ".join((get_all("message-id") or [""])[0].split()), day, tuple(people.values())


def test_fields_read_as_the_stdlib_parser_reads_them(tmp_path: Path):
    box = tmp_path / "odd.mbox"
    box.write_bytes(b"".join(SEPARATOR + head + b"\nbody\n\n" for head in HEADS))
    mails = list(read_mail(box, Counter()))
    assert len(mails) == len(HEADS)
    for head, mail in zip(HEADS, mails, strict=True):
        message_id, day, people = _stdlib(head)
        assert mail.people == people, head
        assert mail.day == day, head
        assert mail.message_id == (message_id or mail.message_id), head
        assert mail.message_id.startswith("sha1:") == (not message_id), head
        assert mail.sender == next((a for a, _, way in people if way == "from"), "")
    # the cases above are what they say: the reader is not merely agreeing on empty results
    assert [len(m.people) for m in mails] == [4, 5, 1, 3, 2, 1]
    assert mails[1].message_id == "<r1@x>" and str(mails[1].day) == "2026-10-02"
    assert mails[3].message_id == "<caf\ufffd@x>"
    assert mails[3].people[1:] == (
        ("elodie@x.example", "\xc9lodie", "to"),
        ("tom@northwind.example", "J\ufffdr\ufffdme \ufffd", "to"),
    )


def test_a_possible_failure_report_is_told_by_its_headers_in_any_case():
    assert _may_be_report(b"Subject: Undelivered Mail Returned to Sender\nFrom: x@y\n")
    assert _may_be_report(b"From: x@y\nSUBJECT: Delivery Status Notification (Failure)\n")
    assert _may_be_report(b"From: MAILER-DAEMON@mx.example\n")
    assert _may_be_report(b"Content-Type: Multipart/Report; report-type=delivery-status\n")
    assert not _may_be_report(b"From: x@y\nSubject: the delivery of the new servers\n")
    assert not _may_be_report(b"From: x@y\nX-Note: subject: undelivered\nSubject: hello\n")
    assert not _may_be_report(b"From: x@y\nSubject: hello\n" + b"X: " + b"a" * 9000 + b"\nmailer-daemon\n")
