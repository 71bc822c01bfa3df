"""`generate`: the starter project and clerk-config.json for the recommended architecture."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.commands._common import add_docs_args, add_file_arg, add_rules_arg, docs_request, formatter, recommend_file
from advisor.errors import EXIT_FOUND, EXIT_OK

if TYPE_CHECKING:
    from advisor.adopt import Adoption
    from advisor.architecture import Architecture
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
directory that clerk-advisor did not generate is refused: --adopt adds to the app in it,
--force would overwrite its files.

--adopt brings the setup into an app that already exists instead: new files only where
the path is free, small edits of the app's own files (the dependency in package.json,
<ClerkProvider> in the root layout, names merged into .env.example), and a refusal with
the reason and a patch where an edit would not be safe. Nothing the app has is replaced.

examples:
  clerk-advisor generate --stack nextjs --out . --adopt --dry-run    # an existing app: see every edit
  clerk-advisor generate --stack nextjs --out . --adopt              # then make them
  clerk-advisor generate --stack nextjs --out web
  clerk-advisor generate --stack fastapi --out api --dry-run     # unified diff, writes nothing
  clerk-advisor generate --stack nextjs --out web --update       # after requirements changed
  clerk config schema --output clerk-config.schema.json          # Clerk's CLI: the instance's schema
  clerk-advisor generate --stack nextjs --out web --dry-run --config-schema clerk-config.schema.json
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
    p.add_argument("--adopt", action="store_true",
                   help="add the setup to the existing app in --out: new files where the path is free, small edits "
                        "of the app's files, never a replacement (later runs on that app adopt too)")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text summary on stderr (default), or a json summary of the plan on stdout")
    p.add_argument("--config-schema", type=Path, metavar="FILE", default=None,
                   help="check clerk-config.json against the JSON Schema saved by `clerk config schema --output "
                        "FILE`, offline; unknown keys or bad values are listed and exit 1")
    add_docs_args(p)
    add_rules_arg(p)


def run(args: argparse.Namespace) -> int:
    from advisor.generate import plan_project

    schema = None
    if args.config_schema is not None:
        from advisor.architecture.config_schema import load_schema

        schema = load_schema(args.config_schema)
    adopting = _adopting(args)
    arch, _ = recommend_file(args.file, args.rules, docs_request(args))
    _warn_if_unlisted(args.stack, arch.requirements)
    adoption: Adoption | None = None
    if adopting:
        from advisor.adopt import plan_adoption

        adoption = plan_adoption(arch, args.stack, args.out, update=args.update)
        plan = adoption.plan
    else:
        plan = plan_project(arch, args.stack, args.out, force=args.force, update=args.update)
    if args.dry_run:
        from advisor.generate.writer import unified_diff

        sys.stdout.writelines(unified_diff(plan))
    else:
        from advisor.generate.writer import apply

        apply(plan)
    problems = _check_config(arch, schema, args) if schema is not None else []
    if args.format == "json":
        summary: dict[str, object] = {"out": str(args.out), "stack": args.stack, "dry_run": args.dry_run,
                                      "files": plan.summary(), "conflicts": [f.path for f in plan.conflicts]}
        if schema is not None:
            summary["config_schema"] = {"file": str(args.config_schema), "problems": [str(p) for p in problems]}
        if adoption is not None:
            from advisor.adopt.report import as_data

            summary["adopt"] = as_data(adoption)
        sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    elif not args.quiet:
        _report(plan, args.dry_run, adoption)
    return EXIT_FOUND if plan.conflicts or problems else EXIT_OK


def _adopting(args: argparse.Namespace) -> bool:
    """--adopt, or a directory adopted before (its files are the app's: never generate over them).
    --force replaces files, which adopting never does."""
    from advisor.adopt import is_adopted
    from advisor.errors import UserError

    adopted = not args.adopt and is_adopted(args.out)
    if (args.adopt or adopted) and args.force:
        raise UserError("--force cannot be combined with adopting: adopt never replaces the app's own files",
                        field="--force",
                        hint="--update merges a newer setup into files you changed; to start one of the adopted "
                             "files over, delete it and run again")
    if adopted and not args.quiet and args.format == "text":
        print(f"{args.out} was adopted before: adopting again (as with --adopt)", file=sys.stderr)
    return args.adopt or adopted


def _check_config(arch: Architecture, schema: dict[str, Any], args: argparse.Namespace) -> list[Any]:
    """clerk-config.json against the instance's schema; problems always go to stderr."""
    from advisor.architecture.config_schema import validate
    from advisor.values import plain

    problems = validate(plain(arch.clerk_config), schema)
    if problems:
        print(f"clerk-config.json does not fit {args.config_schema} ({len(problems)} problem"
              f"{'s' if len(problems) != 1 else ''}); do not patch until it does:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
    elif not args.quiet:
        print(f"clerk-config.json fits {args.config_schema}", file=sys.stderr)
    return problems


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
    "orphan": "no longer generated (left in place)", "remove": "removed (renamed)", "edit": "edited",
    "refuse": "refused (left as it is)",
}


def _report(plan: Plan, dry_run: bool, adoption: Adoption | None = None) -> None:
    err = sys.stderr
    verb = "would be " if dry_run else ""
    if adoption is not None:
        from advisor.adopt.report import header

        header(adoption, dry_run, err)
    summary = plan.summary()
    for action, label in LABELS.items():
        paths = summary.get(action, [])
        if not paths:
            continue
        print(f"{verb}{label}: {len(paths)}", file=err)
        for f in plan.by_action(action):
            note = f" ({f.note})" if f.note and action not in ("create", "refuse") else ""  # refusals follow
            print(f"  {f.path}{note}", file=err)
    unchanged = len(summary.get("unchanged", []))
    if unchanged:
        print(f"unchanged: {unchanged}", file=err)
    if adoption is not None:
        from advisor.adopt.report import details

        details(adoption, dry_run, err)
    if plan.conflicts:
        print(f"{len(plan.conflicts)} file(s) have conflicts; fix them, then run --update again", file=err)
    elif not dry_run:
        print(f"done: {plan.out}", file=err)
