"""A living map on the command line: `import calendar FILE.ics`, `import mail PATH`, and
`signals [ACCOUNT]`, `signals confirm ID [--date D]`, `signals dismiss ID`."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from stakeworks.cli.args import parse_day, user_name
from stakeworks.cli.output import text_table
from stakeworks.cli.registry import command
from stakeworks.db.store import Store
from stakeworks.domain.errors import InputError
from stakeworks.domain.signals import KIND_WORDS, SignalView
from stakeworks.services import accounts as services
from stakeworks.services import living_map


def run_living_import(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    source = Path(args.file).expanduser()
    with Store(path) as store:
        progress = _progress() if args.kind == "mail" else None
        report = living_map.import_activity(store, source, args.kind, today, dry_run=args.dry_run, progress=progress)
        names = living_map.contact_names(store, (c for _, _, contacts in report.upcoming for c in contacts))
    data: dict[str, Any] = report.summary()
    upcoming = [
        {"date": day.isoformat(), "title": title, "contacts": [names[c][0] for c in contacts if c in names],
         "accounts": sorted({names[c][1] for c in contacts if c in names})}
        for day, title, contacts in report.upcoming
    ]  # fmt: skip
    if report.kind == "calendar":
        data["upcoming"] = upcoming

    def text() -> str:
        lines = report.lines()
        if report.signals_raised and not report.dry_run:
            lines.append("Open them with stakeworks signals (or ctrl+l in the app).")
        for u in upcoming[:10]:
            lines.append(f"Next meeting: {u['date']} {u['title']} ({', '.join(u['contacts'])})")
        if report.dry_run:
            lines.append("Dry run: nothing was written.")
        return "\n".join(lines)

    out.emit(data, text)
    return 0


def _progress() -> Any:
    if not sys.stderr.isatty():
        return None

    def show(done: int) -> None:
        sys.stderr.write(f"\r  read {done:,} messages")
        sys.stderr.flush()

    return show


def _signal_json(v: SignalView) -> dict[str, Any]:
    s = v.signal
    return {
        "id": s.id,
        "kind": s.kind,
        "account": v.account,
        "contact": v.contact,
        "date": s.raised_on.isoformat(),
        "evidence": s.evidence,
        "suggestion": v.suggestion,
        "status": s.status,
    }


@command("signals")
def run(args: argparse.Namespace, path: Path, today: date, out: Any) -> int:
    words = list(args.words)
    if words and words[0] in ("confirm", "dismiss"):
        return _decide(args, path, today, out, words)
    if len(words) > 1:
        raise InputError("usage: stakeworks signals [ACCOUNT] | confirm ID [--date D] | dismiss ID")
    with Store(path) as store:
        account_id = services.find_account(store, words[0]) if words else None
        views = store.signals("open", account_id)
        labels = services.account_labels(store)
    rows = [{**_signal_json(v), "account": labels.get(v.account_id, v.account)} for v in views]
    out.emit(
        rows,
        lambda: (
            text_table(
                ["id", "date", "what", "account", "contact", "suggestion"],
                [
                    [str(r["id"]), r["date"], KIND_WORDS[r["kind"]], r["account"], r["contact"], r["suggestion"]]
                    for r in rows
                ],
            )
            + "".join(f"\n  #{r['id']}: {r['evidence']}" for r in rows)
            if rows
            else "No open signals."
        ),
    )
    return 0


def _decide(args: argparse.Namespace, path: Path, today: date, out: Any, words: list[str]) -> int:
    action = words[0]
    if len(words) != 2 or not words[1].isdigit():
        raise InputError(f"usage: stakeworks signals {action} ID")
    signal_id = int(words[1])
    if args.date and action == "dismiss":
        raise InputError("--date goes with confirm (the departure date)")
    when = parse_day(args.date, "--date", today) if args.date else None
    by = user_name(args)
    with Store(path) as store:
        if action == "confirm":
            view = living_map.confirm(store, signal_id, by, today, when)
        else:
            view = living_map.dismiss(store, signal_id, by, today)
    done = (
        "confirmed: " + view.suggestion
        if action == "confirm"
        else "dismissed; the same evidence will not raise it again"
    )
    out.emit(
        {"id": signal_id, "status": "confirmed" if action == "confirm" else "dismissed", "contact": view.contact,
         "account": view.account, "decided_by": by},
        lambda: f"Signal {signal_id} ({view.contact}, {view.account}) {done}.",
    )  # fmt: skip
    return 0
