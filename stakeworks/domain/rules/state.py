"""Contact state (DOMAIN section 2): each contact's touch threshold, and whether
they are overdue, engaged, known and active on a given day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple, Protocol

from stakeworks.domain.settings import DEFAULT_SETTINGS, Settings
from stakeworks.domain.vocab import BAND_OF_LEVEL, Band


class ContactLike(Protocol):
    """What the rules read of a contact: a `Contact` model or the store's light row.

    Read-only members, so both a pydantic model (enum-typed fields) and a NamedTuple row fit.
    """

    @property
    def id(self) -> int | None: ...
    @property
    def name(self) -> str: ...
    @property
    def department(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def roles(self) -> frozenset[str]: ...
    @property
    def strength(self) -> int: ...
    @property
    def sentiment(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def departed_on(self) -> date | None: ...
    @property
    def last_touch(self) -> date | None: ...
    @property
    def engagement_strategy(self) -> str: ...


class ContactState(NamedTuple):
    """What the rules derive for one contact on one day.

    A NamedTuple, not a frozen dataclass: 200,000 are built on a cold portfolio
    day, and a frozen dataclass pays an object.__setattr__ per field.
    """

    threshold_days: int | None
    days_since_touch: int | None
    overdue: bool
    engaged: bool
    known: bool
    active: bool


def threshold_days(level: str, roles: Iterable[str], settings: Settings = DEFAULT_SETTINGS) -> int | None:
    """The smallest touch threshold that applies to a level and a set of roles."""
    candidates = [settings.level_threshold_days.get(level)]
    candidates += [settings.role_threshold_days.get(r) for r in roles]
    present = [c for c in candidates if c is not None]
    return min(present) if present else None


# (settings, {(level, roles): threshold}) per Settings object in use; the object is
# held, so its id cannot be reused by another while its entry lives.
_thresholds: dict[int, tuple[Settings, dict[tuple[str, frozenset[str]], int | None]]] = {}


def _threshold_cache(settings: Settings) -> dict[tuple[str, frozenset[str]], int | None]:
    entry = _thresholds.get(id(settings))
    if entry is None or entry[0] is not settings:
        if len(_thresholds) > 32:
            _thresholds.clear()
        entry = _thresholds[id(settings)] = (settings, {})
    return entry[1]


def contact_state(c: ContactLike, today: date, settings: Settings = DEFAULT_SETTINGS) -> ContactState:
    # A handful of (level, roles) pairs cover a whole portfolio: look each threshold up once.
    cache = _threshold_cache(settings)
    key = (c.level, frozenset(c.roles))
    threshold = cache[key] if key in cache else cache.setdefault(key, threshold_days(c.level, c.roles, settings))
    days = None if c.last_touch is None else max(0, (today - c.last_touch).days)
    active = c.status == "active"
    overdue = active and threshold is not None and (days is None or days > threshold)
    engaged = active and c.strength >= settings.engaged_min_strength and not overdue
    return ContactState(threshold, days, overdue, engaged, c.status != "departed", active)


def department_key(department: str) -> str:
    """Departments match case-insensitively after trimming; blank is none."""
    return department.strip().casefold()


def band_of(level: str) -> Band:
    return BAND_OF_LEVEL[level]


def strength_dots(strength: int) -> str:
    return "●" * strength + "○" * (5 - strength)
