"""An in-process terminal for the questionnaire: keystrokes go in through prompt_toolkit's
pipe input, the screen comes out of a vt100 output into a string.

`terminal.send(keys)` types ahead (prompt_toolkit keeps keys typed before a prompt
starts for that prompt). `terminal.script((text, keys), ...)` types each `keys` only once
`text` is on the screen, from a second thread, the way a person waits for a message;
a text that never shows up aborts the prompt with Ctrl-C, so a test fails instead of
hanging. Like a real terminal, it answers prompt_toolkit's cursor position requests:
without an answer prompt_toolkit does not know the height below the cursor and hides
bottom toolbars, such as the validation message of a multi-select.
"""

from __future__ import annotations

import io
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

DOWN, UP = "\x1b[B", "\x1b[A"
ENTER, SPACE = "\r", " "
CTRL_C, CTRL_D, CTRL_U = "\x03", "\x04", "\x15"

WATCHDOG_SECONDS = 30

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")


class Terminal:
    def __init__(self, pipe, screen: io.StringIO) -> None:
        self._pipe = pipe
        self._screen = screen
        self.failures: list[str] = []
        self._threads: list[threading.Thread] = []
        self._closed = threading.Event()
        self._start(self._answer_cursor_requests)
        self._start(self._watchdog)

    def _start(self, target) -> None:
        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _watchdog(self) -> None:
        """A test that types too few keys would wait forever: end its prompts instead."""
        if self._closed.wait(WATCHDOG_SECONDS):
            return
        self.failures.append(f"still prompting after {WATCHDOG_SECONDS} s; screen:\n{self.text[-2000:]}")
        while not self._closed.wait(0.5):
            self.send(CTRL_C)

    def _answer_cursor_requests(self) -> None:
        answered = 0
        while not self._closed.wait(0.005):
            asked = self._screen.getvalue().count("\x1b[6n")
            for _ in range(asked - answered):
                self.send("\x1b[1;1R")
            answered = asked

    @property
    def text(self) -> str:
        return _ANSI.sub("", self._screen.getvalue())

    def send(self, keys: str) -> None:
        self._pipe.send_text(keys)

    def script(self, *steps: tuple[str, str], timeout: float = 10.0) -> None:
        def play() -> None:
            seen = 0
            for expected, keys in steps:
                deadline = time.monotonic() + timeout
                while (found := self.text.find(expected, seen)) < 0:
                    if time.monotonic() > deadline:
                        self.failures.append(f"never saw {expected!r}; screen:\n{self.text[-2000:]}")
                        self.send(CTRL_C)
                        return
                    time.sleep(0.01)
                seen = found + len(expected)
                self.send(keys)

        self._start(play)

    def finish(self) -> None:
        self._closed.set()
        for thread in self._threads:
            thread.join(timeout=15)
        assert not self.failures, "\n".join(self.failures)


def answers_script(final: dict, keys: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(question text, keys) for every question `ask` puts when the answers end up as
    `final`: the keys given for a question key, else <enter> (keep the value shown).

    Conditions only look at earlier answers, so `final` decides which are asked.
    """
    from advisor.ask.questions import all_questions, build_sections

    keys = keys or {}
    unknown = set(keys) - {q.key for q in all_questions(build_sections())}
    assert not unknown, f"no such questions: {unknown}"
    return [(prompt_text(q), keys.get(q.key, ENTER)) for q in all_questions(build_sections()) if q.applies(final)]


def prompt_text(question) -> str:
    """Enough of a question's text to recognise it, short enough never to wrap."""
    return question.text[:40]


@contextmanager
def in_process_terminal() -> Iterator[Terminal]:
    """A prompt_toolkit session on a pipe input and a vt100 screen of 40x200."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output.vt100 import Vt100_Output

    class Screen(Vt100_Output):
        responds_to_cpr = True  # a StringIO is no tty; this one answers like a terminal

    screen = io.StringIO()
    output = Screen(screen, lambda: Size(rows=40, columns=200), term="xterm")
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=output):
        term = Terminal(pipe, screen)
        yield term
        term.finish()
