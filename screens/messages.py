"""Messages the screens exchange (data up, as small dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class OpenAccount(Message):
    """Open an account, optionally with one contact selected."""

    account_id: int
    contact_id: int | None = None


@dataclass
class AccountChanged(Message):
    """Something in this account was written; views of it must refresh."""

    account_id: int
