"""Text that is safe to print on a terminal, and stdout that may be closed early.

Report text comes from files anyone can publish: an ESC byte in a body name would
otherwise let a report recolour, retitle or clear the analyst's terminal (`ogi show`,
`ogi query`), and a newline in a file name would forge a second log line.
"""

from __future__ import annotations

import os
import re
import sys

# C0 controls, DEL, C1 controls, and the bidirectional overrides/isolates that reorder
# what is displayed ("Trojan source"): shown as visible escapes, never passed through.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    c = match.group()
    code = ord(c)
    if c == "\n":
        return "\\n"
    if c == "\t":
        return "\\t"
    if c == "\r":
        return "\\r"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, keep: str = "\n\t") -> str:
    """``text`` with every control character (except those in ``keep``) as a visible
    escape: ESC becomes the four characters ``\\x1b``, U+202E becomes ``\\u202e``."""
    s = str(text)
    if keep:
        return _CONTROL.sub(lambda m: m.group() if m.group() in keep else _escape(m), s)
    return _CONTROL.sub(_escape, s)


def one_line(text: object) -> str:
    """``printable`` with newlines and tabs escaped too: for table cells and log lines."""
    return printable(text, keep="")


def stdout_closed() -> None:
    """Call on BrokenPipeError: point stdout at /dev/null so nothing more is written and
    the interpreter's final flush does not fail (`ogi status | head`)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # stdout replaced by a test's capture
        pass


def say(text: str) -> bool:
    """Print ``text`` to stdout; False (and stdout silenced) when the reader went away, so
    a long job keeps going after `| head` has read enough."""
    try:
        print(text, flush=True)
        return True
    except BrokenPipeError:
        stdout_closed()
        return False
