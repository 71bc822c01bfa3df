"""What adopting produces besides its plan: the edits' outcomes, refusals with the change
they would need, what the person should look at, and the next steps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from advisor.generate.plan import Plan


@dataclass(frozen=True)
class Edited:
    """The app's file with the edit made."""

    content: bytes
    what: str  # one line for the summary: "adds @clerk/nextjs 7.9.17"


@dataclass(frozen=True)
class Unneeded:
    """The file already has what the edit would add."""

    reason: str


@dataclass(frozen=True)
class Refused:
    """The edit would not be safe; the file stays as it is."""

    reason: str
    suggestion: bytes | None = None  # the file as it would need to be: shown as a patch, never written
    advice: str = ""  # what to do by hand when no patch can be computed


EditResult = Edited | Unneeded | Refused


@dataclass(frozen=True)
class NewFile:
    """A file of the recommended setup, written only where the path is free."""

    rel: str
    content: bytes
    blocked: str = ""  # why the path is not free although no file is there (e.g. the route exists)
    refused: str = ""  # why the file cannot be written into this app at all


@dataclass(frozen=True)
class Edit:
    """A small edit of one of the app's files, made from the file as it was before adoption."""

    rel: str
    apply: Callable[[bytes], EditResult]
    missing: bytes | None = None  # when the app has no such file: create this (None: nothing to do)
    # The edit only adds what is missing (dependencies, variable names): where merging a newer
    # edit collides with the person's own additions, it is made again on their file instead.
    additive: bool = False


Item = NewFile | Edit


@dataclass(frozen=True)
class Refusal:
    path: str
    reason: str
    patch: str = ""  # the suggested change as a unified diff; never applied
    advice: str = ""
    suggestion: bytes | None = None  # the whole suggested file, for tests and --format json
    kind: str = "refused"  # or "wire": a change adopt leaves to the person on purpose (the app's wiring)


@dataclass(frozen=True)
class Attention:
    """Something in the app the adoption did not change but the person should: an unguarded
    route handler, a version below what Clerk needs."""

    message: str
    path: str | None = None
    line: int | None = None
    fix: str = ""

    def where(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass
class Adoption:
    plan: Plan
    app: str  # what was found, e.g. "Next.js 16, App Router in src/, TypeScript"
    refusals: list[Refusal] = field(default_factory=list)
    already: list[tuple[str, str]] = field(default_factory=list)  # (path, what it has already)
    attention: list[Attention] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
