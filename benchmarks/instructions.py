"""Instructions per parsed text report, counted by valgrind's callgrind: a figure that
stays put on a loaded machine, unlike wall time.

    python -m benchmarks.instructions                  # this checkout, 300 reports
    python -m benchmarks.instructions --code /tmp/base # another checkout of ogi, same corpus

The corpus is the text benchmark's mix (tab 3 : pipe 2 : one-cell-per-line 2 : GB18030 1),
generated deterministically into --work. Two runs under callgrind, parsing 0 and N
files (parse_bytes: read, map, metadata, narrative), and the difference over N is the
cost of one report, start-up and imports cancelled out.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
MIX = "tab=3,pipe=2,newline=2,gb18030=1"


# Run in the measured process, with only the measured checkout on its path.
_PARSE = """
import sys
from pathlib import Path
sys.path.insert(0, {code!r})
from pipeline.parse import parse_bytes
for p in sorted(Path({folder!r}).rglob("*.txt"))[:{n}]:
    report = parse_bytes(p.read_bytes(), str(p))
    assert report.ok, (p, report.error)
"""


def _count(code: Path, folder: Path, n: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        env = {**os.environ, "PYTHONPATH": str(code)}
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-c",
               _PARSE.format(code=str(code), folder=str(folder), n=n)]
        subprocess.run(cmd, check=True, env=env, capture_output=True)
        m = re.search(r"^summary:\s*(\d+)", out.read_text(), re.M)
        return int(m.group(1))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300, help="reports parsed (default 300)")
    ap.add_argument("--code", type=Path, default=HERE.parent, help="checkout of ogi whose pipeline/ is measured")
    ap.add_argument("--work", type=Path, default=HERE / "out" / "instructions", help="where the corpus is generated")
    args = ap.parse_args(argv)
    from .synth import generate

    if len(list(args.work.rglob("*.txt"))) < args.n:
        generate(args.n, args.work, MIX)
    base, full = _count(args.code, args.work, 0), _count(args.code, args.work, args.n)
    print(f"{args.code}: {(full - base) / args.n / 1e6:.2f} M instructions per report "
          f"({args.n} reports; {full:,} - {base:,})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
