"""The report: results.md's table (median, min, max, floor, ratio, target) and the README's copy."""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import re
import sqlite3
import statistics
import time
from importlib import metadata
from pathlib import Path

from bench.measures import ROOT, Figure

GROWTH_LIMIT = 5.5  # from 10,000 to 50,000 accounts: linear or better, with a margin


def save_run(path: Path, figures: list[Figure], notes: list[str], seconds: float) -> None:
    """One scale's figures as data: the other scale's run renders beside them."""
    run = {"figures": [dataclasses.asdict(f) for f in figures], "notes": notes, "seconds": round(seconds),
           "generated": time.strftime("%Y-%m-%d %H:%M")}  # fmt: skip
    path.write_text(json.dumps(run, indent=1) + "\n")


def load_run(path: Path) -> tuple[list[Figure], list[str], int, str] | None:
    if not path.exists():
        return None
    run = json.loads(path.read_text())
    return [Figure(**f) for f in run["figures"]], run["notes"], run["seconds"], run["generated"]


def _same(name: str) -> str:
    """A figure's name with its counts left out: "import of the 200,000-contact CSV" at 10k is
    "import of the 1,000,000-contact CSV" at 50k."""
    return re.sub(r"\d[\d,]*", "N", name)


def machine() -> str:
    libs = ", ".join(
        f"{p} {metadata.version(p)}" for p in ("textual", "pydantic", "rapidfuzz", "sqlite-utils", "scipy")
    )
    return (f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}; {libs}")  # fmt: skip


def met(f: Figure) -> str:
    if f.limit_ratio is None and f.limit_ms is None and f.limit_spread is None:
        return "—"  # reported only
    return "yes" if f.ok() else "NO"


def met_at_50k(f: Figure) -> str:
    return "growth" if f.limit_at_10k else met(f)  # its growth, in the next columns, is its target here


def ms(v: float, unit: str) -> str:
    return f"{v:,.1f} MB" if unit == "MB" else f"{v * 1000:,.1f} ms" if v < 10 else f"{v:,.2f} s"


def growth_table(small: list[Figure], large: list[Figure], seconds: int, generated: str) -> list[str]:
    """Each figure measured on both stores: the large one's own figures and how much each grew."""
    by_name = {_same(f.name): f for f in large}
    lines = [
        "## 10,000 → 50,000 accounts (1,000,000 contacts, 5,000,000 touches)",
        "",
        f"`make bench-large`, generated {generated} in {seconds:,} s. Growth is the 50k median over the 10k median;"
        f" the target is <= {GROWTH_LIMIT}x (linear or better). Figures reported only (no target) are shown for the"
        " record. A portfolio-wide command (`seen`, `suggestions`, `exposure`) has its time limit at 10k and its"
        ' growth as its target here (issue 36): its answer grows with the portfolio ("growth" in the 50k column).',
        "",
        "| what | 10k median | 50k median | 50k min | 50k max | 50k floor (median) | 50k ratio | 50k target met |"
        " growth | growth met |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for f in small:
        big = by_name.get(_same(f.name))
        if big is None:
            continue
        growth = big.median / f.median if f.median else float("inf")
        floor = ms(statistics.median(big.floor), big.unit) if big.floor else "—"
        ratio = f"{big.ratio:.2f}x" if big.ratio is not None else "—"
        lines.append(
            f"| {f.name} | {ms(f.median, f.unit)} | {ms(big.median, big.unit)} | {ms(min(big.samples), big.unit)} | "
            f"{ms(max(big.samples), big.unit)} | {floor} | {ratio} | {met_at_50k(big)} | {growth:.2f}x | "
            f"{'yes' if growth <= GROWTH_LIMIT else 'NO'} |"
        )
    return lines


def render(
    figures: list[Figure], notes: list[str], seconds: float, generated: str, large: list[str] | None = None
) -> str:

    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine()}. 10,000-account store (`make bench`), generated {generated} in {seconds:,.0f} s.",
        "",
        "| what | median | min | max | n | floor (median) | ratio | target | met |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for f in figures:
        floor = f"{ms(statistics.median(f.floor), f.unit)} ({f.floor_name})" if f.floor else "—"
        ratio = f"{f.ratio:.2f}x" if f.ratio is not None else "—"
        lines.append(
            f"| {f.name}{f' ({f.note})' if f.note else ''} | {ms(f.median, f.unit)} | {ms(min(f.samples), f.unit)} | "
            f"{ms(max(f.samples), f.unit)} | {len(f.samples)} | {floor} | {ratio} | {f.target} | "
            f"{met(f)} |"
        )
    lines += ["", *notes, ""]
    if large:
        lines += [*large, ""]
    return "\n".join(lines)


def show_in_readme(results: str, readme: Path = ROOT / "README.md") -> None:
    """Copy the results (without their title) between the README's bench markers."""
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    text = readme.read_text()
    if start not in text or end not in text:
        return
    body = results.split("\n", 2)[2].strip()
    head, rest = text.split(start, 1)
    readme.write_text(f"{head}{start}\n{body}\n{end}{rest.split(end, 1)[1]}")
