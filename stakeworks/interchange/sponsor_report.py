"""The sponsor program's measurement as the owner takes it to their review: JSON (CLI.md keys),
Markdown and CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from stakeworks.domain.program_report import AccountMeasure, ProgramReport
from stakeworks.interchange.csvfiles import guard

CSV_COLUMNS = (
    "executive", "account", "since", "score_at_start", "score_now", "score_change", "risk_at_start", "risk_now",
    "ebr_due", "ebr_held", "checkins_due", "checkins_done", "last_touch_by_sponsor", "renewals_since_start",
    "overdue",
)  # fmt: skip


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def account_json(a: AccountMeasure) -> dict[str, Any]:
    return {
        "account": a.account,
        "since": a.since.isoformat(),
        "score_at_start": a.score_at_start,
        "score_now": a.score_now,
        "risk_at_start": a.risk_at_start,
        "risk_now": a.risk_now,
        "ebr_due": a.ebr_due,
        "ebr_held": a.ebr_held,
        "checkins_due": a.checkins_due,
        "checkins_done": a.checkins_done,
        "last_touch_by_sponsor": _day(a.last_touch_by_sponsor),
        "renewals_since_start": a.renewals_since_start,
        "overdue": a.overdue,
    }


def report_json(report: ProgramReport) -> dict[str, Any]:
    return {
        "today": report.today.isoformat(),
        "executives": [
            {"executive": e.executive, "overdue": e.overdue, "accounts": [account_json(a) for a in e.accounts]}
            for e in report.executives
        ],
        "totals": report.totals,
    }


def _dash(value: object) -> str:
    return "—" if value is None else str(value)


def _change(a: AccountMeasure) -> str:
    c = a.score_change
    return "—" if c is None else f"{c:+d}" + (" better" if c < 0 else " worse" if c > 0 else "")


def render_markdown(report: ProgramReport) -> str:
    t = report.totals
    lines = [
        f"# Executive sponsor program, {report.today.isoformat()}",
        "",
        f"{t['accounts']} sponsored accounts, {t['executives']} executives ({t['executives_overdue']} with duties "
        f"overdue). Since sponsorship started: {t['improved']} improved, {t['worsened']} worse, {t['unchanged']} "
        f"unchanged, {t['no_start_score']} without a start score. EBRs held {t['ebr_held']} of {t['ebr_due']} due; "
        f"quarterly check-ins {t['checkins_done']} of {t['checkins_due']}; {t['high_risk_now']} at high risk now; "
        f"{t['renewals_since_start']} renewals since the start.",
        "",
        "Risk score: 0-100, higher is riskier (a fall is an improvement).",
    ]
    for e in report.executives:
        lines += ["", f"## {_md(e.executive)}" + (" (duties overdue)" if e.overdue else ""), ""]
        if not e.accounts:
            lines.append("No sponsored accounts.")
            continue
        lines += [
            "| account | since | risk score start → now | risk now | EBRs held/due | check-ins done/due | sponsor's last touch | overdue |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for a in e.accounts:
            ebr = "no EBR duty" if a.ebr_due is None else f"{a.ebr_held}/{a.ebr_due}"
            lines.append(
                f"| {_md(a.account)} | {a.since} | {_dash(a.score_at_start)} → {a.score_now} ({_change(a)}) | "
                f"{a.risk_now} | {ebr} | {a.checkins_done}/{a.checkins_due} | {_dash(_day(a.last_touch_by_sponsor))} "
                f"| {'; '.join(a.overdue) or '—'} |"
            )
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Names are text in a table cell: one line, pipes and markup characters escaped."""
    return "".join("\\" + ch if ch in "\\|*_`[]<>#" else ch for ch in " ".join(text.split()))


def render_csv(report: ProgramReport) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in report.executives:
        for a in e.accounts:
            writer.writerow([
                guard(e.executive), guard(a.account), a.since.isoformat(), _blank(a.score_at_start), a.score_now,
                _blank(a.score_change), a.risk_at_start or "", a.risk_now, _blank(a.ebr_due), a.ebr_held,
                a.checkins_due, a.checkins_done, _day(a.last_touch_by_sponsor) or "", a.renewals_since_start,
                "; ".join(a.overdue),
            ])  # fmt: skip
    return buf.getvalue()


def _blank(value: object) -> object:
    return "" if value is None else value
