"""History on a file store: every change says who, when, which record and field, old and new;
`history` and `diff` read it (CLI.md "Team store")."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from stakeworks.db.actor import Actor
from stakeworks.db.store import Store
from stakeworks.domain.models import Role, Sentiment, Touch
from tests.conftest import BOTH_BACKENDS, NORTHWIND_ACCOUNTS, NORTHWIND_CONTACTS, Cli, Result, acting

pytestmark = BOTH_BACKENDS


def _json(result: Result) -> Any:
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_history_names_who_changed_which_field(northwind: Cli, backend: str):
    cli = northwind
    assert (
        cli(
            "--user", "Ana Ruiz", "--today", "2027-01-05", "depart", "Northwind", "Tom Chen", "--date", "2027-01-05"
        ).code
        == 0
    )
    lines = _json(cli("history", "Northwind", "--since", "2027-01-05", "--json"))
    assert isinstance(lines, list)
    status = [line for line in lines if line["field"] == "status"]
    assert status == [{"at": status[0]["at"], "user": acting(backend, "Ana Ruiz"), "record": "contact", "name": "Tom Chen",
                       "field": "status", "old": "active", "new": "departed"}]  # fmt: skip
    assert status[0]["at"].startswith("2027-01-05T") and status[0]["at"].endswith("Z")
    # The import that made the map is history too, by whoever ran it (before --since: left out).
    everything = _json(cli("history", "Northwind", "--json"))
    assert {(line["name"], line["field"]) for line in everything} >= {("Tom Chen", "created"), ("Northwind", "created")}
    assert len(everything) > len(lines)
    # A role is a line about the person; re-saving the same roles writes none.
    assert not [line for line in lines if line["field"] == "role"]


def test_diff_since_a_day_is_the_net_change_with_the_score_then_and_now(cli: Cli, tmp_path: Path):
    (tmp_path / "a.csv").write_text(NORTHWIND_ACCOUNTS)
    (tmp_path / "c.csv").write_text(NORTHWIND_CONTACTS)
    assert cli("--today", "2026-09-01", "import", "accounts", str(tmp_path / "a.csv")).code == 0
    assert cli("--today", "2026-09-01", "import", "contacts", str(tmp_path / "c.csv")).code == 0
    assert cli("--today", "2026-10-01", "risk").code == 0  # records the score on 2026-10-01
    with Store(cli.db) as store:
        store.repos.tx.actor = Actor("Ana Ruiz", date(2026, 10, 15))
        nid = next(i for i, n in store.account_names() if n == "Northwind")
        sarah = next(c for c in store.contacts(nid) if c.name == "Sarah Kim")
        lisa = next(c for c in store.contacts(nid) if c.name == "Lisa Park")
        store.save_contact(sarah.model_copy(update={"strength": 4, "sentiment": Sentiment.SUPPORTIVE}))
        lisa = store.save_contact(lisa.model_copy(update={"roles": {Role.TECHNICAL_LEAD, Role.CHAMPION}}))
        store.save_contact(lisa.model_copy(update={"strength": 5}))
        store.save_contact(store.contact(lisa.id).model_copy(update={"strength": 3}))  # and back: no change
        # Sarah met again: without it everyone is long overdue by now and both scores sit at the cap.
        store.add_touch(Touch(contact_id=sarah.id, date=date(2026, 10, 15), kind="meeting"))
    contacts = tmp_path / "more.csv"
    contacts.write_text("account,name,title,email\nNorthwind,Omar Haddad,CIO,omar@northwind.example\n")
    assert cli("--today", "2026-10-20", "import", "contacts", str(contacts)).code == 0
    assert cli("--today", "2026-11-01", "depart", "Northwind", "Tom Chen", "--date", "2026-11-01").code == 0
    diff = _json(cli("--today", "2026-11-01", "diff", "Northwind", "--since", "2026-10-01", "--json"))
    assert isinstance(diff, dict)
    assert diff["added"] == ["Omar Haddad"]
    assert diff["departed"] == ["Tom Chen"]
    assert diff["roles_gained"] == [{"name": "Lisa Park", "role": "champion"}]
    assert diff["strength"] == [{"name": "Sarah Kim", "old": "2", "new": "4"}]
    assert diff["sentiment"] == [{"name": "Sarah Kim", "old": "neutral", "new": "supportive"}]
    assert diff["score_then"]["day"] == "2026-10-01"
    assert (diff["score_then"]["score"], diff["score_now"]["score"]) == (100, 66)
    text = cli("--today", "2026-11-01", "diff", "Northwind", "--since", "2026-10-01")
    assert "Departed: Tom Chen" in text.out and "Roles gained: Lisa Park: champion" in text.out


def test_history_of_a_typo_is_refused_not_empty(northwind: Cli):
    result = northwind("history", "Northwnd")
    assert result.code == 2 and "Northwind" in result.err
    bad = northwind("diff", "Northwind", "--since", "yesterday")
    assert bad.code == 2 and "--since" in bad.err and "Traceback" not in bad.err


def test_loading_an_export_keeps_its_history_and_adds_none(northwind: Cli, tmp_path: Path):
    cli = northwind
    export = tmp_path / "all.json"
    assert cli("export", "json", str(export)).code == 0
    before = _json(cli("history", "Northwind", "--json"))
    copy = tmp_path / "copy.db"
    assert cli("import", "json", str(export), db_path=copy).code == 0
    assert _json(cli("history", "Northwind", "--json", db_path=copy)) == before
