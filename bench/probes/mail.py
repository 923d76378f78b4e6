"""A mailbox import (issue 18): a generated mbox of ordinary mail, half of it to and from people
on the maps, imported in a fresh process beside the standard library's `mailbox.mbox` reading
the same headers (the floor), and peak memory at a quarter and at the whole of the file: it
must not grow with the file (a streaming pass)."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from bench.measures import PEAK_MB, ROOT, TODAY, Figure, fresh_copy

IMPORT = (
    PEAK_MB
    + """
import sys, time
from datetime import date
from pathlib import Path
from stakeworks.db.store import Store
from stakeworks.services.living_map import import_mail
with Store(Path(sys.argv[1])) as store:
    t0 = time.perf_counter()
    first = import_mail(store, Path(sys.argv[2]), date.fromisoformat(sys.argv[3]))
    t1 = time.perf_counter()
    again = import_mail(store, Path(sys.argv[2]), date.fromisoformat(sys.argv[3]))
    t2 = time.perf_counter()
assert again.touches_added == 0 and first.touches_added > 0, (first.summary(), again.summary())
print("MAIL", t1 - t0, t2 - t1, peak_mb(), first.items, first.touches_added)
"""
)

# The same work with the bare standard library: every message of the mbox, its From, To, Cc,
# Date and Message-ID headers parsed.
FLOOR = """
import mailbox, sys, time
from email.utils import getaddresses, parsedate_to_datetime
t0 = time.perf_counter()
n = 0
for msg in mailbox.mbox(sys.argv[1], create=False):
    getaddresses(msg.get_all("From", []) + msg.get_all("To", []) + msg.get_all("Cc", []))
    parsedate_to_datetime(msg["Date"]); msg["Message-ID"]
    n += 1
print("FLOOR", time.perf_counter() - t0, n)
"""


def write_mbox(db: Path, out: Path, messages: int) -> Path:
    """An mbox of `messages` ordinary messages over the last year; half with a contact of the store."""
    with sqlite3.connect(db) as conn:
        known = [r[0] for r in conn.execute("SELECT email FROM contacts WHERE email <> '' LIMIT 5000")]
    rng = random.Random(18)
    start = datetime(TODAY.year, TODAY.month, TODAY.day, 9, tzinfo=UTC) - timedelta(days=365)
    with out.open("w", encoding="utf-8") as fh:
        for i in range(messages):
            when = start + timedelta(minutes=rng.randrange(365 * 24 * 60))
            other = rng.choice(known) if known and i % 2 == 0 else f"someone{rng.randrange(50_000)}@elsewhere.example"
            sender, to = ("csm@ourco.example", other) if i % 3 else (other, "csm@ourco.example")
            fh.write(
                # the separator's envelope sender in ASCII: the stdlib floor decodes that line as ASCII
                f"From bounces@ourco.example {when.strftime('%a %b %d %H:%M:%S %Y')}\n"
                f"From: {sender}\nTo: {to}\nSubject: follow-up {i}\nDate: {format_datetime(when)}\n"
                f"Message-ID: <bench-{i}@ourco.example>\nMIME-Version: 1.0\nContent-Type: text/plain\n\n"
                "Thanks for the call; notes attached.\n\n"
            )
    return out


def _run(script: str, *args: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=1800)  # fmt: skip
    return next(line for line in done.stdout.splitlines() if line.startswith(("MAIL", "FLOOR"))).split()


def bench_mail(db: Path, messages: int, runs: int, tmp: Path) -> list[Figure]:
    whole = write_mbox(db, tmp / "mail.mbox", messages)
    quarter = write_mbox(db, tmp / "quarter.mbox", messages // 4)
    first, again, peak, floor = [], [], [], []
    for _ in range(runs):
        got = _run(IMPORT, str(fresh_copy(db, tmp, "mail.db")), str(whole), TODAY.isoformat())
        first.append(float(got[1]))
        again.append(float(got[2]))
        peak.append(float(got[3]))
        floor.append(float(_run(FLOOR, str(whole))[1]))
    small = [float(_run(IMPORT, str(fresh_copy(db, tmp, "mail.db")), str(quarter), TODAY.isoformat())[3])
             for _ in range(runs)]  # fmt: skip
    size = whole.stat().st_size / 1e6
    label = f"{messages:,}-message mbox ({size:.0f} MB)"
    return [
        Figure(f"import mail, {label}", first, "stdlib mailbox.mbox reading the same headers", floor,
               "(reported)", unit="s", note="touches written; headers only, one streaming pass"),
        Figure(f"import mail again, {label} (nothing new)", again, "same floor", floor, "(reported)", unit="s"),
        Figure(f"peak memory importing the {label}", peak, f"the same import of a quarter of it "
               f"({messages // 4:,} messages)", small, "<= 1.2x (flat: memory does not grow with the file)",
               limit_ratio=1.2, unit="MB"),
    ]  # fmt: skip
