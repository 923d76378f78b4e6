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

    Stage 1 narrows with a cheap, typo-tolerant scorer over every entry;
    stage 2 re-ranks the few best by how well the *name* matches, with a
    bonus for whole words, so "eve" puts Eve above Evelyn and Steve.
    """

    def __init__(self, entries: Sequence[SearchEntry]) -> None:
        self.entries = list(entries)
        self._texts = [e.text for e in self.entries]

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        q = utils.default_process(query)
        if not q:
            return []
        shortlist = process.extract(
            q,
            self._texts,
            scorer=fuzz.partial_token_set_ratio,
            processor=None,
            limit=max(limit * 4, 200),
            score_cutoff=70,
        )
        words = set(q.split())
        scored = []
        for _text, text_score, i in shortlist:
            entry = self.entries[i]
            label = utils.default_process(entry.label)
            name_score = fuzz.WRatio(q, label)
            bonus = 5 * len(words & set(label.split()))
            scored.append((max(name_score, text_score * 0.9) + bonus, i))
        scored.sort(key=lambda t: (-t[0], self.entries[t[1]].label.casefold()))
        return [Hit(self.entries[i], score) for score, i in scored[:limit]]


def prepare(*fields: str) -> str:
    return utils.default_process(" ".join(f for f in fields if f))
