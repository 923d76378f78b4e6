"""Scripting commands start without the UI: `risk` never imports Textual (as Harlequin's
tests/unit_tests/test_import_hygiene.py checks for its CLI)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, TODAY

LOADED = """
import json, sys
from stakeworks.cli.main import main
code = main(sys.argv[1:])
sys.stdout.flush()
print(json.dumps({"code": code, "ui": sorted(m for m in sys.modules if m.split(".")[0] == "textual"),
    "cli": sorted(m for m in sys.modules if m.startswith("stakeworks.cli."))}), file=sys.stderr)
"""


@pytest.mark.parametrize("output", [[], ["--json"]])
def test_risk_never_imports_textual(sample_copy: Path, output: list[str]):
    done = subprocess.run(
        [sys.executable, "-c", LOADED, "--db", str(sample_copy), "risk", "--today", TODAY.isoformat(), *output],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] == 0 and "Northwind" in done.stdout
    assert report["ui"] == []
    # only the command's own group is loaded: no importer, no map renderers, no launcher
    assert {"stakeworks.cli.files", "stakeworks.cli.launch", "stakeworks.cli.people"}.isdisjoint(report["cli"])
    assert "stakeworks.cli.verdicts" in report["cli"]


def test_the_probe_sees_textual_once_the_app_is_imported(tmp_path: Path):
    """The same probe sees Textual once the app is imported (so the check above can fail)."""
    probe = LOADED.replace("code = main(sys.argv[1:])", "import stakeworks.screens.app\ncode = 0")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "textual" in json.loads(done.stderr.strip().splitlines()[-1])["ui"]
