"""Hostile calendar and mail files (issue 35): each imports what it can, within bounded time and
memory, and says what it left out and why; never a traceback, never a hang.

The bounds (docs/reliability.md): an event repeating more than once a day is never expanded;
one event keeps at most `calendar_occurrences_per_event` occurrences on each side of today (the
latest); a file expands at most 100,000; a line over 1 MB (a 100 MB header or property) is read
in pieces and left out; a mailbox is read one message at a time, its headers up to 1 MB, a
delivery report up to 1 MB and 32 multipart levels. Memory is measured with tracemalloc.
"""

from __future__ import annotations

import json
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from stakeworks.interchange.calendar import read_meetings
from stakeworks.interchange.mail import read_mail
from tests.conftest import TODAY, Result, stored


def imported(cli: Callable[..., Result], kind: str, path: Path) -> dict:
    r = cli("--today", TODAY.isoformat(), "import", kind, str(path), "--json")
    assert r.code == 0 and "Traceback" not in r.err, r.err
    return json.loads(r.out)


def touched(cli: Callable[..., Result], prefix: str) -> list[tuple[str, str]]:
    return stored(
        cli.db,  # type: ignore[attr-defined]
        "SELECT c.name, t.date FROM touches t JOIN contacts c ON c.id = t.contact_id WHERE t.source LIKE ? "
        "ORDER BY t.date, c.name",
        (prefix + "%",),
    )


# -- calendars ---------------------------------------------------------------------------------


def event(uid: str, start: str, *lines: str, who: str = "tom@northwind.example") -> str:
    body = "".join(line + "\r\n" for line in lines)
    when = start if ":" in start else f":{start}"
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART{when}\r\nSUMMARY:Sync {uid}\r\n"
        f"ORGANIZER:mailto:{who}\r\n{body}END:VEVENT\r\n"
    )


def calendar(path: Path, *parts: str) -> Path:
    path.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + "".join(parts) + "END:VCALENDAR\r\n",
                    newline="")  # fmt: skip
    return path


def test_rules_that_repeat_forever_are_bounded_and_said(northwind, tmp_path: Path):
    stored(northwind.db, "INSERT INTO meta (key, value) VALUES ('settings', ?)",
           (json.dumps({"calendar_occurrences_per_event": 100}),))  # fmt: skip
    ics = calendar(
        tmp_path / "forever.ics",
        event("secondly", "20260101T090000Z", "RRULE:FREQ=SECONDLY"),  # never ends: 27 years of seconds
        event("minutely", "20260101T090000Z", "RRULE:FREQ=MINUTELY;INTERVAL=5"),
        event("hourly", "20260101T090000Z", "RRULE:FREQ=HOURLY;COUNT=1000000000"),
        event("twice", "20260101T090000Z", "RRULE:FREQ=DAILY;BYHOUR=9,17"),
        event("count", "20260101T090000Z", "RRULE:FREQ=DAILY;COUNT=1000000000"),  # ~forever, once a day
        event("qbr", "20261020", "SUMMARY:QBR", who="sarah@northwind.example"),
    )
    report = imported(northwind, "calendar", ics)
    assert report["skipped"] == {
        "events repeating every second (not meetings)": 1,
        "events repeating every minute (not meetings)": 1,
        "events repeating every hour (not meetings)": 1,
        "events repeating more than once a day (not meetings)": 1,
        # 2026-01-01 .. today is 305 days, then 425 up to 2027-12-31: 100 kept on each side
        "occurrences beyond 100 of one event (the latest kept)": 205 + 325,
    }
    days = [d for n, d in touched(northwind, "ics:count/")]
    assert len(days) == 100 and days[0] == "2026-07-25" and days[-1] == TODAY.isoformat()
    assert ("Sarah Kim", "2026-10-20") in touched(northwind, "ics:qbr/")
    assert len(report["upcoming"]) == 100


def test_dates_at_and_beyond_the_calendars_ends_are_left_out(northwind, tmp_path: Path):
    ics = calendar(
        tmp_path / "ends.ics",
        event("bc", "00001231T100000Z"),  # 1 BC: year 0, as icalendar sees it
        event("minus", ";VALUE=DATE:-00011231"),
        event("nine", "99991231T100000Z", "RRULE:FREQ=YEARLY"),
        event("old", "18991231", "RRULE:FREQ=DAILY"),  # before 1900: years of iterations to nothing
        event("ok", "20261001T100000Z"),
    )
    report = imported(northwind, "calendar", ics)
    assert report["skipped"] == {
        "events whose start cannot be read (a year 0 or before, or no date)": 2,
        "events dated outside the years 1900-2999": 2,
    }
    assert touched(northwind, "ics:") == [("Tom Chen", "2026-10-01")]


def test_a_time_zone_with_no_rules_and_invalid_encodings(northwind, tmp_path: Path):
    ics = tmp_path / "zones.ics"
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTIMEZONE\r\nTZID:Nowhere/Empty\r\nEND:VTIMEZONE\r\n"
        + event("zoned", ";TZID=Nowhere/Empty:20261005T100000")
        + event("latin", "20261006T100000Z", "ATTENDEE;CN=J\xe9r\xf4me:mailto:lisa@northwind.example").replace(
            "SUMMARY:Sync latin", "SUMMARY:Caf\xe9 r\xe9union"
        )
        + "END:VCALENDAR\r\n"
    )
    ics.write_bytes(text.encode("latin-1"))  # not UTF-8: é is one invalid byte
    report = imported(northwind, "calendar", ics)
    assert report["skipped"] == {
        "time zones with no rules (their events read as the time zone's name says, else UTC)": 1
    }
    assert touched(northwind, "ics:") == [("Tom Chen", "2026-10-05"), ("Lisa Park", "2026-10-06"),
                                          ("Tom Chen", "2026-10-06")]  # fmt: skip
    notes = stored(northwind.db, "SELECT DISTINCT note FROM touches WHERE source LIKE 'ics:latin%'")
    assert notes == [("Caf\ufffd r\ufffdunion",)]  # shown as replacement characters, stored as valid text


def test_a_hundred_thousand_attendees_are_an_announcement(northwind, tmp_path: Path):
    crowd = [f"ATTENDEE:mailto:person{i}@crowd.example" for i in range(100_000)]
    ics = calendar(
        tmp_path / "crowd.ics",
        event("all-hands", "20261001T100000Z", "ATTENDEE:mailto:lisa@northwind.example", *crowd),
        event("ok", "20261002T100000Z"),
    )
    report = imported(northwind, "calendar", ics)
    assert report["skipped"] == {"events with more than 1,000 people (announcements, not meetings)": 1}
    assert touched(northwind, "ics:") == [("Tom Chen", "2026-10-02")]


def _peak(work: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_hundred_megabyte_property_is_left_out_in_bounded_memory(tmp_path: Path):
    big = tmp_path / "big.ics"
    with big.open("w", newline="") as fh:
        fh.write("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n")
        fh.write(
            event("big", "20261001T100000Z").replace("SUMMARY:", "DESCRIPTION:" + "x" * (100 << 20) + "\r\nSUMMARY:")
        )
        # the same again as RFC 5545 folds it: 10 MB in 75-octet lines
        fh.write(event("folded", "20261002T100000Z", "DESCRIPTION:" + "\r\n ".join(["y" * 74] * 140_000)))
        fh.write("END:VCALENDAR\r\n")
    skipped: Counter[str] = Counter()
    result: list[tuple[list[Any], list[Any]]] = []
    peak = _peak(lambda: result.append(read_meetings(big, TODAY, skipped=skipped)))
    past, _future = result[0]
    assert [m.uid for m in past] == ["big", "folded"]  # both meetings, without their descriptions
    assert skipped == Counter({"lines longer than 1 MB (a property left out)": 2})
    assert peak < 8 << 20, f"peak {peak:,} bytes"


# -- mail -------------------------------------------------------------------------------------------


def message(mid: str, day: str, to: str = "tom@northwind.example", *headers: str, body: str = "Hi\n") -> str:
    extra = "".join(h + "\n" for h in headers)
    return (
        f"From alex@ours.example Thu Oct  1 10:00:00 2026\nFrom: Alex <alex@ours.example>\nTo: {to}\n"
        f"Date: {day} 10:00:00 +0000\nMessage-ID: <{mid}>\nSubject: hello\n{extra}\n{body}\n"
    )


def nested(levels: int, inner: str) -> str:
    """A multipart/mixed body `levels` deep around `inner`."""
    text = inner
    for level in range(levels):
        text = f'Content-Type: multipart/mixed; boundary="b{level}"\n\n--b{level}\n{text}\n--b{level}--\n'
    return text


def test_a_repeated_message_id_hides_no_message_and_reimports_add_nothing(northwind, tmp_path: Path):
    box = tmp_path / "reused.mbox"
    box.write_text(
        message("same@x", "Thu, 1 Oct 2026")
        + message("same@x", "Thu, 1 Oct 2026")  # the same message twice (two folders): one touch
        + message("same@x", "Fri, 2 Oct 2026", "lisa@northwind.example")  # another message, same id
        + message("same@x", "Sat, 3 Oct 2026")
    )
    report = imported(northwind, "mail", box)
    assert report["skipped"] == {"messages reusing another message's Message-ID (kept apart by their headers)": 2}
    assert touched(northwind, "mail:") == [("Tom Chen", "2026-10-01"), ("Lisa Park", "2026-10-02"),
                                           ("Tom Chen", "2026-10-03")]  # fmt: skip
    again = imported(northwind, "mail", box)
    assert again["touches_added"] == 0 and again["touches_already_there"] == 4


def test_invalid_encodings_in_names_subjects_and_ids(northwind, tmp_path: Path):
    box = tmp_path / "bytes.mbox"
    raw = message("caf\xe9@x", "Thu, 1 Oct 2026", '"J\xe9r\xf4me \xff" <Tom@Northwind.example>').replace(
        "Subject: hello", "Subject: =?x-unknown?B?////?= r\xe9union \udcff".encode("utf-8", "surrogateescape")
        .decode("latin-1")
    )  # fmt: skip
    box.write_bytes(raw.encode("latin-1"))
    report = imported(northwind, "mail", box)
    assert report["touches_added"] == 1 and report["skipped"] == {}
    assert stored(northwind.db, "SELECT source FROM touches WHERE source LIKE 'mail:%'") == [("mail:<caf\ufffd@x>",)]


def test_deeply_nested_mime_and_a_hundred_megabyte_header(northwind, tmp_path: Path):
    box = tmp_path / "deep.mbox"
    report_headers = ("Content-Type: multipart/report; report-type=delivery-status; boundary=r",)
    with box.open("w") as fh:
        fh.write(message("deep@x", "Thu, 1 Oct 2026", "tom@northwind.example", body=nested(1000, "Hi")))
        fh.write(message("bounce@x", "Thu, 1 Oct 2026", "alex@ours.example", *report_headers,
                         body=nested(1000, "Status: 5.1.1")).replace("Subject: hello", "Subject: Undelivered Mail"))  # fmt: skip
        fh.write(message("long@x", "Fri, 2 Oct 2026", "lisa@northwind.example", "X-Junk: " + "j" * (100 << 20)))
    skipped: Counter[str] = Counter()
    mails: list[object] = []
    peak = _peak(lambda: mails.extend(read_mail(box, skipped)))
    assert peak < 8 << 20, f"peak {peak:,} bytes"
    assert skipped == Counter({
        "delivery reports nested more than 32 levels deep (not read as reports)": 1,
        "lines longer than 1 MB (left out)": 1,
    })  # fmt: skip
    report = imported(northwind, "mail", box)
    assert report["read"] == 3 and report["bounces"] == 0
    assert touched(northwind, "mail:") == [("Tom Chen", "2026-10-01"), ("Lisa Park", "2026-10-02")]


def _mbox(path: Path, messages: int, report_mb: int = 0) -> Path:
    """An mbox of `messages` messages, and one "delivery report" of `report_mb` MB (a report is
    read whole, up to its bound)."""
    with path.open("w") as fh:
        for i in range(messages):
            fh.write(message(f"m{i}@x", "Thu, 1 Oct 2026", f"p{i % 500}@crowd.example"))
        if report_mb:
            fh.write(message("r@x", "Thu, 1 Oct 2026", "alex@ours.example",
                             "Content-Type: multipart/report; boundary=r", body=("z" * 1023 + "\n") * (report_mb << 10)))  # fmt: skip
    return path


def test_a_mailbox_is_read_in_memory_that_does_not_grow_with_its_size(tmp_path: Path):
    """The 1 GB mailbox, by proportion: ten times the messages and a 50 MB "report" leave the
    peak as it was but for the Message-ID check's ~150 bytes a message (tracemalloc)."""
    peaks = {}
    for name, messages, report_mb in (("small.mbox", 500, 0), ("large.mbox", 5_000, 50)):
        path = _mbox(tmp_path / name, messages, report_mb)
        skipped: Counter[str] = Counter()
        count: list[int] = []
        peaks[name] = _peak(lambda: count.append(sum(1 for _ in read_mail(path, skipped))))  # noqa: B023
        assert count == [messages + (1 if report_mb else 0)]
    assert skipped == Counter({"delivery reports over 1 MB (read as plain messages)": 1})
    small, large = peaks["small.mbox"], peaks["large.mbox"]
    assert large - small < 4_500 * 250 + (1 << 20), f"{small:,} -> {large:,} bytes"  # the report's 1 MB at most
