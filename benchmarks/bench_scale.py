"""Scaling: nothing in the engine may grow faster than the input. Doubling sizes, the time
per unit should stay flat (a quadratic step doubles it each row).

    python benchmarks/bench_scale.py [--quick]

1. One rule whose `set` unions N permissions, and N rules that each add one: load and
   evaluate, at N = 12,500 / 25,000 / 50,000.
2. Whole packs of 50,000 / 100,000 / 200,000 rules: load + validate + evaluate + build the
   Architecture, in a fresh process each, per rule.
Medians of 3 runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import write_pack  # noqa: E402

HEAD = "name: scale\nversion: 2026.1.0\n"
REFS = "nist-800-63b-4:2.2.1:\n  title: NIST SP 800-63B-4\n  url: https://pages.nist.gov/800-63-4/sp800-63b.html\n"

CHILD = r"""
import gc, json, sys, time
from advisor.architecture import build
from advisor.engine import evaluate, load_pack
from advisor.requirements import validate_document
req = validate_document({"schema": 1, "audience": "b2b", "tenancy": {"organizations": "required"},
    "threat_model": {"compliance": ["pci-dss"], "threats": ["phishing", "bots"]}})
t0 = time.perf_counter()
pack = load_pack(sys.argv[1])
gc.freeze()
t1 = time.perf_counter()
ev = evaluate(pack, req)
t2 = time.perf_counter()
arch = build(ev, pack, req)
arch.to_data()
t3 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "evaluate": t2 - t1, "build": t3 - t2,
                  "permissions": len(ev.decisions["orgs.permissions"].value)}))
"""


def rule(i: int, permissions: list[str]) -> str:
    listed = ", ".join(f'"{p}"' for p in permissions)
    return (f"- id: scale.rule-{i}\n  version: 1\n  title: Scale {i}\n  set: {{orgs.permissions: [{listed}]}}\n"
            f"  severity: low\n  because: Scaling.\n  refs: [\"nist-800-63b-4:2.2.1\"]\n")


def union_pack(directory: Path, n: int, one_rule: bool) -> Path:
    directory.mkdir(parents=True)
    (directory / "pack.yaml").write_text(HEAD)
    (directory / "references.yaml").write_text(REFS)
    names = [f"org:f{i}:read" for i in range(n)]
    if one_rule:
        (directory / "rules.yaml").write_text(rule(0, names))
        return directory
    per_file = 5000  # rule files stay under the 2 MB limit of one file
    for f in range(0, n, per_file):
        chunk = "".join(rule(i, [names[i]]) for i in range(f, min(n, f + per_file)))
        (directory / f"rules-{f // per_file:03d}.yaml").write_text(chunk)
    return directory


def run(pack: Path, runs: int) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", CHILD, str(pack)], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout
        samples.append(json.loads(out))
    return {k: statistics.median(s[k] for s in samples) for k in samples[0]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="smaller sizes, one run")
    args = ap.parse_args()
    runs = 1 if args.quick else 3
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'case':<34} {'N':>8} {'load':>9} {'evaluate':>9} {'build':>9} {'us/unit':>8}")
        for label, one in (("one rule, union of N permissions", True), ("N rules, one permission each", False)):
            for n in ((3125, 6250, 12500) if args.quick else (12500, 25000, 50000)):
                r = run(union_pack(Path(tmp) / f"u-{one}-{n}", n, one), runs)
                assert r["permissions"] == n
                total = r["load"] + r["evaluate"] + r["build"]
                print(f"{label:<34} {n:>8} {r['load'] * 1000:>6.0f} ms {r['evaluate'] * 1000:>6.0f} ms "
                      f"{r['build'] * 1000:>6.0f} ms {total / n * 1e6:>8.1f}")
        for n in ((12500, 25000, 50000) if args.quick else (50000, 100000, 200000)):
            r = run(write_pack(Path(tmp) / f"p-{n}", n), runs)
            total = r["load"] + r["evaluate"] + r["build"]
            print(f"{'synthetic pack of N rules':<34} {n:>8} {r['load'] * 1000:>6.0f} ms "
                  f"{r['evaluate'] * 1000:>6.0f} ms {r['build'] * 1000:>6.0f} ms {total / n * 1e6:>8.1f}")


if __name__ == "__main__":
    main()
