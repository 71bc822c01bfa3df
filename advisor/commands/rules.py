"""`rules list|show ID|validate [DIR]`: inspect the rule pack, or check a custom one."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from advisor.commands._common import add_rules_arg, formatter, load_pack_arg
from advisor.errors import UserError

DESCRIPTION = """\
Inspect the rule pack that turns requirements into decisions.

  rules list                 every rule: id, version, severity, the keys it sets, title
  rules show ID              one rule in full: condition, values, reason, sources, file and line
  rules validate [DIR]       load and check a pack (default: --rules DIR, else the shipped
                             pack); exit 0 when valid, 2 with file, line, rule id and field
                             when not

A custom pack is a directory with pack.yaml, references.yaml and rule files; use it
everywhere with --rules DIR.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rules", help="inspect or validate the rule pack", description=DESCRIPTION,
                       formatter_class=formatter())
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(p))
    ls = actions.add_parser("list", help="list every rule")
    ls.add_argument("--format", choices=("text", "json"), default="text")
    add_rules_arg(ls)
    show = actions.add_parser("show", help="show one rule in full")
    show.add_argument("id", metavar="ID")
    show.add_argument("--format", choices=("text", "json"), default="text")
    add_rules_arg(show)
    val = actions.add_parser("validate", help="validate a rule pack directory")
    val.add_argument("dir", nargs="?", type=Path, metavar="DIR", help="the pack directory")
    val.add_argument("--format", choices=("text", "json"), default="text")
    add_rules_arg(val)


def run(args: argparse.Namespace) -> int:
    if args.action == "validate":
        return _validate(args)
    pack = load_pack_arg(args.rules)
    if args.action == "list":
        rows = [
            {"id": r.id, "version": r.version, "severity": r.severity, "title": r.title,
             "sets": sorted(set(r.set) | set(r.remove)), "finding": r.finding is not None, "file": Path(r.file).name}
            for r in pack.rules
        ]
        if args.format == "json":
            sys.stdout.write(json.dumps({"pack": pack.name, "version": pack.version, "rules": rows}, indent=2) + "\n")
            return 0
        width = max((len(r["id"]) for r in rows), default=10)
        print(f"{pack.name} {pack.version}: {len(rows)} rules")
        for r in rows:
            sets = ", ".join(r["sets"]) or "(finding only)"
            print(f"  {r['id']:<{width}}  v{r['version']}  {r['severity']:<8}  {r['title']}  -> {sets}")
        return 0
    from advisor.commands.explain import _text_rule, explain_rule  # one renderer for both commands

    rule = pack.by_id().get(args.id)
    if rule is None:
        import difflib

        close = difflib.get_close_matches(args.id, list(pack.by_id()), n=1, cutoff=0.5)
        raise UserError(f"no rule {args.id!r} in {pack.name} {pack.version}",
                        hint=f"did you mean {close[0]!r}?" if close else "see `clerk-advisor rules list`")
    data = explain_rule(rule, None, pack)
    if args.format == "json":
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(_text_rule(data))
    return 0


def _validate(args: argparse.Namespace) -> int:
    pack = load_pack_arg(args.dir or args.rules)
    keys = sorted({k for r in pack.rules for k in list(r.set) + list(r.remove)})
    if args.format == "json":
        sys.stdout.write(json.dumps({"valid": True, "name": pack.name, "version": pack.version,
                                     "rules": len(pack.rules), "references": len(pack.references),
                                     "keys": keys}, indent=2) + "\n")
    else:
        print(f"ok: {pack.name} {pack.version}: {len(pack.rules)} rules, {len(pack.references)} references, "
              f"{len(keys)} decision keys set")
    return 0
