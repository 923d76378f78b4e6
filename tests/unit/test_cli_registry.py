"""Every command the parser offers has exactly one handler, found in the module the registry names."""

from __future__ import annotations

import argparse

from stakeworks.cli.args import build_parser
from stakeworks.cli.registry import HANDLERS, MODULES, handler

# answered by main.py itself, before a store is opened
DISPATCHED_BY_MAIN = {"demo", "init", "restore", "copy", "checkout", "sync", "config", "completion", "_complete"}


def parser_commands() -> set[str]:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return set(sub.choices)


def test_every_command_of_the_parser_has_a_handler_module():
    assert parser_commands() - DISPATCHED_BY_MAIN == set(MODULES)


def test_each_module_registers_the_commands_the_registry_names():
    for name, module in MODULES.items():
        fn = handler(name)
        assert fn.__module__ == module, name
        assert HANDLERS[name] is fn
