"""Benchmark fetch_docs against the fake Context7 with 300 ms of latency per request.

    .venv/bin/python benchmarks/bench_docs.py [--runs 7] [--latency 0.3]

Scenarios, six decision areas each:
  cold            empty cache: one library search, then the six areas in parallel
  cold sequential the same with concurrency=1, to show what parallelism saves
  cold docs, library id cached   the daily case: no search, the six areas in parallel
  warm (cached)   every answer cached and fresh: no request at all
  offline         the same, with offline=True
The first cold run of the process also pays for importing httpx; it is shown apart.
Nothing here leaves 127.0.0.1: the base URL is the fake server's and no key is sent.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "docs")]

from fake_context7 import FakeContext7  # noqa: E402

from advisor.architecture.docs import questions  # noqa: E402
from advisor.docs.fetch import fetch_docs  # noqa: E402
from advisor.docs.settings import DocsSettings  # noqa: E402

# The questions recommend --docs asks for an architecture that uses every area.
QUERIES = questions({"orgs.enabled": True, "sso.enterprise": True, "m2m.enabled": True,
                     "webhooks.events": ["user.created"]}.get)  # the fake has no api_keys docs


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="runs per scenario (default 7)")
    parser.add_argument("--latency", type=float, default=0.3, help="fake server latency in seconds (default 0.3)")
    args = parser.parse_args()

    rows: list[tuple[str, list[float], float]] = []
    with FakeContext7() as server, tempfile.TemporaryDirectory() as tmp:
        server.latency = args.latency
        counter = 0

        def settings(**changes: object) -> DocsSettings:
            nonlocal counter
            counter += 1
            cache_dir = Path(tmp) / f"run{counter}"
            return DocsSettings(base_url=server.base_url, api_key=None, cache_dir=cache_dir, **changes)  # type: ignore[arg-type]

        def cold(**changes: object) -> tuple[list[float], float]:
            times, requests = [], []
            runs = args.runs if not changes else max(3, args.runs // 2)
            for _ in range(runs):
                fresh = settings(**changes)
                server.requests = []
                times.append(timed(partial(run, fresh)))
                requests.append(len(server.requests))
            return times, statistics.median(requests)

        first = settings()
        server.requests = []
        first_ms = timed(partial(run, first))
        rows.append(("cold, first in process (imports httpx)", [first_ms], len(server.requests)))
        rows.append(("cold", *cold()))
        rows.append(("cold sequential (concurrency=1)", *cold(concurrency=1)))

        # The daily case: the library id (cached 7 days) is known, the docs (24 h) expired.
        known = settings()
        fetch_docs({"m2m": QUERIES["m2m"]}, quiet=True, settings=known)
        times, counts = [], []
        for _ in range(args.runs):
            for path in known.docs_cache_dir.glob("*.json"):
                if json.loads(path.read_text())["kind"] == "context":
                    path.unlink()
            server.requests = []
            times.append(timed(partial(run, known)))
            counts.append(len(server.requests))
        rows.append(("cold docs, library id cached", times, statistics.median(counts)))

        warm = settings()
        run(warm)
        for label, offline in (("warm (all cached)", False), ("offline (all cached)", True)):
            server.requests = []
            times = [timed(partial(run, warm, offline=offline)) for _ in range(args.runs)]
            rows.append((label, times, len(server.requests) / args.runs))

    print(f"fetch_docs, {len(QUERIES)} areas, fake Context7 at {args.latency * 1000:.0f} ms latency, {args.runs} runs")
    print(f"{'scenario':<40} {'median ms':>10} {'min':>8} {'max':>8} {'runs':>5} {'requests':>9} {'~round trips':>13}")
    for label, times, requests in rows:
        trips = statistics.median(times) / (args.latency * 1000)
        print(
            f"{label:<40} {statistics.median(times):>10.1f} {min(times):>8.1f} {max(times):>8.1f} "
            f"{len(times):>5} {requests:>9g} {trips:>13.2f}"
        )
    return 0


def run(settings: DocsSettings, *, offline: bool = False) -> None:
    result = fetch_docs(QUERIES, quiet=True, offline=offline, settings=settings)
    if result.missing_areas:
        raise SystemExit(f"benchmark run lost areas {result.missing_areas}: {result.warnings}")


if __name__ == "__main__":
    raise SystemExit(main())
