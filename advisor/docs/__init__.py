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
    "CacheStatus": "advisor.docs.cache",
    "DocsCache": "advisor.docs.cache",
    "DocsSettings": "advisor.docs.settings",
    "fetch_docs": "advisor.docs.fetch",
    "newer_majors": "advisor.docs.versions",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'advisor.docs' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = sorted(_EXPORTS)
