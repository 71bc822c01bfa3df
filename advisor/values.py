"""Writing a value the way a person would write it in the requirements file."""

from __future__ import annotations

from typing import Any


def as_yaml(value: Any) -> str:
    """null, true/false, [a, b], or the plain text: for messages that quote a value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(as_yaml(v) for v in value) + "]"
    return str(value)
