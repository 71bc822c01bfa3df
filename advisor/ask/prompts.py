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
    """Put `question` to the person, starting from `current`; return the valid answer.

    An answer that does not pass `check` is not kept: its message goes right under the
    question, and the question is asked again starting from what was answered, so the
    person fixes it where they are looking (a prompt's own validation shows it on the
    terminal's last row, far from the question)."""
    start: Any = current
    while True:
        prompt = build(question, start)
        if question.kind == "checkbox":
            prompt.application.erase_when_done = True  # its own line says "done (2 selections)"
        raw = run(prompt)
        answer = finish(question, raw, current)
        if question.kind == "checkbox":
            _say([("class:qmark", "?"), ("class:question", f" {question.text} "),
                  ("class:answer", ", ".join(map(str, answer)) or "none")], prompt.application.style)
        message = check(answer)
        if message is None:
            return answer
        _say([("fg:ansired", f"  {message}")], prompt.application.style)
        start = answer if question.kind == "checkbox" else _Typed(raw)


class _Typed(str):
    """What the person typed, to start the next try of a text prompt from."""


def build(question: Question, current: Any):
    import questionary

    message = question.text
    if question.kind == "select":
        choices = [questionary.Choice(title=str(c), value=c) for c in question.choices]
        long = len(choices) > _FILTER_FROM
        return questionary.select(message, choices=choices, default=current if current in question.choices else None,
                                  use_search_filter=long, use_jk_keys=not long)
    if question.kind == "checkbox":
        chosen = current if isinstance(current, list) else []
        choices = [questionary.Choice(title=str(c), value=c, checked=c in chosen) for c in question.choices]
        long = len(choices) > _FILTER_FROM
        return questionary.checkbox(
            message, choices=choices, use_search_filter=long, use_jk_keys=not long,
            instruction=("(type to filter, arrows to move, <space> to select, <enter> when done)" if long
                         else "(arrows to move, <space> to select, <enter> when done)"),
        )
    if question.kind == "confirm":
        return questionary.confirm(message, default=current if isinstance(current, bool) else False)
    instruction = {
        "integer": "(a whole number, or empty)" if question.nullable else "(a whole number)",
        "list": "(comma-separated, empty for none)",
    }.get(question.kind)
    default = current if isinstance(current, _Typed) else question.typed(current)
    return questionary.text(message, default=default, instruction=instruction)


def finish(question: Question, answer: Any, current: Any = None) -> Any:
    """The model value for what the prompt returned. A multi-select keeps the order of the
    current list for what stays ticked (a file lists them in its own order), then the
    newly ticked in the order of the choices."""
    if question.kind == "checkbox":
        kept = [c for c in current if c in answer] if isinstance(current, list) else []
        return kept + [c for c in _in_order(answer, question.choices) if c not in kept]
    if question.kind in ("integer", "list", "text"):
        return question.parse(answer)
    return answer


def _say(tokens: list[tuple[str, str]], style) -> None:
    """A line on the terminal the prompts use, under the last answered question."""
    from prompt_toolkit import print_formatted_text
    from prompt_toolkit.formatted_text import FormattedText

    print_formatted_text(FormattedText(tokens), style=style)


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
