"""Commands that report verdicts: assess, risk, whatif, heatmap."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from stakeworks.cli.output import text_table
from stakeworks.cli.registry import command
from stakeworks.db.store import Store
from stakeworks.domain.heatmap import PERSONAS, account_row, totals
from stakeworks.domain.labels import risk_score, risk_score_change
from stakeworks.domain.rules import DIMENSIONS, Assessment, strength_dots, whatif
from stakeworks.domain.words import UNKNOWN, known_arr
from stakeworks.services import accounts as services
from stakeworks.services.quiet_gc import collector_paused


def assessment_json(name: str, today: date, view: services.AccountView) -> dict[str, Any]:
    a: Assessment = view.assessment
    return {
        "account": name,
        "today": today.isoformat(),
        "risk": a.risk,
        "score": a.score,
        "bus_factor": a.bus_factor,
        "sponsors": view.sponsors,
        "coverage": {d: {"status": v.status, "risk": v.risk, "reason": v.reason} for d, v in a.coverage.items()},
        "factors": [{"code": f.code, "level": f.level, "rationale": f.rationale} for f in a.factors],
        "contacts": [
            {
                "name": c.name,
                "title": c.title,
                "roles": sorted(str(r) for r in c.roles),
                "level": str(c.level),
                "department": c.department,
                "status": str(c.status),
                "strength": c.strength,
                "engaged": a.states[c.id].engaged,
                "days_since_touch": a.states[c.id].days_since_touch,
                "threshold_days": a.states[c.id].threshold_days,
                "overdue": a.states[c.id].overdue,
                "key_person": c.id in view.key_people,
            }
            for c in view.contacts
        ],
        "not_engaged": [{"name": n.name, "reason": n.reason, "detail": n.detail} for n in a.not_engaged],
    }


@command("assess")
def _assess(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    from stakeworks.services.our_side import our_bus_factor  # here: `risk`, in the same module, needs neither

    with Store(path) as store:
        account_id = services.find_account(store, args.account)
        view = services.account_view(store, account_id, today)
        ours = our_bus_factor(store, account_id, today)
    data = assessment_json(view.account.name, today, view)
    data["our_bus_factor"] = ours  # DOMAIN section 12: people of ours on the engaged contacts

    def text() -> str:
        a = view.assessment
        lines = [
            f"{view.account.name}: risk {a.risk}, {risk_score(a.score)}, bus factor {a.bus_factor}",
            f"Our bus factor: {ours} (people of ours who touched an engaged contact in the last 365 days)",
            "",
            "Coverage",
        ]
        for d in DIMENSIONS:
            v = a.coverage[d]
            lines.append(f"  {d:<18} {v.status:<8} {v.risk:<7} {v.reason}")
        lines += ["", "Factors"] + [f"  {f.level:<7} {f.code:<26} {f.rationale}" for f in a.factors]
        lines += ["", "Contacts"]
        for c in view.contacts:
            s = a.states[c.id]
            marks = ("engaged" if s.engaged else "") + (" overdue" if s.overdue else "")
            marks += " KEY" if c.id in view.key_people else ""
            roles = ",".join(sorted(c.roles)) or "-"
            lines.append(f"  {c.name:<24} {c.level:<9} {strength_dots(c.strength):<15} {roles:<28} {marks}")
        lines += ["", "Known but not engaged"]
        lines += [f"  {n.name:<24} {n.reason:<19} {n.detail}" for n in a.not_engaged] or ["  nobody"]
        return "\n".join(lines)

    out.emit(data, text)
    return 0


@command("risk")
@collector_paused()  # every account's row: plain data, no cycles to look for
def _risk(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    with Store(path) as store:
        rows = services.portfolio(store, today, trends=False)  # namesakes told apart (`label`)
    if args.limit:
        rows = rows[: args.limit]
    data = [
        {
            "account": r.label,
            "risk": r.risk,
            "score": r.score,
            "renewal_date": r.renewal_date.isoformat() if r.renewal_date else None,
            "arr": known_arr(r.arr),  # null when nobody gave one, never 0
            "factors": r.factor_codes,
        }
        for r in rows
    ]
    out.emit(
        data,
        lambda: text_table(
            ["account", "risk", "risk score", "renewal", "ARR", "factors"],
            [
                [
                    r.label,
                    r.risk,
                    f"{r.score} / 100",
                    str(r.renewal_date or "-"),
                    _arr_cell(r.arr),
                    " ".join(r.factor_codes),
                ]
                for r in rows
            ],
        ),
    )
    return 0


def _arr_cell(arr: float) -> str:
    known = known_arr(arr)
    return UNKNOWN if known is None else f"{known:,.0f}"


@command("whatif")
def _whatif(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    with Store(path) as store:
        account_id = services.find_account(store, args.account)
        account = store.account(account_id)
        contact = services.find_contact(store, account_id, args.contact)
        contacts = store.contacts(account_id)
        lines = store.influences(account_id)
        result = whatif(contacts, contact.id, today, account.renewal_date, store.settings(), None, lines)
        from stakeworks.services.people import elsewhere

        also = elsewhere(store, contact.id, today)

    def side(a: Assessment) -> dict[str, Any]:
        return {"risk": a.risk, "score": a.score, "bus_factor": a.bus_factor, "factors": a.factor_codes}

    added, removed = [f.code for f in result.added_factors], [f.code for f in result.removed_factors]
    data = {
        "account": account.name,
        "contact": contact.name,
        "before": side(result.before),
        "after": side(result.after),
        "key_person": result.key_person,
        "added": added,
        "removed": removed,
        # The same person at other accounts of ours (DOMAIN section 13): each account's own what-if.
        "elsewhere": [
            {"account": a.account, "contact": a.contact, "roles": sorted(a.roles), "score": a.score,
             "score_if_gone": a.score_if_gone, "arr": a.arr}
            for a in also
        ],
    }  # fmt: skip

    def text() -> str:
        b, a = result.before, result.after
        lines = [
            f"If {contact.name} left {account.name} today:",
            "  " + risk_score_change(b.score, a.score, added, removed, arrow="->"),
            f"  risk {b.risk} -> {a.risk}, bus factor {b.bus_factor} -> {a.bus_factor}",
        ]
        lines += [f"  + {f.code} ({f.level}): {f.rationale}" for f in result.added_factors]
        lines += [f"  - {f.code} ({f.level})" for f in result.removed_factors]
        lines.append(f"  {contact.name} is {'a KEY PERSON' if result.key_person else 'not a key person'}")
        for x in also:
            roles = f" ({', '.join(sorted(x.roles))})" if x.roles else ""
            change = risk_score_change(x.score, x.score_if_gone, x.added_factors, arrow="->")
            lines.append(f"  also at {x.account} as {x.contact}{roles}: {change} if they left there too")
        return "\n".join(lines)

    out.emit(data, text)
    return 0


@command("heatmap")
def _heatmap(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    with Store(path) as store:
        names = services.account_labels(store)  # two accounts of one name told apart
        by_account = store.contact_rows()
        settings = store.settings()
    rows = [
        (names[a], account_row(by_account.get(a, []), today, settings))
        for a in sorted(names, key=lambda i: names[i].casefold())
    ]
    sums = totals([r for _, r in rows])
    data = {
        "personas": list(PERSONAS),
        "rows": [
            {
                "account": n,
                "cells": {p: {"state": c.state, "strength": c.strength, "contact": c.contact} for p, c in r.items()},
            }
            for n, r in rows
        ],
        "totals": sums,
    }
    mark = {"engaged": "", "detractor": "D", "overdue": "!", "known": "?", "missing": "-"}

    def cell(c: Any) -> str:
        return str(c.strength) if c.state == "engaged" else mark[c.state]

    out.emit(
        data,
        lambda: (
            text_table(
                ["account", *PERSONAS],
                [[n, *(cell(r[p]) for p in PERSONAS)] for n, r in rows]
                + [["engaged in", *(f"{sums[p]}/{len(rows)}" for p in PERSONAS)]],
            )
            + "\n(number = best engaged strength, D detractor, ! overdue, ? known not engaged, - missing)"
        ),
    )
    return 0
