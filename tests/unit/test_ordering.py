"""numpy's order of a portfolio-wide list is the order of sorting by the tuple (domain/ordering.py)."""

from __future__ import annotations

import random

import pytest

from stakeworks.domain.ordering import NUMPY_FROM, order_by


@pytest.mark.parametrize("n", [0, 1, 50, NUMPY_FROM, 3 * NUMPY_FROM])
def test_the_order_is_sorting_by_the_tuple_with_ties_broken_by_name_and_then_kept(n: int):
    rng = random.Random(n)
    # Few distinct values: many rows tie on both numbers, some on the name too (kept in order).
    first = [float(rng.choice([-3, -1.5, 0, 0.0, -0.0, 2])) for _ in range(n)]
    second = [rng.choice([-1e6, -250_000.5, 0.0, 10.0]) for _ in range(n)]
    names = [rng.choice(["acme", "Acme", "zeta", "älv", "b", ""]) for _ in range(n)]
    expected = sorted(range(n), key=lambda i: (first[i], second[i], names[i]))
    assert order_by((first, second), names) == expected


def test_rows_without_ties_follow_the_numbers_alone():
    n = NUMPY_FROM + 7
    values = list(range(n))
    random.Random(1).shuffle(values)
    order = order_by(([-float(v) for v in values],), ["same"] * n)
    assert [values[i] for i in order] == list(range(n - 1, -1, -1))
