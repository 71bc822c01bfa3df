"""`ask [-o FILE]`: the interactive questionnaire that writes clerk-requirements.yaml.

The questions come from the Requirements model (advisor.ask.questions). questionary and
prompt_toolkit are imported only once a questionnaire really starts, never to build
this parser or to print `--help`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from advisor.commands._common import formatter
from advisor.errors import EXIT_OK, Interrupted, UserError
from advisor.paths import DEFAULT_FILE

DESCRIPTION = f"""\
Answer questions about your app, section by section, and get a requirements file for
`clerk-advisor recommend` and `generate`. Every question is a field of the requirements
file: its text, choices and default come from the file's schema, and questions that
cannot matter (enterprise SSO without organizations, the Next.js version without
Next.js) are not asked. Each answer is checked when you press <enter>, with the same rules and
messages as when the file is loaded.

If FILE exists, every answer starts from its current value and the file is edited in
place: your comments, key order and formatting stay; only changed values are touched,
and a key is added only when its answer differs from the default. A new file lists
every field, with a comment for each section and the allowed values of each choice.

Keys: arrows move, <space> ticks a box in a multi-select, <enter> accepts, y/n answer a
yes/no question. Ctrl-C or Ctrl-D stops at once and writes nothing (exit 130).

ask needs a terminal. Without one (CI, a pipe), write the file yourself: start from
`clerk-advisor ask --defaults`, which writes every field with its default and comments
describing it; a key you leave out takes its default; unknown keys are errors.

examples:
  clerk-advisor ask                          # ./{DEFAULT_FILE}, new or edited
  clerk-advisor ask -o services/billing.yaml
  clerk-advisor ask --defaults               # every default, no questions, no terminal needed
  clerk-advisor ask --defaults -o app.yaml --force
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ask", help="interactive questionnaire that writes clerk-requirements.yaml",
                       description=DESCRIPTION, formatter_class=formatter())
    p.add_argument("-o", "--output", metavar="FILE", type=Path, default=Path(DEFAULT_FILE),
                   help=f"the requirements file to write or edit (default: {DEFAULT_FILE})")
    p.add_argument("--defaults", action="store_true",
                   help="write a file with every default, without asking anything")
    p.add_argument("--force", action="store_true", help="with --defaults: overwrite FILE if it exists")


def run(args: argparse.Namespace) -> int:
    path: Path = args.output
    if args.force and not args.defaults:
        raise UserError("--force only applies to --defaults",
                        hint="`ask` edits an existing file in place; it needs no --force")
    if args.defaults:
        return _write_defaults(path, force=args.force)
    return _interactive(path)


def _write_defaults(path: Path, *, force: bool) -> int:
    from advisor.ask.document import new_document
    from advisor.ask.questions import build_sections
    from advisor.requirements import Requirements

    if path.exists() and not force:
        raise UserError(f"{path} already exists; nothing was written",
                        hint=f"edit it with `clerk-advisor ask -o {path}`, or add --force to replace it with the defaults")
    if path.is_dir():
        raise UserError(f"{path} is a directory, not a file")
    _write(path, new_document(Requirements().to_data(), build_sections()), expect=None, guard=False)
    print(f"wrote {path} (every field at its default)", file=sys.stderr)
    return EXIT_OK


def _require_terminal() -> None:
    if sys.stdin.isatty() and sys.stdout.isatty():
        return
    which = "stdin" if not sys.stdin.isatty() else "stdout"
    raise UserError(
        f"`clerk-advisor ask` needs an interactive terminal, and {which} is not one",
        hint="write the requirements file yourself: `clerk-advisor ask --defaults` writes every field "
             "with its default and comments; the format and examples are in `clerk-advisor ask --help`",
    )


def _interactive(path: Path) -> int:
    from advisor.ask.document import new_document, updated_document
    from advisor.ask.questions import build_sections
    from advisor.ask.session import questionnaire, summary
    from advisor.loader import parse_requirements
    from advisor.requirements import Requirements
    from advisor.yamlio import read_text

    text: str | None = None
    if path.exists() or path.is_symlink():
        text = read_text(path, what="requirements file")
        current = parse_requirements(text, str(path))[0]
    else:
        current = Requirements()
    _require_terminal()

    sections = build_sections()
    questions = sum(len(s.questions) for s in sections)
    before, defaults = current.to_data(), Requirements().to_data()
    if text is None:
        intro = f"Answers go to {path} (a new file)."
    else:
        intro = f"Editing {path}: every answer starts from its current value."
    print(f"{intro} {len(sections)} sections, at most {questions} questions; <enter> keeps the value shown, "
          "Ctrl-C stops without writing anything.")

    after = questionnaire(before, sections, out=sys.stdout)
    print(summary(before, after, defaults, sections, editing=text is not None))

    from advisor.ask.prompts import confirm

    if text is not None and after == before:
        print(f"Nothing changed; {path} is left as it was.")
    else:
        if not confirm(f"Write {path}?"):
            print(f"{path} was not written.", file=sys.stderr)
            return EXIT_OK
        content = (new_document(after, sections) if text is None
                   else updated_document(text, after, defaults, sections))
        _write(path, content, expect=text)
        print(f"wrote {path}", file=sys.stderr)

    try:
        show = confirm("Show the recommendation now?")
    except Interrupted:
        raise Interrupted(f"interrupted; {path} is saved") from None
    if show:
        _recommend(path)
    else:
        print(f"Next: clerk-advisor recommend {path}", file=sys.stderr)
    return EXIT_OK


def _write(path: Path, content: str, *, expect: str | None, guard: bool = True) -> None:
    """Write atomically, and only a document the loader accepts. With `guard`, only over
    what the answers started from: `expect`, the file's text, or no file (None)."""
    from advisor.fsutil import atomic_write
    from advisor.loader import parse_requirements

    parse_requirements(content, str(path))
    if guard and _current_text(path) != expect:
        raise UserError(f"{path} changed on disk while you were answering; nothing was written",
                        hint="run `clerk-advisor ask` again to start from what is there now")
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


def _recommend(path: Path) -> None:
    """What `clerk-advisor recommend FILE` does, with its own defaults."""
    from advisor.cli import _Parser
    from advisor.commands import recommend

    parser = _Parser(prog="clerk-advisor")
    recommend.add_parser(parser.add_subparsers(dest="command", parser_class=_Parser))
    sys.stdout.flush()
    recommend.run(parser.parse_args(["recommend", str(path)]))
