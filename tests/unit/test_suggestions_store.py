"""`suggestions` over the whole store reads only the contacts a row of DOMAIN section 11's table
may hold for, with their activity counted by the database: it must still equal the table applied
to every contact, at the boundaries (twice each level's and role's threshold, the untimed window,
the 90-day window, 2 meetings, 3 days from them, 5 messages to them and none from them)."""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta
from pathlib import Path

from stakeworks.db.store import Store
from stakeworks.domain.evidence import Activity, suggestions_for
from stakeworks.services import evidence

TODAY = date(2026, 11, 1)
LAST_TOUCH = [None, 10, 59, 60, 61, 89, 90, 91, 181, 182, 183, 184, 364, 365, 366, 729, 730, 731]
WINDOW_DAYS = [0, 1, 45, 88, 89, 90, 91, 120]
LEVELS = ["c_level", "vp", "director", "manager", "user"]


def _arrange(path: Path, seed: int) -> None:
    """Every contact of the sample given a random rating, level, timed role, last touch, meetings
    and mail around the boundaries (the arrangement only: the store under test reads it)."""
    rng = random.Random(seed)
    with sqlite3.connect(path) as conn:
        contacts = conn.execute("SELECT id, email FROM contacts WHERE status <> 'departed'").fetchall()
        conn.execute("DELETE FROM contact_roles WHERE role IN ('champion', 'economic_buyer', 'executive_sponsor')")
        for n, (cid, email) in enumerate(contacts):
            for _ in range(rng.choice([0, 0, 1, 2, 3])):
                day = TODAY - timedelta(days=rng.choice(WINDOW_DAYS))
                kind = rng.choice(["meeting", "qbr", "ebr", "call"])
                conn.execute(
                    "INSERT INTO touches (contact_id, date, kind) VALUES (?, ?, ?)", (cid, day.isoformat(), kind)
                )
            for k in range(rng.choice([0, 0, 2, 4, 5, 6])):
                day = TODAY - timedelta(days=rng.choice(WINDOW_DAYS))
                direction = rng.choice(["from_them", "to_them", "to_them", "to_them"])
                conn.execute(
                    "INSERT INTO interactions (source, address, day, direction) VALUES (?, ?, ?, ?)",
                    (f"mail:<{seed}-{n}-{k}>", email.strip().lower(), day.isoformat(), direction),
                )
            if rng.random() < 0.3:
                role = rng.choice(["champion", "economic_buyer", "executive_sponsor"])
                conn.execute("INSERT INTO contact_roles (contact_id, role) VALUES (?, ?)", (cid, role))
            last = rng.choice(LAST_TOUCH)
            conn.execute(
                "UPDATE contacts SET strength = ?, level = ?, last_touch = ? WHERE id = ?",
                (rng.choice([None, 1, 2, 3, 4, 5]), rng.choice(LEVELS),
                 None if last is None else (TODAY - timedelta(days=last)).isoformat(), cid),
            )  # fmt: skip


def test_suggestions_equal_section_11_applied_to_every_contact(sample_copy: Path):
    for seed in range(3):
        _arrange(sample_copy, seed)
        with Store(sample_copy) as s:
            settings = s.settings()
            activity = s.activity(TODAY - timedelta(days=90), TODAY)
            expected = sorted(
                (x.id, x.kind, x.suggested, x.reason, x.activity)
                for account_id, _ in s.account_names()
                for c in s.contacts(account_id)
                for x in suggestions_for(c, activity.get(c.id or 0, Activity()), TODAY, settings, c.id or 0)
            )
            got = [(x.id, x.kind, x.suggested, x.reason, x.activity) for x in evidence.suggestions(s, TODAY)]
            assert got == expected
            assert {k for _, k, *_ in got} == {"decaying", "warming", "one_way"}  # every row of the table met
            one = s.account_names()[0][0]
            mine = {c.id for c in s.contacts(one)}
            assert [x.id for x in evidence.suggestions(s, TODAY, one)] == [i for i, *_ in got if i // 10 in mine]
