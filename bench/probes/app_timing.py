"""Timing the app in process, the one way every probe does it: open it on a store and let it
settle, then run an action until a condition holds while a ticker records the longest the
event loop went without running (what a user feels as a freeze)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.measures import TODAY

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from stakeworks.screens.app import StakeworksApp

TICK = 0.005
"""The ticker's sleep: a gap is how much later than this it woke up."""


async def _ticker(gaps: list[float], stop: asyncio.Event) -> None:
    """Record how late each 5 ms sleep wakes up: the event loop's stalls."""
    last = time.perf_counter()
    while not stop.is_set():
        await asyncio.sleep(TICK)
        now = time.perf_counter()
        gaps.append(now - last - TICK)
        last = now


@asynccontextmanager
async def settled_app(db: Path, size: tuple[int, int] = (120, 40)) -> AsyncIterator[tuple[StakeworksApp, Pilot[Any]]]:
    """The app on `db` (at the benchmark's day), its start-up workers done: the portfolio loaded."""
    from stakeworks.cli.launch import make_app

    app = make_app(db, TODAY)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        yield app, pilot


@dataclass
class Waited:
    seconds: float
    """From the action to the condition holding (and, with `frames`, the next frame drawn)."""
    stall: float
    """The longest event-loop gap from the action until the app settled after it."""


async def time_action(
    app: StakeworksApp,
    pilot: Pilot[Any],
    action: Callable[[], object],
    done: Callable[[], bool],
    frames: list[float] | None = None,
    timeout: float = 30,
) -> Waited:
    """Run `action`, poll `done` every 2 ms (Pilot's idle waits would add a second of their own),
    then with `frames` (from `watch_frames`) wait for the first frame drawn after it; the
    ticker runs on until the app's workers are done, so a stall after the condition counts too."""
    gaps: list[float] = []
    stop = asyncio.Event()
    task = asyncio.create_task(_ticker(gaps, stop))
    t0 = time.perf_counter()
    action()
    while not done() and time.perf_counter() - t0 < timeout:
        await asyncio.sleep(0.002)
    if frames is not None:
        frames.clear()
        while not frames and time.perf_counter() - t0 < timeout:
            await asyncio.sleep(0.002)
    seconds = (frames[0] if frames else time.perf_counter()) - t0
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    stop.set()
    await task
    return Waited(seconds, max(gaps, default=0.0))


@contextmanager
def watch_frames() -> Iterator[list[float]]:
    """The times at which Textual hands a frame to the terminal, while the block runs."""
    from textual.app import App

    frames: list[float] = []
    display = App._display

    def spy(self: App[Any], screen: object, renderable: object) -> None:
        display(self, screen, renderable)  # type: ignore[arg-type]
        if renderable is not None:
            frames.append(time.perf_counter())

    App._display = spy  # type: ignore[method-assign]
    try:
        yield frames
    finally:
        App._display = display  # type: ignore[method-assign]
