"""`recommend`: requirements -> rules -> architecture, printed and kept in history."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.commands._common import (
    add_docs_args,
    add_file_arg,
    add_rules_arg,
    docs_request,
    formatter,
    load_pack_arg,
    recommend_file,
    save_snapshot,
)
from advisor.errors import EXIT_FOUND, EXIT_OK, UserError
from advisor.paths import DEFAULT_FILE

if TYPE_CHECKING:
    from advisor.history.store import Entry

DESCRIPTION = """\
Evaluate the rule pack against a requirements file and print the recommended Clerk
architecture: every decision with its reason, the rules that set it and the standards
they cite, plus findings. The result is saved as a snapshot under
.clerk-advisor/history/ (in the current directory) unless --no-save is given.

examples:
  clerk-advisor recommend                              # ./clerk-requirements.yaml, text
  clerk-advisor recommend app.yaml --format markdown -o ARCHITECTURE.md
  clerk-advisor recommend --format json --no-save | jq .decisions
  clerk-advisor recommend --check                      # CI: exit 1 if the pack would change anything
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("recommend", help="evaluate the rule pack and print the recommended architecture",
                       description=DESCRIPTION, formatter_class=formatter())
    add_file_arg(p)
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                   help="text for a terminal (default), a markdown report with a Mermaid diagram, or the json snapshot")
    p.add_argument("-o", "--output", metavar="PATH", type=Path,
                   help="write the report to PATH (atomically) instead of stdout")
    p.add_argument("--no-save", action="store_true", help="do not save a snapshot in .clerk-advisor/history/")
    p.add_argument("--check", action="store_true",
                   help="drift check: re-evaluate the requirements saved in FILE's latest snapshot with the current "
                        "rule pack; print what would change; exit 1 if anything would (saves nothing)")
    add_docs_args(p)
    add_rules_arg(p)


def run(args: argparse.Namespace) -> int:
    if args.check:
        return _check(args)
    arch, pack = recommend_file(args.file, args.rules, docs_request(args))
    from advisor.report import render
    from advisor.terminal import wants_color
    from advisor.wrap import DEFAULT_WIDTH, terminal_width

    to_terminal = args.output is None
    output = render(arch, args.format, pack.references, color=to_terminal and wants_color(sys.stdout),
                    width=terminal_width() if to_terminal else DEFAULT_WIDTH)
    if args.output is not None:
        from advisor.fsutil import write_output

        write_output(args.output, output)
    else:
        sys.stdout.write(output)
    if not args.no_save:
        save_snapshot(arch, args.quiet, args.file)
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from advisor.history.drift import drift
    from advisor.report.diff import render

    pack = load_pack_arg(args.rules)
    # Without a FILE and without the default file here, the latest snapshot of any file.
    source = None if args.file == DEFAULT_FILE and not Path(DEFAULT_FILE).exists() else args.file
    found = drift(pack, source)
    result = found.diff
    if not args.quiet:
        print(f"note: checking {found.entry.label}, the latest of the {found.chosen}, saved {found.entry.created_at}",
              file=sys.stderr)
        if found.entry.note:
            print(f"note: {found.entry.note}", file=sys.stderr)
        if source is not None:
            _say_if_edited(Path(source), found.entry)
    if args.format == "text" and not result.has_changes:
        sys.stdout.write(f"no drift: rule pack {pack.version} gives the same recommendation as {result.old_label}\n")
    else:
        from advisor.wrap import terminal_width

        sys.stdout.write(render(result, args.format, terminal_width()))
    return EXIT_FOUND if result.has_changes else EXIT_OK


def _say_if_edited(file: Path, entry: Entry) -> None:
    """--check re-evaluates what was saved; say so when FILE itself has changed since."""
    from advisor.history.store import load
    from advisor.requirements import load_requirements

    try:
        current = load_requirements(file).sha256
    except UserError:
        return
    if current != load(entry.path).requirements_sha256:
        print(f"note: {file} has changed since that snapshot; --check re-evaluates the requirements saved in it "
              f"(`clerk-advisor diff {file}` shows what your edits change)", file=sys.stderr)
