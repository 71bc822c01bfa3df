"""Clerk SDK major versions mentioned in docs text, so callers can spot newer majors.

Recognised: npm `@clerk/<pkg>@8.1.0`, package.json `"@clerk/<pkg>": "^8.0.0"`, PyPI
`clerk-backend-api==8.0.0` (also >=, ~=, pyproject `clerk-backend-api = "^8"`), and Go
`github.com/clerk/clerk-sdk-go/v2`. Tags like `@latest` carry no number and are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# `(?:\.\d+)*+` is possessive: a pre-release such as 8.0.0-beta.1 is not a released major.
_VERSION = r"[\^~=<>v\s]*(\d+)(?:\.(?:\d+|x|\*))*+(?![\w-])"
_NPM_AT = re.compile(r"(?<![\w/-])(@clerk/[a-z0-9][a-z0-9._-]*)@" + _VERSION, re.I)
_NPM_JSON = re.compile(r"""["'](@clerk/[a-z0-9][a-z0-9._-]*)["']\s*:\s*["']""" + _VERSION, re.I)
_PYPI = re.compile(
    r"(?<![\w-])(clerk[-_]backend[-_]api)\s*(?:\[[^\]]*\])?\s*(?:===|==|>=|~=|\^|@|>)\s*"
    r"v?(\d+)(?:\.\d+)*+(?![\w-])",
    re.I,
)
_PYPROJECT = re.compile(r"(?<![\w-])[\"']?(clerk[-_]backend[-_]api)[\"']?\s*=\s*[\"']" + _VERSION, re.I)
_GO = re.compile(r"github\.com/clerk/clerk-sdk-go/v(\d+)\b", re.I)


def _canonical(name: str) -> str:
    name = name.lower()
    if name.replace("_", "-") == "clerk-backend-api":
        return "clerk-backend-api"
    return name


def sdk_major_versions(text: str) -> dict[str, int]:
    """The highest major version of each Clerk SDK package named in `text`."""
    found: dict[str, int] = {}

    def note(name: str, major: str) -> None:
        package = _canonical(name)
        found[package] = max(found.get(package, 0), int(major))

    for pattern in (_NPM_AT, _NPM_JSON, _PYPI, _PYPROJECT):
        for match in pattern.finditer(text):
            note(match.group(1), match.group(2))
    for match in _GO.finditer(text):
        note("github.com/clerk/clerk-sdk-go", match.group(1))
    return dict(sorted(found.items()))


def merge_versions(many: Iterable[Mapping[str, int]]) -> dict[str, int]:
    merged: dict[str, int] = {}
    for versions in many:
        for package, major in versions.items():
            merged[package] = max(merged.get(package, 0), major)
    return dict(sorted(merged.items()))


def newer_majors(found: Mapping[str, int], targets: Mapping[str, int]) -> dict[str, tuple[int, int]]:
    """Packages whose docs mention a newer major than the templates target: name -> (target, seen)."""
    return {
        package: (target, found[package])
        for package, target in sorted(targets.items())
        if package in found and found[package] > target
    }
