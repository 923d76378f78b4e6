"""Portfolio screens: the home sparkline and the heat map's cells."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Select, Static

from stakeworks.cli.launch import make_app
from stakeworks.db.store import Store
from stakeworks.domain.heatmap import PERSONAS
from stakeworks.screens.account import AccountScreen
from stakeworks.screens.app import StakeworksApp
from stakeworks.screens.heatmap import HeatmapScreen
from stakeworks.widgets.badges import sparkline
from stakeworks.widgets.portfolio_table import PortfolioTable
from stakeworks.widgets.virtual_table import VirtualTable
from tests.pilot import SIZE, TODAY, account_id, screen_text, settle


async def _open_heatmap(app: StakeworksApp, pilot: Pilot) -> tuple[HeatmapScreen, VirtualTable]:
    await settle(app, pilot)
    await pilot.press("ctrl+g")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, HeatmapScreen)
    return screen, screen.query_one(VirtualTable)


async def test_home_sparkline_reflects_stored_scores(sample_copy: Path):
    with Store(sample_copy) as s:
        nid = next(i for i, n in s.account_names() if n == "Northwind")
        s.record_scores(TODAY - timedelta(days=30), [(nid, 100, "high")])
        s.record_scores(TODAY - timedelta(days=20), [(nid, 0, "low")])
        stored = [score for d, score, _ in s.score_history(nid) if d >= TODAY - timedelta(days=90)]
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        row = app.screen.query_one(PortfolioTable).get_row(str(nid))
        assert str(row[3]) == sparkline(stored, 13)  # the trend is the stored scores
        assert str(row[2]).strip() == f"▼{100 - int(str(row[1]))}"  # the 30-day change: today's score - 100


async def test_open_account_from_heatmap_cell(sample_copy: Path):
    app = make_app(sample_copy, TODAY)
    nid = account_id(sample_copy, "Northwind")
    async with app.run_test(size=SIZE) as pilot:
        screen, table = await _open_heatmap(app, pilot)
        table.move_cursor(table.get_row_index(str(nid)))
        await pilot.press("right")  # from the first persona to the second, then jump to the champion column
        assert table.cursor_column == 2
        table.move_cursor_column(1 + list(PERSONAS).index("champion"))
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
        await pilot.pause()
        assert "Touches with Tom Chen" in screen_text(app)  # the champion is the selected contact


async def test_heatmap_filters_by_tier_and_risk_and_opens_the_filtered_row(sample_copy: Path):
    with Store(sample_copy) as s:
        tier_of = {a.id: a.tier for a in s.account_rows()}
    app = make_app(sample_copy, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen, table = await _open_heatmap(app, pilot)
        tier = sorted(set(tier_of.values()))[0]
        screen.query_one("#tier", Select).value = tier
        await settle(app, pilot)
        shown = [int(k) for k in table.row_keys]
        assert 0 < len(shown) < len(tier_of) and all(tier_of[a] == tier for a in shown)
        assert len(shown) == sum(1 for t in tier_of.values() if t == tier)
        assert f"/{len(shown)}" in str(screen.query_one("#totals", Static).render())
        risk = app.session.summaries[shown[0]].risk
        screen.query_one("#risk", Select).value = risk
        await settle(app, pilot)
        both = [int(k) for k in table.row_keys]
        assert both and both == [a for a in shown if app.session.summaries[a].risk == risk]
        table.move_cursor(len(both) - 1)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen) and app.screen.account_id == both[-1]
