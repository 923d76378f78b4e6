"""Seed 001's stakeholder map report, as Markdown and as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from stakeworks.domain.cadence import priority_of
from stakeworks.domain.influence import InfluenceLine
from stakeworks.domain.labels import risk_score
from stakeworks.domain.plans import timeline
from stakeworks.domain.rules import DIMENSIONS, Assessment
from stakeworks.domain.words import known_arr, money, plural
from stakeworks.interchange.jsontext import strict_json

if TYPE_CHECKING:  # pydantic loads with the first model, not with this module (issue 20)
    from stakeworks.domain.models import Account, Contact, PlanItem

STRENGTH_WORD = {5: "Strong", 4: "Good", 3: "Neutral", 2: "Weak", 1: "At risk"}
ROLE_WORD = {
    "champion": "Champion",
    "economic_buyer": "Economic Buyer",
    "decision_maker": "Decision Maker",
    "executive_sponsor": "Executive Sponsor",
    "technical_lead": "Technical Lead",
    "end_user_champion": "End User Champion",
    "influencer": "Influencer",
    "detractor": "Detractor",
    "end_user": "End User",
}
DIMENSION_WORD = {
    "champion": "Champion",
    "economic_buyer": "Economic Buyer",
    "executive_sponsor": "Executive Sponsor",
    "decision_maker": "Decision Maker",
    "breadth": "Breadth (departments)",
    "depth": "Depth (levels)",
}
STATUS_MARK = {"ok": "✓ OK", "gap": "⚠ Gap", "missing": "✗ Missing"}


@dataclass
class MapReport:
    account: Account
    today: date
    contacts: Sequence[Contact]
    assessment: Assessment
    key_people: set[int]
    plan: list[PlanItem]
    proposed: list[PlanItem]
    sponsors: list[str]
    influences: list[InfluenceLine] = field(default_factory=list)


def _cell(value: object) -> str:
    """Markdown table cell: pipes escaped, one line."""
    return str(value).replace("|", "\\|").replace("\r", " ").replace("\n", " ").strip() or "—"


def _roles(c: Contact) -> str:
    return ", ".join(ROLE_WORD[r] for r in sorted(c.roles)) or "—"


def _touch(c: Contact) -> str:
    if c.last_touch is None:
        return "never"
    return f"{c.last_touch:%b} {c.last_touch.day}, {c.last_touch.year} ({c.last_touch_kind or '?'})"


def relationship(strength: int | None) -> str:
    return "Not rated" if strength is None else STRENGTH_WORD[strength]


def report_data(r: MapReport) -> dict[str, Any]:
    a = r.assessment
    by_id = {c.id: c for c in r.contacts}
    names = {c.id: c.name for c in r.contacts}

    def plan_row(p: PlanItem, proposed: bool) -> dict[str, Any]:
        return {
            "target": p.target_label or names.get(p.target_contact_id, "?"),
            "path": p.path_label or names.get(p.path_contact_id, "—"),
            "first_action": p.first_action,
            "due": p.due_date.isoformat() if p.due_date else None,
            "timeline": timeline(p.due_date, r.today),
            "status": "proposed" if proposed else p.status.value,
        }

    return {
        "account": r.account.name,
        "date": r.today.isoformat(),
        "arr": known_arr(r.account.arr),  # null when nobody gave one, never 0
        "currency": r.account.currency,
        "renewal_date": r.account.renewal_date.isoformat() if r.account.renewal_date else None,
        "risk": a.risk,
        "score": a.score,
        "bus_factor": a.bus_factor,
        "sponsors": r.sponsors,
        "active_contacts": [_active_contact(r, c) for c in r.contacts if c.status == "active"],
        # DOMAIN section 3: the one list, the same reasons and words as the account screen and assess.
        "known_not_engaged": [
            {
                "name": n.name,
                "title": by_id[n.contact_id].title,
                "type": _roles(by_id[n.contact_id]),
                "reason": n.reason,
                "detail": n.detail,
                "why": n.detail,
                "priority": priority_of(by_id[n.contact_id].roles, by_id[n.contact_id].level),
            }
            for n in a.not_engaged
        ],  # fmt: skip
        "not_yet_known": _not_yet_known(r),
        "coverage": {
            d: {"status": a.coverage[d].status, "risk": a.coverage[d].risk, "reason": a.coverage[d].reason}
            for d in DIMENSIONS
        },
        "single_thread_risk": _single_thread_risk(r, names),
        "plan": [plan_row(p, False) for p in r.plan] + [plan_row(p, True) for p in r.proposed],
        "influences": [
            {"from": names.get(x.from_id, "?"), "to": names.get(x.to_id, "?"), "sign": x.sign, "note": x.note}
            for x in r.influences
        ],
    }


def _active_contact(r: MapReport, c: Contact) -> dict[str, Any]:
    state = r.assessment.states[c.id]
    return {
        "name": c.name,
        "title": c.title,
        "type": _roles(c),
        "relationship": relationship(c.strength),
        "strength": c.strength,
        "last_touch": c.last_touch.isoformat() if c.last_touch else None,
        "last_touch_kind": c.last_touch_kind.value if c.last_touch_kind else None,
        "sentiment": c.sentiment.value,
        "notes": c.notes,
        "engaged": state.engaged,
        "overdue": state.overdue,
        "key_person": c.id in r.key_people,
    }


def _not_yet_known(r: MapReport) -> list[dict[str, Any]]:
    """The people the plan targets by a label only (no contact yet), once each, open items first."""
    unknown_targets: dict[str, dict[str, Any]] = {}
    for p, proposed in [(p, False) for p in r.plan if p.status == "open"] + [(p, True) for p in r.proposed]:
        if p.target_contact_id is None and p.target_label.casefold() not in unknown_targets:
            unknown_targets[p.target_label.casefold()] = {
                "target": p.target_label,
                "first_action": p.first_action,
                "status": "proposed" if proposed else "open",
            }
    return list(unknown_targets.values())


def _single_thread_risk(r: MapReport, names: dict[Any, str]) -> dict[str, Any]:
    factors = r.assessment.factors
    single = [f for f in factors if f.level == "high"]
    return {
        "summary": (
            f"Dependent on {', '.join(names[i] for i in sorted(r.key_people))}: their departure adds a high-level factor."
            if r.key_people
            else "No single person's departure adds a high-level factor."
        )
        + (f" {plural(len(single), 'high-level factor')} now." if single else ""),
        "factors": [{"code": f.code, "level": f.level, "rationale": f.rationale} for f in factors],
    }


def render_json(r: MapReport) -> str:
    return strict_json(report_data(r), indent=2)


def render_markdown(r: MapReport) -> str:
    d = report_data(r)
    out = [
        f"## Stakeholder Map: {_cell(d['account'])}",
        "",
        f"**Date:** {d['date']} | **ARR:** {money(d['arr'], d['currency'])} | **Renewal:** {d['renewal_date'] or '—'}"
        f" | **Risk:** {d['risk']} ({risk_score(d['score'])}, bus factor {d['bus_factor']})"
        + (f" | **Our sponsor:** {_cell(', '.join(d['sponsors']))}" if d["sponsors"] else ""),
        "",
        "### Active Contacts",
        "",
        "| Name | Title | Type | Relationship | Last Touch | Sentiment | Notes |",
        "|------|-------|------|-------------|-----------|-----------|-------|",
    ]
    by_name = {c.name: c for c in r.contacts}
    for c in d["active_contacts"]:
        flags = (" 🔑" if c["key_person"] else "") + (" ⚠ overdue" if c["overdue"] else "")
        out.append(
            f"| {_cell(c['name'])}{flags} | {_cell(c['title'])} | {_cell(c['type'])} | {c['relationship']} | "
            f"{_touch(by_name[c['name']])} | {c['sentiment'].capitalize()} | {_cell(c['notes'])} |"
        )
    out += ["", "### Known But Not Engaged", "", "| Name/Role | Type | Why Not Engaged | Priority |",
            "|-----------|------|----------------|----------|"]  # fmt: skip
    for c in d["known_not_engaged"]:
        out.append(
            f"| {_cell(c['name'])} ({_cell(c['title'])}) | {_cell(c['type'])} | {_cell(c['why'])} | {c['priority'].capitalize()} |"
        )
    if not d["known_not_engaged"]:
        out.append("| — | — | Nobody known but not engaged | — |")
    if d["not_yet_known"]:
        out += ["", "Not on the map yet (open plan targets): "
                + "; ".join(_cell(t["target"]) + (" (proposed)" if t["status"] == "proposed" else "")
                            for t in d["not_yet_known"])]  # fmt: skip
    out += ["", "### Coverage Assessment", "", "| Coverage Dimension | Status | Risk |",
            "|-------------------|--------|------|"]  # fmt: skip
    for dim, v in d["coverage"].items():
        out.append(
            f"| {DIMENSION_WORD[dim]} | {STATUS_MARK[v['status']]} | {v['risk'].capitalize()} -- {_cell(v['reason'])} |"
        )
    out += ["", "### Single-Thread Risk", "", d["single_thread_risk"]["summary"], "",
            "| Factor | Level | Rationale |", "|---|---|---|"]  # fmt: skip
    for f in d["single_thread_risk"]["factors"]:
        out.append(f"| {f['code']} | {f['level'].capitalize()} | {_cell(f['rationale'])} |")
    out += ["", "### Multi-Threading Plan", "", "| Target Contact | Path to Engagement | First Action | Timeline |",
            "|---------------|-------------------|-------------|---------|"]  # fmt: skip
    for p in d["plan"]:
        mark = " (proposed)" if p["status"] == "proposed" else "" if p["status"] == "open" else f" ({p['status']})"
        out.append(
            f"| {_cell(p['target'])}{mark} | {_cell(p['path'])} | {_cell(p['first_action'])} | {_cell(p['timeline'])} |"
        )
    if not d["plan"]:
        out.append("| — | — | No gaps to close | — |")
    out += _influence_section(d["influences"])
    return "\n".join(out) + "\n"


SIGN_WORD = {"positive": "For us", "negative": "Against us", "neutral": "Neutral"}
DOTTED = {"positive": "┈┈(+)┈▶", "negative": "┈┈(−)┈▶", "neutral": "┈┈(0)┈▶"}
"""An influence line as the Markdown report draws it: dotted, with its sign (DOMAIN section 14)."""


def _influence_section(lines: list[dict[str, str]]) -> list[str]:
    if not lines:
        return []
    out = ["", "### Influence Lines", "",
           "Dotted, beside reports-to: who sways whom, for us (+), against us (−) or neither (0).", "",
           "| From | Line | To | Sign | Note |", "|------|------|----|------|------|"]  # fmt: skip
    for x in lines:
        out.append(
            f"| {_cell(x['from'])} | {DOTTED[x['sign']]} | {_cell(x['to'])} | {SIGN_WORD[x['sign']]} | {_cell(x['note'])} |"
        )
    return out
