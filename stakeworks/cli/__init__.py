"""The command line: `stakeworks` and its scripting commands (CLI.md)."""

from stakeworks.cli.main import main

__all__ = ["main"]
