"""Reading clerk-requirements.yaml into Requirements, with messages a person can act on.

A valid file is checked with the generated field table (validate.py) and never builds a
pydantic model. A file with a problem is read again keeping positions and validated by
the model itself, and every problem becomes a message naming the file, line, column, the
dotted field path and what is allowed, with a "did you mean" for misspelt keys.
Validation is strict: a boolean is `true`/`false`, a number is a number; YAML's looser
spellings are refused rather than guessed at.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.errors import Location, UserError
from advisor.requirements.contract import FIELDS, SECTIONS, Requirements
from advisor.requirements.validate import check
from advisor.suggest import did_you_mean
from advisor.yamlio import Located, load_located, load_positioned, position_of, read_text

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic_core import ErrorDetails

SCHEMA_VERSION = 1
MAX_PROBLEMS = 20  # reported per file (and a count of the rest)
# The longest list a requirements file can hold is the 45 webhook events, the largest
# mapping its 9 sections: anything past this many items is refused as it is parsed, so a
# 2 MB file of keys or list items costs milliseconds, not seconds.
MAX_ITEMS = 1000


def _model_at(path: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The pydantic model that owns the mapping at `path` (to list its field names)."""
    from pydantic import BaseModel

    from advisor.requirements.model import RequirementsModel

    model: type[BaseModel] = RequirementsModel
    for part in path:
        if isinstance(part, int):
            return None
        field = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        if field is None or not (isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel)):
            return None
        model = field.annotation
    return model


def _keys_of(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items()]


def _allowed_for(path: tuple[str | int, ...]) -> str | None:
    dotted = ".".join(str(p) for p in path if not isinstance(p, int))
    spec = FIELDS.get(dotted)
    if spec is not None:
        return spec.describe()
    model = _model_at(path)
    if model is not None:
        return "a mapping with keys " + ", ".join(_keys_of(model))
    return None


def _shown(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _message(err: ErrorDetails, path: tuple[str | int, ...]) -> tuple[str, str | None, str | None]:
    """(message, allowed, hint) for one pydantic error."""
    kind = err["type"]
    value = err.get("input")
    if kind == "extra_forbidden":
        key = str(path[-1])
        model = _model_at(path[:-1])
        options = _keys_of(model) if model else []
        return (f"unknown key {key!r}", ", ".join(options) or None, did_you_mean(key, options))
    if path == ("schema",) and value == str(SCHEMA_VERSION):
        return (f"schema is the string {_shown(value)}; write the number: schema: {SCHEMA_VERSION}",
                str(SCHEMA_VERSION), None)
    if path == ("schema",):
        return (f"schema {_shown(value)} is not supported; this version of clerk-advisor reads schema {SCHEMA_VERSION}",
                str(SCHEMA_VERSION), "upgrade clerk-advisor, or write `schema: 1`")
    if path and path[0] == "project" and kind == "string_pattern_mismatch":
        return (f"project name {_shown(value)} is not valid",
                "1-64 characters of a-z, 0-9 and -, starting with a letter", None)
    allowed = _allowed_for(tuple(p for p in path if not isinstance(p, int)))
    if kind in ("literal_error", "enum"):
        return (f"{_shown(value)} is not allowed", allowed, did_you_mean(value, _choices(path)))
    if kind == "value_error":
        return (str(err.get("ctx", {}).get("error", err["msg"])), allowed, None)
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return (f"expected a mapping, got {_shown(value)}", allowed, None)
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return (f"expected a whole number, got {_shown(value)}", allowed, None)
    if kind == "too_short":
        least = err.get("ctx", {}).get("min_length", 1)
        return (f"needs at least {least} item{'s' if least != 1 else ''}, and the list is empty"
                if not value else f"needs at least {least} items, got {len(value)}", allowed, None)
    return (f"{err['msg'].lower()}, got {_shown(value)}", allowed, None)


def _choices(path: tuple[str | int, ...]) -> tuple[Any, ...]:
    dotted = ".".join(str(p) for p in path if not isinstance(p, int))
    spec = FIELDS.get(dotted)
    return spec.choices if spec and spec.choices else ()


def parse_requirements(text: str, shown: str) -> tuple[Requirements, Any]:
    """Parse and validate keeping positions; returns the value and the positioned document
    (for editing it in place)."""
    doc = load_positioned(text, shown)
    _check_top(doc, shown)
    return validate_document(doc, shown), doc


def _check_top(doc: Any, shown: str) -> None:
    if doc is None:
        raise UserError("the requirements file is empty", location=Location(shown),
                        hint="it needs at least `schema: 1`; `clerk-advisor ask --defaults` writes a full one")
    if not isinstance(doc, dict):
        kind = "a list" if isinstance(doc, list) else f"a {type(doc).__name__}"
        raise UserError(f"the top level must be a mapping of sections, not {kind}", location=Location(shown, 1, 1),
                        allowed="keys " + ", ".join(s.key for s in SECTIONS))
    if "schema" not in doc:
        raise UserError("missing `schema`", location=Location(shown, 1, 1), field="schema",
                        allowed=str(SCHEMA_VERSION), hint="add `schema: 1` as the first line")


def validate_document(doc: Any, shown: str = "<requirements>", located: Located | None = None) -> Requirements:
    """A parsed document (positioned, plain with `located`, or plain) as Requirements, or a
    located UserError for every problem in it (the first MAX_PROBLEMS, and a count)."""
    complete = check(doc)
    if complete is not None:
        return Requirements.from_data(complete)
    from pydantic import ValidationError

    from advisor.requirements.model import RequirementsModel

    try:
        model = RequirementsModel.model_validate(doc, strict=True)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        problems = [_problem(err, doc, shown, located) for err in errors[:MAX_PROBLEMS]]
        first = problems[0]
        first.more = tuple(problems[1:])
        first.omitted = len(errors) - len(problems)
        raise first from None
    # The table missed what the model accepts: the model is the contract.
    return Requirements.from_data(model.model_dump(mode="json", by_alias=True))


def _problem(err: ErrorDetails, doc: Any, shown: str, located: Located | None) -> UserError:
    path = tuple(err["loc"])
    # Errors from a whole-section validator point at the section; from a list item, at the item.
    message, allowed, hint = _message(err, path)
    value = err["type"] != "extra_forbidden"
    pos = located.position(path, value=value) if located is not None else position_of(doc, path, value=value)
    return UserError(message, location=Location(shown, *(pos or (None, None))),
                     field=".".join(str(p) for p in path), allowed=allowed, hint=hint)


def parse_fast(text: str, shown: str) -> Requirements:
    """What `load_requirements` does with a file's text: libyaml's events, keeping every
    position (linear in the size of the file); a valid file is checked with the table,
    one with a problem gets the model's exact messages at those positions."""
    located = load_located(text, shown, max_items=MAX_ITEMS)
    complete = check(located.data)
    if complete is not None:
        return Requirements.from_data(complete)
    _check_top(located.data, shown)
    return validate_document(located.data, shown, located)


def load_requirements(path: Path | str) -> Requirements:
    path = Path(path)
    return parse_fast(read_text(path, what="requirements file"), str(path))
