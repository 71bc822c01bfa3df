"""Reading JSON written by this tool (snapshots, manifests, caches) as untrusted input.

A file may have been edited, truncated or replaced: every problem is one UserError with a
location, never a traceback. Nesting is bounded (a 3,000-deep document would otherwise
exhaust the interpreter's recursion), and so are integers (Python refuses to parse more
than 4,300 digits with a ValueError of its own).
"""

from __future__ import annotations

import json
from typing import Any

from advisor.errors import Location, UserError

MAX_DEPTH = 64
MAX_INT_DIGITS = 30


def _depth_exceeded(text: str) -> bool:
    """True when brackets outside strings nest deeper than MAX_DEPTH (checked before
    parsing, in one linear pass)."""
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif ch in "]}":
            depth -= 1
    return False


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"an integer of {len(text)} digits")
    return int(text)


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def load_json(text: str, shown: str) -> Any:
    if _depth_exceeded(text):
        raise UserError(f"JSON nested more than {MAX_DEPTH} levels deep", location=Location(shown))
    try:
        return json.loads(text, parse_int=_int, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise UserError(f"invalid JSON: {exc.msg}", location=Location(shown, exc.lineno, exc.colno)) from None
    except (ValueError, RecursionError) as exc:
        raise UserError(f"invalid JSON: {exc}", location=Location(shown)) from None
