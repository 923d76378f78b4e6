"""Errors that carry a user-facing message and a CLI exit code (CLI.md)."""

from __future__ import annotations


class StakeworksError(Exception):
    """Base: `str(err)` is the one line shown to the user."""

    exit_code = 2


class InputError(StakeworksError):
    """Bad usage or bad input (exit 2). `problems` lists every bad place."""

    exit_code = 2

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class Refusal(StakeworksError):
    """A domain rule said no, e.g. a fourth sponsorship (exit 1)."""

    exit_code = 1


class NotPermitted(Refusal):
    """The team store's roles said no: who may not change what, and who may (exit 1)."""


class StoreError(StakeworksError):
    """The database cannot be used: not SQLite, newer schema, locked, read-only (exit 3)."""

    exit_code = 3


class ServerUnreachable(StoreError):
    """The team store's server went away (stopped, restarting, the network): nothing was
    written. A command exits 3; the app says so, keeps what was typed, and reconnects."""


class StaleEdit(Refusal):
    """The record changed since the editor opened it."""
