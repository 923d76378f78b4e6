"""The command line's arguments: the parser, --today, --db and date values."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from stakeworks import __version__
from stakeworks.domain import days
from stakeworks.domain.days import DATE_WORDS

if TYPE_CHECKING:
    from stakeworks.interchange.config import ConfigFile

COMMON = ("db", "today", "json", "config", "user")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"stakeworks: {message} (see stakeworks --help)\n")


def _common(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--db",
        default=default,
        help="database file or postgresql://USER@HOST:PORT/DBNAME (else $STAKEWORKS_DB, else user data dir)",
    )
    parser.add_argument("--today", default=default, help="pretend today is YYYY-MM-DD (else $STAKEWORKS_TODAY)")
    parser.add_argument(
        "--config",
        default=default,
        help="config file (else $STAKEWORKS_CONFIG, else config.toml in the user config dir)",
    )
    parser.add_argument(
        "--user", default=default, help="your name, recorded with what you change (else $STAKEWORKS_USER, else login)"
    )
    parser.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS if suppress else False, help="machine output"
    )


Command = Callable[[str, str], argparse.ArgumentParser]
"""Adds a command (name, help) to the parser with the common options, and returns its parser."""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="stakeworks", description="Stakeholder maps and single-thread risk for CSMs.")
    parser.add_argument("--version", action="version", version=f"stakeworks {__version__}")
    _common(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    def cmd(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        _common(p, suppress=True)
        return p

    _reading_commands(cmd)
    _people_commands(cmd)
    _store_commands(cmd)
    _import_command(cmd("import", "import accounts, contacts, executives, contact roles (CSV), the whole store (JSON), "
                               "touches from a calendar (.ics) or a mailbox (mbox, Maildir, .eml)"))  # fmt: skip
    exp = cmd("export", "export the whole store (json) or a table (csv)")
    exp.add_argument("kind", choices=("json", "accounts", "contacts"))
    exp.add_argument("file", help="where to write; - writes to stdout")

    _sponsors(cmd("sponsors", "the executive sponsor program: our executives and their load (see its actions)"))
    cfg = cmd("config", "your preferences file: path, show (values and where each came from), check, keys")
    cfg.add_argument("action", nargs="?", choices=("path", "show", "check", "keys"), default="show")
    cmd("completion", "print a shell completion script").add_argument("shell", choices=("bash", "zsh", "fish"))
    names = sub.add_parser("_complete")  # names for the completion scripts; hidden from --help
    sub._choices_actions = [a for a in sub._choices_actions if a.dest != "_complete"]
    _common(names, suppress=True)
    names.add_argument("kind", choices=("accounts", "contacts", "executives"))
    names.add_argument("account", nargs="?")
    return parser


def _reading_commands(cmd: Command) -> None:
    """The app, and the verdicts and reports read from the store."""
    cmd("demo", "open the app on a fresh copy of the demo portfolio")
    cmd("app", "open the app on the database")
    cmd("assess", "coverage, factors, risk score and bus factor of one account").add_argument("account")
    risk = cmd("risk", "the portfolio in triage order")
    risk.add_argument("--limit", type=int, default=None)
    w = cmd("whatif", "simulate one contact leaving today")
    w.add_argument("account")
    w.add_argument("contact")
    m = cmd("map", "the stakeholder map report")
    m.add_argument("account")
    m.add_argument("--format", choices=("md", "json", "svg", "html"), default=None,
                   help="md (the default), json (also --json), svg/html: the org chart")  # fmt: skip
    m.add_argument("--output", "-o", default=None, help="write to a file instead of stdout (- is stdout)")


def _people_commands(cmd: Command) -> None:
    """Departures, tasks, cadence, touches, signals and what changed on an account."""
    d = cmd("depart", "mark a contact departed (champions get the playbook)")
    d.add_argument("account")
    d.add_argument("contact")
    d.add_argument("--date", required=True, help=f"the day they left: {DATE_WORDS}")
    t = cmd("tasks", "playbook tasks, open first")
    t.add_argument("account", nargs="?")
    cmd("cadence", "active contacts overdue or due soon, most critical first")
    cmd("heatmap", "persona coverage per account and totals")
    tc = cmd("touch", "log a touch: one meeting or call with one or several people of the account")
    tc.add_argument("account")
    tc.add_argument("contact", nargs="+", metavar="CONTACT", help="who took part (a touch for each)")
    tc.add_argument("--kind", required=True)
    tc.add_argument("--date", default=None, help=f"when: {DATE_WORDS} (else today)")
    tc.add_argument("--note", default="")
    tc.add_argument("--by", default="", metavar="NAME",
                    help="who from our side took part: a CSM, or one of our executives (by name)")  # fmt: skip
    sig = cmd("signals", "signs that people left or changed, newest first: signals [ACCOUNT], confirm ID, dismiss ID")
    sig.add_argument("words", nargs="*", metavar="ACCOUNT | confirm ID | dismiss ID")
    sig.add_argument("--date", default=None, help=f"confirm: the departure date, {DATE_WORDS} (else today)")
    _evidence_commands(cmd)
    h = cmd("history", "who changed what on an account, when (oldest first)")
    h.add_argument("account")
    h.add_argument("--since", default=None, metavar="DATE", help=f"only changes on or after that day ({DATE_WORDS})")
    df = cmd("diff", "the account's map since a day (e.g. the last QBR): people, roles, strength, sentiment, score")
    df.add_argument("account")
    df.add_argument("--since", required=True, metavar="DATE", help=DATE_WORDS)
    _team(cmd("team", "a team store's people and roles: team list, add LOGIN --role R, role LOGIN R, remove LOGIN"))
    _people(cmd)


def _evidence_commands(cmd: Command) -> None:
    """The map keeps itself (DOMAIN sections 11-12): settings, people seen, suggestions, our side."""
    st = cmd("settings", "the team's settings in the store: settings, settings set KEY VALUE, settings reset KEY")
    st.add_argument("words", nargs="*", metavar="set KEY VALUE | reset KEY")
    sn = cmd("seen", "people seen in mail and calendar who are not on the map: seen [ACCOUNT], add ADDRESS, "
                     "dismiss ADDRESS")  # fmt: skip
    sn.add_argument("words", nargs="*", metavar="ACCOUNT | add ADDRESS | dismiss ADDRESS")
    sn.add_argument("--account", default=None, help="add: the account, when the domain belongs to several")
    sn.add_argument("--name", default=None, help="add: the contact's name (else the name seen)")
    sg = cmd("suggestions", "strength suggestions from mail and calendar: suggestions [ACCOUNT], accept ID, reject ID")
    sg.add_argument("words", nargs="*", metavar="ACCOUNT | accept ID | reject ID")
    wk = cmd("whoknows", "our people who touched a contact (or each contact of an account) in the last 365 days")
    wk.add_argument("account")
    wk.add_argument("contact", nargs="?")
    cmd("handover", "what one of ours holds if they leave: accounts, orphaned first").add_argument(
        "who", help="one of our people, by name or address"
    )


def _store_commands(cmd: Command) -> None:
    """The store file itself: backup, init, copy, restore."""
    b = cmd("backup", "copy the database with SQLite's online backup")
    b.add_argument("file")
    cmd("init", "create an empty store (owner-only) at PATH, else at --db or the default path").add_argument(
        "path", nargs="?", help="where (else --db, $STAKEWORKS_DB, the config file's db, the default)"
    )
    cp = cmd("copy", "copy a whole store between a file and a team server (postgresql://...), either way")
    cp.add_argument("source", help="a store file or postgresql://USER@HOST:PORT/DBNAME")
    cp.add_argument("target", help="a new file, an empty server database, or any store with --replace")
    cp.add_argument("--replace", action="store_true", help="overwrite what the target holds with the copy")
    co = cmd(
        "checkout", "a local file holding a copy of the team store's portfolio (or your accounts), for offline work"
    )
    co.add_argument("server", metavar="SERVER_URL", help="postgresql://USER@HOST:PORT/DBNAME")
    co.add_argument("file", metavar="FILE", help="a new file")
    co.add_argument("--mine", action="store_true", help="only the accounts whose CSM you are (--user)")
    co.add_argument("--account", action="append", metavar="A", help="only this account (repeat for more)")
    sy = cmd("sync", "send an offline copy's changes to the team store and bring the server's")
    sy.add_argument("file", nargs="?", metavar="FILE", help="the offline copy (else --db)")
    sy.add_argument("--take", nargs=2, metavar=("mine|theirs", "ID"), help="resolve a conflict in the copy")
    cmd("restore", "replace the store with a backup (checked first; the old store kept as PATH.bak)").add_argument(
        "backup"
    )


def _import_command(imp: argparse.ArgumentParser) -> None:
    imp.add_argument("kind", choices=("accounts", "contacts", "executives", "roles", "json", "calendar", "mail"))
    imp.add_argument("file")
    imp.add_argument(
        "--dry-run", action="store_true", help="show the mapping and what each row would do; write nothing"
    )
    imp.add_argument("--full", action="store_true",
                     help="contacts: the file is the CRM's whole list for the accounts it names; a stored person "
                          "with a CRM id it lacks raises a missing_from_crm signal")  # fmt: skip
    imp.add_argument("--skip-invalid", action="store_true",
                     help="write the good rows; put the bad ones, with a reason column, in FILE.rejected.csv "
                          "(or --rejected)")  # fmt: skip
    imp.add_argument("--rejected", default=None, metavar="FILE",
                     help="with --skip-invalid: where the rejected rows go (else FILE.rejected.csv beside the input)")  # fmt: skip
    imp.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD", help="override a column")
    imp.add_argument("--date-format", default=None, help="strptime format for ambiguous dates, e.g. %%d/%%m/%%Y")
    imp.add_argument("--accounts-file", default=None, help="accounts CSV resolving AccountId when the store lacks them")
    imp.add_argument("--currency", default=None, metavar="CODE", help="currency of amounts without one (accounts)")
    imp.add_argument("--crm", choices=("salesforce", "hubspot", "dynamics365", "csv"), default=None,
                     help="the CRM the file came from (else told from its columns)")  # fmt: skip
    imp.add_argument("--same", action="append", default=[], metavar="LINE[,LINE]",
                     help="a possible duplicate on this line is the stored person (update it)")  # fmt: skip
    imp.add_argument("--new", action="append", default=[], metavar="LINE[,LINE]",
                     help="a possible duplicate on this line is a new person (add it)")  # fmt: skip


def _team(tp: argparse.ArgumentParser) -> None:
    actions = tp.add_subparsers(dest="action", parser_class=_Parser, metavar="ACTION")

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        p = actions.add_parser(name, help=help_text)
        _common(p, suppress=True)
        return p

    roles = ("csm", "manager", "program_owner", "admin")
    action("list", "the team: login, name and role of each person")
    add = action("add", "create the login on the server (or take an existing one), give it a role, name the person")
    add.add_argument("login")
    add.add_argument("--role", required=True, choices=roles)
    add.add_argument("--name", default=None, help="the person's name, as an account's CSM field holds it")
    role = action("role", "change a person's role")
    role.add_argument("login")
    role.add_argument("role", choices=roles)
    action("remove", "take a person off the team (the login stays the server's)").add_argument("login")


def _people(cmd: Command) -> None:
    """People across accounts and influence lines (CLI.md revision 3)."""
    cmd("person", "every account where a person is or was a contact (by email or name)").add_argument(
        "who", metavar="EMAIL_OR_NAME"
    )
    for name, help_text in (
        ("link", "say that two contacts of different accounts are the same person"),
        ("unlink", "take back a link made with `link`"),
    ):
        p = cmd(name, help_text)
        for arg in ("account", "contact", "account2", "contact2"):
            p.add_argument(arg)
    cmd("exposure", "people engaged as champion or economic buyer at two or more accounts, most ARR at stake first")
    inf = cmd("influence", "an influence line between two contacts of an account: ACCOUNT FROM TO --sign S, "
                           "or remove ACCOUNT FROM TO")  # fmt: skip
    inf.add_argument("words", nargs="+", metavar="[remove] ACCOUNT FROM TO")
    inf.add_argument("--sign", default=None, help="positive (for us), negative (against us) or neutral; or + - 0")
    inf.add_argument("--note", default="", help="a short note shown beside the line")


def _sponsors(sp: argparse.ArgumentParser) -> None:
    actions = sp.add_subparsers(dest="action", parser_class=_Parser, metavar="ACTION")

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        p = actions.add_parser(name, help=help_text)
        _common(p, suppress=True)
        return p

    action("candidates", "accounts ranked by program score, with the cut line")
    suggest = action("suggest", "the optimal assignment of open program accounts to executives with room")
    apply = suggest.add_mutually_exclusive_group()
    apply.add_argument("--apply", action="store_true", help="put the suggested pairs in the owner's review queue")
    apply.add_argument("--approve", action="store_true", help="the owner approves the suggested pairs now")
    for name, help_text in (
        ("assign", "make one of our executives an account's sponsor now (no review)"),
        ("unassign", "end one of our executives' sponsorship of an account"),
    ):
        p = action(name, help_text)
        p.add_argument("executive")
        p.add_argument("account")
    nominate = action(
        "nominate", "propose an account for the program (optionally with an executive); nothing is assigned"
    )
    nominate.add_argument("account")
    nominate.add_argument("executive", nargs="?")
    nominate.add_argument("--reason", required=True, help="why this account should have one of our executives")
    action("review", "the owner's queue: nominations and suggestions waiting for a decision")
    approve = action("approve", "approve a queue entry: the assignment is made (the three-account limit applies)")
    approve.add_argument("id", type=int)
    approve.add_argument("executive", nargs="?", help="for a nomination that names none")
    decline = action("decline", "decline a queue entry, saying why")
    decline.add_argument("id", type=int)
    decline.add_argument("--reason", required=True)
    report = action("report", "the program measured: per executive and program-wide, overdue duties first")
    report.add_argument("--export", choices=("md", "csv"), default=None,
                        help="as Markdown or CSV, for the owner's review meeting (to stdout, or --output)")  # fmt: skip
    report.add_argument("--output", "-o", default=None, help="write to a file instead of stdout (- is stdout)")


def parse_today(value: str | None) -> date:
    if value:
        return days.parse_day(value, "--today")
    raw = os.environ.get("STAKEWORKS_TODAY")
    return days.parse_day(raw, "$STAKEWORKS_TODAY") if raw else date.today()


def parse_day(value: str, what: str, today: date | None = None) -> date:
    """A date the user typed, between 1900 and 2999 (domain/days.py), else exit 2 naming `what`;
    with `today`, the date words too (`today`, `+N`, `-N`), as in every date field of the app."""
    return days.parse_day(value, what, today)


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("stakeworks", appauthor=False)) / "stakeworks.db"


def load_config(args: argparse.Namespace) -> ConfigFile:
    """The config file named by --config, else $STAKEWORKS_CONFIG, else the default one (read once)."""
    cfg = getattr(args, "_config_file", None)
    if cfg is None:
        from stakeworks.interchange.config import load

        cfg = load(getattr(args, "config", None))
        args._config_file = cfg
    return cfg


def db_path(args: argparse.Namespace) -> Path:
    """--db, else $STAKEWORKS_DB, else the config file's db, else the user data directory's:
    a file's path, or a team store's postgresql:// URL (kept as typed, in a Path's clothes:
    `is_server` tells them apart, `Store` opens either)."""
    raw = getattr(args, "db", None) or os.environ.get("STAKEWORKS_DB")
    if not raw:
        raw = load_config(args).values.get("db")
    if raw and is_server(str(raw)):
        return ServerUrl(str(raw))  # type: ignore[return-value]  # a URL rides where a Path goes (see above)
    return Path(raw).expanduser() if raw else default_db_path()


def is_server(location: object) -> bool:
    return str(location).startswith(("postgresql://", "postgres://"))


class ServerUrl(str):
    """A team store's URL where the commands expect a store's location."""

    @property
    def name(self) -> str:
        return str(self)


def user_name(args: argparse.Namespace) -> str:
    """Who is making the change: --user, else $STAKEWORKS_USER, else the config file's user,
    else the login name (CLI.md "Team store"); on a team store, the person the server names."""
    from stakeworks.db import actor
    from stakeworks.interchange.config import resolve

    if actor.named_by_server():
        return actor.default().user
    return str(resolve(load_config(args), {"user": getattr(args, "user", None)})["user"].value)
