"""The questionnaire as a person goes through it: sections, skipped questions, summary.

`Prompt` is the one seam to the terminal; the real one is `advisor.ask.prompts.ask`.
Answers are kept as the plain data of the file (`Requirements.to_data()`), so a
condition, a validation and the final document all read the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TextIO

from pydantic import BaseModel

from advisor.ask.questions import Question, Section, get_path, with_value
from advisor.ask.validation import problem
from advisor.requirements.model import RequirementsModel
from advisor.values import as_yaml

Prompt = Callable[[Question, Any, Callable[[Any], "str | None"]], Any]
"""(question, current value, check) -> the answer. `check(candidate)` is None or a message."""


def questionnaire(start: Mapping[str, Any], sections: tuple[Section, ...], *, out: TextIO,
                  prompt: Prompt | None = None, model: type[BaseModel] = RequirementsModel,
                  repairs: Sequence[tuple[Question, Sequence[str]]] = ()) -> dict[str, Any]:
    """Ask every question that can matter, each starting from its value in `start`.

    A question whose `when` condition does not hold keeps its value and is not asked.
    `repairs` are questions whose value in `start` is bad, with what is wrong: they are
    asked first, each under its problem, and not again in their section.
    """
    if prompt is None:
        from advisor.ask.prompts import ask

        prompt = ask
    data = dict(start)

    def put(question: Question) -> None:
        nonlocal data

        def check(candidate: Any, question: Question = question, data: dict[str, Any] = data) -> str | None:
            return problem(question, data, candidate, model)

        answer = prompt(question.offered(data), get_path(data, question.path), check)
        data = with_value(data, question.path, answer)

    if repairs:
        out.write(f"\n{_bold('Problems in the file first', out)}\n")
        for question, messages in repairs:
            out.write("".join(f"  {question.key}: {message}\n" for message in messages))
            out.flush()
            put(question)
    repaired = {question.key for question, _ in repairs}
    for number, section in enumerate(sections, 1):
        out.write(section_header(section, number, len(sections), bold=_isatty(out)))
        out.flush()
        for question in section.questions:
            if question.key not in repaired and question.applies(data):
                put(question)
    return data


def _bold(text: str, out: TextIO) -> str:
    return f"\x1b[1m{text}\x1b[0m" if _isatty(out) else text


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
            note = "(the default)" if value == default else f"(default {_shown(default)})"
            if changed:
                note += f", was {_shown(get_path(before, question.path))}"
            rows.append(("*" if changed else " ", question.key, _shown(value), note))
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


def _shown(value: Any) -> str:
    """A value as the person typed or picked it: nothing is "empty", not null."""
    return "empty" if value is None else as_yaml(value)


def _isatty(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False
