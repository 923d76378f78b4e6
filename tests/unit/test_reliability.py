"""Hostile input, damaged files, migrations, crashes and two writers lose nothing.

Every case here is listed in docs/reliability.md with what the user sees.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest

from stakeworks.db import importing
from stakeworks.db.actor import Actor
from stakeworks.db.schema import LATEST_VERSION
from stakeworks.db.store import Store
from stakeworks.domain.errors import InputError, StaleEdit, StoreError
from stakeworks.domain.models import Contact
from stakeworks.interchange import importer
from tests.conftest import FIXTURES as FIX
from tests.conftest import ROOT, file_digest, stored


def _accounts(cli) -> None:
    assert cli("import", "accounts", str(FIX / "accounts.csv")).code == 0


def _refused(cli, tmp_path: Path, content: bytes | str, *needles: str, kind: str = "contacts") -> str:
    f = tmp_path / "hostile.csv"
    f.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = file_digest(cli.db)
    r = cli("import", kind, str(f))
    assert r.code == 2, r.out
    assert "Traceback" not in r.err
    for n in needles:
        assert n in r.err, r.err
    assert file_digest(cli.db) == before
    return r.err


# -- hostile CSV input ----------------------------------------------------------------


def test_semicolon_delimiter_and_latin1_with_warning(cli, tmp_path: Path):
    _accounts(cli)
    f = tmp_path / "excel.csv"
    f.write_bytes("account;name;title\r\nNorthwind;José Núñez;Directeur Général\r\n".encode("cp1252"))
    r = cli("import", "contacts", str(f))
    assert r.code == 0, r.err
    assert "not UTF-8" in r.err and "cp1252" in r.err
    (name, level) = stored(cli.db, "SELECT name, level FROM contacts")[0]
    assert name == "José Núñez" and level == "c_level"


def test_duplicate_emails_in_one_file(cli, tmp_path: Path):
    _accounts(cli)
    _refused(cli, tmp_path, "account,name,email\nNorthwind,A,x@y.example\nNorthwind,B,X@y.example\n",
             "line 3, column email: the same person as line 2 (same email at the same account)")  # fmt: skip


def test_reports_to_cycle_in_file(cli, tmp_path: Path):
    _accounts(cli)
    _refused(cli, tmp_path, "account,name,email,reports_to\nNorthwind,A,a@n.example,b@n.example\nNorthwind,B,b@n.example,a@n.example\n",
             "column reports_to", "cycle")  # fmt: skip


def test_unknown_account(cli, tmp_path: Path):
    _accounts(cli)
    _refused(cli, tmp_path, "account,name\nNowhere Inc,A\n", "line 2, column account: no account named 'Nowhere Inc'")


def test_one_megabyte_field(cli, tmp_path: Path):
    _accounts(cli)
    _refused(cli, tmp_path, "account,name,notes\nNorthwind,A," + "x" * 1_048_576 + "\n",
             "line 2, column notes: value is 1,048,576 characters; at most 100,000")  # fmt: skip


def test_binary_file_and_empty_file(cli, tmp_path: Path):
    _accounts(cli)
    _refused(cli, tmp_path, b"\x00\x01\x02PNG", "binary")
    _refused(cli, tmp_path, b"", "empty")


def test_quoted_multiline_fields_and_blank_lines(cli, tmp_path: Path):
    _accounts(cli)
    f = tmp_path / "ml.csv"
    f.write_text('account,name,notes\n\nNorthwind,Multi Line,"first line\nsecond line"\n\n')
    assert cli("import", "contacts", str(f)).code == 0
    assert stored(cli.db, "SELECT notes FROM contacts")[0][0] == "first line\nsecond line"


def test_strange_names_round_trip(cli, tmp_path: Path):
    _accounts(cli)
    names = ["[bold]Eve[/", "Zoë 😀 Smith", "مريم الحسن", "王小明", "[link=x]Hack[/link]"]
    f = tmp_path / "names.csv"
    f.write_text("account,name\n" + "".join(f"Northwind,{n}\n" for n in names), encoding="utf-8")
    assert cli("import", "contacts", str(f)).code == 0
    r = cli("assess", "Northwind", "--json")
    assert r.code == 0 and all(n in r.out for n in names)


def test_hundred_thousand_rows_import(cli, tmp_path: Path):
    _accounts(cli)
    f = tmp_path / "big.csv"
    with f.open("w") as fh:
        fh.write("account,name,email,title,strength\n")
        for i in range(100_000):
            fh.write(f"Northwind,Person {i},p{i}@n.example,Engineer,{1 + i % 5}\n")
    r = cli("import", "contacts", str(f), "--json")
    assert r.code == 0, r.err
    assert stored(cli.db, "SELECT count(*) FROM contacts")[0][0] == 100_000


# -- damaged and unusual databases ----------------------------------------------------------


def test_truncated_database_exit_3(cli, sample_copy: Path):
    data = sample_copy.read_bytes()
    sample_copy.write_bytes(data[: len(data) // 3])
    r = cli("risk", db_path=sample_copy)
    assert r.code == 3 and r.err.count("\n") == 1 and "damaged" in r.err


def test_read_only_database_refuses_writes_cleanly(sample_copy: Path):
    store = Store(sample_copy)
    store.conn.execute("PRAGMA query_only = ON")  # as root, chmod cannot make a file read-only
    nid = next(i for i, n in store.account_names() if n == "Northwind")
    before = store.contacts(nid)
    with pytest.raises(StoreError, match="read-only"):
        store.save_contact(before[0].model_copy(update={"strength": 1}))
    assert store.contacts(nid) == before
    store.close()


def test_full_disk_leaves_nothing_half_written(tmp_path: Path):
    store = Store(tmp_path / "full.db")
    store.conn.execute("INSERT INTO accounts (name) VALUES ('Northwind')")
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 3}")  # SQLite's own size cap: a full disk
    big = tmp_path / "big.csv"
    big.write_text("account,name,notes\n" + "".join(f"Northwind,P{i},{'n' * 500}\n" for i in range(2000)))
    plan = importer.open_contacts(big, {"northwind": 1})
    with pytest.raises(StoreError, match="full"):
        importing.apply_contacts(store, plan)
    assert store.conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 0
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()


def test_database_path_is_directory_exit_3(cli, tmp_path: Path):
    r = cli("risk", db_path=tmp_path)
    assert r.code == 3 and "directory" in r.err


# -- migrations and backup -------------------------------------------------------------------


@pytest.mark.parametrize("version", [1, 2, 3, 4, 5, 6, 7])
def test_old_schema_fixture_upgrades_with_data_and_backup(tmp_path: Path, version: int):
    path = tmp_path / f"v{version}.db"
    shutil.copyfile(FIX / "db" / f"schema_v{version}.db", path)
    with Store(path) as s:
        assert stored(path, "PRAGMA user_version")[0][0] == LATEST_VERSION
        (legacy,) = s.accounts()
        assert legacy.name == "Legacy Co" and legacy.renewal_date == date(2026, 6, 30)
        people = {c.name: c for c in s.contacts(legacy.id)}
        assert people["Old Timer"].roles == {"champion"} and people["Old Timer"].last_touch == date(2026, 3, 1)
        assert people["Report"].reports_to_id == people["Old Timer"].id
        assert len(s.assignments()) == 1
        assert s.account_version(legacy.id) == 0  # v7: accounts carry a version
        if version >= 2:
            assert s.score_history(legacy.id) == [(date(2026, 3, 1), 42, "high")]
        assert stored(path, "PRAGMA integrity_check")[0][0] == "ok"
    backup = tmp_path / f"v{version}.db.v{version}.bak"
    assert backup.exists()
    assert sqlite3.connect(backup).execute("PRAGMA user_version").fetchone()[0] == version


def test_backup_command(cli, sample_copy: Path, tmp_path: Path):
    target = tmp_path / "copy.db"
    r = cli("backup", str(target), db_path=sample_copy)
    assert r.code == 0, r.err
    with Store(target) as s:
        assert len(s.account_names()) == 40
    assert cli("backup", str(target), db_path=sample_copy).code == 2  # never overwrites


# -- crash safety: SIGKILL at the points the code reports ----------------------------------------

IMPORT_ROWS = 30_000  # six batches of the streamed import, then the commit

IMPORTER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from stakeworks.db import importing
    from stakeworks.db.store import Store
    from stakeworks.interchange import importer
    store = Store(sys.argv[1])
    if len(sys.argv) > 3:  # a page cache smaller than the import: its pages reach the WAL before the commit
        importing._IMPORT_CACHE = int(sys.argv[3])
    plan = importer.open_contacts(Path(sys.argv[2]), {n.casefold(): i for i, n in store.account_names()})

    def written(done, total):  # the importer's progress report: every batch, then once after the commit
        # (a batch reported is handed to the writer thread, which goes on writing it while this holds)
        print(f"written {done}/{total} in_transaction={store.conn.in_transaction}", flush=True)
        sys.stdin.readline()  # held here until the test says go on (or kills the process)

    importing.apply_contacts(store, plan, progress=written)
    """
)


class _Import:
    """The contacts importer in a child process that stops at each progress report."""

    def __init__(self, tmp_path: Path, name: str, *cache_pages: str) -> None:
        base = tmp_path / "base.db"
        big = tmp_path / "big.csv"
        script = tmp_path / "importer.py"
        if not base.exists():
            with Store(base) as s:
                s.conn.execute("INSERT INTO accounts (name) VALUES ('Northwind')")
            big.write_text(
                "account,name,email\n" + "".join(f"Northwind,P{i},p{i}@n.example\n" for i in range(IMPORT_ROWS))
            )
            script.write_text(IMPORTER)
        self.db = tmp_path / f"{name}.db"
        shutil.copyfile(base, self.db)
        self.proc = subprocess.Popen(
            [sys.executable, str(script), str(self.db), str(big), *cache_pages],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip

    def report(self) -> str:
        """Wait for the next progress report (the child is then held right after it)."""
        line = self.proc.stdout.readline()  # type: ignore[union-attr]
        assert line.startswith("written "), line
        return line.split()[-1]

    def go_on(self) -> None:
        self.proc.stdin.write("\n")  # type: ignore[union-attr]
        self.proc.stdin.flush()  # type: ignore[union-attr]

    def wal_written(self, seconds: float = 20.0) -> None:
        """Wait until the import's writer thread has put pages in the WAL (the main thread is held)."""
        wal = self.db.with_name(self.db.name + "-wal")
        deadline = time.monotonic() + seconds
        while not (wal.exists() and wal.stat().st_size > 0) and time.monotonic() < deadline:
            time.sleep(0.01)

    def kill(self) -> tuple[int, int]:
        """SIGKILL; then (contacts in the file, bytes in its WAL), after `integrity_check`."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc.stdin.close()  # type: ignore[union-attr]
        self.proc.stdout.close()  # type: ignore[union-attr]
        wal = self.db.with_name(self.db.name + "-wal")
        wal_bytes = wal.stat().st_size if wal.exists() else 0
        conn = sqlite3.connect(self.db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
        conn.close()
        return count, wal_bytes


@pytest.mark.slow
def test_sigkill_after_each_written_batch_leaves_nothing(tmp_path: Path):
    """Killed at each batch the importer reports, once its writer thread has put pages in the WAL
    (uncommitted): nothing imported. Killed right after the report that follows the commit: all."""
    reports: list[tuple[bool, int, int]] = []
    while True:
        run = _Import(tmp_path, f"batch{len(reports)}", "100")
        for _ in range(len(reports)):
            run.report()
            run.go_on()
        in_transaction = run.report() == "in_transaction=True"
        if in_transaction:
            run.wal_written()
        count, wal_bytes = run.kill()
        reports.append((in_transaction, count, wal_bytes))
        if not in_transaction:
            break
    assert len(reports) >= 3 and all(r[0] for r in reports[:-1])  # batches, then the one after the commit
    for _, count, wal_bytes in reports[:-1]:
        assert count == 0
        assert wal_bytes > 0  # the kill hit written, uncommitted pages
    assert reports[-1][1] == IMPORT_ROWS


@pytest.mark.slow
def test_sigkill_during_import_is_all_or_nothing(tmp_path: Path):
    """The commit of a 30,000-row import (its pages held in the cache until then) is timed once
    from the last batch's report to the report after it; then the process is killed at offsets
    from that same report spread over the commit and beyond: every file is whole, 0 or 30,000."""
    run = _Import(tmp_path, "timed")
    batches = 0
    while run.report() == "in_transaction=True":
        batches += 1
        started = time.perf_counter()
        run.go_on()
    commit = time.perf_counter() - started
    assert run.kill()[0] == IMPORT_ROWS
    outcomes = []
    for step in range(11):
        run = _Import(tmp_path, f"cut{step}")
        for _ in range(batches - 1):
            run.report()
            run.go_on()
        assert run.report() == "in_transaction=True"  # the last batch: the commit comes next
        run.go_on()
        time.sleep(commit * step / 8)
        outcomes.append(run.kill())
    assert all(count in (0, IMPORT_ROWS) for count, _ in outcomes)
    torn = sum(1 for count, wal_bytes in outcomes if count == 0 and wal_bytes > 0)
    # How many kills land inside the WAL write depends on the machine; each one left the file whole.
    print(f"commit {commit * 1000:.1f} ms; outcomes {[c for c, _ in outcomes]}; killed mid-write: {torn}")


MAIL_MESSAGES = 6_000  # three chunks of the mail import written on its writer thread, then the commit

MAIL_IMPORTER = textwrap.dedent(
    """
    import sys
    from datetime import date
    from pathlib import Path
    from stakeworks.db.store import Store
    from stakeworks.services import living_map
    store = Store(sys.argv[1])

    def read(n):  # the import's progress report (every 1,000 messages): held until the test says go on
        print(f"read {n}", flush=True)
        sys.stdin.readline()

    living_map.import_mail(store, Path(sys.argv[2]), date(2026, 12, 1), progress=read)
    print("done", flush=True)
    """
)


def _mailbox(path: Path, addresses: list[str]) -> None:
    """Headers as a mail program writes them: each message to one known contact and one stranger."""
    with path.open("w") as fh:
        for i in range(MAIL_MESSAGES):
            day = 1 + i % 28
            fh.write(f"From me@ourco.example Mon Nov {day:2d} 10:00:00 2026\n"
                     f"From: Me <me@ourco.example>\nTo: {addresses[i % len(addresses)]}, p{i % 700}@stranger.example\n"
                     f"Date: Mon, {day} Nov 2026 10:00:00 +0000\nMessage-ID: <m{i}@ourco.example>\n"
                     f"Subject: Check-in {i}\n\nNot stored.\n\n")  # fmt: skip


def _mail_rows(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = conn.execute("SELECT (SELECT count(*) FROM touches), (SELECT count(*) FROM interactions)").fetchone()
    conn.close()
    return rows


@pytest.mark.slow
def test_sigkill_during_mail_import_leaves_the_store_as_it_was(sample_copy: Path, tmp_path: Path):
    """Killed while its writer thread holds written, uncommitted chunks (held at the 5,000th message's
    report): the store has the touches and interactions it had. Let run, the same import adds them."""
    with Store(sample_copy) as s:
        addresses = [r[0] for r in s.conn.execute("SELECT email FROM contacts WHERE email <> '' LIMIT 50")]
    mbox, script = tmp_path / "inbox.mbox", tmp_path / "mail_importer.py"
    _mailbox(mbox, addresses)
    script.write_text(MAIL_IMPORTER)
    before = _mail_rows(sample_copy)
    outcomes = []
    for name, kill in (("killed", True), ("whole", False)):
        db = tmp_path / f"{name}.db"
        shutil.copyfile(sample_copy, db)
        proc = subprocess.Popen([sys.executable, str(script), str(db), str(mbox)], cwd=ROOT,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
        assert proc.stdin is not None and proc.stdout is not None
        for _ in range(4 if kill else MAIL_MESSAGES // 1000):
            assert proc.stdout.readline().startswith("read ")
            proc.stdin.write("\n")
            proc.stdin.flush()
        if kill:
            assert proc.stdout.readline() == "read 5000\n"  # chunks of 2,000 handed to the writer by now
            proc.send_signal(signal.SIGKILL)
        else:
            assert proc.stdout.readline() == "done\n"
        proc.wait()
        proc.stdin.close()
        proc.stdout.close()
        outcomes.append(_mail_rows(db))
    assert outcomes[0] == before
    assert outcomes[1][0] > before[0] and outcomes[1][1] > before[1]  # the import writes: the kill undid it


EDITOR = textwrap.dedent(
    """
    import sys
    from datetime import date
    from stakeworks.db.store import Store
    from stakeworks.domain.models import Touch
    store = Store(sys.argv[1])
    contact_id = int(sys.argv[2])
    for i in range(100000):
        tid = store.add_touch(Touch(contact_id=contact_id, date=date(2026, 1, 1), kind="call", note=f"edit {i}"))
        print(tid, flush=True)  # reported as saved only after the commit returned
    """
)


@pytest.mark.slow
def test_sigkill_during_edit_burst_loses_no_saved_edit(tmp_path: Path):
    """Killed right after the k-th edit is reported saved, while the burst goes on (so the kill
    lands anywhere in a later write): every edit reported saved is in the file."""
    base = tmp_path / "base.db"
    with Store(base) as s:
        s.conn.execute("INSERT INTO accounts (name) VALUES ('Northwind')")
        cid = s.save_contact(Contact(account_id=1, name="Burst")).id
    script = tmp_path / "editor.py"
    script.write_text(EDITOR)
    for k in (1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610):
        db = tmp_path / f"edit{k}.db"
        shutil.copyfile(base, db)
        proc = subprocess.Popen(
            [sys.executable, str(script), str(db), str(cid)], cwd=ROOT, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        saved = {int(proc.stdout.readline()) for _ in range(k)}  # type: ignore[union-attr]
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        saved |= {int(line) for line in out.decode().split()}
        assert len(saved) >= k
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        present = {r[0] for r in conn.execute("SELECT id FROM touches")}
        conn.close()
        assert saved <= present


# -- two writers ------------------------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys
    from datetime import date
    from stakeworks.db.store import Store
    from stakeworks.domain.models import Touch
    store = Store(sys.argv[1])
    for i in range(int(sys.argv[3])):
        store.add_touch(Touch(contact_id=int(sys.argv[2]), date=date(2026, 1, 1), kind="email", note=sys.argv[4]))
    """
)


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path):
    db = tmp_path / "shared.db"
    with Store(db) as s:
        s.conn.execute("INSERT INTO accounts (name) VALUES ('Northwind')")
        cid = s.save_contact(Contact(account_id=1, name="Shared")).id
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(db), str(cid), "300", tag], cwd=ROOT, env=env, stderr=subprocess.PIPE
        )  # fmt: skip
        for tag in ("A", "B")
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    counts = dict(stored(db, "SELECT note, count(*) FROM touches GROUP BY note"))
    assert counts == {"A": 300, "B": 300}


def test_stale_edit_across_connections_is_detected(sample_copy: Path):
    first, second = Store(sample_copy), Store(sample_copy)
    nid = next(i for i, n in first.account_names() if n == "Northwind")
    mine = next(c for c in first.contacts(nid) if c.name == "Sarah Kim")
    theirs = next(c for c in second.contacts(nid) if c.name == "Sarah Kim")
    second.repos.tx.actor = Actor("Ana Ruiz")
    second.save_contact(theirs.model_copy(update={"strength": 5}))
    # The refusal names who changed what (from the history), not only that someone did.
    with pytest.raises(StaleEdit, match=r"changed elsewhere \(by Ana Ruiz at \d{4}-\d\d-\d\d \d\d:\d\d: strength\)"):
        first.save_contact(mine.model_copy(update={"strength": 1}))
    assert next(c for c in first.contacts(nid) if c.name == "Sarah Kim").strength == 5
    first.close()
    second.close()


def test_cli_touch_while_another_holds_a_write_lock_waits(sample_copy: Path, cli):
    Store(sample_copy).close()  # the store has been opened before (WAL)
    holder = sqlite3.connect(sample_copy, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = __import__("threading").Timer(1.0, lambda: holder.execute("COMMIT"))
    release.start()
    r = cli("touch", "Northwind", "Tom Chen", "--kind", "call", "--date", "2026-11-01", db_path=sample_copy)
    release.join()
    holder.close()
    assert r.code == 0, r.err


QUIT_AT_ONCE = """
import sys
from datetime import date
from pathlib import Path
from stakeworks.cli.launch import make_app

from tests.conftest import BOTH_BACKENDS

pytestmark = BOTH_BACKENDS
app = make_app(Path(sys.argv[1]), date(2026, 11, 1))
async def quit_now(pilot):
    pilot.app.exit()
app.run(headless=True, size=(100, 30), auto_pilot=quit_now)
"""


@pytest.mark.slow
def test_quitting_while_the_portfolio_loads_does_not_crash(sample_copy: Path):
    """Closing the store while a worker thread reads used to kill the process (SIGSEGV)."""
    for _ in range(4):
        done = subprocess.run([sys.executable, "-c", QUIT_AT_ONCE, str(sample_copy)], cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, timeout=60)  # fmt: skip
        assert done.returncode == 0, done.stderr.decode()[-2000:]


def test_streamed_import_rolls_back_rows_already_written(tmp_path: Path):
    """A bad row after several written batches: the whole file is refused, naming the line."""
    store = Store(tmp_path / "s.db")
    with store.transaction() as c:
        c.execute("INSERT INTO accounts (name) VALUES ('Northwind')")
    big = tmp_path / "big.csv"
    rows = [f"Northwind,P{i},2026-03-0{1 + i % 9},call\n" for i in range(12_000)]
    rows.append("Northwind,Last One,31/02/2026,call\n")  # line 12,002: no such day
    big.write_text("account,name,last_touch,last_touch_kind\n" + "".join(rows))
    file = importer.open_contacts(big, {"northwind": 1})
    assert file.records == 12_001
    with pytest.raises(InputError) as caught:
        importing.apply_contacts(store, file)
    assert caught.value.problems == [
        "line 12002, column last_touch: '31/02/2026' is not a real date (day is out of range for month)"
    ]
    assert store.conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM touches").fetchone()[0] == 0
    big.write_text("account,name,last_touch,last_touch_kind\n" + "".join(rows[:-1]))
    report = importing.apply_contacts(store, importer.open_contacts(big, {"northwind": 1}))
    assert (report.added, report.touches) == (12_000, 12_000)
    # last_touch was written with each new contact; the touch log agrees with it.
    assert (
        store.conn.execute(
            "SELECT count(*) FROM contacts c WHERE last_touch IS NOT "
            "(SELECT max(date) FROM touches t WHERE t.contact_id = c.id) OR last_touch_kind IS NOT 'call'"
        ).fetchone()[0]
        == 0
    )
    store.close()


def test_a_file_changed_after_its_check_is_refused_not_half_read(tmp_path: Path):
    """The import screen checks a file, then writes it on ctrl+s: an edit in between is caught."""
    store = Store(tmp_path / "s.db")
    with store.transaction() as c:
        c.execute("INSERT INTO accounts (name) VALUES ('Northwind')")
    f = tmp_path / "c.csv"
    f.write_text("account,name,title\nNorthwind,Ann One,CTO\n")
    checked = importer.open_contacts(f, {"northwind": 1})
    assert checked.preview()[1] == 1
    f.write_text("account,title,name\nNorthwind,CTO,Ann One\nNorthwind,CFO,Bo Two\n")  # columns moved
    with pytest.raises(InputError, match="changed since it was read"):
        importing.apply_contacts(store, checked)
    assert store.conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 0
    store.close()
