"""The benchmark's report (bench/report.py): whether a row meets its target, and the 10k -> 50k
growth table, from made-up figures (no timing here)."""

from __future__ import annotations

from bench.measures import Figure
from bench.report import growth_table, met, render


def _cells(table: list[str], what: str) -> list[str]:
    row = next(line for line in table if line.startswith(f"| {what}"))
    return [c.strip() for c in row.strip("|").split("|")]


def test_a_row_over_its_target_says_no_and_one_without_a_target_says_so():
    assert met(Figure("screen filled", [0.4, 0.45, 0.5], target="<= 500 ms", limit_ms=500)) == "yes"
    assert met(Figure("screen filled", [0.4, 0.6, 0.7], target="<= 500 ms", limit_ms=500)) == "NO"  # median 600 ms
    # against a floor of the same run: 2.5x over a limit of 2.0x
    assert met(Figure("risk", [0.25], floor=[0.1], target="<= 2.0x", limit_ratio=2.0)) == "NO"
    assert met(Figure("key people", [0.002], target="(reported)")) == "—"


def test_one_run_far_over_the_median_fails_a_spread_limit():
    runs = [1.0, 1.1, 1.2, 1.0, 6.0]  # median 1.1 s; one run 5.45x it
    assert met(Figure("suggest", runs, target="<= 2 s", limit_ms=2000)) == "yes"
    assert met(Figure("suggest", runs, target="<= 2 s, no run over 5x", limit_ms=2000, limit_spread=5.0)) == "NO"
    assert met(Figure("suggest", runs[:4], target="<= 2 s, no run over 5x", limit_ms=2000, limit_spread=5.0)) == "yes"


def test_growth_is_the_large_median_over_the_small_median():
    small = [
        Figure("import of the 200,000-contact CSV", [1.0, 2.0, 30.0], target="(reported)"),
        Figure("stall (sponsors)", [0.010, 0.020, 0.030], target="<= 50 ms", limit_ms=50),
        Figure("only at 10k", [1.0], target="(reported)"),
    ]
    large = [
        # the same figure at 50k: its name's counts differ, the rest is the same row
        Figure("import of the 1,000,000-contact CSV", [9.0, 10.0, 11.0], target="(reported)"),
        Figure("stall (sponsors)", [0.100, 0.150, 0.200], target="<= 50 ms", limit_ms=50),
    ]
    table = growth_table(small, large, 600, "2026-12-07 12:00")
    imported = _cells(table, "import of the 200,000-contact CSV")
    assert imported[-2:] == ["5.00x", "yes"]  # 10 s over 2 s: medians, not the 30 s outlier or the means
    stalled = _cells(table, "stall (sponsors)")
    assert stalled[-4:] == ["—", "NO", f"{0.150 / 0.020:.2f}x", "NO"]  # 150 ms: over 50 ms, and grew 7.5x
    assert not any(line.startswith("| only at 10k") for line in table)


def test_render_lists_every_figure_with_its_target_and_verdict():
    text = render(
        [Figure("sponsors screen opened and filled", [0.2, 0.3, 0.9], target="<= 500 ms", limit_ms=500)],
        ["a note"],
        12.0,
        "2026-12-07 12:00",
    )
    row = _cells(text.splitlines(), "sponsors screen opened and filled")
    assert row[1:5] == ["300.0 ms", "200.0 ms", "900.0 ms", "3"] and row[-2:] == ["<= 500 ms", "yes"]
    assert "a note" in text


def test_a_portfolio_wide_commands_limit_is_the_10k_stores_and_its_growth_the_50k_target():
    def seen(seconds: float) -> Figure:
        return Figure("`seen` over the whole portfolio", [seconds], target="<= 1 s at 10k", limit_ms=1000,
                      limit_at_10k=True)  # fmt: skip

    assert met(seen(1.2)) == "NO"  # at 10k the limit holds
    grown = _cells(growth_table([seen(0.5)], [seen(2.0)], 60, "today"), "`seen`")
    assert grown[7:] == ["growth", "4.00x", "yes"]
    too_much = _cells(growth_table([seen(0.5)], [seen(3.0)], 60, "today"), "`seen`")
    assert too_much[7:] == ["growth", "6.00x", "NO"]
