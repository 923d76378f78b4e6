"""The session (services/session.py) without an app: the store it opens, the portfolio, the search
index, the views computed ahead, the undo stack, the demo switch; on real store files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from stakeworks.cli.launch import DbSource
from stakeworks.domain.errors import Refusal, StoreError
from stakeworks.domain.undo import UndoToken
from stakeworks.services import edits, inbox, records
from stakeworks.services.inbox import Inbox
from stakeworks.services.session import UNDO_KEPT, Prefs, Session
from tests.conftest import stored

TODAY = date(2026, 5, 1)


def loaded(path: Path) -> Session:
    """A session as the app has it after its first load: portfolio and search index in."""
    session = Session(DbSource(path), TODAY)
    session.portfolio_loaded(*session.load_portfolio())
    session.search_loaded(session.build_search_index())
    return session


def account_named(session: Session, name: str) -> int:
    return next(s.id for s in session.summaries.values() if s.name == name)


def test_the_store_opens_with_the_first_load_and_says_so_before(sample_copy: Path):
    session = Session(DbSource(sample_copy), TODAY)
    assert not session.is_open
    with pytest.raises(StoreError, match="Still opening the database"):
        _ = session.store
    rows, signals = session.load_portfolio()
    assert session.is_open
    assert len(rows) == len(stored(sample_copy, "SELECT id FROM accounts")) == 40
    assert signals == len(stored(sample_copy, "SELECT id FROM signals WHERE status = 'open'"))
    session.portfolio_loaded(rows, signals)
    assert session.stamp == 1 and set(session.summaries) == {r.id for r in rows}
    session.close()
    assert not session.is_open


def test_an_edit_refreshes_one_account_and_its_search_entries(sample_copy: Path):
    session = loaded(sample_copy)
    atlas = account_named(session, "Atlas Bank")
    contact = records.contacts(session.store, atlas)[0]
    assert contact.id is not None
    count = session.summaries[atlas].contact_count
    edits.delete(session.store, "contact", contact.id)
    fresh = session.refresh_account(atlas)
    assert fresh is not None
    stamp = session.stamp
    session.account_refreshed(*fresh)
    assert session.stamp == stamp + 1
    assert session.summaries[atlas].contact_count == count - 1 == len(records.contacts(session.store, atlas))
    assert session.search_index is not None
    assert contact.name not in [h.entry.label for h in session.search_index.search(contact.name, limit=5)]
    session.close()


def test_a_deleted_account_leaves_the_portfolio(sample_copy: Path):
    session = loaded(sample_copy)
    atlas = account_named(session, "Atlas Bank")
    edits.delete(session.store, "account", atlas)
    assert session.refresh_account(atlas) is None
    session.account_removed(atlas)
    assert atlas not in session.summaries
    session.close()


def test_edits_made_while_the_index_is_built_are_indexed_again(sample_copy: Path):
    session = Session(DbSource(sample_copy), TODAY)
    session.portfolio_loaded(*session.load_portfolio())
    atlas = account_named(session, "Atlas Bank")
    fresh = session.refresh_account(atlas)
    assert fresh is not None and session.indexing
    session.account_refreshed(*fresh)  # before the index is in
    assert session.search_loaded(session.build_search_index()) == {atlas}
    assert not session.indexing
    assert session.search_loaded(session.build_search_index()) == set()
    session.close()


def test_views_computed_ahead_serve_until_the_portfolio_changes(sample_copy: Path):
    session = loaded(sample_copy)
    stamp = session.stamp
    batches = []
    for views in session.compute_views(stamp, lambda: False):
        # While the worker is on them a screen waits for them rather than computing its own.
        batches.append((sorted(views), session.prefetching()))
        session.views_ready(stamp, views)
    assert batches == [(["cadence", "heatmap"], True), (["sponsors"], True), (["inbox"], False)]
    assert not session.prefetching()
    assert session.prefetched("heatmap") is not None
    assert session.take_prefetched("sponsors") is not None
    assert session.prefetched("sponsors") is None  # taken: read afresh next time
    fresh = session.refresh_account(account_named(session, "Atlas Bank"))
    assert fresh is not None
    session.account_refreshed(*fresh)
    assert session.prefetched("heatmap") is None  # of a portfolio that has changed since
    session.close()


def test_the_inbox_computed_ahead_serves_until_a_write_of_the_session(sample_copy: Path):
    session = loaded(sample_copy)
    stamp = session.stamp
    for views in session.compute_views(stamp, lambda: False):
        session.views_ready(stamp, views)
    ahead = session.prefetched("inbox")
    assert isinstance(ahead, Inbox) and len(ahead) == len(inbox.items(session.store, TODAY)) > 0
    # Any write may change what is proposed, also one that changes no account's summary.
    session.remember_undo("dismissed a person seen", UndoToken(before={("accounts", (1,)): None}))
    assert session.prefetched("inbox") is None and session.prefetched("heatmap") is not None
    session.keep_view(stamp, "inbox", ahead)  # read again by the inbox screen: the next open shows it
    assert session.prefetched("inbox") is ahead
    session.forget_undo(session.undo_stack[-1])  # undone: read again
    assert session.prefetched("inbox") is None
    session.keep_view(stamp - 1, "inbox", ahead)  # read before the portfolio changed: not kept
    assert session.prefetched("inbox") is None
    session.close()


def test_undo_puts_a_delete_back_and_keeps_the_newest_writes(sample_copy: Path):
    session = loaded(sample_copy)
    atlas = account_named(session, "Atlas Bank")
    before = stored(sample_copy, "SELECT id, name FROM contacts WHERE account_id = ? ORDER BY id", [atlas])
    session.remember_undo("nothing", UndoToken())  # an empty write is nothing to undo
    assert session.undo_stack == []
    session.remember_undo("deleted the account", edits.delete(session.store, "account", atlas), (atlas,))
    entry = session.undo_stack[-1]
    assert session.undo(entry) == {atlas}  # the account exists again
    session.forget_undo(entry)
    assert session.undo_stack == []
    assert stored(sample_copy, "SELECT id, name FROM contacts WHERE account_id = ? ORDER BY id", [atlas]) == before
    with pytest.raises(Refusal):  # used once: a second undo of the same write is refused
        session.undo(entry)
    for n in range(UNDO_KEPT + 5):
        session.remember_undo(f"write {n}", UndoToken(before={("accounts", (n,)): None}))
    assert len(session.undo_stack) == UNDO_KEPT and session.undo_stack[-1].label == f"write {UNDO_KEPT + 4}"
    session.close()


def test_the_demo_replaces_the_store_and_goes_away_with_the_session(sample_copy: Path, tmp_path: Path):
    session = loaded(sample_copy)
    session.remember_undo("x", UndoToken(before={("accounts", (1,)): None}))
    demo = session.source.demo(TODAY)
    session.switch_to(demo)
    assert not session.is_open and session.summaries == {} and session.search_index is None
    assert session.undo_stack == []
    assert session.where == "demo.db" and demo.path.exists()
    session.portfolio_loaded(*session.load_portfolio())
    assert len(session.summaries) == 40
    session.close()
    assert not demo.path.parent.exists()  # the throwaway copy is gone
    assert sample_copy.exists()  # the user's store stays


def test_file_copies_go_to_the_export_folder_else_beside_the_store(sample_copy: Path, tmp_path: Path):
    assert Session(DbSource(sample_copy), TODAY).export_folder() == sample_copy.parent
    chosen = Session(DbSource(sample_copy), TODAY, Prefs(export_dir=tmp_path / "out")).export_folder()
    assert chosen == tmp_path / "out"
    team = Session(DbSource("postgresql://ann:secret@db.example/acme"), TODAY)
    assert team.where == "team store acme" and team.export_folder() == Path.home()
    assert "secret" not in str(team.source.path)


def test_a_burst_of_team_saves_is_one_reload(sample_copy: Path):
    session = Session(DbSource(sample_copy), TODAY)
    assert session.note_team_change("contacts", "ann")
    assert not session.note_team_change("contact_roles", "ann")
    assert not session.note_team_change("contacts", "bo")
    assert session.take_team_changes() == (["ann", "bo"], ["contact roles", "contacts"])
    assert session.note_team_change("touches", "ann")  # the next burst
    session.open()
    assert list(session.team_changes(lambda: False)) == []  # a file: nobody else saves there
    session.close()
