"""The search index: typo tolerance, and updating one account in place after an edit."""

from __future__ import annotations

from pathlib import Path

from stakeworks.db.store import Store
from stakeworks.domain.search import SearchEntry, SearchIndex, entries_from_store, prepare

QUERIES = ["tom chn", "sarah", "t", "z", "northwnd", "engineering", "zed quill", "zed", "q", "finance kim", "quil"]


def results(index: SearchIndex, query: str) -> list[tuple[int, int | None, str, str, float]]:
    return [(h.entry.account_id, h.entry.contact_id, h.entry.label, h.entry.detail, h.score)
            for h in index.search(query, limit=40)]  # fmt: skip


def test_typo_finds_the_contact(sample_copy: Path):
    with Store(sample_copy) as store:
        index = SearchIndex(entries_from_store(store))
    top = index.search("tom chn", limit=5)
    assert top[0].entry.label == "Tom Chen"
    assert top[0].entry.contact_id is not None
    # One letter: names that start with it, no fuzzy guessing.
    assert all(h.entry.label.casefold().startswith("s") for h in index.search("s", limit=20))


def test_replacing_one_account_equals_rebuilding_the_index(sample_copy: Path):
    with Store(sample_copy) as store:
        index = SearchIndex(entries_from_store(store))
        account_id = dict((n, i) for i, n in store.account_names())["Northwind"]
        tom = next(c for c in store.contacts(account_id) if c.name == "Tom Chen")
        # A new word ("quill") and a rename, as the editor would save them.
        store.save_contact(tom.model_copy(update={"name": "Zed Quill", "department": "Finance"}))
        for _ in range(3):  # the same account edited again and again: its entries now sit at the end
            index.replace_account(account_id, entries_from_store(store, account_id))
        fresh = SearchIndex(entries_from_store(store))
    assert results(index, "zed quill")[0][2] == "Zed Quill"
    assert all(r[2] != "Tom Chen" for r in results(index, "tom chen"))
    for query in QUERIES:
        assert results(index, query) == results(fresh, query), query


def test_replacing_with_nothing_forgets_the_account(sample_copy: Path):
    with Store(sample_copy) as store:
        index = SearchIndex(entries_from_store(store))
        account_id = dict((n, i) for i, n in store.account_names())["Northwind"]
    index.replace_account(account_id, [])
    assert all(h.entry.account_id != account_id for q in QUERIES for h in index.search(q, limit=40))


def test_packed_strings_read_back_across_chunks():
    # Across chunk boundaries, with a wide character in one chunk only and strings added after.
    from stakeworks.domain.search import _Packed

    words = [f"w{n}" if n != 1500 else "jovanović" for n in range(2 * _Packed.CHUNK + 7)] + [""]
    packed = _Packed(words)
    assert [packed[r] for r in range(len(packed))] == words
    assert packed.add("zed") == len(words) and packed[len(words)] == "zed"


def test_ids_beyond_four_bytes_are_kept_whole():
    big = 2**40  # SQLite ids are 64-bit: the index's id columns widen when one needs it
    index = SearchIndex([SearchEntry(7, None, "Acme", "account", prepare("Acme")),
                         SearchEntry(big, big + 1, "Zed Quill", "CFO · Wide", prepare("Zed Quill", "CFO"))])  # fmt: skip
    assert [(h.entry.account_id, h.entry.contact_id) for h in index.search("zed quill")] == [(big, big + 1)]
    index.replace_account(7, [SearchEntry(7, big + 2, "Zed Acme", "account", prepare("Zed Acme"))])
    assert {h.entry.contact_id for h in index.search("zed")} == {big + 1, big + 2}
