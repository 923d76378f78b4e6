"""Every tunable number of DOMAIN in one object (the *setting* column).

A frozen dataclass rather than a pydantic model: the rules import it, and the
rules must load without pydantic (the app's first frame does not pay for it).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from stakeworks.domain.errors import InputError


def _levels() -> dict[str, int | None]:
    return {"c_level": 365, "vp": 182, "director": 91, "manager": 30, "user": None}


def _roles() -> dict[str, int]:
    return {"executive_sponsor": 90, "champion": 30, "economic_buyer": 90}


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
            k: ({**getattr(cls(), k), **v} if isinstance(v, dict) else v) for k, v in data.items()
        }
        return cls(**merged)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


def _days(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


DEFAULT_SETTINGS = Settings()
