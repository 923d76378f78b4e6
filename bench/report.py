"""The report: results.md's table (median, min, max, floor, ratio, target) and the README's copy."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import time
from importlib import metadata
from pathlib import Path

from bench.measures import ROOT, Figure


def machine() -> str:
    libs = ", ".join(
        f"{p} {metadata.version(p)}" for p in ("textual", "pydantic", "rapidfuzz", "sqlite-utils", "scipy")
    )
    return (f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}; {libs}")  # fmt: skip


def met(f: Figure) -> str:
    if f.limit_ratio is None and f.limit_ms is None:
        return "—"  # reported only
    return "yes" if f.ok() else "NO"


def render(figures: list[Figure], notes: list[str], started: float) -> str:
    def ms(v: float, unit: str) -> str:
        return f"{v:,.1f} MB" if unit == "MB" else f"{v * 1000:,.1f} ms" if v < 10 else f"{v:,.2f} s"

    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine()}. Generated {time.strftime('%Y-%m-%d %H:%M')} in {time.perf_counter() - started:,.0f} s.",
        "",
        "| what | median | min | max | n | floor (median) | ratio | target | met |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for f in figures:
        floor = f"{ms(statistics.median(f.floor), 'ms')} ({f.floor_name})" if f.floor else "—"
        ratio = f"{f.ratio:.2f}x" if f.ratio is not None else "—"
        lines.append(
            f"| {f.name}{f' ({f.note})' if f.note else ''} | {ms(f.median, f.unit)} | {ms(min(f.samples), f.unit)} | "
            f"{ms(max(f.samples), f.unit)} | {len(f.samples)} | {floor} | {ratio} | {f.target} | "
            f"{met(f)} |"
        )
    lines += ["", *notes, ""]
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
