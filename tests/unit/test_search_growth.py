"""The search index's bit sets (issue 20) against the rules written out one entry at a time.

Common words (first names, "engineering") keep bit sets instead of posting lists, and the
shortlist is read from combinations of word scores instead of scoring every candidate. Neither
may change a result: here a portfolio where a few words are in thousands of entries is searched
both ways, before and after edits, on both shortlist paths."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz, utils

from stakeworks.domain.search import SearchEntry, SearchIndex, bits_of, members, prepare

FIRST = ["sofia", "oscar", "umar", "kemi", "eve", "evelyn", "ivan", "lena", "tara", "wei"]
LAST = ["costa", "ulrich", "nilsson", "kim", "chen", "chan", "müller", "o'brien", "zimmermann"]
TITLES = ["VP Finance", "Head of Engineering", "Director, Operations", "Manager", ""]


def portfolio(rng: random.Random, accounts: int = 60, contacts: int = 3000) -> dict[int, list[SearchEntry]]:
    by_account: dict[int, list[SearchEntry]] = {}
    for a in range(1, accounts + 1):
        name = f"{rng.choice(['Summit', 'Granite', 'Orchid'])} {rng.choice(['Systems', 'Foundry'])} {a:05d}"
        by_account[a] = [SearchEntry(a, None, name, "account", prepare(name))]
    for c in range(1, contacts + 1):
        a = rng.randrange(1, accounts + 1)
        name = f"{rng.choice(FIRST).title()} {rng.choice(LAST).title()}"
        title = rng.choice(TITLES)
        account = by_account[a][0].label
        by_account[a].append(SearchEntry(a, c, name, f"{title} · {account}", prepare(name, title, str(c), account)))
    return by_account


def word_score(entry_words: set[str], word: str, last: bool) -> float:
    """The matching rules of `SearchIndex._word_matches`, for one entry."""
    best = 100.0 if word in entry_words else 0.0
    if last or len(word) <= 2:
        best = max(best, *(95.0 for w in entry_words if w.startswith(word) and w != word), 0.0)
    if len(word) >= 3 and not word.isdigit():
        cutoff = 75 if len(word) >= 5 else 70
        for w in entry_words:
            if not w.isdigit() and (score := fuzz.ratio(word, w)) >= cutoff:
                best = max(best, score)
    return best


def reference(entries: list[SearchEntry], query: str, limit: int = 40) -> list[tuple[int | None, str, float]]:
    q = utils.default_process(query)
    words = q.split()
    scored = []
    for position, e in enumerate(entries):
        mine = set(e.text.split())
        scores = [word_score(mine, w, n == len(words) - 1) for n, w in enumerate(words)]
        hits = sum(1 for s in scores if s > 0)
        if hits:
            scored.append((hits, sum(scores) / len(words), position))
    if not scored:
        return []
    most = max(h for h, _, _ in scored)
    shortlist = sorted((-mean, pos) for h, mean, pos in scored if h == most)[: max(limit * 5, 200)]
    ranked = []
    for neg, pos in shortlist:
        label = utils.default_process(entries[pos].label)
        bonus = 5 * len(set(words) & set(label.split()))
        ranked.append((max(fuzz.WRatio(q, label), -neg * 0.9) + bonus, pos))
    ranked.sort(key=lambda t: (-t[0], entries[t[1]].label.casefold()))
    return [(entries[p].contact_id, entries[p].label, round(s, 6)) for s, p in ranked[:limit]]


def ours(index: SearchIndex, query: str) -> list[tuple[int | None, str, float]]:
    return [(h.entry.contact_id, h.entry.label, round(h.score, 6)) for h in index.search(query, limit=40)]


def queries(rng: random.Random, entries: list[SearchEntry]) -> list[str]:
    found = ["eve", "evelyn costa", "head of eng", "vp finance chen", "sofia zz", "qqq xxx", "summit 0001",
             "o'brien", "chan", "kemi o", "granite foundry",
             " ".join([*FIRST, *LAST, "vp", "zzz"])]  # fmt: skip  # pasted: the most words, not all
    for e in rng.sample(entries, 25):
        q = e.label.lower()
        k = rng.randrange(1, len(q))
        found += [q[:k] + q[k + 1 :], q[: rng.randrange(2, len(q) + 1)]]
    return found


@pytest.mark.parametrize("combinations", [SearchIndex.MAX_COMBINATIONS, 1])  # 1: every candidate scored
def test_search_agrees_with_the_rules_entry_by_entry(combinations: int, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(SearchIndex, "MAX_COMBINATIONS", combinations)
    rng = random.Random(7)
    by_account = portfolio(rng)
    index = SearchIndex(e for entries in by_account.values() for e in entries)
    assert index._bitmaps  # the common words are bit sets here, as on a real portfolio
    live = [e for entries in by_account.values() for e in entries]
    for query in queries(rng, live):
        assert ours(index, query) == reference(live, query), query
    # Edits: some accounts' entries replaced (renamed people, a new word), one account emptied.
    for a in rng.sample(sorted(by_account), 8):
        renamed = [e if e.contact_id is None else
                   SearchEntry(a, e.contact_id, f"Zed {e.label}", e.detail, prepare("zed", e.text))
                   for e in by_account[a]]  # fmt: skip
        by_account[a] = renamed
        index.replace_account(a, renamed)
    gone = next(iter(by_account))
    by_account[gone] = []
    index.replace_account(gone, [])
    live = [e for entries in by_account.values() for e in entries]
    # The index keeps entries in the order they were added: the replaced ones at the end.
    order = {(e.account_id, e.contact_id): n for n, e in enumerate(index.entry(i) for i in range(len(index._names)))}
    live.sort(key=lambda e: order[(e.account_id, e.contact_id)])
    for query in [*queries(rng, live), "zed", "zed costa", "zed kemi chen"]:
        assert ours(index, query) == reference(live, query), query


def test_bit_sets_round_trip():
    rng = random.Random(1)
    for _ in range(50):
        entries = sorted(rng.sample(range(100_000), rng.randrange(0, 300)))
        bits = bits_of(entries)
        assert members(bits) == entries
        k = rng.randrange(0, 10)
        assert members(bits, k) == entries[:k]
