"""Fixtures for the migrate tests: the helpers on sys.path, and no Clerk settings from the shell."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(autouse=True)
def _clean_clerk_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CLERK_SECRET_KEY", "CLERK_API_URL", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy",
                 "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def _fake_server():
    from fake_clerk import FakeClerk

    with FakeClerk() as server:
        yield server


@pytest.fixture
def fake(_fake_server, monkeypatch):
    """The fake Clerk, reset, with generous limits (tests that study limits set their own), and
    CLERK_API_URL / CLERK_SECRET_KEY (a development key) pointing at it."""
    from fake_clerk import DEV_KEY

    _fake_server.reset()
    _fake_server.limits = {"development": (100_000, 10.0), "production": (100_000, 10.0)}
    monkeypatch.setenv("CLERK_API_URL", _fake_server.base_url)
    monkeypatch.setenv("CLERK_SECRET_KEY", DEV_KEY)
    yield _fake_server
    _fake_server.reset()


@pytest.fixture
def fast():
    """Timings that make retries and give-ups take milliseconds."""
    from advisor.migrate.client import Timing

    return Timing(connect=1.0, read=2.0, unreachable_after=1.5, attempts=4, backoff=0.01, backoff_cap=0.05,
                  retry_after_default=0.2, retry_after_cap=1.5, throttle_patience=30.0)
