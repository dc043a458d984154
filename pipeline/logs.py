"""Logs to stderr for people and, with --log-file, JSON lines for machines."""

from __future__ import annotations

import json
import logging
import unicodedata
from datetime import datetime


def printable(text: object) -> str:
    """``text`` on one line, with control and format characters (newlines, escape codes,
    bidi overrides) written as escapes: a file name cannot forge or hide a log line."""
    s = str(text)
    if s.isprintable():
        return s
    return "".join(
        ch if ch == " " or unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp", "Cs")
        else (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        for ch in s
    )


class OneLine(logging.Formatter):
    """The stderr format: each record one line, whatever its arguments contain."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        return json.dumps(entry, ensure_ascii=False, default=str)


def setup(quiet: bool = False, log_file: str | None = None) -> logging.Logger:
    logger = logging.getLogger("ogi")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    for h in list(logger.handlers):
        logger.removeHandler(h)
        h.close()
    stderr = logging.StreamHandler()
    stderr.setLevel(logging.WARNING if quiet else logging.INFO)
    stderr.setFormatter(OneLine("%(message)s"))
    logger.addHandler(stderr)
    if log_file:
        fh = logging.FileHandler(log_file, encoding="utf-8")
        fh.setFormatter(JsonLines())
        logger.addHandler(fh)
    return logger
