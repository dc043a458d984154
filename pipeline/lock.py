"""One run at a time: an advisory lock beside the warehouse.

The kernel drops an flock when the last descriptor of its open file closes, so
a lock left by a killed run is stale by construction and the next run simply
takes it; the file's JSON only tells the next run *who* holds it. The file is
opened close-on-exec and parsing workers are spawned, not forked: no other
process ever holds the open file, so no surviving child keeps the lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from datetime import datetime
from pathlib import Path


class Locked(Exception):
    """Another run holds the warehouse; the message names it."""


class RunLock:
    def __init__(self, db: Path) -> None:
        self.path = Path(str(db) + ".lock")
        self._fh = None

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        fh = os.fdopen(fd, "r+", encoding="utf-8")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            try:
                holder = json.loads(fh.read() or "{}")
            except json.JSONDecodeError:
                holder = {}
            fh.close()
            raise Locked(
                f"warehouse {self.path.with_suffix('')} is locked by another ogi run "
                f"(pid {holder.get('pid', '?')} on {holder.get('host', '?')}, started {holder.get('started_at', '?')})"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                             "started_at": datetime.now().isoformat(timespec="seconds")}))
        fh.flush()
        self._fh = fh
        return self

    def __exit__(self, *exc) -> None:
        if self._fh is not None:
            self._fh.seek(0)
            self._fh.truncate()
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None
