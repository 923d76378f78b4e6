"""A living map (issue 18, CLI.md "A living map"): touches from calendar exports (Google, Outlook,
Apple shapes: time zones, all-day events, recurring events with moved, excluded and cancelled
occurrences) and mailboxes (mbox, Maildir, .eml), bounce signals (RFC 3464 and qmail's format),
idempotent re-imports, confirm and dismiss. The fixtures are described in tests/fixtures/README.md."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from stakeworks.db.store import Store
from stakeworks.domain.models import Signal
from tests.conftest import BOTH_BACKENDS, FIXTURES, TODAY, Cli, Result, dump_text, stored

pytestmark = BOTH_BACKENDS

CAL = FIXTURES / "calendar"
MAIL = FIXTURES / "mail"


def at(cli: Cli, *args: str) -> Result:
    return cli("--today", TODAY.isoformat(), *args)


def js(result: Result) -> dict:
    assert result.code == 0, result.err
    return json.loads(result.out)


def touches(cli: Cli, source_prefix: str) -> list[tuple[str, str, str]]:
    return stored(
        cli.db,
        "SELECT c.name, t.date, t.kind FROM touches t JOIN contacts c ON c.id = t.contact_id "
        "WHERE t.source LIKE ? ORDER BY t.date, c.name",
        (source_prefix + "%",),
    )


def test_google_calendar_each_past_occurrence_on_its_own_day(northwind: Cli):
    report = js(at(northwind, "import", "calendar", str(CAL / "google.ics"), "--json"))
    got = touches(northwind, "ics:")
    # weekly sync on Tuesdays at 08:00 Sydney time (the day before in UTC): the local day counts;
    # the occurrence of 15 September was moved to the 14th; the QBR is an all-day event
    assert [d for n, d, k in got if n == "Tom Chen"] == [
        "2026-09-01",
        "2026-09-08",
        "2026-09-14",
        "2026-09-22",
        "2026-09-29",
    ]
    assert [(n, d, k) for n, d, k in got if n == "Sarah Kim"] == [
        ("Sarah Kim", "2026-10-20", "qbr")
    ]  # Sarah@Northwind: any case
    assert report["touches_added"] == 11 and report["read"] == 6
    assert report["unmatched_addresses"] == 2  # our own address and a partner's: no contact of ours
    assert report["upcoming"] == [{"date": "2026-12-01", "title": "Northwind renewal planning",
                                   "contacts": ["Tom Chen"], "accounts": ["Northwind"]}]  # fmt: skip
    assert stored(northwind.db, "SELECT count(*) FROM touches WHERE date > ?", (TODAY.isoformat(),)) == [(0,)]


def test_outlook_calendar_excluded_and_cancelled_occurrences_are_not_touches(northwind: Cli):
    js(at(northwind, "import", "calendar", str(CAL / "outlook.ics"), "--json"))
    got = touches(northwind, "ics:")
    # every other Thursday from 3 September, 17 September excluded (EXDATE); the EBR all-day
    assert got == [
        ("Sarah Kim", "2026-09-03", "meeting"), ("Sarah Kim", "2026-10-01", "meeting"),
        ("Tom Chen", "2026-10-08", "ebr"), ("Sarah Kim", "2026-10-15", "meeting"),
    ]  # fmt: skip
    assert not any(n == "Lisa Park" for n, _, _ in got)  # the cancelled check-in, which she declined


def test_apple_calendar_and_a_second_import_adds_nothing(northwind: Cli):
    first = js(at(northwind, "import", "calendar", str(CAL / "apple.ics"), "--json"))
    assert touches(northwind, "ics:") == [
        ("Lisa Park", "2026-08-25", "meeting"),
        ("Lisa Park", "2026-09-25", "meeting"),
        ("Tom Chen", "2026-10-14", "meeting"),
    ]  # fmt: skip  (21:00 New York is the next day in UTC; October's is excluded; November's is ahead)
    again = js(at(northwind, "import", "calendar", str(CAL / "apple.ics"), "--json"))
    assert (first["touches_added"], again["touches_added"], again["touches_already_there"]) == (3, 0, 3)
    assert len(touches(northwind, "ics:")) == 3


def test_a_dry_run_writes_nothing(northwind: Cli):
    before = stored(northwind.db, "SELECT count(*) FROM touches")
    dry = js(at(northwind, "import", "calendar", str(CAL / "google.ics"), "--dry-run", "--json"))
    assert dry["touches_added"] == 11 and dry["dry_run"] is True
    dry = js(at(northwind, "import", "mail", str(MAIL / "ordinary.mbox"), "--dry-run", "--json"))
    assert dry["signals_raised"] == 2
    assert stored(northwind.db, "SELECT count(*) FROM touches") == before
    assert stored(northwind.db, "SELECT count(*) FROM signals") == [(0,)]


def test_mbox_touches_from_headers_only_and_bounces_become_signals(northwind: Cli):
    report = js(at(northwind, "import", "mail", str(MAIL / "ordinary.mbox"), "--json"))
    assert (report["read"], report["touches_added"], report["bounces"], report["signals_raised"]) == (6, 3, 2, 2)
    assert report["skipped"] == {"dated after today": 1}
    assert touches(northwind, "mail:") == [
        ("Lisa Park", "2026-09-01", "email"),
        ("Tom Chen", "2026-09-01", "email"),
        ("Tom Chen", "2026-09-02", "email"),
    ]  # fmt: skip  (Lisa in Cc with another case; Tom's reply on his own date, -0700)
    # nothing of a body is kept: no note, and no text of the messages anywhere in the file
    assert stored(northwind.db, "SELECT DISTINCT note FROM touches WHERE source LIKE 'mail:%'") == [("",)]
    everything = northwind.db.read_bytes() if isinstance(northwind.db, Path) else dump_text(northwind.db).encode()
    assert b"See you then" not in everything and b"Sprint" not in everything
    signals = js(at(northwind, "signals", "--json"))
    assert {(s["contact"], s["kind"]) for s in signals} == {
        ("Sarah Kim", "email_bounced"),
        ("Lisa Park", "email_bounced"),
    }
    sarah = next(s for s in signals if s["contact"] == "Sarah Kim")
    assert "550 5.1.1 User unknown" in sarah["evidence"] and "mark Sarah Kim departed" in sarah["suggestion"]
    again = js(at(northwind, "import", "mail", str(MAIL / "ordinary.mbox"), "--json"))
    assert (again["touches_added"], again["signals_raised"]) == (0, 0)


def test_maildir_and_a_folder_of_eml_files(northwind: Cli):
    report = js(at(northwind, "import", "mail", str(MAIL / "maildir"), "--json"))
    assert (report["read"], report["touches_added"]) == (2, 2)
    assert touches(northwind, "mail:") == [("Sarah Kim", "2026-10-16", "email"), ("Sarah Kim", "2026-10-17", "email")]
    bounces = js(at(northwind, "import", "mail", str(MAIL / "bounces"), "--json"))
    assert (bounces["bounces"], bounces["signals_raised"]) == (2, 2)  # one RFC 3464 report, one qmail one


def test_confirm_departs_through_the_playbook_and_dismiss_stays_dismissed(northwind: Cli):
    js(at(northwind, "import", "mail", str(MAIL / "bounces"), "--json"))
    ids = {s["contact"]: s["id"] for s in js(at(northwind, "signals", "Northwind", "--json"))}
    done = js(
        at(northwind, "--user", "Alex", "signals", "confirm", str(ids["Sarah Kim"]), "--date", "2026-10-09", "--json")
    )
    assert done["status"] == "confirmed"
    assert stored(northwind.db, "SELECT status, departed_on FROM contacts WHERE name = 'Sarah Kim'") == [
        ("departed", "2026-10-09")
    ]
    assert js(at(northwind, "signals", "dismiss", str(ids["Lisa Park"]), "--json"))["status"] == "dismissed"
    assert js(at(northwind, "signals", "--json")) == []
    again = js(at(northwind, "import", "mail", str(MAIL / "bounces"), "--json"))
    assert again["signals_raised"] == 0  # the same evidence never raises a signal twice
    assert stored(northwind.db, "SELECT status FROM contacts WHERE name = 'Lisa Park'") == [("active",)]
    twice = at(northwind, "signals", "confirm", str(ids["Lisa Park"]))
    assert twice.code == 1 and "already dismissed" in twice.err
    assert at(northwind, "signals", "confirm", "99").code == 2
    assert at(northwind, "signals", "confirm", "x").code == 2


def test_confirming_a_title_change_updates_title_and_level(northwind: Cli):
    with Store(northwind.db) as s:
        lisa = next(c for a, cs in s.contact_rows().items() for c in cs if c.name == "Lisa Park")
        s.raise_signals([Signal(kind="title_changed", contact_id=lisa.id, raised_on=TODAY, evidence="the CRM says so",
                                evidence_key="crm:title:Director of Engineering", new_title="Director of Engineering",
                                new_level="director")])  # fmt: skip
    (signal,) = js(at(northwind, "signals", "--json"))
    assert (
        "update Lisa Park's title from Engineering Manager to Director of Engineering (level director)"
        in signal["suggestion"]
    )
    js(at(northwind, "signals", "confirm", str(signal["id"]), "--json"))
    assert stored(northwind.db, "SELECT title, level FROM contacts WHERE name = 'Lisa Park'") == [
        ("Director of Engineering", "director")
    ]


def test_files_that_are_not_calendars_or_mailboxes_are_refused_clearly(northwind: Cli, tmp_path: Path):
    bad = tmp_path / "notes.ics"
    bad.write_text("hello\n")
    r = at(northwind, "import", "calendar", str(bad))
    assert r.code == 2 and "notes.ics" in r.err and "Traceback" not in r.err
    r = at(northwind, "import", "mail", str(bad))
    assert r.code == 2 and "not an mbox file" in r.err
    r = at(northwind, "import", "mail", str(tmp_path / "missing"))
    assert r.code == 2 and "no such file or folder" in r.err
    (tmp_path / "empty").mkdir()
    r = at(northwind, "import", "mail", str(tmp_path / "empty"))
    assert r.code == 2 and "neither a Maildir" in r.err


SF = FIXTURES / "crm" / "salesforce_dataloader"


def _salesforce_contacts(tmp_path: Path, change: Callable[[dict[str, str]], bool]) -> Path:
    """The Data Loader's Contact.csv with rows changed (or left out, where `change` says False)."""
    import csv

    with (SF / "Contact.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [r for r in reader if change(r)]
        fields = list(reader.fieldnames or [])
    out = tmp_path / "Contact-newer.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fields, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    return out


def test_crm_bounce_fields_titles_moves_and_a_full_list_raise_signals(cli: Cli, tmp_path: Path):
    """A newer Salesforce export: a bounce in its own fields, a new title, a move to another of our
    accounts, and (with --full) a person it no longer lists. Each raises its signal once, with its
    evidence; a re-import raises none; confirming the move departs her here and adds her there."""
    js(at(cli, "import", "accounts", str(SF / "Account.csv"), "--json"))
    js(at(cli, "import", "contacts", str(SF / "Contact.csv"), "--json"))

    def newer(r: dict[str, str]) -> bool:
        if r["LastName"] == "Solberg":
            r["EmailBouncedDate"], r["EmailBouncedReason"] = "2026-10-30T08:12:00.000Z", "550 5.1.1 mailbox unavailable"
        if r["LastName"] == "Berg":
            r["Title"] = "Chief Technology Officer"
        if r["LastName"] == "Mori":
            r["AccountId"] = "0018a00002HvLs3AAE"  # Quillon Labs -> Brightwater Bank
        return r["LastName"] != "Dahl"  # Mette left: the CRM's list for Halvard no longer has her

    f = _salesforce_contacts(tmp_path, newer)
    dry = js(at(cli, "import", "contacts", str(f), "--full", "--dry-run", "--json"))
    assert dry["signals"] == {"email_bounced": 1, "missing_from_crm": 1, "moved_account": 1, "title_changed": 1}
    assert stored(cli.db, "SELECT count(*) FROM signals") == [(0,)]
    got = js(at(cli, "import", "contacts", str(f), "--full", "--json"))
    assert got["signals"] == dry["signals"] and got["updated"] == 1  # the title; nobody moved, nobody departed
    signals = {s["kind"]: s for s in js(at(cli, "signals", "--json"))}
    assert signals["email_bounced"]["contact"] == "Ingrid Solberg"
    assert (
        "marked bounced on 2026-10-30T08:12:00.000Z (550 5.1.1 mailbox unavailable)"
        in signals["email_bounced"]["evidence"]
    )
    # His level was read off his old title, so the import took the new one's level too; a level set
    # by hand would wait for the CSM ("set Tomas Berg's level to c_level: ...").
    assert signals["title_changed"]["suggestion"] == (
        "note Tomas Berg's new title, Chief Technology Officer (level c_level): who they influence may change"
    )
    assert (
        "'Chief Technology Officer', was 'VP, Fleet Technology' (Contact-newer.csv line 3)"
        in signals["title_changed"]["evidence"]
    )
    assert (
        signals["missing_from_crm"]["contact"] == "Mette Dahl"
        and "0038a00003Pq003" in signals["missing_from_crm"]["evidence"]
    )
    assert signals["moved_account"]["contact"] == "Aiko Mori"
    assert (
        "add them at Brightwater Bank, an account of ours: an expansion lead there"
        in signals["moved_account"]["suggestion"]
    )
    assert stored(cli.db, "SELECT status FROM contacts WHERE name = 'Mette Dahl'") == [("active",)]
    # The same evidence again raises nothing, dismissed or not.
    js(at(cli, "signals", "dismiss", str(signals["missing_from_crm"]["id"]), "--json"))
    with Store(cli.db) as s:  # the home screen's count: what `signals` lists, the dismissed one no more
        assert s.open_signal_count() == len(js(at(cli, "signals", "--json"))) == 3
    again = js(at(cli, "import", "contacts", str(f), "--full", "--json"))
    assert "signals" not in again and again["unchanged"] == 6
    # Without --full, a list that lacks someone says nothing about them.
    assert "missing_from_crm" not in js(at(cli, "import", "contacts", str(f), "--dry-run", "--json")).get("signals", {})
    # Confirming the move: departed at Quillon Labs, a new contact at Brightwater Bank with her CRM identity.
    js(at(cli, "signals", "confirm", str(signals["moved_account"]["id"]), "--json"))
    rows = stored(cli.db, "SELECT a.name, c.status, c.crm_id, c.strength FROM contacts c JOIN accounts a "
                          "ON a.id = c.account_id WHERE c.name = 'Aiko Mori' ORDER BY c.id")  # fmt: skip
    assert rows == [("Quillon Labs", "departed", "", None), ("Brightwater Bank", "active", "0038a00003Pq007", None)]
    # The next import finds her where the CRM has her: no new signal, nobody added.
    last = js(at(cli, "import", "contacts", str(f), "--json"))
    assert "signals" not in last and last["added"] == 0


def test_full_is_only_for_contacts(cli: Cli):
    result = at(cli, "import", "accounts", str(SF / "Account.csv"), "--full")
    assert result.code == 2 and "--full applies to a contacts import" in result.err and not result.out
