"""`explain KEY_OR_RULE [FILE]`: every rule behind a decision, winners and losers."""

from __future__ import annotations

import argparse
import json
import sys

from advisor.commands._common import add_file_arg, add_rules_arg, formatter, load_pack_arg
from advisor.errors import EXIT_OK

DESCRIPTION = """\
Explain why a decision has its value for a requirements file: the winning rule and its
reason, every other rule that set or removed something (and whether it lost), the rules
that could have applied but did not (with their conditions), and the cited sources.
Given a rule id instead, show the rule and what it did for this file.

examples:
  clerk-advisor explain auth.mfa.policy
  clerk-advisor explain session.inactivity_timeout_seconds healthcare.yaml
  clerk-advisor explain mfa.aal2-required --format json
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("explain", help="why a decision has its value: every rule that touched it",
                       description=DESCRIPTION, formatter_class=formatter())
    p.add_argument("target", metavar="KEY_OR_RULE", help="a decision key (auth.mfa.policy) or a rule id")
    add_file_arg(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_rules_arg(p)


def run(args: argparse.Namespace) -> int:
    from advisor.engine.explain import explain, resolve_target
    from advisor.report.explain import render_key, render_rule
    from advisor.requirements import load_requirements

    pack = load_pack_arg(args.rules)
    resolve_target(args.target, pack)  # a bad target is reported before the file is read
    kind, data = explain(args.target, pack, load_requirements(args.file))
    if args.format == "json":
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        from advisor.wrap import terminal_width

        width = terminal_width()
        sys.stdout.write(render_key(data, width) if kind == "key" else render_rule(data, width))
    return EXIT_OK
