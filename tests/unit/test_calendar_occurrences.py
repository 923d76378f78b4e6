"""A calendar's occurrences (interchange/calendar.py): a single event that does not repeat is read
without the recurrence library, and must come out exactly as the library gives it; the real
exports' fixtures and a hand-made file with the shapes that could differ (a local day other than
the UTC one, all-day, cancelled, moved and extra occurrences) are compared with the library's own
expansion of the whole file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

from stakeworks.interchange.calendar import HORIZON_YEARS, read_meetings
from tests.conftest import FIXTURES, TODAY

SHAPES = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//shapes//EN
BEGIN:VTIMEZONE
TZID:Pacific/Auckland
BEGIN:STANDARD
DTSTART:19700405T030000
TZOFFSETFROM:+1300
TZOFFSETTO:+1200
RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:19700927T020000
TZOFFSETFROM:+1200
TZOFFSETTO:+1300
RRULE:FREQ=YEARLY;BYMONTH=9;BYDAY=-1SU
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:late-local
DTSTART;TZID=Pacific/Auckland:20261003T073000
DTEND;TZID=Pacific/Auckland:20261003T083000
SUMMARY:Early in Auckland, the evening before in UTC
ATTENDEE;CN=Tom:mailto:tom@northwind.example
END:VEVENT
BEGIN:VEVENT
UID:all-day
DTSTART;VALUE=DATE:20261012
DTEND;VALUE=DATE:20261013
SUMMARY:QBR offsite
ATTENDEE:mailto:lisa@northwind.example
END:VEVENT
BEGIN:VEVENT
UID:cancelled
DTSTART:20261014T100000Z
STATUS:CANCELLED
SUMMARY:Called off
ATTENDEE:mailto:lisa@northwind.example
END:VEVENT
BEGIN:VEVENT
UID:ahead
DTSTART:20261203T100000Z
SUMMARY:Next month
ATTENDEE:mailto:lisa@northwind.example
END:VEVENT
BEGIN:VEVENT
UID:extra-days
DTSTART:20260901T100000Z
RDATE:20260915T100000Z
SUMMARY:Twice
ATTENDEE:mailto:tom@northwind.example
END:VEVENT
BEGIN:VEVENT
UID:weekly
DTSTART:20260907T150000Z
RRULE:FREQ=WEEKLY;COUNT=4
SUMMARY:Weekly
ATTENDEE:mailto:tom@northwind.example
END:VEVENT
BEGIN:VEVENT
UID:weekly
RECURRENCE-ID:20260914T150000Z
DTSTART:20260916T090000Z
SUMMARY:Weekly, moved
ATTENDEE:mailto:tom@northwind.example
END:VEVENT
END:VCALENDAR
"""


def library_occurrences(path: Path) -> set[tuple[str, date]]:
    """(UID, day) of every occurrence the recurrence library finds in the whole file, cancelled left out."""
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    start, stop = date(TODAY.year - HORIZON_YEARS, 1, 1), date(TODAY.year + 2, 1, 1)
    out = set()
    for event in recurring_ical_events.of(calendar).between(start, stop):
        if str(event.get("STATUS", "")).upper() != "CANCELLED":
            start_at = event.decoded("DTSTART")
            out.add((str(event["UID"]), start_at.date() if hasattr(start_at, "date") else start_at))
    return out


@pytest.mark.parametrize("name", ["google.ics", "outlook.ics", "apple.ics", "shapes"])
def test_meetings_are_the_libraries_occurrences(name: str, tmp_path: Path):
    path = FIXTURES / "calendar" / name
    if name == "shapes":
        path = tmp_path / "shapes.ics"
        path.write_text(SHAPES.replace("\n", "\r\n"))
    past, future = read_meetings(path, TODAY, per_event=10_000)
    got = {(m.uid, m.day) for m in [*past, *future]}
    assert got == library_occurrences(path)
    assert all(m.day <= TODAY for m in past) and all(m.day > TODAY for m in future)
    if name == "shapes":
        assert ("late-local", date(2026, 10, 3)) in got  # the local day (UTC says 2 October)
        assert ("all-day", date(2026, 10, 12)) in got and ("ahead", date(2026, 12, 3)) in got
        assert not any(uid == "cancelled" for uid, _ in got)
        assert {d for uid, d in got if uid == "extra-days"} == {date(2026, 9, 1), date(2026, 9, 15)}
