"""Output targets that are not regular files (issue 35): a pipe, `-`, /dev/stdout, a FIFO with a
reader, a socket, /dev/full, /dev/null, a terminal. Each is written straight through, never
renamed over, truncated or deleted; a full device is one line and exit 2; a reader that quits
early (`| head`) is a quiet exit 0.

The command line runs as a subprocess, as root and as an unprivileged user (nobody, through
setpriv; a run that is not root is already unprivileged): root is the case where a rename over
/dev/full used to succeed and replace the device.
"""

from __future__ import annotations

import json
import os
import pty
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from stakeworks.domain.errors import InputError
from stakeworks.interchange import files
from tests.conftest import SAMPLE

NOBODY = 65534
USERS = ["self", "nobody"]


def _as_root() -> bool:
    return os.geteuid() == 0


@pytest.fixture
def place() -> Iterator[Path]:
    """A folder every user may use (pytest's tmp_path is root's alone), holding a store."""
    folder = Path(tempfile.mkdtemp(prefix="stakeworks-outputs-"))
    folder.chmod(0o777)
    shutil.copyfile(SAMPLE, folder / "store.db")
    if _as_root():
        os.chown(folder / "store.db", NOBODY, NOBODY)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _command(user: str, place: Path, *args: str) -> list[str]:
    cmd = [sys.executable, "-m", "stakeworks", "--db", str(place / "store.db"), "--today", "2026-11-01", *args]
    if user == "nobody" and _as_root():
        return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *cmd]
    return cmd


def _env(place: Path) -> dict[str, str]:
    """No config file of anyone's: the folder stands in for home."""
    return {**os.environ, "HOME": str(place), "XDG_CONFIG_HOME": str(place / "config")}


def _run(user: str, place: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    cmd = _command(user, place, *args)
    return subprocess.run(cmd, capture_output=True, timeout=120, cwd=place, env=_env(place), check=False)


def _identity(path: str | Path) -> tuple[int, int, int, int]:
    """What a device or FIFO is: replaced by a file, every one of these changes."""
    st = os.lstat(path)
    return st.st_ino, stat.S_IFMT(st.st_mode), st.st_rdev, st.st_dev


def _no_leftovers(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("target", ["-", "/dev/stdout", "/dev/fd/1"])
def test_an_export_into_a_pipe_is_the_export_alone(place: Path, user: str, target: str):
    before = _identity("/dev/stdout")
    r = _run(user, place, "export", "json", target)
    assert r.returncode == 0 and r.stderr == b""
    data = json.loads(r.stdout)  # no "Wrote ..." line mixed in
    assert data["format"] == "stakeworks-export" and data["tables"]["accounts"]
    assert _identity("/dev/stdout") == before and _no_leftovers(place)


@pytest.mark.parametrize("user", USERS)
def test_a_reader_quitting_early_is_a_quiet_exit(place: Path, user: str):
    """`stakeworks export json /dev/stdout | head -c 10`: the export (~450 KB) outgrows the pipe,
    the reader leaves after 10 bytes; the writer ends with exit 0 and nothing on stderr."""
    proc = subprocess.Popen(
        _command(user, place, "export", "json", "/dev/stdout"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(place),
    )  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(10) == b'{\n "format'
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 0
    assert err == b""


@pytest.mark.parametrize("user", USERS)
def test_a_fifo_with_a_reader_gets_the_export_and_stays_a_fifo(place: Path, user: str):
    fifo = place / "contacts.pipe"
    os.mkfifo(fifo)
    fifo.chmod(0o666)  # mkfifo's mode passes through the umask
    before = _identity(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    r = _run(user, place, "export", "contacts", str(fifo))
    reader.join(timeout=120)
    assert r.returncode == 0, r.stderr
    assert received[0].startswith(b"account,name,title,email") and b"Tom Chen" in received[0]
    assert _identity(fifo) == before and _no_leftovers(place)


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize(
    "args",
    [
        ("export", "json", "/dev/full"),
        ("export", "contacts", "/dev/full"),
        ("map", "Northwind", "-o", "/dev/full"),
        ("backup", "/dev/full"),
    ],  # fmt: skip
    ids=["json", "contacts", "map", "backup"],
)
def test_a_full_device_is_one_line_exit_2_and_stays_a_device(place: Path, user: str, args: tuple[str, ...]):
    before = _identity("/dev/full")
    r = _run(user, place, *args)
    assert r.returncode == 2
    assert r.stderr.decode() == (
        "stakeworks: cannot write /dev/full: no space left on it (the device or disk is full); "
        "the output is incomplete\n"
    )
    assert r.stdout == b""
    assert _identity("/dev/full") == before and stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert not [p for p in Path("/dev").iterdir() if p.name.startswith(".full.")]


@pytest.mark.parametrize("user", USERS)
def test_dev_null_takes_every_output_and_stays_a_device(place: Path, user: str):
    before = _identity("/dev/null")
    for args in (("export", "json", "/dev/null"), ("export", "accounts", "/dev/null"), ("backup", "/dev/null"),
                 ("map", "Northwind", "--format", "svg", "-o", "/dev/null")):  # fmt: skip
        r = _run(user, place, *args)
        assert r.returncode == 0, (args, r.stderr)
    assert _identity("/dev/null") == before and stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("user", USERS)
def test_a_terminal_shows_the_map(place: Path, user: str):
    main, child = pty.openpty()
    terminal = os.ttyname(child)
    if _as_root():
        os.chown(terminal, NOBODY, NOBODY)
    before = _identity(terminal)
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                data = os.read(main, 65536)
            except OSError:  # the terminal closed
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        r = _run(user, place, "map", "Northwind", "-o", terminal)
        assert r.returncode == 0, r.stderr
        assert _identity(terminal) == before and stat.S_ISCHR(os.stat(terminal).st_mode)
    finally:
        os.close(child)
        reader.join(timeout=30)
        os.close(main)
    shown = b"".join(chunks)
    assert b"Northwind" in shown and b"Tom Chen" in shown


def test_a_socket_gets_the_export_and_stays_a_socket(place: Path):
    path = place / "export.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)
    received: list[bytes] = []

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            parts = []
            while data := conn.recv(65536):
                parts.append(data)
            received.append(b"".join(parts))

    thread = threading.Thread(target=serve)
    thread.start()
    try:
        before = _identity(path)
        r = _run("self", place, "export", "json", str(path))
        thread.join(timeout=120)
    finally:
        server.close()
    assert r.returncode == 0, r.stderr
    assert json.loads(received[0])["format"] == "stakeworks-export"
    assert _identity(path) == before and stat.S_ISSOCK(os.lstat(path).st_mode)


def test_a_backup_into_a_pipe_is_a_whole_store(place: Path):
    r = _run("self", place, "backup", "-")
    assert r.returncode == 0 and r.stderr == b""
    copy = place / "piped.db"
    copy.write_bytes(r.stdout)
    assert r.stdout.startswith(b"SQLite format 3\x00")
    from tests.conftest import stored

    assert stored(copy, "SELECT count(*) FROM accounts") == stored(place / "store.db", "SELECT count(*) FROM accounts")


# -- the writer itself, in the process -------------------------------------------------------------


@pytest.mark.parametrize(
    "write",
    [lambda t: files.write_text(t, "x" * 100_000), lambda t: files.write_bytes(t, b"x" * 100_000, exclusive=True)],
    ids=["write_text", "write_bytes exclusive"],
)
def test_the_writer_never_replaces_a_device(write: Callable[[Path], None], tmp_path: Path):
    link = tmp_path / "full.json"  # a link to a device: the device is the target
    link.symlink_to("/dev/full")
    before = _identity("/dev/full")
    for target in (Path("/dev/full"), link):
        with pytest.raises(InputError, match="no space left on it"):
            write(target)
    assert _identity("/dev/full") == before and link.is_symlink() and _no_leftovers(tmp_path)


def test_which_targets_are_streams(tmp_path: Path):
    (tmp_path / "file.json").write_text("{}")
    os.mkfifo(tmp_path / "fifo")
    assert files.is_stream("-") and files.is_stream("/dev/stdout") and files.is_stream("/dev/null")
    assert files.is_stream(tmp_path / "fifo")
    assert not files.is_stream(tmp_path / "file.json") and not files.is_stream(tmp_path / "new.json")
    assert files.goes_to_stdout("-") and files.goes_to_stdout("/dev/stdout") and files.goes_to_stdout("/dev/fd/1")
    assert not files.goes_to_stdout("/dev/stderr") and not files.goes_to_stdout(tmp_path / "file.json")


def test_the_config_file_linked_to_a_device_stays_a_link_to_it(tmp_path: Path):
    """`config set` with the config file pointing at /dev/null: written through, never replaced."""
    from stakeworks.interchange import config

    link = tmp_path / "config.toml"
    link.symlink_to("/dev/null")
    before = _identity("/dev/null")
    config.remember(link, "theme", "nord")
    assert link.is_symlink() and os.readlink(link) == "/dev/null" and _no_leftovers(tmp_path)
    assert _identity("/dev/null") == before


def test_a_stream_that_cannot_be_opened_is_one_line(place: Path):
    """A FIFO only its owner (root) may write, written by nobody (or, not as root, by anyone: 0444)."""
    fifo = place / "locked.pipe"
    os.mkfifo(fifo)
    fifo.chmod(0o444)
    before = _identity(fifo)
    r = _run("nobody", place, "export", "json", str(fifo))
    assert r.returncode == 2 and r.stdout == b""
    assert r.stderr.decode() == f"stakeworks: cannot write {fifo}: Permission denied; the output is incomplete\n"
    assert _identity(fifo) == before


def test_an_io_error_or_a_closed_socket_is_one_line_not_a_quiet_exit(tmp_path: Path):
    """EIO (a terminal whose other side is gone) and EPIPE on a socket are errors, said in one line;
    only a pipe's reader leaving early is the quiet `| head` case."""
    main, child = pty.openpty()
    terminal = f"/dev/fd/{child}"  # the open terminal (its /dev/pts name goes with its other side)
    os.close(main)  # the terminal's other side is gone: writes fail with EIO
    try:
        with pytest.raises(InputError, match=f"cannot write {terminal}: Input/output error; the output is incomplete"):
            files.write_text(terminal, "x" * 100_000)
    finally:
        os.close(child)
    path = tmp_path / "gone.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)
    closer = threading.Thread(target=lambda: server.accept()[0].close())
    closer.start()
    try:
        with pytest.raises(InputError, match="cannot write .*gone.sock: (Broken pipe|Connection reset by peer)"):
            files.write_bytes(path, b"x" * 10_000_000)
    finally:
        closer.join(timeout=30)
        server.close()
