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
    """None if `candidate` is a valid answer to `question`, else the message to show."""
    doc = with_value(data, question.path, candidate)
    try:
        model.model_validate(doc, strict=True)
    except ValidationError as exc:
        fallback = exc.errors(include_url=False)[0]["msg"]
    else:
        return None
    if model is not RequirementsModel:
        return fallback
    from advisor.requirements import parse_requirements

    try:
        parse_requirements(json.dumps(doc), question.key)
    except UserError as err:
        return _one_line(err, question)
    return fallback


def _one_line(err: UserError, question: Question) -> str:
    text = err.message
    # "a list of strings" says nothing the message does not; choices and types do.
    if err.allowed and question.kind != "list":
        text += f" (allowed: {err.allowed})"
    if err.hint:
        text += f"; {err.hint}"
    return text
