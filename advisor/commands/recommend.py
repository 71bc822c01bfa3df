"""`recommend`: requirements -> rules -> architecture, printed and kept in history."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from advisor.commands._common import add_file_arg, add_rules_arg, build_snapshot, formatter, load_pack_arg
from advisor.errors import EXIT_OK

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
                   help="drift check: re-evaluate the requirements saved in the latest snapshot with the current "
                        "rule pack; print what would change; exit 1 if anything would (saves nothing)")
    p.add_argument("--docs", nargs="?", const="on", choices=("on", "required"), default=None,
                   help="attach current Clerk docs from Context7 to each decision; "
                        "--docs=required exits 3 if they cannot be fetched")
    p.add_argument("--offline", action="store_true", help="with --docs: use only cached docs, no network")
    p.add_argument("--quiet", action="store_true", help="no progress display")
    add_rules_arg(p)


def run(args: argparse.Namespace) -> int:
    from advisor.loader import load_requirements

    pack = load_pack_arg(args.rules)
    if args.check:
        from advisor.drift import check

        return check(pack, args, sys.stdout)
    req = load_requirements(args.file)
    snapshot = build_snapshot(args, pack, req)
    from advisor.report import wants_color

    output = render(snapshot, pack, args.format, color=args.output is None and wants_color(sys.stdout))
    if args.output is not None:
        from advisor.fsutil import atomic_write

        atomic_write(args.output, output)
    else:
        sys.stdout.write(output)
    if not args.no_save:
        from advisor.history import save

        path, written = save(snapshot)
        if not args.quiet:
            note = f"saved {path}" if written else f"unchanged since {path.name}; nothing saved"
            print(note, file=sys.stderr)
    return EXIT_OK


def render(snapshot: dict, pack, fmt: str, color: bool = False) -> str:
    from advisor import report

    if fmt == "json":
        return report.render_json(snapshot)
    if fmt == "markdown":
        return report.render_markdown(snapshot, pack.references)
    return report.render_text(snapshot, color=color)

