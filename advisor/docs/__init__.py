"""Optional live Clerk docs from Context7, offline-safe.

    from advisor.docs import fetch_docs
    result = fetch_docs({"auth.mfa": "How do I require MFA in Clerk?"}, offline=False)

Importing this package is cheap: each name is imported from its module on first use
(PEP 562), so `docs status` never loads asyncio, and httpx is imported only when a
request is about to be made (advisor.docs.client).
"""

from __future__ import annotations

from advisor.lazy import exports

_EXPORTS = {
    "CacheStatus": "cache",
    "DocsCache": "cache",
    "DocsSettings": "settings",
    "fetch_docs": "fetch",
    "newer_majors": "versions",
}


__getattr__ = exports(__name__, _EXPORTS)


__all__ = sorted(_EXPORTS)
