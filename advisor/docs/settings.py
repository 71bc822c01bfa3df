"""Settings of the Context7 docs client: where to ask, how patiently, where to cache.

Every limit lives here so tests and benchmarks can make them small. The API key is held
with `repr=False`: a settings object can be printed or logged without leaking it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from advisor.paths import default_cache_dir

DEFAULT_BASE_URL = "https://context7.com/api"
BASE_URL_ENV = "CONTEXT7_API_URL"
API_KEY_ENV = "CONTEXT7_API_KEY"
DOCS_SUBDIR = "context7"

DocType = Literal["txt", "json"]


@dataclass(frozen=True)
class DocsSettings:
    """How the docs client talks to Context7 and caches what it gets.

    Times are in seconds. `cache_dir` is the app's cache root; docs live in its
    `context7/` subdirectory (`docs_cache_dir`), which is all `docs clear` touches.
    """

    base_url: str = DEFAULT_BASE_URL
    api_key: str | None = field(default=None, repr=False)
    cache_dir: Path = field(default_factory=default_cache_dir)
    ttl_seconds: float = 24 * 3600
    library_ttl_seconds: float = 7 * 24 * 3600
    library_name: str = "clerk"
    library_query: str = "Clerk authentication, user management and organizations"
    library_id: str | None = None  # pin a library id and skip the search
    preferred_library_ids: tuple[str, ...] = ("/clerk/clerk-docs", "/websites/clerk")
    doc_type: DocType = "txt"
    concurrency: int = 8  # recommend asks at most 8 areas: one round trip for all of them
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    request_deadline: float = 20.0  # whole request, headers to last byte (slow drips)
    overall_deadline: float = 60.0  # the whole fetch_docs network phase
    max_body_bytes: int = 2 * 1024 * 1024
    max_retries: int = 2  # for 5xx, timeouts and connection errors
    backoff_base: float = 0.5
    backoff_max: float = 4.0
    max_rate_limit_retries: int = 2
    retry_after_cap: float = 5.0
    max_redirects: int = 3
    max_excerpts_per_area: int = 3
    quote_chars: int = 400

    def __post_init__(self) -> None:
        if self.doc_type not in ("txt", "json"):
            raise ValueError(f"doc_type must be 'txt' or 'json', not {self.doc_type!r}")
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if self.max_body_bytes < 1:
            raise ValueError("max_body_bytes must be positive")
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))
        object.__setattr__(self, "cache_dir", Path(self.cache_dir))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> DocsSettings:
        """Settings from CONTEXT7_API_URL, CONTEXT7_API_KEY and CLERK_ADVISOR_CACHE_DIR."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {
            "base_url": env.get(BASE_URL_ENV, "").strip() or DEFAULT_BASE_URL,
            "api_key": env.get(API_KEY_ENV, "").strip() or None,
            "cache_dir": default_cache_dir(env),
        }
        values.update(overrides)
        return cls(**values)

    def with_(self, **changes: Any) -> DocsSettings:
        return replace(self, **changes)

    @property
    def docs_cache_dir(self) -> Path:
        return self.cache_dir / DOCS_SUBDIR
