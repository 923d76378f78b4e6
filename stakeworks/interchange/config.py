"""The user's config file: a TOML file of personal preferences.

Where it is: `--config PATH`, else `$STAKEWORKS_CONFIG`, else `config.toml` in
the platform's user config directory (platformdirs). What it holds: the
default database, the user name recorded with changes, the theme, how dates
are shown, where file copies go, and `[keymap]` (binding id = keys). The
portfolio's rules settings stay in the store, where the whole team shares them.

Each value resolves flag > environment > file > default, and remembers where
it came from (`stakeworks config show`). Reading never fails on a bad file:
every problem is collected with the line and key it concerns (`config check`
prints them and exits 2; the app reports them at start-up) and the value falls
back to the next source. Read with tomllib (stdlib, exact error positions);
written with tomlkit, which keeps the user's comments and layout when the app
remembers a theme.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from stakeworks.domain.errors import InputError
from stakeworks.interchange import files

ENV_CONFIG = "STAKEWORKS_CONFIG"
DEFAULT_CURRENCY = "EUR"
"""An account's currency when nothing names one (DOMAIN section 1)."""
FILE_NAME = "config.toml"


def _check_date_format(value: str) -> str | None:
    if value == "iso":
        return None
    if "%" not in value:
        return 'use "iso" or a strftime pattern such as "%d %b %Y"'
    try:
        shown = date(2026, 3, 9).strftime(value)
    except ValueError as exc:
        return f"not a date pattern ({exc})"
    if shown == value:
        return "the pattern shows no part of the date"
    return None


def _check_text(value: str) -> str | None:
    return "must not be empty" if not value.strip() else None


def _check_currency(value: str) -> str | None:
    return None if re.fullmatch(r"[A-Z]{3}", value) else 'use a 3-letter currency code in capitals, such as "USD"'


@dataclass(frozen=True)
class Key:
    """One preference: its meaning, where else it may come from, its default."""

    name: str
    help: str
    default: Callable[[], str]
    env: str | None = None
    flag: str | None = None
    check: Callable[[str], str | None] = _check_text
    example: str = ""


def _default_db() -> str:
    from platformdirs import user_data_dir

    return str(Path(user_data_dir("stakeworks", appauthor=False)) / "stakeworks.db")


def _default_user() -> str:
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # no login name (some containers): history still needs a name
        return "unknown"


def _default_exports() -> str:
    from platformdirs import user_documents_dir

    return str(Path(user_documents_dir()) / "stakeworks")


KEYS: dict[str, Key] = {
    k.name: k
    for k in (
        Key("db", "the database the app and commands open", _default_db, "STAKEWORKS_DB", "--db",
            example="~/work/accounts.db"),
        Key("user", "your name, recorded with the changes you make", _default_user, "STAKEWORKS_USER", "--user",
            example="Alex Rivera"),
        Key("theme", "the app's colour theme (any theme in the palette's 'Change theme')", lambda: "textual-dark",
            "STAKEWORKS_THEME", example="textual-light"),
        Key("date_format", 'how the app shows dates: "iso" or a strftime pattern', lambda: "iso",
            check=_check_date_format, example="%d %b %Y"),
        Key("export_dir", "where the app writes file copies (map pictures, clipboard copies)", _default_exports,
            "STAKEWORKS_EXPORT_DIR", example="~/Documents/stakeworks"),
        Key("currency", "the currency of amounts that name none (imports, new accounts)", lambda: DEFAULT_CURRENCY,
            "STAKEWORKS_CURRENCY", "--currency", check=_check_currency, example="USD"),
    )
}  # fmt: skip
TABLES = {"keymap": 'binding id = keys, e.g. "account.touch" = "T" (`stakeworks config keys` lists the ids)'}


@dataclass(frozen=True)
class Problem:
    """Something wrong in the config file, with where it is."""

    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


@dataclass(frozen=True)
class Setting:
    value: str
    source: str  # "flag", "env", "file" or "default"
    detail: str  # "--db", "$STAKEWORKS_DB", "config.toml line 3", "default"


@dataclass
class ConfigFile:
    """The file as read: its values, the line of each key, and what is wrong with it."""

    path: Path
    origin: str  # how the path was chosen: "--config", "$STAKEWORKS_CONFIG" or "default"
    exists: bool = False
    values: dict[str, Any] = field(default_factory=dict)
    keymap: dict[str, str] = field(default_factory=dict)
    lines: dict[tuple[str, ...], int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, *key: str) -> int | None:
        return self.lines.get(key)


def default_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("stakeworks", appauthor=False)) / FILE_NAME


def config_path(flag: str | None, env: Mapping[str, str] | None = None) -> tuple[Path, str]:
    """Which file: `--config`, else `$STAKEWORKS_CONFIG`, else the user config directory's."""
    env = os.environ if env is None else env
    if flag:
        return Path(flag).expanduser(), "--config"
    if env.get(ENV_CONFIG):
        return Path(env[ENV_CONFIG]).expanduser(), f"${ENV_CONFIG}"
    return default_path(), "default"


def load(flag: str | None = None, env: Mapping[str, str] | None = None) -> ConfigFile:
    """Read the config file. A file named by --config or the environment must exist
    (a typo never silently means "no preferences"); the default one need not."""
    path, origin = config_path(flag, env)
    cfg = ConfigFile(path, origin)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if origin != "default":
            raise InputError(f"{origin} {path}: no such config file") from None
        return cfg
    except IsADirectoryError:
        raise InputError(f"{origin} {path}: is a folder, not a config file") from None
    except UnicodeDecodeError as exc:
        cfg.exists = True
        cfg.problems.append(Problem(None, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
        return cfg
    except OSError as exc:
        raise InputError(f"{origin} {path}: cannot be read ({exc.strerror})") from None
    cfg.exists = True
    parse(text, cfg)
    return cfg


_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")


def parse(text: str, cfg: ConfigFile) -> ConfigFile:
    """Fill `cfg` from TOML text: values that pass their checks, and a problem for each that does not."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_POSITION.search(str(exc))
        message = _TOML_POSITION.sub("", str(exc)).strip()
        cfg.problems.append(Problem(int(m.group(1)) if m else None, "", f"not valid TOML: {message}"))
        return cfg
    cfg.lines = key_lines(text)
    for key, value in data.items():
        line = cfg.line_of(key)
        if key in KEYS:
            if not isinstance(value, str):
                cfg.problems.append(Problem(line, key, f"must be text in quotes, not {_kind(value)}"))
                continue
            wrong = KEYS[key].check(value)
            if wrong:
                cfg.problems.append(Problem(line, key, wrong))
                continue
            cfg.values[key] = value
        elif key in TABLES:
            if not isinstance(value, dict):
                cfg.problems.append(Problem(line, key, f"must be a table ([{key}]), not {_kind(value)}"))
                continue
            for binding, keys in value.items():
                bline = cfg.line_of(key, binding)
                if not isinstance(keys, str) or not keys.strip():
                    shown = "empty text" if isinstance(keys, str) else _kind(keys)
                    cfg.problems.append(Problem(bline, f"keymap.{binding}", f"must be keys in quotes, not {shown}"))
                    continue
                cfg.keymap[binding] = keys
        else:
            cfg.problems.append(Problem(line, key, "unknown key" + _did_you_mean(key, [*KEYS, *TABLES])))
    return cfg


def _kind(value: object) -> str:
    return {bool: "true/false", int: "a number", float: "a number", dict: "a table", list: "a list"}.get(
        type(value), type(value).__name__
    )


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(choices)})"


_TABLE = re.compile(r"^\s*\[\[?\s*(.+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(
    r"""^\s*((?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_\-]+)(?:\s*\.\s*(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_\-]+))*)\s*="""
)
_PART = re.compile(r""""((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_\-]+)""")


def _parts(dotted: str) -> tuple[str, ...]:
    out = []
    for m in _PART.finditer(dotted):
        if m.group(1) is not None:
            out.append(m.group(1).encode().decode("unicode_escape") if "\\" in m.group(1) else m.group(1))
        else:
            out.append(m.group(2) if m.group(2) is not None else m.group(3))
    return tuple(out)


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line each key (as a path, e.g. ("keymap", "app.search")) is set on.

    tomllib gives values, not positions; this scan is enough for a flat file
    with one table. Lines inside multi-line strings are skipped.
    """
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    in_string: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if in_string:
            if raw.count(in_string) % 2 == 1:
                in_string = None
            continue
        if m := _TABLE.match(raw):
            table = _parts(m.group(1))
            lines.setdefault(table, number)
            continue
        if m := _KEY.match(raw):
            path = table + _parts(m.group(1))
            lines.setdefault(path, number)
            for i in range(len(table) + 1, len(path)):  # a dotted key also defines its tables
                lines.setdefault(path[:i], number)
            rest = raw[m.end() :]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    in_string = quote
    return lines


def resolve(cfg: ConfigFile, flags: Mapping[str, str | None] | None = None,
            env: Mapping[str, str] | None = None) -> dict[str, Setting]:  # fmt: skip
    """Every preference's value and where it came from: flag > environment > file > default."""
    env = os.environ if env is None else env
    flags = flags or {}
    out: dict[str, Setting] = {}
    for name, key in KEYS.items():
        if key.flag and flags.get(name):
            out[name] = Setting(str(flags[name]), "flag", key.flag)
        elif key.env and env.get(key.env):
            out[name] = Setting(env[key.env], "env", f"${key.env}")
        elif name in cfg.values:
            out[name] = Setting(cfg.values[name], "file", f"{cfg.path.name} line {cfg.line_of(name)}")
        else:
            out[name] = Setting(key.default(), "default", "default")
    return out


def default_currency(cfg: ConfigFile, env: Mapping[str, str] | None = None) -> Setting:
    """The currency of amounts that name none: `$STAKEWORKS_CURRENCY`, else the file's
    `currency`, else EUR; what an import assumes without `--currency`, and what the
    account editor starts a new account in."""
    return resolve(cfg, {}, env)["currency"]


def remember(path: Path, key: str, value: str) -> None:
    """Set one top-level preference in the file, keeping everything else as the user wrote it.

    tomlkit (a style-preserving TOML library) rather than tomli-w: writing the
    parsed dict back with tomli-w would drop the user's comments and order.
    """
    import tomlkit

    if key not in KEYS:
        raise InputError(f"{key!r} is not a preference ({', '.join(KEYS)})")
    try:
        doc = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()
    except tomlkit.exceptions.ParseError as exc:
        raise InputError(f"{path}: not valid TOML, not changed ({exc})") from None
    if not path.exists():
        doc.add(tomlkit.comment("stakeworks preferences; `stakeworks config check` checks this file"))
    doc[key] = value  # tomlkit keeps top-level keys above the tables
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise files.write_error(exc, path) from None
    files.write_text(path, tomlkit.dumps(doc))  # owner-only, whole or not at all


def example() -> str:
    """A commented example file (`stakeworks config show --example`, README)."""
    lines = ["# stakeworks preferences (TOML)."]
    for k in KEYS.values():
        lines.append(f"# {k.help}" + (f"; {k.env} overrides it" if k.env else ""))
        lines.append(f'{k.name} = "{k.example}"')
    lines += ["", "[keymap]", "# binding id = keys (comma-separated for several); `stakeworks config keys` lists them",
              '"app.search" = "ctrl+f"', '"account.log_touch" = "T"']  # fmt: skip
    return "\n".join(lines) + "\n"
