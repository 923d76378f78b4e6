"""Name resolution for the CLI and fuzzy search for the app (rapidfuzz)."""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from stakeworks.domain.errors import InputError


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
    """Typo-tolerant search over every account and contact, one keystroke at a time.

    Scoring 200,000 long strings with WRatio costs hundreds of milliseconds a
    query, so the index works on a deduplicated vocabulary of words instead:
    each query word is matched against the vocabulary (prefix, then
    rapidfuzz's `ratio` for typos, a few milliseconds over ~50,000 words),
    the postings of the matching words give the candidate entries, and only
    the best few hundred are re-ranked by how well their *name* matches, with a
    bonus for whole words ("eve" puts Eve above Evelyn).
    """

    def __init__(self, entries: Sequence[SearchEntry]) -> None:
        self.entries: list[SearchEntry] = []
        """Entries by position; a replaced account's old entries stay here, unreachable."""
        self._word_ids: dict[str, int] = {}
        self.vocabulary: list[str] = []
        self.postings: list[list[int]] = []
        self._by_account: dict[int, list[int]] = {}
        for e in entries:
            self._file(e)
        self._by_prefix = sorted(range(len(self.vocabulary)), key=self.vocabulary.__getitem__)
        self._sorted_words = [self.vocabulary[i] for i in self._by_prefix]
        # Typos are matched among words with letters; numbers (ids, zip codes) only by prefix.
        self._fuzzy_ids = [i for i, w in enumerate(self.vocabulary) if not w.isdigit()]
        self._fuzzy_words = [self.vocabulary[i] for i in self._fuzzy_ids]
        # One typed letter: names starting with it, straight from a sorted list.
        folded: dict[str, str] = {}  # label -> its processed form, computed and stored once per distinct name
        self._labels = sorted(
            (folded[e.label] if e.label in folded else folded.setdefault(e.label, utils.default_process(e.label)), i)
            for i, e in enumerate(self.entries)
        )

    def _file(self, entry: SearchEntry) -> list[int]:
        """Append an entry and post it under its words; returns the words new to the vocabulary."""
        i = len(self.entries)
        self.entries.append(entry)
        self._by_account.setdefault(entry.account_id, []).append(i)
        new = []
        for word in set(entry.text.split()):
            idx = self._word_ids.get(word)
            if idx is None:
                idx = self._word_ids[word] = len(self.vocabulary)
                self.vocabulary.append(word)
                self.postings.append([])
                new.append(idx)
            self.postings[idx].append(i)
        return new

    def replace_account(self, account_id: int, entries: Sequence[SearchEntry]) -> None:
        """Swap one account's entries for fresh ones after an edit: the cost of
        that account's words, not of rebuilding 200,000 entries."""
        for i in self._by_account.pop(account_id, []):
            old = self.entries[i]
            for word in set(old.text.split()):
                # Postings stay sorted (entries are only ever appended), so find by bisection:
                # list.remove would scan 40,000-entry lists from the front for every word.
                posting = self.postings[self._word_ids[word]]
                del posting[bisect.bisect_left(posting, i)]
            del self._labels[bisect.bisect_left(self._labels, (utils.default_process(old.label), i))]
        for e in entries:
            for idx in self._file(e):
                word = self.vocabulary[idx]
                at = bisect.bisect_left(self._sorted_words, word)
                self._sorted_words.insert(at, word)
                self._by_prefix.insert(at, idx)
                if not word.isdigit():
                    self._fuzzy_ids.append(idx)
                    self._fuzzy_words.append(word)
            bisect.insort(self._labels, (utils.default_process(e.label), len(self.entries) - 1))

    def _word_matches(self, word: str, last: bool) -> dict[int, float]:
        """Vocabulary index -> score for one query word."""
        found: dict[int, float] = {}
        if last or len(word) <= 2:
            # The word being typed: every vocabulary word it starts.
            lo = bisect.bisect_left(self._sorted_words, word)
            hi = bisect.bisect_left(self._sorted_words, word + "\uffff")
            for k in range(lo, min(hi, lo + 5000)):
                found[self._by_prefix[k]] = 100.0 if self._sorted_words[k] == word else 95.0
        if len(word) >= 3 and not word.isdigit() and self._fuzzy_words:
            cutoff = 75 if len(word) >= 5 else 70
            # extract (not cdist): only the matches come back, and numpy never loads.
            for _, score, k in process.extract(word, self._fuzzy_words, scorer=fuzz.ratio, processor=None,
                                               score_cutoff=cutoff, limit=None):  # fmt: skip
                idx = self._fuzzy_ids[k]
                found[idx] = max(found.get(idx, 0.0), score)
        return found

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        q = utils.default_process(query)
        words = q.split()
        if not words:
            return []
        if len(q) == 1:
            start = bisect.bisect_left(self._labels, (q, -1))
            firsts = [i for label, i in self._labels[start : start + limit] if label.startswith(q)]
            return [Hit(self.entries[i], 100.0) for i in firsts]
        per_word: list[dict[int, float]] = []
        for n, word in enumerate(words):
            entry_scores: dict[int, float] = {}
            for vocab_idx, score in self._word_matches(word, last=n == len(words) - 1).items():
                for entry in self.postings[vocab_idx]:
                    if score > entry_scores.get(entry, 0.0):
                        entry_scores[entry] = score
            per_word.append(entry_scores)
        # Entries matching every word first; else those matching the most words.
        combined: dict[int, tuple[int, float]] = {}
        for scores in per_word:
            for entry, score in scores.items():
                hits, total = combined.get(entry, (0, 0.0))
                combined[entry] = (hits + 1, total + score)
        if not combined:
            return []
        best_hits = max(h for h, _ in combined.values())
        shortlist = heapq.nlargest(
            max(limit * 5, 200),
            ((total / len(words), entry) for entry, (hits, total) in combined.items() if hits == best_hits),
        )
        ranked = []
        for word_score, entry in shortlist:
            e = self.entries[entry]
            label = utils.default_process(e.label)
            bonus = 5 * len(set(words) & set(label.split()))
            ranked.append((max(fuzz.WRatio(q, label), word_score * 0.9) + bonus, entry))
        ranked.sort(key=lambda t: (-t[0], self.entries[t[1]].label.casefold()))
        return [Hit(self.entries[i], score) for score, i in ranked[:limit]]


def prepare(*fields: str) -> str:
    return utils.default_process(" ".join(f for f in fields if f))


def build_entries(
    accounts: Sequence[tuple[int, str]],
    contacts: Sequence[tuple[int, int, str, str, str, str]],
    labels: dict[int, tuple[str, str]] | None = None,
) -> list[SearchEntry]:
    """Accounts, then contacts (account id, contact id, name, title, email, department).

    `labels` tells accounts that share a name apart (DOMAIN section 10): account id ->
    (the name with its CRM and id, the id); the id is searchable too."""
    labels = labels or {}
    names = {a: labels[a][0] if a in labels else n for a, n in accounts}
    out = [
        SearchEntry(a, None, n, f"account · {labels[a][0].removeprefix(n).strip(' ()')}", prepare(n, labels[a][1]))
        if a in labels
        else SearchEntry(a, None, n, "account", prepare(n))
        for a, n in accounts
    ]
    # Names and titles repeat across 200,000 contacts: keep one copy of each string.
    shared: dict[str, str] = {}
    one = shared.setdefault
    for account_id, cid, name, title, email, dept in contacts:
        account = names.get(account_id, "")
        # The email's local part only: domains ("example", "com") would match everyone.
        local = email.split("@")[0] if email else ""
        detail = f"{title} · {account}" if title else account
        out.append(SearchEntry(account_id, cid, one(name, name), one(detail, detail),
                               prepare(name, title, local, dept, account)))  # fmt: skip
    return out


def entries_from_store(store: object, account_id: int | None = None) -> list[SearchEntry]:
    """Every entry, or one account's (to refresh the index after an edit)."""
    shared = store.shared_account_names()  # type: ignore[attr-defined]
    labels = (
        {a.id: (a.label, a.crm_id) for a in store.account_identities() if a.name in shared}  # type: ignore[attr-defined]
        if shared
        else {}
    )
    return build_entries(store.account_names(account_id), store.search_rows(account_id), labels)  # type: ignore[attr-defined]
