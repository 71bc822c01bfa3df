"""The importer under the ways Clerk's API misbehaves: 5xx, lost answers, dropped
connections, 429 with Retry-After, a rate limit to respect, an API that goes away."""

from __future__ import annotations

import time

from migrate_helpers import users_jsonl

from advisor.migrate.importer import ImportOptions, import_users
from tests.conftest import run_process


def _import(tmp_path, fast, **options):
    return import_users(ImportOptions(tmp_path / "users.jsonl", state=tmp_path / "state", quiet=True, timing=fast,
                                      **options))


def test_5xx_and_lost_answers_are_looked_up_before_any_retry(tmp_path, fake, fast):
    users_jsonl(tmp_path / "users.jsonl", 6)
    fake.faults.extend(["503", "drop_after", "500", "drop_before", "drop_after", "502"])
    result = _import(tmp_path, fast, rate=200, concurrency=1)
    assert result.exit_code == 0, result.stopped
    assert len(fake.users) == 6 and set(fake.creations.values()) == {1}
    # every create without a trustworthy answer was followed by an external_id look-up
    creates = [r for r in fake.requests if r.endpoint in ("create", "list")]
    for before, after in zip(creates, creates[1:], strict=False):
        if before.endpoint == "create" and before.status in (0, 500, 502, 503):
            assert after.endpoint == "list"
    assert result.created == 6 and result.retries >= 4


def test_a_create_that_keeps_failing_is_a_failure_with_its_code(tmp_path, fake, fast):
    users_jsonl(tmp_path / "users.jsonl", 2)
    fake.faults.extend(["503"] * 4)
    fast = type(fast)(**{**fast.__dict__, "unreachable_after": 30.0})
    result = _import(tmp_path, fast, rate=200, concurrency=1)
    assert result.exit_code == 1
    assert result.failures_by_code == {"http_503": 1} and len(fake.users) == 1


def test_429_pauses_everyone_and_nothing_is_lost(tmp_path, fake, fast):
    fake.limits["development"] = (8, 1.0)  # 8 requests per second, while we ask for 40
    users_jsonl(tmp_path / "users.jsonl", 24)
    result = _import(tmp_path, fast, rate=40, concurrency=8)
    assert result.exit_code == 0, result.stopped
    assert result.throttled > 0 and any(r.status == 429 for r in fake.requests)
    assert len(fake.users) == 24 and set(fake.creations.values()) == {1}


def test_rate_counts_every_request_and_stays_under_it(tmp_path, fake, fast):
    fake.latency = 0.01
    rows = users_jsonl(tmp_path / "users.jsonl", 60)
    for row in rows[:20]:
        fake.seed(row)
    started = time.monotonic()
    result = _import(tmp_path, fast, rate=25, concurrency=8)
    assert result.exit_code == 0
    assert fake.max_per_second(started) <= 26  # 25 + one for the edge of a measuring window
    assert not any(r.status == 429 for r in fake.requests)
    assert len(fake.requests) == result.requests


def test_an_api_that_goes_away_stops_the_run_and_a_resume_finishes_it(tmp_path, fake, fast):
    fake.latency = 0.005
    users_jsonl(tmp_path / "users.jsonl", 60)

    original = fake.handle

    def handle(*args, **kwargs):
        if len(fake.requests_to("create")) >= 15:
            fake.down = True
        return original(*args, **kwargs)

    fake.handle = handle
    started = time.monotonic()
    result = _import(tmp_path, fast, rate=100, concurrency=4)
    assert result.exit_code == 3
    assert "cannot reach" in (result.stopped or "") or "failed while" in (result.stopped or "")
    assert time.monotonic() - started < 10
    fake.handle = original
    fake.down = False
    result = _import(tmp_path, fast, rate=100, concurrency=4)
    assert result.exit_code == 0, result.stopped
    assert len(fake.users) == 60 and set(fake.creations.values()) == {1}


def test_an_unreachable_api_ends_with_exit_3_within_60_seconds(tmp_path):
    import socket

    users_jsonl(tmp_path / "users.jsonl", 3)
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.monotonic()
    result = run_process("migrate", "import", "users.jsonl", cwd=tmp_path, timeout=90,
                         env={"CLERK_API_URL": f"http://127.0.0.1:{port}", "CLERK_SECRET_KEY": "sk_test_x" * 3})
    elapsed = time.monotonic() - started
    assert result.code == 3, result.err
    assert "cannot reach" in result.err or "failed while" in result.err
    assert elapsed < 60
    assert "Traceback" not in result.err
