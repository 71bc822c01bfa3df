"""The shape of one requirements field, as plain data: what the loader checks, what rule
conditions may compare, and what the questionnaire offers.

The table of every field (`contract.FIELDS`) is generated from the pydantic model, so
there is one source of truth; this module only describes an entry and answers questions
about values. It imports nothing heavy, and its records are NamedTuples (cheap to define
at start-up): reading a requirements file never builds a pydantic model unless the file
is wrong.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

FieldKind = Literal["str", "int", "bool", "enum"]

_KIND_TEXT = {"str": "a string", "int": "an integer", "bool": "true or false"}


class FieldSpec(NamedTuple):
    """What a field (and the fact of the same path) holds, and its limits."""

    path: str
    kind: FieldKind
    is_list: bool = False
    nullable: bool = False
    choices: tuple[Any, ...] | None = None
    order: tuple[Any, ...] | None = None  # the choices weakest first, when `gte`/`lte` apply
    default: Any = None
    ge: int | None = None
    le: int | None = None
    min_items: int | None = None
    max_items: int | None = None
    unique: bool = False
    pattern: str | None = None  # a whole-string match for str fields (and list items)
    check: str | None = None  # the name of a check in advisor.requirements.checks

    def describe(self) -> str:
        base = "one of " + ", ".join(map(str, self.choices)) if self.choices is not None else _KIND_TEXT[self.kind]
        if self.is_list:
            base = (f"a list of {base.removeprefix('one of ')}" if self.choices is not None
                    else f"a list of {base.removeprefix('a ').removeprefix('an ')}s")
        if self.kind == "int" and (self.ge is not None or self.le is not None):
            bounds = [f">= {self.ge}" if self.ge is not None else "", f"<= {self.le}" if self.le is not None else ""]
            base += " " + " and ".join(b for b in bounds if b)
        if self.nullable:
            base += ", or empty (null)"
        return base

    def accepts(self, value: Any) -> bool:
        """Does a single (non-list) value fit this field's element type?"""
        if value is None:
            return self.nullable
        if self.choices is not None:
            return any(value == c and type(value) is type(c) for c in self.choices)
        if self.kind == "bool":
            return isinstance(value, bool)
        if self.kind == "int":
            return isinstance(value, int) and not isinstance(value, bool)
        return isinstance(value, str)


class Section(NamedTuple):
    """A top-level key of the file: a mapping of fields, or (like `audience`) one field."""

    key: str
    fields: tuple[str, ...]  # field names inside the section; () for a top-level field
    optional: bool = False  # left out of documents while it holds only its defaults
