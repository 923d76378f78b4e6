"""Coverage, factors, risk score and bus factor of one account, each explained."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from stakeworks.domain.labels import DIMENSION, FACTOR, label
from stakeworks.domain.rules import DIMENSIONS, Assessment
from stakeworks.widgets import palette
from stakeworks.widgets.badges import RISK_STYLE, risk_badge, status_badge
from stakeworks.widgets.steady import update_steady

LEVEL_WORD = {"high": "HIGH", "medium": "MED", "low": "LOW"}
LABELS = DIMENSION


def score_line(assessment: Assessment, baseline: Assessment | None = None) -> Text:
    line = Text("Risk score ") + Text(str(assessment.score), style="bold") + Text(" / 100")
    if baseline is not None and baseline.score != assessment.score:
        delta = assessment.score - baseline.score
        line += Text(
            f" (was {baseline.score}, {delta:+d})", style=palette.BAD_STRONG if delta > 0 else palette.GOOD_STRONG
        )
    line += Text("  Risk ") + risk_badge(assessment.risk)
    bus = assessment.bus_factor
    line += Text("  Bus factor ") + Text(str(bus), style=palette.BAD_STRONG if bus <= 1 else "bold")
    if baseline is not None and baseline.bus_factor != bus:
        line += Text(f" (was {baseline.bus_factor})")
    return line


def render_assessment(assessment: Assessment, baseline: Assessment | None = None) -> Text:
    """One Text (no Rich tables: this renders on every keystroke in the editor)."""
    out = score_line(assessment, baseline)
    out.append("\n\nCoverage\n", style="bold")
    for d in DIMENSIONS:
        v = assessment.coverage[d]
        changed = baseline is not None and baseline.coverage[d] != v
        out.append_text(status_badge(v.status))
        out.append(" ")
        out.append(LABELS[d], style="bold underline" if changed else "bold")
        out.append(f" · {v.risk} risk · ", style=RISK_STYLE[v.risk] if v.risk != "low" else "dim")
        out.append(v.reason + "\n")
    out.append("\nSingle-thread risk factors\n", style="bold")
    before = set(baseline.factor_codes) if baseline else set(assessment.factor_codes)
    for f in assessment.factors:
        mark = "+" if f.code not in before else " "
        out.append(f"{mark}{LEVEL_WORD[f.level]:<4} ", style=RISK_STYLE[f.level])
        out.append(label(FACTOR, f.code), style="bold")
        out.append(f": {f.rationale}\n" if f.rationale else "\n")
    if baseline:
        for f in baseline.factors:
            if f.code not in assessment.factor_codes:
                out.append("-gone ", style=palette.GOOD)
                out.append(label(FACTOR, f.code) + "\n", style="strike dim")
    out.rstrip()
    return out


class CoveragePanel(Static):
    """Shows an Assessment; with a baseline it marks what changed."""

    DEFAULT_CSS = """
    CoveragePanel { height: auto; padding: 0 1; }
    """

    def show(self, assessment: Assessment, baseline: Assessment | None = None) -> None:
        update_steady(self, render_assessment(assessment, baseline))
