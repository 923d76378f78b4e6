"""Every tunable number of DOMAIN in one object (the *setting* column).

A frozen dataclass rather than a pydantic model: the rules import it, and the
rules must load without pydantic (the app's first frame does not pay for it).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from stakeworks.domain.errors import InputError


def _levels() -> dict[str, int | None]:
    return {"c_level": 365, "vp": 182, "director": 91, "manager": 30, "user": None}


def _roles() -> dict[str, int]:
    return {"executive_sponsor": 90, "champion": 30, "economic_buyer": 90}


# DOMAIN section 11: local parts of addresses that are never people.
ROLE_ADDRESSES = (
    "noreply", "no-reply", "donotreply", "mailer-daemon", "postmaster", "info", "support", "help", "sales",
    "billing", "invoices", "notifications", "calendar", "admin", "team", "hello", "contact", "marketing", "news",
    "newsletter",
)  # fmt: skip


@dataclass(frozen=True)
class Settings:
    # DOMAIN section 2: max days since last touch; None = no threshold.
    level_threshold_days: dict[str, int | None] = field(default_factory=_levels)
    role_threshold_days: dict[str, int] = field(default_factory=_roles)
    engaged_min_strength: int = 3
    # A contact with no threshold is engaged only when touched within this window.
    untimed_engagement_window_days: int = 365
    decision_maker_window_days: int = 365
    champion_departed_window_days: int = 90
    renewal_window_days: int = 90
    renewal_touch_window_days: int = 90
    due_soon_days: int = 14
    high_points: int = 30
    medium_points: int = 12
    # DOMAIN section 5.
    sponsor_default_capacity: int = 3
    program_size: int = 12
    # A calendar import keeps at most this many occurrences of one recurring event on each side
    # of today (the latest ones): a rule that repeats forever stays bounded (docs/reliability.md).
    calendar_occurrences_per_event: int = 1000
    # DOMAIN section 11: mail domains of our own people, and local parts that are never people.
    our_domains: tuple[str, ...] = ()
    role_addresses: tuple[str, ...] = ROLE_ADDRESSES

    @classmethod
    def from_json(cls, raw: str) -> Settings:
        """Stored overrides on top of the defaults; unknown or mistyped keys are refused."""
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(f"settings are not valid JSON ({exc})") from None
        if not isinstance(data, dict):
            raise InputError("settings must be a JSON object of setting: value")
        known = {f.name: f for f in fields(cls)}
        unknown = set(data) - set(known)
        if unknown:
            raise InputError(f"unknown settings: {', '.join(sorted(unknown))}")
        for key, value in data.items():
            default = getattr(cls(), key)
            if isinstance(default, tuple):
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise InputError(f"setting {key} must be a list of text")
                continue
            if isinstance(default, dict) != isinstance(value, dict) or (
                not isinstance(default, dict) and not _days(value)
            ):
                raise InputError(
                    f"setting {key} must be {'a mapping' if isinstance(default, dict) else 'a whole number, 0 or more'}"
                )
            if isinstance(value, dict):
                for name, days in value.items():
                    if name not in default:
                        raise InputError(f"setting {key}: unknown key {name!r} (use {', '.join(default)})")
                    if not (_days(days) or (days is None and None in default.values())):
                        raise InputError(f"setting {key}.{name} must be a whole number of days, 0 or more")
        merged: dict[str, Any] = {
            k: ({**getattr(cls(), k), **v} if isinstance(v, dict) else tuple(v) if isinstance(v, list) else v)
            for k, v in data.items()
        }
        return cls(**merged)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


def setting_items(settings: Settings) -> list[tuple[str, object, object]]:
    """(key, value, default) of every setting, a mapping's entries as `name.entry`."""
    out: list[tuple[str, object, object]] = []
    for f in fields(Settings):
        value, default = getattr(settings, f.name), getattr(DEFAULT_SETTINGS, f.name)
        if isinstance(default, dict):
            out += [(f"{f.name}.{k}", value[k], default[k]) for k in default]
        else:
            out.append((f.name, value, default))
    return out


_LEVEL_WORDS = {"c_level": "C-level", "vp": "VP", "director": "director", "manager": "manager", "user": "user"}
_ROLE_WORDS = {"executive_sponsor": "executive sponsor", "champion": "champion", "economic_buyer": "economic buyer"}
_ABOUT = {
    "engaged_min_strength": "Strength (1-5) a contact needs to count as engaged.",
    "untimed_engagement_window_days": "A contact with no touch threshold is engaged only if touched within these days.",
    "decision_maker_window_days": "A decision maker counts only if touched within these days.",
    "champion_departed_window_days": "A champion who left within these days raises champion departed.",
    "renewal_window_days": "A renewal within these days is near: its factors fire.",
    "renewal_touch_window_days": "Near a renewal, decision makers untouched for these days raise a factor.",
    "due_soon_days": "Who to touch this week lists contacts due within these days.",
    "high_points": "Risk score points for each high factor (the score is capped at 100).",
    "medium_points": "Risk score points for each medium factor.",
    "sponsor_default_capacity": "Accounts one of our executives can sponsor, unless their own capacity says.",
    "program_size": "Accounts the sponsor program takes on.",
    "calendar_occurrences_per_event": "Occurrences of one recurring event a calendar import keeps each side of today.",
    "our_domains": "Mail domains of our own people (comma-separated): never customers, they are who of us was there.",
    "role_addresses": "Address names that are never people (comma-separated): noreply, support, …",
}


def about_setting(key: str) -> str:
    """One line of what the setting does, for the app's settings screen."""
    name, _, entry = key.partition(".")
    if name == "level_threshold_days":
        return f"Days a {_LEVEL_WORDS.get(entry, entry)} contact may go untouched before overdue (none: no limit)."
    if name == "role_threshold_days":
        return f"Days a contact who is {_ROLE_WORDS.get(entry, entry)} may go untouched before overdue."
    return _ABOUT.get(key, "")


def setting_keys() -> list[str]:
    return [key for key, _, _ in setting_items(DEFAULT_SETTINGS)]


def _check_key(key: str) -> None:
    if key not in setting_keys():
        raise InputError(f"unknown setting {key!r}; the settings are: {', '.join(setting_keys())}")


def _parse_value(key: str, text: str, default: object) -> object:
    text = text.strip()
    if isinstance(default, tuple):
        items = [part.strip().lower() for part in text.split(",") if part.strip()]
        bad = [i for i in items if not _LIST_ITEM.fullmatch(i)]
        if bad:
            raise InputError(f"setting {key}: {bad[0][:60]!r} is not a domain or an address's local part")
        return list(dict.fromkeys(items))
    allow_none = key.startswith("level_threshold_days.")
    if allow_none and text.lower() in ("none", ""):
        return None
    if not text.isdigit() or len(text) > 6:
        extra = " or none (no threshold)" if allow_none else ""
        raise InputError(f"setting {key}: {text[:60]!r} is not a whole number, 0 or more{extra}")
    return int(text)


def with_setting(overrides: dict[str, Any], key: str, text: str) -> dict[str, Any]:
    """The stored overrides with KEY set from the text a user typed (lists comma-separated)."""
    _check_key(key)
    name, _, entry = key.partition(".")
    default = getattr(DEFAULT_SETTINGS, name)
    value = _parse_value(key, text, default[entry] if entry else default)
    out = dict(overrides)
    out[name] = {**out.get(name, {}), entry: value} if entry else value
    return out


def without_setting(overrides: dict[str, Any], key: str) -> dict[str, Any]:
    """The stored overrides with KEY back at its default."""
    _check_key(key)
    name, _, entry = key.partition(".")
    out = dict(overrides)
    if entry:
        rest = {k: v for k, v in out.get(name, {}).items() if k != entry}
        out.pop(name, None)
        if rest:
            out[name] = rest
    else:
        out.pop(name, None)
    return out


# A domain (ourco.com) or a local part (noreply): letters, digits, dots, dashes, underscores, plus.
_LIST_ITEM = re.compile(r"[a-z0-9](?:[a-z0-9._+-]{0,250})")


def _days(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


DEFAULT_SETTINGS = Settings()
