"""Meetings from a calendar export (.ics from Google, Outlook, Apple): who took part and when.

icalendar parses the file and recurring-ical-events expands recurring events the way the
calendar programs do (RRULE, RDATE, EXDATE, moved and cancelled occurrences, time zones),
so each past occurrence is one meeting. A meeting's day is its own local date, as the people
in it saw it. Cancelled events and attendees who declined are left out; nothing of a
description or location is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from stakeworks.domain.errors import InputError

EBR = re.compile(r"\bEBRs?\b|executive business review", re.IGNORECASE)
QBR = re.compile(r"\bQBRs?\b|quarterly business review", re.IGNORECASE)
HORIZON_YEARS = 25  # recurring events without an end are expanded this far back at most


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


def read_meetings(path: Path, today: date) -> tuple[list[Meeting], list[Meeting]]:
    """(meetings up to today, meetings after it) of the calendar file, each occurrence once."""
    import icalendar
    import recurring_ical_events

    try:
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise InputError(f"{path}: not a calendar file the iCalendar standard describes ({exc})") from None
    if getattr(calendar, "name", "") != "VCALENDAR":
        raise InputError(f"{path}: not a calendar file (no VCALENDAR)")
    start = date(today.year - HORIZON_YEARS, 1, 1)
    past: list[Meeting] = []
    future: list[Meeting] = []
    try:
        occurrences: Iterator[Any] = recurring_ical_events.of(calendar).between(start, date(today.year + 2, 1, 1))
        for event in occurrences:
            if str(event.get("STATUS", "")).upper() == "CANCELLED":
                continue
            day = _day(event.decoded("DTSTART"))
            occurrence = _day(event.decoded("RECURRENCE-ID")) if event.get("RECURRENCE-ID") else day
            summary = " ".join(str(event.get("SUMMARY", "")).split())
            uid = str(event.get("UID", "")).strip() or f"{summary}@{occurrence.isoformat()}"
            people = _people(event)
            meeting = Meeting(uid, day, occurrence, summary, kind_of(summary), frozenset(a for a, _ in people), people)
            (past if day <= today else future).append(meeting)
    except ValueError as exc:  # a broken RRULE or date in one event
        raise InputError(f"{path}: an event cannot be read ({exc})") from None
    past.sort(key=lambda m: (m.day, m.uid))
    future.sort(key=lambda m: (m.day, m.uid))
    return past, future
