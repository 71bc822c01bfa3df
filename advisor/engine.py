"""The rule engine: facts in, decisions with their full trace out. Pure; no I/O.

Evaluation runs in phases (decisions.py assigns them): first the derived `assurance.*` facts,
then every architecture decision, so rules can say "at AAL2 and above" without repeating
how AAL2 is reached. Every contribution is kept, winners and losers, so `explain` can
show why a decision has its value and what it beat.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from advisor.decisions import DECISIONS, LAST_PHASE, SEVERITIES, DecisionSpec, empty_value
from advisor.errors import UserError
from advisor.facts import flatten
from advisor.values import as_yaml
from advisor.pack import FactRef, Rule, RulePack
from advisor.requirements import Requirements


class Contribution:
    """One rule's say on one decision key. (A slotted class: large packs make thousands.)"""

    __slots__ = ("rule", "value", "action", "strength")

    def __init__(self, rule: Rule, value: Any, action: str = "set") -> None:
        self.rule = rule
        self.value = value
        self.action = action  # set | remove
        self.strength = rule.strength  # copied: the combine step reads it with attrgetter

    def __repr__(self) -> str:
        return f"Contribution({self.rule.id!r}, {self.value!r}, {self.action!r})"


@dataclass
class Decision:
    key: str
    value: Any
    winner: Rule | None
    contributions: list[Contribution]
    # rules whose contribution the final value agrees with (for union: the ones whose items survive)
    agreeing: list[Rule] = field(default_factory=list)

    @property
    def reason(self) -> str:
        if self.winner is None:
            return "no rule applies; the default of Clerk applies"
        return self.winner.because

    @property
    def rule_ids(self) -> list[str]:
        """Every rule that touched the key, the winner first."""
        ids: list[str] = []
        if self.winner is not None:
            ids.append(self.winner.id)
        for c in self.contributions:
            if c.rule.id not in ids:
                ids.append(c.rule.id)
        return ids

    @property
    def refs(self) -> list[str]:
        out: list[str] = []
        for rule in self.agreeing:
            for ref in rule.refs:
                if ref not in out:
                    out.append(ref)
        return out

    def lost(self, c: Contribution) -> bool:
        return all(c.rule is not r for r in self.agreeing)


@dataclass(frozen=True)
class Finding:
    id: str
    severity: str
    message: str
    rule: str

    def to_data(self) -> dict[str, str]:
        return {"id": self.id, "severity": self.severity, "message": self.message, "rule": self.rule}


@dataclass
class Evaluation:
    facts: dict[str, Any]
    decisions: dict[str, Decision]
    findings: list[Finding]
    fired: list[Rule]

    def value(self, key: str) -> Any:
        return self.decisions[key].value


_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
_order = attrgetter("order")
_strength = attrgetter("strength")

# Phase number -> the derived facts it settles, readable by the phases after it.
PHASE_OUTPUTS: dict[int, tuple[str, ...]] = {
    phase: tuple(k for k, spec in DECISIONS.items() if spec.phase == phase) for phase in range(LAST_PHASE)
}



def _pick(spec: DecisionSpec, sets: list[Contribution]) -> tuple[Any, Contribution]:
    """The winning value and contribution for a scalar key."""
    if spec.combine == "strongest":
        rank = {v: i for i, v in enumerate(spec.order)}
        top = max(rank[c.value] for c in sets)
        best = max((c for c in sets if rank[c.value] == top), key=_strength)
    elif spec.combine in ("min", "max"):
        numbers = [c for c in sets if c.value is not None]
        if not numbers:  # only int_or_null keys get here: every rule said "no limit"
            return None, max(sets, key=_strength)
        sign = 1 if spec.combine == "max" else -1
        best = max(numbers, key=lambda c: (sign * c.value, _strength(c)))
    elif spec.combine == "or":
        trues = [c for c in sets if c.value is True]
        best = max(trues or sets, key=_strength)
    elif spec.combine == "and":
        falses = [c for c in sets if c.value is False]
        best = max(falses or sets, key=_strength)
    else:  # pragma: no cover - the decision table is closed
        raise AssertionError(spec.combine)
    return best.value, best


def _combine(spec: DecisionSpec, contribs: list[Contribution]) -> Decision:
    sets = [c for c in contribs if c.action == "set"]
    if spec.combine == "union":
        items: list[Any] = []
        for c in sets:
            for item in c.value:
                if item not in items:
                    items.append(item)
        removed: set[Any] = set()
        for c in contribs:
            if c.action == "remove":
                removed.update(c.value)
        value = [i for i in items if i not in removed]
        removers = [c for c in contribs if c.action == "remove" and not set(c.value).isdisjoint(items)]
        kept = set(value)
        agreeing = list(dict.fromkeys(
            [c.rule for c in sets if not c.value or not kept.isdisjoint(c.value)] + [c.rule for c in removers]))
        chosen = set(map(id, agreeing))
        candidates = [c for c in contribs if id(c.rule) in chosen]
        winner = max(candidates, key=_strength).rule if candidates else None
        return Decision(spec.key, value, winner, contribs, agreeing)
    if spec.combine == "priority":
        merged: dict[str, tuple[Any, Contribution]] = {}
        for c in sorted(sets, key=lambda c: (c.rule.priority, _strength(c)), reverse=True):
            for k, v in c.value.items():
                merged.setdefault(k, (v, c))
        value = {k: merged[k][0] for k in sorted(merged)}
        agreeing = list(dict.fromkeys(c.rule for _, c in merged.values()))
        winner = max(agreeing, key=lambda r: r.priority) if agreeing else None
        return Decision(spec.key, value, winner, contribs, agreeing)
    if not sets:
        return Decision(spec.key, empty_value(spec), None, contribs, [])
    value, best = _pick(spec, sets)
    agreeing = list(dict.fromkeys([best.rule] + [c.rule for c in sets if c.value == value]))
    return Decision(spec.key, value, best.rule, contribs, agreeing)


def evaluate(pack: RulePack, req: Requirements) -> Evaluation:
    facts = flatten(req)
    contributions: dict[str, list[Contribution]] = {key: [] for key in DECISIONS}
    fired: list[Rule] = []
    decisions: dict[str, Decision] = {}
    for phase in range(LAST_PHASE + 1):
        matched: list[Rule] = []
        for guard, by_test in pack.guarded(phase):
            if guard is not None and not guard(facts):
                continue
            for test, rules in by_test:
                if test(facts):
                    matched += rules
        matched.sort(key=_order)
        fired += matched
        for rule in matched:
            static, dynamic = rule.prepared or _prepare(rule)
            for key, contribution in static:
                contributions[key].append(contribution)
            for key, ref in dynamic:
                contributions[key].append(Contribution(rule, _resolve(ref, key, facts)))
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
    findings = [
        Finding(rule.id, rule.severity, rule.finding, rule.id) for rule in fired if rule.finding is not None
    ]
    findings += _overridden_preferences(decisions)
    findings.sort(key=lambda f: (-_SEVERITY_RANK[f.severity], f.id))
    return Evaluation(facts=facts, decisions=decisions, findings=findings, fired=fired)


def _prepare(rule: Rule) -> tuple[list[tuple[str, Contribution]], list[tuple[str, FactRef]]]:
    """A rule's contributions that do not depend on the facts, built once per process."""
    static: list[tuple[str, Contribution]] = []
    dynamic: list[tuple[str, FactRef]] = []
    for key, value in rule.set.items():
        if type(value) is FactRef:
            dynamic.append((key, value))
        else:
            static.append((key, Contribution(rule, value)))
    for key, items in rule.remove.items():
        static.append((key, Contribution(rule, items, "remove")))
    rule.prepared = (static, dynamic)
    return rule.prepared


def _resolve(ref: FactRef, key: str, facts: dict[str, Any]) -> list[str]:
    """A list taken from the requirements must still fit the decision it feeds."""
    items = ref.resolve(facts)
    spec = DECISIONS[key]
    for item in items:
        if not spec.check_item(item):
            raise UserError(f"{item!r} (from {ref.fact}) is not a valid value for {key}",
                            field=ref.fact, allowed=spec.describe())
    return items


def _overridden_preferences(decisions: dict[str, Decision]) -> list[Finding]:
    """A preference is the weakest input: say so whenever a rule overrode one."""
    out: list[Finding] = []
    for key, decision in decisions.items():
        for c in decision.contributions:
            if c.rule.preference is None:
                continue
            if c.action == "set" and isinstance(c.value, list):
                lost = [i for i in c.value if i not in decision.value]
            elif c.action == "set" and isinstance(c.value, dict):
                lost = [k for k, v in c.value.items() if decision.value.get(k) != v]
            elif c.action == "set":
                lost = [] if decision.value == c.value else [c.value]
            else:
                lost = []
            if not lost:
                continue
            by = _overrider(decision, c, lost)
            wanted = ", ".join(map(as_yaml, lost)) if isinstance(c.value, list) else as_yaml(c.value)
            got = as_yaml(decision.value)
            why = f"{by.because} ({by.id})" if by is not None else "other rules apply"
            out.append(Finding(
                id=f"preference-overridden.{c.rule.preference}.{key}",
                severity="info",
                message=f"Your preference {c.rule.preference} asked for {key} = {wanted}; "
                        f"the advisor chose {got}. {why}",
                rule=by.id if by is not None else c.rule.id,
            ))
    return out


def _overrider(decision: Decision, pref: Contribution, lost: list[Any]) -> Rule | None:
    if isinstance(pref.value, list):
        for c in decision.contributions:
            if c.action == "remove" and set(lost) & set(c.value):
                return c.rule
        return None
    if decision.winner is not None and decision.winner is not pref.rule:
        return decision.winner
    return None
