"""Coverage, factors, score and bus factor of one account, each explained."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from stakeworks.rules import DIMENSIONS, Assessment
from widgets.badges import RISK_STYLE, risk_badge, status_badge

LEVEL_WORD = {"high": "HIGH", "medium": "MED", "low": "LOW"}
LABELS = {
    "champion": "Champion",
    "economic_buyer": "Economic buyer",
    "executive_sponsor": "Exec sponsor",
    "decision_maker": "Decision maker",
    "breadth": "Breadth",
    "depth": "Depth",
}


def score_line(assessment: Assessment, baseline: Assessment | None = None) -> Text:
    line = Text("Score ") + Text(str(assessment.score), style="bold")
    if baseline is not None and baseline.score != assessment.score:
        delta = assessment.score - baseline.score
        line += Text(f" (was {baseline.score}, {delta:+d})", style="bold red" if delta > 0 else "bold green")
    line += Text("  Risk ") + risk_badge(assessment.risk)
    bus = assessment.bus_factor
    line += Text("  Bus factor ") + Text(str(bus), style="bold red" if bus <= 1 else "bold")
    if baseline is not None and baseline.bus_factor != bus:
        line += Text(f" (was {baseline.bus_factor})")
    return line


def render_assessment(assessment: Assessment, baseline: Assessment | None = None) -> Group:
    cov = Table(box=None, show_header=False, padding=(0, 0), expand=True)
    cov.add_column("line", ratio=1)
    for d in DIMENSIONS:
        v = assessment.coverage[d]
        changed = baseline is not None and baseline.coverage[d] != v
        line = status_badge(v.status) + Text(" ") + Text(LABELS[d], style="bold underline" if changed else "bold")
        line += Text(f" · {v.risk} risk · ", style=RISK_STYLE[v.risk] if v.risk != "low" else "dim")
        line += Text(v.reason)
        cov.add_row(line)
    factors = Table(box=None, show_header=False, padding=(0, 1), expand=True)
    factors.add_column("level", no_wrap=True)
    factors.add_column("why", ratio=1)
    before = set(baseline.factor_codes) if baseline else set(assessment.factor_codes)
    for f in assessment.factors:
        mark = "+" if f.code not in before else " "
        factors.add_row(
            Text(f"{mark}{LEVEL_WORD[f.level]}", style=RISK_STYLE[f.level]),
            Text(f.code, style="bold") + Text(f": {f.rationale}"),
        )
    if baseline:
        for f in baseline.factors:
            if f.code not in assessment.factor_codes:
                factors.add_row(Text("-gone", style="green"), Text(f.code, style="strike dim"))
    return Group(score_line(assessment, baseline), Text(""), Text("Coverage", style="bold"), cov, Text(""),
                 Text("Single-thread risk factors", style="bold"), factors)  # fmt: skip


class CoveragePanel(Static):
    """Shows an Assessment; with a baseline it marks what changed."""

    DEFAULT_CSS = """
    CoveragePanel { height: auto; padding: 0 1; }
    """

    def show(self, assessment: Assessment, baseline: Assessment | None = None) -> None:
        self.update(render_assessment(assessment, baseline))
