"""Portfolio-wide orders sorted by numpy, whose sorts give the GIL back.

`list.sort` of 50,000 tuple keys holds the GIL for its whole run (~30 ms): on a worker thread,
that is a stall for the screen being drawn meanwhile. The same order comes from a lexsort
over numeric columns, with names consulted only where the numbers tie.
"""

from __future__ import annotations

from collections.abc import Sequence

NUMPY_FROM = 5_000
"""Below this many rows `sorted` is as quick and holds the GIL only briefly."""


def order_by(columns: Sequence[Sequence[float]], names: Sequence[str]) -> list[int]:
    """Row indexes in the order of the tuple (columns[0][i], columns[1][i], ..., names[i]),
    ascending and stable: the order `sorted(range(n), key=that tuple)` gives."""
    n = len(names)
    if n < NUMPY_FROM:
        return sorted(range(n), key=lambda i: (*(c[i] for c in columns), names[i]))
    import numpy as np

    cols = [np.asarray(c, dtype=np.float64) for c in columns]
    order = np.lexsort(cols[::-1])  # lexsort's last key decides first; stable
    keyed = np.stack([c[order] for c in cols])
    ties = np.all(keyed[:, 1:] == keyed[:, :-1], axis=0)  # ties[j]: rows j and j + 1 are equal
    out: list[int] = order.tolist()
    edges = np.diff(np.concatenate(([0], ties.view(np.int8), [0])))
    for first, last in zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(), strict=True):
        out[first : last + 1] = sorted(out[first : last + 1], key=names.__getitem__)
    return out
