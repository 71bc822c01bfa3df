"""The questionnaire as a file operation: write the defaults, or interview a person and
write (or edit in place) the requirements file they confirm.

Nothing is written unless the person confirms, and never over a file that changed on
disk while they were answering. questionary is imported only once questions start.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.errors import Interrupted, UserError

if TYPE_CHECKING:
    from advisor.ask.questions import Question


def write_defaults(path: Path, *, force: bool) -> None:
    from advisor.ask.document import new_document
    from advisor.ask.questions import build_sections
    from advisor.requirements import Requirements

    if path.exists() and not force:
        raise UserError(f"{path} already exists; nothing was written",
                        hint=f"edit it with `clerk-advisor ask -o {path}`, "
                             "or add --force to replace it with the defaults")
    if path.is_dir():
        raise UserError(f"{path} is a directory, not a file")
    _write(path, new_document(Requirements().to_data(), build_sections()), expect=None, guard=False)
    print(f"wrote {path} (every field at its default)", file=sys.stderr)


def _is_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _require_terminal() -> None:
    if _is_terminal():
        return
    which = "stdin" if not sys.stdin.isatty() else "stdout"
    raise UserError(
        f"`clerk-advisor ask` needs an interactive terminal, and {which} is not one",
        hint="write the requirements file yourself: `clerk-advisor ask --defaults` writes every field "
             "with its default and comments; the format and examples are in `clerk-advisor ask --help`",
    )


def interview(path: Path) -> bool:
    """Ask, show the summary, write FILE when confirmed; True when the person then wants
    to see the recommendation.

    A file with bad values is repaired rather than refused: the questions of its problems
    come first, each with its problem shown, and the file is written only once every one
    is answered. A problem no question can answer (a syntax error, an unknown key) is
    reported as before, as is any problem without a terminal."""
    from advisor.ask.document import new_document, updated_document
    from advisor.ask.questions import build_sections
    from advisor.ask.session import questionnaire, summary
    from advisor.requirements import Requirements, parse_requirements
    from advisor.yamlio import read_text

    sections = build_sections()
    defaults = Requirements().to_data()
    text: str | None = None
    repairs: list[Repair] = []
    if path.exists() or path.is_symlink():
        text = read_text(path, what="requirements file")
        try:
            before = parse_requirements(text, str(path))[0].to_data()
        except UserError as err:
            repairs = _repairs(err, sections)
            if not repairs or not _is_terminal():
                raise
            before = _merged(defaults, _plain_document(text, str(path)))
    else:
        before = defaults
    _require_terminal()

    questions = sum(len(s.questions) for s in sections)
    if text is None:
        intro = f"Answers go to {path} (a new file)."
    elif repairs:
        count = sum(len(messages) for _, messages in repairs)
        intro = (f"Editing {path}: it has {count} problem{'s' if count != 1 else ''}; "
                 f"{'its question comes' if len(repairs) == 1 else 'their questions come'} first, then every "
                 "answer starts from its current value.")
    else:
        intro = f"Editing {path}: every answer starts from its current value."
    print(f"{intro} {len(sections)} sections, at most {questions} questions; <enter> keeps the value shown, "
          "Ctrl-C stops without writing anything.")

    after = questionnaire(before, sections, out=sys.stdout, repairs=repairs)
    print(summary(before, after, defaults, sections, editing=text is not None))

    from advisor.ask.prompts import confirm

    if text is not None and after == before:
        print(f"Nothing changed; {path} is left as it was.")
    else:
        if not confirm(f"Write {path}?"):
            print(f"{path} was not written.", file=sys.stderr)
            return False
        content = (new_document(after, sections) if text is None
                   else updated_document(text, after, defaults, sections))
        _write(path, content, expect=text)
        print(f"wrote {path}", file=sys.stderr)

    try:
        show = confirm("Show the recommendation now?")
    except Interrupted:
        raise Interrupted(f"interrupted; {path} is saved") from None
    if not show:
        print(f"Next: clerk-advisor recommend {path}", file=sys.stderr)
    return show


Repair = tuple["Question", list[str]]
"""A question whose answer in the file is bad, and what is wrong with it (one line each)."""


def _repairs(err: UserError, sections) -> list[Repair]:
    """The questions that answer every problem of `err`, or [] when one has none."""
    from advisor.ask.questions import all_questions
    from advisor.ask.validation import one_line

    by_key = {q.key: q for q in all_questions(sections)}
    repairs: dict[str, Repair] = {}
    for problem in (err, *err.more):
        key = ".".join(p for p in (problem.field or "").split(".") if not p.isdigit())
        question = by_key.get(key)
        if question is None:
            return []
        where = f"line {problem.location.line}: " if problem.location and problem.location.line else ""
        repairs.setdefault(key, (question, []))[1].append(where + one_line(problem, question))
    return list(repairs.values())


def _plain_document(text: str, shown: str) -> dict:
    from advisor.yamlio import load_fast

    doc = load_fast(text, shown)
    return doc if isinstance(doc, dict) else {}


def _merged(defaults: dict, doc: dict) -> dict:
    """The file's values over the defaults, bad ones included (they are asked about first)."""
    out = copy.deepcopy(defaults)
    for key, value in doc.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out


def _write(path: Path, content: str, *, expect: str | None, guard: bool = True) -> None:
    """Write atomically, and only a document the loader accepts. With `guard`, only over
    what the answers started from: `expect`, the file's text, or no file (None)."""
    from advisor.fsutil import atomic_write
    from advisor.requirements import parse_requirements

    parse_requirements(content, str(path))
    if guard and _current_text(path) != expect:
        raise UserError(f"{path} changed on disk while you were answering; nothing was written",
                        hint="run `clerk-advisor ask` again to start from what is there now")
    if guard and expect is not None and _has_bom(path):
        content = "\ufeff" + content  # the file's byte order mark stays
    try:
        atomic_write(path, content)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None


def _current_text(path: Path) -> str | None:
    """The text as `read_text` gave it (line ends kept), None if there is no file."""
    try:
        return path.read_bytes().decode("utf-8", errors="replace").removeprefix("\ufeff")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UserError(f"cannot read {path} again before writing: {exc.strerror or exc}") from None


def _has_bom(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(3) == b"\xef\xbb\xbf"
    except OSError:
        return False
