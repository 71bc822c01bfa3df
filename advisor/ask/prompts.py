"""One function turns a Question into a questionary prompt and returns the answer.

questionary and prompt_toolkit are imported here, inside the functions, and this module
is imported only once a questionnaire really starts: `recommend` and `ask --help` never
load them. Ctrl-C and Ctrl-D end every prompt the same way, as `Interrupted`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from advisor.ask.questions import Question
from advisor.errors import Interrupted

INTERRUPTED_MESSAGE = "interrupted; nothing was written"

# Beyond this many choices a list can be filtered by typing (webhook events, providers).
_FILTER_FROM = 12

Check = Callable[[Any], "str | None"]
"""Validation of a candidate value: None when valid, else the message to show."""


def ask(question: Question, current: Any, check: Check) -> Any:
    """Put `question` to the person, starting from `current`; return the valid answer."""
    return finish(question, run(build(question, current, check)))


def build(question: Question, current: Any, check: Check):
    import questionary

    message = question.text
    if question.kind == "select":
        choices = [questionary.Choice(title=str(c), value=c) for c in question.choices]
        long = len(choices) > _FILTER_FROM
        return questionary.select(message, choices=choices, default=current if current in question.choices else None,
                                  use_search_filter=long, use_jk_keys=not long)
    if question.kind == "checkbox":
        choices = [questionary.Choice(title=str(c), value=c, checked=c in current) for c in question.choices]
        long = len(choices) > _FILTER_FROM
        return questionary.checkbox(
            message, choices=choices, use_search_filter=long, use_jk_keys=not long,
            instruction=("(type to filter, arrows to move, <space> to select, <enter> when done)" if long
                         else "(arrows to move, <space> to select, <enter> when done)"),
            validate=lambda chosen: _verdict(check, _in_order(chosen, question.choices)),
        )
    if question.kind == "confirm":
        return questionary.confirm(message, default=bool(current))
    instruction = {
        "integer": "(a whole number, or empty)" if question.nullable else "(a whole number)",
        "list": "(comma-separated, empty for none)",
    }.get(question.kind)
    return questionary.text(
        message, default=question.typed(current), instruction=instruction,
        validate=lambda typed: _verdict(check, question.parse(typed)),
        validate_while_typing=False,
    )


def finish(question: Question, answer: Any) -> Any:
    """The model value for what the prompt returned."""
    if question.kind == "checkbox":
        return _in_order(answer, question.choices)
    if question.kind in ("integer", "list", "text"):
        return question.parse(answer)
    return answer


def run(prompt) -> Any:
    """Run a built questionary prompt; Ctrl-C or Ctrl-D raise Interrupted."""
    _abort_on_ctrl_d(prompt.application)
    try:
        return prompt.unsafe_ask()
    except (KeyboardInterrupt, EOFError):
        raise Interrupted(INTERRUPTED_MESSAGE) from None


def confirm(message: str, default: bool = True) -> bool:
    import questionary

    return bool(run(questionary.confirm(message, default=default)))


def _verdict(check: Check, candidate: Any) -> bool | str:
    message = check(candidate)
    return True if message is None else message


def _in_order(chosen: list[Any], choices: tuple[Any, ...]) -> list[Any]:
    return [c for c in choices if c in chosen]


def _abort_on_ctrl_d(app) -> None:
    """Ctrl-D ends the questionnaire from any prompt, not only from an empty text field."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    bindings = KeyBindings()

    @bindings.add("c-d", eager=True)
    def _(event) -> None:
        event.app.exit(exception=EOFError, style="class:aborting")

    app.key_bindings = merge_key_bindings([app.key_bindings, bindings]) if app.key_bindings else bindings
