"""How bad it is to ignore something: one scale for rule findings, audit findings and reports."""

from __future__ import annotations

from typing import Literal, get_args

Severity = Literal["info", "low", "medium", "high", "critical"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)  # weakest first
RANK: dict[str, int] = {s: i for i, s in enumerate(SEVERITIES)}


def rank(severity: str) -> int:
    """0 for info up to 4 for critical; an unknown severity (a newer snapshot) sorts last."""
    return RANK.get(severity, -1)
