"""Engine benchmark: load + validate and one evaluation, on synthetic packs of 100, 1,000
and 10,000 rules. Prints medians. Targets (issue 2): at 10,000 rules, evaluation <= 20 ms
and load + validate <= 2 s.

    python benchmarks/bench_engine.py [--runs N]

Each load runs in a fresh interpreter. "first load" has an empty cache directory (the
parse of each rule file is kept by content, like .pyc files); "later loads" share one.
Validation and compilation run in full on every load either way.
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
import json, sys, time
t0 = time.perf_counter()
from advisor.pack import load_pack
from advisor.engine import evaluate
from advisor.requirements import Requirements
t1 = time.perf_counter()
pack = load_pack(sys.argv[1])
t2 = time.perf_counter()
req = Requirements.model_validate({"audience": "b2b", "tenancy": {"organizations": "required"},
    "threat_model": {"compliance": ["pci-dss"], "threats": ["phishing", "bots"]}})
evals = []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter(); ev = evaluate(pack, req); evals.append(time.perf_counter() - t)
distinct = len({(id(r.guard), id(r.residual)) for r in pack.rules})
print(json.dumps({"load": t2 - t1, "evals": evals, "fired": len(ev.fired), "distinct": distinct}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5, help="fresh processes per pack size")
    ap.add_argument("--evals", type=int, default=20, help="evaluations per process")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in (100, 1000, 10000):
            pack = write_pack(Path(tmp) / f"pack-{n}", n)
            cold, warm, evals, fired, distinct = [], [], [], 0, 0
            shared = Path(tmp) / f"cache-{n}"
            for run in range(args.runs):
                for label, cache in (("cold", Path(tmp) / f"empty-{n}-{run}"), ("warm", shared)):
                    env = {**os.environ, "CLERK_ADVISOR_CACHE_DIR": str(cache)}
                    out = subprocess.run([sys.executable, "-c", CHILD, str(pack), str(args.evals)], cwd=ROOT,
                                         env=env, capture_output=True, text=True, check=True).stdout
                    data = json.loads(out)
                    (cold if label == "cold" else warm).append(data["load"])
                    evals.extend(data["evals"])
                    fired, distinct = data["fired"], data["distinct"]
            rows.append((n, statistics.median(cold), statistics.median(warm[1:] or warm),
                         statistics.median(evals), fired, distinct))
    print(f"{'rules':>7}  {'first load':>11}  {'later loads':>11}  {'evaluate':>9}  {'fired':>6}  {'distinct conditions':>19}")
    for n, cold_load, warm_load, ev, fired, distinct in rows:
        print(f"{n:>7}  {cold_load * 1000:>8.0f} ms  {warm_load * 1000:>8.0f} ms  {ev * 1000:>6.2f} ms  {fired:>6}  "
              f"{distinct:>19}")
    print("(medians; load = load + validate + compile)")
    n, cold_load, warm_load, ev, _, _ = rows[-1]
    print(f"\ntargets at 10,000 rules: evaluate <= 20 ms ({'met' if ev <= 0.020 else 'NOT met'}), "
          f"load + validate <= 2 s ({'met' if cold_load <= 2 else 'NOT met'} on first load, "
          f"{'met' if warm_load <= 2 else 'NOT met'} later)")


if __name__ == "__main__":
    main()
