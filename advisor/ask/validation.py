"""Checking one answer the way the file loader checks the file, with its messages.

A candidate answer is put into the current answers and the whole document is validated
by the same pydantic model, strictly, as `advisor.requirements` does. When that fails, the
document goes through `parse_requirements` itself (JSON is YAML), so the prompt shows
word for word what the loader would say about the same value in the file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from advisor.ask.questions import Question, with_value
from advisor.errors import UserError
from advisor.requirements.model import RequirementsModel


def problem(question: Question, data: Mapping[str, Any], candidate: Any,
            model: type[BaseModel] = RequirementsModel) -> str | None:
    """None if `candidate` is a valid answer to `question`, else the message to show.

    Only problems of this question's own field count: while a file with several bad
    values is being repaired, the others are still there, and are asked about in turn."""
    doc = with_value(data, question.path, candidate)
    try:
        model.model_validate(doc, strict=True)
    except ValidationError as exc:
        own = [e for e in exc.errors(include_url=False) if _is(question, e["loc"])]
        if not own:
            return None
        fallback = own[0]["msg"]
    else:
        return None
    if candidate == "" and question.kind == "integer":
        allowed = _allowed(question)
        return "an answer is needed here" + (f" ({allowed})" if allowed else "")
    if model is not RequirementsModel:
        return fallback
    from advisor.requirements import parse_requirements

    try:
        parse_requirements(json.dumps(doc, default=str), question.key)
    except UserError as err:
        mine = [p for p in (err, *err.more) if p.field is not None and _is(question, p.field.split("."))]
        if mine:
            return one_line(mine[0], question)
    return fallback


def _is(question: Question, loc: Any) -> bool:
    """Does an error's location (list indices aside) point at the question's field?"""
    return tuple(str(p) for p in loc if not isinstance(p, int) and not str(p).isdigit()) == question.path


def _allowed(question: Question) -> str | None:
    from advisor.requirements import FIELDS

    spec = FIELDS.get(question.key)
    return f"allowed: {person(spec.describe())}" if spec is not None else None


def person(text: str) -> str:
    """The file's words for a person at a prompt: nothing typed is "empty", not null."""
    return text.replace(", or empty (null)", ", or empty").replace("got null", "got nothing")


def one_line(err: UserError, question: Question) -> str:
    text = person(err.message)
    # "a list of strings" says nothing the message does not; choices and types do.
    if err.allowed and question.kind != "list":
        text += f" (allowed: {person(err.allowed)})"
    if err.hint:
        text += f"; {err.hint}"
    return text
