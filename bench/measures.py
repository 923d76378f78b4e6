"""How the benchmark measures: a figure (samples beside its floor), timing, fresh copies, peak memory."""

from __future__ import annotations

import shutil
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 1)
FRAME_MS = 1000 / 60


@dataclass
class Figure:
    name: str
    samples: list[float]  # seconds
    floor_name: str = ""
    floor: list[float] = field(default_factory=list)
    target: str = ""
    limit_ratio: float | None = None
    limit_ms: float | None = None
    note: str = ""
    unit: str = "ms"
    limit_spread: float | None = None
    """No sample may be over this many times the median (a user meets the worst run too)."""
    limit_at_10k: bool = False
    """The time limit is the 10k store's: a portfolio-wide command's answer grows with the portfolio,
    and issue 36 bounds it from 10k to 50k by its growth (<= 5.5x), not by the 10k limit again."""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def ratio(self) -> float | None:
        return self.median / statistics.median(self.floor) if self.floor else None

    def ok(self) -> bool:
        good = True
        if self.limit_ratio is not None and self.ratio is not None:
            good &= self.ratio <= self.limit_ratio
        if self.limit_ms is not None:
            good &= self.median * (1000 if self.unit == "ms" else 1) <= self.limit_ms
        if self.limit_spread is not None:
            good &= max(self.samples) <= self.limit_spread * self.median
        return good


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def fresh_copy(src: Path, tmp: Path, name: str) -> Path:
    dst = tmp / name
    for suffix in ("", "-wal", "-shm"):
        Path(str(dst) + suffix).unlink(missing_ok=True)
    shutil.copyfile(src, dst)
    return dst


# Peak memory is the process's own high-water mark (VmHWM). getrusage's ru_maxrss
# would not do: Linux carries it across exec, so a child of this (large) bench
# process would report the parent's size.
PEAK_MB = """
def peak_mb():
    return int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]) / 1024
"""
