"""Whole-process `clerk-advisor generate EXAMPLE --stack nextjs --out TMP`, cold.

Every run is a new process writing into a fresh directory, as a user's shell would run
it. Printed beside the floor that no run can beat: a Python that only imports the three
dependencies the command needs (`python -c "import pydantic, ruamel.yaml, jinja2"`).
Target: median < 150 ms.

    python benchmarks/bench_generate.py [--runs N] [--example PATH] [--stack nextjs|fastapi]
    python benchmarks/bench_generate.py --phases --importtime   # where the time goes
    python benchmarks/bench_generate.py --bytecode-ab           # cost of compiling templates every run
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EXAMPLE = ROOT / "examples" / "b2b-saas" / "clerk-requirements.yaml"
TARGET_MS = 150

# Used when the examples are absent (an sdist without them): every nextjs feature on.
FALLBACK_EXAMPLE = """\
schema: 1
project: {name: bench}
platforms: {web: nextjs, nextjs_version: 16}
audience: b2b
tenancy: {organizations: required, custom_roles: [billing, viewer]}
threat_model: {data_sensitivity: confidential, privileged_users: true}
integrations: {m2m: true, api_keys: true, webhooks: [user.created, user.updated, user.deleted]}
"""


def _command() -> list[str]:
    """The installed entry point when there is one next to this Python, else `python -m advisor`."""
    script = Path(sys.executable).with_name("clerk-advisor")
    return [str(script)] if script.exists() else [sys.executable, "-m", "advisor"]


def _time(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def _importtime(cmd: list[str], env: dict[str, str], cwd: Path, top: int = 15) -> list[tuple[int, str]]:
    """(cumulative microseconds, module) of the slowest imports, from `python -X importtime`."""
    if cmd[0] != sys.executable:
        cmd = [sys.executable, "-m", "advisor", *cmd[1:]]
    proc = subprocess.run([cmd[0], "-X", "importtime", *cmd[1:]], cwd=cwd, env=env, check=True,
                          capture_output=True, text=True)
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|(\s*)(\S+)", line)
        if m and len(m.group(2)) == 1:  # top-level imports only (nested ones are inside them)
            rows.append((int(m.group(1)), m.group(3)))
    return sorted(rows, reverse=True)[:top]


# One fresh process, timed stage by stage (the same calls as advisor/commands/generate.py).
PHASES = r"""
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from advisor.architecture import recommend
from advisor.commands._common import load_pack_arg
from advisor.generate.context import context_from
from advisor.generate.plan import make_plan
from advisor.generate.render import default_templates_dir, file_options, render
from advisor.generate.writer import apply
from advisor.requirements import load_requirements
t1 = time.perf_counter()
pack = load_pack_arg(None)
t2 = time.perf_counter()
arch = recommend(load_requirements(sys.argv[1]), pack)
t3 = time.perf_counter()
tdir = default_templates_dir()
ctx = context_from(arch, sys.argv[3], tdir)
rendered = render(sys.argv[3], ctx, tdir)
options = file_options(sys.argv[3], ctx, tdir)
t4 = time.perf_counter()
meta = {"tool_version": arch.tool_version, "rules_version": arch.rules_version,
        "requirements_sha256": arch.requirements_sha256}
plan = make_plan(Path(sys.argv[2]), sys.argv[3], rendered, meta, replaces=options.replaces, once=options.once)
t5 = time.perf_counter()
apply(plan)
t6 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "load rule pack": t2 - t1, "requirements + rules": t3 - t2,
                  "render templates (cold)": t4 - t3, "plan": t5 - t4, "write files": t6 - t5}))
"""

# `generate` in-process with Jinja's FileSystemBytecodeCache put back (argv[1] == "cache"),
# for --bytecode-ab: what dropping the cache costs. The cache was dropped because Jinja
# unpickles whatever its directory holds (a poisoned cache file runs code).
WITH_BYTECODE_CACHE = r"""
import sys, jinja2
if sys.argv[1] == "cache":
    class Env(jinja2.Environment):
        def __init__(self, *a, **k):
            k["bytecode_cache"] = jinja2.FileSystemBytecodeCache(sys.argv[2])
            super().__init__(*a, **k)
    jinja2.Environment = Env
from advisor.cli import main
sys.exit(main(["generate", sys.argv[3], "--stack", sys.argv[4], "--out", sys.argv[5], "--quiet"]))
"""


def _phases(example: Path, out: Path, stack: str, env: dict[str, str], cwd: Path, runs: int) -> dict[str, float]:
    import json

    samples: dict[str, list[float]] = {}
    for i in range(runs):
        proc = subprocess.run([sys.executable, "-c", PHASES, str(example), str(out / f"phase-{i}"), stack],
                              cwd=cwd, env=env, check=True, capture_output=True, text=True)
        for name, seconds in json.loads(proc.stdout).items():
            samples.setdefault(name, []).append(seconds)
    return {name: statistics.median(values) for name, values in samples.items()}


def _bytecode_ab(example: Path, work: Path, stack: str, env: dict[str, str], runs: int) -> dict[str, list[float]]:
    cache = work / "jinja-bytecode"
    cache.mkdir(exist_ok=True)
    times: dict[str, list[float]] = {"with bytecode cache": [], "without (shipped)": []}
    for i in range(-1, runs):
        for mode, label in (("cache", "with bytecode cache"), ("none", "without (shipped)")):
            out = work / f"ab-{mode}-{i}"
            cmd = [sys.executable, "-c", WITH_BYTECODE_CACHE, mode, str(cache), str(example), stack, str(out)]
            seconds = _time(cmd, env, work)
            if i >= 0:
                times[label].append(seconds)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=10, help="fresh processes per measurement (default 10)")
    ap.add_argument("--example", type=Path, default=None, help=f"requirements file (default {DEFAULT_EXAMPLE})")
    ap.add_argument("--stack", choices=("nextjs", "fastapi"), default="nextjs")
    ap.add_argument("--importtime", action="store_true", help="also list the slowest imports of one run")
    ap.add_argument("--phases", action="store_true", help="also time each stage inside one process (medians)")
    ap.add_argument("--bytecode-ab", action="store_true",
                    help="also time generate with Jinja's bytecode cache put back (warm) against without, interleaved")
    args = ap.parse_args()

    env = {**os.environ, "NO_COLOR": "1"}
    cmd = _command()
    with tempfile.TemporaryDirectory(prefix="bench-generate-") as tmp:
        work = Path(tmp)
        example = args.example or DEFAULT_EXAMPLE
        if not example.is_file():
            example = work / "clerk-requirements.yaml"
            example.write_text(FALLBACK_EXAMPLE, encoding="utf-8")

        def generate(i: int) -> list[str]:
            return [*cmd, "generate", str(example), "--stack", args.stack, "--out", str(work / f"out-{i}"),
                    "--quiet"]

        # One untimed run of each so the OS page cache and .pyc files are warm for both sides alike.
        _time(generate(-1), env, work)
        _time([sys.executable, "-c", "import pydantic, ruamel.yaml, jinja2"], env, work)

        gen, floor, bare = [], [], []
        for i in range(args.runs):  # interleaved, so drift in machine load hits both alike
            gen.append(_time(generate(i), env, work))
            floor.append(_time([sys.executable, "-c", "import pydantic, ruamel.yaml, jinja2"], env, work))
            bare.append(_time([sys.executable, "-c", "pass"], env, work))

        med = statistics.median(gen) * 1000
        shown = " ".join(generate(0)).replace(str(work), "TMP")
        print(f"command: {shown}")
        print(f"runs: {args.runs} fresh processes each, fresh output directory per run")
        rows = [
            (f"generate --stack {args.stack}", gen),
            ('python -c "import pydantic, ruamel.yaml, jinja2"', floor),
            ("python -c pass", bare),
        ]
        for label, times in rows:
            print(f"{label:<50} median {statistics.median(times) * 1000:7.1f} ms   (min {min(times) * 1000:.1f})")
        print(f"target: median < {TARGET_MS} ms: {'met' if med < TARGET_MS else 'NOT met'}")

        if args.phases:
            print("\nstages inside one process (median of the runs):")
            for name, seconds in _phases(example, work, args.stack, env, work, args.runs).items():
                print(f"  {seconds * 1000:7.1f} ms  {name}")

        if args.bytecode_ab:
            print("\nJinja bytecode cache A/B (interleaved; the cache warmed by one untimed run):")
            for label, times in _bytecode_ab(example, work, args.stack, env, args.runs).items():
                print(f"  {label:<28} median {statistics.median(times) * 1000:7.1f} ms   "
                      f"(min {min(times) * 1000:.1f})")

        if args.importtime:
            print("\nslowest top-level imports of one generate run (cumulative):")
            for us, module in _importtime(generate(99), env, work):
                print(f"  {us / 1000:7.1f} ms  {module}")


if __name__ == "__main__":
    main()
