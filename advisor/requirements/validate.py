"""Validating a requirements document with the generated field table: the same contract
as the pydantic model, checked in plain Python.

`check` returns the completed document (defaults filled, role keys normalised) or None
at the first problem; the loader then asks the pydantic model for the exact message. A
property test (tests/test_requirements_contract.py) checks that the two accept the same
documents.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from advisor.requirements.checks import CHECKS
from advisor.requirements.contract import FIELDS, SECTIONS
from advisor.requirements.spec import FieldSpec


@cache
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)


def _scalar_ok(spec: FieldSpec, value: Any) -> bool:
    if not spec.accepts(value):
        return False
    if value is None:
        return True
    if spec.kind == "int" and spec.choices is None:
        if spec.ge is not None and value < spec.ge:
            return False
        if spec.le is not None and value > spec.le:
            return False
    if spec.pattern is not None and isinstance(value, str) and not _pattern(spec.pattern).fullmatch(value):
        return False
    return True


def _field(spec: FieldSpec, value: Any) -> tuple[bool, Any]:
    if spec.is_list:
        if not isinstance(value, list):
            return False, None
        if spec.min_items is not None and len(value) < spec.min_items:
            return False, None
        if spec.max_items is not None and len(value) > spec.max_items:
            return False, None
        if not all(_scalar_ok(spec, item) for item in value):
            return False, None
        if spec.unique and len({(type(v), v) for v in value}) != len(value):
            return False, None
    elif not _scalar_ok(spec, value):
        return False, None
    if spec.check is not None:
        try:
            value = CHECKS[spec.check](list(value) if isinstance(value, list) else value)
        except ValueError:
            return False, None
    return True, list(value) if isinstance(value, list) else value


def _default(spec: FieldSpec) -> Any:
    return list(spec.default) if isinstance(spec.default, tuple) else spec.default


def check(doc: Any) -> dict[str, Any] | None:
    """The complete document when `doc` fits the contract, else None."""
    if not isinstance(doc, dict) or "schema" not in doc:
        return None
    known = {s.key for s in SECTIONS}
    if any(key not in known for key in doc):
        return None
    out: dict[str, Any] = {}
    for section in SECTIONS:
        given = doc.get(section.key)
        if not section.fields:
            spec = FIELDS[section.key]
            ok, value = _field(spec, given) if section.key in doc else (True, _default(spec))
            if not ok:
                return None
            out[section.key] = value
            continue
        if given is None and section.key not in doc:
            given = {}
        if not isinstance(given, dict) or any(k not in section.fields for k in given):
            return None
        values: dict[str, Any] = {}
        for name in section.fields:
            spec = FIELDS[f"{section.key}.{name}"]
            ok, value = _field(spec, given[name]) if name in given else (True, _default(spec))
            if not ok:
                return None
            values[name] = value
        out[section.key] = values
    return out
