"""`history`: the saved recommendations, oldest first."""

from __future__ import annotations

import argparse
import json
import sys

from advisor.commands._common import formatter
from advisor.errors import EXIT_OK

DESCRIPTION = """\
List the snapshots that `recommend` saved under .clerk-advisor/history/ in the current
directory, oldest first by the time each one records: date, the requirements file it was
saved from, rule pack version, requirements digest and a one-line summary. Compare two
with `clerk-advisor diff OLD NEW` (default: the last two of the same requirements file).

examples:
  clerk-advisor history
  clerk-advisor history --format json
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("history", help="list saved recommendations", description=DESCRIPTION,
                       formatter_class=formatter())
    p.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    from advisor.history import entries, load
    from advisor.report.history import summary

    rows = []
    for entry in entries():
        arch = load(entry.path)
        rows.append({"file": str(entry.path), "created_at": entry.created_at, "requirements_file": entry.source,
                     "project": entry.project, "rules_version": arch.rules_version,
                     "requirements_sha256": arch.requirements_sha256, "summary": summary(arch)})
        if entry.note:
            print(f"note: {entry.note}", file=sys.stderr)
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return EXIT_OK
    if not rows:
        print("no snapshots yet in .clerk-advisor/history/; run `clerk-advisor recommend`", file=sys.stderr)
        return EXIT_OK
    for i, r in enumerate(rows, 1):
        print(f"{i:>3}  {r['created_at']}  rules {r['rules_version']}  req {r['requirements_sha256'][:8]}  "
              f"{r['summary']}")
        print(f"     {r['file']}" + (f"  (from {r['requirements_file']})" if r["requirements_file"] else ""))
    return EXIT_OK
