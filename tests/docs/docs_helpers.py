"""Shared pieces of the docs tests: the network guard, a test key, the six questions.

A module of its own (not conftest) so test files can import it unambiguously, whatever
other conftest.py files the test tree has.
"""

from __future__ import annotations

import socket

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost", "::ffff:127.0.0.1"})
TEST_KEY = "ctx7sk-test-8c1f4e2a9b7d4f03a6e5"


class NetworkGuard:
    def __init__(self) -> None:
        self.connected: list[str] = []
        self.refused: list[str] = []
        self.expect_refusals = False
        self.allow_loopback = True  # False: no socket may connect at all (offline runs)

    def check(self, host: object, *, lookup: bool = False) -> None:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if not self.allow_loopback and not lookup:
            self.refused.append(name)
            raise AssertionError(f"test guard: a socket connected to {name!r} in a run that must not open one")
        if host is None or name in LOOPBACK:
            if not lookup:
                self.connected.append(name)
            return
        self.refused.append(name)
        if lookup:
            raise socket.gaierror(socket.EAI_NONAME, f"test guard: no name lookup for {name!r}")
        raise ConnectionRefusedError(f"test guard: no network access to {name!r}")


QUERIES = {
    "auth.mfa": "How do I require multi-factor authentication for all users?",
    "session": "How do I set the session lifetime and inactivity timeout?",
    "orgs": "How do I check organization roles and permissions on the server?",
    "m2m": "How do I create and verify M2M tokens between services?",
    "webhooks": "How do I verify a Clerk webhook in a Route Handler?",
    "sdk": "Which @clerk/nextjs version should I install?",
}
