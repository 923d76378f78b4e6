"""Helpers for Pilot tests (tests/functional, tests/snapshots): drive the app by its keys and
read what the terminal shows, through Textual's public API only."""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from stakeworks.db.store import Store
from stakeworks.domain import search
from stakeworks.screens.account import AccountScreen
from stakeworks.screens.app import StakeworksApp
from stakeworks.widgets.portfolio_table import PortfolioTable
from stakeworks.widgets.stakeholder_map import StakeholderMap
from tests.conftest import TODAY as TODAY  # re-exported: Pilot tests take both from here

SIZE = (120, 40)  # the terminal of the Pilot tests (snapshots use 100x30)

_SVG = "{http://www.w3.org/2000/svg}"
_LINE = re.compile(r"-line-(\d+)\)")
_CELL = 12.2  # the width of one terminal cell in Textual's SVG screenshots


async def settle(app: StakeworksApp, pilot: Pilot) -> None:
    await pilot.pause()
    for _ in range(50):  # a worker replaced by a newer one of its group ends a wait for all: wait for the rest
        try:
            await app.workers.wait_for_complete([w for w in app.workers if not w.is_cancelled])
            break
        except WorkerCancelled:
            await pilot.pause()
    await pilot.pause()


async def shows(app: StakeworksApp, pilot: Pilot, words: str, frames: int = 400) -> bool:
    """Whether the terminal shows `words` within a number of refreshes: a table filled by a
    worker's result lays out its rows on a later frame, later still on a loaded machine."""
    for _ in range(frames):
        if words in screen_text(app):
            return True
        await pilot.pause(0.02)
    return False


def screen_text(app: StakeworksApp) -> str:
    """Everything the terminal shows (modal screens over the ones behind them), as plain text,
    one line per terminal row: read from `App.export_screenshot`, so what a user reads."""
    rows: dict[int, list[tuple[float, float, str]]] = {}
    for text in ET.fromstring(app.export_screenshot(simplify=False)).iter(_SVG + "text"):
        row = _LINE.search(text.get("clip-path", ""))
        if row:  # the window title has no clip path: it is not a terminal row
            x, length = float(text.get("x", 0)), float(text.get("textLength", 0))
            rows.setdefault(int(row.group(1)), []).append((x, length, text.text or ""))
    lines = []
    for y in range(max(rows, default=-1) + 1):
        line, used = "", 0
        for x, length, content in sorted(rows.get(y, [])):
            column = round(x / _CELL)
            line += " " * (column - used) + content.replace("\xa0", " ")
            used = column + max(round(length / _CELL), cell_len(content))
        lines.append(line.rstrip())
    return "\n".join(lines)


def toast_text(app: StakeworksApp) -> str:
    """The words of every notification on screen, their wrapped lines joined by spaces (run the
    app with `run_test(notifications=True)`: Textual hides toasts in tests unless asked)."""
    words = [line.rsplit("▌", 1)[1] for line in screen_text(app).splitlines() if "▌" in line]
    return " ".join(" ".join(words).split())


def account_id(path: Path, name: str) -> int:
    with Store(path) as s:
        return next(i for i, n in s.account_names() if n == name)


async def open_northwind(app: StakeworksApp, pilot: Pilot) -> AccountScreen:
    return await open_account(app, pilot, "Northwind")


async def open_account(app: StakeworksApp, pilot: Pilot, name: str) -> AccountScreen:
    await settle(app, pilot)
    await pilot.press("down")  # from the filter into the list
    table = app.screen.query_one(PortfolioTable)
    table.move_cursor(row=table.get_row_index(str(account_id(app.session.store.path, name))))
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, AccountScreen)
    return app.screen


def select_contact(screen: AccountScreen, name: str) -> None:
    tree = screen.query_one(StakeholderMap)
    cid = next(c.id for c in screen.view.contacts if c.name == name)  # type: ignore[union-attr]

    def find(node):
        if node.data == cid:
            return node
        for child in node.children:
            found = find(child)
            if found:
                return found
        return None

    tree.move_cursor(find(tree.root))


async def until(pilot: Pilot, ready: Callable[[], object], seconds: float = 20.0) -> None:
    """Let the app run until `ready()` holds (when `settle` cannot wait for every worker)."""
    for _ in range(int(seconds / 0.05)):
        if ready():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"still not ready after {seconds} s: {ready}")


class HeldSearchIndex:
    """Holds the app's first search-index build (the slow half of its start on a big store) after
    it has read the store, until `release()`: the state of the first seconds on 10,000 accounts."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._released = threading.Event()
        self.read = threading.Event()
        real = search.entries_from_store

        def held(store: search.SearchSource, account_id: int | None = None) -> Iterator[search.SearchEntry]:
            yield from real(store, account_id)  # the store read to the end (it is read a page at a time)
            if account_id is None:  # the whole index, not one account's refresh
                self.read.set()
                self._released.wait(60)

        monkeypatch.setattr(search, "entries_from_store", held)

    def release(self) -> None:
        self._released.set()


async def still(app: StakeworksApp, pilot: Pilot, frames: int = 3) -> None:
    """Let the app run until the picture stops changing for `frames` pauses in a row (a table lays
    its columns out again after its rows arrive; on a busy machine that can come late)."""
    last, same = "", 0
    for _ in range(200):
        await pilot.pause(0.02)
        shot = app.export_screenshot()
        same = same + 1 if shot == last else 0
        if same >= frames:
            return
        last = shot
    raise AssertionError("the screen never stopped changing")
