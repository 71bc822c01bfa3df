"""`diff [OLD] [NEW]`: what changed between two recommendations, and why."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from advisor.commands._common import add_rules_arg, formatter, load_pack_arg
from advisor.errors import EXIT_FOUND, EXIT_OK, UserError

DESCRIPTION = """\
Compare two recommendations decision by decision and finding by finding, and name the
cause of each change: requirement fields that changed, rules added, removed or
re-versioned, a different winning rule, changed docs.

OLD and NEW may each be:
  a snapshot file (.clerk-advisor/history/*.json, or `recommend --format json` output)
  a number from `clerk-advisor history` (1 is the oldest; -1 the latest)
  a requirements file, evaluated now with the current rule pack

  diff                  the last two snapshots
  diff X                the latest snapshot -> X
  diff OLD NEW          OLD -> NEW

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


def resolve(spec: str, pack) -> tuple[dict[str, Any], str]:
    """A snapshot (and its label) from a path, a history number, or a requirements file."""
    from advisor.history import entries, load_snapshot

    if spec.lstrip("-").isdigit() and not Path(spec).exists():
        items = entries()
        n = int(spec)
        index = n - 1 if n > 0 else n
        if not items or not (-len(items) <= index < len(items)) or n == 0:
            raise UserError(f"no snapshot number {spec} in history ({len(items)} saved)",
                            hint="see `clerk-advisor history`")
        return load_snapshot(items[index].path), items[index].path.name
    path = Path(spec)
    if path.suffix == ".json":
        return load_snapshot(path), str(path)
    from advisor.architecture import build
    from advisor.loader import load_requirements

    return build(load_requirements(path), pack), f"{path} (evaluated now)"


def latest_two() -> list[tuple[dict[str, Any], str]]:
    from advisor.history import entries, load_snapshot

    items = entries()
    if len(items) < 2:
        raise UserError(f"diff needs two snapshots; history has {len(items)}",
                        hint="run `clerk-advisor recommend` after a change, or name two files")
    return [(load_snapshot(e.path), e.path.name) for e in items[-2:]]


def run(args: argparse.Namespace) -> int:
    from advisor.diff import diff_snapshots, render

    pack = load_pack_arg(args.rules)
    if args.old is None:
        (old, old_label), (new, new_label) = latest_two()
    elif args.new is None:
        old, old_label = resolve("-1", pack)
        new, new_label = resolve(args.old, pack)
    else:
        old, old_label = resolve(args.old, pack)
        new, new_label = resolve(args.new, pack)
    result = diff_snapshots(old, new, old_label=old_label, new_label=new_label,
                            reads={r.id: r.reads for r in pack.rules})
    sys.stdout.write(render(result, args.format))
    return EXIT_FOUND if args.exit_code and result.has_changes else EXIT_OK
