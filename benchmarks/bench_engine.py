"""Engine benchmark: load + validate and one evaluation, on synthetic packs of 100, 1,000
and 10,000 rules. Prints medians. Targets: at 10,000 rules, load + validate <= 1.5 s and
evaluation <= 10 ms.

    python benchmarks/bench_engine.py [--runs N]

Each load runs in a fresh interpreter, as the CLI does; nothing is cached between
processes, so every load parses, validates and compiles the whole pack. The child freezes
the loaded pack out of the cyclic collector's way, as the CLI does.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import write_pack  # noqa: E402

CHILD = r"""
import gc, json, sys, time
t0 = time.perf_counter()
from advisor.engine import evaluate, load_pack
from advisor.requirements import validate_document
t1 = time.perf_counter()
pack = load_pack(sys.argv[1])
t2 = time.perf_counter()
gc.freeze()
req = validate_document({"schema": 1, "audience": "b2b", "tenancy": {"organizations": "required"},
    "threat_model": {"compliance": ["pci-dss"], "threats": ["phishing", "bots"]}})
evals = []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter(); ev = evaluate(pack, req); evals.append(time.perf_counter() - t)
distinct = sum(len(groups) for phase in pack.phases for _, groups in phase)
print(json.dumps({"load": t2 - t1, "evals": evals, "fired": len(ev.fired), "distinct": distinct}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5, help="fresh processes per pack size")
    ap.add_argument("--evals", type=int, default=20, help="evaluations per process")
    ap.add_argument("--sizes", default="100,1000,10000", help="pack sizes, comma-separated")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            pack = write_pack(Path(tmp) / f"pack-{n}", n)
            loads, evals, fired, distinct = [], [], 0, 0
            for _ in range(args.runs):
                out = subprocess.run([sys.executable, "-c", CHILD, str(pack), str(args.evals)], cwd=ROOT,
                                     env=os.environ, capture_output=True, text=True, check=True).stdout
                data = json.loads(out)
                loads.append(data["load"])
                evals.extend(data["evals"])
                fired, distinct = data["fired"], data["distinct"]
            rows.append((n, statistics.median(loads), statistics.median(evals), fired, distinct))
    print(f"{'rules':>7}  {'load + validate':>15}  {'evaluate':>9}  {'fired':>6}  {'distinct conditions':>19}")
    for n, load, ev, fired, distinct in rows:
        print(f"{n:>7}  {load * 1000:>12.0f} ms  {ev * 1000:>6.2f} ms  {fired:>6}  {distinct:>19}")
    print("(medians; load = read + parse + validate + compile, in a fresh process)")
    for n, load, ev, _, _ in rows:
        if n == 10000:
            print(f"\ntargets at 10,000 rules: load + validate <= 1.5 s ({'met' if load <= 1.5 else 'NOT met'}), "
                  f"evaluate <= 10 ms ({'met' if ev <= 0.010 else 'NOT met'})")


if __name__ == "__main__":
    main()
