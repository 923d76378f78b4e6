"""Name resolution for the CLI and fuzzy search for the app (rapidfuzz)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from stakeworks.errors import InputError


def resolve(name: str, candidates: Sequence[tuple[int, str]], what: str) -> int:
    """Exact name first, then case-insensitive; else exit-2 with the closest names."""
    exact = [cid for cid, n in candidates if n == name]
    if len(exact) == 1:
        return exact[0]
    folded = name.strip().casefold()
    loose = [cid for cid, n in candidates if n.casefold() == folded]
    if len(loose) == 1 and not exact:
        return loose[0]
    close = [
        m[0] for m in process.extract(name, [n for _, n in candidates], scorer=fuzz.WRatio, limit=3, score_cutoff=50)
    ]
    hint = f"; closest: {', '.join(close)}" if close else ""
    if len(exact) > 1 or len(loose) > 1:
        raise InputError(f"{what} {name!r} is ambiguous ({len(exact) or len(loose)} match){hint}")
    raise InputError(f"no {what} named {name!r}{hint}")


@dataclass(frozen=True, slots=True)
class SearchEntry:
    """One searchable thing: an account, or a contact within its account."""

    account_id: int
    contact_id: int | None
    label: str
    detail: str
    text: str  # prepared: lower-case, joined fields


@dataclass(frozen=True, slots=True)
class Hit:
    entry: SearchEntry
    score: float


class SearchIndex:
    """Typo-tolerant search over prepared strings.

    A cheap scorer (QRatio-like partial token matching is too slow at 200k
    rows) narrows to a few thousand candidates; WRatio re-ranks those.
    """

    def __init__(self, entries: Sequence[SearchEntry]) -> None:
        self.entries = list(entries)
        self._texts = [e.text for e in self.entries]

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        q = utils.default_process(query)
        if not q:
            return []
        # Stage 1: token_set-like tolerance cheaply via partial_ratio on a prefilter.
        shortlist = process.extract(
            q, self._texts, scorer=fuzz.partial_token_set_ratio, processor=None,
            limit=2000, score_cutoff=60,
        )  # fmt: skip
        if not shortlist:
            return []
        texts = [s[0] for s in shortlist]
        ranked = process.extract(q, texts, scorer=fuzz.WRatio, processor=None, limit=limit, score_cutoff=55)
        return [Hit(self.entries[shortlist[i][2]], score) for _, score, i in ranked]


def prepare(*fields: str) -> str:
    return utils.default_process(" ".join(f for f in fields if f))
