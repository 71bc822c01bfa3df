"""Optional live Clerk docs from Context7, offline-safe.

    from advisor.docs import fetch_docs
    result = fetch_docs({"auth.mfa": "How do I require MFA in Clerk?"}, offline=False)

Importing this package is cheap: each name is imported from its module on first use
(PEP 562), so `docs status` never loads asyncio, and httpx is imported only when a
request is about to be made (advisor.docs.client).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "AccessDeniedError": "advisor.docs.errors",
    "AuthenticationError": "advisor.docs.errors",
    "CacheEntry": "advisor.docs.cache",
    "CacheStatus": "advisor.docs.cache",
    "ConfigError": "advisor.docs.errors",
    "Context7HTTPError": "advisor.docs.errors",
    "DEFAULT_BASE_URL": "advisor.docs.settings",
    "DocsCache": "advisor.docs.cache",
    "DocsError": "advisor.docs.errors",
    "DocsResult": "advisor.docs.fetch",
    "DocsSettings": "advisor.docs.settings",
    "Excerpt": "advisor.docs.fetch",
    "InvalidRequestError": "advisor.docs.errors",
    "Library": "advisor.docs.libraries",
    "LibraryNotFoundError": "advisor.docs.errors",
    "MalformedResponseError": "advisor.docs.errors",
    "NoDocsError": "advisor.docs.errors",
    "RateLimitError": "advisor.docs.errors",
    "RedirectError": "advisor.docs.errors",
    "ResponseTooLargeError": "advisor.docs.errors",
    "ServerError": "advisor.docs.errors",
    "Snippet": "advisor.docs.snippets",
    "TransportError": "advisor.docs.errors",
    "default_cache_dir": "advisor.docs.settings",
    "fetch_docs": "advisor.docs.fetch",
    "is_library_id": "advisor.docs.libraries",
    "merge_versions": "advisor.docs.versions",
    "newer_majors": "advisor.docs.versions",
    "parse_docs": "advisor.docs.snippets",
    "parse_json": "advisor.docs.snippets",
    "parse_search": "advisor.docs.libraries",
    "parse_txt": "advisor.docs.snippets",
    "quote_of": "advisor.docs.fetch",
    "rank_libraries": "advisor.docs.libraries",
    "sdk_major_versions": "advisor.docs.versions",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'advisor.docs' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "DEFAULT_BASE_URL",
    "AccessDeniedError",
    "AuthenticationError",
    "CacheEntry",
    "CacheStatus",
    "ConfigError",
    "Context7HTTPError",
    "DocsCache",
    "DocsError",
    "DocsResult",
    "DocsSettings",
    "Excerpt",
    "InvalidRequestError",
    "Library",
    "LibraryNotFoundError",
    "MalformedResponseError",
    "NoDocsError",
    "RateLimitError",
    "RedirectError",
    "ResponseTooLargeError",
    "ServerError",
    "Snippet",
    "TransportError",
    "default_cache_dir",
    "fetch_docs",
    "is_library_id",
    "merge_versions",
    "newer_majors",
    "parse_docs",
    "parse_json",
    "parse_search",
    "parse_txt",
    "quote_of",
    "rank_libraries",
    "sdk_major_versions",
]
