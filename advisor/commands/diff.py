"""`diff [OLD] [NEW]`: what changed between two recommendations, and why."""

from __future__ import annotations

import argparse
import sys

from advisor.commands._common import add_rules_arg, formatter, load_pack_arg
from advisor.errors import EXIT_FOUND, EXIT_OK

DESCRIPTION = """\
Compare two recommendations decision by decision and finding by finding, and name the
cause of each change: requirement fields that changed, rules added, removed or
re-versioned, a different winning rule, changed docs.

OLD and NEW may each be:
  a snapshot file (.clerk-advisor/history/*.json, or `recommend --format json` output)
  a number from `clerk-advisor history` (1 is the oldest; -1 the latest)
  a requirements file, evaluated now with the current rule pack

  diff                  the last two snapshots of the requirements file saved last
  diff X                the latest snapshot of X's requirements file -> X
  diff OLD NEW          OLD -> NEW

History is ordered by the time each snapshot records, and kept per requirements file:
diff says on stderr which snapshots it chose, and warns when the two sides are
recommendations for different requirements files or projects.

With --exit-code, exit 1 when the recommendation differs (for CI).

examples:
  clerk-advisor diff
  clerk-advisor diff -1 clerk-requirements.yaml      # what my edits would change
  clerk-advisor diff 3 5 --format markdown
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("diff", help="semantic diff of two recommendations, with the cause of each change",
                       description=DESCRIPTION, formatter_class=formatter())
    p.add_argument("old", nargs="?", metavar="OLD")
    p.add_argument("new", nargs="?", metavar="NEW")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    p.add_argument("--exit-code", action="store_true", help="exit 1 when the recommendations differ")
    add_rules_arg(p)


def run(args: argparse.Namespace) -> int:
    from advisor.history.select import compare
    from advisor.report.diff import render
    from advisor.wrap import terminal_width

    result, notes = compare(args.old, args.new, load_pack_arg(args.rules))
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    sys.stdout.write(render(result, args.format, terminal_width()))
    return EXIT_FOUND if args.exit_code and result.has_changes else EXIT_OK
