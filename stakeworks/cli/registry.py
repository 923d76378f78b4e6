"""Which module answers each command, and the decorator that registers a handler.

Modules are imported only for the command being run: `stakeworks risk` never loads
the importer, the map renderers or Textual.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import Any

Handler = Callable[[argparse.Namespace, Path, date, Any], int]

# command -> the module whose @command registers it (one module per group of commands)
MODULES: dict[str, str] = {
    "app": "stakeworks.cli.launch",
    "assess": "stakeworks.cli.verdicts",
    "risk": "stakeworks.cli.verdicts",
    "whatif": "stakeworks.cli.verdicts",
    "heatmap": "stakeworks.cli.verdicts",
    "depart": "stakeworks.cli.people",
    "tasks": "stakeworks.cli.people",
    "cadence": "stakeworks.cli.people",
    "touch": "stakeworks.cli.people",
    "backup": "stakeworks.cli.files",
    "import": "stakeworks.cli.files",
    "export": "stakeworks.cli.files",
    "map": "stakeworks.cli.files",
    "sponsors": "stakeworks.cli.sponsors",
    "signals": "stakeworks.cli.signals",
    "history": "stakeworks.cli.history",
    "settings": "stakeworks.cli.settings",
    "seen": "stakeworks.cli.evidence",
    "suggestions": "stakeworks.cli.evidence",
    "whoknows": "stakeworks.cli.evidence",
    "handover": "stakeworks.cli.evidence",
    "diff": "stakeworks.cli.history",
    "person": "stakeworks.cli.persons",
    "link": "stakeworks.cli.persons",
    "unlink": "stakeworks.cli.persons",
    "exposure": "stakeworks.cli.persons",
    "influence": "stakeworks.cli.persons",
    "team": "stakeworks.cli.team",
}
HANDLERS: dict[str, Handler] = {}


def command(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[name] = fn
        return fn

    return register


def handler(name: str) -> Handler:
    """The handler of NAME, importing only its own module."""
    if name not in HANDLERS:
        import_module(MODULES[name])
    return HANDLERS[name]
