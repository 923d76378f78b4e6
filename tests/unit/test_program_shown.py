"""The sponsor program as the app keeps it (services/program.Program.shown): what the sponsors
screen shows, not every account ranked (issue 36: 50,000 accounts held for a dozen rows)."""

from __future__ import annotations

from pathlib import Path

from stakeworks.db.store import Store
from stakeworks.services.program import load_program
from tests.conftest import TODAY


def test_the_program_kept_for_the_screen_holds_its_accounts_and_every_sponsored_one(sample_copy: Path):
    with Store(sample_copy) as store:
        whole = load_program(store, TODAY)
    shown = whole.shown()
    below_cut = {c.account.id for c in whole.candidates if c.sponsors and not c.in_program}
    assert below_cut  # sample.db: accounts our executives sponsor below the program's cut line
    assert len(shown.candidates) < len(whole.candidates)
    assert shown.candidates == [c for c in whole.candidates if c.in_program]
    sponsored = {a for carried in whole.load.values() for a, _ in carried}
    assert set(shown.accounts) == {c.account.id for c in shown.candidates} | sponsored
    assert all(shown.accounts[a] == whole.accounts[a] for a in shown.accounts)
    assert shown.open_accounts() == whole.open_accounts() and shown.remaining() == whole.remaining()
    assert shown.suggestion() == whole.suggestion()
