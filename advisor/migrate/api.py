"""What the Backend API answers, in terms the importer uses: no httpx here, so that the
modules which only plan, check or report can name these without loading it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from advisor.errors import ServiceError

API_VERSION = "2025-11-10"  # the version Clerk's own Python SDK pins
LOOKUP_MAX = 100  # values per list filter (GetUserList: "Accepts up to 100")


@dataclass(frozen=True)
class Timing:
    connect: float = 5.0
    read: float = 20.0
    unreachable_after: float = 15.0  # no good answer for this long: the API cannot be reached
    attempts: int = 5  # tries of one request facing 5xx, timeouts, dropped connections
    backoff: float = 0.5
    backoff_cap: float = 8.0
    retry_after_default: float = 1.0
    retry_after_cap: float = 60.0
    throttle_patience: float = 600.0  # seconds of 429 for one request before the run stops


class Stop(ServiceError):
    """The run cannot go on (the key is refused, the API is gone): exit 3, resume later."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def error(self) -> dict[str, Any]:
        errors = self.body.get("errors") if isinstance(self.body, dict) else None
        first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
        return first

    @property
    def code(self) -> str:
        return str(self.error.get("code") or f"http_{self.status}")

    @property
    def message(self) -> str:
        return str(self.error.get("long_message") or self.error.get("message") or f"HTTP {self.status}")


@dataclass(frozen=True)
class Uncertain:
    """No answer we can trust: a 5xx, a timeout, a dropped connection."""

    code: str
    message: str
    status: int | None = None
