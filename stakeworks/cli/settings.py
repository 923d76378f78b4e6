"""The team's settings kept in the store (CLI.md "The map keeps itself"): `settings`,
`settings set KEY VALUE`, `settings reset KEY`."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from stakeworks.cli.output import text_table
from stakeworks.cli.registry import command
from stakeworks.db.store import Store
from stakeworks.domain.errors import InputError
from stakeworks.domain.settings import Settings, setting_items

USAGE = "usage: stakeworks settings | settings set KEY VALUE | settings reset KEY"


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(value) or "(none)"
    return "none" if value is None else str(value)


def _json_value(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def _emit(settings: Settings, out: Any) -> None:
    items = setting_items(settings)
    rows = [{"key": k, "value": _json_value(v), "default": _json_value(d)} for k, v, d in items]
    out.emit(
        rows,
        lambda: text_table(
            ["setting", "value", "default"],
            [[k, _shown(v), "" if v == d else _shown(d)] for k, v, d in items],
        ),
    )


@command("settings")
def run(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    words = list(args.words)
    with Store(path, create=False) as store:
        if not words:
            _emit(store.settings(), out)
            return 0
        if words[0] == "set" and len(words) == 3:
            settings = store.change_setting(words[1], words[2])
        elif words[0] == "reset" and len(words) == 2:
            settings = store.change_setting(words[1], None)
        else:
            raise InputError(USAGE)
    key = words[1]
    value = next(v for k, v, _ in setting_items(settings) if k == key)
    out.emit({"key": key, "value": _json_value(value)}, lambda: f"{key} = {_shown(value)}")
    return 0
