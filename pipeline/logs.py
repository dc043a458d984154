"""Logs to stderr for people and, with --log-file, JSON lines for machines."""

from __future__ import annotations

import json
import logging
from datetime import datetime


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
    stderr.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(stderr)
    if log_file:
        fh = logging.FileHandler(log_file, encoding="utf-8")
        fh.setFormatter(JsonLines())
        logger.addHandler(fh)
    return logger
