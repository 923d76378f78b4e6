"""The import screen: check a file, see its problems or its mapping, write it with progress."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Checkbox, Input, ProgressBar, Select

from stakeworks.cli.launch import make_app
from stakeworks.db.store import Store
from stakeworks.domain.models import Contact
from stakeworks.screens.account_editor import AccountEditor
from stakeworks.screens.importer import ImportScreen
from stakeworks.services.session import Prefs
from tests.pilot import SIZE, TODAY, screen_text, settle


def _people(db: Path, account: str) -> dict[str, Contact]:
    with Store(db) as s:
        return {c.name: c for c in s.contacts(next(i for i, n in s.account_names() if n == account))}


async def test_import_screen_preview_errors_then_write(sample_copy: Path, tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text("account,name,strength\nNorthwind,Neo N,9\n")
    good = tmp_path / "good.csv"
    good.write_text("account,name,title\nNorthwind,Neo N,Head of Data\n")
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "i")  # the letter keys act on the list; in the filter they are text
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        app.screen.query_one("#path", Input).value = str(bad)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "line 2, column strength: 9 is out of range" in screen_text(app)
        await pilot.press("ctrl+s")  # nothing valid to write
        await settle(app, pilot)
        app.screen.query_one("#path", Input).value = str(good)
        await pilot.press("enter")
        await settle(app, pilot)
        text = screen_text(app)
        assert "'title' -> title" in text and "Director (inferred)" in text
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "1 added" in screen_text(app)
    people = _people(sample_copy, "Northwind")
    assert "Neo N" in people and people["Neo N"].level == "director"


async def test_import_screen_streams_a_big_file_with_progress(sample_copy: Path, tmp_path: Path):
    big = tmp_path / "big.csv"
    big.write_text("account,name,title\n" + "".join(f"Northwind,Person {i},Analyst\n" for i in range(12_000)))
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "i")  # the letter keys act on the list; in the filter they are text
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(big)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Rows: 12000 add" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "12000 added" in screen_text(app)
        bar = app.screen.query_one(ProgressBar)
        assert (bar.total, bar.progress) == (12_000, 12_000)
        assert not bar.has_class("-writing")  # shown only while writing
    assert len(_people(sample_copy, "Northwind")) > 12_000


async def test_import_screen_decides_a_possible_duplicate_and_skips_invalid_rows(sample_copy: Path, tmp_path: Path):
    """Tom Chen with another email is listed as a possible duplicate; `s` says it is him. A bad row
    blocks ctrl+s until 'Skip invalid rows' is ticked; then the good rows land and the bad one is put aside."""
    f = tmp_path / "crm.csv"
    f.write_text(
        "Account Name,First Name,Last Name,Email,Title,Relationship\n"
        "Northwind,Tom,Chen,tom@northwind-mail.example,CTO,\n"
        "Northwind,Neo,Nakamura,neo@northwind.example,Head of Data,\n"
        "Northwind,Bad,Row,bad@northwind.example,Analyst,9\n"
    )
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "i")  # the letter keys act on the list; in the filter they are text
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(f)
        await pilot.press("enter")
        await settle(app, pilot)
        text = screen_text(app)
        assert "possible duplicate" in text and "tom.chen@northwind.example" in text
        assert "line 4, column Relationship: 9 is out of range" in text
        await pilot.press("ctrl+s")  # two rows cannot go in as they are: nothing is written
        await settle(app, pilot)
        assert "Tom Chen" in _people(sample_copy, "Northwind") and "Neo Nakamura" not in _people(
            sample_copy, "Northwind"
        )
        app.screen.query_one("#duplicates").focus()
        await pilot.press("s")  # the same person: update him
        await settle(app, pilot)
        assert "same person: update it" in screen_text(app)
        app.screen.query_one("#skip", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        text = screen_text(app)
        assert "1 added, 1 updated, 0 unchanged, 1 rejected" in text and "crm.rejected.csv" in text
    people = _people(sample_copy, "Northwind")
    assert people["Tom Chen"].email == "tom@northwind-mail.example" and people["Tom Chen"].title == "CTO"
    assert "Neo Nakamura" in people and "Bad Row" not in people
    rejected = (tmp_path / "crm.rejected.csv").read_text()
    assert rejected.splitlines()[0].endswith(",reason") and "Bad,Row" in rejected and "9 is out of range" in rejected


def test_account_header_shows_company_revenue_as_that_and_the_crm_id():
    """Salesforce's AnnualRevenue is the customer's revenue: the header says so, apart from ARR (issue 15)."""
    from stakeworks.domain.models import StoredAccount
    from stakeworks.domain.rules import assess
    from stakeworks.screens.account import header_text
    from stakeworks.services.accounts import AccountView

    bank = StoredAccount(id=1, name="Brightwater Bank", arr=52_000, currency="USD", company_revenue=119e9,
                   crm="salesforce", crm_id="0018a00002HvLs3")  # fmt: skip
    text = header_text(AccountView(bank, [], assess([], TODAY, None), set(), []), None).plain
    assert "USD 52k ARR" in text and "company revenue USD 119.0B" in text and "Salesforce 0018a00002HvLs3" in text


async def test_import_screen_takes_a_calendar_previews_then_writes(northwind, tmp_path: Path):
    """A calendar export in the import screen: the kind follows the file, the preview counts
    touches per contact and what matched nobody, ctrl+s writes, and the account shows the next meeting."""
    from textual.widgets import Select

    from stakeworks.screens.account import AccountScreen
    from tests.conftest import FIXTURES

    app = make_app(northwind.db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "i")
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(FIXTURES / "calendar" / "google.ics")
        await pilot.press("enter")
        await settle(app, pilot)
        await settle(app, pilot)
        assert app.screen.query_one("#kind", Select).value == "calendar"
        text = screen_text(app)
        assert "Read 6 meetings" in text and "would add 11 for" in text
        assert "Addresses matching no contact: 2." in text
        tom = next(line for line in text.splitlines() if "Tom Chen" in line and "Northwind" in line)
        assert tom.split()[-2] == "5"  # five weekly syncs, each on its own local day
        assert "Next meeting:" in text and "Northwind renewal planning" in text
        with Store(northwind.db) as s:
            assert sum(len(s.touches(c.id)) for c in s.contacts(1)) == 3  # nothing written by the preview
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "added 11 for" in screen_text(app)
        await pilot.press("ctrl+s")  # nothing waits to be written: a second ctrl+s does not import again
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        app.push_screen(AccountScreen(1))
        await settle(app, pilot)
        assert "Next meeting: " in screen_text(app) and "Northwind renewal planning with Tom Chen" in screen_text(app)
    with Store(northwind.db) as s:
        assert sum(len(s.touches(c.id)) for c in s.contacts(1)) == 14


async def test_the_import_screen_remaps_a_column_sets_the_currency_and_completes_paths(
    sample_copy: Path, tmp_path: Path
):
    accounts = tmp_path / "crm-accounts.csv"
    accounts.write_text("Org,ARR\nHelio Labs,120000\n")  # "Org" is no name the importer knows
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "i")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        path = screen.query_one("#path", Input)
        await pilot.press(*f"{tmp_path}/crm-a")
        await settle(app, pilot)
        assert path._suggestion == str(accounts)  # greyed out: the right arrow takes it
        await pilot.press("right")
        assert path.value == str(accounts)
        screen.query_one("#kind", Select).value = "accounts"
        await settle(app, pilot)
        assert "missing required column 'name'" in screen_text(app)
        screen.query_one("#remap", Input).focus()
        await pilot.press(*"Org", "enter")  # not Column=field: said, nothing previewed
        await settle(app, pilot)
        assert "remap: 'Org' is not Column=field" in screen_text(app)
        await pilot.press(*"=name", "tab", *"usd", "enter")
        await settle(app, pilot)
        assert "'Org' -> name" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "1 added" in screen_text(app)
    with Store(sample_copy) as s:
        helio = next(a for a in s.accounts() if a.name == "Helio Labs")
    assert (helio.arr, helio.currency) == (120000, "USD")


async def test_the_import_screen_picks_the_kind_from_the_header_and_says_why(sample_copy: Path, tmp_path: Path):
    """An accounts file is previewed as accounts (not refused as contacts missing 'name'), with
    the reason on screen; the user can still choose another kind."""
    accounts = tmp_path / "export.csv"
    accounts.write_text("Name,AnnualRevenue,Industry\nHelio Labs,5000000,Energy\n")
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "i")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        screen.query_one("#path", Input).value = str(accounts)
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.query_one("#kind", Select).value == "accounts"
        text = screen_text(app)
        assert "Looks like an accounts file: its columns AnnualRevenue, Industry describe companies" in text
        assert "Rows: 1 add" in text
        screen.query_one("#kind", Select).value = "contacts"  # the user overrides the guess
        await settle(app, pilot)
        assert screen.query_one("#kind", Select).value == "contacts"
        assert "missing required column" in screen_text(app)


async def test_the_import_screen_names_possible_person_accounts(sample_copy: Path, tmp_path: Path):
    """Accounts whose one contact bears the account's name (Salesforce B2C) are named in the
    preview, with what that does to the scores."""
    people = tmp_path / "b2c.csv"
    people.write_text("account,name,title\nCedar Motors,Cedar Motors,Customer\nNorthwind,Neo N,Analyst\n")
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "i")
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(people)
        await pilot.press("enter")
        await settle(app, pilot)
        text = " ".join(screen_text(app).split())
        assert "possible person accounts: 1 of 2 accounts (Cedar Motors)" in text, text
        assert "single-threaded" in text


async def test_the_configured_currency_is_offered_by_the_import_screen_and_a_new_account(sample_copy: Path):
    app = make_app(sample_copy, TODAY, prefs=Prefs(currency="USD"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "i")
        await pilot.pause()
        assert app.screen.query_one("#currency", Input).value == "USD"
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountEditor)
        assert app.screen.query_one("#currency", Input).value == "USD"
