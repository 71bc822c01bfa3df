"""Every rule proves itself: its `examples` run against the shipped pack.

An example is a requirements fragment (`given`, deep-merged over the schema-1 defaults)
and what must hold for it: `fires` (default true: the rule is among the fired rules),
`expect` (final decision values) and `finding: true` (the rule's finding is reported).
Each rule needs at least one example where it fires; a negative example (`fires: false`)
shows the condition is not always true. One test case per rule, so a failure names it.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from advisor.engine import Evaluation, evaluate
from advisor.pack import Rule, RulePack, default_pack_dir, load_pack
from advisor.requirements import Requirements

PACK = load_pack(default_pack_dir())
DEFAULTS = Requirements().to_data()


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def run_example(pack: RulePack, given: dict[str, Any]) -> Evaluation:
    return evaluate(pack, Requirements.model_validate(deep_merge(DEFAULTS, given)))


def check_example(rule: Rule, example: dict[str, Any], ev: Evaluation) -> list[str]:
    problems: list[str] = []
    fired = any(r is rule for r in ev.fired)
    if fired != example.get("fires", True):
        problems.append(f"expected the rule {'to fire' if example.get('fires', True) else 'not to fire'}")
    for key, value in (example.get("expect") or {}).items():
        if key not in ev.decisions:
            problems.append(f"unknown decision key {key}")
        elif ev.value(key) != value:
            problems.append(f"{key} = {ev.value(key)!r}, expected {value!r}")
    if example.get("finding"):
        if not any(f.id == rule.id for f in ev.findings):
            problems.append("expected the rule's finding")
    return problems


@pytest.mark.parametrize("rule", PACK.rules, ids=lambda r: r.id)
def test_rule_examples(rule: Rule) -> None:
    assert any(e.get("fires", True) for e in rule.examples), f"{rule.id} has no example where it fires"
    failures = []
    for i, example in enumerate(rule.examples):
        problems = check_example(rule, example, run_example(PACK, example["given"]))
        if problems:
            failures.append(f"example {i + 1} (given {example['given']}): " + "; ".join(problems))
    assert not failures, f"{rule.id} ({rule.file}):\n  " + "\n  ".join(failures)


def test_the_pack_has_examples_for_every_rule_and_negatives_where_conditions_exist() -> None:
    missing_negative = [r.id for r in PACK.rules
                        if r.when is not None and not any(e.get("fires", True) is False for e in r.examples)]
    assert not missing_negative, f"rules with a condition but no negative example: {missing_negative}"


def test_an_example_that_does_not_hold_fails(tmp_path) -> None:
    """The harness itself: a wrong expectation, a wrong `fires` and a missing finding are reported."""
    rule = next(r for r in PACK.rules if r.id == "mfa.pci-required")
    ev = run_example(PACK, {"threat_model": {"compliance": []}})
    problems = check_example(rule, {"given": {}, "expect": {"auth.mfa.policy": "required"}, "finding": True}, ev)
    assert any("expected the rule to fire" in p for p in problems)
    assert any("auth.mfa.policy" in p for p in problems)
    assert any("finding" in p for p in problems)


# ------------------------------------------------------------------ the `examples` key is checked when a pack loads

def _load(tmp_path, examples: str):
    from tests.test_pack_validation import GOOD_RULE, pack

    return load_pack(pack(tmp_path, GOOD_RULE + examples))


def test_examples_are_kept_on_the_rule(tmp_path) -> None:
    pack = _load(tmp_path, "  examples:\n    - given: {threat_model: {data_sensitivity: confidential}}\n"
                           "      expect: {auth.mfa.policy: required}\n"
                           "    - given: {}\n      fires: false\n")
    assert pack.rules[0].examples == [
        {"given": {"threat_model": {"data_sensitivity": "confidential"}}, "expect": {"auth.mfa.policy": "required"}},
        {"given": {}, "fires": False},
    ]


@pytest.mark.parametrize(("examples", "message"), [
    ("  examples: {given: {}}\n", "examples must be a list"),
    ("  examples:\n    - fires: true\n", "an example needs `given`"),
    ("  examples:\n    - given: {}\n      expects: {}\n", "unknown key 'expects' in an example"),
    ("  examples:\n    - given: {}\n      fires: maybe\n", "fires must be true or false"),
    ("  examples:\n    - given: {}\n      expect: [auth.mfa.policy]\n", "expect must map decision keys"),
])
def test_malformed_examples_are_refused_with_the_rule_and_line(tmp_path, examples: str, message: str) -> None:
    from advisor.errors import UserError

    with pytest.raises(UserError) as err:
        _load(tmp_path, examples)
    text = str(err.value)
    assert "rule mfa.base" in text and message in text and "rules.yaml:" in text
