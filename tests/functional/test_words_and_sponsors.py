"""Managers' sponsor screen, and words instead of codes everywhere a user reads."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import Input

from stakeworks.cli.launch import make_app
from stakeworks.screens.contact_editor import ContactEditor
from stakeworks.screens.sponsors import SponsorsScreen
from stakeworks.widgets.virtual_table import VirtualTable
from tests.conftest import stored
from tests.pilot import SIZE, TODAY, open_northwind, screen_text, select_contact, settle

CODES = re.compile(r"\b[a-z]+_[a-z_]+\b")  # c_level, not_engaged, no_economic_buyer_engaged, ...


def sponsored(path: Path, name: str) -> list[str]:
    return [
        n
        for (n,) in stored(
            path,
            "SELECT a.name FROM sponsor_assignments sa JOIN executives e ON e.id = sa.executive_id "
            "JOIN accounts a ON a.id = sa.account_id WHERE e.name = ? AND sa.active = 1 ORDER BY a.name",
            (name,),
        )
    ]


def open_pairs(path: Path) -> int:
    return stored(path, "SELECT count(*) FROM sponsor_assignments WHERE active = 1")[0][0]


async def sponsors_screen(app, pilot) -> SponsorsScreen:
    await settle(app, pilot)
    await pilot.press("ctrl+e")
    await settle(app, pilot)
    assert isinstance(app.screen, SponsorsScreen)
    return app.screen


def select_executive(screen: SponsorsScreen, name: str) -> None:
    table = screen.query_one("#executives", VirtualTable)
    table.focus()
    ex = next(e for e in screen.program.executives if e.name == name)  # type: ignore[union-attr]
    table.move_cursor(row=table.get_row_index(str(ex.id)))


async def test_the_panel_says_whose_accounts_it_lists(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await sponsors_screen(app, pilot)
        select_executive(screen, "Ayo Mensah")
        await pilot.pause()
        assert "Ayo Mensah's accounts (3)" in screen_text(app)
        select_executive(screen, "Claire Dupont")
        await pilot.pause()
        text = screen_text(app)
        assert "Claire Dupont's accounts (0)" in text and "Ayo Mensah's accounts" not in text


async def test_unassign_asks_which_account_and_confirms(sample_copy: Path):
    before = sponsored(sample_copy, "Ayo Mensah")
    assert len(before) == 3
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await sponsors_screen(app, pilot)
        select_executive(screen, "Ayo Mensah")
        await pilot.press("u")
        await pilot.pause()
        text = screen_text(app)
        assert "Which account should Ayo Mensah stop sponsoring?" in text
        assert all(name in text for name in before)
        await pilot.press("escape")  # nothing picked: nothing asked, nothing written
        await settle(app, pilot)
        assert sponsored(sample_copy, "Ayo Mensah") == before
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("down", "enter")  # the second of the list
        await pilot.pause()
        picked = next(n for n in before if f"sponsorship of {n}?" in screen_text(app))
        await pilot.press("escape")  # no
        await settle(app, pilot)
        assert sponsored(sample_copy, "Ayo Mensah") == before
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
    assert sponsored(sample_copy, "Ayo Mensah") == [n for n in before if n != picked]


async def test_accept_all_queues_the_pairs_for_the_owner_or_approves_them_when_asked(sample_copy: Path):
    before = open_pairs(sample_copy)
    waiting = stored(sample_copy, "SELECT count(*) FROM sponsor_reviews WHERE status = 'pending'")[0][0]
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await sponsors_screen(app, pilot)
        pairs = list(screen.pairs)
        assert pairs
        await pilot.press("x")
        await pilot.pause()
        text = screen_text(app)
        assert f"Put the {len(pairs)} pairs in the review queue" in text and f"Approve all {len(pairs)} now" in text
        assert f"{pairs[0].executive.name} → {pairs[0].account.name}" in text
        await pilot.press("escape")
        await settle(app, pilot)
        assert open_pairs(sample_copy) == before  # wrote nothing before the answer, nothing after escape
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("enter")  # the first choice: the review queue
        await settle(app, pilot)
        assert open_pairs(sample_copy) == before
        assert stored(sample_copy, "SELECT count(*) FROM sponsor_reviews WHERE status = 'pending'")[0][0] == (
            waiting + len(pairs)
        )
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("down", "enter")  # the owner approves them now
        await settle(app, pilot)
    assert open_pairs(sample_copy) == before + len(pairs)
    assert all(p.account.name in sponsored(sample_copy, p.executive.name) for p in pairs)
    # the queued entries were the ones approved, each with who decided
    decided = stored(sample_copy, "SELECT count(*) FROM sponsor_reviews WHERE status = 'approved' AND decided_by <> ''")
    assert decided[0][0] == len(pairs)


async def test_candidates_are_numbered_without_gaps_and_explained_in_words(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await sponsors_screen(app, pilot)
        cands = screen.query_one("#candidates", VirtualTable)
        numbers = [str(cands.get_row(cands.row_keys[i])[0]) for i in range(cands.row_count)]
        assert numbers == [str(i) for i in range(1, cands.row_count + 1)]
        whys = [str(cands.get_row(cands.row_keys[i])[3]) for i in range(cands.row_count)]
        assert not any("kraljic" in w or CODES.search(w) for w in whys)
        sug = screen.query_one("#suggestions", VirtualTable)
        fit_whys = [str(sug.get_row(sug.row_keys[i])[3]) for i in range(sug.row_count)]
        assert any("same industry 30" in w for w in fit_whys)
        assert any(re.search(r"knows \d+ contacts? 25", w) for w in fit_whys)
        sug.focus()
        sug.move_cursor(row=0)
        await pilot.pause()
        first = screen.pairs[0]
        # the selected pair in full sentences under the table
        assert f"{first.executive.name} → {first.account.name}:" in screen_text(app)


async def test_our_sponsor_and_their_executive_sponsor_are_named_apart(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "Our sponsor" in screen_text(app)  # the accounts list's column
        await open_northwind(app, pilot)
        text = screen_text(app)
        assert "our sponsor:" in text and "Their exec sponsor" in text
        assert "· sponsor:" not in text
        await pilot.press("ctrl+g")
        await settle(app, pilot)
        assert "Their sponsor" in screen_text(app)


async def test_the_editor_speaks_words_not_codes(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        select_contact(await open_northwind(app, pilot), "Sarah Kim")
        await pilot.pause()
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, ContactEditor)
        app.screen.query_one("#level").focus()  # scrolls the form to the dropdowns
        await pilot.pause()
        text = screen_text(app)
        assert "C-level" in text and "Active" in text
        # the role list reads without colour: a ticked box and an empty one
        assert "[x] Economic buyer (critical)" in text and "[ ] Champion (critical)" in text
        form = text.split("▊ Live")[0] if "▊ Live" in text else text
        assert not CODES.search(form.replace("select_on_focus", ""))
        name = app.screen.query_one("#name", Input)
        name.focus()
        await pilot.press("ctrl+u")  # clear the name
        await pilot.pause()
        assert "Name cannot be empty" in screen_text(app)
        assert "String should have" not in screen_text(app)


async def test_triage_gives_short_words_and_the_full_text_of_the_selected_row(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        text = screen_text(app)
        assert "no buyer" in text
        assert "no_economic_buyer_engaged" not in text and not CODES.search(text)
        top = text.splitlines()[6].split()[3]  # the first account listed
        assert f"{top}" in text and "No economic buyer engaged (high): no engaged economic buyer" in text


async def test_an_accounts_file_previews_in_words(sample_copy: Path, tmp_path: Path):
    csv = tmp_path / "accounts.csv"
    csv.write_text("name,arr,renewal_date,tier\nNorthwind,240000,2026-09-30,mid_market\n", encoding="utf-8")
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "i")
        await pilot.pause()
        app.screen.query_one("#kind").value = "accounts"  # type: ignore[attr-defined]
        app.screen.query_one("#path", Input).value = str(csv)
        app.screen.query_one("#path", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        text = screen_text(app)
        # The import preview gives each row's outcome: Northwind is stored, so its changes, in words.
        assert "Northwind" in text and "Renewal date: 2027-05-24 → 2026-09-30; Tier: Enterprise → Mid-market" in text
        assert "datetime" not in text


async def test_markup_in_names_shows_literally_in_the_new_dialogs(sample_copy: Path):
    from stakeworks.db.store import Store
    from stakeworks.domain.models import Executive
    from tests.pilot import account_id

    with Store(sample_copy) as s:
        s.save_executive(Executive(name="[bold]Ana[/]", level="vp"))
        tom = next(c for c in s.contacts(account_id(sample_copy, "Northwind")) if c.name == "Tom Chen")
        s.save_contact(tom.model_copy(update={"name": "[red]Tom[/red] Chen"}))
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await sponsors_screen(app, pilot)
        select_executive(screen, "[bold]Ana[/]")
        await pilot.pause()
        assert "[bold]Ana[/]" in screen_text(app) and "'s accounts (0)" in screen_text(app)
        await pilot.press("r")
        await pilot.pause()
        assert "Retire [bold]Ana[/]" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("ctrl+o")
        await pilot.pause()
        select_contact(await open_northwind(app, pilot), "[red]Tom[/red] Chen")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("x", "escape")
        await pilot.pause()
        assert "You changed [red]Tom[/red] Chen" in screen_text(app)
