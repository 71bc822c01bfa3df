"""Why a decision has its value, or what a rule does: the data behind `explain` and
`rules show` (rendered by advisor.report.explain)."""

from __future__ import annotations

from typing import Any, Literal

from advisor.engine.conditions import describe
from advisor.engine.decisions import DECISIONS
from advisor.engine.evaluate import Evaluation, evaluate
from advisor.engine.pack import RulePack, locate_rule
from advisor.engine.rules import FactRef, Rule
from advisor.errors import UserError
from advisor.requirements import Requirements
from advisor.suggest import did_you_mean
from advisor.values import plain

TargetKind = Literal["key", "rule"]


def resolve_target(target: str, pack: RulePack) -> tuple[TargetKind, str]:
    if target in DECISIONS:
        return "key", target
    if target in pack.by_id:
        return "rule", target
    hint = did_you_mean(target, [*DECISIONS, *pack.by_id])
    raise UserError(f"{target!r} is neither a decision key nor a rule id",
                    hint=(f"{hint} " if hint else "") + "see `clerk-advisor rules list` for rule ids")


def find_rule(rule_id: str, pack: RulePack) -> Rule:
    rule = pack.by_id.get(rule_id)
    if rule is None:
        hint = did_you_mean(rule_id, pack.by_id)
        raise UserError(f"no rule {rule_id!r} in {pack.name} {pack.version}",
                        hint=hint or "see `clerk-advisor rules list`")
    return rule


def explain(target: str, pack: RulePack, req: Requirements) -> tuple[TargetKind, dict[str, Any]]:
    """What `explain KEY_OR_RULE FILE` shows: a decision's trace, or a rule and its effect."""
    kind, name = resolve_target(target, pack)
    ev = evaluate(pack, req)
    if kind == "key":
        return kind, explain_key(name, ev, pack)
    return kind, explain_rule(pack.by_id[name], pack, ev)


def _refs(keys: tuple[str, ...] | list[str], pack: RulePack) -> list[dict[str, str]]:
    return [{"key": k, "title": pack.references[k].title, "url": pack.references[k].url} for k in keys]


def explain_key(key: str, ev: Evaluation, pack: RulePack) -> dict[str, Any]:
    decision = ev.decisions[key]
    fired = {id(r) for r in ev.fired}
    contributions = [
        {
            "rule": c.rule.id,
            "version": c.rule.version,
            "action": c.action,
            "value": plain(c.value),
            "outcome": decision.outcome(c),
            "severity": c.rule.severity,
            "preference": c.rule.preference,
            "because": c.rule.because,
            "refs": list(c.rule.refs),
        }
        for c in decision.contributions
    ]
    idle = [
        {"rule": r.id, "when": describe(r.when),
         "would": _shown_value(r.sets[key]) if key in r.sets else {"remove": list(r.removes.get(key, ()))}}
        for r in pack.rules
        if (key in r.sets or key in r.removes) and id(r) not in fired
    ]
    return {
        "key": key,
        "summary": DECISIONS[key].summary,
        "value": plain(decision.value),
        "winner": decision.winner.id if decision.winner else None,
        "reason": decision.reason,
        "contributions": contributions,
        "not_applied": idle,
        "refs": _refs(decision.refs, pack),
    }


def _shown_value(value: Any) -> Any:
    if isinstance(value, FactRef):
        return f"{{{value.prefix}<each of {value.fact}>}}"
    return plain(value)


def explain_rule(rule: Rule, pack: RulePack, ev: Evaluation | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule": rule.id,
        "version": rule.version,
        "title": rule.title,
        "location": str(locate_rule(rule)),
        "when": describe(rule.when),
        "set": {k: _shown_value(v) for k, v in rule.sets.items()},
        "remove": {k: list(v) for k, v in rule.removes.items()},
        "finding": rule.finding,
        "severity": rule.severity,
        "because": rule.because,
        "preference": rule.preference,
        "refs": _refs(rule.refs, pack),
    }
    if ev is not None:
        data["applies"] = any(r is rule for r in ev.fired)
        outcomes = {}
        for key in rule.keys:
            decision = ev.decisions[key]
            mine = [c for c in decision.contributions if c.rule is rule]
            outcomes[key] = decision.outcome(mine[0]) if mine else "not applied"
        data["outcomes"] = outcomes
    return data
