"""Does a version fall in an npm peer range such as `^15.2.8 || ~19.2.3 || ^16.1.0-0`?

Only the forms npm packages use in peer ranges: `^`, `~`, a bare major (`18`), and exact
versions, joined by `||`. Anything else is "unknown" (None), never a guess.
"""

from __future__ import annotations

import re

from advisor.audit.versions import Version

_PART = re.compile(r"(\^|~)?\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?")


def satisfies(version: Version, spec: str) -> bool | None:
    release = Version(version.major, version.minor, version.patch)
    for alternative in spec.split("||"):
        match = _PART.fullmatch(alternative.strip())
        if match is None:
            return None
        op, major, minor, patch, pre = match.groups()
        low = Version(int(major), int(minor or 0), int(patch or 0), (0, pre) if pre else (1, ""))
        if op == "^" or minor is None:
            high = Version(low.major + 1, 0, 0, (0, ""))
        elif op == "~" or patch is None:
            high = Version(low.major, low.minor + 1, 0, (0, ""))
        else:
            high = None
        if high is None:
            if release == low:
                return True
        elif low <= release < high:
            return True
    return False
