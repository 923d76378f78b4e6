"""Portfolio-wide reads of contacts in slices of accounts.

A read of every contact holds 200,000 rows at once on a 10,000-account store; read a
thousand accounts at a time, the peak is one slice's rows and the memory the app keeps
afterwards is not left full of holes (issue 20: the app's resident memory).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from stakeworks.domain.rows import AccountRow, ContactRow
from stakeworks.services.ports import StorePort

SLICE = 1000  # accounts a read: ~20,000 contacts, well within a statement's parameters


def contact_slices(
    store: StorePort, accounts: Sequence[AccountRow], size: int = SLICE
) -> Iterator[tuple[Sequence[AccountRow], dict[int, list[ContactRow]]]]:
    """`accounts` a slice at a time, each with its contacts grouped by account."""
    for start in range(0, len(accounts), size):
        some = accounts[start : start + size]
        yield some, store.contact_rows([a.id for a in some])
