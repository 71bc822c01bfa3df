"""`explain KEY_OR_RULE [FILE]`: every rule behind a decision, winners and losers."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from typing import Any

from advisor.commands._common import add_file_arg, add_rules_arg, formatter, load_pack_arg
from advisor.errors import UserError

DESCRIPTION = """\
Explain why a decision has its value for a requirements file: the winning rule and its
reason, every other rule that set or removed something (and whether it lost), the rules
that could have applied but did not (with their conditions), and the cited sources.
Given a rule id instead, show the rule and what it did for this file.

examples:
  clerk-advisor explain auth.mfa.policy
  clerk-advisor explain session.inactivity_timeout_seconds healthcare.yaml
  clerk-advisor explain mfa.compliance-pci --format json
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("explain", help="why a decision has its value: every rule that touched it",
                       description=DESCRIPTION, formatter_class=formatter())
    p.add_argument("target", metavar="KEY_OR_RULE", help="a decision key (auth.mfa.policy) or a rule id")
    add_file_arg(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_rules_arg(p)


def _show(value: Any, key: str | None = None) -> str:
    from advisor.report import show, show_decision

    # A decision's own value reads as in the report ("not applicable" for a null password policy).
    return show_decision(key, value) if key is not None and value is None else show(value)


def explain_key(key: str, ev, pack) -> dict[str, Any]:
    from advisor.pack import describe_condition

    decision = ev.decisions[key]
    fired_ids = {r.id for r in ev.fired}
    contributions = [
        {
            "rule": c.rule.id,
            "version": c.rule.version,
            "action": c.action,
            "value": c.value,
            "outcome": "won" if c.rule is decision.winner else ("agrees" if not decision.lost(c) else "lost"),
            "severity": c.rule.severity,
            "preference": c.rule.preference,
            "because": c.rule.because,
            "refs": list(c.rule.refs),
        }
        for c in decision.contributions
    ]
    idle = [
        {"rule": r.id, "when": describe_condition(r.when), "would": r.set.get(key, None) if key in r.set else
         {"remove": list(r.remove.get(key, ()))}}
        for r in pack.rules
        if (key in r.set or key in r.remove) and r.id not in fired_ids
    ]
    return {
        "key": key,
        "value": decision.value,
        "winner": decision.winner.id if decision.winner else None,
        "reason": decision.reason,
        "contributions": contributions,
        "not_applied": idle,
        "refs": [
            {"key": ref, "title": pack.references[ref].title, "url": pack.references[ref].url}
            for ref in decision.refs
        ],
    }


def explain_rule(rule, ev, pack) -> dict[str, Any]:
    from advisor.pack import FactRef, describe_condition, locate_rule

    data_extra: dict[str, Any] = {}
    if ev is not None:
        data_extra["applies"] = any(r is rule for r in ev.fired)
        data_extra["outcomes"] = _outcomes(rule, ev)
    loc = locate_rule(rule)
    return {
        "rule": rule.id,
        "version": rule.version,
        "title": rule.title,
        "location": str(loc),
        "when": describe_condition(rule.when),
        "set": {k: (f"{{{v.prefix}<each of {v.fact}>}}" if isinstance(v, FactRef) else v) for k, v in rule.set.items()},
        "remove": {k: list(v) for k, v in rule.remove.items()},
        "finding": rule.finding,
        "severity": rule.severity,
        "because": rule.because,
        "preference": rule.preference,
        "refs": [{"key": r, "title": pack.references[r].title, "url": pack.references[r].url} for r in rule.refs],
        **data_extra,
    }


def _outcomes(rule, ev) -> dict[str, str]:
    outcomes = {}
    for key in list(rule.set) + list(rule.remove):
        decision = ev.decisions[key]
        mine = [c for c in decision.contributions if c.rule is rule]
        outcomes[key] = ("won" if decision.winner is rule else "agrees" if mine and not decision.lost(mine[0])
                         else "lost") if mine else "not applied"
    return outcomes


def _text_key(data: dict[str, Any]) -> str:
    lines = [f"{data['key']} = {_show(data['value'], data['key'])}", ""]
    if data["winner"]:
        lines.append(f"Decided by {data['winner']}: {data['reason']}")
    else:
        lines.append("No rule set this key for these requirements.")
    if data["contributions"]:
        lines += ["", "Rules that applied:"]
        for c in data["contributions"]:
            what = f"remove {_show(c['value'])}" if c["action"] == "remove" else _show(c["value"], data["key"])
            pref = f" (your preference {c['preference']})" if c["preference"] else ""
            lines.append(f"  {c['outcome']:<7} {c['rule']} v{c['version']} [{c['severity']}]{pref}: {what}")
            lines.append(f"          {c['because']}")
    if data["not_applied"]:
        lines += ["", "Rules that did not apply:"]
        for r in data["not_applied"]:
            lines.append(f"  {r['rule']}: would set {_show(r['would'])} when {r['when']}")
    if data["refs"]:
        lines += ["", "Sources:"]
        for ref in data["refs"]:
            lines.append(f"  {ref['key']}: {ref['title']} <{ref['url']}>")
    return "\n".join(lines) + "\n"


def _text_rule(data: dict[str, Any]) -> str:
    lines = [f"{data['rule']} v{data['version']}: {data['title']}", f"  defined at {data['location']}",
             f"  severity  {data['severity']}", f"  when      {data['when']}"]
    for k, v in data["set"].items():
        lines.append(f"  sets      {k} = {_show(v)}")
    for k, v in data["remove"].items():
        lines.append(f"  removes   {_show(v)} from {k}")
    if data["finding"]:
        lines.append(f"  finding   {data['finding']}")
    if data["preference"]:
        lines.append(f"  carries   your preference {data['preference']}")
    lines.append(f"  because   {data['because']}")
    for ref in data["refs"]:
        lines.append(f"  source    {ref['key']}: {ref['title']} <{ref['url']}>")
    if "applies" in data:
        lines.append("")
        lines.append("Applies to these requirements: " + ("yes" if data["applies"] else "no"))
        for k, o in data["outcomes"].items():
            lines.append(f"  {k}: {o}")
    return "\n".join(lines) + "\n"


def resolve_target(target: str, pack) -> tuple[str, Any]:
    from advisor.decisions import DECISIONS

    if target in DECISIONS:
        return "key", target
    rules = pack.by_id()
    if target in rules:
        return "rule", rules[target]
    close = difflib.get_close_matches(target, list(DECISIONS) + list(rules), n=1, cutoff=0.5)
    raise UserError(f"{target!r} is neither a decision key nor a rule id",
                    hint=(f"did you mean {close[0]!r}? " if close else "")
                    + "see `clerk-advisor rules list` for rule ids")


def run(args: argparse.Namespace) -> int:
    from advisor.engine import evaluate
    from advisor.loader import load_requirements

    pack = load_pack_arg(args.rules)
    kind, target = resolve_target(args.target, pack)
    ev = evaluate(pack, load_requirements(args.file))
    data = explain_key(target, ev, pack) if kind == "key" else explain_rule(target, ev, pack)
    if args.format == "json":
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(_text_key(data) if kind == "key" else _text_rule(data))
    return 0
