"""Optional live Clerk docs from Context7, offline-safe.

    from advisor.docs import fetch_docs
    result = fetch_docs({"auth.mfa": "How do I require MFA in Clerk?"}, offline=False)

Importing this package is cheap: httpx is imported only when a request is about to be
made (advisor.docs.client), so cached and offline runs never load it.
"""

from advisor.docs.cache import CacheEntry, CacheStatus, DocsCache
from advisor.docs.errors import (
    AccessDeniedError,
    AuthenticationError,
    ConfigError,
    Context7HTTPError,
    DocsError,
    InvalidRequestError,
    LibraryNotFoundError,
    MalformedResponseError,
    NoDocsError,
    RateLimitError,
    RedirectError,
    ResponseTooLargeError,
    ServerError,
    TransportError,
)
from advisor.docs.fetch import DocsResult, Excerpt, fetch_docs, quote_of
from advisor.docs.libraries import Library, is_library_id, parse_search, rank_libraries
from advisor.docs.settings import DEFAULT_BASE_URL, DocsSettings, default_cache_dir
from advisor.docs.snippets import Snippet, parse_docs, parse_json, parse_txt
from advisor.docs.versions import merge_versions, newer_majors, sdk_major_versions

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
