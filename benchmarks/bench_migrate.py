"""Benchmark `migrate convert` and `migrate import`, each as a real process.

    .venv/bin/python benchmarks/bench_migrate.py [--part convert|import|all] [--runs 3]
        [--convert-users 1000000] [--import-users 2000] [--latency 0.02]

convert: synthetic Supabase (auth.users as one JSON array, bcrypt, phones without +,
  metadata) and Firebase (`{"users": [...]}`, scrypt; and the same users as the headerless
  CSV of `firebase auth:export --format=csv`) exports of 100,000 and --convert-users users.
  Reports the median wall time and the peak RSS of the convert process (from wait4), to
  show that memory does not grow with the number of users.
import: the fake Clerk Backend API (tests/migrate/fake_clerk.py) on 127.0.0.1 answering
  every request after --latency seconds, with production's limit of 1,000 requests per
  10 s. Scenarios: --rate 80 with --import-users (the production default, below the
  limit): sustained request rate, 429s (must be 0), users/s and the 1,000,000-user
  estimate; --rate 150 with three times as many users (above the limit, for several
  limit windows): 429s, the accepted rate it converges to, and that every user was
  created exactly once.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "migrate")]

from fake_clerk import PROD_KEY, FakeClerk  # noqa: E402
from migrate_helpers import firebase_csv  # noqa: E402

BCRYPT = "$2b$10$U4C0ZY8OG8y41F9LusfKyu3HRMBL0rCZcKBVsXhgr.n8Ou6FPhzO2"
SCRYPT_HASH = "lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ=="
FIREBASE_CONFIG = {"base64_signer_key": "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSD"
                                        "zZvpjeJ9WmXA==", "base64_salt_separator": "Bw==", "rounds": 8, "mem_cost": 14}


def supabase_export(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("[\n")
        for i in range(n):
            row = {"instance_id": "00000000-0000-0000-0000-000000000000", "id": f"{i:08d}-aaaa-4bbb-8ccc-dddddddddddd",
                   "aud": "authenticated", "role": "authenticated", "email": f"user{i}@example.com",
                   "encrypted_password": BCRYPT if i % 4 else "",
                   "email_confirmed_at": "2024-06-29 20:26:00.5+00" if i % 3 else None,
                   "phone": f"1415{2_000_000 + i % 8_000_000:07d}" if i % 5 == 0 else None,
                   "phone_confirmed_at": None,
                   "raw_app_meta_data": {"provider": "email", "providers": ["email"],
                                         "plan": "pro" if i % 7 else "free"},
                   "raw_user_meta_data": {"full_name": f"User Number{i}"},
                   "created_at": "2024-06-29 20:25:06.126079+00",
                   "updated_at": "2024-06-29 20:25:06.126079+00", "banned_until": None, "deleted_at": None,
                   "is_anonymous": False, "is_sso_user": False}
            fh.write(("," if i else "") + json.dumps(row) + "\n")
        fh.write("]\n")


def firebase_users(n: int) -> Iterator[dict[str, Any]]:
    for i in range(n):
        yield {"localId": f"fb{i:010d}", "email": f"user{i}@example.com", "emailVerified": bool(i % 3),
               "passwordHash": SCRYPT_HASH, "salt": "42xEC+ixf3L2lw==", "displayName": f"User Number{i}",
               "createdAt": "1486324027000", "lastSignedInAt": "1486324027000",
               "providerUserInfo": [{"providerId": "password", "email": f"user{i}@example.com"}]}


def firebase_export(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('{"users": [\n')
        for i, row in enumerate(firebase_users(n)):
            fh.write(("," if i else "") + json.dumps(row) + "\n")
        fh.write("]}\n")


def firebase_csv_export(path: Path, n: int) -> None:
    """The same users as `firebase auth:export --format=csv` writes them (no header, 52 columns)."""
    with open(path, "w", encoding="utf-8") as fh:
        for row in firebase_users(n):
            fh.write(firebase_csv([row]))


def run_process(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int, int, str]:
    """(seconds, peak RSS in MiB, exit code, stdout) of one real CLI process."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "advisor", *args], cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
                               text=True)
    out = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, usage.ru_maxrss // 1024, process.returncode, out


def bench_convert(args: argparse.Namespace, tmp: Path) -> None:
    print(f"migrate convert, one process per run, {args.runs} runs (median seconds; peak RSS of the process)")
    print(f"{'source':<10} {'users':>10} {'median s':>9} {'min s':>7} {'users/s':>10} {'peak RSS MiB':>13} "
          f"{'input MB':>9}")
    (tmp / "hash.json").write_text(json.dumps(FIREBASE_CONFIG))
    for label, source, suffix, write in (("supabase", "supabase", "json", supabase_export),
                                         ("firebase", "firebase", "json", firebase_export),
                                         ("fb CSV", "firebase", "csv", firebase_csv_export)):
        for n in sorted({100_000, args.convert_users}):
            export = tmp / f"{source}-{n}.{suffix}"
            write(export, n)
            extra = ["--hash-config", "hash.json"] if source == "firebase" else []
            times, peaks = [], []
            for _ in range(args.runs):
                seconds, rss, code, _ = run_process(["migrate", "convert", "--from", source, export.name, *extra,
                                                     "-o", "users.jsonl", "--format", "json"], tmp)
                if code != 0:
                    raise SystemExit(f"convert exited {code}")
                times.append(seconds)
                peaks.append(rss)
            median = statistics.median(times)
            print(f"{label:<10} {n:>10,} {median:>9.1f} {min(times):>7.1f} {n / median:>10,.0f} {max(peaks):>13} "
                  f"{export.stat().st_size / 1e6:>9.0f}")
            export.unlink()


def bench_import(args: argparse.Namespace, tmp: Path) -> None:
    print(f"\nmigrate import, fake Clerk at {args.latency * 1000:.0f} ms latency with production's limit of 1,000 "
          f"requests / 10 s (fixed windows), {args.runs} runs (medians)")
    print(f"{'--rate':>7} {'users':>6} {'wall s':>7} {'users/s':>8} {'sustained req/s':>16} {'% of --rate':>12} "
          f"{'accepted req/s':>15} {'429s':>5} {'once each':>10} {'1M users (h)':>13}")
    with FakeClerk() as fake:
        for rate, n in ((80, args.import_users), (150, 3 * args.import_users)):
            users = tmp / f"users-{n}.jsonl"
            with open(users, "w", encoding="utf-8") as fh:
                for i in range(n):
                    fh.write(json.dumps({"external_id": f"old-{i:07d}", "email_address": [f"user{i}@example.com"],
                                         "email_address_identification_status": ["verified"],
                                         "password_digest": BCRYPT, "password_hasher": "bcrypt"}) + "\n")
            rows = []
            for _ in range(args.runs):
                fake.reset()
                fake.latency = args.latency
                state = tmp / f"state-{rate}-{time.monotonic_ns()}"
                env = {"CLERK_API_URL": fake.base_url, "CLERK_SECRET_KEY": PROD_KEY}
                seconds, _, code, _ = run_process(["migrate", "import", users.name, "--state", str(state), "--yes",
                                                   "--rate", str(rate), "--quiet"], tmp, env)
                if code != 0:
                    raise SystemExit(f"import exited {code}")
                times = sorted(r.at for r in fake.requests)
                steady = [t for t in times if times[0] + 1 <= t <= times[-1] - 1]
                sustained = (len(steady) - 1) / (steady[-1] - steady[0]) if len(steady) > 1 else 0.0
                accepted = sum(1 for r in fake.requests if r.status != 429) / (times[-1] - times[0])
                throttled = sum(1 for r in fake.requests if r.status == 429)
                once = len(fake.users) == n and set(fake.creations.values()) == {1}
                rows.append((seconds, n / seconds, sustained, accepted, throttled, once))
            med = [statistics.median(r[i] for r in rows) for i in range(5)]
            print(f"{rate:>7} {n:>6,} {med[0]:>7.1f} {med[1]:>8.1f} {med[2]:>16.1f} {100 * med[2] / rate:>11.0f}% "
                  f"{med[3]:>15.1f} {int(med[4]):>5} {str(all(r[5] for r in rows)):>10} "
                  f"{1_000_000 / med[1] / 3600:>13.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=("convert", "import", "all"), default="all")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--convert-users", type=int, default=1_000_000)
    parser.add_argument("--import-users", type=int, default=2_000)
    parser.add_argument("--latency", type=float, default=0.02)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-migrate-") as name:
        tmp = Path(name)
        if args.part in ("convert", "all"):
            bench_convert(args, tmp)
        if args.part in ("import", "all"):
            bench_import(args, tmp)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
