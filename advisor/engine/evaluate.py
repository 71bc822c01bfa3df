"""Evaluation: facts in, decisions with their full trace out. Pure; no I/O.

Rules run in phases (decisions.py assigns them): first the derived `assurance.*` facts,
then every architecture decision, so rules can say "at AAL2 and above" without repeating
how AAL2 is reached. Every contribution is kept, winners and losers, so `explain` can
show why a decision has its value and what it beat. Combining is linear in the number of
contributions and items, whatever the size of the pack.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, NamedTuple

from advisor.engine.decisions import DECISIONS, LAST_PHASE, PHASE_OUTPUTS, DecisionSpec, display
from advisor.engine.facts import flatten
from advisor.engine.index import CompiledRule, Contribution
from advisor.engine.pack import RulePack, locate_rule
from advisor.engine.rules import FactRef, Rule, finding_text
from advisor.errors import UserError
from advisor.requirements import Requirements
from advisor.severity import RANK, Severity
from advisor.values import as_yaml

_order = attrgetter("order")
_strength = attrgetter("strength")


class Finding(NamedTuple):
    id: str
    severity: Severity
    message: str
    rule: str

    def to_data(self) -> dict[str, str]:
        return {"id": self.id, "severity": self.severity, "message": self.message, "rule": self.rule}


class Decision:
    """One key's value with its full trace: every contribution, winners and losers."""

    __slots__ = ("_agreeing_ids", "agreeing", "contributions", "key", "value", "winner")

    def __init__(self, key: str, value: Any, winner: Rule | None, contributions: list[Contribution],
                 agreeing: list[Rule]) -> None:
        self.key = key
        self.value = value
        self.winner = winner
        self.contributions = contributions
        # Rules the final value agrees with (for union: those whose items survive, and the
        # removers that took items out), the winner first.
        self.agreeing = agreeing
        self._agreeing_ids: frozenset[int] | None = None

    @property
    def reason(self) -> str:
        return self.winner.because if self.winner is not None else "no rule applies; the default of Clerk applies"

    @property
    def rule_ids(self) -> list[str]:
        """Every rule that touched the key, the winner first."""
        first = [self.winner.id] if self.winner is not None else []
        return list(dict.fromkeys(first + [c.rule.id for c in self.contributions]))

    @property
    def refs(self) -> list[str]:
        return list(dict.fromkeys(ref for rule in self.agreeing for ref in rule.refs))

    def outcome(self, contribution: Contribution) -> str:
        """won, agrees (the value includes what it said) or lost. (Called once per
        contribution: the set is built once, so explaining a key stays linear.)"""
        if contribution.rule is self.winner:
            return "won"
        if self._agreeing_ids is None:
            self._agreeing_ids = frozenset(id(r) for r in self.agreeing)
        return "agrees" if id(contribution.rule) in self._agreeing_ids else "lost"


class Evaluation:
    __slots__ = ("decisions", "facts", "findings", "fired")

    def __init__(self, *, facts: dict[str, Any], decisions: dict[str, Decision], findings: list[Finding],
                 fired: list[Rule]) -> None:
        self.facts = facts
        self.decisions = decisions
        self.findings = findings
        self.fired = fired

    def value(self, key: str) -> Any:
        return self.decisions[key].value


def _pick(spec: DecisionSpec, sets: list[Contribution]) -> Contribution:
    """The winning contribution for a scalar key."""
    if spec.combine == "strongest":
        rank = {v: i for i, v in enumerate(spec.order)}
        top = max(rank[c.value] for c in sets)
        return max((c for c in sets if rank[c.value] == top), key=_strength)
    if spec.combine in ("min", "max"):
        numbers = [c for c in sets if c.value is not None]
        if not numbers:  # only int_or_null keys get here: every rule said "no limit"
            return max(sets, key=_strength)
        sign = 1 if spec.combine == "max" else -1
        return max(numbers, key=lambda c: (sign * c.value, c.strength))
    wanted = spec.combine == "or"  # "or": any true wins; "and": any false wins
    return max([c for c in sets if c.value is wanted] or sets, key=_strength)


def _combine_union(spec: DecisionSpec, contribs: list[Contribution]) -> Decision:
    items: dict[Any, None] = {}
    removed: set[Any] = set()
    for c in contribs:
        if c.action == "set":
            items.update(dict.fromkeys(c.value))
        else:
            removed.update(c.value)
    value = [i for i in items if i not in removed]
    kept = set(value)
    agreeing = list(dict.fromkeys(
        [c.rule for c in contribs if c.action == "set" and (not c.value or not kept.isdisjoint(c.value))]
        + [c.rule for c in contribs if c.action == "remove" and not items.keys().isdisjoint(c.value)]))
    chosen = {id(r) for r in agreeing}
    candidates = [c for c in contribs if id(c.rule) in chosen]
    winner = max(candidates, key=_strength).rule if candidates else None
    return Decision(spec.key, value, winner, contribs, agreeing)


def _combine(spec: DecisionSpec, contribs: list[Contribution]) -> Decision:
    if spec.combine == "union":
        return _combine_union(spec, contribs)
    sets = [c for c in contribs if c.action == "set"]
    if spec.combine == "priority":
        merged: dict[str, tuple[Any, Contribution]] = {}
        for c in sorted(sets, key=lambda c: (c.rule.priority, c.strength), reverse=True):
            for k, v in c.value.items():
                merged.setdefault(k, (v, c))
        value = {k: merged[k][0] for k in sorted(merged)}
        agreeing = list(dict.fromkeys(c.rule for _, c in merged.values()))
        winner = max(agreeing, key=lambda r: r.priority) if agreeing else None
        return Decision(spec.key, value, winner, contribs, agreeing)
    if not sets:
        return Decision(spec.key, spec.empty, None, contribs, [])
    best = _pick(spec, sets)
    agreeing = list(dict.fromkeys([best.rule] + [c.rule for c in sets if c.value == best.value]))
    return Decision(spec.key, best.value, best.rule, contribs, agreeing)


def _matched(phase: list, facts: dict[str, Any]) -> list[CompiledRule]:
    matched: list[CompiledRule] = []
    for guard, by_test in phase:
        if guard is not None and not guard(facts):
            continue
        for test, rules in by_test:
            if test(facts):
                matched += rules
    matched.sort(key=_order)
    return matched


def evaluate(pack: RulePack, req: Requirements) -> Evaluation:
    facts = flatten(req)
    contributions: dict[str, list[Contribution]] = {key: [] for key in DECISIONS}
    fired: list[Rule] = []
    decisions: dict[str, Decision] = {}
    for phase in range(LAST_PHASE + 1):
        for compiled in _matched(pack.phases[phase], facts):
            fired.append(compiled.rule)
            for key, contribution in compiled.static:
                contributions[key].append(contribution)
            for key, ref in compiled.dynamic:
                contributions[key].append(Contribution(compiled.rule, _resolve(compiled.rule, ref, key, facts)))
        # What this phase derives becomes a fact the next phase can read.
        for key in PHASE_OUTPUTS.get(phase, ()):
            decision = _combine(DECISIONS[key], contributions[key])
            if decision.winner is None:
                decision.value = DECISIONS[key].order[0]
            decisions[key] = decision
            facts[key] = decision.value
    for key, spec in DECISIONS.items():
        if key not in decisions:
            decisions[key] = _combine(spec, contributions[key])
    findings = [Finding(rule.id, rule.severity, finding_text(rule.finding, facts), rule.id)
                for rule in fired if rule.finding is not None]
    findings += _overridden_preferences(decisions, facts)
    findings.sort(key=lambda f: (-RANK[f.severity], f.id))
    return Evaluation(facts=facts, decisions=decisions, findings=findings, fired=fired)


def _resolve(rule: Rule, ref: FactRef, key: str, facts: dict[str, Any]) -> tuple[str, ...]:
    """A list taken from the requirements must still fit the decision it feeds. The pack
    loader checks this for every value a fact can hold; should a value slip through, the
    error is the rule's, at the rule's line."""
    items = ref.resolve(facts)
    spec = DECISIONS[key]
    for item in items:
        if not spec.check_item(item):
            raise UserError(f"rule {rule.id}: {item!r} (from {ref.fact}) is not a valid value for {key}",
                            location=locate_rule(rule, ("set", key)), field=f"set.{key}", allowed=spec.describe())
    return tuple(items)


def _overridden_preferences(decisions: dict[str, Decision], facts: dict[str, Any]) -> list[Finding]:
    """A preference is the weakest input: say so whenever a rule overrode one, in the words
    the user wrote (sms_code, not Clerk's phone_code)."""
    out: list[Finding] = []
    for key, decision in decisions.items():
        prefs = [c for c in decision.contributions if c.rule.preference is not None and c.action == "set"]
        if not prefs:
            continue
        final = decision.value
        final_items = set(final) if isinstance(final, list) else None
        removers: dict[Any, tuple[int, Rule]] = {}  # item -> the first rule that removed it
        for n, c in enumerate(decision.contributions):
            if c.action == "remove":
                for item in c.value:
                    removers.setdefault(item, (n, c.rule))
        for c in prefs:
            preference = c.rule.preference
            assert preference is not None
            if final_items is not None:
                lost = [i for i in c.value if i not in final_items]
                by = min((removers[i] for i in lost if i in removers), default=(0, None), key=lambda r: r[0])[1]
                if not lost:
                    continue
                items = ", ".join(map(as_yaml, lost))
                if isinstance(facts.get(preference), (list, tuple)):
                    words = _user_items(c.rule, key, lost, facts)
                    clerk = "" if words == lost else f" (Clerk calls {'it' if len(lost) == 1 else 'them'} {items})"
                    said = (f"Your preference {preference} includes {', '.join(map(as_yaml, words))}; the advisor "
                            f"left {'it' if len(words) == 1 else 'them'} out of {key}{clerk}.")
                else:
                    said = (f"Your preference {preference} is {as_yaml(facts.get(preference))}; the advisor left "
                            f"{items} out of {key}.")
            else:
                if isinstance(final, dict):
                    lost = [k for k, v in c.value.items() if final.get(k) != v]
                else:
                    lost = [] if final == c.value else [c.value]
                if not lost:
                    continue
                by = decision.winner if decision.winner is not c.rule else None
                said = (f"Your preference {preference} is {as_yaml(facts.get(preference))}; the advisor chose "
                        f"{display(key, final)} for {key}.")
            why = by.because if by is not None else "Other rules apply."
            out.append(Finding(
                id=f"preference-overridden.{preference}.{key}",
                severity="info",
                message=f"{said} {why}",
                rule=by.id if by is not None else c.rule.id,
            ))
    return out


def _user_items(rule: Rule, key: str, lost: list[Any], facts: dict[str, Any]) -> list[Any]:
    """The items of the user's preference behind the decision items `lost`: the same items
    less the prefix of a fact value, or the item the rule's condition names."""
    ref = rule.sets.get(key)
    if isinstance(ref, FactRef):
        return [item[len(ref.prefix):] if isinstance(item, str) else item for item in lost]
    named = [leaf["contains"] for leaf in _leaves(rule.when) if leaf.get("fact") == rule.preference
             and "contains" in leaf]
    return named or lost


def _leaves(node: Any) -> list[dict[str, Any]]:
    if not isinstance(node, dict):
        return []
    for combinator in ("all", "any"):
        if combinator in node:
            return [leaf for child in node[combinator] for leaf in _leaves(child)]
    return [] if "not" in node else [node]
