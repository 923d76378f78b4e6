"""Dates at the calendar's edges (issue 19, case 10): exit 2 with a message, never OverflowError."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from stakeworks.domain.days import add_days, parse_day
from stakeworks.domain.errors import InputError
from tests.conftest import BOTH_BACKENDS, TODAY, file_digest

pytestmark = BOTH_BACKENDS

COMMANDS = (["risk"], ["cadence"], ["heatmap"], ["tasks"], ["sponsors"], ["sponsors", "candidates"],
            ["sponsors", "suggest"], ["assess", "Northwind"], ["map", "Northwind"],
            ["whatif", "Northwind", "Tom Chen"])  # fmt: skip


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "3000-01-01"])
def test_today_out_of_range_is_exit_2_for_every_command(cli, sample_copy: Path, day: str):
    before = file_digest(sample_copy)
    for args in COMMANDS:
        r = cli("--today", day, *args, db_path=sample_copy)
        assert r.code == 2, (args, r.err)
        assert r.err == f"stakeworks: --today {day} is out of range: use a date between 1900-01-01 and 2999-12-31\n"
    assert file_digest(sample_copy) == before


def test_today_from_the_environment_is_checked_too(cli, sample_copy: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("STAKEWORKS_TODAY", "9999-12-31")
    r = cli("risk", db_path=sample_copy)
    assert r.code == 2 and "$STAKEWORKS_TODAY 9999-12-31 is out of range" in r.err


def test_departure_and_touch_dates_at_the_edges_write_nothing(cli, sample_copy: Path):
    before = file_digest(sample_copy)
    r = cli("depart", "Northwind", "Tom Chen", "--date", "9999-12-31", db_path=sample_copy)
    assert r.code == 2 and "--date 9999-12-31 is out of range" in r.err
    r = cli("touch", "Northwind", "Tom Chen", "--kind", "call", "--date", "0001-01-01", db_path=sample_copy)
    assert r.code == 2 and "--date 0001-01-01 is out of range" in r.err
    assert file_digest(sample_copy) == before
    assert cli("depart", "Northwind", "Tom Chen", "--date", "2999-12-31", db_path=sample_copy).code == 0


def test_stored_dates_at_the_edges_never_crash_a_command(cli, sample_copy: Path):
    """What an older version let in stays readable: the rules' arithmetic stops at the calendar's ends."""
    conn = sqlite3.connect(sample_copy)
    conn.execute("UPDATE accounts SET renewal_date = '0001-01-01', last_ebr = '9999-12-31' WHERE name = 'Northwind'")
    conn.execute("UPDATE contacts SET status = 'departed', departed_on = '9999-12-31' WHERE name = 'Tom Chen'")
    conn.execute("UPDATE touches SET date = '9999-12-31' WHERE id = (SELECT min(id) FROM touches)")
    conn.execute(
        "UPDATE sponsor_assignments SET start_date = '0001-01-01' WHERE id = (SELECT min(id) FROM sponsor_assignments)"
    )
    conn.commit()
    conn.close()
    for args in COMMANDS:
        r = cli("--today", TODAY.isoformat(), *args, db_path=sample_copy)
        assert r.code == 0, (args, r.err)


def test_add_days_stops_at_the_ends_and_parse_day_names_the_field():
    assert add_days(date(9999, 12, 1), 60) == date.max
    assert add_days(date(1, 1, 10), -90) == date.min
    assert add_days(date(2026, 1, 31), 1) == date(2026, 2, 1)
    with pytest.raises(InputError, match="renewal '31/02' is not a date"):
        parse_day("31/02", "renewal")
    assert parse_day(" 2026-03-10 ", "renewal") == date(2026, 3, 10)


def test_date_fields_in_the_app_refuse_the_calendars_ends():
    from stakeworks.domain.forms import parse_day as field_day

    with pytest.raises(ValueError, match="9999-12-31 is out of range: use a date between 1900-01-01 and 2999-12-31"):
        field_day("9999-12-31", date(2026, 1, 1))
    with pytest.raises(ValueError, match="not a real day"):
        field_day("2026-02-30", date(2026, 1, 1))
    assert field_day("+90", date(2026, 1, 1)) == date(2026, 4, 1)
