"""Influence lines (DOMAIN section 14, issue 33): `influence` adds, changes and removes them, a
self-line and a line across accounts are refused with nothing written, hostile input gets a
clear refusal; `map --json` lists them; `export json`/`import json` carry them; the schema step
that brings them upgrades a store at the previous schema, and an older export still imports.
On a file and on a team store."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from stakeworks.db import connection
from stakeworks.db.schema import LATEST_VERSION, MIGRATIONS, PEOPLE_STEP
from stakeworks.db.store import Store
from tests.conftest import BOTH_BACKENDS, FIXTURES, Result, dump_text, stored

pytestmark = BOTH_BACKENDS


def lines(cli: Callable[..., Result]) -> list[tuple[str, str, str, str]]:
    return [
        tuple(r)
        for r in stored(
            cli.db,  # type: ignore[attr-defined]
            "SELECT f.name, t.name, i.sign, i.note FROM influences i JOIN contacts f ON f.id = i.from_id "
            "JOIN contacts t ON t.id = i.to_id ORDER BY f.name, t.name",
        )
    ]


def test_a_line_is_added_changed_listed_and_removed(northwind: Callable[..., Result]):
    cli = northwind
    added = cli("influence", "Northwind", "Lisa Park", "Sarah Kim", "--sign", "negative", "--note", "old rivalry")
    assert added.code == 0 and "Lisa Park -> Sarah Kim (negative -) added" in added.out
    assert lines(cli) == [("Lisa Park", "Sarah Kim", "negative", "old rivalry")]
    changed = json.loads(cli("influence", "Northwind", "Lisa Park", "Sarah Kim", "--sign", "+", "--json").out)
    assert changed == {"account": "Northwind", "from": "Lisa Park", "to": "Sarah Kim", "sign": "positive",
                       "note": "", "added": False}  # fmt: skip
    # Lines may form loops: people sway each other.
    assert cli("influence", "Northwind", "Sarah Kim", "Lisa Park", "--sign", "neutral").code == 0
    shown = json.loads(cli("map", "Northwind", "--format", "json").out)["influences"]
    assert shown == [
        {"from": "Lisa Park", "to": "Sarah Kim", "sign": "positive", "note": ""},
        {"from": "Sarah Kim", "to": "Lisa Park", "sign": "neutral", "note": ""},
    ]
    assert cli("influence", "remove", "Northwind", "Lisa Park", "Sarah Kim").code == 0
    assert lines(cli) == [("Sarah Kim", "Lisa Park", "neutral", "")]
    again = cli("influence", "remove", "Northwind", "Lisa Park", "Sarah Kim")
    assert again.code == 2 and "no influence line from Lisa Park to Sarah Kim" in again.err


def test_a_deleted_contact_takes_its_lines_with_it(northwind: Callable[..., Result]):
    assert northwind("influence", "Northwind", "Tom Chen", "Sarah Kim", "--sign", "positive").code == 0
    (tom,) = stored(northwind.db, "SELECT id FROM contacts WHERE name = 'Tom Chen'")  # type: ignore[attr-defined]
    with Store(northwind.db) as store:  # type: ignore[attr-defined]
        store.delete_contact(tom[0])
    assert lines(northwind) == []


HOSTILE = [
    (("Northwind", "Lisa Park", "Lisa Park", "--sign", "negative"), 1, "cannot influence themselves"),
    (("Northwind", "Lisa Park", "Nobody", "--sign", "negative"), 2, "no contact named 'Nobody'"),
    (("Northwind", "Lisa Park", "Dana Cole", "--sign", "negative"), 2, "no contact named 'Dana Cole'"),  # Contoso's
    (("Northwind", "Lisa Park", "Sarah Kim'; DELETE FROM influences; --", "--sign", "+"), 2, "no contact named"),
    (("Northwind", "Lisa Park", "x" * 10_000, "--sign", "+"), 2, "no contact named 'xxxx"),
    (("Northwind", "Lisa Park", "Sarah Kim", "--sign", "+", "--note", "a\x1b]0;pwned\x07b"), 2, "control character"),
    (("Northwind", "Lisa Park", "Sarah Kim", "--sign", "+", "--note", "y" * 10_000), 2, "at most 200 characters"),
    (("Northwind", "Lisa Park", "Sarah Kim", "--sign", "very"), 2, "not one of positive, negative, neutral"),
    (("Northwind", "Lisa Park", "Sarah Kim"), 2, "--sign is required"),
    (("Northwind", "Lisa Park"), 2, "influence ACCOUNT FROM TO"),
    (("Nowhere", "Lisa Park", "Sarah Kim", "--sign", "+"), 2, "no account named"),
]


@pytest.mark.parametrize(("args", "code", "says"), HOSTILE, ids=[str(i) for i in range(len(HOSTILE))])
def test_hostile_lines_are_refused_clearly_and_write_nothing(
    northwind: Callable[..., Result], tmp_path: Path, args: tuple[str, ...], code: int, says: str
):
    (tmp_path / "a.csv").write_text("name,arr\nContoso,1000\n")
    (tmp_path / "c.csv").write_text("account,name\nContoso,Dana Cole\n")
    assert northwind("import", "accounts", str(tmp_path / "a.csv")).code == 0
    assert northwind("import", "contacts", str(tmp_path / "c.csv")).code == 0
    assert northwind("influence", "Northwind", "Tom Chen", "Sarah Kim", "--sign", "+").code == 0
    before = dump_text(northwind.db)  # type: ignore[attr-defined]
    result = northwind("influence", *args)
    assert (result.code, result.out) == (code, "")
    assert says in result.err and "Traceback" not in result.err and len(result.err) < 400
    assert "\x1b" not in result.err
    assert dump_text(northwind.db) == before  # type: ignore[attr-defined]


def test_markup_in_a_note_is_kept_as_text(northwind: Callable[..., Result]):
    note = "[bold red]boss[/] of $(rm -rf /)"
    assert northwind("influence", "Northwind", "Tom Chen", "Sarah Kim", "--sign", "+", "--note", note).code == 0
    assert lines(northwind) == [("Tom Chen", "Sarah Kim", "positive", note)]


def test_the_store_itself_refuses_a_line_across_accounts_or_to_itself(northwind: Callable[..., Result], tmp_path: Path):
    (tmp_path / "a.csv").write_text("name,arr\nContoso,1000\n")
    (tmp_path / "c.csv").write_text("account,name\nContoso,Dana Cole\n")
    assert northwind("import", "accounts", str(tmp_path / "a.csv")).code == 0
    assert northwind("import", "contacts", str(tmp_path / "c.csv")).code == 0
    ids = dict(stored(northwind.db, "SELECT name, id FROM contacts"))  # type: ignore[attr-defined]
    account = stored(northwind.db, "SELECT id FROM accounts WHERE name = 'Northwind'")[0][0]  # type: ignore[attr-defined]
    with Store(northwind.db) as store:  # type: ignore[attr-defined]
        from stakeworks.domain.errors import Refusal, StakeworksError
        from stakeworks.domain.models import Influence

        across = Influence.model_construct(account_id=account, from_id=ids["Tom Chen"], to_id=ids["Dana Cole"],
                                           sign="positive", note="")  # fmt: skip
        with pytest.raises(Refusal, match="two contacts of its own account"):
            store.save_influence(across)
        itself = Influence.model_construct(account_id=account, from_id=ids["Tom Chen"], to_id=ids["Tom Chen"],
                                           sign="positive", note="")  # fmt: skip
        with pytest.raises(StakeworksError):
            store.save_influence(itself)
        with pytest.raises(ValueError, match="does not influence itself"):
            Influence(account_id=account, from_id=ids["Tom Chen"], to_id=ids["Tom Chen"], sign="positive")
    assert lines(northwind) == []


def test_export_and_import_json_carry_lines_and_links(northwind: Callable[..., Result], tmp_path: Path):
    (tmp_path / "a.csv").write_text("name,arr\nContoso,1000\n")
    (tmp_path / "c.csv").write_text("account,name\nContoso,Tom C.\n")
    assert northwind("import", "accounts", str(tmp_path / "a.csv")).code == 0
    assert northwind("import", "contacts", str(tmp_path / "c.csv")).code == 0
    assert northwind("influence", "Northwind", "Tom Chen", "Sarah Kim", "--sign", "+", "--note", "golf").code == 0
    assert northwind("link", "Northwind", "Tom Chen", "Contoso", "Tom C.").code == 0
    export = tmp_path / "all.json"
    assert northwind("export", "json", str(export)).code == 0
    tables = json.loads(export.read_text())["tables"]
    assert len(tables["influences"]) == 1 and len(tables["contact_links"]) == 1
    copy = tmp_path / "copy.db"
    assert northwind("import", "json", str(export), db_path=copy).code == 0
    assert dump_text(copy) == dump_text(northwind.db)  # type: ignore[attr-defined]


def test_an_export_from_before_influence_lines_still_imports(northwind: Callable[..., Result], tmp_path: Path):
    export = tmp_path / "all.json"
    assert northwind("export", "json", str(export)).code == 0
    data = json.loads(export.read_text())
    del data["tables"]["influences"], data["tables"]["contact_links"]
    data["schema"] = PEOPLE_STEP - 1
    export.write_text(json.dumps(data))
    copy = tmp_path / "copy.db"
    result = northwind("import", "json", str(export), db_path=copy)
    assert result.code == 0, result.err
    assert northwind("influence", "Northwind", "Tom Chen", "Sarah Kim", "--sign", "-", db_path=copy).code == 0
    assert stored(copy, "SELECT count(*) FROM influences") == [(1,)]


def test_an_export_with_a_bad_line_is_refused_naming_it(northwind: Callable[..., Result], tmp_path: Path):
    assert northwind("influence", "Northwind", "Tom Chen", "Sarah Kim", "--sign", "+").code == 0
    export = tmp_path / "all.json"
    assert northwind("export", "json", str(export)).code == 0
    data = json.loads(export.read_text())
    data["tables"]["influences"][0]["sign"] = "furious"
    data["tables"]["influences"].append({**data["tables"]["influences"][0], "id": 99, "sign": "neutral",
                                         "to_id": data["tables"]["influences"][0]["from_id"]})  # fmt: skip
    export.write_text(json.dumps(data))
    copy = tmp_path / "copy.db"
    result = northwind("import", "json", str(export), db_path=copy)
    assert result.code == 2 and "influences record 1" in result.err and "influences record 2" in result.err
    assert "does not influence itself" in result.err


@pytest.mark.one_backend("file")  # the server's step: test_a_server_at_the_previous_schema_gets_the_new_tables
def test_a_store_at_the_previous_schema_is_upgraded_with_its_data(tmp_path: Path, monkeypatch, backend: str):
    path = tmp_path / "old.db"
    shutil.copyfile(FIXTURES / "db" / "schema_v7.db", path)
    with monkeypatch.context() as m:  # the store as the release before this step made it
        m.setattr(connection, "MIGRATIONS", MIGRATIONS[: PEOPLE_STEP - 1])
        m.setattr(connection, "LATEST_VERSION", PEOPLE_STEP - 1)
        with Store(path):
            pass
    assert stored(path, "PRAGMA user_version") == [(PEOPLE_STEP - 1,)]
    assert not stored(path, "SELECT name FROM sqlite_schema WHERE name IN ('influences', 'contact_links')")
    before = stored(path, "SELECT id, name, account_id FROM contacts ORDER BY id")
    with Store(path) as store:
        assert store.schema_version() == LATEST_VERSION
        (account,) = store.account_rows()
        first, second = (c.id for c in store.contacts(account.id)[:2])
        from stakeworks.domain.models import Influence

        store.save_influence(Influence(account_id=account.id, from_id=first, to_id=second, sign="negative"))
    assert stored(path, "SELECT id, name, account_id FROM contacts ORDER BY id") == before
    assert stored(path, "SELECT count(*) FROM influences") == [(1,)]
    assert stored(path, "PRAGMA integrity_check") == [("ok",)]
    backup = tmp_path / f"old.db.v{PEOPLE_STEP - 1}.bak"
    assert sqlite3.connect(backup).execute("PRAGMA user_version").fetchone()[0] == PEOPLE_STEP - 1


@pytest.mark.one_backend("server")  # a file's step is tested above
def test_a_server_at_the_previous_schema_gets_the_new_tables(northwind: Callable[..., Result], backend: str):
    import psycopg

    with psycopg.connect(northwind.db, autocommit=True) as conn:  # type: ignore[attr-defined]
        conn.execute("DROP TABLE influences, contact_links, offline_sync_log")  # the steps from PEOPLE_STEP on
        conn.execute("DROP FUNCTION influences_same_account(), verdict_stale_influence()")
        conn.execute("DROP INDEX contacts_name_lower")
        conn.execute(f"UPDATE stakeworks_schema SET version = {PEOPLE_STEP - 1}")
    assert northwind("influence", "Northwind", "Tom Chen", "Sarah Kim", "--sign", "-").code == 0
    with Store(northwind.db) as store:  # type: ignore[attr-defined]
        assert store.schema_version() == LATEST_VERSION
    assert lines(northwind) == [("Tom Chen", "Sarah Kim", "negative", "")]
    assert northwind("influence", "Northwind", "Tom Chen", "Tom Chen", "--sign", "-").code == 1


def test_the_contacts_csv_influences_column_draws_lines(northwind: Callable[..., Result], tmp_path: Path):
    csv = tmp_path / "more.csv"
    csv.write_text(
        "account,name,influences\n"
        "Northwind,Lisa Park,Sarah Kim:-; tom@northwind.example:+\n"
        "Northwind,Dana Cole,Lisa Park:0\n"  # a new contact, and a line to someone named in the store
    )
    result = northwind("import", "contacts", str(csv))
    assert result.code == 0, result.err
    assert lines(northwind) == [
        ("Dana Cole", "Lisa Park", "neutral", ""), ("Lisa Park", "Sarah Kim", "negative", ""),
        ("Lisa Park", "Tom Chen", "positive", ""),
    ]  # fmt: skip
    # The export writes the column, and importing the export changes nothing.
    out = tmp_path / "contacts.csv"
    assert northwind("export", "contacts", str(out)).code == 0
    exported = out.read_text()
    assert "influences" in exported.splitlines()[0] and "Sarah Kim:-; Tom Chen:+" in exported
    before = dump_text(northwind.db)  # type: ignore[attr-defined]
    assert northwind("import", "contacts", str(out)).code == 0
    assert lines(northwind) == [
        ("Dana Cole", "Lisa Park", "neutral", ""), ("Lisa Park", "Sarah Kim", "negative", ""),
        ("Lisa Park", "Tom Chen", "positive", ""),
    ]  # fmt: skip
    assert dump_text(northwind.db).count('"sign"') == before.count('"sign"')  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("cell", "says"),
    [
        ("Nobody:+", "no contact 'Nobody' at Northwind"),
        ("Lisa Park:+", "a contact does not influence itself"),
        ("Sarah Kim:maybe", "not one of positive, negative, neutral"),
        ("Sarah Kim", "is not NAME:+, NAME:- or NAME:0"),
        ("Dana Cole:+", "no contact 'Dana Cole' at Northwind"),  # Contoso's
    ],
)
def test_a_bad_influences_cell_is_named_and_nothing_is_written(
    northwind: Callable[..., Result], tmp_path: Path, cell: str, says: str
):
    (tmp_path / "a.csv").write_text("name,arr\nContoso,1000\n")
    (tmp_path / "c.csv").write_text("account,name\nContoso,Dana Cole\n")
    assert northwind("import", "accounts", str(tmp_path / "a.csv")).code == 0
    assert northwind("import", "contacts", str(tmp_path / "c.csv")).code == 0
    before = dump_text(northwind.db)  # type: ignore[attr-defined]
    csv = tmp_path / "bad.csv"
    csv.write_text(f"account,name,title,influences\nNorthwind,Lisa Park,Boss,{cell}\n")
    result = northwind("import", "contacts", str(csv))
    assert result.code == 2 and says in result.err and "line 2" in result.err and "influences" in result.err
    assert dump_text(northwind.db) == before  # type: ignore[attr-defined]


def test_the_markdown_report_draws_lines_dotted_with_their_sign(northwind: Callable[..., Result]):
    assert "Influence Lines" not in northwind("map", "Northwind").out  # no lines, no section
    assert northwind("influence", "Northwind", "Lisa Park", "Sarah Kim", "--sign", "-", "--note", "a | b").code == 0
    assert northwind("influence", "Northwind", "Tom Chen", "Sarah Kim", "--sign", "+").code == 0
    report = northwind("map", "Northwind").out
    assert "### Influence Lines" in report
    assert "| Lisa Park | ┈┈(−)┈▶ | Sarah Kim | Against us | a \\| b |" in report
    assert "| Tom Chen | ┈┈(+)┈▶ | Sarah Kim | For us | — |" in report


# -- the rules (DOMAIN section 14) ---------------------------------------------------------------


def factors(cli: Callable[..., Result], account: str = "Northwind") -> dict[str, str]:
    data = json.loads(cli("--today", "2026-03-10", "assess", account, "--json").out)
    return {f["code"]: f["rationale"] for f in data["factors"]}


def risk_factors(cli: Callable[..., Result]) -> list[str]:
    (row,) = json.loads(cli("--today", "2026-03-10", "risk", "--json").out)
    return list(row["factors"])


def test_a_negative_line_to_the_economic_buyer_makes_a_detractor(northwind: Callable[..., Result]):
    assert "unmanaged_detractor" not in factors(northwind) and "unmanaged_detractor" not in risk_factors(northwind)
    assert northwind("influence", "Northwind", "Lisa Park", "Sarah Kim", "--sign", "negative").code == 0
    assert factors(northwind)["unmanaged_detractor"] == (
        "Lisa Park: detractor with no engagement strategy; Lisa Park sways Sarah Kim against us"
    )
    assert "unmanaged_detractor" in risk_factors(northwind)  # the cached verdict was made stale by the line
    # Her engagement strategy manages her, as for a detractor by role or sentiment.
    stored(northwind.db, "UPDATE contacts SET engagement_strategy = 'lunch monthly' WHERE name = 'Lisa Park'")  # type: ignore[attr-defined]
    assert "unmanaged_detractor" not in factors(northwind)
    stored(northwind.db, "UPDATE contacts SET engagement_strategy = '' WHERE name = 'Lisa Park'")  # type: ignore[attr-defined]
    assert northwind("influence", "Northwind", "Lisa Park", "Sarah Kim", "--sign", "positive").code == 0
    assert "unmanaged_detractor" not in factors(northwind) and "unmanaged_detractor" not in risk_factors(northwind)
    assert northwind("influence", "Northwind", "Lisa Park", "Sarah Kim", "--sign", "negative").code == 0
    assert northwind("influence", "remove", "Northwind", "Lisa Park", "Sarah Kim").code == 0
    assert "unmanaged_detractor" not in factors(northwind) and "unmanaged_detractor" not in risk_factors(northwind)


def test_only_lines_to_a_buyer_or_decision_maker_count_and_only_from_the_active(northwind: Callable[..., Result]):
    assert northwind("influence", "Northwind", "Sarah Kim", "Lisa Park", "--sign", "negative").code == 0
    assert "unmanaged_detractor" not in factors(northwind)  # Lisa is a technical lead
    assert northwind("influence", "Northwind", "Tom Chen", "Sarah Kim", "--sign", "negative").code == 0
    assert "Tom Chen" in factors(northwind)["unmanaged_detractor"]
    stored(northwind.db, "UPDATE contacts SET status = 'not_engaged' WHERE name = 'Tom Chen'")  # type: ignore[attr-defined]
    assert "unmanaged_detractor" not in factors(northwind)
    stored(northwind.db, "UPDATE contacts SET status = 'active' WHERE name = 'Tom Chen'")  # type: ignore[attr-defined]
    # Sarah leaving takes the line's weight with her: the what-if says so.
    whatif = json.loads(northwind("--today", "2026-03-10", "whatif", "Northwind", "Sarah Kim", "--json").out)
    assert "unmanaged_detractor" in whatif["before"]["factors"] and "unmanaged_detractor" in whatif["removed"]


def test_a_positive_line_from_an_engaged_contact_is_the_plan_path(northwind: Callable[..., Result]):
    def buyer_path() -> str:
        plan = json.loads(northwind("--today", "2026-03-10", "map", "Northwind", "--format", "json").out)["plan"]
        (item,) = [p for p in plan if p["target"].startswith("Sarah Kim")]
        return str(item["path"])

    assert buyer_path() == "Introduction through Tom Chen (champion)"  # the strongest engaged contact
    assert northwind("influence", "Northwind", "Lisa Park", "Sarah Kim", "--sign", "positive").code == 0
    assert buyer_path() == "Introduction through Lisa Park, who influences them for us"
    # A line against us, or from someone not engaged, is no path.
    assert northwind("influence", "Northwind", "Lisa Park", "Sarah Kim", "--sign", "neutral").code == 0
    assert buyer_path() == "Introduction through Tom Chen (champion)"
    assert northwind("influence", "Northwind", "Lisa Park", "Sarah Kim", "--sign", "positive").code == 0
    stored(northwind.db, "UPDATE contacts SET strength = 2 WHERE name = 'Lisa Park'")  # type: ignore[attr-defined]
    assert buyer_path() == "Introduction through Tom Chen (champion)"


def test_the_detractor_proposal_says_whom_they_sway(northwind: Callable[..., Result]):
    assert northwind("influence", "Northwind", "Lisa Park", "Sarah Kim", "--sign", "negative").code == 0
    plan = json.loads(northwind("--today", "2026-03-10", "map", "Northwind", "--format", "json").out)["plan"]
    (item,) = [p for p in plan if p["target"].startswith("Lisa Park")]
    assert item["first_action"] == (
        "Meet Lisa Park to hear their concerns (they sway Sarah Kim against us), then write an engagement strategy"
    )


@pytest.mark.one_backend("server")  # a file's export and import are tested above
def test_a_team_stores_backup_and_copy_carry_lines_and_links(
    northwind: Callable[..., Result], tmp_path: Path, backend: str
):
    (tmp_path / "a.csv").write_text("name,arr\nContoso,1000\n")
    (tmp_path / "c.csv").write_text("account,name\nContoso,Tom C.\n")
    assert northwind("import", "accounts", str(tmp_path / "a.csv")).code == 0
    assert northwind("import", "contacts", str(tmp_path / "c.csv")).code == 0
    assert northwind("influence", "Northwind", "Tom Chen", "Sarah Kim", "--sign", "+", "--note", "golf").code == 0
    assert northwind("link", "Northwind", "Tom Chen", "Contoso", "Tom C.").code == 0
    backup = tmp_path / "team.db"
    assert northwind("backup", str(backup)).code == 0
    assert dump_text(backup) == dump_text(northwind.db)  # type: ignore[attr-defined]
    # Back onto the server, over what it holds: the ids kept, and the next line gets a new one.
    assert northwind("influence", "remove", "Northwind", "Tom Chen", "Sarah Kim").code == 0
    assert northwind("copy", str(backup), northwind.db, "--replace").code == 0  # type: ignore[attr-defined]
    assert dump_text(backup) == dump_text(northwind.db)  # type: ignore[attr-defined]
    assert northwind("influence", "Northwind", "Lisa Park", "Sarah Kim", "--sign", "-").code == 0
    assert len(lines(northwind)) == 2
