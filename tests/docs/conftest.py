"""Fixtures for the docs tests: a fake Context7, fast settings, no internet, no real cache.

Every test here runs with a network guard: a connection or name lookup for anything
but the loopback interface is refused and recorded, and a test that triggers one
fails unless it says it expects it (`network_guard.expect_refusals = True`).
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for fake_context7, whatever the import mode

from docs_helpers import LOOPBACK, QUERIES, NetworkGuard
from fake_context7 import FakeContext7

from advisor.docs.settings import DocsSettings


@pytest.fixture(autouse=True)
def network_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[NetworkGuard]:
    guard = NetworkGuard()
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_create_connection = socket.create_connection
    real_getaddrinfo = socket.getaddrinfo

    def connect(sock: socket.socket, address: object) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            guard.check(address[0])  # type: ignore[index]
        return real_connect(sock, address)  # type: ignore[arg-type]

    def connect_ex(sock: socket.socket, address: object) -> int:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            guard.check(address[0])  # type: ignore[index]
        return real_connect_ex(sock, address)  # type: ignore[arg-type]

    def create_connection(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        guard.check(address[0])
        return real_create_connection(address, *args, **kwargs)  # type: ignore[arg-type]

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> list:  # type: ignore[type-arg]
        guard.check(host, lookup=True)
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield guard
    assert all(host in LOOPBACK for host in guard.connected)
    if not guard.expect_refusals:
        assert guard.refused == [], f"a test tried to reach the network: {guard.refused}"


@pytest.fixture(autouse=True)
def docs_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A private cache dir and no Context7 or proxy settings from the developer's shell."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("CLERK_ADVISOR_CACHE_DIR", str(cache))
    for name in (
        "CONTEXT7_API_KEY",
        "CONTEXT7_API_URL",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    return cache


@pytest.fixture(scope="session")
def _fake_server() -> Iterator[FakeContext7]:
    with FakeContext7() as server:
        yield server


@pytest.fixture
def fake(_fake_server: FakeContext7, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeContext7]:
    """The fake Context7, reset, with CONTEXT7_API_URL pointing at it."""
    _fake_server.reset()
    monkeypatch.setenv("CONTEXT7_API_URL", _fake_server.base_url)
    yield _fake_server
    _fake_server.reset()


@pytest.fixture
def settings(fake: FakeContext7, docs_env: Path) -> DocsSettings:
    """Settings from the environment, with every wait made small."""
    return DocsSettings.from_env(
        connect_timeout=2.0,
        read_timeout=2.0,
        request_deadline=3.0,
        overall_deadline=10.0,
        backoff_base=0.001,
        backoff_max=0.005,
        retry_after_cap=0.05,
    )


@pytest.fixture
def queries() -> dict[str, str]:
    return dict(QUERIES)
