"""Text that could take over a terminal or break a parser (issue 19, cases 5, 9, 12, 13).

Input refuses control characters in names; a store written before that (made here by writing
the rows with SQL, as an older version could have) shows them as symbols on every output;
`--json` is strict JSON; a CSV export re-imports unchanged.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from stakeworks.domain.models import STORED, Account, Contact, Executive
from stakeworks.domain.text import control_problem, is_invisible, printable
from tests.conftest import BOTH_BACKENDS, TODAY

pytestmark = BOTH_BACKENDS

EVIL = "Evil\x1b]0;pwned\x07Corp\x1b[2J"
EVIL_SHOWN = "Evil␛]0;pwned␇Corp␛[2J"
RAW = ("\x1b", "\x07", "\x9b")


def _legacy(path: Path, sql: str, *params: object) -> None:
    """Write a row the way an older stakeworks (or another tool) could have: no model checks."""
    conn = sqlite3.connect(path)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def _no_raw(text: str) -> None:
    for ch in RAW:
        assert ch not in text, repr(text[:300])


# -- input: names refuse control characters -------------------------------------------


def test_models_refuse_control_characters_but_read_what_the_store_holds():
    with pytest.raises(ValidationError, match="ESC \\(U\\+001B\\)"):
        Account(name=EVIL)
    with pytest.raises(ValidationError, match="NUL"):
        Contact(name="N\x00ul", account_id=1)
    with pytest.raises(ValidationError, match="only invisible characters"):
        Contact(name="\u200b\u200d", account_id=1)
    with pytest.raises(ValidationError, match="line break"):
        Contact(name="Tom", title="VP\nEngineering", account_id=1)
    # Multi-line fields keep line breaks and tabs (CR LF from Windows files included).
    assert Contact(name="Tom", notes="one\r\ntwo\tthree", account_id=1).notes == "one\r\ntwo\tthree"
    with pytest.raises(ValidationError, match="ESC"):
        Contact(name="Tom", notes="a\x1b[2Jb", account_id=1)
    # A record read back from the store is shown as it is, never refused on the way out.
    assert Account.model_validate({"name": EVIL}, context=STORED).name == EVIL
    # Emoji with joiners, right-to-left and CJK names are names.
    for name in ("👩\u200d💻 Dev", "שלום", "東京"):
        assert Account(name=name).name == name


def test_capacity_over_three_needs_a_visible_reason():
    with pytest.raises(ValidationError, match="exception reason"):
        Executive(name="Ann", capacity=5, exception_reason="\t")
    with pytest.raises(ValidationError, match="exception reason"):
        Executive(name="Ann", capacity=5, exception_reason="\u200b")
    with pytest.raises(ValidationError):
        Executive.model_validate({"name": "Ann", "capacity": "many"})
    assert Executive(name="Ann", capacity=5, exception_reason="sales lead").capacity == 5


def test_csv_import_refuses_control_characters_in_names_with_line_and_column(cli, tmp_path: Path):
    f = tmp_path / "accounts.csv"
    f.write_bytes(b'name,arr\n"Evil\x1b]0;x\x07Corp",5\n"\xe2\x80\x8b",5\n"Tab\there",5\n"Multi\nLine",3\nGood,4\n')
    r = cli("import", "accounts", str(f))
    assert r.code == 2
    assert "line 2, column name: contains a control character, ESC (U+001B), at position 5" in r.err
    assert "line 3, column name: is blank: only invisible characters" in r.err
    assert "line 4, column name: contains a control character, tab (U+0009)" in r.err
    assert "line 5, column name: contains a control character, line break (U+000A)" in r.err
    _no_raw(r.err)
    assert (isinstance(cli.db, Path) and not cli.db.exists()) or cli("risk", "--json").out.strip() == "[]"


def test_non_finite_arr_refused_with_a_clear_reason(cli, tmp_path: Path):
    f = tmp_path / "accounts.csv"
    f.write_text("name,arr\nA,inf\nB,nan\nC,1e400\nD,12\n")
    r = cli("import", "accounts", str(f))
    assert r.code == 2
    for line in (2, 3, 4):
        assert f"line {line}, column arr: " in r.err and "is not a finite number" in r.err.splitlines()[line - 1]
    assert "line 5" not in r.err


# -- output: what a store holds never reaches the terminal raw ----------------------------


@pytest.fixture
def evil_store(sample_copy: Path) -> Path:
    _legacy(sample_copy, "UPDATE accounts SET name = ? WHERE name = 'Northwind'", EVIL)
    _legacy(sample_copy, "UPDATE contacts SET name = ? WHERE name = 'Tom Chen'", "Tom\x1b[31mChen\x9b")
    return sample_copy


def test_cli_text_output_shows_control_characters_as_symbols(cli, evil_store: Path):
    day = TODAY.isoformat()
    for args in (
        ["risk"], ["cadence"], ["heatmap"], ["tasks"], ["assess", EVIL], ["map", EVIL],
        ["whatif", EVIL, "Tom\x1b[31mChen\x9b"], ["sponsors"],
    ):  # fmt: skip
        r = cli("--today", day, *args, db_path=evil_store)
        assert r.code == 0, (args, r.err)
        _no_raw(r.out)
        if args[0] in ("risk", "assess", "heatmap", "map"):
            assert EVIL_SHOWN in r.out, args
    r = cli("--today", day, "assess", EVIL, db_path=evil_store)
    assert "Tom␛[31mChen�" in r.out
    r = cli("--today", day, "touch", EVIL, "Tom\x1b[31mChen\x9b", "--kind", "call", "--date", day, db_path=evil_store)
    assert r.code == 0 and "Tom␛[31mChen�" in r.out
    _no_raw(r.out)


def test_cli_suggestions_on_stderr_show_control_characters_as_symbols(cli, evil_store: Path):
    r = cli("assess", "Evil", db_path=evil_store)
    assert r.code == 2 and EVIL_SHOWN in r.err
    _no_raw(r.err)


def test_json_output_is_strict_and_escapes_every_control(cli, evil_store: Path):
    _legacy(evil_store, "UPDATE accounts SET arr = 1e999 WHERE name = ?", EVIL)  # +Infinity, stored by an old import

    def strict(text: str) -> Any:
        def refuse(name: str) -> None:
            raise AssertionError(f"not JSON: {name}")

        return json.loads(text, parse_constant=refuse)

    r = cli("--today", TODAY.isoformat(), "risk", "--json", db_path=evil_store)
    assert r.code == 0
    _no_raw(r.out)
    rows = strict(r.out)
    evil = next(row for row in rows if row["account"] == EVIL)
    assert evil["arr"] is None
    r = cli("--today", TODAY.isoformat(), "assess", EVIL, "--json", db_path=evil_store)
    assert "\\u009b" in r.out
    assert "Tom\x1b[31mChen\x9b" in [c["name"] for c in strict(r.out)["contacts"]]
    r = cli("--today", TODAY.isoformat(), "map", EVIL, "--format", "json", db_path=evil_store)
    assert r.code == 0
    _no_raw(r.out)
    strict(r.out)
    export = evil_store.with_name("export.json")
    assert cli("export", "json", str(export), db_path=evil_store).code == 0
    _no_raw(export.read_text())
    strict(export.read_text())


def test_printable_keeps_width_and_the_fast_path():
    assert printable("plain name") == "plain name"
    assert printable(EVIL) == EVIL_SHOWN and len(printable(EVIL)) == len(EVIL)
    assert printable("a\r\nb\tc") == "a\nb\tc"
    assert printable("a\nb", keep="") == "a␊b"
    assert control_problem("ok\u200dok") is None and is_invisible(" \u200b\ufeff")


# -- CSV: UTF-16, and an export that re-imports unchanged --------------------------------


def test_utf16_csv_is_read_not_called_binary(cli, tmp_path: Path):
    f = tmp_path / "unicode.txt"
    f.write_bytes("name\tarr\r\nZürich AG\t5\r\n東京 KK\t6\r\n".encode("utf-16"))
    r = cli("import", "accounts", str(f))
    assert r.code == 0, r.err
    names = [row["account"] for row in json.loads(cli("risk", "--json").out)]
    assert sorted(names) == ["Zürich AG", "東京 KK"]


def test_csv_export_reimports_unchanged(cli, tmp_path: Path):
    accounts = tmp_path / "a.csv"
    accounts.write_text("name,arr,industry\n@Home Networks,5,=cmd\n-Minus Co,6,'quoted\nPlain,7,''=x\n")
    assert cli("import", "accounts", str(accounts)).code == 0
    contacts = tmp_path / "c.csv"
    contacts.write_text("account,name,title,notes\n@Home Networks,+Bob,-VP,@note\n-Minus Co,Ann,=1+1,'t Hooft\n")
    assert cli("import", "contacts", str(contacts)).code == 0
    before = cli("risk", "--json").out
    exported = {kind: tmp_path / f"{kind}-export.csv" for kind in ("accounts", "contacts")}
    for kind, target in exported.items():
        assert cli("export", kind, str(target)).code == 0
    text = exported["accounts"].read_text()
    assert "'@Home Networks" in text and "'-Minus Co" in text and "'=cmd" in text  # spreadsheets show text
    r = cli("import", "accounts", str(exported["accounts"]), "--json")
    assert json.loads(r.out)["added"] == 0 and json.loads(r.out)["updated"] == 0, r.out
    r = cli("import", "contacts", str(exported["contacts"]), "--json")
    assert json.loads(r.out)["added"] == 0 and json.loads(r.out)["updated"] == 0, r.out
    assert cli("risk", "--json").out == before
    # Into a new store: the same records, so the same export, byte for byte.
    fresh = tmp_path / "fresh.db"
    assert cli("import", "accounts", str(exported["accounts"]), db_path=fresh).code == 0
    assert cli("import", "contacts", str(exported["contacts"]), db_path=fresh).code == 0
    again = tmp_path / "again.csv"
    for kind, target in exported.items():
        assert cli("export", kind, str(again), db_path=fresh).code == 0
        assert again.read_bytes() == target.read_bytes(), kind
        again.unlink()


def test_a_file_with_a_hundred_thousand_columns_gets_a_readable_note(northwind, tmp_path: Path):
    wide = tmp_path / "wide.csv"
    columns = ["account", "name", "Evil\x1b]0;x\x07Col"] + [f"extra{i}" for i in range(100_000)]
    wide.write_text(",".join(columns) + "\n" + ",".join(["Northwind", "Ann", "a"] + ["x"] * 100_000) + "\n")
    r = northwind("import", "contacts", str(wide))
    assert r.code == 0, r.err
    assert len(r.err) < 1_000 and "and 99,989 more" in r.err  # once 789,000 characters
    assert "Evil␛]0;x␇Col" in r.err
    _no_raw(r.err)
    r = northwind("import", "contacts", str(wide), "--dry-run")
    assert len(r.out) < 2_000 and "and 99,989 more" in r.out
