"""A real `migrate import` process killed with SIGKILL at random instants, then resumed:
every user exists in Clerk exactly once (the fake counts successful creates per
external_id), and a rollback after a kill also deletes the user a killed run created but
never recorded."""

from __future__ import annotations

import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fake_clerk import PROD_KEY
from migrate_helpers import users_jsonl

from tests.conftest import ROOT


def _start(fake, cwd: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "CLERK_API_URL": fake.base_url, "CLERK_SECRET_KEY": PROD_KEY, "NO_COLOR": "1",
           "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "advisor", "migrate", *args], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.parametrize("seed", [1, 2])
def test_killed_at_random_instants_then_resumed_creates_everyone_exactly_once(tmp_path, fake, seed):
    rng = random.Random(seed)
    rows = users_jsonl(tmp_path / "users.jsonl", 250)
    for row in rows[::50]:  # some were there before the migration
        fake.seed(row, key=PROD_KEY)
    fake.latency = 0.004
    fake.fault_rate = 0.05  # and Clerk misbehaves now and then: 503, lost answers, dropped connections
    progress = []  # users in Clerk after each kill: the kills land in the middle of the import
    for _ in range(4):
        process = _start(fake, tmp_path, "import", "users.jsonl", "--yes", "--rate", "120", "--quiet")
        time.sleep(rng.uniform(0.5, 1.2))
        if process.poll() is not None:
            break
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        progress.append(len(fake.users))
    final = _start(fake, tmp_path, "import", "users.jsonl", "--yes", "--rate", "400", "--quiet", "--format", "json")
    out, err = final.communicate(timeout=120)
    assert final.returncode == 0, err
    assert len(progress) >= 2 and progress[0] < 250, progress
    assert len(fake.users) == 250
    assert set(fake.creations.values()) == {1} and len(fake.creations) == 245
    doc = json.loads(out)
    assert doc["journal"] == {"created": 245, "existed": 5}
    with open(tmp_path / ".clerk-advisor/migrations/users.jsonl/id-map.csv", newline="") as fh:
        id_map = {r["external_id"]: r["clerk_user_id"] for r in csv.DictReader(fh)}
    assert id_map == {r["external_id"]: fake.user_by_external_id(r["external_id"])["id"] for r in rows}


def test_rollback_after_a_kill_deletes_the_unrecorded_user_and_only_ours(tmp_path, fake):
    rows = users_jsonl(tmp_path / "users.jsonl", 8)
    existed = fake.seed(rows[0], key=PROD_KEY)
    bystander = fake.seed({"external_id": "not-ours", "username": "bystander", "skip_password_requirement": True},
                          key=PROD_KEY)
    fake.stall_seconds = 5.0
    fake.faults.extend(["none", "none", "stall"])  # the third create happens, its answer never comes back
    process = _start(fake, tmp_path, "import", "users.jsonl", "--yes", "--concurrency", "1", "--quiet")
    deadline = time.monotonic() + 20
    while sum(fake.creations.values()) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert sum(fake.creations.values()) == 3
    status = _start(fake, tmp_path, "status", "--format", "json")
    journal = json.loads(status.communicate(timeout=30)[0])["journal"]
    assert journal == {"existed": 1, "created": 2, "pending": 1}, journal  # Clerk has 3 of ours; we recorded 2
    rollback = _start(fake, tmp_path, "rollback", "--yes", "--format", "json")
    out, err = rollback.communicate(timeout=60)
    assert rollback.returncode == 0, err
    assert json.loads(out)["deleted"] == 3
    assert set(fake.users) == {existed["id"], bystander["id"]}
