"""Writes advisor/requirements/contract.py from the pydantic model, the one source of truth.

    python -m advisor.requirements.codegen            # rewrite contract.py
    python -m advisor.requirements.codegen --check    # exit 1 when it is stale

The generated module holds the field table (`FIELDS`: kind, choices, order, default and
limits of every field) and the frozen dataclasses of the `Requirements` value. Loading a
file then needs neither pydantic nor its model; a test keeps the table equal to what this
module derives, and another checks that the table and pydantic accept the same documents.
"""

from __future__ import annotations

import sys
import types
import typing
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from advisor.requirements.model import SECTIONS, RequirementsModel
from advisor.requirements.spec import FieldKind, FieldSpec, Section
from advisor.requirements.value import attribute

TARGET = Path(__file__).with_name("contract.py")


def _unwrap(annotation: Any) -> tuple[Any, bool, bool]:
    """(element annotation, is_list, nullable)."""
    nullable = is_list = False
    if get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        nullable = len(args) < len(get_args(annotation))
        annotation = args[0]
    if get_origin(annotation) is list:
        is_list = True
        annotation = get_args(annotation)[0]
    return annotation, is_list, nullable


def _constraint(info: FieldInfo, name: str) -> Any:
    for meta in info.metadata:
        value = getattr(meta, name, None)
        if value is not None:
            return value
    return None


def _leaf(path: str, info: FieldInfo) -> FieldSpec:
    element, is_list, nullable = _unwrap(info.annotation)
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    default = info.default
    if isinstance(default, list):
        default = tuple(default)
    pattern = _constraint(info, "pattern")
    limits: dict[str, Any] = {
        "default": default, "ge": _constraint(info, "ge"), "le": _constraint(info, "le"),
        "min_items": _constraint(info, "min_length") if is_list else None,
        "max_items": _constraint(info, "max_length") if is_list else None,
        "unique": is_list, "pattern": pattern.removeprefix("^").removesuffix("$") if pattern else None,
        "check": extra.get("check"),
    }
    if get_origin(element) is Literal:
        choices = get_args(element)
        return FieldSpec(path, "enum", is_list, nullable, choices, choices if extra.get("ordered") else None,
                         **limits)
    kind: FieldKind = {bool: "bool", int: "int", str: "str"}[element]  # type: ignore[assignment]
    return FieldSpec(path, kind, is_list, nullable, **limits)


def derive() -> tuple[tuple[Section, ...], dict[str, FieldSpec]]:
    """The sections and the field table, read from the model."""
    fields: dict[str, FieldSpec] = {}
    sections: list[Section] = []
    for name, info in RequirementsModel.model_fields.items():
        key = info.alias or name
        ann = info.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            names = []
            for sub, sub_info in ann.model_fields.items():
                names.append(sub_info.alias or sub)
                fields[f"{key}.{names[-1]}"] = _leaf(f"{key}.{names[-1]}", sub_info)
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            sections.append(Section(key, tuple(names), optional=bool(extra.get("optional"))))
        else:
            fields[key] = _leaf(key, info)
            sections.append(Section(key, ()))
    assert tuple(s.key for s in sections if s.key != "schema") == SECTIONS, "SECTIONS must list the model's sections"
    return tuple(sections), fields


def _type_source(spec: FieldSpec) -> str:
    if spec.choices is not None:
        base = "Literal[" + ", ".join(repr(c) for c in spec.choices) + "]"
    else:
        base = {"str": "str", "int": "int", "bool": "bool"}[spec.kind]
    if spec.is_list:
        base = f"tuple[{base}, ...]"
    return f"{base} | None" if spec.nullable else base


def _spec_source(spec: FieldSpec) -> str:
    """`FieldSpec(...)` with only the arguments that differ from their defaults."""
    parts = [repr(spec.path), repr(spec.kind)]
    for name in FieldSpec._fields[2:]:
        value = getattr(spec, name)
        if value != FieldSpec._field_defaults[name]:
            parts.append(f"{name}={value!r}")
    return f"FieldSpec({', '.join(parts)})"


def _section_source(section: Section) -> str:
    optional = ", optional=True" if section.optional else ""
    return f"Section(key={section.key!r}, fields={section.fields!r}{optional})"


def _class_name(key: str) -> str:
    return "".join(part.capitalize() for part in key.split("_"))


def render() -> str:
    sections, fields = derive()
    out = [
        '"""The requirements contract, generated from advisor/requirements/model.py by',
        "`python -m advisor.requirements.codegen`. Do not edit: change the model and regenerate",
        '(tests/test_requirements_contract.py fails while this file is stale)."""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Any, Literal, NamedTuple",
        "",
        "from advisor.requirements.spec import FieldSpec, Section",
        "from advisor.requirements.value import document, from_data, sha256_of_data, without_default_sections",
        "",
        "SECTIONS: tuple[Section, ...] = (",
        *(f"    {_section_source(s)}," for s in sections),
        ")",
        "",
        "FIELDS: dict[str, FieldSpec] = {",
        *(f"    {path!r}: {_spec_source(spec)}," for path, spec in fields.items()),
        "}",
    ]
    for section in sections:
        if not section.fields:
            continue
        out += ["", "", f"class {_class_name(section.key)}(NamedTuple):"]
        for name in section.fields:
            spec = fields[f"{section.key}.{name}"]
            out.append(f"    {attribute(name)}: {_type_source(spec)} = {spec.default!r}")
    out += ["", "", "class Requirements(NamedTuple):",
            '    """clerk-requirements.yaml, schema 1, validated: the value every stage reads."""', ""]
    for section in sections:
        if section.fields:
            cls = _class_name(section.key)
            out.append(f"    {section.key}: {cls} = {cls}()")
        else:
            spec = fields[section.key]
            out.append(f"    {section.key}: {_type_source(spec)} = {spec.default!r}")
    sections_map = ", ".join(f'"{s.key}": {_class_name(s.key)}' for s in sections if s.fields)
    optional_map = ", ".join(f'"{s.key}": {_class_name(s.key)}' for s in sections if s.optional)
    out += [
        "",
        "    @classmethod",
        "    def from_data(cls, data: dict[str, Any]) -> Requirements:",
        '        """Build from a document the contract has already validated and completed."""',
        "        return from_data(cls, SECTION_TYPES, data)",
        "",
        "    def to_data(self) -> dict[str, Any]:",
        '        """The full, defaulted document, as written to files (a fresh copy)."""',
        "        return document(self)",
        "",
        "    def to_document(self) -> dict[str, Any]:",
        '        """to_data() without the optional sections at their defaults: what snapshots record."""',
        "        return without_default_sections(self, OPTIONAL_SECTIONS)",
        "",
        "    @property",
        "    def sha256(self) -> str:",
        '        """Digest of the requirements: equal meaning, equal digest (an optional section at its',
        '        defaults means the same as no section)."""',
        "        return sha256_of_data(self.to_document())",
        "",
        "",
        f"SECTION_TYPES: dict[str, Any] = {{{sections_map}}}",
        f"OPTIONAL_SECTIONS: dict[str, Any] = {{{optional_map}}}",
    ]
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    from advisor.generated import refresh

    return refresh(TARGET, render(), argv, "python -m advisor.requirements.codegen")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
