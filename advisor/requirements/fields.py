"""The shape of every leaf field of Requirements, read from the model itself: kind, list or
not, nullable, allowed values and, for ordered enums, their order.

The loader's messages ("allowed: ...") and the rule engine's facts both come from here, so
a new field needs no second list. An enum is ordered (for `gte`/`lte`) when its field says
so (`ORDERED`), in the order its Literal lists the values.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from advisor.requirements.model import Requirements

FieldKind = Literal["str", "int", "bool", "enum"]

_KIND_TEXT = {"str": "a string", "int": "an integer", "bool": "true or false"}


@dataclass(frozen=True)
class FieldSpec:
    """What a field (and the fact of the same path) holds: its scalar kind, whether it is a
    list, and the allowed values."""

    path: str
    kind: FieldKind
    is_list: bool = False
    nullable: bool = False
    choices: tuple[Any, ...] | None = None
    order: tuple[Any, ...] | None = None  # the choices weakest first, when `gte`/`lte` apply

    def describe(self) -> str:
        base = "one of " + ", ".join(map(str, self.choices)) if self.choices is not None else _KIND_TEXT[self.kind]
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


def _leaf_spec(path: str, annotation: Any, ordered: bool) -> FieldSpec:
    nullable = False
    is_list = False
    if get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        nullable = len(args) < len(get_args(annotation))
        annotation = args[0]
    if get_origin(annotation) is list:
        is_list = True
        annotation = get_args(annotation)[0]
    if get_origin(annotation) is Literal:
        choices = get_args(annotation)
        return FieldSpec(path, "enum", is_list, nullable, choices, choices if ordered else None)
    kind: FieldKind = {bool: "bool", int: "int", str: "str"}[annotation]  # type: ignore[assignment]
    return FieldSpec(path, kind, is_list, nullable)


def _walk(model: type[BaseModel], prefix: str, out: dict[str, FieldSpec]) -> None:
    for name, info in model.model_fields.items():
        path = f"{prefix}{info.alias or name}"
        ann = info.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            _walk(ann, path + ".", out)
        else:
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            out[path] = _leaf_spec(path, ann, bool(extra.get("ordered")))


@cache
def field_specs() -> dict[str, FieldSpec]:
    """Every leaf of Requirements by dotted path, in model order."""
    out: dict[str, FieldSpec] = {}
    _walk(Requirements, "", out)
    return out
