"""Opening the TUI: on a store, or on a temporary copy of the bundled demo."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from stakeworks.cli.registry import command


def open_app(path: Path, today: date, *, title: str = "", args: argparse.Namespace | None = None) -> int:
    from stakeworks.cli.args import load_config
    from stakeworks.db.connection import connect

    cfg = load_config(args or argparse.Namespace())
    if str(path).startswith(("postgresql://", "postgres://")):
        from stakeworks.db.postgres import connect_server

        connect_server(str(path), create=False).close()  # the same on a team store
    else:
        connect(path).close()  # fail fast with exit 3 (and migrate) before Textual loads
    from stakeworks.screens.app import Prefs, make_app

    app = make_app(path, today=today, title=title, prefs=Prefs.from_config(cfg))
    app.run()
    return app.return_code or 0  # 129 when the terminal went away (screens/terminal_watch.py)


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
