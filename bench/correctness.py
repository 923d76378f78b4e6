"""The benchmark's correctness check: what `risk --json` answers on the large store equals the
rules engine run account by account, on a cold day (nothing cached), the same day warm, the
next day and a month on (yesterday's verdicts carried where still valid), on either store."""

from __future__ import annotations

import contextlib
import io
import json
import random
from datetime import timedelta

from bench.measures import TODAY

DAYS = (("a cold day", 0), ("the same day warm", 0), ("the next day", 1), ("a month on", 30))


def risk_agrees(location: str, what: str, sample: int = 100) -> str:
    from stakeworks.cli.main import main as cli
    from stakeworks.db.store import Store
    from stakeworks.domain.rules import assess

    with Store(location) as s, s.transaction() as c:
        c.execute("DELETE FROM verdict_cache")  # the first run of a day, nothing served yet
    with Store(location) as s:
        ids = random.Random(1).sample(s.account_names(), min(sample, len(s.account_names())))
    for _, offset in DAYS:
        day = TODAY + timedelta(days=offset)
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            assert cli(["--db", location, "--today", day.isoformat(), "risk", "--json"]) == 0
        rows = {r["account"]: r for r in json.loads(buf.getvalue())}
        with Store(location) as s:
            settings = s.settings()
            for account_id, name in ids:
                renewal = s.account(account_id).renewal_date
                a = assess(s.contacts(account_id), day, renewal, settings, influences=s.influences(account_id))
                got = rows[name]
                assert (got["score"], got["risk"], got["factors"]) == (a.score, a.risk, a.factor_codes), (name, day)
    days = ", ".join(d for d, _ in DAYS)
    return f"`risk --json` agrees with the rules engine, account by account, on {len(ids)} random accounts of {what}: {days}."
