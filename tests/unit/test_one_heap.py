"""The app's threads share the main thread's C heap (services/quiet_gc.one_heap_for_all_threads):
glibc's own report of its heaps, after threads allocated, counts one heap with it and more without."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or ctypes.util.find_library("c") is None, reason="glibc's heaps"
)

THREADS_ALLOCATE = """
import ctypes, ctypes.util, sys, tempfile, threading
from stakeworks.services.quiet_gc import one_heap_for_all_threads
if sys.argv[1] == "one":
    one_heap_for_all_threads()
libc = ctypes.CDLL(ctypes.util.find_library("c"))
libc.fopen.restype = ctypes.c_void_p
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
libc.fclose.argtypes = [ctypes.c_void_p]
kept = []
start = threading.Barrier(4)
def allocate():
    start.wait()  # all at once: glibc gives a thread that finds the heap busy a heap of its own
    kept.extend(bytearray(2000) for _ in range(20000))  # over pymalloc's 512 bytes: C's malloc
threads = [threading.Thread(target=allocate) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
with tempfile.NamedTemporaryFile(suffix=".xml") as f:
    out = libc.fopen(f.name.encode(), b"w")
    libc.malloc_info(0, out)
    libc.fclose(out)
    print(open(f.name).read().count("<heap nr="))
"""


def heaps(mode: str) -> int:
    out = subprocess.run([sys.executable, "-c", THREADS_ALLOCATE, mode], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[-1])


def test_threads_allocate_in_one_heap_once_the_app_asks_for_it():
    assert heaps("one") == 1
    assert heaps("default") > 1  # what the setting changes: glibc's default gives threads their own
