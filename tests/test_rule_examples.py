"""Every rule proves itself: its `examples` run against the shipped pack.

An example is a requirements fragment (`given`, deep-merged over the schema-1 defaults)
and what must hold for it: `fires` (default true: the rule is among the fired rules),
`expect` (final decision values) and `finding: true` (the rule's finding is reported).
Each rule needs at least one example where it fires; a negative example (`fires: false`)
shows the condition is not always true. One test case per rule, so a failure names it.
"""

from __future__ import annotations

import pytest

from advisor.engine import load_pack
from advisor.engine.examples import check_example, run_examples
from advisor.engine.rules import Example, Rule

PACK = load_pack()
RESULTS = {r.rule.id: r for r in run_examples(PACK)}


@pytest.mark.parametrize("rule", PACK.rules, ids=lambda r: r.id)
def test_rule_examples(rule: Rule) -> None:
    result = RESULTS[rule.id]
    assert result.ok, f"{rule.id} ({rule.file}):\n  " + "\n  ".join(result.failures)
    assert result.fired


def test_the_pack_has_examples_for_every_rule_and_negatives_where_conditions_exist() -> None:
    missing_negative = [r.id for r in PACK.rules if r.when is not None and not any(not e.fires for e in r.examples)]
    assert not missing_negative, f"rules with a condition but no negative example: {missing_negative}"


def test_an_example_that_does_not_hold_fails() -> None:
    """The harness itself: a wrong expectation, a wrong `fires` and a missing finding are reported."""
    rule = PACK.by_id["mfa.pci-required"]
    wrong = Example(given={"threat_model": {"compliance": []}}, expect={"auth.mfa.policy": "required"}, finding=True)
    problems = check_example(rule, 1, wrong, PACK)
    assert any("expected the rule to apply" in p for p in problems)
    assert any("auth.mfa.policy" in p for p in problems)
    assert any("finding" in p for p in problems)


def test_rules_test_runs_every_example_from_the_cli(cli) -> None:
    result = cli("rules", "test")
    assert result.code == 0, result.out
    assert f"{len(PACK.rules)} of {len(PACK.rules)} rules pass" in result.out


# ------------------------------------------------------------------ the `examples` key is checked when a pack loads

def _load(tmp_path, examples: str):
    from tests.test_pack_validation import GOOD_RULE, pack

    return load_pack(pack(tmp_path, GOOD_RULE + examples))


def test_examples_are_kept_on_the_rule(tmp_path) -> None:
    pack = _load(tmp_path, "  examples:\n    - given: {threat_model: {data_sensitivity: confidential}}\n"
                           "      expect: {auth.mfa.policy: required}\n"
                           "    - given: {}\n      fires: false\n")
    first, second = pack.rules[0].examples
    assert (dict(first.given), dict(first.expect), first.fires) == (
        {"threat_model": {"data_sensitivity": "confidential"}}, {"auth.mfa.policy": "required"}, True)
    assert (dict(second.given), second.fires) == ({}, False)


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
