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


def page_agrees(server: str, file: str, what: str, sample: int = 20) -> str:
    """The account screen's reads on the team store (read ahead, together) equal the file's: the
    biggest account's page and `sample` random ones."""
    from stakeworks.db.store import Store
    from stakeworks.services import records

    with Store(file) as on_file, Store(server) as on_server:
        settings = on_file.settings()
        ids = [max(on_file.account_rows(), key=lambda r: r.arr).id]
        ids += [i for i, _ in random.Random(2).sample(on_file.account_names(), sample)]
        for account_id in ids:
            page = records.account_page(on_server, account_id, TODAY, settings)
            assert page == records.account_page(on_file, account_id, TODAY, settings), account_id
    return (
        f"The account screen's reads on {what} equal the file's on {len(ids)} accounts (the biggest and random ones)."
    )


def evidence_agrees(location: str, sample: int = 50) -> str:
    """`seen` and `suggestions` over the whole portfolio (the fast paths: one query each, the
    contacts prefiltered) equal DOMAIN section 11 worked out account by account: `seen` of the
    account alone, and section 11's table applied to each of its contacts as the store holds them."""
    from stakeworks.db.store import Store
    from stakeworks.domain.evidence import Activity, evidence_key, suggestions_for
    from stakeworks.services import evidence

    with Store(location) as s:
        ids = random.Random(11).sample([a for a, _ in s.account_names()], min(sample, len(s.account_names())))
        everyone = evidence.seen(s, TODAY)
        suggested = evidence.suggestions(s, TODAY)
        settings, rejected = s.settings(), s.suggestion_rejections()
        activity = s.activity(TODAY - timedelta(days=90), TODAY)
        seen_n = suggestions_n = 0
        for account_id in ids:
            alone = [p.address for p in evidence.seen(s, TODAY, account_id)]
            assert [p.address for p in everyone if account_id in p.account_ids] == alone, account_id
            contacts = s.contacts(account_id)
            mine = {c.id for c in contacts}
            expected = sorted(
                (x.id, x.kind, x.suggested, x.reason)
                for c in contacts
                for x in suggestions_for(c, activity.get(c.id or 0, Activity()), TODAY, settings, c.id or 0)
                if rejected.get((x.contact_id, x.kind)) != evidence_key(c.strength, *s.evidence_counts(c.id or 0))
            )
            got = sorted((x.id, x.kind, x.suggested, x.reason) for x in suggested if x.contact_id in mine)
            assert got == expected, account_id
            seen_n, suggestions_n = seen_n + len(alone), suggestions_n + len(got)
    return (
        f"`seen` and `suggestions` over the whole portfolio agree with DOMAIN section 11 worked out account by "
        f"account on {len(ids)} random accounts ({seen_n} people seen, {suggestions_n} suggestions among them)."
    )


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
