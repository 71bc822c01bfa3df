"""Version numbers: npm semver ranges (their lowest allowed version) and PEP 440 specifiers
(do they bound the version from above?). Regexes here read version strings, not source."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEMVER = re.compile(r"v?(\d+)(?:\.(\d+|x|X|\*))?(?:\.(\d+|x|X|\*))?(?:-([0-9A-Za-z.-]+))?")


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int = 0
    patch: int = 0
    # A release sorts after its pre-releases: (1, '') > (0, 'rc.1').
    pre: tuple[int, str] = (1, "")

    @classmethod
    def parse(cls, text: str) -> Version | None:
        match = _SEMVER.fullmatch(text.strip())
        if not match:
            return None
        major, minor, patch, pre = match.groups()
        return cls(int(major), _num(minor), _num(patch), (0, pre) if pre else (1, ""))

    def __str__(self) -> str:
        core = f"{self.major}.{self.minor}.{self.patch}"
        return f"{core}-{self.pre[1]}" if self.pre[0] == 0 else core


def _num(part: str | None) -> int:
    return int(part) if part and part.isdigit() else 0


_COMPARATOR = re.compile(r"(\^|~>?|>=|<=|>|<|=)?\s*(v?\d+(?:\.(?:\d+|x|X|\*))*(?:-[0-9A-Za-z.-]+)?)")


def range_floor(spec: str) -> Version | None:
    """The lowest version an npm range allows (`^6.1.0` -> 6.1.0); None when not a version range
    (`latest`, `workspace:*`, a git URL) or when it has no lower bound (`*`, `<7`)."""
    spec = spec.strip()
    if spec.startswith("npm:"):
        spec = spec.rsplit("@", 1)[-1]
    floors: list[Version] = []
    for alternative in spec.split("||"):
        alternative = alternative.strip()
        if " - " in alternative:  # hyphen range: 1.2.3 - 2.0.0
            alternative = ">=" + alternative.split(" - ", 1)[0]
        lows: list[Version] = []
        for op, version in _COMPARATOR.findall(alternative):
            if op in ("<", "<="):
                continue
            parsed = Version.parse(version)
            if parsed is not None:
                lows.append(parsed)
        if not lows:
            return None
        floors.append(max(lows))
    return min(floors) if floors else None


def exact_version(spec: str) -> Version | None:
    """A range that allows exactly one version (`7.9.17`, `=7.9.17`)."""
    spec = spec.strip().removeprefix("=").strip()
    if re.fullmatch(r"v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?", spec):
        return Version.parse(spec)
    return None


@dataclass(frozen=True)
class Interval:
    """[introduced, fixed): the versions an advisory affects."""

    introduced: Version
    fixed: Version

    def contains(self, version: Version) -> bool:
        return self.introduced <= version < self.fixed


def pep440_has_upper_bound(specifier: str) -> bool:
    """`==7.0.0`, `~=7.0`, `>=7,<8`, poetry `^7.0` / `~7.0`: bounded. `>=7`, `` and `*`: not."""
    for part in specifier.split(","):
        part = part.strip()
        if part.startswith(("==", "~=", "<", "^", "~")):
            return True
        if re.fullmatch(r"\d+(\.\d+)*", part):  # poetry: a bare version means ==
            return True
    return False
