"""The config file: where it is, what it holds, every problem named by line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from stakeworks.domain.errors import InputError
from stakeworks.interchange import config

GOOD = """\
# my preferences
db = "~/work/accounts.db"   # the team's copy
theme = "nord"
date_format = "%d %b %Y"

[keymap]
"app.search" = "ctrl+f"
"account.log_touch" = "T"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_reads_with_lines(tmp_path: Path) -> None:
    cfg = config.load(str(write(tmp_path, GOOD)), env={})
    assert cfg.problems == []
    assert cfg.values == {"db": "~/work/accounts.db", "theme": "nord", "date_format": "%d %b %Y"}
    assert cfg.keymap == {"app.search": "ctrl+f", "account.log_touch": "T"}
    assert cfg.line_of("theme") == 3
    assert cfg.line_of("keymap", "account.log_touch") == 8


def test_every_problem_names_its_line_and_key(tmp_path: Path) -> None:
    text = """\
db = "x.db"
thme = "nord"
date_format = "%Q"
user = 42
colour = "red"

[keymap]
"app.search" = 7
"account.edit" = ""
"""
    cfg = config.load(str(write(tmp_path, text)), env={})
    shown = [str(p) for p in cfg.problems]
    assert shown == [
        "line 2: thme: unknown key (did you mean 'theme'?)",
        "line 3: date_format: the pattern shows no part of the date",
        "line 4: user: must be text in quotes, not a number",
        "line 5: colour: unknown key (known: db, user, theme, date_format, export_dir, currency, keymap)",
        "line 8: keymap.app.search: must be keys in quotes, not a number",
        "line 9: keymap.account.edit: must be keys in quotes, not empty text",
    ]
    assert cfg.values == {"db": "x.db"}  # the good value still counts


def test_a_toml_syntax_error_names_its_line(tmp_path: Path) -> None:
    cfg = config.load(str(write(tmp_path, 'db = "x.db"\ntheme = nord\n')), env={})
    (problem,) = cfg.problems
    assert problem.line == 2 and "not valid TOML" in str(problem)
    assert cfg.values == {}


def test_a_named_file_must_exist_the_default_need_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match="--config .*missing.toml: no such config file"):
        config.load(str(tmp_path / "missing.toml"), env={})
    with pytest.raises(InputError, match=r"\$STAKEWORKS_CONFIG .*nope.toml"):
        config.load(None, env={"STAKEWORKS_CONFIG": str(tmp_path / "nope.toml")})
    monkeypatch.setattr(config, "default_path", lambda: tmp_path / "absent" / "config.toml")
    cfg = config.load(None, env={})
    assert not cfg.exists and cfg.problems == [] and cfg.origin == "default"


def test_which_file_flag_then_environment_then_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "default_path", lambda: tmp_path / "default.toml")
    env = {"STAKEWORKS_CONFIG": str(tmp_path / "env.toml")}
    assert config.config_path(str(tmp_path / "flag.toml"), env) == (tmp_path / "flag.toml", "--config")
    assert config.config_path(None, env) == (tmp_path / "env.toml", "$STAKEWORKS_CONFIG")
    assert config.config_path(None, {}) == (tmp_path / "default.toml", "default")


def test_precedence_flag_environment_file_default(tmp_path: Path) -> None:
    cfg = config.load(str(write(tmp_path, 'db = "file.db"\ntheme = "nord"\n')), env={})
    env = {"STAKEWORKS_DB": "env.db"}
    flag = config.resolve(cfg, {"db": "flag.db"}, env)["db"]
    assert (flag.value, flag.source, flag.detail) == ("flag.db", "flag", "--db")
    from_env = config.resolve(cfg, {}, env)["db"]
    assert (from_env.value, from_env.source, from_env.detail) == ("env.db", "env", "$STAKEWORKS_DB")
    from_file = config.resolve(cfg, {}, {})["db"]
    assert (from_file.value, from_file.source, from_file.detail) == ("file.db", "file", "config.toml line 1")
    default = config.resolve(config.ConfigFile(tmp_path / "none.toml", "default"), {}, {})["db"]
    assert default.source == "default" and default.value.endswith("stakeworks.db")


def test_remembering_a_theme_keeps_the_users_comments_and_keys(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    config.remember(path, "theme", "gruvbox")
    text = path.read_text(encoding="utf-8")
    assert "# the team's copy" in text and '"account.log_touch" = "T"' in text
    cfg = config.load(str(path), env={})
    assert cfg.values["theme"] == "gruvbox" and cfg.problems == []
    assert text.index('theme = "gruvbox"') < text.index("[keymap]")


def test_remembering_creates_the_file_and_adds_keys_above_tables(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    config.remember(path, "theme", "nord")
    assert config.load(str(path), env={}).values == {"theme": "nord"}
    path.write_text('[keymap]\n"app.help" = "f1"\n', encoding="utf-8")
    config.remember(path, "theme", "dracula")
    cfg = config.load(str(path), env={})
    assert cfg.values == {"theme": "dracula"} and cfg.keymap == {"app.help": "f1"}


def test_remembering_never_overwrites_a_broken_file(tmp_path: Path) -> None:
    path = write(tmp_path, "theme = \n")
    with pytest.raises(InputError, match="not valid TOML, not changed"):
        config.remember(path, "theme", "nord")
    assert path.read_text(encoding="utf-8") == "theme = \n"


def test_the_example_file_is_valid() -> None:
    cfg = config.ConfigFile(Path("example.toml"), "default")
    config.parse(config.example(), cfg)
    assert cfg.problems == [] and set(cfg.values) == set(config.KEYS) and cfg.keymap


def test_key_lines_follow_tables_dotted_keys_and_skip_multiline_strings() -> None:
    text = 'a = """\nb = 1\n"""\nc.d = 2\n[keymap]\n"x.y" = "z"\nplain = "q"\n'
    lines = config.key_lines(text)
    assert lines[("a",)] == 1 and ("b",) not in lines
    assert lines[("c", "d")] == 4 and lines[("keymap", "x.y")] == 6 and lines[("keymap", "plain")] == 7
