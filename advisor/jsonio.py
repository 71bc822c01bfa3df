"""Reading JSON written by this tool (snapshots, manifests, caches) as untrusted input.

A file may have been edited, truncated or replaced: every problem is one UserError with a
location, never a traceback. Nesting is bounded (a 3,000-deep document stops the parser
with RecursionError, which is caught; anything deeper than MAX_DEPTH is refused after
parsing), and so are integers (Python refuses to parse more than 4,300 digits with a
ValueError of its own).
"""

from __future__ import annotations

import json
from typing import Any

from advisor.errors import Location, UserError

MAX_DEPTH = 64
MAX_INT_DIGITS = 30


def _too_deep(data: Any) -> bool:
    """True when containers nest deeper than MAX_DEPTH. Checked on the parsed value, which
    has far fewer containers than the text has characters; deeper than the interpreter's
    recursion limit, the parser itself stops with RecursionError."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        for child in children:
            if isinstance(child, (dict, list)):
                if depth + 1 > MAX_DEPTH:
                    return True
                stack.append((child, depth + 1))
    return False


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"an integer of {len(text)} digits")
    return int(text)


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def load_json(text: str, shown: str) -> Any:
    deep = UserError(f"JSON nested more than {MAX_DEPTH} levels deep", location=Location(shown))
    try:
        data = json.loads(text, parse_int=_int, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise UserError(f"invalid JSON: {exc.msg}", location=Location(shown, exc.lineno, exc.colno)) from None
    except RecursionError:
        raise deep from None
    except ValueError as exc:
        raise UserError(f"invalid JSON: {exc}", location=Location(shown)) from None
    if isinstance(data, (dict, list)) and _too_deep(data):
        raise deep
    return data
