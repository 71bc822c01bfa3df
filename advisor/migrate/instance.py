"""Which Clerk instance a secret key belongs to, and what it allows.

The key's prefix tells the kind (Clerk's documented convention): `sk_test_` a
development instance, `sk_live_` production. Their Backend API limits are 100 and 1,000
requests per 10 s (system-limits docs); the default rate is 80% of that, leaving room
for the live app. The development user cap is 100 in Clerk's docs today, but the docs
have said 500 before, so it can be overridden (`--dev-user-cap`), and a 403
`user_quota_exceeded` still stops the run.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from advisor.errors import UserError

DEFAULT_API_URL = "https://api.clerk.com"
LIMITS = {"development": 100 / 10, "production": 1000 / 10}  # requests per second
HEADROOM = 0.8
DEV_USER_CAP = 100


@dataclass(frozen=True)
class Instance:
    kind: str  # development | production
    api_url: str
    key: str

    @property
    def default_rate(self) -> float:
        return LIMITS[self.kind] * HEADROOM

    def pace(self, rate: float | None, concurrency: int | None) -> tuple[float, int]:
        """The requests per second and in flight for a run: given, or the instance's defaults
        (enough in flight to keep the rate with answers taking up to half a second)."""
        rate = rate or self.default_rate
        return rate, concurrency or max(4, min(64, int(rate * 0.5) + 1))

    def __repr__(self) -> str:  # never show the key
        return f"Instance(kind={self.kind!r}, api_url={self.api_url!r})"


def from_env(*, required: bool = True) -> Instance | None:
    key = os.environ.get("CLERK_SECRET_KEY", "").strip()
    api_url = (os.environ.get("CLERK_API_URL", "").strip() or DEFAULT_API_URL).rstrip("/")
    if not key:
        if required:
            raise UserError("CLERK_SECRET_KEY is not set", hint="export CLERK_SECRET_KEY=sk_test_... (development) or "
                            "sk_live_... (production), from the Clerk Dashboard -> API keys")
        return None
    if key.startswith("sk_test_"):
        kind = "development"
    elif key.startswith("sk_live_"):
        kind = "production"
    else:
        raise UserError("CLERK_SECRET_KEY is not a Clerk secret key", allowed="sk_test_... or sk_live_...")
    if not api_url.startswith(("https://", "http://")):
        raise UserError("CLERK_API_URL must be an http(s) URL", allowed="https://api.clerk.com")
    return Instance(kind, api_url, key)


def ask(confirm: Callable[[str], bool] | None, question: str, *, needs: str, refused: str) -> None:
    """A yes from the person at the terminal, or UserError: `needs` when nobody can be asked."""
    if confirm is None:
        raise UserError(needs, hint=f"this would {question.rstrip('?')}")
    if not confirm(question):
        raise UserError(refused)
