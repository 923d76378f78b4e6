"""Name resolution for the CLI and fuzzy search for the app (rapidfuzz)."""

from __future__ import annotations

import bisect
import heapq
import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import reduce
from itertools import chain, product, repeat
from math import prod
from operator import and_, or_
from typing import Protocol

from rapidfuzz import fuzz, process, utils

from stakeworks.domain.errors import InputError
from stakeworks.domain.identity import AccountIdentity
from stakeworks.domain.text import shorten


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
        raise InputError(f"{what} {shorten(name)!r} is ambiguous ({len(exact) or len(loose)} match){hint}")
    raise InputError(f"no {what} named {shorten(name)!r}{hint}")


@dataclass(frozen=True, slots=True)
class SearchEntry:
    """One searchable thing: an account, or a contact within its account."""

    account_id: int
    contact_id: int | None
    label: str
    detail: str
    text: str = ""  # prepared: lower-case, joined fields (read when indexed, not kept)


@dataclass(frozen=True, slots=True)
class Hit:
    entry: SearchEntry
    score: float


_NO_CONTACT = -1
_BITS_OF_BYTE = tuple(tuple(b for b in range(8) if value >> b & 1) for value in range(256))
_SET_BYTES = re.compile(rb"[^\x00]+")


def bits_of(entries: Iterable[int]) -> int:
    """A set of entries as one int, bit i for entry i: unions and intersections of
    hundreds of thousands of entries then cost microseconds, in C."""
    entries = list(entries)
    if not entries:
        return 0
    plane = bytearray(max(entries) // 8 + 1)
    for i in entries:
        plane[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(plane, "little")


def members(bits: int, limit: int | None = None) -> list[int]:
    """The entries of a bit set in ascending order (the first `limit` of them)."""
    if bits <= 0:
        return []
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    found: list[int] = []
    for run in _SET_BYTES.finditer(data):  # runs of non-zero bytes: a sparse set skips its zeros in C
        for at in range(run.start(), run.end()):
            base = at << 3
            found.extend(base + b for b in _BITS_OF_BYTE[data[at]])
        if limit is not None and len(found) >= limit:
            return found[:limit]
    return found


class _Packed:
    """Strings as a few long strs and where each ends in its own: 4 bytes a string beside its
    letters, where a list of str costs ~60 (1,000,000 contacts bring ~1,000,000 distinct words,
    mostly the numbers of email addresses: ~55 MB less), and no small object for the allocator to
    keep (see `SearchIndex`). A str takes the width of its widest character, so the strings go in
    chunks of CHUNK: one "ć" widens its own chunk, not every word. Read by rank, as bisect does;
    strings added after it is made (an edit's) are kept as they come."""

    CHUNK = 1024

    def __init__(self, strings: Iterable[str]) -> None:
        strings = list(strings)
        self._chunks = ["".join(strings[k : k + self.CHUNK]) for k in range(0, len(strings), self.CHUNK)]
        ends = array("i", bytes(4 * len(strings)))
        at = 0
        for r, text in enumerate(strings):
            at = len(text) if r % self.CHUNK == 0 else at + len(text)
            ends[r] = at
        self._ends = ends
        self._packed = len(strings)
        self._added: list[str] = []

    def __len__(self) -> int:
        return self._packed + len(self._added)

    def __getitem__(self, rank: int) -> str:
        if 0 <= rank < self._packed:
            start = self._ends[rank - 1] if rank % self.CHUNK else 0
            return self._chunks[rank // self.CHUNK][start : self._ends[rank]]
        if self._packed <= rank < len(self):
            return self._added[rank - self._packed]
        raise IndexError(rank)

    def add(self, text: str) -> int:
        self._added.append(text)
        return len(self) - 1


class SearchIndex:
    """Typo-tolerant search over every account and contact, one keystroke at a time.

    Scoring 200,000 long strings with WRatio costs hundreds of milliseconds a
    query, so the index works on a deduplicated vocabulary of words instead:
    each query word is matched against the vocabulary (prefix, then
    rapidfuzz's `ratio` for typos, a few milliseconds over ~50,000 words),
    the postings of the matching words give the candidate entries, and only
    the best few hundred are re-ranked by how well their *name* matches, with a
    bonus for whole words ("eve" puts Eve above Evelyn).

    Memory (issue 20): entries are kept as columns (ids in arrays, names and details as ids of
    packed strings), the words of the first build are one sorted list whose postings sit in one
    flat array, and edits after it go to a small overlay: a replaced entry is only marked dead
    (its words are no longer known), the new ones are posted in `_extra`.

    Memory (issue 36): what the index keeps is a few large buffers, not small objects. The build's
    scratch (a dict of every word, a million of them at 50,000 accounts) is small objects freed
    when it ends; a small object kept from among them (a name's str, an account's array) holds
    the allocator's pool around it, and scattered, those held ~90 MB of freed memory there.

    Growth (issue 20): the words in more than 1/256 of the entries (first names, "engineering")
    hold most postings, and turning theirs into sets was the cost of a query, growing with the
    portfolio. Those words keep a bit set instead of a posting list, so matching, intersecting
    and ranking work on bit sets, and only the entries that can reach the shortlist become
    Python ints.
    """

    MAX_COMBINATIONS = 256
    """Beyond this many combinations of word scores, candidates are scored one by one."""
    MAX_BITMAPS = 256  # at most 32 bytes per entry, in place of those words' postings

    def __init__(self, entries: Iterable[SearchEntry]) -> None:
        self._names = array("i")  # the entry's name: its rank in `_texts`
        # A contact's detail is "title · account": unique per person, but made of a few hundred
        # titles and one name per account. Kept as the ids of its two parts (8 bytes an entry, not
        # a ~100-byte string: 1,000,000 contacts, ~60 MB less), joined again when an entry is read.
        self._heads = array("i")  # -1: the detail has no " · "
        self._tails = array("i")
        self._accounts = array("i")  # ids fit 4 bytes until one does not (`_append` widens then)
        self._contacts = array("i")
        self._dead: set[int] = set()
        self._dead_bits = 0
        texts: dict[str, int] = {}  # names and parts of details, each once
        word_ids: dict[str, int] = {}
        word_counts = array("i")  # each entry's number of distinct words: its pairs in `pair_word`
        pair_word = array("i")  # the word of each (entry, word) pair, entries in order
        for e in entries:
            head, sep, tail = e.detail.rpartition(" · ")
            self._append(e, texts.setdefault(e.label, len(texts)), texts.setdefault(head, len(texts)) if sep else -1,
                         texts.setdefault(tail, len(texts)))  # fmt: skip
            distinct = set(e.text.split())
            word_counts.append(len(distinct))
            for word in distinct:
                idx = word_ids.get(word)
                if idx is None:
                    idx = word_ids[word] = len(word_ids)
                pair_word.append(idx)
        self._texts = _Packed(texts)
        del texts
        # Word ids become ranks in sorted order, so a prefix is a slice of `_words` and
        # its postings are read by rank; postings are one flat array cut by `_offsets`.
        words = sorted(word_ids)
        self._words = _Packed(words)
        rank = array("i", bytes(4 * len(words)))
        for r, word in enumerate(words):
            rank[word_ids[word]] = r
        # Typos are matched among words with letters; numbers (ids, zip codes) only by prefix.
        self._fuzzy_ranks = array("i", (r for r, w in enumerate(words) if not w.isdigit()))
        del word_ids, words
        self._post(pair_word, rank, word_counts)
        del pair_word, rank, word_counts
        # Their strs are made again here, together, once the scratch is gone (see the class).
        self._fuzzy_words = [self._words[r] for r in self._fuzzy_ranks]
        self._group_by_account()
        self._order_names()
        # The overlay: words of entries added after the build, and those entries' processed labels.
        self._extra: dict[str, list[int]] = {}
        self._extra_words: list[str] = []  # words of `_extra` not among `_words`, sorted
        self._extra_labels: list[tuple[str, int]] = []  # sorted

    def _post(self, pair_word: array[int], rank: array[int], word_counts: array[int]) -> None:
        """Postings by word rank from every (entry, word id) pair; bit sets for the commonest words."""
        counts = array("i", bytes(4 * (len(self._words) + 1)))
        for w in pair_word:
            counts[rank[w] + 1] += 1
        entries = len(self._accounts)
        threshold = max(64, entries // 256)
        common = [r for r in range(len(self._words)) if counts[r + 1] >= threshold]
        common = sorted(common, key=lambda r: -counts[r + 1])[: self.MAX_BITMAPS]
        planes = {r: bytearray(entries // 8 + 1) for r in common}
        for r in common:
            counts[r + 1] = 0  # kept as bits, not postings
        for r in range(len(self._words)):
            counts[r + 1] += counts[r]
        self._offsets = counts
        fill = array("i", counts)
        self._postings = array("i", bytes(4 * counts[-1]))
        pair_entry = chain.from_iterable(map(repeat, range(entries), word_counts))
        for w, i in zip(pair_word, pair_entry, strict=True):  # entries in order: each posting is sorted
            r = rank[w]
            plane = planes.get(r)
            if plane is None:
                at = fill[r]
                self._postings[at] = i
                fill[r] = at + 1
            else:
                plane[i >> 3] |= 1 << (i & 7)
        self._bitmaps: dict[int, int] = {}
        """Rank -> the entries of a common word, as bits (its posting list is empty)."""
        for r in common:
            self._bitmaps[r] = int.from_bytes(planes.pop(r), "little")

    def _group_by_account(self) -> None:
        """Each account's entries, as one array grouped by account (`_account_keys` sorted, for
        bisect) rather than an array per account; accounts edited since are in `_moved`."""
        keys = array("q", sorted(set(self._accounts)))
        slot = {a: k for k, a in enumerate(keys)}
        starts = array("i", bytes(4 * (len(keys) + 1)))
        for a in self._accounts:
            starts[slot[a] + 1] += 1
        for k in range(len(keys)):
            starts[k + 1] += starts[k]
        fill = array("i", starts)
        grouped = array("i", bytes(4 * len(self._accounts)))
        for i, a in enumerate(self._accounts):
            k = slot[a]
            grouped[fill[k]] = i
            fill[k] += 1
        self._account_keys, self._account_starts, self._grouped = keys, starts, grouped
        self._moved: dict[int, array[int]] = {}
        """Accounts replaced since the build -> their entries now."""

    def _order_names(self) -> None:
        """For one typed letter: entries in order of their processed name, and where each letter's run is."""
        folded = [utils.default_process(self._texts[k]) for k in range(len(self._texts))]  # once per distinct text
        names = self._names
        order = sorted(range(len(names)), key=lambda i: folded[names[i]])  # stable: ties by position
        self._by_label = array("i", order)
        self._letters: dict[str, tuple[int, int]] = {}
        for at, i in enumerate(order):
            if first := folded[names[i]][:1]:
                lo, _ = self._letters.get(first, (at, at))
                self._letters[first] = (lo, at + 1)

    def _append(self, e: SearchEntry, name: int, head: int, tail: int) -> int:
        i = len(self._names)
        self._names.append(name)
        self._heads.append(head)
        self._tails.append(tail)
        try:
            self._accounts.append(e.account_id)
        except OverflowError:
            self._accounts = array("q", self._accounts)
            self._accounts.append(e.account_id)
        contact = _NO_CONTACT if e.contact_id is None else e.contact_id
        try:
            self._contacts.append(contact)
        except OverflowError:
            self._contacts = array("q", self._contacts)
            self._contacts.append(contact)
        return i

    def _entries_of(self, account_id: int) -> array[int]:
        moved = self._moved.get(account_id)
        if moved is not None:
            return moved
        k = bisect.bisect_left(self._account_keys, account_id)
        if k == len(self._account_keys) or self._account_keys[k] != account_id:
            return array("i")
        return self._grouped[self._account_starts[k] : self._account_starts[k + 1]]

    def _label(self, i: int) -> str:
        return self._texts[self._names[i]]

    def _detail(self, i: int) -> str:
        head, tail = self._heads[i], self._texts[self._tails[i]]
        return tail if head < 0 else f"{self._texts[head]} · {tail}"

    def entry(self, i: int) -> SearchEntry:
        contact = self._contacts[i]
        return SearchEntry(self._accounts[i], None if contact == _NO_CONTACT else contact, self._label(i),
                           self._detail(i))  # fmt: skip

    def replace_account(self, account_id: int, entries: Iterable[SearchEntry]) -> None:
        """Swap one account's entries for fresh ones after an edit: the cost of
        that account's words, not of rebuilding 200,000 entries."""
        gone = self._entries_of(account_id)
        self._dead.update(gone)
        self._dead_bits |= bits_of(gone)
        now = self._moved[account_id] = array("i")
        for e in entries:
            head, sep, tail = e.detail.rpartition(" · ")
            i = self._append(e, self._texts.add(e.label), self._texts.add(head) if sep else -1, self._texts.add(tail))
            now.append(i)
            for word in set(e.text.split()):
                posting = self._extra.get(word)
                if posting is None:
                    posting = self._extra[word] = []
                    if not self._known(word):
                        bisect.insort(self._extra_words, word)
                posting.append(i)
            bisect.insort(self._extra_labels, (utils.default_process(e.label), i))

    def _known(self, word: str) -> bool:
        at = bisect.bisect_left(self._words, word)
        return at < len(self._words) and self._words[at] == word

    def _word_matches(self, word: str, last: bool) -> dict[float, list[str | int]]:
        """Score -> the words matching one query word with that score: ranks in `_words`, or
        words of the overlay alone."""
        found: dict[int | str, float] = {}
        if last or len(word) <= 2:
            # The word being typed: every vocabulary word it starts.
            lo = bisect.bisect_left(self._words, word)
            hi = min(bisect.bisect_left(self._words, word + "\uffff"), lo + 5000)
            found.update(dict.fromkeys(range(lo, hi), 95.0))
            if lo < hi and self._words[lo] == word:
                found[lo] = 100.0
            lo = bisect.bisect_left(self._extra_words, word)
            for w in self._extra_words[lo : bisect.bisect_left(self._extra_words, word + "\uffff")]:
                found[w] = 100.0 if w == word else 95.0
        elif self._known(word):
            found[bisect.bisect_left(self._words, word)] = 100.0
        if len(word) >= 3 and not word.isdigit():
            cutoff = 75 if len(word) >= 5 else 70
            # extract (not cdist): only the matches come back, and numpy never loads.
            for _, score, k in process.extract(word, self._fuzzy_words, scorer=fuzz.ratio, processor=None,
                                               score_cutoff=cutoff, limit=None):  # fmt: skip
                r = self._fuzzy_ranks[k]
                if score > found.get(r, 0.0):
                    found[r] = score
            extra = [w for w in self._extra_words if not w.isdigit()]
            for w, score, _ in process.extract(word, extra, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff,
                                               limit=None):  # fmt: skip
                if score > found.get(w, 0.0):
                    found[w] = score
        by_score: dict[float, list[str | int]] = {}
        for key, score in found.items():
            by_score.setdefault(score, []).append(key)
        return by_score

    def _bits_of_words(self, keys: list[str | int]) -> int:
        """The live and dead entries of some vocabulary words (ranks in `_words`, or words
        of the overlay alone), as bits."""
        found = 0
        loose: list[int] = []
        postings, offsets, extra, bitmaps = self._postings, self._offsets, self._extra, self._bitmaps
        for key in keys:
            if isinstance(key, int):
                bits = bitmaps.get(key)
                if bits is None:
                    loose.extend(postings[offsets[key] : offsets[key + 1]])
                else:
                    found |= bits
                if extra and (later := extra.get(self._words[key])):
                    loose.extend(later)
            else:
                loose.extend(extra[key])
        return found | bits_of(loose) if loose else found

    def _word_buckets(self, word: str, last: bool) -> list[tuple[float, int]]:
        """One query word's live matches, by score, best first: disjoint bit sets (an entry
        counts with its best score only)."""
        by_score = self._word_matches(word, last)
        taken = self._dead_bits
        buckets: list[tuple[float, int]] = []
        for score in sorted(by_score, reverse=True):
            bits = self._bits_of_words(by_score[score]) & ~taken
            if bits:
                buckets.append((score, bits))
                taken |= bits
        return buckets

    def _candidates(self, buckets: list[list[tuple[float, int]]]) -> int:
        """Entries matching every word; else those matching the most words."""
        # Each entry's count of matched words, in binary: plane i holds the entries whose count
        # has bit i set (a bit-sliced counter: a word is added with carries), so a pasted
        # twenty-word query costs a few dozen operations on bit sets, not 2**20 combinations.
        planes: list[int] = []
        for word in buckets:
            carry = reduce(or_, (bits for _, bits in word), 0)
            for i, plane in enumerate(planes):
                planes[i], carry = plane ^ carry, plane & carry
                if not carry:
                    break
            if carry:
                planes.append(carry)
        most = -1  # every entry; narrowed from the highest bit down to the largest count
        for plane in reversed(planes):
            if most & plane:
                most &= plane
        return most if planes else 0

    def _shortlist(self, buckets: list[list[tuple[float, int]]], candidates: int, size: int) -> list[tuple[float, int]]:
        """(mean word score, entry) of the best `size` candidates; ties: the first entries
        (accounts come before contacts)."""
        # A candidate's mean score is set by which bucket of each word holds it (none: 0), so
        # the combinations of one bucket per word, best mean first, give the shortlist without
        # scoring candidates one by one; only the entries taken become Python ints.
        choices = []
        for word in buckets:
            parts = [(score, inside) for score, bits in word if (inside := bits & candidates)]
            missing = candidates & ~reduce(or_, (bits for _, bits in word), 0)
            choices.append(parts + [(0.0, missing)] if missing else parts)
        if prod(len(parts) for parts in choices) > self.MAX_COMBINATIONS:
            return self._score_each(buckets, candidates, size)
        n = len(choices)
        means: dict[float, int] = {}
        for combo in product(*choices):
            mean = sum(score for score, _ in combo) / n
            means[mean] = means.get(mean, 0) | reduce(and_, (bits for _, bits in combo))
        picked: list[tuple[float, int]] = []
        for mean in sorted(means, reverse=True):
            picked.extend((mean, i) for i in members(means[mean], size - len(picked)))
            if len(picked) >= size:
                break
        return picked

    def _score_each(
        self, buckets: list[list[tuple[float, int]]], candidates: int, size: int
    ) -> list[tuple[float, int]]:
        totals = dict.fromkeys(members(candidates), 0.0)
        for word in buckets:
            for score, bits in word:
                for i in members(bits & candidates):
                    totals[i] += score
        n = len(buckets)
        return [(-neg, i) for neg, i in heapq.nsmallest(size, ((-total / n, i) for i, total in totals.items()))]

    def _first_letter(self, letter: str, limit: int) -> list[int]:
        """Entries whose processed name starts with one letter, in order of that name."""
        lo, hi = self._letters.get(letter, (0, 0))
        dead, by_label = self._dead, self._by_label
        picked: list[int] = []
        for k in range(lo, hi):
            if by_label[k] not in dead:
                picked.append(by_label[k])
                if len(picked) == limit:
                    break
        extra = [(label, i) for label, i in self._extra_labels if label.startswith(letter) and i not in dead]
        if not extra:
            return picked
        merged = sorted([(utils.default_process(self._label(i)), i) for i in picked] + extra)
        return [i for _, i in merged[:limit]]

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        q = utils.default_process(query)
        words = q.split()
        if not words:
            return []
        if len(q) == 1:
            return [Hit(self.entry(i), 100.0) for i in self._first_letter(q, limit)]
        buckets = [self._word_buckets(word, last=n == len(words) - 1) for n, word in enumerate(words)]
        candidates = self._candidates(buckets)
        if not candidates:
            return []
        shortlist = self._shortlist(buckets, candidates, max(limit * 5, 200))
        ranked = []
        for word_score, entry in shortlist:
            label = utils.default_process(self._label(entry))
            bonus = 5 * len(set(words) & set(label.split()))
            ranked.append((max(fuzz.WRatio(q, label), word_score * 0.9) + bonus, entry))
        ranked.sort(key=lambda t: (-t[0], self._label(t[1]).casefold()))
        return [Hit(self.entry(i), score) for score, i in ranked[:limit]]


def prepare(*fields: str) -> str:
    return utils.default_process(" ".join(f for f in fields if f))


def build_entries(
    accounts: Sequence[tuple[int, str]],
    contacts: Iterable[tuple[int, int, str, str, str, str]],
    labels: dict[int, tuple[str, str]] | None = None,
) -> Iterator[SearchEntry]:
    """Accounts, then contacts (account id, contact id, name, title, email, department), one at
    a time: the index keeps what it needs of each and the prepared text goes.

    `labels` tells accounts that share a name apart (DOMAIN section 10): account id ->
    (the name with its CRM and id, the id); the id is searchable too."""
    labels = labels or {}
    names = {a: labels[a][0] if a in labels else n for a, n in accounts}
    for a, n in accounts:
        if a in labels:
            yield SearchEntry(a, None, n, f"account · {labels[a][0].removeprefix(n).strip(' ()')}",
                              prepare(n, labels[a][1]))  # fmt: skip
        else:
            yield SearchEntry(a, None, n, "account", prepare(n))
    for account_id, cid, name, title, email, dept in contacts:
        account = names.get(account_id, "")
        # The email's local part only: domains ("example", "com") would match everyone.
        local = email.split("@")[0] if email else ""
        detail = f"{title} · {account}" if title else account
        yield SearchEntry(account_id, cid, name, detail, prepare(name, title, local, dept, account))


SearchRow = tuple[int, int, str, str, str, str]
"""A contact as search reads it: (account id, contact id, name, title, email, department)."""


class SearchSource(Protocol):
    """What the index is built from: the store's search reads (`stakeworks.db.store.Store`)."""

    def account_identities(self, *, namesakes_only: bool = False) -> list[AccountIdentity]: ...
    def account_names(self, account_id: int | None = None) -> list[tuple[int, str]]: ...
    def search_rows(self, account_id: int | None = None) -> list[SearchRow]: ...
    def search_rows_after(self, after: int, size: int) -> list[SearchRow]: ...


def entries_from_store(store: SearchSource, account_id: int | None = None) -> Iterator[SearchEntry]:
    """Every entry, or one account's (to refresh the index after an edit), made as they are
    taken: every contact's are read a page at a time meanwhile."""
    labels = {a.id: (a.label, a.crm_id) for a in store.account_identities(namesakes_only=True)}
    if account_id is None:  # a page at a time: 200,000 rows never sit in memory at once
        contacts: Iterable[tuple[int, int, str, str, str, str]] = _pages(store)
    else:
        contacts = store.search_rows(account_id)
    return build_entries(store.account_names(account_id), contacts, labels)


def _pages(store: SearchSource, size: int = 20_000) -> Iterator[tuple[int, int, str, str, str, str]]:
    after = 0
    while True:
        page = store.search_rows_after(after, size)
        yield from page
        if len(page) < size:
            return
        after = page[-1][1]
