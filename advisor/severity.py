"""How bad it is to ignore something: one scale for rule findings, audit findings and reports."""

from __future__ import annotations

from enum import IntEnum
from typing import Literal, get_args

Severity = Literal["info", "low", "medium", "high", "critical"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)  # weakest first
RANK: dict[str, int] = {s: i for i, s in enumerate(SEVERITIES)}


def rank(severity: str) -> int:
    """0 for info up to 4 for critical; an unknown severity (a newer snapshot) sorts last."""
    return RANK.get(severity, -1)


class Level(IntEnum):
    """The same scale as an ordered enum, for code that compares severities (--fail-on)."""

    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Level:
        return cls[text.upper()]


assert tuple(level.label for level in Level) == SEVERITIES, "one scale"
