"""The scripting contract (CLI.md): parse, run, print, exit with the right code.

Textual is imported only when the TUI opens, so scripted commands start fast.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from stakeworks.cli.args import build_parser, db_path, is_server, parse_today
from stakeworks.cli.output import Output
from stakeworks.domain.errors import StakeworksError
from stakeworks.domain.text import printable


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage errors and --help: return the code, do not raise
        return int(exc.code or 0)
    try:
        return run(args)
    except StakeworksError as exc:
        # Messages quote what the user typed or stored: shown, never obeyed by the terminal.
        sys.stderr.write(f"stakeworks: {printable(str(exc))}\n")
        for problem in getattr(exc, "problems", []):
            sys.stderr.write(f"  {printable(problem)}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader quit early (`stakeworks export json - | head`): end quietly
        _silence_stdout()
        return 0
    except OSError as exc:  # the system refused a path no handler named (permissions, a full disk)
        where = f"{exc.filename}: " if exc.filename else ""
        sys.stderr.write(f"stakeworks: {printable(where)}{exc.strerror or exc}\n")
        return 2


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's last flush into the closed pipe
    neither prints "Exception ignored" nor turns the exit status into 120."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def run(args: argparse.Namespace) -> int:
    today = parse_today(getattr(args, "today", None))
    out = Output(bool(getattr(args, "json", False)))
    command = args.command or "app"
    if command in ("config", "completion", "_complete"):
        from stakeworks.cli import prefs

        if command == "config":
            return prefs.run_config(args, out)
        if command == "completion":
            return prefs.run_completion(args)
        return prefs.run_names(args, db_path(args))
    if command == "demo":
        from stakeworks.cli.launch import open_demo

        return open_demo(today, explicit_today=bool(getattr(args, "today", None)), args=args)
    from stakeworks.cli import stores
    from stakeworks.cli.args import user_name
    from stakeworks.db import actor

    # Who writes, on which day: what every change's history line says (db/actor.py).
    explicit = bool(getattr(args, "today", None) or os.environ.get("STAKEWORKS_TODAY"))
    actor.set_default(None)  # a server named the person of an earlier command run in this process, not this one's
    actor.set_default(user_name(args), today if explicit else None)
    path = db_path(args)
    if command == "init":
        return stores.run_init(args, path, out)
    if command == "restore":
        return stores.run_restore(args, path, out)
    if command == "copy":
        return stores.run_copy(args, out)
    if command in ("checkout", "sync"):
        from stakeworks.cli import offline

        day = today if explicit else None
        return offline.run_checkout(args, out, day) if command == "checkout" else offline.run_sync(args, path, out, day)
    if is_server(path):  # a team store: only init and an import may create its schema
        from stakeworks.cli.registry import handler as handler_of

        stores.act_as_login(command, str(path), args, today if explicit else None)
        if getattr(args, "dry_run", False) and not stores.server_has_store(str(path)):
            with stores.scratch_store() as scratch:  # a dry run never creates the schema either
                return handler_of(command)(args, scratch, today, out)
        return handler_of(command)(args, path, today, out)
    created = stores.check_may_open(command, path)
    from stakeworks.cli.registry import handler as handler_of

    handler = handler_of(command)
    if created and getattr(args, "dry_run", False):
        # A dry run writes nothing, a store included: it previews against an empty scratch store.
        with stores.scratch_store() as scratch:
            return handler(args, scratch, today, out)
    if not created:
        return handler(args, path, today, out)
    try:
        code = handler(args, path, today, out)
    except BaseException:
        stores.forget_created(path)  # an import that failed leaves no new, empty store behind
        raise
    if code != 0:
        stores.forget_created(path)
    return code


if __name__ == "__main__":
    sys.exit(main())
