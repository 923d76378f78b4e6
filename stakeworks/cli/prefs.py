"""`stakeworks config path|show|check|keys`, `completion bash|zsh|fish`, and the hidden `_complete`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from stakeworks.cli.args import build_parser, load_config
from stakeworks.cli.output import text_table
from stakeworks.domain.errors import InputError
from stakeworks.domain.words import plural
from stakeworks.interchange import config


def run_config(args: argparse.Namespace, out: Any) -> int:
    cfg = load_config(args)
    action = args.action or "show"
    if action == "path":
        state = "exists" if cfg.exists else "not created yet"
        out.emit(
            {"path": str(cfg.path), "origin": cfg.origin, "exists": cfg.exists},
            lambda: f"{cfg.path}  ({'from ' + cfg.origin if cfg.origin != 'default' else 'default location'}, {state})",
        )
        return 0
    if action == "show":
        values = config.resolve(cfg, {"db": getattr(args, "db", None)})
        rows = [[name, s.value, s.detail] for name, s in values.items()]
        keymap = [[f"keymap.{k}", v, f"{cfg.path.name} line {cfg.line_of('keymap', k)}"] for k, v in cfg.keymap.items()]
        data = {
            "file": str(cfg.path),
            "exists": cfg.exists,
            "values": {n: {"value": s.value, "source": s.source, "from": s.detail} for n, s in values.items()},
            "keymap": cfg.keymap,
            "problems": [str(p) for p in cfg.problems],
        }

        def text() -> str:
            head = f"Config file: {cfg.path}" + ("" if cfg.exists else " (not created yet; every value is a default)")
            lines = [head, "", text_table(["key", "value", "from"], rows + keymap)]
            if cfg.problems:
                lines += [
                    "",
                    f"{plural(len(cfg.problems), 'problem')} in the file; `stakeworks config check` lists them.",
                ]
            return "\n".join(lines)

        out.emit(data, text)
        return 0
    if action == "check":
        return _check(cfg, out)
    if action == "keys":
        from stakeworks.screens.keymap import catalogue, normalize

        rows_data = [
            {
                "id": b.id,
                "keys": cfg.keymap.get(b.id, b.keys),
                "default": b.keys,
                "description": b.description,
                "where": b.area,
            }
            for b in catalogue()
        ]
        out.emit(
            rows_data,
            lambda: text_table(
                ["id", "keys", "does", "where"],
                [
                    [
                        r["id"],
                        ",".join(normalize(r["keys"])) + (" (yours)" if r["id"] in cfg.keymap else ""),
                        r["description"],
                        r["where"],
                    ]
                    for r in rows_data
                ],  # fmt: skip
            ),
        )
        return 0
    raise InputError(f"config {action!r}: use path, show, check or keys")


def _check(cfg: config.ConfigFile, out: Any) -> int:
    from stakeworks.screens.keymap import check_keymap
    from stakeworks.widgets.palette import theme_problem

    problems = list(cfg.problems)
    theme = cfg.values.get("theme")
    if theme and (wrong := theme_problem(theme)):
        problems.append(config.Problem(cfg.line_of("theme"), "theme", wrong))
    problems += check_keymap(cfg.keymap, lambda binding_id: cfg.line_of("keymap", binding_id))
    problems.sort(key=lambda p: (p.line or 0, p.key))
    if not cfg.exists:
        out.emit({"file": str(cfg.path), "exists": False, "problems": []},
                 lambda: f"No config file at {cfg.path}: nothing to check (every value is a default).")  # fmt: skip
        return 0
    if problems:
        raise InputError(f"{cfg.path}: {plural(len(problems), 'problem')}", [str(p) for p in problems])
    out.emit({"file": str(cfg.path), "exists": True, "problems": []}, lambda: f"{cfg.path}: no problems.")
    return 0


def run_completion(args: argparse.Namespace) -> int:
    from stakeworks.cli.completion import SHELLS

    sys.stdout.write(SHELLS[args.shell](build_parser()))
    return 0


def run_names(args: argparse.Namespace, path: Path) -> int:
    """`_complete accounts|contacts ACCOUNT|executives`: names for a shell's TAB, one a line.

    Never an error message and never a store created: a TAB on a missing or
    broken database completes nothing.
    """
    try:
        if not path.exists():
            return 0
        from stakeworks.db.store import Store
        from stakeworks.domain.search import resolve
        from stakeworks.domain.text import control_problem

        with Store(path) as store:
            if args.kind == "accounts":
                names = [n for _, n in store.account_names()]
            elif args.kind == "executives":
                names = [e.name for e in store.executives()]
            else:
                accounts = store.account_names()
                account_id = resolve(args.account or "", accounts, "account")
                names = [c.name for c in store.contacts(account_id) if c.status != "departed"]
        # A name with a control character is never offered: the shell would run it into the terminal.
        sys.stdout.write("".join(f"{n}\n" for n in sorted(names, key=str.casefold) if control_problem(n) is None))
    except Exception:  # completion must stay silent whatever happens
        return 0
    return 0
