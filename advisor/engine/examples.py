"""Every rule proves itself: each carries examples (a requirements fragment and the effect
it must have), and `rules test` runs them, as Semgrep runs a rule's `ruleid:`/`ok:` cases.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from advisor.engine.evaluate import evaluate
from advisor.engine.pack import RulePack
from advisor.engine.rules import Example, Rule
from advisor.requirements import Requirements, validate_document
from advisor.values import as_yaml, plain


@dataclass
class RuleResult:
    rule: Rule
    examples: int = 0
    fired: bool = False  # some positive example made it fire
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def _merged(base: dict[str, Any], fragment: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in fragment.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def requirements_with(fragment: Mapping[str, Any], shown: str = "example") -> Requirements:
    """The defaults with a requirements fragment laid over them, validated like a file."""
    return validate_document(_merged(Requirements().to_data(), plain(fragment)), shown)


def requirements_for(example: Example) -> Requirements:
    return requirements_with(example.given)


def check_example(rule: Rule, number: int, example: Example, pack: RulePack) -> list[str]:
    label = f"example {number}"
    try:
        req = requirements_for(example)
    except Exception as exc:  # a bad fragment is a failure of this example, reported as such
        return [f"{label}: `given` is not valid requirements: {exc}"]
    ev = evaluate(pack, req)
    failures = []
    fired = any(r is rule for r in ev.fired)
    if fired != example.fires:
        failures.append(f"{label}: expected the rule {'to' if example.fires else 'not to'} apply; it "
                        f"{'did' if fired else 'did not'}")
    for key, want in example.expect.items():
        got = ev.decisions[key].value
        if plain(got) != plain(want):
            failures.append(f"{label}: expected {key} = {as_yaml(want)}, got {as_yaml(got)}")
    if example.finding and not any(f.rule == rule.id and f.id == rule.id for f in ev.findings):
        failures.append(f"{label}: expected the finding of {rule.id} in the findings")
    return failures


def run_examples(pack: RulePack) -> list[RuleResult]:
    """One result per rule; a rule without a positive example that fires fails."""
    results = []
    for rule in pack.rules:
        result = RuleResult(rule, examples=len(rule.examples))
        for number, example in enumerate(rule.examples, 1):
            problems = check_example(rule, number, example, pack)
            result.failures += problems
            if example.fires and not problems:
                result.fired = True
        if not any(e.fires for e in rule.examples):
            result.failures.insert(0, "no example where the rule applies (add one with `given` and its effect)")
        results.append(result)
    return results
