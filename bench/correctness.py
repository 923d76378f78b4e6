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


def exposure_agrees(location: str, found: list, emails: list[str], sample: int = 50) -> str:
    """`exposure` (`found`, from people.portfolio_exposure) equals the rules engine run person by
    person on a sample of the people shared between accounts (given by email): who is exposed
    (engaged as champion or economic buyer at two or more accounts, by `assess`'s own states)
    and at each account where they are active, the score now and with them gone."""
    from stakeworks.db.store import Store
    from stakeworks.domain.people import EXPOSED_ROLES
    from stakeworks.domain.rules import assess
    from stakeworks.services import people

    chosen = random.Random(1).sample(emails, min(sample, len(emails)))
    exposed = 0
    with Store(location) as s:
        settings = s.settings()
        for email in chosen:
            records = people.person(s, email).records
            held: dict[int, int] = {}
            for r in records:
                if r.status == "active":
                    held.setdefault(r.account_id, r.contact_id)
            places, engaged = set(), 0
            for account_id, contact_id in held.items():
                contacts = s.contacts(account_id)
                renewal, lines = s.account(account_id).renewal_date, s.influences(account_id)
                now = assess(contacts, TODAY, renewal, settings, influences=lines)
                gone = assess(contacts, TODAY, renewal, settings, departed_id=contact_id, influences=lines)
                holder = next(c for c in contacts if c.id == contact_id)
                engaged += bool(EXPOSED_ROLES & set(holder.roles)) and now.states[contact_id].engaged
                places.add((account_id, contact_id, now.score, gone.score))
            ids = {r.contact_id for r in records}
            got = [e for e in found if ids & {a.contact_id for a in e.accounts}]
            expected = [places] if engaged >= 2 else []
            assert [
                {(a.account_id, a.contact_id, a.score, a.score_if_gone) for a in e.accounts} for e in got
            ] == expected, email
            exposed += bool(expected)
    return (
        f"`exposure` agrees with the rules engine, person by person, on {len(chosen)} random people shared "
        f"between accounts ({exposed} of them exposed): who is exposed, and each account's score now and without them."
    )
