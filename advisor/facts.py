"""Facts: the flat view of Requirements (plus derived assurance) that rule conditions read.

A fact path is a dotted path to a leaf of the Requirements model, such as
`threat_model.compliance`, or one of the derived `assurance.*` facts that the first phase
of the rule pack computes. The registry is built from the model itself, so a new field is
a new fact with no second list to keep in step.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from advisor.requirements import Requirements

# Enums whose values have an order, so `gte`/`lte` and "strongest" mean something.
ORDERS: dict[str, tuple[Any, ...]] = {
    "threat_model.impact": ("auto", "low", "moderate", "high"),
    "threat_model.data_sensitivity": ("public", "internal", "confidential", "regulated"),
    "tenancy.organizations": ("none", "optional", "required"),
    "preferences.mfa": ("auto", "off", "optional", "required"),
    "assurance.impact": ("low", "moderate", "high"),
    "assurance.aal": ("AAL1", "AAL2", "AAL3"),
    "assurance.asvs_level": (1, 2, 3),
}


@dataclass(frozen=True)
class FactSpec:
    """What a fact holds: its scalar kind, whether it is a list, and the allowed values."""

    path: str
    kind: str  # "str" | "int" | "bool" | "enum"
    is_list: bool = False
    nullable: bool = False
    choices: tuple[Any, ...] | None = None
    pattern: str | None = None
    derived: bool = False

    @property
    def ordered(self) -> tuple[Any, ...] | None:
        return ORDERS.get(self.path)

    def describe(self) -> str:
        base = (
            "one of " + ", ".join(map(str, self.choices)) if self.choices is not None
            else {"str": "a string", "int": "an integer", "bool": "true or false"}.get(self.kind, self.kind)
        )
        if self.is_list:
            base = (f"a list of {base.removeprefix('one of ')}" if self.choices is not None
                    else f"a list of {base.removeprefix('a ').removeprefix('an ')}s")
        if self.nullable:
            base += ", or null"
        return base

    def accepts(self, value: Any) -> bool:
        """Does a single (non-list) value fit this fact's element type?"""
        if value is None:
            return self.nullable
        if self.choices is not None:
            return any(value == c and type(value) is type(c) for c in self.choices)
        if self.kind == "bool":
            return isinstance(value, bool)
        if self.kind == "int":
            return isinstance(value, int) and not isinstance(value, bool)
        return isinstance(value, str)


def _leaf_spec(path: str, annotation: Any, field_info: Any = None) -> FactSpec:
    nullable = False
    is_list = False
    origin = get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        nullable = len(args) < len(get_args(annotation))
        annotation = args[0]
        origin = get_origin(annotation)
    if origin is list:
        is_list = True
        annotation = get_args(annotation)[0]
        origin = get_origin(annotation)
    pattern = None
    if field_info is not None:
        for meta in getattr(field_info, "metadata", []):
            pattern = getattr(meta, "pattern", pattern)
    if origin is Literal:
        choices = get_args(annotation)
        kind = "enum"
        return FactSpec(path, kind, is_list, nullable, tuple(choices), pattern)
    kind = {bool: "bool", int: "int", str: "str"}[annotation]
    return FactSpec(path, kind, is_list, nullable, None, pattern)


def _walk(model: type[BaseModel], prefix: str, out: dict[str, FactSpec]) -> None:
    for name, info in model.model_fields.items():
        key = info.alias or name
        path = f"{prefix}{key}"
        ann = info.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            _walk(ann, path + ".", out)
        else:
            out[path] = _leaf_spec(path, ann, info)


DERIVED: dict[str, FactSpec] = {
    "assurance.impact": FactSpec("assurance.impact", "enum", choices=ORDERS["assurance.impact"], derived=True),
    "assurance.aal": FactSpec("assurance.aal", "enum", choices=ORDERS["assurance.aal"], derived=True),
    "assurance.asvs_level": FactSpec("assurance.asvs_level", "enum", choices=ORDERS["assurance.asvs_level"], derived=True),
}


@lru_cache(maxsize=1)
def fact_specs() -> dict[str, FactSpec]:
    """Every fact a rule may test: the leaves of Requirements, then the derived ones."""
    out: dict[str, FactSpec] = {}
    _walk(Requirements, "", out)
    out.update(DERIVED)
    return out


def flatten(req: Requirements) -> dict[str, Any]:
    """Requirements as {fact path: value}; lists become tuples so facts are immutable."""
    out: dict[str, Any] = {}

    def walk(data: Any, prefix: str) -> None:
        for key, value in data.items():
            path = f"{prefix}{key}"
            if isinstance(value, dict):
                walk(value, path + ".")
            else:
                out[path] = tuple(value) if isinstance(value, list) else value

    walk(req.to_data(), "")
    return out
