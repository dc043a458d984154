"""Finding messages as data: ``messages.csv`` holds one zh and one en template per
message key; the check frames emit the key and its arguments (JSON), so the same
finding reads in Chinese on the quality site and in English on the terminal."""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path

LANGS = ("zh", "en")


class _Args(dict):
    def __missing__(self, key: str) -> str:
        return "NULL"


@cache
def catalogue(name: str = "messages.csv") -> dict[str, dict[str, str]]:
    path = Path(__file__).with_name(name)
    with path.open(encoding="utf-8", newline="") as f:
        return {row["key"]: {lang: row[lang] for lang in LANGS} for row in csv.DictReader(f)}


def render(key: str | None, args: str | dict | None, lang: str = "en") -> str:
    """The message for ``key`` with its arguments; unknown keys fall back to the raw arguments."""
    if isinstance(args, str):
        args = json.loads(args) if args else {}
    args = _Args({k: ("NULL" if v is None else v) for k, v in (args or {}).items()})
    template = catalogue().get(key or "", {}).get(lang)
    if template is None:
        return f"{key}: {json.dumps(dict(args), ensure_ascii=False)}"
    return template.format_map(args)
