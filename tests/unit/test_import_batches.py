"""A contacts import matches and writes a batch of rows at a time (`importing._BATCH`), reading
only the stored people a batch can match: whatever spans two batches holds as within one. Here
the batches are two rows long, so every file below crosses several."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from stakeworks.db import importing
from tests.conftest import BOTH_BACKENDS, FIXTURES, Cli, file_digest, stored

pytestmark = BOTH_BACKENDS

SF = FIXTURES / "crm" / "salesforce_dataloader"


@pytest.fixture(autouse=True)
def _batches_of_two(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "_BATCH", 2)


def test_reports_to_and_influences_name_people_of_later_batches(northwind: Cli, tmp_path: Path):
    f = tmp_path / "later.csv"
    f.write_text(
        "account,name,email,reports_to,influences\n"
        "Northwind,Ann Ames,ann@n.example,cy@n.example,Cy Cole:+\n"  # Cy is two batches on
        "Northwind,Bo Berg,bo@n.example,Ann Ames,\n"
        "Northwind,Cy Cole,cy@n.example,Tom Chen,Bo Berg:-\n"  # Tom was stored before
    )
    r = northwind("import", "contacts", str(f), "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["added"] == 3
    assert stored(
        northwind.db,
        "SELECT c.name, b.name FROM contacts c JOIN contacts b ON b.id = c.reports_to_id ORDER BY c.name",
    ) == [("Ann Ames", "Cy Cole"), ("Bo Berg", "Ann Ames"), ("Cy Cole", "Tom Chen")]
    assert stored(
        northwind.db,
        "SELECT f.name, t.name, i.sign FROM influences i JOIN contacts f ON f.id = i.from_id "
        "JOIN contacts t ON t.id = i.to_id ORDER BY f.name",
    ) == [("Ann Ames", "Cy Cole", "positive"), ("Cy Cole", "Bo Berg", "negative")]


def test_a_person_listed_twice_in_different_batches_is_refused(northwind: Cli, tmp_path: Path):
    f = tmp_path / "twice.csv"
    f.write_text(
        "account,name,email\n"
        "Northwind,Ann Ames,ann@n.example\n"  # line 2: new
        "Northwind,Bo Berg,bo@n.example\n"
        "Northwind,Tom Chen,tom@northwind.example\n"  # line 4: stored
        "Northwind,Ann A.,ANN@n.example\n"  # line 5: Ann again, a batch later
        "Northwind,Zed Zane,zed@n.example\n"
        "Northwind,T. Chen,tom@northwind.example\n"  # line 7: Tom again, two batches later
    )
    before = file_digest(northwind.db)
    r = northwind("import", "contacts", str(f))
    assert r.code == 2
    assert "line 5, column email: the same person as line 2 (same email at the same account)" in r.err
    assert "line 7, column email: the same person as line 4 (same email at the same account)" in r.err
    assert file_digest(northwind.db) == before  # one transaction: nothing of the earlier batches stays


def test_namesakes_in_different_batches_are_two_new_people_or_a_question(northwind: Cli, tmp_path: Path):
    f = tmp_path / "namesakes.csv"
    f.write_text(
        "account,name,email\n"
        "Northwind,Dee Dale,dee@n.example\n"
        "Northwind,Eli Ek,eli@n.example\n"
        "Northwind,Dee Dale,dee.dale@other.example\n"  # a second Dee of this file: another person
        "Northwind,Sarah Kim,sarah.kim@home.example\n"  # a stored Sarah, another address: the user decides
    )
    dry = northwind("import", "contacts", str(f), "--dry-run", "--json")
    assert dry.code == 2 and "line 5: possible duplicate of Sarah Kim" in dry.err
    actions = {(o["line"], o["action"]) for o in json.loads(dry.out)["preview"]}
    assert actions == {(2, "add"), (3, "add"), (4, "add"), (5, "possible_duplicate")}


def _contacts_without(tmp_path: Path, last_name: str) -> Path:
    with (SF / "Contact.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [r for r in reader if r["LastName"] != last_name]
        fields = list(reader.fieldnames or [])
    out = tmp_path / "Contact-newer.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fields, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    return out


def test_a_reimport_matches_every_batch_and_a_full_list_misses_only_who_it_lacks(cli: Cli, tmp_path: Path):
    assert cli("import", "accounts", str(SF / "Account.csv")).code == 0
    assert cli("import", "contacts", str(SF / "Contact.csv")).code == 0
    again = cli("import", "contacts", str(SF / "Contact.csv"), "--json")
    assert json.loads(again.out) == {"added": 0, "updated": 0, "unchanged": 7, "touches": 0}
    full = cli("import", "contacts", str(_contacts_without(tmp_path, "Dahl")), "--full", "--json")
    assert full.code == 0, full.err
    assert json.loads(full.out)["signals"] == {"missing_from_crm": 1}
    assert stored(
        cli.db, "SELECT c.name FROM signals s JOIN contacts c ON c.id = s.contact_id WHERE s.kind = 'missing_from_crm'"
    ) == [("Mette Dahl",)]


def test_a_reimport_adds_a_stored_persons_last_touch_only_on_a_day_the_store_lacks(northwind: Cli, tmp_path: Path):
    f = tmp_path / "touched.csv"
    rows = [("Ann Ames", "ann@n.example", "2026-03-01"), ("Bo Berg", "bo@n.example", "2026-03-02"),
            ("Cy Cole", "cy@n.example", "2026-03-03")]  # fmt: skip
    f.write_text("account,name,email,last_touch\n" + "".join(f"Northwind,{n},{e},{d}\n" for n, e, d in rows))
    first = northwind("import", "contacts", str(f), "--json")
    assert json.loads(first.out)["touches"] == 3, first.err
    rows[1] = ("Bo Berg", "bo@n.example", "2026-03-09")  # a later activity for Bo only
    f.write_text("account,name,email,last_touch\n" + "".join(f"Northwind,{n},{e},{d}\n" for n, e, d in rows))
    again = northwind("import", "contacts", str(f), "--json")
    assert json.loads(again.out)["touches"] == 1, again.err
    assert stored(
        northwind.db,
        "SELECT c.name, t.date, c.last_touch FROM touches t JOIN contacts c ON c.id = t.contact_id "
        "WHERE c.name IN ('Ann Ames', 'Bo Berg', 'Cy Cole') ORDER BY c.name, t.date",
    ) == [("Ann Ames", "2026-03-01", "2026-03-01"), ("Bo Berg", "2026-03-02", "2026-03-09"),
          ("Bo Berg", "2026-03-09", "2026-03-09"), ("Cy Cole", "2026-03-03", "2026-03-03")]  # fmt: skip


def test_an_import_gives_the_store_its_page_cache_back_written_or_refused(tmp_path: Path):
    """The import writes with a bigger SQLite page cache (`importing._IMPORT_CACHE`); the
    connection, which the app keeps open, has its own size again afterwards, whatever happened."""
    from stakeworks.db.store import Store
    from stakeworks.domain.errors import InputError
    from stakeworks.interchange import importer

    store = Store(tmp_path / "s.db")
    with store.transaction() as c:
        c.execute("INSERT INTO accounts (name) VALUES ('Northwind')")
    own = store.conn.execute("PRAGMA cache_size").fetchone()[0]
    assert own != importing._IMPORT_CACHE
    seen: list[int] = []
    good = tmp_path / "good.csv"
    good.write_text("account,name\nNorthwind,Ann Ames\nNorthwind,Bo Berg\nNorthwind,Cy Cole\n")
    importing.apply_contacts(store, importer.open_contacts(good, {"northwind": 1}),
                             progress=lambda *_: seen.append(store.conn.execute("PRAGMA cache_size").fetchone()[0]))  # fmt: skip
    assert importing._IMPORT_CACHE in seen  # while it wrote
    assert store.conn.execute("PRAGMA cache_size").fetchone()[0] == own
    bad = tmp_path / "bad.csv"
    bad.write_text("account,name,strength\nNorthwind,Di Dorn,2\nNorthwind,Ed Eck,9\n")
    with pytest.raises(InputError):
        importing.apply_contacts(store, importer.open_contacts(bad, {"northwind": 1}))
    assert store.conn.execute("PRAGMA cache_size").fetchone()[0] == own
