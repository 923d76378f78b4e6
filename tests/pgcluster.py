"""A throwaway PostgreSQL cluster for the tests and the benchmark: initdb and pg_ctl in a temp
folder, a unix socket only (listen_addresses=''), trust authentication, or passwords
(scram-sha-256) for the tests of who may do what.

PostgreSQL refuses to run as root: then the cluster runs as the `postgres` user (runuser),
its folder owned by it. Where no server binaries exist, `find_bindir()` says why in one line.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def find_bindir() -> tuple[Path | None, str]:
    """The folder holding initdb/pg_ctl/postgres, or None and why not."""
    candidates = []
    if os.environ.get("STAKEWORKS_PG_BINDIR"):
        candidates.append(Path(os.environ["STAKEWORKS_PG_BINDIR"]))
    if shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            candidates.append(Path(subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True,
                                                  check=True).stdout.strip()))  # fmt: skip
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    if shutil.which("initdb"):
        candidates.append(Path(shutil.which("initdb")).parent)  # type: ignore[arg-type]
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder, ""
    return None, "no PostgreSQL server binaries (initdb, pg_ctl) found: pg_config --bindir, /usr/lib/postgresql/*/bin"


@dataclass
class Cluster:
    bindir: Path
    root: Path  # data/ and the socket live here
    as_user: str | None  # run the server as this user (we are root)
    password: str | None = None  # the superuser's, when the cluster asks for passwords (scram-sha-256)

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@/{dbname}?host={self.socket_dir}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_user:
            cmd = ["runuser", "-u", self.as_user, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, check=check, timeout=120)

    def start(self) -> None:
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        if self.as_user:
            shutil.chown(self.root, self.as_user)
            shutil.chown(self.socket_dir, self.as_user)
        auth = ["--auth=trust"]
        if self.password is not None:
            pwfile = self.root / "pwfile"
            pwfile.write_text(self.password + "\n")
            if self.as_user:
                shutil.chown(pwfile, self.as_user)
            auth = ["--auth=scram-sha-256", f"--pwfile={pwfile}"]
        self._run("initdb", "-D", str(self.data_dir), "-U", "postgres", *auth, "-E", "UTF8",
                  "--locale=C", "--no-sync")  # fmt: skip
        self.launch()

    def launch(self) -> None:
        """Start the server on the cluster's data (after `start`, or again after `stop`)."""
        options = (
            f"-c listen_addresses='' -c unix_socket_directories={self.socket_dir} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=128MB"
        )
        self._run("pg_ctl", "-D", str(self.data_dir), "-o", options, "-l", str(self.root / "server.log"),
                  "-w", "-t", "60", "start")  # fmt: skip

    def stop(self) -> None:
        # The cluster runs with synchronous_commit=off (speed): an immediate stop would lose the
        # last commits, which a real server keeps; a checkpoint first writes them down.
        with contextlib.suppress(Exception), self.connect() as conn:
            conn.execute("CHECKPOINT")
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop", check=False)

    def connect(self, dbname: str = "postgres") -> Any:
        import psycopg

        return psycopg.connect(self.url(dbname), autocommit=True, password=self.password)

    def create_database(self, name: str, template: str | None = None) -> str:
        with self.connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with self.connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_cluster(password: str | None = None) -> Cluster:
    """`password`: the cluster asks every login for one (scram-sha-256), the superuser's this."""
    bindir, why = find_bindir()
    if bindir is None:
        raise RuntimeError(why)
    root = Path(tempfile.mkdtemp(prefix="stakeworks-pg-"))
    root.chmod(0o755)
    as_user = "postgres" if os.geteuid() == 0 else None
    cluster = Cluster(bindir, root, as_user, password)
    try:
        cluster.start()
    except subprocess.CalledProcessError as exc:
        log = (root / "server.log").read_text() if (root / "server.log").exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"could not start PostgreSQL: {exc.stderr or exc.stdout}{log}") from None
    return cluster


def remove(cluster: Cluster) -> None:
    cluster.stop()
    shutil.rmtree(cluster.root, ignore_errors=True)
