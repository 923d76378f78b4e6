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
from typing import Any

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


def _glibc() -> Any:
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name) if name else None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def return_free_memory() -> None:
    """Hand the C heap's free pages back to the system after the bulk reads of a load.

    glibc keeps what a worker thread freed in that thread's heap; `malloc_trim` returns it
    (~15 MB on the 10,000-account store). Elsewhere there is nothing to do."""
    if (libc := _glibc()) is not None:
        libc.malloc_trim(0)


M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)


def one_heap_for_all_threads() -> None:
    """Before the app starts its threads: glibc then gives them the one C heap the main thread
    has, not one each. A worker's heap kept what its bulk reads left scattered in it, which
    `malloc_trim` cannot hand back while anything lives on its pages: on the 50,000-account store
    the app sat at ~326 MB with every view computed ahead, ~300 MB with one heap (~270 -> 241 MB
    on a cold day). The threads' C allocations are few (the GIL serialises Python's), so sharing
    one heap costs nothing seen. Elsewhere there is nothing to do."""
    if (libc := _glibc()) is not None and hasattr(libc, "mallopt"):
        libc.mallopt(M_ARENA_MAX, 1)
