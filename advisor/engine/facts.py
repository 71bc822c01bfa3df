"""Facts: the flat view of Requirements (plus the derived assurance levels) that rule
conditions read.

A fact path is a dotted path to a leaf of the Requirements model, such as
`threat_model.compliance`, or one of the derived `assurance.*` keys the first phases of the
pack settle (their values and order come from the decision table).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from advisor.engine.decisions import DERIVED
from advisor.requirements import FIELDS
from advisor.requirements.spec import FieldSpec

FactSpec = FieldSpec


@cache
def fact_specs() -> dict[str, FactSpec]:
    """Every fact a rule may test: the leaves of Requirements, then the derived ones."""
    out = dict(FIELDS)
    for key, spec in DERIVED.items():
        out[key] = FactSpec(key, "enum", choices=spec.order, order=spec.order)
    return out


def flatten(data: dict[str, Any]) -> dict[str, Any]:
    """A requirements document as {fact path: value}; lists become tuples so facts are
    immutable."""
    out: dict[str, Any] = {}

    def walk(node: dict[str, Any], prefix: str) -> None:
        for key, value in node.items():
            path = f"{prefix}{key}"
            if isinstance(value, dict):
                walk(value, path + ".")
            else:
                out[path] = tuple(value) if isinstance(value, list) else value

    walk(data, "")
    return out
