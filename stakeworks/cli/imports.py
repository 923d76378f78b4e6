"""`stakeworks import KIND FILE`: CSV exports in (CLI.md "CSV columns", DOMAIN section 10).

Every kind goes the same way: map the columns, plan the rows, apply them in one
transaction (a dry run rolls it back and prints each row's outcome), and
either refuse the file with every problem or, with `--skip-invalid`, write the
good rows and put the bad ones with a `reason` column in `FILE.rejected.csv`.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from stakeworks.cli.output import listing, say
from stakeworks.db.store import Store
from stakeworks.domain.errors import InputError
from stakeworks.domain.signals import signals_in_words
from stakeworks.domain.words import plural
from stakeworks.services.quiet_gc import collector_paused

TEXT_PREVIEW_ROWS = 200  # a terminal's worth; --json lists every row
MAX_LINES = 20  # warnings and ignored columns listed one a line; the rest are counted
_ACTION_WORDS = {"add": "add", "update": "update", "unchanged": "unchanged", "possible_duplicate": "possible duplicate",
                 "rejected": "rejected", "skipped": "skipped"}  # fmt: skip


def overrides(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        column, sep, fieldname = pair.partition("=")
        if not sep or not column.strip() or not fieldname.strip():
            raise InputError(f'--map {pair!r}: use "Column Name=field"')
        out[column.strip()] = fieldname.strip()
    return out


def account_refs(rows: Any) -> dict[str, str]:
    """--accounts-file: account id -> name, each id also under its `id_key` (a Salesforce
    18-character id's 15-character form), so the contacts' ids match in either length."""
    from stakeworks.domain.identity import id_key

    refs: dict[str, str] = {}
    for row in rows:
        if row.crm_id:
            refs[row.crm_id] = refs[id_key(row.crm_id)] = row.name
    return refs


def decisions(same: list[str], new: list[str]) -> dict[int, str]:
    """`--same 7 --new 9,12`: how each possible duplicate's line is decided."""
    out: dict[int, str] = {}
    for choice, values in (("same", same), ("new", new)):
        for value in values:
            for part in value.split(","):
                try:
                    line = int(part.strip())
                except ValueError:
                    raise InputError(
                        f"--{choice} {value!r}: give the file's line numbers, e.g. --{choice} 7,9"
                    ) from None
                if out.get(line, choice) != choice:
                    raise InputError(f"line {line} is given both --same and --new")
                out[line] = choice
    return out


def run_import(
    args: argparse.Namespace, path: Path, out: Any, progress: Callable[[int, int], None] | None, today: date
) -> int:
    file = Path(args.file)
    mapped = overrides(args.map)
    skip_invalid, dry_run = args.skip_invalid, args.dry_run
    chosen = decisions(args.same, args.new)
    _check_options(args, chosen)
    rejected_file = _rejected_target(args, file, path)
    with Store(path) as store, _kind_hint(file, args.kind):
        plan, apply = _plan(args, file, mapped, store)
        # Millions of rows pass through: the cyclic collector's full passes cost the 1,000,000-contact
        # import a sixth of its time, and what an import builds has no cycles (issue 20).
        apply = collector_paused()(apply)
        _warn(plan, dry_run)
        # A contact whose status becomes departed gets its playbook dated today (DOMAIN section 6).
        extra: dict[str, Any] = (
            {"decisions": chosen, "today": today, "full": args.full} if args.kind == "contacts" else {}
        )
        if args.kind == "contacts" and not dry_run:
            extra["progress"] = progress
        if dry_run:
            report = apply(store, plan, dry_run=True, **extra)
            _show_preview(out, args.kind, file, plan, report)
            if report.rejected and not skip_invalid:
                raise InputError(
                    f"{file}: {len(report.problems)} problem{'s' if len(report.problems) > 1 else ''} "
                    "(preview above; nothing was written)",
                    report.problems,
                )
            return 0
        report = apply(store, plan, skip_invalid=skip_invalid, **extra)
    _show_result(args, out, path, plan, report, rejected_file)
    return 0


def _check_options(args: argparse.Namespace, chosen: dict[int, str]) -> None:
    """Options that belong to one kind of file, refused on any other."""
    if chosen and args.kind != "contacts":
        raise InputError("--same and --new decide possible duplicates of a contacts import")
    if args.full and args.kind != "contacts":
        raise InputError("--full applies to a contacts import (the CRM's whole list for the accounts it names)")
    if args.currency and args.kind != "accounts":
        raise InputError("--currency applies to an accounts import (the currency of its amounts)")


def _plan(args: argparse.Namespace, file: Path, mapped: dict[str, str], store: Store) -> tuple[Any, Callable[..., Any]]:
    """The file's plan (its columns checked) and the store's step that applies it."""
    from stakeworks.db import importing
    from stakeworks.interchange import importer

    if args.kind == "accounts":
        plan = importer.plan_accounts(
            file, overrides=mapped, date_format=args.date_format, currency=_currency(args), crm=args.crm
        )
        return plan, importing.apply_accounts
    if args.kind == "executives":
        return importer.plan_executives(file, overrides=mapped), importing.apply_executives
    if args.kind == "roles":
        return importer.plan_roles(file, overrides=mapped, crm=args.crm), importing.apply_roles
    refs = None
    if args.accounts_file:
        aplan = importer.plan_accounts(Path(args.accounts_file), date_format=args.date_format)
        aplan.check()
        refs = account_refs(aplan.rows)
    # Streamed: validated while written, in one transaction (see apply_contacts).
    contacts = importer.open_contacts(
        file, store.account_directory(), overrides=mapped, date_format=args.date_format,
        account_refs=refs, crm=args.crm,
    )  # fmt: skip
    return contacts, importing.apply_contacts


def _warn(plan: Any, dry_run: bool) -> None:
    # File text (headers, cells) in these lines is shown, never obeyed; a file with 100,000 columns
    # gets a line a person can read, not 789,000 characters.
    for w in plan.warnings[:MAX_LINES]:
        sys.stderr.write(f"stakeworks: warning: {say(w)}\n")
    if len(plan.warnings) > MAX_LINES:
        sys.stderr.write(f"stakeworks: warning: … and {len(plan.warnings) - MAX_LINES:,} more warnings\n")
    if plan.mapping.ignored and not dry_run:
        sys.stderr.write(
            "stakeworks: note: ignored columns (no matching field; --map assigns one): "
            f"{say(listing(plan.mapping.ignored))}\n"
        )


def _show_result(
    args: argparse.Namespace, out: Any, path: Path, plan: Any, report: Any, rejected_file: Path | None
) -> None:
    """The counts (and the rejected rows' file, each bad row with its reason) of an import that wrote."""
    from stakeworks.interchange.csvfiles import write_rejected

    if report.rejected and rejected_file is not None:
        write_rejected(plan.table, report.rejected_reasons, rejected_file, path)
    else:
        rejected_file = None
    people = getattr(plan, "person_accounts", None)
    for note in [*report.notes, *([people.text()] if people is not None else [])]:
        sys.stderr.write(f"stakeworks: note: {say(note)}\n")
    counts: dict[str, Any] = {"added": report.added, "updated": report.updated, "unchanged": report.unchanged,
                              "touches": report.touches}  # fmt: skip
    if args.skip_invalid:
        counts["rejected"] = report.rejected
        if rejected_file:
            counts["rejected_file"] = str(rejected_file)
    if report.skipped:
        counts["skipped"] = report.skipped
    if report.notes:
        counts["notes"] = report.notes
    if report.signals:
        counts["signals"] = dict(sorted(report.signals.items()))
    if people is not None:
        counts["person_accounts"] = people.as_json()

    def text() -> str:
        line = f"{args.kind}: {report.line()}."
        if rejected_file:
            line += f" Rejected rows, each with its reason: {rejected_file}"
        if report.signals:
            line += f"\nSignals raised: {signals_in_words(report.signals)} (stakeworks signals, or ctrl+l in the app)."
        return line

    out.emit(counts, text)


@contextlib.contextmanager
def _kind_hint(file: Path, kind: str) -> Iterator[None]:
    """A file refused for its columns that looks like another kind says which command reads it."""
    try:
        yield
    except InputError as exc:
        if not any("missing required column" in p for p in [str(exc), *exc.problems]):
            raise
        from stakeworks.interchange.importer import kind_of_file

        try:
            guess = kind_of_file(file)
        except InputError:
            raise exc from None
        if guess.kind is None or guess.kind == kind:
            raise
        hint = f"it looks like {'an' if guess.kind[0] in 'aeiou' else 'a'} {guess.kind} file ({guess.why}): stakeworks import {guess.kind} {file}"
        raise InputError(str(exc), [*getattr(exc, "problems", []), hint]) from None


def _rejected_target(args: argparse.Namespace, file: Path, store: Path) -> Path | None:
    """Where --skip-invalid puts the rejected rows: --rejected FILE, else FILE.rejected.csv
    beside the input; checked before the import writes anything (never the store, never a folder)."""
    from stakeworks.interchange import files
    from stakeworks.interchange.csvfiles import rejected_path

    if args.rejected and not args.skip_invalid:
        raise InputError("--rejected names where --skip-invalid puts the rejected rows: give --skip-invalid too")
    if not args.skip_invalid:
        return None
    target = Path(args.rejected).expanduser() if args.rejected else rejected_path(file)
    if target.resolve() == file.resolve():
        raise InputError(f"--rejected {target}: that is the file being imported; choose another file")
    if not target.parent.is_dir():
        raise InputError(f"--rejected {target}: the folder {target.parent} does not exist")
    return files.check_output(target, store)


def _currency(args: argparse.Namespace) -> str | None:
    """--currency, else the config file's `currency` (or $STAKEWORKS_CURRENCY); None when neither
    says, so the import notes which rows it took in the store's default."""
    if args.currency:
        return str(args.currency)
    from stakeworks.cli.args import load_config
    from stakeworks.interchange.config import default_currency

    setting = default_currency(load_config(args))
    return setting.value if setting.source != "default" else None


def _show_preview(out: Any, kind: str, file: Path, plan: Any, report: Any) -> None:
    outcomes = report.outcomes or []
    summary = Counter(o.action for o in outcomes)
    mapping = plan.mapping.describe(plan.headers)
    valid = sum(summary[a] for a in ("add", "update", "unchanged"))
    data = {
        "rows": valid,
        "crm": getattr(plan, "crm", "csv"),
        "mapping": mapping,
        "ignored": plan.mapping.ignored,
        "summary": {a: summary.get(a, 0) for a in _ACTION_WORDS},
        "preview": [o.as_json() for o in outcomes],
        "warnings": list(plan.warnings),
        "notes": list(report.notes),
    }
    if report.signals:
        data["signals"] = dict(sorted(report.signals.items()))
    people = getattr(plan, "person_accounts", None)
    if people is not None:
        data["person_accounts"] = people.as_json()

    def text() -> str:
        lines = [f"{file}: {plural(len(outcomes), 'row')}; nothing written (dry run). Column mapping:"]
        lines += ["  " + m for m in mapping if "-> (ignored" not in m]
        unknown = [h for h in plan.mapping.ignored if h not in plan.mapping.reasons]
        if unknown:
            lines.append(f"  ignored (no matching field; --map assigns one): {listing(unknown)}")
        reasons = list(plan.mapping.reasons.items())
        for h, why in reasons[:MAX_LINES]:
            lines.append(f"  ignored: {h!r} ({why})")
        if len(reasons) > MAX_LINES:
            lines.append(f"  … and {len(reasons) - MAX_LINES:,} more ignored columns (--json lists them)")
        lines.append("Rows:")
        for o in outcomes[:TEXT_PREVIEW_ROWS]:
            lines.append(f"  line {o.line:<5} {_ACTION_WORDS[o.action]:<18} {_describe(o)}")
        if len(outcomes) > TEXT_PREVIEW_ROWS:
            lines.append(f"  … {len(outcomes) - TEXT_PREVIEW_ROWS:,} more rows (--json lists every row)")
        counted = ", ".join(f"{summary[a]} {w}" for a, w in _ACTION_WORDS.items() if summary.get(a))
        lines.append(f"{kind}: {counted or 'no rows'}.")
        lines += [f"Note: {n}" for n in report.notes]
        if report.signals:
            lines.append(f"Signals it would raise: {signals_in_words(report.signals)}.")
        if people is not None:
            lines.append(f"Note: {people.text()}.")
        return "\n".join(lines)

    out.emit(data, text)


def _describe(o: Any) -> str:
    who = o.name + (f" ({o.account})" if o.account else "")
    if o.action == "update" and o.changes:
        changed = "; ".join(f"{f} {_short(old)} -> {_short(new)}" for f, (old, new) in o.changes.items())
        return f"{who}: {changed}"
    if o.reason:
        return f"{who}: {o.reason}" if who else o.reason
    if o.signals:
        return f"{who}: signal {'; '.join(o.signals)}"
    return who


def _short(value: Any) -> str:
    text = ", ".join(value) if isinstance(value, list) else ("—" if value in (None, "") else str(value))
    return repr(text[:60] + "…") if len(text) > 60 else repr(text)
