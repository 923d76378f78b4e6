"""Commands that act on people: depart, tasks, cadence, touch."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from stakeworks.cli.args import parse_day
from stakeworks.cli.output import text_table
from stakeworks.cli.registry import command
from stakeworks.db.store import Store
from stakeworks.domain.cadence import cadence
from stakeworks.domain.errors import InputError
from stakeworks.domain.words import and_list, plural
from stakeworks.services import accounts as services


@command("depart")
def _depart(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    when = parse_day(args.date, "--date", today)
    with Store(path) as store:
        account_id = services.find_account(store, args.account)
        contact = services.find_contact(store, account_id, args.contact)
        result = services.depart(store, account_id, contact, when, today)
    data = {
        "account": args.account,
        "contact": result.contact.name,
        "departed_on": when.isoformat(),
        "playbook": result.playbook,
        "tasks_created": result.tasks_created,
        "successors": [{"name": s.contact.name, "reason": s.reason} for s in result.successors],
    }

    def text() -> str:
        lines = [f"{result.contact.name} marked departed on {when}."]
        if result.playbook:
            lines.append(f"Departure playbook: {plural(result.tasks_created, 'new task')} (see stakeworks tasks).")
        if result.successors:
            lines.append("Suggested interim contact / future champion:")
            lines += [f"  {i}. {s.contact.name}: {s.reason}" for i, s in enumerate(result.successors, 1)]
        return "\n".join(lines)

    out.emit(data, text)
    return 0


@command("tasks")
def _tasks(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    with Store(path) as store:
        account_id = services.find_account(store, args.account) if args.account else None
        tasks = store.playbook_tasks(account_id)
        accounts = services.account_labels(store)
        names = store.playbook_contact_names()
    data: list[dict[str, Any]] = [
        {
            "account": accounts.get(t.account_id, "?"),
            "contact": names.get(t.contact_id, "?"),
            "kind": t.kind,
            "action": t.action,
            "owner": t.owner,
            "due": t.due_date.isoformat() if t.due_date else None,
            "done": t.done,
            "status": t.status,
            "overdue": t.status == "open" and t.due_date is not None and t.due_date < today,
        }
        for t in tasks
    ]
    out.emit(
        data,
        lambda: text_table(
            ["due", "state", "account", "contact", "owner", "action"],
            [
                [
                    d["due"] or "-",
                    "cancelled"
                    if d["status"] == "cancelled"
                    else "x"
                    if d["done"]
                    else ("OVERDUE" if d["overdue"] else ""),
                    d["account"],
                    d["contact"],
                    d["owner"],
                    (("[x] " if d["done"] else "[ ] ") if d["kind"] == "checklist" else "") + d["action"],
                ]
                for d in data
            ],  # fmt: skip
        ),
    )
    return 0


@command("cadence")
def _cadence(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    with Store(path) as store:
        items = cadence(services.account_labels(store), store.contact_rows(), today, store.settings())
    data = [
        {
            "account": i.account,
            "contact": i.contact.name,
            "roles": sorted(i.contact.roles),
            "level": i.contact.level,
            "priority": i.priority,
            "threshold_days": i.threshold_days,
            "days_since_touch": i.days_since_touch,
            "due_in": i.due_in,
            "overdue": i.overdue,
            "never_touched": i.never_touched,
        }
        for i in items
    ]
    out.emit(
        data,
        lambda: text_table(
            ["priority", "account", "contact", "roles", "last touch", "due"],
            [
                [
                    i.priority,
                    i.account,
                    i.contact.name,
                    ",".join(sorted(i.contact.roles)) or "-",
                    "never touched" if i.due_in is None else f"{i.days_since_touch}d ago",
                    "overdue" if i.due_in is None else f"overdue {-i.due_in}d" if i.overdue else f"in {i.due_in}d",
                ]
                for i in items
            ],  # fmt: skip
        ),
    )
    return 0


@command("touch")
def _touch(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    when = parse_day(args.date, "--date", today) if args.date else today
    from stakeworks.domain.models import TouchKind

    try:
        kind = TouchKind(args.kind.strip().casefold())
    except ValueError:
        raise InputError(f"--kind {args.kind!r}: use one of {', '.join(k.value for k in TouchKind)}") from None
    with Store(path) as store:
        account_id = services.find_account(store, args.account)
        people = [services.find_contact(store, account_id, name) for name in args.contact]
        touches = services.log_touches(store, [c.id for c in people], kind, when, args.note, by=args.by)
    touch = touches[0]
    names = [c.name for c in people]
    with_us = ""
    if touch.by_name:
        with_us = f" by {touch.by_name} ({'our executive' if touch.by_executive_id else 'CSM'})"
    out.emit(
        {"account": args.account, "contact": names[0], "contacts": names, "touches": len(touches),
         "date": when.isoformat(), "kind": kind.value,
         "by": touch.by_name or None, "by_executive": touch.by_executive_id is not None},
        lambda: f"Logged a {kind.value} with {and_list(names)} on {when}{with_us}"
        + (f" ({plural(len(touches), 'touch', 'touches')})." if len(touches) > 1 else "."),
    )  # fmt: skip
    return 0
