"""Set-up of a parsing worker process, kept apart from the parsing code so that it
runs first: a spawned worker unpickles its initializer before anything else, and
this module imports nothing heavy, so the parent-death watch is armed in
milliseconds, not after the seconds the parsers take to import."""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import threading
import time

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def fewer_collections() -> None:
    """A run allocates millions of short-lived, acyclic objects (cells, facts, rows):
    CPython's default thresholds spend about a fifth of single-core ingest time in the
    cycle collector. Freeze what exists and collect rarely; cycles are still freed."""
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


def die_with(parent: int) -> None:
    """Make this worker die with the run's main process, however that one ends.

    The kernel sends SIGKILL when the parent dies (PR_SET_PDEATHSIG, Linux); a
    thread polling the parent pid covers the other systems and the window before
    prctl took effect. Without this, a ``kill -9`` of the run leaves its workers
    blocked forever on their task queue."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)  # the parent died before prctl took effect
    threading.Thread(target=_watch_parent, args=(parent,), name="ogi-parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def init_worker(parent: int) -> None:
    die_with(parent)
    fewer_collections()
