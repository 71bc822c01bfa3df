"""`check [DIR]`: audit an existing project's code (and pulled instance config) for Clerk mistakes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from advisor.commands._common import add_rules_arg, formatter
from advisor.errors import EXIT_FOUND, EXIT_OK

DESCRIPTION = """\
Audit an existing project for Clerk mistakes: Next.js (App and Pages Router, TS/JS),
Express, FastAPI, Flask and Django. Files are parsed (tree-sitter for TS/JS, Python's ast),
never run. .gitignore is honoured; node_modules, build output and vendored code are skipped.

Each finding has a check id, severity, file, line, the fix and a reference. Silence one
with a comment on the line (or the line above) that names the id and says why:
  // clerk-advisor: ignore nextjs.unguarded-route-handler -- public product catalogue

examples:
  clerk-advisor check                                   # the current directory, text
  clerk-advisor check app/ --format sarif -o clerk.sarif --fail-on never
  clerk-advisor check --requirements clerk-requirements.yaml --instance-config dev.json --instance-config prod.json

exit codes: 0 nothing at or above --fail-on; 1 a finding at or above it; 2 bad input.
"""

FAIL_ON = ("low", "medium", "high", "critical", "never")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="audit an existing project's code for Clerk mistakes",
                       description=DESCRIPTION, formatter_class=formatter())
    p.add_argument("dir", nargs="?", default=".", metavar="DIR", help="the project folder (default: .)")
    p.add_argument("--requirements", metavar="FILE", type=Path,
                   help="also check the code and instance config against this requirements file's recommendation")
    p.add_argument("--instance-config", metavar="PULLED.json", type=Path, action="append", default=[],
                   help="a file saved by `clerk config pull`; give two (development, production) to compare them")
    p.add_argument("--format", choices=("text", "json", "sarif"), default="text",
                   help="text for a terminal (default), json, or sarif 2.1.0 for code scanning")
    p.add_argument("-o", "--output", metavar="PATH", type=Path, help="write the report to PATH instead of stdout")
    p.add_argument("--fail-on", choices=FAIL_ON, default="high",
                   help="exit 1 when a finding is at or above this severity (default: high)")
    add_rules_arg(p)


def run(args: argparse.Namespace) -> int:
    from advisor.audit import AuditOptions, Severity, audit
    from advisor.audit.render import render

    report = audit(Path(args.dir), AuditOptions(requirements=args.requirements,
                                                instance_configs=tuple(args.instance_config), rules=args.rules))
    if args.output is not None:
        from advisor.fsutil import write_output

        write_output(args.output, render(report, args.format), what="report")
        print(f"wrote {args.output}: {len(report.findings)} findings, {len(report.suppressed)} suppressed",
              file=sys.stderr)
    else:
        from advisor.terminal import wants_color

        color = args.format == "text" and wants_color(sys.stdout)
        sys.stdout.write(render(report, args.format, color=color))
    threshold = None if args.fail_on == "never" else Severity.parse(args.fail_on)
    return EXIT_FOUND if report.fails(threshold) else EXIT_OK
