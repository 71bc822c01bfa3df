"""Which link targets may reach a report: plain http(s) addresses only.

URLs come from rule packs, snapshots and Context7 answers, none of which is trusted. A
`javascript:` or `data:` link, or one that smuggles markup (spaces, quotes, brackets,
pipes, control characters), is refused rather than escaped.
"""

from __future__ import annotations

import re

_WEB_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9\-._~%!$&'*+,;=:@/?#]*)?", re.ASCII)
MAX_URL = 2000


def is_web_url(value: object, *, https_only: bool = False) -> bool:
    if not isinstance(value, str) or len(value) > MAX_URL or not _WEB_URL.fullmatch(value):
        return False
    if "'" in value:  # legal in a URL, but it ends an HTML attribute a renderer may build
        return False
    return value.startswith("https://") or not https_only
