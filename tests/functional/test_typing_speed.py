"""Typing at human speed into every text field that has key bindings of its own nearby: one key
per event-loop turn with a real pause after it, as a person types. No letter may be lost (the
field ends with exactly what was typed) or taken (no binding fires: the same screen is still up).

The text holds the letters the screens around these fields bind (s sorts, i imports, e edits,
a/x/d act on the plan, t logs a touch, f focuses filters, 1-5 set a strength) and the app's
own printable keys (/ search, ? help)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import TextArea

from stakeworks.cli.launch import make_app
from stakeworks.screens.app import StakeworksApp
from tests.pilot import SIZE, TODAY, open_northwind, select_contact, settle

TEXT = "Sid's idea: fix 3/4 taxes? 52 ok"
DIGITS = "9045"
DATE = "2026-10-30"

pytestmark = pytest.mark.slow  # about a second and a half per field, on purpose


async def type_slowly(pilot: Pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch)
        await pilot.pause(0.05)


def value_of(field: Widget) -> str:
    return field.text if isinstance(field, TextArea) else field.value  # type: ignore[attr-defined]  # an Input or a TextArea


async def focus(app: StakeworksApp, pilot: Pilot, selector: str, clear: bool = True) -> Widget:
    field = app.screen.query_one(selector)
    if clear:
        if isinstance(field, TextArea):
            field.text = ""
        else:
            field.value = ""  # type: ignore[attr-defined]
    field.focus()
    await pilot.pause()
    return field


async def home_filter(app: StakeworksApp, pilot: Pilot) -> Widget:
    await settle(app, pilot)
    return app.screen.query_one("#filter")  # focused from the start


async def search_box(app: StakeworksApp, pilot: Pilot) -> Widget:
    await settle(app, pilot)
    await pilot.press("ctrl+f")
    await pilot.pause()
    return app.screen.query_one("#query")


async def triage_days(app: StakeworksApp, pilot: Pilot) -> Widget:
    await settle(app, pilot)
    await pilot.press("ctrl+r")
    await settle(app, pilot)
    return await focus(app, pilot, "#within")


def editor_field(selector: str, clear: bool = True) -> Callable[[StakeworksApp, Pilot], Awaitable[Widget]]:
    async def open_field(app: StakeworksApp, pilot: Pilot) -> Widget:
        select_contact(await open_northwind(app, pilot), "Tom Chen")
        await pilot.pause()
        await pilot.press("e")
        await settle(app, pilot)
        return await focus(app, pilot, selector, clear)

    return open_field


async def new_contact_name(app: StakeworksApp, pilot: Pilot) -> Widget:
    await open_northwind(app, pilot)
    await pilot.press("a")
    await settle(app, pilot)
    return app.screen.query_one("#name")  # focused, empty


def touch_field(selector: str) -> Callable[[StakeworksApp, Pilot], Awaitable[Widget]]:
    async def open_field(app: StakeworksApp, pilot: Pilot) -> Widget:
        select_contact(await open_northwind(app, pilot), "Tom Chen")
        await pilot.pause()
        await pilot.press("t")
        await settle(app, pilot)
        return await focus(app, pilot, selector)

    return open_field


async def influence_note(app: StakeworksApp, pilot: Pilot) -> Widget:
    select_contact(await open_northwind(app, pilot), "Lisa Park")
    await pilot.pause()
    await pilot.press("i")
    await settle(app, pilot)
    return await focus(app, pilot, "#note")


async def depart_date(app: StakeworksApp, pilot: Pilot) -> Widget:
    select_contact(await open_northwind(app, pilot), "Tom Chen")
    await pilot.pause()
    await pilot.press("d")
    await settle(app, pilot)
    return await focus(app, pilot, "#date")


async def plan_action(app: StakeworksApp, pilot: Pilot) -> Widget:
    await open_northwind(app, pilot)
    await pilot.press("p")
    await settle(app, pilot)
    await pilot.press("e")  # edit the first item in the plan-item editor
    await settle(app, pilot)
    return await focus(app, pilot, "#first_action")


def plan_item_field(selector: str) -> Callable[[StakeworksApp, Pilot], Awaitable[Widget]]:
    async def open_field(app: StakeworksApp, pilot: Pilot) -> Widget:
        await open_northwind(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        await pilot.press("n")  # a new item of one's own (target: someone not in the map yet)
        await settle(app, pilot)
        return await focus(app, pilot, selector)

    return open_field


def account_editor_field(selector: str, new: bool = False) -> Callable[[StakeworksApp, Pilot], Awaitable[Widget]]:
    async def open_field(app: StakeworksApp, pilot: Pilot) -> Widget:
        if new:
            await settle(app, pilot)
            await pilot.press("ctrl+n")
        else:
            await open_northwind(app, pilot)
            await pilot.press("E")
        await settle(app, pilot)
        return await focus(app, pilot, selector, clear=not (new and selector == "#name"))

    return open_field


def scope_box(key: str) -> Callable[[StakeworksApp, Pilot], Awaitable[Widget]]:
    async def open_field(app: StakeworksApp, pilot: Pilot) -> Widget:
        await settle(app, pilot)
        await pilot.press(key)
        await settle(app, pilot)
        return await focus(app, pilot, "#scope-account")

    return open_field


def executive_field(selector: str) -> Callable[[StakeworksApp, Pilot], Awaitable[Widget]]:
    async def open_field(app: StakeworksApp, pilot: Pilot) -> Widget:
        await settle(app, pilot)
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        return await focus(app, pilot, selector)

    return open_field


async def import_path(app: StakeworksApp, pilot: Pilot) -> Widget:
    await settle(app, pilot)
    await pilot.press("down", "i")
    await settle(app, pilot)
    return app.screen.query_one("#path")


def import_field(selector: str) -> Callable[[StakeworksApp, Pilot], Awaitable[Widget]]:
    async def open_field(app: StakeworksApp, pilot: Pilot) -> Widget:
        await import_path(app, pilot)
        return await focus(app, pilot, selector)

    return open_field


FIELDS: dict[str, tuple[Callable[[StakeworksApp, Pilot], Awaitable[Widget]], str]] = {
    "home filter": (home_filter, TEXT),
    "search": (search_box, TEXT),
    "triage renewal days": (triage_days, DIGITS),
    "editor name": (editor_field("#name", clear=False), TEXT),
    "editor title": (editor_field("#title"), TEXT),
    "editor department": (editor_field("#department"), TEXT),
    "editor departed on": (editor_field("#departed_on"), DATE),
    "editor engagement strategy": (editor_field("#engagement_strategy"), TEXT),
    "editor notes": (editor_field("#notes"), TEXT),
    "new contact name": (new_contact_name, TEXT),
    "touch note": (touch_field("#note"), TEXT),
    "touch date": (touch_field("#date"), DATE),
    "touch with us": (touch_field("#by"), TEXT),
    "influence note": (influence_note, TEXT),
    "departure date": (depart_date, DATE),
    "plan first action": (plan_action, TEXT),
    "plan item target": (plan_item_field("#target_label"), TEXT),
    "plan item path": (plan_item_field("#path_label"), TEXT),
    "plan item due": (plan_item_field("#due_date"), DATE),
    "new account name": (account_editor_field("#name", new=True), TEXT),
    "account name": (account_editor_field("#name"), TEXT),
    "account ARR": (account_editor_field("#arr"), TEXT),
    "account renewal": (account_editor_field("#renewal_date"), DATE),
    "account CSM": (account_editor_field("#csm"), TEXT),
    "account industry": (account_editor_field("#industry"), TEXT),
    "account region": (account_editor_field("#region"), TEXT),
    "account last EBR": (account_editor_field("#last_ebr"), DATE),
    "account next EBR": (account_editor_field("#next_ebr"), DATE),
    "account notes": (account_editor_field("#notes"), TEXT),
    "cadence account filter": (scope_box("ctrl+w"), TEXT),
    "tasks account filter": (scope_box("ctrl+t"), TEXT),
    "executive name": (executive_field("#name"), TEXT),
    "executive region": (executive_field("#region"), TEXT),
    "import path": (import_path, TEXT),
    "import remap": (import_field("#remap"), TEXT),
}


@pytest.mark.parametrize("name", FIELDS)
async def test_typing_at_human_speed_loses_and_gives_away_nothing(sample_copy: Path, name: str) -> None:
    reach, text = FIELDS[name]
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        field = await reach(app, pilot)
        assert field.has_focus, name
        before, screen = value_of(field), app.screen
        await type_slowly(pilot, text)
        await settle(app, pilot)
        assert app.screen is screen, f"{name}: a key opened {app.screen}"
        assert field.has_focus
        assert value_of(field) == before + text, f"{name}: {value_of(field)!r}"
