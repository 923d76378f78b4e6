"""`import json` checks every record through the app's models, all or nothing (issue 19, case 9).

Each case starts from a real export of the demo portfolio, breaks one thing, and imports it into
a new store: exit 2, every problem named as `line L, column C` (not JSON) or
`TABLE record N (id I): field: reason`, no traceback, and nothing written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BOTH_BACKENDS, Cli, Result

pytestmark = BOTH_BACKENDS

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture
def export(cli: Cli, sample_copy: Path, tmp_path: Path) -> dict[str, Any]:
    target = tmp_path / "export.json"
    assert cli("export", "json", str(target), db_path=sample_copy).code == 0
    return json.loads(target.read_text())


def _import(cli: Cli, tmp_path: Path, data: Any, raw: str | None = None) -> tuple[Result, Path]:
    source = tmp_path / "edited.json"
    source.write_text(raw if raw is not None else json.dumps(data))
    target = tmp_path / "new.db"
    return cli("import", "json", str(source), db_path=target), target


def _row(data: dict[str, Any], table: str, **match: Any) -> dict[str, Any]:
    return next(r for r in data["tables"][table] if all(r.get(k) == v for k, v in match.items()))


def _nothing_written(cli: Cli, target: Path) -> None:
    if target.exists():
        assert json.loads(cli("risk", "--json", db_path=target).out) == []


def test_records_are_checked_through_the_models_and_every_problem_is_named(cli, tmp_path: Path, export):
    northwind = _row(export, "accounts", name="Northwind")
    northwind["arr"] = "lots"  # text where a number belongs
    _row(export, "accounts", name="Harbor Energy")["strategic_value"] = 9
    tom = _row(export, "contacts", name="Tom Chen")
    tom["name"] = "Tom\x1b]0;pwned\x07"
    tom["strength"] = 7
    ex = export["tables"]["executives"][0]
    ex["capacity"], ex["exception_reason"] = 5, "\t"  # the store's trim() would let a tab through
    export["tables"]["executives"][1]["capacity"] = "many"
    export["tables"]["contact_roles"][0]["role"] = "hero"
    export["tables"]["touches"][0]["date"] = "9999-12-31"
    export["tables"]["meta"].append({"key": "settings", "value": '{"engaged_min_strength": "high"}'})
    r, target = _import(cli, tmp_path, export)
    assert r.code == 2, r.err
    assert "Traceback" not in r.err
    lines = r.err.splitlines()
    assert lines[0].startswith("stakeworks: ") and "problems; nothing was imported" in lines[0]
    expect = [
        f"accounts record {export['tables']['accounts'].index(northwind) + 1} (id {northwind['id']}): arr: 'lots' is not a number",
        "strategic_value: Input should be less than or equal to 5",
        f"(id {tom['id']}): name: contains a control character, ESC (U+001B)",
        "strength: Input should be less than or equal to 5",
        f"executives record 1 (id {ex['id']}): record: capacity over 3 needs an exception reason",
        "executives record 2", "capacity: 'many' is not a whole number",
        "contact_roles record 1: role: unknown role 'hero'",
        "touches record 1", "date: 9999-12-31 is out of range",
        "meta record", "value: setting engaged_min_strength must be a whole number",
    ]  # fmt: skip
    for needle in expect:
        assert needle in r.err, needle
    _nothing_written(cli, target)


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        ('{"format": "stakeworks-export", "version": 1,\n "tables": [}', "line 2, column 13: Expecting value"),
        ("[1, 2, 3]", "not a stakeworks JSON export (no format marker)"),
        ('{"format": "stakeworks-export", "version": "1", "schema": 1, "tables": {}}', "version is '1', not a whole number"),
        ('{"format": "stakeworks-export", "version": 1, "schema": 1, "tables": []}', "`tables` is not an object"),
        ('{"format": "stakeworks-export", "version": 1, "schema": 1, "tables": {"accounts": {"a": 1}}}', "tables.accounts is not a list"),
        ('{"format": "stakeworks-export", "version": 1, "schema": 1, "tables": {"accounts": [7]}}', "accounts record 1: not an object but int"),
        ('{"format": "stakeworks-export", "version": 1, "schema": 1, "tables": {"accounts": [{"id": 1, "name": "A", "arr": Infinity}]}}', "Infinity is not a JSON value"),
        ('{"format": "stakeworks-export", "version": 1, "schema": 1, "tables": {"people": []}}', "unknown table 'people'"),
    ],
)  # fmt: skip
def test_malformed_shapes_are_one_clear_line(cli, tmp_path: Path, raw: str, needle: str):
    r, target = _import(cli, tmp_path, None, raw)
    assert r.code == 2 and "Traceback" not in r.err
    assert needle in r.err, r.err
    _nothing_written(cli, target)


def test_an_unknown_column_on_any_row_is_named_not_dropped(cli, tmp_path: Path, export):
    export["tables"]["contacts"][5]["favourite_colour"] = "blue"
    r, target = _import(cli, tmp_path, export)
    assert r.code == 2
    assert "contacts record 6" in r.err and "unknown column 'favourite_colour'" in r.err
    _nothing_written(cli, target)


def test_a_foreign_key_to_nothing_names_its_record(cli, tmp_path: Path, export):
    export["tables"]["touches"][2]["contact_id"] = 999_999
    r, target = _import(cli, tmp_path, export)
    assert r.code == 2 and "touches record 3" in r.err and "FOREIGN KEY" in r.err, r.err
    _nothing_written(cli, target)


def test_a_good_export_still_round_trips(cli, tmp_path: Path, export):
    r, target = _import(cli, tmp_path, export)
    assert r.code == 0, r.err
    again = tmp_path / "again.json"
    assert cli("export", "json", str(again), db_path=target).code == 0
    assert json.loads(again.read_text()) == export


def test_records_without_their_keys_are_each_named_before_anything_reads_them(cli, tmp_path: Path, export):
    """A contact without `id` once ended in `KeyError: 'id'` and a traceback (issue 35)."""
    contacts = export["tables"]["contacts"]
    del contacts[0]["id"]
    del contacts[3]["id"], contacts[3]["name"]
    del export["tables"]["accounts"][1]["id"]
    del export["tables"]["touches"][0]["contact_id"]
    del export["tables"]["contact_roles"][0]["role"]
    r, target = _import(cli, tmp_path, export)
    assert r.code == 2 and "Traceback" not in r.err and "KeyError" not in r.err
    assert "5 problems; nothing was imported" in r.err, r.err
    for line in (
        "contacts record 1: missing id (every record has it)",
        "contacts record 4: missing id, name (every record has them)",
        "accounts record 2: missing id (every record has it)",
        f"touches record 1 (id {export['tables']['touches'][0]['id']}): missing contact_id (every record has it)",
        "contact_roles record 1: missing role (every record has it)",
    ):
        assert line in r.err, r.err
    _nothing_written(cli, target)
