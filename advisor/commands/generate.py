"""`generate`: the starter project and clerk-config.json for the recommended architecture."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.commands._common import add_docs_args, add_file_arg, add_rules_arg, docs_request, formatter, recommend_file
from advisor.errors import EXIT_FOUND, EXIT_OK

if TYPE_CHECKING:
    from advisor.generate.plan import Action, Plan
    from advisor.requirements import Requirements

DESCRIPTION = """\
Write a starter project for the recommended architecture into --out: clerk-config.json
(for `clerk config patch`), CLERK_SETUP.md (dashboard steps the config cannot express),
.env.example (names only, never values), a README, and the app itself.

  nextjs   Next.js App Router on @clerk/nextjs 7 (proxy.ts on Next 16, middleware.ts on 15)
  fastapi  FastAPI on clerk-backend-api 7, with its own networkless test suite

Nothing is overwritten behind your back: a file you changed since the last generation is
kept (and listed) unless you pass --force; --update merges the new generation into your
edits (three-way, git conflict markers, exit 1 while conflicts remain). A non-empty
directory that clerk-advisor did not generate is refused unless --force.

examples:
  clerk-advisor generate --stack nextjs --out web
  clerk-advisor generate --stack fastapi --out api --dry-run     # unified diff, writes nothing
  clerk-advisor generate --stack nextjs --out web --update       # after requirements changed
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("generate", help="write a starter project and clerk-config.json",
                       description=DESCRIPTION, formatter_class=formatter())
    add_file_arg(p)
    p.add_argument("--stack", choices=("nextjs", "fastapi"), required=True, help="which starter project to write")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="directory to write the project into")
    p.add_argument("--dry-run", action="store_true", help="print the plan as a unified diff; write nothing")
    p.add_argument("--force", action="store_true",
                   help="overwrite files you changed and write into a directory clerk-advisor did not generate")
    p.add_argument("--update", action="store_true",
                   help="three-way merge the new generation into files you changed; exit 1 on conflicts")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text summary on stderr (default), or a json summary of the plan on stdout")
    add_docs_args(p)
    add_rules_arg(p)


def run(args: argparse.Namespace) -> int:
    from advisor.generate import plan_project

    arch, _ = recommend_file(args.file, args.rules, docs_request(args))
    _warn_if_unlisted(args.stack, arch.requirements)
    plan = plan_project(arch, args.stack, args.out, force=args.force, update=args.update)
    if args.dry_run:
        from advisor.generate.writer import unified_diff

        sys.stdout.writelines(unified_diff(plan))
    else:
        from advisor.generate.writer import apply

        apply(plan)
    if args.format == "json":
        sys.stdout.write(json.dumps({"out": str(args.out), "stack": args.stack, "dry_run": args.dry_run,
                                     "files": plan.summary(),
                                     "conflicts": [f.path for f in plan.conflicts]}, indent=2) + "\n")
    elif not args.quiet:
        _report(plan, args.dry_run)
    return EXIT_FOUND if plan.conflicts else EXIT_OK


def _warn_if_unlisted(stack: str, req: Requirements) -> None:
    """Generating a stack the requirements do not mention is allowed, but said."""
    if stack == "nextjs" and req.platforms.web != "nextjs":
        print(f"warning: the requirements say platforms.web is {req.platforms.web}; generating a Next.js "
              f"{req.platforms.nextjs_version} app anyway", file=sys.stderr)
    if stack == "fastapi" and "fastapi" not in req.platforms.backends:
        print("warning: fastapi is not in platforms.backends; generating a FastAPI service anyway", file=sys.stderr)


LABELS: dict[Action, str] = {
    "create": "created", "update": "updated", "overwrite": "overwritten (--force)", "merge": "merged your edits",
    "conflict": "CONFLICTS (resolve the <<<<<<< markers)", "keep": "kept", "deleted": "left deleted",
    "orphan": "no longer generated (left in place)", "remove": "removed (renamed)",
}


def _report(plan: Plan, dry_run: bool) -> None:
    err = sys.stderr
    verb = "would be " if dry_run else ""
    summary = plan.summary()
    for action, label in LABELS.items():
        paths = summary.get(action, [])
        if not paths:
            continue
        print(f"{verb}{label}: {len(paths)}", file=err)
        for f in plan.by_action(action):
            note = f" ({f.note})" if f.note and action != "create" else ""
            print(f"  {f.path}{note}", file=err)
    unchanged = len(summary.get("unchanged", []))
    if unchanged:
        print(f"unchanged: {unchanged}", file=err)
    if plan.conflicts:
        print(f"{len(plan.conflicts)} file(s) have conflicts; fix them, then run --update again", file=err)
    elif not dry_run:
        print(f"done: {plan.out}", file=err)
