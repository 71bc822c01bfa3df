"""`rules list|show ID|validate [DIR]|test [DIR]|schema`: inspect, check or test a rule pack."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.commands._common import add_rules_arg, formatter, load_pack_arg
from advisor.errors import EXIT_FOUND, EXIT_OK

if TYPE_CHECKING:
    from advisor.engine import RulePack

DESCRIPTION = """\
Inspect the rule pack that turns requirements into decisions.

  rules list                 every rule: id, version, severity, the keys it sets, title
  rules show ID              one rule in full: condition, values, reason, sources, file and line
  rules validate [DIR]       load and check a pack (default: --rules DIR, else the shipped
                             pack); exit 0 when valid, 2 with file, line, rule id and field
                             when not
  rules test [DIR]           run every rule's examples: exit 1 when a rule has no example
                             that makes it apply, or an example's expectation fails
  rules schema               the JSON Schema of a rule file, for editors

A custom pack is a directory with pack.yaml, references.yaml and rule files; use it
everywhere with --rules DIR.

examples:
  clerk-advisor rules list
  clerk-advisor rules show mfa.aal2-required
  clerk-advisor rules validate my-pack/ && clerk-advisor rules test my-pack/
  clerk-advisor rules schema > rule-schema.json
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rules", help="inspect, validate or test the rule pack", description=DESCRIPTION,
                       formatter_class=formatter())
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(p))
    ls = actions.add_parser("list", help="list every rule")
    ls.add_argument("--format", choices=("text", "json"), default="text")
    add_rules_arg(ls)
    show = actions.add_parser("show", help="show one rule in full")
    show.add_argument("id", metavar="ID")
    show.add_argument("--format", choices=("text", "json"), default="text")
    add_rules_arg(show)
    for name, text in (("validate", "validate a rule pack directory"), ("test", "run every rule's examples")):
        action = actions.add_parser(name, help=text)
        action.add_argument("dir", nargs="?", type=Path, metavar="DIR", help="the pack directory")
        action.add_argument("--format", choices=("text", "json"), default="text")
        add_rules_arg(action)
    actions.add_parser("schema", help="print the JSON Schema of a rule file")


def run(args: argparse.Namespace) -> int:
    if args.action == "schema":
        from advisor.engine.schema import rule_file_schema

        sys.stdout.write(json.dumps(rule_file_schema(), indent=2) + "\n")
        return EXIT_OK
    if args.action in ("validate", "test"):
        pack = load_pack_arg(args.dir or args.rules)
        return _validate(pack, args.format) if args.action == "validate" else _test(pack, args.format)
    pack = load_pack_arg(args.rules)
    if args.action == "list":
        return _list(pack, args.format)
    from advisor.engine.explain import explain_rule, find_rule
    from advisor.report.explain import render_rule
    from advisor.wrap import terminal_width

    data = explain_rule(find_rule(args.id, pack), pack)
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n" if args.format == "json"
                     else render_rule(data, terminal_width()))
    return EXIT_OK


def _list(pack: RulePack, fmt: str) -> int:
    rows: list[dict[str, Any]] = [
        {"id": r.id, "version": r.version, "severity": r.severity, "title": r.title, "sets": sorted(r.keys),
         "finding": r.finding is not None, "file": Path(r.file).name}
        for r in pack.rules
    ]
    if fmt == "json":
        sys.stdout.write(json.dumps({"pack": pack.name, "version": pack.version, "rules": rows}, indent=2) + "\n")
        return EXIT_OK
    from advisor.wrap import hang, terminal_width

    width = max((len(r["id"]) for r in rows), default=10)
    columns = terminal_width()
    print(f"{pack.name} {pack.version}: {len(rows)} rules")
    for r in rows:
        sets = ", ".join(r["sets"]) or "(finding only)"
        for line in hang(f"  {r['id']:<{width}}  v{r['version']}  {r['severity']:<8}  ", f"{r['title']}  -> {sets}",
                         columns):
            print(line)
    return EXIT_OK


def _validate(pack: RulePack, fmt: str) -> int:
    keys = sorted({k for r in pack.rules for k in r.keys})
    if fmt == "json":
        sys.stdout.write(json.dumps({"valid": True, "name": pack.name, "version": pack.version,
                                     "rules": len(pack.rules), "references": len(pack.references),
                                     "keys": keys}, indent=2) + "\n")
    else:
        print(f"ok: {pack.name} {pack.version}: {len(pack.rules)} rules, {len(pack.references)} references, "
              f"{len(keys)} decision keys set")
    return EXIT_OK


def _test(pack: RulePack, fmt: str) -> int:
    from advisor.engine.examples import run_examples

    results = run_examples(pack)
    failed = [r for r in results if not r.ok]
    examples = sum(r.examples for r in results)
    if fmt == "json":
        sys.stdout.write(json.dumps({
            "pack": pack.name, "version": pack.version, "rules": len(results), "examples": examples,
            "failed": [{"rule": r.rule.id, "file": r.rule.file, "failures": r.failures} for r in failed],
        }, indent=2) + "\n")
    else:
        for r in failed:
            print(f"FAIL {r.rule.id} ({Path(r.rule.file).name})")
            for problem in r.failures:
                print(f"  {problem}")
        print(f"{pack.name} {pack.version}: {len(results) - len(failed)} of {len(results)} rules pass "
              f"({examples} examples)")
    return EXIT_FOUND if failed else EXIT_OK
