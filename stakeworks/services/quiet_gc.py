"""Portfolio-wide reads without the cyclic collector walking what they build.

A worker that reads 200,000 contacts allocates a million objects; each allocation burst sets
off CPython's full collections, which walk every live object with the GIL held: 60-130 ms
each, several per screen load, during which the event loop cannot draw (measured on the
10,000-account store, issue 20). What those reads build is plain data without cycles, freed
by reference counting, so the collector is paused while they run and what they allocated is
frozen out of its sight when it resumes (as the search index is: `app._search_loaded`).
The CLI's portfolio-wide commands pause it too: on the 50,000-account store the collections
cost `risk` a fifth of its time (0.66 -> 0.54 s in-process).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_readers = 0


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause cyclic garbage collection while the block runs (nested and concurrent uses share
    one pause; it ends with the last)."""
    global _readers
    with _lock:
        _readers += 1
        if _readers == 1:
            gc.disable()
    try:
        yield
    finally:
        with _lock:
            _readers -= 1
            if _readers == 0:
                # What was allocated meanwhile sits in the youngest generation: scanned all at
                # once, that is the same stall again. It is mostly what the screen keeps, so it
                # joins the frozen long-lived objects instead (reference counting still frees
                # it when the screen lets go).
                gc.freeze()
                gc.enable()


def return_free_memory() -> None:
    """Hand the C heap's free pages back to the system after the bulk reads of a load.

    glibc keeps what a worker thread freed in that thread's heap; `malloc_trim` returns it
    (~15 MB on the 10,000-account store). Elsewhere there is nothing to do."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name) if name else None
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)
