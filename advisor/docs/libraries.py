"""The answer of GET /v2/libs/search, and the choice of the Clerk library among it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from advisor.docs.errors import MalformedResponseError

LIBRARY_ID = re.compile(r"^/[^/\s]+/[^/\s]+([/@][^/\s]+)?$")
_UNUSABLE_STATES = frozenset({"error", "delete"})


def is_library_id(value: object) -> bool:
    return isinstance(value, str) and bool(LIBRARY_ID.match(value)) and len(value) <= 500


@dataclass(frozen=True)
class Library:
    """One search result. Only `id` is required; missing numbers read as unknown."""

    id: str
    title: str = ""
    description: str = ""
    state: str | None = None
    trust_score: float | None = None
    benchmark_score: float | None = None
    total_snippets: int | None = None
    versions: tuple[str, ...] = field(default=())


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def parse_search(body: str | bytes) -> list[Library]:
    """Libraries of a search answer. An empty or result-less answer is an empty list."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    if not body.strip():
        return []
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise MalformedResponseError(f"search JSON could not be parsed ({exc.msg} at line {exc.lineno})") from None
    if isinstance(data, list):  # tolerate a bare list of libraries
        items: Any = data
    elif isinstance(data, dict):
        items = data.get("results") or []
    else:
        raise MalformedResponseError("search JSON is neither an object nor a list")
    if not isinstance(items, list):
        raise MalformedResponseError("search JSON 'results' is not a list")
    libraries = []
    for item in items:
        if not isinstance(item, dict) or not is_library_id(item.get("id")):
            continue
        snippets = _number(item.get("totalSnippets"))
        versions = item.get("versions")
        libraries.append(
            Library(
                id=item["id"],
                title=_text(item.get("title")),
                description=_text(item.get("description")),
                state=_text(item.get("state")) or None,
                trust_score=_number(item.get("trustScore")),
                benchmark_score=_number(item.get("benchmarkScore")),
                total_snippets=int(snippets) if snippets is not None else None,
                versions=tuple(v for v in versions if isinstance(v, str)) if isinstance(versions, list) else (),
            )
        )
    return libraries


def rank_libraries(
    libraries: Iterable[Library], *, name: str, preferred: Sequence[str] = ()
) -> list[Library]:
    """Candidates for `name`, best first.

    Only libraries whose id or title mentions the name count, and never those in state
    error or delete. Finalized (or unknown-state) ones come before those still indexing;
    then the preferred ids in their order; then trust score, benchmark score, snippets.
    """
    needle = name.lower()
    order = {library_id: i for i, library_id in enumerate(preferred)}

    def key(lib: Library) -> tuple[Any, ...]:
        return (
            0 if lib.state in (None, "finalized") else 1,
            order.get(lib.id, len(order)),
            -(lib.trust_score or 0.0),
            -(lib.benchmark_score or 0.0),
            -(lib.total_snippets or 0),
            lib.id,
        )

    candidates = [
        lib
        for lib in libraries
        if lib.state not in _UNUSABLE_STATES and (needle in lib.id.lower() or needle in lib.title.lower())
    ]
    return sorted(candidates, key=key)
