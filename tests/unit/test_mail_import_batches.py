"""A mailbox larger than one batch of the import (services/living_map.py BATCH): contacts are
looked up by the addresses each batch of messages names, so a contact first named late in the
file, in a different case, or named in several batches gets every touch, and an address nobody
has, at a customer's domain, is still an interaction."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from stakeworks.db.signals import SOURCED_CACHE
from stakeworks.db.store import Store
from stakeworks.services.living_map import BATCH, import_mail
from tests.conftest import TODAY, stored


def _message(n: int, sender: str, to: str) -> str:
    day = TODAY - timedelta(days=1 + n % 300)
    return (
        f"From x@ourco.example Thu Sep 03 10:00:00 2026\nMessage-ID: <b{n}@example>\n"
        f"Date: {day.strftime('%a, %d %b %Y')} 10:00:00 +0000\nFrom: {sender}\nTo: {to}\nSubject: s\n\nbody\n\n"
    )


def test_contacts_named_in_any_batch_get_their_touches(sample_copy: Path, tmp_path: Path):
    late = BATCH + 500  # first named in the second batch
    lines = [_message(n, "alex@ourco.example", "someone@elsewhere.example") for n in range(late)]
    lines.append(_message(late, "Aiko.Tanaka@Kestrel.example", "alex@ourco.example"))  # from them, another case
    lines.append(_message(late + 1, "alex@ourco.example", "aisha.costa@vantage.example, new.one@vantage.example"))
    lines.append(_message(1, "alex@ourco.example", "aiko.tanaka@kestrel.example"))  # an id seen before, other headers
    box = tmp_path / "big.mbox"
    box.write_text("".join(lines))
    with Store(sample_copy) as store:
        store.change_setting("our_domains", "ourco.example")
        report = import_mail(store, box, TODAY)
    assert report.items == late + 3
    assert report.touches_added == 3  # Aiko twice (one a reused Message-ID, kept apart), Aisha once
    names = stored(sample_copy, "SELECT c.name, t.by_name FROM touches t JOIN contacts c ON c.id = t.contact_id "
                                "WHERE t.source LIKE 'mail:%' ORDER BY c.name, t.source")  # fmt: skip
    assert [n for n, _ in names] == ["Aiko Tanaka", "Aiko Tanaka", "Aisha Costa"]
    assert {by for _, by in names} == {"alex@ourco.example"}
    seen = stored(sample_copy, "SELECT address, direction FROM interactions ORDER BY address, direction")
    assert seen == [
        ("aiko.tanaka@kestrel.example", "from_them"),
        ("aiko.tanaka@kestrel.example", "to_them"),
        ("aisha.costa@vantage.example", "to_them"),
        ("new.one@vantage.example", "to_them"),
    ]


def test_bounded_memory_forgets_and_asks_again_with_the_same_result(sample_copy: Path, tmp_path: Path, monkeypatch):
    """The import's bounds (addresses remembered, Message-IDs kept in a dict before the sorted
    arrays) set tiny: contacts forgotten are asked again, a Message-ID reused after a merge is
    still told apart, an identical copy still adds nothing; every figure and row as with the
    defaults."""
    import shutil

    from stakeworks.interchange import mail
    from stakeworks.services import living_map

    emails = [e for (e,) in stored(sample_copy, "SELECT email FROM contacts WHERE email <> '' ORDER BY id LIMIT 12")]
    lines = [
        _message(n, "alex@ourco.example", f"{emails[n % 12]}, someone{n % 17}@elsewhere.example") for n in range(80)
    ]
    lines += [_message(3, "alex@ourco.example", emails[5])]  # an early id, other headers: kept apart
    lines += [_message(70, "alex@ourco.example", f"{emails[70 % 12]}, someone{70 % 17}@elsewhere.example")]  # a copy
    box = tmp_path / "bounded.mbox"
    box.write_text("".join(lines))
    bounded = tmp_path / "bounded.db"
    shutil.copyfile(sample_copy, bounded)

    def run(db: Path) -> tuple[object, ...]:
        with Store(db) as store:
            store.change_setting("our_domains", "ourco.example")
            report = import_mail(store, box, TODAY)
        rows = stored(db, "SELECT contact_id, source, date FROM touches WHERE source <> '' ORDER BY contact_id, source")
        seen = stored(db, "SELECT source, address, direction FROM interactions ORDER BY source, address")
        return report.summary(), rows, seen

    expected = run(sample_copy)
    monkeypatch.setattr(living_map, "ADDRESSES_KEPT", 3)
    monkeypatch.setattr(mail, "RECENT_IDS", 4)
    got = run(bounded)
    assert got == expected
    summary = got[0]
    assert isinstance(summary, dict)
    assert summary["unmatched_addresses"] == 18  # 17 elsewhere and ours
    assert summary["skipped"] == {"messages reusing another message's Message-ID (kept apart by their headers)": 1}
    assert summary["touches_added"] == 81  # 80 and the one kept apart; the copy adds nothing


def test_our_people_keep_the_latest_name_seen_in_any_batch(sample_copy: Path, tmp_path: Path):
    """One of ours first seen unnamed, named in a later batch, then unnamed again and renamed in
    the last: the store has the latest name; a blank never replaces one. Another first seen named
    keeps that name through batches where they come unnamed."""
    per_batch = [
        ("alex@ourco.example", "Bea Ours <bea@ourco.example>"),
        ("Alex Ours <alex@ourco.example>", "bea@ourco.example"),
        ("alex@ourco.example", "bea@ourco.example"),
        ("Alexandra Ours <alex@ourco.example>", "bea@ourco.example"),
    ]
    lines = [
        _message(b * BATCH + n, sender, f"{cc}, someone@elsewhere.example")
        for b, (sender, cc) in enumerate(per_batch)
        for n in range(BATCH)
    ]
    box = tmp_path / "ours.mbox"
    box.write_text("".join(lines))
    with Store(sample_copy) as store:
        store.change_setting("our_domains", "ourco.example")
        import_mail(store, box, TODAY)
    assert stored(sample_copy, "SELECT address, name FROM our_people ORDER BY address") == [
        ("alex@ourco.example", "Alexandra Ours"),
        ("bea@ourco.example", "Bea Ours"),
    ]


def test_an_import_writes_with_a_larger_page_cache_and_gives_it_back(sample_copy: Path):
    """SQLite's page cache is SOURCED_CACHE while an import writes (db/signals.py says why), and as
    it was after, whether the import was written or failed."""
    with Store(sample_copy) as store:

        def cache() -> int:
            with store.transaction() as c:
                return int(c.execute("PRAGMA cache_size").fetchone()[0])

        before = cache()
        with store.sourced_writes():
            during = cache()
        after = cache()
        with pytest.raises(ZeroDivisionError), store.sourced_writes():
            1 / 0  # noqa: B018 - an import failing half-way
        assert (before, during, after, cache()) == (-16384, SOURCED_CACHE, -16384, -16384)
