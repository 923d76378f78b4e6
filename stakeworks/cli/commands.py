"""One handler per CLI command: open the store, call a service, print."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from stakeworks.cli.args import parse_day
from stakeworks.cli.output import say, text_table
from stakeworks.db.store import Store
from stakeworks.domain.cadence import cadence
from stakeworks.domain.errors import InputError
from stakeworks.domain.heatmap import PERSONAS, account_row, totals
from stakeworks.domain.rules import DIMENSIONS, Assessment, strength_dots, whatif
from stakeworks.services import accounts as services

Handler = Callable[[argparse.Namespace, Path, date, Any], int]
HANDLERS: dict[str, Handler] = {}


def command(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[name] = fn
        return fn

    return register


# -- the app ----------------------------------------------------------------------


def open_app(path: Path, today: date, *, title: str = "", args: argparse.Namespace | None = None) -> int:
    from stakeworks.cli.args import load_config
    from stakeworks.db.connection import connect

    cfg = load_config(args or argparse.Namespace())
    connect(path).close()  # fail fast with exit 3 (and migrate) before Textual loads
    from stakeworks.screens.app import Prefs, make_app

    make_app(path, today=today, title=title, prefs=Prefs.from_config(cfg)).run()
    return 0


@command("app")
def _app(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    return open_app(path, today, args=args)


def sample_db_bytes() -> bytes:
    """The bundled demo portfolio, read from the package wherever it is installed."""
    from importlib.resources import files

    return files("stakeworks.data").joinpath("sample.db").read_bytes()


def open_demo(today: date, *, explicit_today: bool = False, args: argparse.Namespace | None = None) -> int:
    from stakeworks.db.demo import prepare_demo_copy

    workdir = Path(tempfile.mkdtemp(prefix="stakeworks-demo-"))
    try:
        source = workdir / "sample.db"
        source.write_bytes(sample_db_bytes())
        target = prepare_demo_copy(source, workdir / "demo.db", today)
        return open_app(target, today, title="demo (a temporary copy)", args=args)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# -- assessment ----------------------------------------------------------------------


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
    with Store(path) as store:
        account_id = services.find_account(store, args.account)
        view = services.account_view(store, account_id, today)
    data = assessment_json(view.account.name, today, view)

    def text() -> str:
        a = view.assessment
        lines = [
            f"{view.account.name}: risk {a.risk}, score {a.score}, bus factor {a.bus_factor}",
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
def _risk(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    with Store(path) as store:
        rows = services.portfolio(store, today)
    if args.limit:
        rows = rows[: args.limit]
    data = [
        {
            "account": r.name,
            "risk": r.risk,
            "score": r.score,
            "renewal_date": r.renewal_date.isoformat() if r.renewal_date else None,
            "arr": r.arr,
            "factors": r.factor_codes,
        }
        for r in rows
    ]
    out.emit(
        data,
        lambda: text_table(
            ["account", "risk", "score", "renewal", "ARR", "factors"],
            [
                [r.name, r.risk, str(r.score), str(r.renewal_date or "-"), f"{r.arr:,.0f}", " ".join(r.factor_codes)]
                for r in rows
            ],
        ),
    )
    return 0


@command("whatif")
def _whatif(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    with Store(path) as store:
        account_id = services.find_account(store, args.account)
        account = store.account(account_id)
        contact = services.find_contact(store, account_id, args.contact)
        contacts = store.contacts(account_id)
        result = whatif(contacts, contact.id, today, account.renewal_date, store.settings())  # type: ignore[arg-type]

    def side(a: Assessment) -> dict[str, Any]:
        return {"risk": a.risk, "score": a.score, "bus_factor": a.bus_factor, "factors": a.factor_codes}

    data = {
        "account": account.name,
        "contact": contact.name,
        "before": side(result.before),
        "after": side(result.after),
        "key_person": result.key_person,
        "added": [f.code for f in result.added_factors],
        "removed": [f.code for f in result.removed_factors],
    }

    def text() -> str:
        b, a = result.before, result.after
        lines = [
            f"If {contact.name} left {account.name} today:",
            f"  score {b.score} -> {a.score}, risk {b.risk} -> {a.risk}, bus factor {b.bus_factor} -> {a.bus_factor}",
        ]
        lines += [f"  + {f.code} ({f.level}): {f.rationale}" for f in result.added_factors]
        lines += [f"  - {f.code} ({f.level})" for f in result.removed_factors]
        lines.append(f"  {contact.name} is {'a KEY PERSON' if result.key_person else 'not a key person'}")
        return "\n".join(lines)

    out.emit(data, text)
    return 0


# -- acting -----------------------------------------------------------------------------


@command("depart")
def _depart(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    when = parse_day(args.date, "--date")
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
            lines.append(f"Departure playbook: {result.tasks_created} new task(s) (see stakeworks tasks).")
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
        accounts = dict(store.account_names())
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
        items = cadence(dict(store.account_names()), store.contact_rows(), today, store.settings())
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
                    "overdue"
                    if i.due_in is None
                    else f"overdue {-i.due_in}d"
                    if i.overdue
                    else f"in {i.due_in}d",
                ]
                for i in items
            ],  # fmt: skip
        ),
    )
    return 0


@command("heatmap")
def _heatmap(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    with Store(path) as store:
        names = dict(store.account_names())
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


@command("touch")
def _touch(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    when = parse_day(args.date, "--date")
    from stakeworks.domain.models import TouchKind

    try:
        kind = TouchKind(args.kind.strip().casefold())
    except ValueError:
        raise InputError(f"--kind {args.kind!r}: use one of {', '.join(k.value for k in TouchKind)}") from None
    with Store(path) as store:
        account_id = services.find_account(store, args.account)
        contact = services.find_contact(store, account_id, args.contact)
        services.log_touch(store, contact.id, kind, when, args.note)  # type: ignore[arg-type]
    out.emit(
        {"account": args.account, "contact": contact.name, "date": when.isoformat(), "kind": kind.value},
        lambda: f"Logged a {kind.value} with {contact.name} on {when}.",
    )
    return 0


@command("backup")
def _backup(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    target = Path(args.file)
    if target.exists():
        raise InputError(f"{target} exists; choose a new file name")
    with Store(path, create=False) as store:
        store.backup(target)
    out.emit({"backup": str(target)}, lambda: f"Backed up {path} to {target}.")
    return 0


# -- interchange ---------------------------------------------------------------------------


@command("import")
def _import(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    if args.kind == "json":
        from stakeworks.db.interchange import import_json

        with Store(path) as store:
            counts = import_json(store, Path(args.file))
        out.emit(counts, lambda: "Imported " + ", ".join(f"{v} {k}" for k, v in counts.items()) + ".")
        return 0
    from stakeworks.cli.imports import run_import

    return run_import(args, path, out, _progress_bar(), today)


def _progress_bar() -> Callable[[int, int], None] | None:
    """A bar on the terminal for big files; nothing when stderr is not a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        if total < 2000:
            return
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r  writing [{'█' * filled}{'░' * (width - filled)}] {done:,}/{total:,}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


@command("export")
def _export(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    from stakeworks.db.interchange import export_csv, export_json

    target = Path(args.file)
    with Store(path, create=False) as store:
        if args.kind == "json":
            export_json(store, target)
        else:
            export_csv(store, args.kind, target)
    out.emit({"exported": str(target)}, lambda: f"Wrote {target}.")
    return 0


# -- sponsors ---------------------------------------------------------------------------------


@command("sponsors")
def _sponsors(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    from stakeworks.cli import sponsors as sponsor_commands

    return sponsor_commands.run(args, path, today, out)


@command("map")
def _map(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    from stakeworks.interchange.orgchart import render_html, render_svg
    from stakeworks.interchange.report import MapReport, render_json, render_markdown

    with Store(path) as store:
        account_id = services.find_account(store, args.account)
        report = services.map_report(store, account_id, today)
    renderers: dict[str, Callable[[MapReport], str]] = {
        "md": render_markdown, "json": render_json, "svg": render_svg, "html": render_html,
    }  # fmt: skip
    text = renderers[args.format](report)
    if args.output:
        from stakeworks.interchange import files

        target = files.check_output(args.output, path)  # never the store itself
        files.write_text(target, text)  # owner-only, whole or not at all
        sys.stdout.write(say(f"Wrote {target}.") + "\n")
    else:
        sys.stdout.write(say(text if text.endswith("\n") else text + "\n"))
    return 0
