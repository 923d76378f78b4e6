"""The scripting contract: exit codes, messages, idempotence (CLI.md)."""

from __future__ import annotations

import gc
import json
import sqlite3
from datetime import date
from pathlib import Path

from stakeworks.db.connection import APPLICATION_ID
from stakeworks.db.demo import prepare_demo_copy
from stakeworks.db.schema import LATEST_VERSION
from tests.conftest import BOTH_BACKENDS, SAMPLE, file_digest

pytestmark = BOTH_BACKENDS

BAD_CONTACTS = """account,name,title,strength,last_touch,roles
Northwind,Ann One,CTO,7,2026-01-01,champion
Northwind,Bob Two,VP Sales,4,31/02/2026,influencer
Northwind,Cy Three,Engineer,3,2026-01-05,hero
Northwind,Dee Four,Analyst,high,2026-01-05,end_user
"""


def test_bad_csv_refused_whole_with_every_line_named(northwind, tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_CONTACTS)
    before = file_digest(northwind.db)
    r = northwind("import", "contacts", str(bad))
    assert r.code == 2
    assert "Traceback" not in r.err
    assert "line 2, column strength: 7 is out of range" in r.err
    assert "line 3, column last_touch:" in r.err and "not a real date" in r.err
    assert "line 4, column roles: unknown role 'hero'" in r.err
    assert "line 5, column strength: 'high' is not a strength" in r.err
    assert file_digest(northwind.db) == before


def test_missing_required_column_refused(northwind, tmp_path: Path):
    bad = tmp_path / "nocol.csv"
    bad.write_text("name,title\nAnn,CTO\n")
    before = file_digest(northwind.db)
    r = northwind("import", "contacts", str(bad))
    assert r.code == 2 and "missing required column 'account'" in r.err
    assert file_digest(northwind.db) == before


def test_not_sqlite_and_newer_schema_exit_3(cli, tmp_path: Path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"PK\x03\x04 this is a zip file")
    r = cli("risk", db_path=junk)
    assert r.code == 3 and r.err.count("\n") == 1 and "not a SQLite" in r.err
    newer = tmp_path / "newer.db"
    raw = sqlite3.connect(newer)
    raw.execute(f"PRAGMA user_version = {LATEST_VERSION + 5}")
    raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # a newer stakeworks's store carries our id
    raw.close()
    r = cli("risk", db_path=newer)
    assert r.code == 3 and "newer stakeworks" in r.err and "Traceback" not in r.err


def test_unknown_account_exit_2_with_closest_names(northwind):
    r = northwind("assess", "Northwnd")
    assert r.code == 2 and "Northwind" in r.err and "closest" in r.err


def test_common_flags_before_or_after_command(northwind):
    a = northwind("--today", "2026-03-10", "--json", "assess", "Northwind")
    b = northwind("assess", "Northwind", "--json", "--today", "2026-03-10")
    assert a.code == b.code == 0 and json.loads(a.out) == json.loads(b.out)


def test_today_from_environment(northwind, monkeypatch):
    monkeypatch.setenv("STAKEWORKS_TODAY", "2026-03-10")
    assert json.loads(northwind("assess", "Northwind", "--json").out)["score"] == 66
    r = northwind("assess", "Northwind", "--today", "10/03/2026")
    assert r.code == 2 and "not a date" in r.err


def test_depart_champion_creates_playbook_once(northwind):
    r = northwind("depart", "Northwind", "Tom Chen", "--date", "2026-03-10", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["playbook"] and data["tasks_created"] == 16  # 8 tasks + 8 checklist items
    assert data["successors"][0]["name"] == "Lisa Park"
    again = json.loads(northwind("depart", "Northwind", "Tom Chen", "--date", "2026-03-10", "--json").out)
    assert again["tasks_created"] == 0
    tasks = [t for t in json.loads(northwind("tasks", "Northwind", "--json").out) if t["kind"] == "task"]
    assert [t["due"] for t in tasks] == [
        "2026-03-10", "2026-03-10", "2026-03-11", "2026-03-13", "2026-03-17", "2026-03-17", "2026-03-24", "2026-04-07",
    ]  # fmt: skip
    owners = [t["owner"] for t in tasks]
    assert owners == ["CSM", "CSM", "CSM + Manager", "CSM", "CSM", "CSM", "CSM", "CSM + Manager"]
    assert all(t["contact"] == "Tom Chen" and not t["done"] for t in tasks)
    after = json.loads(northwind("assess", "Northwind", "--json", "--today", "2026-03-10").out)
    assert after["score"] == 96 and "champion_departed" in [f["code"] for f in after["factors"]]


def test_depart_non_champion_creates_no_tasks(northwind):
    data = json.loads(northwind("depart", "Northwind", "Lisa Park", "--date", "2026-03-10", "--json").out)
    assert data["playbook"] is False and data["tasks_created"] == 0


def test_touch_updates_engagement(northwind):
    r = northwind(
        "touch", "Northwind", "Sarah Kim", "--kind", "meeting", "--date", "2026-03-09", "--today", "2026-03-10"
    )
    assert r.code == 0, r.err
    data = json.loads(northwind("assess", "Northwind", "--json", "--today", "2026-03-10").out)
    sarah = next(c for c in data["contacts"] if c["name"] == "Sarah Kim")
    assert sarah["days_since_touch"] == 1
    bad = northwind("touch", "Northwind", "Sarah Kim", "--kind", "fax", "--date", "2026-03-09")
    assert bad.code == 2 and "call" in bad.err


def test_bad_usage_is_one_line_exit_2(cli):
    r = cli("assess")
    assert r.code == 2 and r.err.count("\n") == 1 and "required: account" in r.err


def test_demo_copy_shifts_dates_and_never_writes_sample(tmp_path: Path):
    before = file_digest(SAMPLE)
    generated = sqlite3.connect(SAMPLE).execute("SELECT value FROM meta WHERE key = 'generated_on'").fetchone()[0]
    today = date(2027, 1, 15)
    shift = (today - date.fromisoformat(generated)).days
    copy = prepare_demo_copy(SAMPLE, tmp_path / "demo.db", today)
    assert file_digest(SAMPLE) == before
    old = sqlite3.connect(SAMPLE).execute("SELECT renewal_date FROM accounts WHERE name = 'Northwind'").fetchone()[0]
    new = sqlite3.connect(copy).execute("SELECT renewal_date FROM accounts WHERE name = 'Northwind'").fetchone()[0]
    assert (date.fromisoformat(new) - date.fromisoformat(old)).days == shift


def test_demo_looks_the_same_any_day(tmp_path: Path, cli):
    """Northwind in the shifted demo has the worked example's verdict on any day."""
    for i, today in enumerate((date(2027, 1, 15), date(2028, 6, 1))):
        copy = prepare_demo_copy(SAMPLE, tmp_path / f"d{i}.db", today)
        data = json.loads(cli("assess", "Northwind", "--json", "--today", today.isoformat(), db_path=copy).out)
        assert data["score"] == 66


def test_sample_has_every_factor_code(tmp_path: Path, cli):
    from stakeworks.domain.rules import FACTOR_LEVELS

    copy = prepare_demo_copy(SAMPLE, tmp_path / "d.db", date(2026, 11, 1))
    rows = json.loads(cli("risk", "--json", "--today", "2026-11-01", db_path=copy).out)
    fired = {code for r in rows for code in r["factors"]}
    assert fired == set(FACTOR_LEVELS)
    assert 35 <= len(rows) <= 45


def test_committed_sample_is_what_the_script_generates(tmp_path: Path):
    """sample.db is at the latest schema and byte-identical to a fresh `make sample`,
    so the demo never starts with a migration or with data the script no longer makes."""
    from scripts.make_sample import AS_OF, build

    assert sqlite3.connect(SAMPLE).execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    fresh = tmp_path / "sample.db"
    build(fresh, AS_OF)
    assert file_digest(fresh) == file_digest(SAMPLE)


def test_demo_copy_shifts_any_number_of_days_without_collisions(tmp_path: Path):
    """score_history holds one row per account per day, so a shift by one day
    moves each day onto its neighbour's; every shift must still land whole."""
    sample = sqlite3.connect(SAMPLE)
    generated = date.fromisoformat(sample.execute("SELECT value FROM meta WHERE key = 'generated_on'").fetchone()[0])
    days_before = sample.execute("SELECT account_id, day FROM score_history ORDER BY 1, 2").fetchall()
    assert len(days_before) > 30
    for shift in (1, 2, 7, -1, 366):
        copy = prepare_demo_copy(SAMPLE, tmp_path / f"s{shift}.db", date.fromordinal(generated.toordinal() + shift))
        days_after = sqlite3.connect(copy).execute("SELECT account_id, day FROM score_history ORDER BY 1, 2").fetchall()
        assert days_after == [
            (account, date.fromordinal(date.fromisoformat(day).toordinal() + shift).isoformat())
            for account, day in days_before
        ]


def test_an_import_runs_with_the_cyclic_collector_paused_and_gives_it_back(northwind, tmp_path: Path, monkeypatch):
    """Its full passes cost the 1,000,000-contact import a sixth of its time (issue 20); a failed
    import must not leave the process without it."""
    from stakeworks.db import importing

    seen: list[bool] = []
    real = importing.apply_contacts

    def observed(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "apply_contacts", observed)
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("account,name,title\nNorthwind,Eve Five,CFO\n")
    bad.write_text(BAD_CONTACTS)
    assert gc.isenabled()
    assert northwind("import", "contacts", str(good)).code == 0
    assert gc.isenabled()
    assert northwind("import", "contacts", str(bad)).code == 2
    assert gc.isenabled()
    assert seen == [False, False]
