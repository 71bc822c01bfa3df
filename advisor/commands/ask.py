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
from advisor.errors import EXIT_OK, UserError
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
    from advisor.ask.interview import interview, write_defaults

    path: Path = args.output
    if args.force and not args.defaults:
        raise UserError("--force only applies to --defaults",
                        hint="`ask` edits an existing file in place; it needs no --force")
    if args.defaults:
        write_defaults(path, force=args.force)
    elif interview(path):
        _show_recommendation(path)
    return EXIT_OK


def _show_recommendation(path: Path) -> None:
    """What `clerk-advisor recommend FILE` prints, and its snapshot."""
    from advisor.commands._common import recommend_file, save_snapshot
    from advisor.report.architecture import render_text
    from advisor.terminal import guarded, wants_color

    arch, _ = recommend_file(path, None)
    from advisor.wrap import terminal_width

    with guarded():  # the questionnaire is over: what is printed now passes the guard
        sys.stdout.write(render_text(arch, color=wants_color(sys.stdout), width=terminal_width()))
        sys.stdout.flush()
        save_snapshot(arch, False, path)
