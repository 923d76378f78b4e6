"""`config path|show|check|keys`, `completion`, `_complete` and `map --format svg|html` through the CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from stakeworks.cli.main import main
from tests.conftest import SAMPLE, Cli, Result

BIN = Path(sys.executable).parent


def run(capsys: pytest.CaptureFixture[str], *args: str) -> Result:
    capsys.readouterr()
    code = main(list(args))
    out = capsys.readouterr()
    return Result(code, out.out, out.err)


@pytest.fixture
def two_stores(tmp_path: Path) -> tuple[Path, Path, Path]:
    paths = tuple(tmp_path / f"{n}.db" for n in ("flag", "env", "file"))
    for p in paths:
        shutil.copyfile(SAMPLE, p)
    return paths  # type: ignore[return-value]


def test_precedence_flag_then_environment_then_file_then_default(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, two_stores: tuple[Path, Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    flag, env, file = two_stores
    cfg = tmp_path / "prefs.toml"
    cfg.write_text(f'# team\ndb = "{file}"\n', encoding="utf-8")

    def db_shown(*extra: str) -> dict[str, str]:
        result = run(capsys, "--config", str(cfg), *extra, "config", "show", "--json")
        assert result.code == 0, result.err
        return json.loads(result.out)["values"]["db"]

    monkeypatch.delenv("STAKEWORKS_DB", raising=False)
    assert db_shown() == {"value": str(file), "source": "file", "from": "prefs.toml line 2"}
    monkeypatch.setenv("STAKEWORKS_DB", str(env))
    assert db_shown() == {"value": str(env), "source": "env", "from": "$STAKEWORKS_DB"}
    assert db_shown("--db", str(flag)) == {"value": str(flag), "source": "flag", "from": "--db"}
    monkeypatch.delenv("STAKEWORKS_DB")
    cfg.write_text("", encoding="utf-8")
    default = run(capsys, "--config", str(cfg), "config", "show", "--json")
    assert json.loads(default.out)["values"]["db"]["source"] == "default"

    # and the commands really open the file's database: a touch lands there, nowhere else
    cfg.write_text(f'db = "{file}"\n', encoding="utf-8")
    logged = run(
        capsys, "--config", str(cfg), "touch", "Northwind", "Tom Chen", "--kind", "call", "--date", "2026-11-01"
    )
    assert logged.code == 0, logged.err
    from stakeworks.db.store import Store

    counts = {}
    for p in two_stores:
        with Store(p) as s:
            counts[p.stem] = len(s.touches(next(c.id for c in s.contacts(_northwind(s)) if c.name == "Tom Chen")))
    assert counts["file"] == counts["flag"] + 1 == counts["env"] + 1


def _northwind(store: object) -> int:
    return next(i for i, n in store.account_names() if n == "Northwind")  # type: ignore[attr-defined]


def test_the_config_file_comes_from_flag_environment_or_default(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = run(capsys, "config", "path", "--json")
    assert json.loads(default.out)["origin"] == "default"
    assert json.loads(default.out)["path"] == str(Path(os.environ["XDG_CONFIG_HOME"]) / "stakeworks" / "config.toml")
    env_file = tmp_path / "env.toml"
    env_file.write_text("", encoding="utf-8")
    monkeypatch.setenv("STAKEWORKS_CONFIG", str(env_file))
    assert json.loads(run(capsys, "config", "path", "--json").out)["origin"] == "$STAKEWORKS_CONFIG"
    flag_file = tmp_path / "flag.toml"
    flag_file.write_text("", encoding="utf-8")
    shown = json.loads(run(capsys, "--config", str(flag_file), "config", "path", "--json").out)
    assert (shown["origin"], shown["path"]) == ("--config", str(flag_file))


def test_a_named_config_that_does_not_exist_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    result = run(capsys, "--config", str(tmp_path / "typo.toml"), "risk")
    assert result.code == 2 and "typo.toml: no such config file" in result.err and "Traceback" not in result.err


def test_config_check_names_the_line_and_key_of_every_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        'db = "x.db"\nthme = "nord"\ntheme = "nrod"\n\n[keymap]\n"app.hlep" = "f1"\n'
        '"account.log_touch" = "e"\n"app.search" = "ctrl+shft+f"\n"account.plan" = "P"\n',
        encoding="utf-8",
    )
    result = run(capsys, "--config", str(cfg), "config", "check")
    assert result.code == 2 and result.out == ""
    lines = result.err.splitlines()
    assert lines[0] == f"stakeworks: {cfg}: 5 problems"
    assert lines[1:] == [
        "  line 2: thme: unknown key (did you mean 'theme'?)",
        "  line 3: theme: no theme 'nrod' (did you mean 'nord'?)",
        "  line 6: keymap.app.hlep: no binding has this id (did you mean 'app.help'?); `stakeworks config keys` lists them",
        "  line 7: keymap.account.log_touch: e is already Edit contact (account.edit) on AccountScreen",
        "  line 8: keymap.app.search: 'ctrl+shft+f': 'shft' is not a modifier (ctrl, alt, shift, meta)",
    ]
    cfg.write_text('theme = "nord"\n[keymap]\n"account.plan" = "P"\n', encoding="utf-8")
    good = run(capsys, "--config", str(cfg), "config", "check")
    assert good.code == 0 and "no problems" in good.out
    cfg.write_text('theme = "nord\n', encoding="utf-8")
    broken = run(capsys, "--config", str(cfg), "config", "check")
    assert broken.code == 2 and "line 1: not valid TOML" in broken.err


def test_config_keys_lists_every_id_with_its_keys(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[keymap]\n"account.log_touch" = "L"\n', encoding="utf-8")
    rows = json.loads(run(capsys, "--config", str(cfg), "config", "keys", "--json").out)
    by_id = {r["id"]: r for r in rows}
    assert by_id["account.log_touch"] == {
        "id": "account.log_touch", "keys": "L", "default": "t", "description": "Log touch", "where": "Account",
    }  # fmt: skip
    assert by_id["app.search"]["keys"] == "slash"
    text = run(capsys, "--config", str(cfg), "config", "keys").out
    assert "account.log_touch" in text and "L (yours)" in text


def test_completion_names_come_from_the_store_quietly(capsys: pytest.CaptureFixture[str], sample_copy: Path) -> None:
    accounts = run(capsys, "--db", str(sample_copy), "_complete", "accounts")
    assert accounts.code == 0 and "Northwind\n" in accounts.out and len(accounts.out.splitlines()) == 40
    contacts = run(capsys, "--db", str(sample_copy), "_complete", "contacts", "northwind")
    assert contacts.out.splitlines() == ["Lisa Park", "Sarah Kim", "Tom Chen"]
    missing = sample_copy.with_name("nope.db")
    quiet = run(capsys, "--db", str(missing), "_complete", "accounts")
    assert (quiet.code, quiet.out, quiet.err) == (0, "", "") and not missing.exists()
    assert "_complete" not in run(capsys, "--help").out


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_are_valid_shell(capsys: pytest.CaptureFixture[str], tmp_path: Path, shell: str) -> None:
    result = run(capsys, "completion", shell)
    assert result.code == 0 and "_complete" in result.out and "assess" in result.out
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed here")
    script = tmp_path / f"completion.{shell}"
    script.write_text(result.out, encoding="utf-8")
    checked = subprocess.run([shell, "-n", str(script)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


BASH_DRIVER = r"""
source "$1"
complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=(); _stakeworks; printf '%s|' "${COMPREPLY[@]}"; echo; }
complete_words stakeworks as
complete_words stakeworks --db "$2" assess nor
complete_words stakeworks --db "$2" whatif Northwind ""
complete_words stakeworks --db "$2" map Northwind --format s
complete_words stakeworks --db "$2" sponsors assign Ayo
"""


@pytest.mark.skipif(not (BIN / "stakeworks").exists(), reason="the stakeworks script is not installed beside python")
def test_bash_completes_commands_accounts_contacts_and_choices(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sample_copy: Path
) -> None:
    script = tmp_path / "completion.bash"
    script.write_text(run(capsys, "completion", "bash").out, encoding="utf-8")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        ["bash", "-c", BASH_DRIVER, "driver", str(script), str(sample_copy)],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["assess|", "Northwind|", "Lisa Park|Sarah Kim|Tom Chen|", "svg|", "Ayo Mensah|"]


def test_map_as_svg_and_html(northwind: Cli, tmp_path: Path) -> None:
    svg = northwind("map", "Northwind", "--format", "svg")
    assert svg.code == 0
    root = ET.fromstring(svg.out)
    names = {"".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"Tom Chen", "Sarah Kim", "Lisa Park"} <= names
    target = tmp_path / "map.html"
    html = northwind("map", "Northwind", "--format", "html", "--output", str(target))
    assert html.code == 0 and f"Wrote {target}" in html.out
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "Tom Chen" in page
