"""Whole-process `clerk-advisor recommend EXAMPLE --format json` cold, beside the cost of
importing its two heavy dependencies in the same run. Medians of N fresh processes, the
commands taken in turn so that a change in the machine's load falls on all of them alike.
Bytecode is written and used as an installed tool's is (PYTHONDONTWRITEBYTECODE is dropped:
with it set every run compiles the package from source, some 50 ms of it).

    python benchmarks/bench_cli.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "b2b-saas" / "clerk-requirements.yaml"


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def once(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=ENV)
    return time.perf_counter() - start


def timed_in_turn(cmds: list[list[str]], runs: int) -> list[float]:
    samples: list[list[float]] = [[] for _ in cmds]
    for _ in range(runs):
        for i, cmd in enumerate(cmds):
            samples[i].append(once(cmd))
    return [statistics.median(s) for s in samples]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    py = sys.executable
    rows = [
        ("python -c pass", [py, "-c", "pass"]),
        ("python -c 'import pydantic, ruamel.yaml'", [py, "-c", "import pydantic, ruamel.yaml"]),
        ("  ... and import pydantic's BaseModel", [py, "-c", "import pydantic, ruamel.yaml; "
                                                  "from pydantic import BaseModel"]),
        ("clerk-advisor recommend --format json", [py, "-m", "advisor", "recommend", str(EXAMPLE), "--format",
                                                   "json", "--no-save"]),
        ("clerk-advisor recommend (text)", [py, "-m", "advisor", "recommend", str(EXAMPLE), "--no-save"]),
    ]
    for _ in range(2):  # warm the OS file cache and write the .pyc files, not the process
        once(rows[3][1])
    results = list(zip([label for label, _ in rows], timed_in_turn([cmd for _, cmd in rows], args.runs), strict=True))
    print(f"{'command':<45} {'median':>10}")
    for label, t in results:
        print(f"{label:<45} {t * 1000:>7.0f} ms")
    base, model, run = results[1][1], results[2][1], results[3][1]
    print(f"\nrecommend --format json takes {run / base:.2f}x the import floor (target <= 1.5x); a valid file "
          f"never imports pydantic, which would add {(model - base) * 1000:.0f} ms for BaseModel alone "
          f"({args.runs} runs each)")


if __name__ == "__main__":
    main()
