"""How long a verdict holds: the last day an account's verdict, computed today, is still the
same if nothing is written (issue 20: a cold morning as fast as a warm one).

The rules read the day in four places only (state.py, factors.py): a contact's days since
their last touch against their threshold (or the untimed window), the same days against the
renewal touch window, a champion's days since leaving against the departed window, and the
days to renewal against the renewal window. Each is a count of days that grows by one a day,
compared with a fixed number, so its answer can change only on the day it crosses that
number. The verdict holds until the day before the first such crossing after today; a write
drops it anyway (the store's triggers). A property test checks every day up to then.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from stakeworks.domain.rules.state import ContactLike, threshold_days
from stakeworks.domain.settings import DEFAULT_SETTINGS, Settings

FOREVER = date.max


def valid_until(
    contacts: Sequence[ContactLike], today: date, renewal_date: date | None, settings: Settings = DEFAULT_SETTINGS
) -> date:
    """The last day the verdict of these contacts, computed on `today`, stays the same."""
    first = FOREVER  # the first day after today on which some comparison can change its answer
    untimed = settings.untimed_engagement_window_days + 1
    touch_window = settings.renewal_touch_window_days + 1
    departed_window = settings.champion_departed_window_days + 1
    thresholds: dict[tuple[str, frozenset[str]], int | None] = {}

    def crossing(start: date, days: int) -> None:
        nonlocal first
        if start.toordinal() + days >= FOREVER.toordinal():
            return
        day = start + timedelta(days=days)
        if today < day < first:
            first = day

    for c in contacts:
        touched = c.last_touch
        if touched is not None:
            key = (c.level, frozenset(c.roles))
            if key not in thresholds:
                thresholds[key] = threshold_days(c.level, c.roles, settings)
            threshold = thresholds[key]
            crossing(touched, threshold + 1 if threshold is not None else untimed)
            crossing(touched, touch_window)
        if c.status == "departed" and c.departed_on is not None:
            crossing(c.departed_on, 0)
            crossing(c.departed_on, departed_window)
    if renewal_date is not None:
        if renewal_date.toordinal() > settings.renewal_window_days:
            crossing(renewal_date - timedelta(days=settings.renewal_window_days), 0)
        crossing(renewal_date, 1)
    return first if first == FOREVER else first - timedelta(days=1)
