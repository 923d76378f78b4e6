"""Contact state (DOMAIN section 2): each contact's touch threshold, and whether
they are overdue, engaged, known and active on a given day; for a known
contact who is not engaged, the first reason why (DOMAIN section 3)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple, Protocol

from stakeworks.domain.settings import DEFAULT_SETTINGS, Settings
from stakeworks.domain.vocab import BAND_OF_LEVEL, Band


class ContactLike(Protocol):
    """What the rules read of a contact: a `Contact` model or a `ContactRow`
    (`stakeworks.domain.rows`, what the store's portfolio reads return).

    Read-only members, so both a pydantic model (enum-typed fields) and a plain row fit.
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
    def strength(self) -> int | None:
        """1-5, or None: not rated (nobody has assessed this relationship yet)."""

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
    why_not: str | None = None
    """For a known contact who is not engaged, the first reason code that applies
    (NOT_ENGAGED_REASONS order); None for the engaged and the departed."""


# DOMAIN section 3, "Known but not engaged": the first that applies, in this order.
STATUS_NOT_ENGAGED = "status_not_engaged"
NEVER_TOUCHED = "never_touched"
OVERDUE = "overdue"
STALE = "stale"
NOT_RATED = "not_rated"
WEAK = "weak"
NOT_ENGAGED_REASONS = (STATUS_NOT_ENGAGED, NEVER_TOUCHED, OVERDUE, STALE, NOT_RATED, WEAK)

STRENGTH_WORDS = {5: "strong", 4: "good", 3: "neutral", 2: "weak", 1: "at risk"}


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
    """DOMAIN section 2. Engaged: active, rated >= the minimum, touched at least
    once, not overdue, and (with no threshold) touched within the untimed window."""
    # A handful of (level, roles) pairs cover a whole portfolio: look each threshold up once.
    cache = _threshold_cache(settings)
    key = (c.level, frozenset(c.roles))
    threshold = cache[key] if key in cache else cache.setdefault(key, threshold_days(c.level, c.roles, settings))
    days = None if c.last_touch is None else max(0, (today - c.last_touch).days)
    status = c.status
    if status != "active":
        known = status != "departed"
        return ContactState(threshold, days, False, False, known, False, STATUS_NOT_ENGAGED if known else None)
    strength = c.strength
    if days is None:
        why: str | None = NEVER_TOUCHED
    elif threshold is not None and days > threshold:
        why = OVERDUE
    elif threshold is None and days > settings.untimed_engagement_window_days:
        why = STALE
    elif strength is None:
        why = NOT_RATED
    elif strength < settings.engaged_min_strength:
        why = WEAK
    else:
        why = None
    # Never touched with a threshold is overdue; with none it is not (nothing is due).
    overdue = threshold is not None and (days is None or days > threshold)
    return ContactState(threshold, days, overdue, why is None, True, True, why)


def not_engaged_detail(c: ContactLike, state: ContactState, settings: Settings = DEFAULT_SETTINGS) -> str:
    """The words for a reason code, the same wherever "known but not engaged" shows."""
    why = state.why_not
    if why == STATUS_NOT_ENGAGED:
        return "status not engaged"
    if why == NEVER_TOUCHED:
        return "never touched"
    if why == OVERDUE:
        return f"last touched {state.days_since_touch} days ago, every {state.threshold_days}"
    if why == STALE:
        window = settings.untimed_engagement_window_days
        return f"last touched {state.days_since_touch} days ago, not within {window}"
    if why == NOT_RATED:
        return "strength not rated"
    if why == WEAK:
        return f"strength {c.strength} ({STRENGTH_WORDS.get(c.strength or 0, '?')})"
    return ""


def department_key(department: str) -> str:
    """Departments match case-insensitively after trimming; blank is none."""
    return department.strip().casefold()


def band_of(level: str) -> Band:
    return BAND_OF_LEVEL[level]


def strength_dots(strength: int | None) -> str:
    if strength is None:
        return "○○○○○ not rated"
    return "●" * strength + "○" * (5 - strength)
