"""Meetings from a calendar export (.ics from Google, Outlook, Apple): who took part and when.

icalendar parses the file and recurring-ical-events expands recurring events the way the
calendar programs do (RRULE, RDATE, EXDATE, moved and cancelled occurrences, time zones),
so each past occurrence is one meeting. A meeting's day is its own local date, as the people
in it saw it. Cancelled events and attendees who declined are left out; nothing of a
description or location is kept.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from stakeworks.domain.days import EARLIEST, LATEST, in_range
from stakeworks.domain.errors import InputError
from stakeworks.domain.settings import Settings

EBR = re.compile(r"\bEBRs?\b|executive business review", re.IGNORECASE)
QBR = re.compile(r"\bQBRs?\b|quarterly business review", re.IGNORECASE)
HORIZON_YEARS = 25  # recurring events without an end are expanded this far back at most
PER_EVENT = Settings().calendar_occurrences_per_event  # kept of one event on each side of today
SUB_DAILY = {"SECONDLY": "second", "MINUTELY": "minute", "HOURLY": "hour"}
# An event repeating more than once a day is not a meeting: never expanded. So one event gives at
# most one occurrence a day over the HORIZON_YEARS back and 2 ahead (~10,000), and a file at most:
MAX_EXPANDED = 100_000
MAX_PEOPLE = 1000  # an event with more people is an announcement, not a meeting
MAX_LINE_BYTES = 1 << 20  # a longer property (a 100 MB description) is left out, never parsed
MAX_CALENDAR_BYTES = 64 << 20  # what is handed to icalendar, which holds all of it (several times) in memory
READ_PIECE = 1 << 16
TOO_MANY = "X-STAKEWORKS-PEOPLE"  # put on an event whose attendees were too many to pass on


@dataclass(frozen=True, slots=True)
class Meeting:
    uid: str
    day: date
    occurrence: date  # the day the recurrence put it on (RECURRENCE-ID), even when it was moved
    summary: str
    kind: str  # "ebr", "qbr" or "meeting"
    emails: frozenset[str]  # organizer and attendees who did not decline, lower-case
    names: tuple[tuple[str, str], ...] = ()  # (address, display name) of each of them

    @property
    def source(self) -> str:
        """Its identity for a re-import: the event's UID and the occurrence's day."""
        return f"ics:{self.uid}/{self.occurrence.isoformat()}"


def kind_of(summary: str) -> str:
    return "ebr" if EBR.search(summary) else "qbr" if QBR.search(summary) else "meeting"


def _day(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value  # a datetime keeps its own zone


def _people(event: Any) -> tuple[tuple[str, str], ...]:
    """(address, display name) of the organizer and every attendee who did not decline."""
    people = event.get("ATTENDEE", [])
    people = people if isinstance(people, list) else [people]
    organizer = event.get("ORGANIZER")
    out: dict[str, str] = {}
    for person in [*people, *([organizer] if organizer else [])]:
        if str(person.params.get("PARTSTAT", "")).upper() == "DECLINED":
            continue
        address = str(person).strip()
        if address.lower().startswith("mailto:"):
            address = address[7:]
        if "@" in address:
            name = " ".join(str(person.params.get("CN", "")).split())[:200]
            key = address.strip().lower()
            out[key] = out.get(key) or name
    return tuple(out.items())


def read_meetings(
    path: Path, today: date, *, skipped: Counter[str] | None = None, per_event: int = PER_EVENT
) -> tuple[list[Meeting], list[Meeting]]:
    """(meetings up to today, meetings after it) of the calendar file, each occurrence once.

    Bounded however hostile the file (docs/reliability.md): over-long lines and time zones
    without rules are left out before parsing, events that cannot be meetings are left out
    before expanding, and each event gives at most `per_event` occurrences up to today (the
    latest) and as many after it (the first). What was left out is counted in `skipped`."""
    import icalendar

    skipped = Counter() if skipped is None else skipped
    try:
        text = bounded_content(path, skipped)
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except Exception as exc:  # noqa: BLE001 - whatever the parser raises on a broken file is one line
        raise InputError(f"{path}: not a calendar file the iCalendar standard describes ({exc})") from None
    if getattr(calendar, "name", "") != "VCALENDAR":
        raise InputError(f"{path}: not a calendar file (no VCALENDAR)")
    start, stop = date(today.year - HORIZON_YEARS, 1, 1), date(today.year + 2, 1, 1)
    past: list[Meeting] = []
    future: list[Meeting] = []
    expanded = 0
    zones = calendar.walk("VTIMEZONE")  # once: a walk per series made the import quadratic in the events
    for events in _series(calendar, skipped):
        if expanded >= MAX_EXPANDED:
            skipped[f"events after the first {MAX_EXPANDED:,} occurrences of one file"] += 1
            continue
        mine_past, mine_future = _expand(zones, events, start, stop, today, skipped)
        expanded += len(mine_past) + len(mine_future)
        if len(mine_past) > per_event or len(mine_future) > per_event:
            skipped[f"occurrences beyond {per_event:,} of one event (the latest kept)"] += max(
                0, len(mine_past) - per_event
            ) + max(0, len(mine_future) - per_event)
        past += mine_past[-per_event:] if per_event else []
        future += mine_future[:per_event]
    past.sort(key=lambda m: (m.day, m.uid))
    future.sort(key=lambda m: (m.day, m.uid))
    return past, future


def _series(calendar: Any, skipped: Counter[str]) -> list[list[Any]]:
    """The calendar's events that may be meetings, grouped by UID (a recurring event and its
    moved occurrences are one series); the others counted in `skipped` by reason."""
    groups: dict[str, list[Any]] = {}
    for index, event in enumerate(calendar.walk("VEVENT")):
        problem = event_problem(event)
        if problem:
            skipped[problem] += 1
            continue
        uid = str(event.get("UID", "")).strip() or f"#{index}"
        groups.setdefault(uid, []).append(event)
    # Single events first: when a file's occurrences run out (MAX_EXPANDED), the repeating ones wait.
    return sorted(groups.values(), key=lambda events: any(e.get("RRULE") for e in events))


def event_problem(event: Any) -> str | None:
    """Why an event cannot be a meeting (and is left out), or None."""
    try:
        day = _day(event.decoded("DTSTART"))
        if not isinstance(day, date):
            raise ValueError(day)
    except Exception:  # noqa: BLE001 - icalendar's errors for a broken date vary by version
        return "events whose start cannot be read (a year 0 or before, or no date)"
    if not in_range(day):
        return f"events dated outside the years {EARLIEST.year}-{LATEST.year}"
    rules = event.get("RRULE", [])
    for rule in rules if isinstance(rules, list) else [rules]:
        frequency = str((rule.get("FREQ") or [""])[0]).upper()
        if frequency in SUB_DAILY:
            return f"events repeating every {SUB_DAILY[frequency]} (not meetings)"
        per_day = 1
        for part in ("BYHOUR", "BYMINUTE", "BYSECOND"):
            per_day *= max(1, len(rule.get(part, [])))
        if per_day > 1:
            return "events repeating more than once a day (not meetings)"
    if event.get(TOO_MANY):
        return f"events with more than {MAX_PEOPLE:,} people (announcements, not meetings)"
    return None


def _expand(
    zones: list[Any], events: list[Any], start: date, stop: date, today: date, skipped: Counter[str]
) -> tuple[list[Meeting], list[Meeting]]:
    """One series' occurrences between `start` and `stop`, split at `today`, each sorted by day.
    A series whose repetition cannot be worked out (a broken rule, a bad time zone) is counted."""
    past: list[Meeting] = []
    future: list[Meeting] = []
    try:
        for event in _occurrences(zones, events, start, stop):
            if str(event.get("STATUS", "")).upper() == "CANCELLED":
                continue
            meeting = _meeting(event)
            (past if meeting.day <= today else future).append(meeting)
    except Exception:  # noqa: BLE001 - the library's errors for a broken rule or zone vary by version
        skipped["events whose repetition or time zone cannot be worked out"] += 1
        return [], []
    past.sort(key=lambda m: m.day)
    future.sort(key=lambda m: m.day)
    return past, future


REPEATING = ("RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")


def _occurrences(zones: list[Any], events: list[Any], start: date, stop: date) -> list[Any]:
    """The series' occurrences between `start` and `stop`. A single event that does not repeat
    is its one occurrence (most of a calendar: recurring-ical-events took 1 of 9 s of a
    20,000-meeting import building a calendar for each); the rest are expanded by the library."""
    import icalendar
    import recurring_ical_events

    if len(events) == 1 and not any(events[0].get(p) for p in REPEATING):
        day = _day(events[0].decoded("DTSTART"))
        if start <= day < stop:
            return events
    series = icalendar.Calendar()
    for zone in zones:
        series.add_component(zone)
    for event in events:
        series.add_component(event)
    return list(recurring_ical_events.of(series).between(start, stop))


def _meeting(event: Any) -> Meeting:
    day = _day(event.decoded("DTSTART"))
    occurrence = _day(event.decoded("RECURRENCE-ID")) if event.get("RECURRENCE-ID") else day
    summary = " ".join(str(event.get("SUMMARY", "")).split())
    uid = str(event.get("UID", "")).strip() or f"{summary}@{occurrence.isoformat()}"
    people = _people(event)
    return Meeting(uid, day, occurrence, summary, kind_of(summary), frozenset(a for a, _ in people), people)


def bounded_content(path: Path, skipped: Counter[str]) -> bytes:
    """The file's bytes as icalendar may read them: a content line (with its folded
    continuations) longer than MAX_LINE_BYTES is left out, read in pieces and never held
    whole; so is a VTIMEZONE with no STANDARD or DAYLIGHT rules (icalendar refuses the whole
    file for one). What is left must fit in MAX_CALENDAR_BYTES."""
    out = bytearray()
    zone: list[bytes] | None = None  # a VTIMEZONE being read, kept only if it has rules
    for line in _people_capped(_logical_lines(path, skipped)):
        upper = line[:40].upper()
        if upper.startswith(b"BEGIN:VTIMEZONE"):
            zone = []
        if zone is None:
            out += line
        else:
            zone.append(line)
            if upper.startswith(b"END:VTIMEZONE"):
                if any(z[:40].upper().startswith((b"BEGIN:STANDARD", b"BEGIN:DAYLIGHT")) for z in zone):
                    out += b"".join(zone)
                else:
                    skipped["time zones with no rules (their events read as the time zone's name says, else UTC)"] += 1
                zone = None
        if len(out) > MAX_CALENDAR_BYTES:
            raise InputError(
                f"{path}: more than {MAX_CALENDAR_BYTES >> 20} MB of calendar; export a shorter period and import each"
            )
    return bytes(out)


def _people_capped(lines: Iterator[bytes]) -> Iterator[bytes]:
    """The lines, but an event's attendees beyond MAX_PEOPLE are not passed on (icalendar takes
    seconds per 100,000): the event gets X-STAKEWORKS-PEOPLE with their number instead, and
    `event_problem` leaves it out."""
    people = 0
    for line in lines:
        head = line[:16].upper()
        if head.startswith(b"BEGIN:VEVENT"):
            people = 0
        elif head.startswith(b"ATTENDEE"):
            people += 1
            if people > MAX_PEOPLE:
                continue
        elif head.startswith(b"END:VEVENT") and people > MAX_PEOPLE:
            yield f"{TOO_MANY}:{people}\r\n".encode()
        yield line


def _logical_lines(path: Path, skipped: Counter[str]) -> Iterator[bytes]:
    """Each content line with its folded continuations (RFC 5545 3.1), as bytes; one longer
    than MAX_LINE_BYTES is counted in `skipped` and dropped, never held whole."""
    current: list[bytes] = []
    size = 0
    dropping = False
    mid_line = False  # the last piece ended inside a physical line
    with path.open("rb") as fh:
        while piece := fh.readline(READ_PIECE):
            continues = mid_line or piece[:1] in (b" ", b"\t")
            mid_line = not piece.endswith(b"\n")
            if not continues:
                if current:
                    yield b"".join(current)
                current, size, dropping = [], 0, False
            if dropping:
                continue
            size += len(piece)
            if size > MAX_LINE_BYTES:
                skipped[f"lines longer than {MAX_LINE_BYTES >> 20} MB (a property left out)"] += 1
                current, dropping = [], True
                continue
            current.append(piece)
    if current:
        yield b"".join(current)
