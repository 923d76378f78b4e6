"""Change signals in words: what each kind suggests the CSM does (CLI.md "A living map")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pydantic's models load when first made, not with this module (issue 20)
    from stakeworks.domain.models import Signal


KIND_WORDS = {
    "email_bounced": "email bounced",
    "missing_from_crm": "missing from the CRM",
    "moved_account": "moved to another account",
    "title_changed": "new title",
}


def signals_in_words(raised: Mapping[str, int]) -> str:
    """Signals by kind in words, kinds in order: "1 email bounced, 2 new title"."""
    return ", ".join(f"{n} {KIND_WORDS.get(kind, kind)}" for kind, n in sorted(raised.items()))


@dataclass(frozen=True, slots=True)
class SignalView:
    signal: Signal
    contact: str
    account_id: int
    account: str
    other_account: str | None  # moved_account: the account of ours the CRM now has them at
    title: str  # their title as the map has it
    level: str | None = None  # their level as the map has it
    other_contact: str | None = None
    """moved_account: their own record at the other account, when the map has them there already."""

    @property
    def departs(self) -> bool:
        """Confirming it marks the contact departed (every kind but a title change)."""
        return self.signal.kind != "title_changed"

    @property
    def suggestion(self) -> str:
        s, name = self.signal, self.contact
        if s.kind == "title_changed":
            level = f" (level {s.new_level})" if s.new_level else ""
            if self.title == s.new_title:  # a CRM import took the title already: the level is left to decide
                if s.new_level is None or s.new_level == self.level:
                    return f"note {name}'s new title, {s.new_title} (level {self.level}): who they influence may change"
                return f"set {name}'s level to {s.new_level}: their new title, {s.new_title}, reads so"
            return f"update {name}'s title from {self.title or '(none)'} to {s.new_title}{level}"
        if s.kind == "moved_account":
            if self.other_account and self.other_contact:
                return (f"mark {name} departed from {self.account}: they are {self.other_contact} at "
                        f"{self.other_account} already, an account of ours (a warm path back in)")  # fmt: skip
            if self.other_account:
                return (f"mark {name} departed from {self.account}, and add them at {self.other_account}, "
                        "an account of ours: an expansion lead there")  # fmt: skip
            return f"mark {name} departed from {self.account} (the CRM has them at another company)"
        why = "their address bounces" if s.kind == "email_bounced" else "the CRM no longer lists them"
        return f"mark {name} departed from {self.account} ({why})"
