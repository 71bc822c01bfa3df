"""Check clerk-config.json against the JSON Schema of an instance, offline.

`clerk config schema --output schema.json` saves the schema Clerk's Platform API serves
for one instance; `generate --config-schema schema.json` checks the patch against it
before anyone runs `clerk config patch`. Pure: a document and a schema in, problems out.

A small validator for the JSON Schema keywords such a schema uses (type, properties,
additionalProperties, patternProperties, required, enum, const, items, minItems,
maxItems, uniqueItems, minimum, maximum, exclusiveMinimum, exclusiveMaximum, minLength,
maxLength, pattern, anyOf, oneOf, allOf, not, $ref into the same document, and OpenAPI's
nullable), rather than the jsonschema package: the check needs no draft-specific
features, and one dependency fewer is one less thing to install for a single flag.
Annotations (title, description, default, format, examples) are ignored.

One deliberate difference from plain JSON Schema: a key the schema does not describe is
reported even where additionalProperties is absent, because a patch key Clerk does not
know is exactly the mistake this check exists to find. An explicit
`additionalProperties: true` (or a schema) allows such keys.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.errors import Location, UserError

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "boolean": (bool,),
    "integer": (int,), "number": (int, float), "null": (type(None),),
}


@dataclass(frozen=True)
class Problem:
    path: str  # dotted path in the document, "" for the top
    message: str

    def __str__(self) -> str:
        return f"{self.path or '(top level)'}: {self.message}"


MAX_SCHEMA_BYTES = 16 * 1024 * 1024


def load_schema(path: Path) -> dict[str, Any]:
    """A schema file saved by `clerk config schema --output FILE`; a user error if it is not
    JSON (read with the bounded readers: a FIFO or /dev/zero is refused, nesting and
    integers are bounded)."""
    from advisor.jsonio import load_json
    from advisor.yamlio import read_text

    hint = "save it with `clerk config schema --output FILE`"
    try:
        text = read_text(path, what="config schema", limit=MAX_SCHEMA_BYTES)
    except UserError as exc:
        raise UserError(f"cannot read the config schema: {exc.message}", location=exc.location, hint=hint) from None
    try:
        data = load_json(text, str(path))
    except UserError as exc:
        raise UserError(f"the config schema is not JSON: {exc.message.removeprefix('invalid JSON: ')}",
                        location=exc.location, hint=hint) from None
    if not isinstance(data, dict):
        raise UserError("the config schema must be a JSON object (a JSON Schema)", location=Location(str(path)))
    return data


def validate(document: Any, schema: dict[str, Any]) -> list[Problem]:
    """Every way `document` does not fit `schema`, in document order."""
    out: list[Problem] = []
    _check(document, schema, schema, "", out)
    return out


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _resolve(schema: dict[str, Any], root: dict[str, Any], seen: int = 0) -> dict[str, Any]:
    ref = schema.get("$ref")
    if not isinstance(ref, str):
        return schema
    if not ref.startswith("#") or seen > 32:
        return {}  # a remote or circular reference: nothing to check against
    node: Any = root
    for part in [p for p in ref[1:].split("/") if p]:
        part = part.replace("~1", "/").replace("~0", "~")
        node = node.get(part) if isinstance(node, dict) else None
    if not isinstance(node, dict):
        return {}
    merged = {**node, **{k: v for k, v in schema.items() if k != "$ref"}}
    return _resolve(merged, root, seen + 1)


def _type_ok(value: Any, expected: Any, nullable: bool) -> bool:
    names = expected if isinstance(expected, list) else [expected]
    if value is None and nullable:
        return True
    for name in names:
        kinds = _TYPES.get(name)
        if kinds is None:
            return True  # an unknown type name: do not guess
        if isinstance(value, bool) and name in ("integer", "number"):
            continue
        if name == "integer" and isinstance(value, float) and value.is_integer():
            return True
        if isinstance(value, kinds):
            return True
    return False


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _check(value: Any, schema: Any, root: dict[str, Any], path: str, out: list[Problem]) -> None:
    if schema is True or schema is None:
        return
    if schema is False:
        out.append(Problem(path, "not allowed here"))
        return
    if not isinstance(schema, dict):
        return
    schema = _resolve(schema, root)
    if value is None and schema.get("nullable") is True:
        return
    if "type" in schema and not _type_ok(value, schema["type"], bool(schema.get("nullable"))):
        expected = schema["type"] if isinstance(schema["type"], str) else " or ".join(schema["type"])
        out.append(Problem(path, f"expected {expected}, got {_show(value)}"))
        return
    if "const" in schema and value != schema["const"]:
        out.append(Problem(path, f"must be {_show(schema['const'])}, got {_show(value)}"))
    if isinstance(schema.get("enum"), list) and value not in schema["enum"]:
        allowed = ", ".join(_show(v) for v in schema["enum"])
        out.append(Problem(path, f"{_show(value)} is not one of {allowed}"))
    for branch in schema.get("allOf") or []:
        _check(value, branch, root, path, out)
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and branches:
            fits = sum(1 for b in branches if not _probe(value, b, root, path))
            if fits == 0 or (key == "oneOf" and fits > 1):
                out.append(Problem(path, f"{_show(value)} fits {'none' if fits == 0 else fits} of the {key} "
                                         f"alternatives"))
    if "not" in schema and not _probe(value, schema["not"], root, path):
        out.append(Problem(path, f"{_show(value)} matches a form the schema forbids"))
    if isinstance(value, dict):
        _check_object(value, schema, root, path, out)
    elif isinstance(value, list):
        _check_array(value, schema, root, path, out)
    elif isinstance(value, str):
        if isinstance(schema.get("minLength"), int) and len(value) < schema["minLength"]:
            out.append(Problem(path, f"shorter than {schema['minLength']} characters"))
        if isinstance(schema.get("maxLength"), int) and len(value) > schema["maxLength"]:
            out.append(Problem(path, f"longer than {schema['maxLength']} characters"))
        if isinstance(schema.get("pattern"), str) and not re.search(schema["pattern"], value):
            out.append(Problem(path, f"{_show(value)} does not match {schema['pattern']}"))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        _check_number(value, schema, path, out)


def _probe(value: Any, schema: Any, root: dict[str, Any], path: str) -> list[Problem]:
    found: list[Problem] = []
    _check(value, schema, root, path, found)
    return found


def _check_object(value: dict[str, Any], schema: dict[str, Any], root: dict[str, Any], path: str,
                  out: list[Problem]) -> None:
    properties: dict[str, Any] = schema["properties"] if isinstance(schema.get("properties"), dict) else {}
    patterns: dict[str, Any] = (schema["patternProperties"] if isinstance(schema.get("patternProperties"), dict)
                                else {})
    extra = schema.get("additionalProperties")
    for name in schema.get("required") or []:
        if name not in value:
            out.append(Problem(_join(path, name), "required by the schema but missing"))
    described = bool(properties or patterns or "additionalProperties" in schema)
    for key, item in value.items():
        where = _join(path, key)
        if key in properties:
            _check(item, properties[key], root, where, out)
            continue
        matched = [s for p, s in patterns.items() if re.search(p, key)]
        for sub in matched:
            _check(item, sub, root, where, out)
        if matched:
            continue
        if isinstance(extra, dict):
            _check(item, extra, root, where, out)
        elif extra is True:
            continue
        elif described:
            known = ", ".join(sorted(properties)) if properties else "none"
            out.append(Problem(where, f"unknown key (the schema knows: {known})"))


def _check_array(value: list[Any], schema: dict[str, Any], root: dict[str, Any], path: str,
                 out: list[Problem]) -> None:
    if isinstance(schema.get("minItems"), int) and len(value) < schema["minItems"]:
        out.append(Problem(path, f"fewer than {schema['minItems']} items"))
    if isinstance(schema.get("maxItems"), int) and len(value) > schema["maxItems"]:
        out.append(Problem(path, f"more than {schema['maxItems']} items"))
    if schema.get("uniqueItems") is True:
        seen: list[Any] = []
        for item in value:
            if item in seen:
                out.append(Problem(path, f"{_show(item)} is listed twice"))
            seen.append(item)
    items = schema.get("items")
    if isinstance(items, (dict, bool)):
        for i, item in enumerate(value):
            _check(item, items, root, _join(path, i), out)


def _check_number(value: float, schema: dict[str, Any], path: str, out: list[Problem]) -> None:
    bounds = (("minimum", lambda b: value < b, "less than"), ("maximum", lambda b: value > b, "more than"),
              ("exclusiveMinimum", lambda b: value <= b, "not more than"),
              ("exclusiveMaximum", lambda b: value >= b, "not less than"))
    for key, fails, words in bounds:
        bound = schema.get(key)
        if isinstance(bound, (int, float)) and not isinstance(bound, bool) and fails(bound):
            out.append(Problem(path, f"{_show(value)} is {words} {bound}"))
