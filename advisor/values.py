"""Writing a decision or requirement value the way a person reads it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def plain(value: Any) -> Any:
    """JSON-ready data: tuples become lists and read-only mappings dicts, at any depth."""
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def as_yaml(value: Any) -> str:
    """null, true/false, [a, b], or the plain text: for messages that quote a value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(as_yaml(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {as_yaml(v)}" for k, v in value.items()) + "}"
    return str(value)


def show(value: Any, null_label: str = "none") -> str:
    """A value in a report: yes/no, comma-separated lists, "(none)" for empty ones."""
    if value is None:
        return null_label
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) if value else "(none)"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {v}" for k, v in value.items()) if value else "(none)"
    return str(value)


def show_decision(key: str, value: Any, null_label: str = "none") -> str:
    """A decision's value with its unit: durations in words and seconds, minutes."""
    if isinstance(value, int) and not isinstance(value, bool):
        if key.endswith("_seconds"):
            return f"{duration(value)} ({value} s)"
        if key.endswith("_minutes"):
            return f"{value} min"
        return str(value)
    return show(value, null_label)


_UNITS = (("d", "day", 86400), ("h", "hour", 3600), ("min", "minute", 60))


def duration(seconds: int, *, words: bool = False) -> str:
    """The largest whole unit: "7 d" (or, with words, "7 days")."""
    for short, long, size in _UNITS:
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {long}{'' if count == 1 else 's'}" if words else f"{count} {short}"
    return f"{seconds} seconds" if words else f"{seconds} s"
