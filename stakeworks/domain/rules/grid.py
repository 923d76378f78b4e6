"""The coverage grid (DOMAIN section 3): engaged contacts by department and level band."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from stakeworks.domain.rules.state import ContactLike, band_of, contact_state, department_key
from stakeworks.domain.settings import DEFAULT_SETTINGS, Settings
from stakeworks.domain.vocab import Band


def coverage_grid(
    contacts: Sequence[ContactLike], today: date, settings: Settings = DEFAULT_SETTINGS
) -> dict[str, dict[Band, list[ContactLike]]]:
    """Departments x level bands, engaged contacts only (DOMAIN section 3).

    Keys are the departments as first written; engaged contacts with no
    department sit under "(none)". Every band is present in every row so
    empty cells show.
    """
    grid: dict[str, dict[Band, list[ContactLike]]] = {}
    pretty: dict[str, str] = {}
    for c in contacts:
        if not contact_state(c, today, settings).engaged:
            continue
        key = department_key(c.department)
        label = pretty.setdefault(key, c.department.strip() or "(none)")
        row = grid.setdefault(label, {b: [] for b in Band})
        row[band_of(c.level)].append(c)
    return dict(sorted(grid.items(), key=lambda kv: kv[0].casefold()))
