"""The JSON Schema of a rule file, made from the same tables the loader checks with.

The loader's checks are the source of truth (they run on every load, name the rule id,
file and line, and check what a schema cannot: that refs exist, that a rule reads derived
facts only after they are settled). This schema is generated from the loader's own tables
(rule keys, operators, decision specs, fact specs), so editors complete and flag the same
names; `rules/rule-file.schema.json` is its committed copy, and a test keeps the two equal.
A schema validator is not used at load time: it would add seconds to a 10,000-rule pack
and its messages could not name the rule.
"""

from __future__ import annotations

from typing import Any

from advisor.engine.decisions import DECISIONS, DecisionSpec
from advisor.engine.facts import FactSpec, fact_specs
from advisor.engine.rules import EXAMPLE_KEYS, MAX_TEXT, REF_KEY, REQUIRED_RULE_KEYS, RULE_ID, RULE_KEYS
from advisor.severity import SEVERITIES

SCHEMA_ID = "https://github.com/clerk-advisor/clerk-advisor/rules/rule-file.schema.json"


def _scalar(spec: FactSpec) -> dict[str, Any]:
    if spec.choices is not None:
        return {"enum": list(spec.choices)}
    return {"type": {"str": "string", "int": "integer", "bool": "boolean", "enum": "string"}[spec.kind]}


def _nullable(schema: dict[str, Any], spec: FactSpec) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]} if spec.nullable else schema


def _leaf(spec: FactSpec) -> dict[str, Any]:
    item = _scalar(spec)
    items = {"type": "array", "minItems": 1, "items": item}
    ops: dict[str, Any] = {"exists": {"type": "boolean"}}
    if spec.is_list:
        count = {"type": "integer", "minimum": 0}
        ops.update({"contains": item, "contains_any": items, "contains_all": items, "count_gte": count,
                    "count_lte": count})
    else:
        ops.update({"eq": _nullable(item, spec), "ne": _nullable(item, spec), "in": items, "not_in": items})
        if spec.order is not None:
            ops.update({"gte": {"enum": list(spec.order)}, "lte": {"enum": list(spec.order)}})
        elif spec.kind == "int":
            ops.update({"gte": {"type": "integer"}, "lte": {"type": "integer"}})
    return {
        "type": "object",
        "properties": {"fact": {"const": spec.path}, **ops},
        "required": ["fact"],
        "additionalProperties": False,
        "minProperties": 2,
        "maxProperties": 2,
    }


def _item(spec: DecisionSpec) -> dict[str, Any]:
    alternatives: list[dict[str, Any]] = []
    if spec.items:
        alternatives.append({"enum": list(spec.items)})
    if spec.item_pattern:
        alternatives.append({"type": "string", "pattern": f"^(?:{spec.item_pattern})$"})
    return alternatives[0] if len(alternatives) == 1 else {"anyOf": alternatives}


def _value(spec: DecisionSpec) -> dict[str, Any]:
    if spec.kind == "bool":
        return {"type": "boolean"}
    if spec.kind == "bool_or_null":
        return {"anyOf": [{"type": "boolean"}, {"type": "null"}]}
    if spec.kind == "int":
        return {"type": "integer", "minimum": 0}
    if spec.kind == "int_or_null":
        return {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "null"}]}
    if spec.kind == "enum":
        return {"enum": list(spec.order)}
    if spec.kind == "map":
        return {"type": "object", "additionalProperties": {"type": "string", "pattern": "^@?[^@]+@.+$"}}
    assert spec.kind == "list", f"the schema needs a case for {spec.kind} values"
    fact_lists = [p for p, f in fact_specs().items() if f.is_list]
    return {"anyOf": [
        {"type": "array", "items": _item(spec)},
        {"type": "object", "required": ["fact"], "additionalProperties": False,
         "properties": {"fact": {"enum": fact_lists}, "prefix": {"type": "string"}}},
    ]}


def _text(min_length: int = 1) -> dict[str, Any]:
    return {"type": "string", "minLength": min_length, "maxLength": MAX_TEXT}


def rule_file_schema() -> dict[str, Any]:
    specs = fact_specs()
    lists = {k: s for k, s in DECISIONS.items() if s.combine == "union"}
    condition_ref = {"$ref": "#/$defs/condition"}
    rule_properties: dict[str, Any] = {
        "id": {"type": "string", "pattern": f"^(?:{RULE_ID.pattern})$", "maxLength": 200},
        "version": {"type": "integer", "minimum": 1},
        "title": _text(),
        "when": condition_ref,
        "set": {"type": "object", "additionalProperties": False,
                "properties": {k: _value(s) for k, s in DECISIONS.items()}},
        "remove": {"type": "object", "additionalProperties": False,
                   "properties": {k: {"type": "array", "minItems": 1, "items": _item(s)} for k, s in lists.items()}},
        "finding": _text(),
        "severity": {"enum": list(SEVERITIES)},
        "because": _text(),
        "refs": {"type": "array", "minItems": 1,
                 "items": {"type": "string", "pattern": f"^(?:{REF_KEY.pattern})$"}},
        "priority": {"type": "integer"},
        "preference": {"enum": [p for p in specs if p.startswith("preferences.")]},
        "examples": {"type": "array", "items": {"$ref": "#/$defs/example"}},
    }
    assert set(rule_properties) == set(RULE_KEYS), "the schema must describe every rule key"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "clerk-advisor rule file",
        "description": "A list of rules. Generated by `clerk-advisor rules schema`; the loader's checks "
                       "(`clerk-advisor rules validate`) are the reference.",
        "type": "array",
        "items": {"$ref": "#/$defs/rule"},
        "$defs": {
            "rule": {
                "type": "object",
                "additionalProperties": False,
                "required": list(REQUIRED_RULE_KEYS),
                "properties": rule_properties,
                "anyOf": [{"required": ["set"]}, {"required": ["remove"]}, {"required": ["finding"]}],
            },
            "condition": {"oneOf": [
                {"type": "object", "additionalProperties": False, "required": ["all"],
                 "properties": {"all": {"type": "array", "minItems": 1, "items": condition_ref}}},
                {"type": "object", "additionalProperties": False, "required": ["any"],
                 "properties": {"any": {"type": "array", "minItems": 1, "items": condition_ref}}},
                {"type": "object", "additionalProperties": False, "required": ["not"],
                 "properties": {"not": condition_ref}},
                {"$ref": "#/$defs/leaf"},
            ]},
            "leaf": {"oneOf": [_leaf(spec) for spec in specs.values()]},
            "example": {
                "type": "object",
                "additionalProperties": False,
                "required": ["given"],
                "properties": {
                    EXAMPLE_KEYS[0]: {"type": "object",
                                      "description": "a requirements fragment laid over the defaults"},
                    "expect": {"type": "object", "additionalProperties": False,
                               "properties": {k: _value(s) if s.kind != "list" else {"type": "array"}
                                              for k, s in DECISIONS.items()}},
                    "fires": {"type": "boolean"},
                    "finding": {"type": "boolean"},
                },
            },
        },
    }

