"""The questionnaire as a person goes through it: sections, skipped questions, summary.

`Prompt` is the one seam to the terminal; the real one is `advisor.ask.prompts.ask`.
Answers are kept as the plain data of the file (`Requirements.to_data()`), so a
condition, a validation and the final document all read the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TextIO

from pydantic import BaseModel

from advisor.ask.questions import Question, Section, get_path, with_value
from advisor.ask.validation import problem
from advisor.requirements.model import RequirementsModel
from advisor.values import as_yaml

Prompt = Callable[[Question, Any, Callable[[Any], "str | None"]], Any]
"""(question, current value, check) -> the answer. `check(candidate)` is None or a message."""


def questionnaire(start: Mapping[str, Any], sections: tuple[Section, ...], *, out: TextIO,
                  prompt: Prompt | None = None, model: type[BaseModel] = RequirementsModel) -> dict[str, Any]:
    """Ask every question that can matter, each starting from its value in `start`.

    A question whose `when` condition does not hold keeps its value and is not asked.
    """
    if prompt is None:
        from advisor.ask.prompts import ask

        prompt = ask
    data = dict(start)
    for number, section in enumerate(sections, 1):
        out.write(section_header(section, number, len(sections), bold=_isatty(out)))
        out.flush()
        for question in section.questions:
            if not question.applies(data):
                continue

            def check(candidate: Any, question: Question = question, data: dict[str, Any] = data) -> str | None:
                return problem(question, data, candidate, model)

            answer = prompt(question, get_path(data, question.path), check)
            data = with_value(data, question.path, answer)
    return data


def section_header(section: Section, number: int, total: int, *, bold: bool = False) -> str:
    title = f"Section {number} of {total}: {section.title}"
    if bold:
        title = f"\x1b[1m{title}\x1b[0m"
    return f"\n{title}\n  {section.explanation}\n"


def summary(before: Mapping[str, Any], after: Mapping[str, Any], defaults: Mapping[str, Any],
            sections: tuple[Section, ...], *, editing: bool) -> str:
    """The answers that differ from the defaults, and (when editing) what changed now."""
    rows: list[tuple[str, str, str, str]] = []
    for section in sections:
        for question in section.questions:
            value = get_path(after, question.path)
            default = get_path(defaults, question.path)
            changed = editing and value != get_path(before, question.path)
            if value == default and not changed:
                continue
            note = "(the default)" if value == default else f"(default {as_yaml(default)})"
            if changed:
                note += f", was {as_yaml(get_path(before, question.path))}"
            rows.append(("*" if changed else " ", question.key, as_yaml(value), note))
    if not rows:
        return "\nSummary: every answer is the default.\n"
    head = "Summary: answers that differ from the defaults"
    if editing:
        head += " (* changed now)"
    width = max(len(key) for _, key, _, _ in rows)
    value_width = min(max(len(value) for _, _, value, _ in rows), 24)
    lines = [f"\n{head}"]
    lines += [f" {mark} {key:<{width}}  {value:<{value_width}}  {note}" for mark, key, value, note in rows]
    return "\n".join(lines) + "\n"


def _isatty(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False
