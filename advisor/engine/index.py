"""The compiled form of a pack: what evaluation walks, built once per loaded pack.

Rules are grouped by phase, then by shared guard (skipped together when the guard is
false), then by shared residual condition (tested once). Each rule's contributions that do
not depend on the facts are built here, once, so an evaluation only appends them.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from advisor.engine.conditions import Predicate
from advisor.engine.decisions import LAST_PHASE
from advisor.engine.rules import Action, FactRef, Rule


class Contribution:
    """One rule's say on one decision key. (A slotted class: large packs make thousands.)"""

    __slots__ = ("action", "rule", "strength", "value")

    def __init__(self, rule: Rule, value: Any, action: Action = "set") -> None:
        self.rule = rule
        self.value = value
        self.action: Action = action
        self.strength = rule.strength  # copied: combining reads it for every contribution

    def __repr__(self) -> str:
        return f"Contribution({self.rule.id!r}, {self.value!r}, {self.action!r})"


class CompiledRule(NamedTuple):
    rule: Rule
    order: int  # position in the pack: contributions keep the pack's order
    static: tuple[tuple[str, Contribution], ...]
    dynamic: tuple[tuple[str, FactRef], ...]


# Per phase: [(guard or None, [(residual, [rules sharing both])])]
Phase = list[tuple[Predicate | None, list[tuple[Predicate, list[CompiledRule]]]]]


def compile_rule(rule: Rule, order: int) -> CompiledRule:
    static: list[tuple[str, Contribution]] = []
    dynamic: list[tuple[str, FactRef]] = []
    for key, value in rule.sets.items():
        if isinstance(value, FactRef):
            dynamic.append((key, value))
        else:
            static.append((key, Contribution(rule, value)))
    for key, items in rule.removes.items():
        static.append((key, Contribution(rule, items, "remove")))
    return CompiledRule(rule, order, tuple(static), tuple(dynamic))


def build_phases(entries: list[tuple[CompiledRule, Predicate | None, Predicate]]) -> tuple[Phase, ...]:
    groups: list[dict[int, tuple[Predicate | None, dict[int, tuple[Predicate, list[CompiledRule]]]]]] = [
        {} for _ in range(LAST_PHASE + 1)]
    for compiled, guard, residual in entries:
        _, by_test = groups[compiled.rule.phase].setdefault(id(guard), (guard, {}))
        by_test.setdefault(id(residual), (residual, []))[1].append(compiled)
    return tuple([(g, list(by_test.values())) for g, by_test in phase.values()] for phase in groups)
