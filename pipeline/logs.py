"""Logs to stderr for people and, with --log-file, JSON lines for machines; the progress bar.

Log lines go through ``tqdm.write`` so they print above a running progress bar instead
of on its line. Each human log line is one line: control characters from file names or
report text are shown escaped, so a newline in a file name cannot forge a second line.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from .terminal import one_line


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        return json.dumps(entry, ensure_ascii=False, default=str)


class OneLine(logging.Formatter):
    """The message, with newlines and terminal control characters escaped."""

    def format(self, record: logging.LogRecord) -> str:
        return one_line(super().format(record))


class TqdmHandler(logging.Handler):
    """Writes records with ``tqdm.write``: above any progress bar on the same stream."""

    def __init__(self, stream=None) -> None:
        super().__init__()
        self.stream = stream

    def emit(self, record: logging.LogRecord) -> None:
        from tqdm import tqdm

        stream = self.stream or sys.stderr
        try:
            tqdm.write(self.format(record), file=stream)
            stream.flush()
        except BrokenPipeError:  # `ogi run 2>&1 | head`: the reader left; keep working quietly
            pass
        except Exception:
            self.handleError(record)


def setup(quiet: bool = False, log_file: str | None = None, stream=None) -> logging.Logger:
    logger = logging.getLogger("ogi")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    for h in list(logger.handlers):
        logger.removeHandler(h)
        h.close()
    human = TqdmHandler(stream)
    human.setLevel(logging.WARNING if quiet else logging.INFO)
    human.setFormatter(OneLine("%(message)s"))
    logger.addHandler(human)
    if log_file:
        fh = logging.FileHandler(log_file, encoding="utf-8")
        fh.setFormatter(JsonLines())
        logger.addHandler(fh)
    return logger


def progress_bar(paths: Iterable[str | Path], enabled: bool, file=None, count=None):
    """A tqdm bar over the files under ``paths``: counted first (a quick walk, no reading),
    so it shows the total, the rate and the time left. ``count`` counts the files."""
    from tqdm import tqdm

    total = None
    if enabled and count is not None:
        try:
            total = count(paths)
        except OSError:
            total = None  # the run itself reports unreadable folders
    return tqdm(desc="ingest", unit="file", total=total, file=file or sys.stderr, disable=not enabled,
                leave=False, dynamic_ncols=True)
