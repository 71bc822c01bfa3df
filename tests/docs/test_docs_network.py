"""No test, and no offline run, may reach beyond 127.0.0.1."""

from __future__ import annotations

import socket

from docs_helpers import NetworkGuard
from fake_context7 import FakeContext7

from advisor.docs.fetch import fetch_docs
from advisor.docs.settings import DocsSettings


def test_fetches_connect_to_loopback_only(
    fake: FakeContext7, settings: DocsSettings, queries: dict[str, str], network_guard: NetworkGuard
) -> None:
    assert settings.base_url.startswith("http://127.0.0.1:")
    result = fetch_docs(queries, settings=settings)
    assert result.missing_areas == []
    assert network_guard.connected and set(network_guard.connected) == {"127.0.0.1"}
    assert network_guard.refused == []


def test_the_guard_really_blocks_the_internet(network_guard: NetworkGuard) -> None:
    """With no CONTEXT7_API_URL the client aims at context7.com; the guard must stop it."""
    network_guard.expect_refusals = True
    settings = DocsSettings.from_env(backoff_base=0.001, backoff_max=0.002, max_retries=1)
    assert settings.base_url == "https://context7.com/api"
    result = fetch_docs({"m2m": "How do I verify M2M tokens?"}, settings=settings)
    assert result.missing_areas == ["m2m"]
    assert "could not reach Context7 at context7.com" in result.warnings[0]
    assert "context7.com" in network_guard.refused
    assert network_guard.connected == []


def test_the_guard_covers_plain_sockets(network_guard: NetworkGuard) -> None:
    network_guard.expect_refusals = True
    for attempt in (
        lambda: socket.create_connection(("93.184.215.14", 80), timeout=0.1),
        lambda: socket.getaddrinfo("example.com", 443),
    ):
        try:
            attempt()
        except OSError:
            pass
        else:  # pragma: no cover - only when the guard is broken
            raise AssertionError("the guard let a connection through")
    assert network_guard.refused == ["93.184.215.14", "example.com"]
