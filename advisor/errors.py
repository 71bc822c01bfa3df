"""The error hierarchy. A user error is a message to read, never a traceback.

Exit codes are part of the contract (DESIGN.md): 0 ok, 1 something was found that a
`--exit-code`/`--check` caller asked about, 2 bad input or usage, 3 a required external
service failed, 130 interrupted.
"""

from __future__ import annotations

from typing import NamedTuple

EXIT_OK = 0
EXIT_FOUND = 1
EXIT_USAGE = 2
EXIT_SERVICE = 3
EXIT_INTERRUPTED = 130


class AdvisorError(Exception):
    """Base of every error this tool raises on purpose."""

    exit_code = EXIT_USAGE


class Location(NamedTuple):
    """Where in a file something is. Lines and columns are 1-based, as editors show them."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class UserError(AdvisorError):
    """Bad input or usage: one clear message, exit 2.

    `location` names the file, line and column; `field` the dotted field path; `allowed`
    what would have been accepted; `hint` a "did you mean" or a next step.
    """

    def __init__(
        self,
        message: str,
        *,
        location: Location | None = None,
        field: str | None = None,
        allowed: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.field = field
        self.allowed = allowed
        self.hint = hint
        self.more: tuple[UserError, ...] = ()  # further problems found in the same input
        self.omitted = 0  # problems beyond those, counted but not described

    def render(self) -> str:
        lines: list[str] = []
        for problem in (self, *self.more):
            head = f"{problem.location}: " if problem.location else ""
            where = f"{problem.field}: " if problem.field else ""
            lines.append(f"error: {head}{where}{problem.message}")
            if problem.allowed:
                lines.append(f"  allowed: {problem.allowed}")
            if problem.hint:
                lines.append(f"  hint: {problem.hint}")
        if self.omitted:
            lines.append(f"... and {self.omitted} more problem{'s' if self.omitted != 1 else ''} in the same input")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()


class ServiceError(AdvisorError):
    """A required external service (Context7 with --docs=required) failed: exit 3."""

    exit_code = EXIT_SERVICE


class Interrupted(AdvisorError):
    """The user pressed Ctrl-C or Ctrl-D; nothing was written."""

    exit_code = EXIT_INTERRUPTED
