"""The map keeps itself (issue 32, DOMAIN sections 11 and 12, CLI.md revision 3): store settings,
what mail and calendar imports record, people seen, strength suggestions, who of us knows whom,
handover. Mailboxes and calendars are written here, small, with the structure of real exports
(Gmail Takeout mbox headers, Google Calendar attendees with CN and PARTSTAT)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BOTH_BACKENDS, Cli, Result, acting, stored

pytestmark = BOTH_BACKENDS

TODAY = date(2026, 11, 1)
BODY = "Confidential: the budget for 2027 is 1.2 million"


def js(result: Result) -> Any:
    assert result.code == 0, result.err
    return json.loads(result.out)


def message(n: int, day: date, sender: str, to: list[str], cc: list[str] = (), subject: str = "Hello") -> str:  # type: ignore[assignment]
    lines = [
        f"From {n:019d}@xxx Thu Sep 03 10:00:00 +0000 2026",
        f"Message-ID: <m{n}@example>",
        f"Date: {day.strftime('%a, %d %b %Y')} 10:00:00 +0000",
        f"From: {sender}",
        f"To: {', '.join(to)}",
    ]
    if cc:
        lines.append(f"Cc: {', '.join(cc)}")
    lines += [f"Subject: {subject}", "", BODY, ""]
    return "\n".join(lines) + "\n"


def mbox(path: Path, messages: list[str]) -> Path:
    path.write_text("".join(messages))
    return path


def event(uid: str, day: date, attendees: list[tuple[str, str, str]], summary: str = "Sync") -> str:
    people = "".join(f"ATTENDEE;CN={cn};PARTSTAT={st}:mailto:{a}\r\n" for a, cn, st in attendees)
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}\r\nSUMMARY:{summary}\r\n"
        f"DESCRIPTION:{BODY}\r\nORGANIZER;CN=Alex Rivera:mailto:alex@ourco.example\r\n{people}END:VEVENT\r\n"
    )


def ics(path: Path, events: list[str]) -> Path:
    path.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n"
                    + "".join(events) + "END:VCALENDAR\r\n")  # fmt: skip
    return path


@pytest.fixture
def mapped(northwind: Cli) -> Any:  # a Cli with --today set
    def at(*args: str, db_path: Path | None = None) -> Result:
        return northwind("--today", TODAY.isoformat(), *args, db_path=db_path)

    at.db = northwind.db  # type: ignore[attr-defined]
    assert at("settings", "set", "our_domains", "ourco.example").code == 0
    return at


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


# -- settings -----------------------------------------------------------------------------------


def test_settings_list_set_reset_and_refusals(mapped: Cli):
    rows = {r["key"]: r for r in js(mapped("settings", "--json"))}
    assert rows["our_domains"] == {"key": "our_domains", "value": ["ourco.example"], "default": []}
    assert "noreply" in rows["role_addresses"]["value"] and rows["level_threshold_days.vp"]["value"] == 182
    assert js(mapped("settings", "set", "level_threshold_days.vp", "100", "--json")) == {
        "key": "level_threshold_days.vp", "value": 100}  # fmt: skip
    assert js(mapped("settings", "set", "role_threshold_days.champion", "20", "--json")) == {
        "key": "role_threshold_days.champion", "value": 20}  # fmt: skip
    people = {c["name"]: c for c in js(mapped("assess", "Northwind", "--json"))["contacts"]}
    assert people["Tom Chen"]["threshold_days"] == 20
    before = stored(mapped.db, "SELECT value FROM meta WHERE key = 'settings'")
    bad = mapped("settings", "set", "level_threshold_days.vq", "3")
    assert bad.code == 2 and "level_threshold_days.vp" in bad.err and "Traceback" not in bad.err
    for value in ("-1", "x", "1e9", "'; DROP TABLE meta; --"):
        r = mapped("settings", "set", "untimed_engagement_window_days", value)
        assert r.code == 2 and "untimed_engagement_window_days" in r.err
    r = mapped("settings", "set", "our_domains", "a b, \x1b[2J")
    assert r.code == 2 and "not a domain" in r.err
    assert stored(mapped.db, "SELECT value FROM meta WHERE key = 'settings'") == before
    assert js(mapped("settings", "reset", "level_threshold_days.vp", "--json"))["value"] == 182
    assert mapped("settings", "reset", "nope").code == 2


# -- imports record what they saw ---------------------------------------------------------------


def test_mail_import_records_customers_with_direction_and_our_people_never_a_body(mapped: Cli, tmp_path: Path):
    box = mbox(tmp_path / "a.mbox", [
        message(1, days_ago(10), "Ned Ghost <ned@northwind.example>", ["Alex Rivera <alex@ourco.example>"],
                ["tom@northwind.example", "support@northwind.example", "someone@elsewhere.example"]),
        message(2, days_ago(9), "Alex Rivera <alex@ourco.example>", ["Ned Ghost <ned@northwind.example>"]),
    ])  # fmt: skip
    report = js(mapped("import", "mail", str(box), "--json"))
    assert report["interactions_added"] == 4
    got = stored(mapped.db, "SELECT source, address, direction, ours FROM interactions ORDER BY source, address")
    assert got == [
        ("mail:<m1@example>", "ned@northwind.example", "from_them", "alex@ourco.example"),
        ("mail:<m1@example>", "support@northwind.example", "to_them", "alex@ourco.example"),
        ("mail:<m1@example>", "tom@northwind.example", "to_them", "alex@ourco.example"),
        ("mail:<m2@example>", "ned@northwind.example", "to_them", "alex@ourco.example"),
    ]
    assert ("someone@elsewhere.example",) not in stored(mapped.db, "SELECT address FROM interactions")
    assert stored(mapped.db, "SELECT by_name FROM touches WHERE source = 'mail:<m1@example>'") == [
        ("alex@ourco.example",)
    ]
    assert js(mapped("import", "mail", str(box), "--json"))["interactions_added"] == 0
    if not str(mapped.db).startswith("postgres"):
        raw = Path(mapped.db).read_bytes() + (
            Path(str(mapped.db) + "-wal").read_bytes() if Path(str(mapped.db) + "-wal").exists() else b""
        )
        assert BODY.encode() not in raw and b"budget" not in raw


def test_calendar_import_records_meeting_attendees_and_leaves_decliners_out(mapped: Cli, tmp_path: Path):
    cal = ics(tmp_path / "c.ics", [
        event("e1", days_ago(20), [("ned@northwind.example", "Ned Ghost", "ACCEPTED"),
                                   ("sarah@northwind.example", "Sarah Kim", "DECLINED"),
                                   ("lisa@northwind.example", "Lisa Park", "ACCEPTED")]),
    ])  # fmt: skip
    js(mapped("import", "calendar", str(cal), "--json"))
    assert stored(mapped.db, "SELECT address, direction, name, ours FROM interactions ORDER BY address") == [
        ("lisa@northwind.example", "meeting", "Lisa Park", "alex@ourco.example"),
        ("ned@northwind.example", "meeting", "Ned Ghost", "alex@ourco.example"),
    ]


# -- people seen ------------------------------------------------------------------------------


def _ghosts(tmp_path: Path) -> Path:
    return mbox(tmp_path / "g.mbox", [
        message(1, days_ago(10), "Ned Ghost <ned@northwind.example>", ["alex@ourco.example"], ["tom@northwind.example"]),
        message(2, days_ago(10), "alex@ourco.example", ["Ned G. <ned@northwind.example>"]),
        message(3, days_ago(3), "Ned Ghost <ned@northwind.example>", ["alex@ourco.example"]),
        message(4, days_ago(5), "One Day <once@northwind.example>", ["alex@ourco.example"]),
        message(5, days_ago(5), "once@northwind.example", ["alex@ourco.example"]),
        message(6, days_ago(6), "noreply@northwind.example", ["alex@ourco.example"]),
        message(7, days_ago(2), "noreply@northwind.example", ["alex@ourco.example"]),
        message(8, days_ago(6), "Bea <bea@ourco.example>", ["alex@ourco.example"]),
        message(9, days_ago(2), "Bea <bea@ourco.example>", ["alex@ourco.example"]),
    ])  # fmt: skip


def test_people_seen_follow_section_11(mapped: Cli, tmp_path: Path):
    js(mapped("import", "mail", str(_ghosts(tmp_path)), "--json"))
    seen = js(mapped("seen", "--json"))
    # once@ on one day only; noreply@ is a role address; bea@ is ours; tom@ is a contact
    assert seen == [{
        "address": "ned@northwind.example", "names": ["Ned Ghost", "Ned G."], "account": "Northwind",
        "accounts": ["Northwind"], "first_seen": days_ago(10).isoformat(), "last_seen": days_ago(3).isoformat(),
        "days": 2, "meetings": 0, "from_them": 2, "to_them": 1, "with": ["Tom Chen"],
    }]  # fmt: skip
    assert js(mapped("seen", "Northwind", "--json")) == seen


def test_the_account_screens_count_of_people_seen_is_seen_of_that_account(mapped: Cli, tmp_path: Path):
    from stakeworks.db.store import Store
    from stakeworks.services.evidence import seen, seen_count

    # A subsidiary on the same mail domain: a person seen there is seen at both accounts.
    (tmp_path / "labs.csv").write_text("name,arr\nNorthwind Labs,1000\nFabrikam,2000\n")
    (tmp_path / "labs-contacts.csv").write_text(
        "account,name,email,level\nNorthwind Labs,Ana Lab,ana@northwind.example,manager\n"
        "Fabrikam,Fay Brik,fay@fabrikam.example,manager\n"
    )
    assert mapped("import", "accounts", str(tmp_path / "labs.csv")).code == 0
    assert mapped("import", "contacts", str(tmp_path / "labs-contacts.csv")).code == 0
    js(mapped("import", "mail", str(_ghosts(tmp_path)), "--json"))
    with Store(str(mapped.db)) as s:
        counts = {name: seen_count(s, TODAY, account_id) for account_id, name in s.account_names()}
        assert counts == {name: len(seen(s, TODAY, account_id)) for account_id, name in s.account_names()}
    assert counts == {"Northwind": 1, "Northwind Labs": 1, "Fabrikam": 0}


def test_adding_a_person_seen_makes_a_contact_with_their_past_as_touches(mapped: Cli, tmp_path: Path):
    js(mapped("import", "mail", str(_ghosts(tmp_path)), "--json"))
    added = js(mapped("seen", "add", "NED@northwind.example", "--json"))
    assert added == {"address": "ned@northwind.example", "contact": "Ned Ghost", "account": "Northwind", "touches": 3}
    assert stored(mapped.db, "SELECT strength, level, status FROM contacts WHERE email = 'ned@northwind.example'") == [
        (None, "user", "active")
    ]
    assert js(mapped("seen", "--json")) == []
    again = mapped("seen", "add", "ned@northwind.example")
    assert again.code == 1 and "already a contact" in again.err


def test_dismissed_address_is_never_proposed_again(mapped: Cli, tmp_path: Path):
    js(mapped("import", "mail", str(_ghosts(tmp_path)), "--json"))
    assert mapped("seen", "dismiss", "ned@northwind.example").code == 0
    assert js(mapped("seen", "--json")) == []
    js(mapped("import", "mail", str(mbox(tmp_path / "more.mbox", [
        message(20, days_ago(1), "ned@northwind.example", ["alex@ourco.example"])])), "--json"))  # fmt: skip
    assert js(mapped("seen", "--json")) == []


def test_a_domain_shared_by_two_accounts_asks_which(mapped: Cli, tmp_path: Path):
    (tmp_path / "acc.csv").write_text("name,arr\nNorthwind Labs,1000\n")
    (tmp_path / "con.csv").write_text("account,name,email\nNorthwind Labs,Kai,kai@northwind.example\n")
    assert mapped("import", "accounts", str(tmp_path / "acc.csv")).code == 0
    assert mapped("import", "contacts", str(tmp_path / "con.csv")).code == 0
    js(mapped("import", "mail", str(_ghosts(tmp_path)), "--json"))
    (ned,) = js(mapped("seen", "--json"))
    assert ned["account"] is None and ned["accounts"] == ["Northwind", "Northwind Labs"]
    r = mapped("seen", "add", "ned@northwind.example")
    assert r.code == 2 and "Northwind Labs" in r.err and "--account" in r.err
    assert stored(mapped.db, "SELECT count(*) FROM contacts") == [(4,)]
    assert js(mapped("seen", "add", "ned@northwind.example", "--account", "Northwind Labs", "--json"))[
        "account"] == "Northwind Labs"  # fmt: skip


@pytest.mark.parametrize(
    "address",
    ["nobody@northwind.example", "x" * 10_000, "ned@northwind.example\x1b[2J", "[bold]x[/]@northwind.example",
     "'; DELETE FROM contacts; --@x", "not-an-address"],
)  # fmt: skip
def test_seen_add_and_dismiss_refuse_hostile_or_unknown_addresses(mapped: Cli, tmp_path: Path, address: str):
    js(mapped("import", "mail", str(_ghosts(tmp_path)), "--json"))
    before = (
        stored(mapped.db, "SELECT count(*) FROM contacts"),
        stored(mapped.db, "SELECT count(*) FROM seen_dismissed"),
    )
    for action in ("add", "dismiss"):
        r = mapped("seen", action, address)
        assert r.code == 2 and "Traceback" not in r.err and len(r.err) < 600
    after = stored(mapped.db, "SELECT count(*) FROM contacts"), stored(mapped.db, "SELECT count(*) FROM seen_dismissed")
    assert after == before


def test_an_address_later_given_to_a_contact_brings_its_past(mapped: Cli, tmp_path: Path):
    js(mapped("import", "mail", str(_ghosts(tmp_path)), "--json"))
    (tmp_path / "ned.csv").write_text("account,name,email\nNorthwind,Ned Ghost,ned@northwind.example\n")
    assert mapped("import", "contacts", str(tmp_path / "ned.csv")).code == 0
    got = stored(mapped.db, "SELECT t.date FROM touches t JOIN contacts c ON c.id = t.contact_id "
                            "WHERE c.email = 'ned@northwind.example' ORDER BY t.date")  # fmt: skip
    assert got == [(days_ago(10).isoformat(),), (days_ago(10).isoformat(),), (days_ago(3).isoformat(),)]


# -- schema 15 ----------------------------------------------------------------------------------


def test_a_store_at_schema_14_upgrades_keeping_its_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from stakeworks.db import connection
    from stakeworks.db.schema import LATEST_VERSION, MIGRATIONS
    from stakeworks.db.store import Store

    path = tmp_path / "v14.db"
    with monkeypatch.context() as m:
        m.setattr(connection, "MIGRATIONS", MIGRATIONS[:14])
        m.setattr(connection, "LATEST_VERSION", 14)
        Store(path).close()
    raw = sqlite3.connect(path)  # written as a schema-14 program wrote it
    raw.execute("INSERT INTO accounts (id, name, csm) VALUES (1, 'Legacy Co', 'Alex Rivera')")
    raw.execute("INSERT INTO contacts (id, account_id, name, email) VALUES (7, 1, 'Old Timer', 'old@legacy.example')")
    raw.execute("INSERT INTO touches (contact_id, date, kind) VALUES (7, '2026-03-01', 'call')")
    raw.commit()
    raw.close()
    assert stored(path, "PRAGMA user_version") == [(14,)]
    account, contact = 1, 7
    with Store(path) as new:
        assert new.schema_version() == LATEST_VERSION
        assert [c.name for c in new.contacts(account)] == ["Old Timer"]
        assert new.touches_by(date(2026, 1, 1), date(2026, 12, 31)) == [
            (account, contact, date(2026, 3, 1), "", "Alex Rivera")
        ]
    assert stored(path, "SELECT count(*) FROM interactions") == [(0,)]


def test_an_export_from_schema_14_imports(mapped: Cli, tmp_path: Path):
    target = tmp_path / "all.json"
    assert mapped("export", "json", str(target)).code == 0
    data = json.loads(target.read_text())
    for table in ("interactions", "our_people", "seen_dismissed", "suggestion_rejections"):
        del data["tables"][table]
    data["schema"] = 14
    target.write_text(json.dumps(data))
    r = mapped("import", "json", str(target), db_path=tmp_path / "fresh.db")
    assert r.code == 0, r.err
    assert stored(tmp_path / "fresh.db", "SELECT count(*) FROM contacts") == [(3,)]


# -- strength suggestions ------------------------------------------------------------------------


def _to_lisa(tmp_path: Path, oldest: int) -> Path:
    days = [oldest, 40, 30, 20, 10]
    return mbox(tmp_path / f"lisa{oldest}.mbox", [
        message(oldest * 10 + i, days_ago(d), "alex@ourco.example", ["Lisa Park <lisa@northwind.example>"])
        for i, d in enumerate(days)
    ])  # fmt: skip


def _suggested(at: Cli) -> dict[str, dict]:
    return {f"{s['contact']}/{s['kind']}": s for s in js(at("suggestions", "--json"))}


def test_suggestions_follow_section_11_with_their_evidence(mapped: Cli, tmp_path: Path):
    got = _suggested(mapped)
    assert set(got) == {"Tom Chen/decaying", "Lisa Park/decaying"}  # 245 and 241 days, thresholds 30
    assert got["Tom Chen/decaying"] | {"id": 0} == {
        "id": 0, "account": "Northwind", "contact": "Tom Chen", "kind": "decaying", "strength": 5, "suggested": 4,
        "reason": "last touched 245 days ago, more than twice the threshold of 30 days (60)",
        "evidence": {"last_touch": "2026-03-01", "meetings_90d": 0, "from_them_90d": 0, "from_them_days_90d": 0,
                     "to_them_90d": 0},
    }  # fmt: skip
    js(mapped("import", "mail", str(_to_lisa(tmp_path, 91)), "--json"))
    assert set(_suggested(mapped)) == {"Tom Chen/decaying"}  # 4 messages to her in 90 days, and touched now
    js(mapped("import", "mail", str(_to_lisa(tmp_path, 90)), "--json"))  # 90 days ago is inside the window
    lisa = _suggested(mapped)["Lisa Park/one_way"]
    # 5 of the first file's messages are inside the 90 days now (counts are over every file imported)
    assert (lisa["strength"], lisa["suggested"], lisa["evidence"]["to_them_90d"]) == (3, 2, 9)


def test_warming_from_meetings_and_accepting_is_an_edit_with_history(mapped: Cli, tmp_path: Path):
    cal = ics(tmp_path / "m.ics", [
        event("w1", days_ago(30), [("sarah@northwind.example", "Sarah Kim", "ACCEPTED")]),
        event("w2", days_ago(2), [("sarah@northwind.example", "Sarah Kim", "TENTATIVE")]),
    ])  # fmt: skip
    js(mapped("import", "calendar", str(cal), "--json"))
    sarah = _suggested(mapped)["Sarah Kim/warming"]
    assert (sarah["strength"], sarah["suggested"], sarah["evidence"]["meetings_90d"]) == (2, 3, 2)
    done = js(mapped("suggestions", "accept", str(sarah["id"]), "--json"))
    assert done["status"] == "accepted" and done["strength"] == 3
    assert stored(mapped.db, "SELECT strength FROM contacts WHERE name = 'Sarah Kim'") == [(3,)]
    lines = js(mapped("history", "Northwind", "--json"))
    assert any(h["field"] == "strength" and h["old"] == "2" and h["new"] == "3" for h in lines)
    assert "Sarah Kim/warming" not in _suggested(mapped)
    assert mapped("suggestions", "accept", str(sarah["id"])).code == 2  # gone once applied


def test_a_rejected_suggestion_stays_hidden_until_its_evidence_changes(mapped: Cli, tmp_path: Path):
    tom = _suggested(mapped)["Tom Chen/decaying"]
    assert js(mapped("suggestions", "reject", str(tom["id"]), "--json"))["status"] == "rejected"
    assert "Tom Chen/decaying" not in _suggested(mapped)
    later = mapped("--today", (TODAY + timedelta(days=3)).isoformat(), "suggestions", "--json")
    assert "Tom Chen" not in later.out  # days passing is no new evidence
    # a new interaction of his (an old message, so he stays overdue) brings it back
    js(mapped("import", "mail", str(mbox(tmp_path / "t.mbox", [
        message(300, days_ago(200), "Tom Chen <tom@northwind.example>", ["alex@ourco.example"])])), "--json"))  # fmt: skip
    assert "Tom Chen/decaying" in _suggested(mapped)


@pytest.mark.parametrize("word", ["999999", "0", "x" * 10_000, "1; DROP TABLE contacts", "\x1b[2J", "-5"])
def test_suggestions_refuse_unknown_or_hostile_ids(mapped: Cli, word: str):
    before = stored(mapped.db, "SELECT count(*), sum(strength) FROM contacts")
    for action in ("accept", "reject"):
        r = mapped("suggestions", action, word)
        assert r.code == 2 and "Traceback" not in r.err and len(r.err) < 300
    assert stored(mapped.db, "SELECT count(*), sum(strength) FROM contacts") == before
    assert stored(mapped.db, "SELECT count(*) FROM suggestion_rejections") == [(0,)]


# -- our side ----------------------------------------------------------------------------------


def test_by_on_logged_touches_defaults_to_the_accounts_csm(mapped: Cli, backend: str):
    """On a file the person logging is --user, else the account's CSM; on a server, the login."""
    assert mapped("touch", "Northwind", "Tom Chen", "--kind", "call", "--date", "2026-10-20").code == 0
    assert mapped("touch", "Northwind", "Tom Chen", "--kind", "call", "--date", "2026-10-21", "--user", "Bea Stone"
                  ).code == 0  # fmt: skip
    assert stored(mapped.db, "SELECT by_name FROM touches WHERE date >= '2026-10-20' ORDER BY date") == [
        (acting(backend, "Alex Rivera"),),
        (acting(backend, "Bea Stone"),),
    ]


def _our_touches(at: Cli, tmp_path: Path) -> None:
    # Alex by mail (address), by name (the CSM on CSV touches) and by --by; Bea on Tom only.
    js(at("import", "mail", str(mbox(tmp_path / "o.mbox", [
        message(400, days_ago(5), "Alex Rivera <alex@ourco.example>", ["tom@northwind.example"]),
        message(401, days_ago(4), "Bea Stone <bea@ourco.example>", ["tom@northwind.example"],
                ["alex@ourco.example"]),
    ])), "--json"))  # fmt: skip
    for name in ("Tom Chen", "Lisa Park"):
        assert at("touch", "Northwind", name, "--kind", "call", "--date", days_ago(1).isoformat(), "--by",
                  "Alex Rivera").code == 0  # fmt: skip
    assert at("touch", "Northwind", "Lisa Park", "--kind", "call", "--date", days_ago(400).isoformat(), "--by",
              "Old Timer").code == 0  # fmt: skip


def test_whoknows_and_our_bus_factor(mapped: Cli, tmp_path: Path):
    _our_touches(mapped, tmp_path)
    tom = js(mapped("whoknows", "Northwind", "Tom Chen", "--json"))
    assert tom == {"contact": "Tom Chen", "ours": [
        {"who": "Alex Rivera", "touches": 4, "last": days_ago(1).isoformat()},  # with the CSV's (the CSM's)
        {"who": "Bea Stone", "touches": 1, "last": days_ago(4).isoformat()},
    ]}  # fmt: skip
    every = {r["contact"]: r["ours"] for r in js(mapped("whoknows", "Northwind", "--json"))}
    assert [k["who"] for k in every["Lisa Park"]] == ["Alex Rivera"]  # Old Timer's touch is 400 days old
    # her one touch came from the CSV (2025-12-15, 321 days ago): the account's CSM's
    assert every["Sarah Kim"] == [{"who": "Alex Rivera", "touches": 1, "last": "2025-12-15"}]
    # engaged: Tom (touched, strength 5) and Lisa (strength 3, touched yesterday); Sarah is weak
    assert js(mapped("assess", "Northwind", "--json"))["our_bus_factor"] == 2


def test_handover_orphaned_accounts_first(mapped: Cli, tmp_path: Path):
    (tmp_path / "acc.csv").write_text("name,arr,csm\nContoso,5000,Alex Rivera\n")
    (tmp_path / "con.csv").write_text(
        "account,name,email,level,strength,last_touch,last_touch_kind\nContoso,Kai,kai@contoso.example,manager,4,"
        f"{days_ago(3).isoformat()},call\n"
    )
    assert mapped("import", "accounts", str(tmp_path / "acc.csv")).code == 0
    assert mapped("import", "contacts", str(tmp_path / "con.csv")).code == 0
    _our_touches(mapped, tmp_path)
    held = js(mapped("handover", "alex@ourco.example", "--json"))
    assert held["who"] == "Alex Rivera"
    assert [(a["account"], a["orphaned"]) for a in held["accounts"]] == [("Contoso", True), ("Northwind", False)]
    north = held["accounts"][1]
    assert north["contacts"] == [
        {"contact": "Tom Chen", "others": ["Bea Stone"]},
        {"contact": "Lisa Park", "others": []},
    ]
    assert js(mapped("handover", "Alex Rivera", "--json")) == held  # the name is the same person as the address
    bea = js(mapped("handover", "Bea Stone", "--json"))
    assert [(a["account"], a["orphaned"]) for a in bea["accounts"]] == [("Northwind", False)]


@pytest.mark.parametrize("who", ["Nobody Known", "x" * 10_000, "\x1b]0;pwned\x07", "' OR 1=1 --", "%", "[b]x[/b]"])
def test_handover_and_whoknows_refuse_unknown_or_hostile_names(mapped: Cli, who: str):
    r = mapped("handover", who)
    assert r.code == 2 and "Traceback" not in r.err and "\x1b" not in r.err and len(r.err) < 400
    r = mapped("whoknows", "Northwind", who)
    assert r.code == 2 and "Traceback" not in r.err and "\x1b" not in r.err


# -- real files: what they taught (issue 32) -------------------------------------------------------

MAIL = Path(__file__).parent.parent / "fixtures" / "mail"


def test_a_takeout_separator_with_no_blank_line_before_it_still_starts_a_message(mapped: Cli):
    report = js(mapped("import", "mail", str(MAIL / "takeout_no_blank_line.mbox"), "--json"))
    assert report["read"] == 3
    assert stored(mapped.db, "SELECT source FROM touches WHERE source LIKE 'mail:%' ORDER BY date") == [
        ("mail:<CAK=first-1@mail.northwind.example>",),
        ("mail:<second-2@ourco.example>",),
    ]
    (ned,) = js(mapped("seen", "--json"))
    assert (ned["address"], ned["days"], ned["from_them"], ned["to_them"]) == ("ned@northwind.example", 2, 1, 1)


def _signals(at: Cli) -> dict[str, str]:
    return {s["contact"]: s["evidence"] for s in js(at("signals", "--json"))}


def test_a_postfix_bounce_for_two_recipients_gives_each_its_own_diagnostic(mapped: Cli):
    js(mapped("import", "mail", str(MAIL / "more_bounces" / "postfix_two_recipients.eml"), "--json"))
    got = _signals(mapped)
    assert set(got) == {"Lisa Park", "Sarah Kim"}
    assert "User unknown in virtual mailbox table" in got["Lisa Park"] and "RecipientNotFound" not in got["Lisa Park"]
    assert "5.1.10 RESOLVER.ADR.RecipientNotFound" in got["Sarah Kim"] and "virtual mailbox" not in got["Sarah Kim"]


def test_message_too_big_and_attachment_refused_are_not_departures(mapped: Cli):
    for name in ("postfix_too_big.eml", "exim_attachment_refused.eml"):
        report = js(mapped("import", "mail", str(MAIL / "more_bounces" / name), "--json"))
        assert (report["bounces"], report["signals_raised"]) == (1, 0), name
        assert report["skipped"] == {"bounces that do not say the address is gone": 1}
    assert _signals(mapped) == {}


@pytest.mark.parametrize(
    ("status", "diagnostic", "gone"),
    [
        ("5.1.1", "550 5.1.1 User unknown", True),
        ("5.0.0", "550 5.1.1 <x@y>: Recipient address rejected: User unknown", True),  # Exim's generic Status
        ("5.1.10", "550 5.1.10 RESOLVER.ADR.RecipientNotFound", True),
        ("5.3.4", "552 5.3.4 Message size exceeds fixed maximum message size", False),
        ("5.0.0", "550 5.7.1 Message rejected: attachment type .zip refused by policy", False),
        ("5.2.2", "552 5.2.2 Mailbox full", False),
        ("", "This address no longer accepts mail.", True),  # qmail: no code, words say it
        ("", "Sorry, no mailbox here by that name. (#5.1.1)", True),
        ("", "Message too large", False),
    ],
)
def test_only_failures_saying_the_address_does_not_exist_are_departures(status: str, diagnostic: str, gone: bool):
    from stakeworks.interchange.mail import address_gone

    assert address_gone(status, diagnostic) is gone


def test_a_bounce_years_before_the_last_touch_proposes_no_departure(mapped: Cli, tmp_path: Path):
    old = (MAIL / "more_bounces" / "postfix_two_recipients.eml").read_text().replace("Oct 2026", "Oct 2023")
    (tmp_path / "old.eml").write_text(old)  # Lisa and Sarah were touched in 2025-2026, after it
    report = js(mapped("import", "mail", str(tmp_path / "old.eml"), "--json"))
    assert report["signals_raised"] == 0 and report["skipped"] == {"bounces older than a later touch": 2}
