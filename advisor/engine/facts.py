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
from advisor.requirements import FIELDS, Requirements
from advisor.requirements.spec import FieldSpec
from advisor.requirements.value import document_key

FactSpec = FieldSpec


@cache
def fact_specs() -> dict[str, FactSpec]:
    """Every fact a rule may test: the leaves of Requirements, then the derived ones."""
    out = dict(FIELDS)
    for key, spec in DERIVED.items():
        out[key] = FactSpec(key, "enum", choices=spec.order, order=spec.order)
    return out


def flatten(req: Requirements) -> dict[str, Any]:
    """The requirements as {fact path: value}, read straight from the value (its lists are
    tuples already, so facts are immutable)."""
    out: dict[str, Any] = {}
    for section, value in zip(req._fields, req, strict=True):
        if isinstance(value, tuple) and hasattr(value, "_fields"):
            for name, item in zip(value._fields, value, strict=True):
                out[f"{section}.{document_key(name)}"] = item  # migration.from is the attribute from_
        else:
            out[section] = value
    return out
