"""The wheel a user installs: one `stakeworks` namespace, sample.db inside, and it works from any
folder once installed for real (not editable) into a fresh virtualenv."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

import stakeworks
from stakeworks.cli.main import main
from tests.conftest import ROOT, SAMPLE, TODAY

pytestmark = pytest.mark.slow

# What a wheel is built from: the checkout less what is never part of it.
_NOT_SOURCE = {".git", ".venv", ".hypothesis", ".pytest_cache", ".ruff_cache", ".mypy_cache", "build", "dist"}


def _source_copy(target: Path) -> Path:
    """The working tree (symlinks kept, as in a clone), so the build never writes into the checkout."""

    def skip(folder: str, names: list[str]) -> set[str]:
        top = Path(folder) == ROOT
        return {
            n for n in names
            if n == "__pycache__" or n.endswith(".egg-info") or (top and n in _NOT_SOURCE)
            or (Path(folder) == ROOT / "bench" and n.startswith("data"))
        }  # fmt: skip

    shutil.copytree(ROOT, target, symlinks=True, ignore=skip)
    return target


def _run(*args: str | Path, cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300, **kwargs)  # type: ignore[call-overload]
    assert done.returncode == 0, f"{args}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = _source_copy(work / "src")
    _run(sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--quiet", "-w", work / "dist", cwd=source)
    (built,) = (work / "dist").glob("stakeworks-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv holding only the wheel (installed, not editable). Its dependencies come
    from the development venv's site-packages through a .pth line, which Python appends after the
    venv's own site-packages and which does not run that folder's own .pth files (the editable
    install's import hook among them), so `stakeworks` can only come from the wheel."""
    env = tmp_path_factory.mktemp("venv") / "fresh"
    _run(sys.executable, "-m", "venv", "--without-pip", env, cwd=env.parent)
    python = env / "bin" / "python"
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--quiet", wheel, cwd=env.parent)
    site = Path(
        _run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=env.parent).stdout.strip()
    )
    (site / "dev_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return env


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A user's folder with modules named like the repository's top-level folders."""
    folder = tmp_path / "work"
    folder.mkdir()
    for name in ("db", "screens", "widgets"):
        (folder / f"{name}.py").write_text(f"raise ImportError('the {name}.py in the current folder was imported')\n")
    return folder


def test_wheel_holds_only_the_stakeworks_namespace(wheel: Path):
    with zipfile.ZipFile(wheel) as whl:
        names = whl.namelist()
        tops = {n.split("/")[0] for n in names}
        assert tops == {"stakeworks", f"stakeworks-{stakeworks.__version__}.dist-info"}
        assert whl.read("stakeworks/data/sample.db") == SAMPLE.read_bytes()
        for module in ("stakeworks/db/store.py", "stakeworks/screens/app.py", "stakeworks/widgets/virtual_table.py"):
            assert module in names, module
        assert any(n.startswith("stakeworks/screens/") and n.endswith(".tcss") for n in names)
        entry_points = whl.read(f"stakeworks-{stakeworks.__version__}.dist-info/entry_points.txt").decode()
    assert "stakeworks = stakeworks.cli:main" in entry_points


def test_installed_wheel_prints_its_version_from_any_folder(venv: Path, elsewhere: Path):
    done = _run(venv / "bin" / "stakeworks", "--version", cwd=elsewhere)
    assert done.stdout.strip() == f"stakeworks {stakeworks.__version__}"
    where = _run(venv / "bin" / "python", "-c", "import stakeworks.db.store as m; print(m.__file__)", cwd=elsewhere)
    assert Path(where.stdout.strip()).is_relative_to(venv)  # the wheel's copy, not the checkout's


def test_installed_wheel_reads_the_demo_data_beside_a_db_py(
    venv: Path, elsewhere: Path, sample_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """`python -m stakeworks` in a folder holding db.py: the risk list equals the checkout's, byte
    for byte, and the bundled sample.db is the repository's."""
    mine = tmp_path / "mine.db"
    shutil.copyfile(sample_copy, mine)
    args = ["risk", "--json", "--today", TODAY.isoformat()]
    done = _run(venv / "bin" / "python", "-m", "stakeworks", "--db", sample_copy, *args, cwd=elsewhere)
    capsys.readouterr()
    assert main(["--db", str(mine), *args]) == 0
    assert done.stdout == capsys.readouterr().out
    assert json.loads(done.stdout)
    read = _run(
        venv / "bin" / "python", "-c",
        "import hashlib; from stakeworks.cli.launch import sample_db_bytes; "
        "data = sample_db_bytes(); print(data[:16].hex(), hashlib.sha256(data).hexdigest())",
        cwd=elsewhere,
    )  # fmt: skip
    header, digest = read.stdout.split()
    assert bytes.fromhex(header) == b"SQLite format 3\x00"
    assert digest == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()


DEMO_HEADLESS = textwrap.dedent(
    """
    import sys
    from textual.app import App
    from stakeworks.cli.main import main

    run = App.run

    async def look(pilot):  # what a user sees once the demo has loaded, then quit
        app = pilot.app
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        print(type(app.screen).__name__, app.screen.query_one("PortfolioTable").row_count, app.sub_title)
        app.exit()

    App.run = lambda self, **kwargs: run(self, headless=True, size=(120, 40), auto_pilot=look)
    sys.exit(main(["demo"]))
    """
)


def test_installed_wheel_opens_the_demo(venv: Path, elsewhere: Path):
    """`stakeworks demo` from the wheel, headless: its styles load and the home screen lists the
    demo's 40 accounts from a temporary copy."""
    done = _run(venv / "bin" / "python", "-c", DEMO_HEADLESS, cwd=elsewhere)
    screen, rows, title = done.stdout.split(maxsplit=2)
    assert (screen, rows) == ("HomeScreen", "40")
    assert "demo (a temporary copy)" in title
