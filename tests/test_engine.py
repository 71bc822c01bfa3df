"""How rules combine, per strategy, and what the trace keeps (winners and losers)."""

from __future__ import annotations


import pytest

from advisor.engine import evaluate
from advisor.engine.pack import load_pack
from advisor.errors import UserError
from advisor.requirements import Requirements, validate_document
from tests.conftest import build_tree

REFS = "ref:1:\n  title: A source\n  url: https://example.org/\n"


def rule(rid: str, sets: str, when: str | None = None, **extra: str) -> str:
    lines = [f"- id: {rid}", "  version: 1", f"  title: {rid}"]
    if when:
        lines.append(f"  when: {when}")
    if sets:
        lines.append(f"  {sets}")
    lines += [f"  severity: {extra.get('severity', 'medium')}", f"  because: {rid} says so.", '  refs: ["ref:1"]']
    if "preference" in extra:
        lines.append(f"  preference: {extra['preference']}")
    if "priority" in extra:
        lines.append(f"  priority: {extra['priority']}")
    return "\n".join(lines) + "\n"


def run(tmp_path, rules: list[str], req: dict | None = None):
    directory = build_tree(tmp_path / "pack", {"pack.yaml": "version: 2026.1.0\n", "references.yaml": REFS,
                                               "rules.yaml": "".join(rules)})
    return evaluate(load_pack(directory), validate_document(req or {}))


def test_strongest_picks_the_strictest_and_keeps_losers(tmp_path):
    ev = run(tmp_path, [rule("a.off", "set: {auth.mfa.policy: 'off'}"),
                        rule("a.req", "set: {auth.mfa.policy: required}"),
                        rule("a.opt", "set: {auth.mfa.policy: optional}")])
    d = ev.decisions["auth.mfa.policy"]
    assert d.value == "required" and d.winner.id == "a.req"
    assert d.rule_ids == ["a.req", "a.off", "a.opt"]
    assert [c.rule.id for c in d.contributions if d.outcome(c) == "lost"] == ["a.off", "a.opt"]


def test_min_treats_null_as_no_limit_and_max_takes_the_largest(tmp_path):
    ev = run(tmp_path, [
        rule("s.none", "set: {session.inactivity_timeout_seconds: null, session.max_lifetime_seconds: 604800}"),
        rule("s.hour", "set: {session.inactivity_timeout_seconds: 3600, session.max_lifetime_seconds: 86400}"),
        rule("p.eight", "set: {auth.passwords.min_length: 8}"),
        rule("p.fifteen", "set: {auth.passwords.min_length: 15}"),
    ])
    assert ev.value("session.inactivity_timeout_seconds") == 3600
    assert ev.value("session.max_lifetime_seconds") == 86400
    assert ev.value("auth.passwords.min_length") == 15


def test_or_and_and(tmp_path):
    ev = run(tmp_path, [rule("b.on", "set: {auth.bot_protection: true, session.multi_session: true}"),
                        rule("b.off", "set: {auth.bot_protection: false, session.multi_session: false}")])
    assert ev.value("auth.bot_protection") is True
    assert ev.value("session.multi_session") is False


def test_union_then_remove_with_the_remover_as_reason(tmp_path):
    ev = run(tmp_path, [rule("f.base", "set: {auth.first_factors: [password, phone_code]}"),
                        rule("f.more", 'set: {auth.first_factors: [passkey, password]}'),
                        rule("f.nosms", "remove: {auth.first_factors: [phone_code]}"),
                        rule("f.noop", "remove: {auth.first_factors: [email_link]}")])
    d = ev.decisions["auth.first_factors"]
    assert d.value == ["password", "passkey"]
    assert {r.id for r in d.agreeing} == {"f.base", "f.more", "f.nosms"}, "a remover that removed nothing is not a reason"


def test_priority_merges_maps_by_priority(tmp_path):
    ev = run(tmp_path, [rule("sdk.a", "set: {sdk.packages: {nextjs: '@clerk/nextjs@^7.0.0', expo: '@clerk/expo@^4.0.0'}}"),
                        rule("sdk.b", "set: {sdk.packages: {nextjs: '@clerk/nextjs@^7.9.17'}}", priority="10")])
    assert ev.value("sdk.packages") == {"expo": "@clerk/expo@^4.0.0", "nextjs": "@clerk/nextjs@^7.9.17"}


def test_derived_assurance_facts_feed_later_rules(tmp_path):
    rules = [rule("i.mod", "set: {assurance.impact: moderate}", "{fact: threat_model.data_sensitivity, gte: confidential}"),
             rule("l.aal2", "set: {assurance.aal: AAL2}", "{fact: assurance.impact, gte: moderate}"),
             rule("m.req", "set: {auth.mfa.policy: required}", "{fact: assurance.aal, eq: AAL2}")]
    low = run(tmp_path, rules)
    assert low.value("assurance.aal") == "AAL1" and low.value("auth.mfa.policy") is None
    high = run(tmp_path, rules, {"threat_model": {"data_sensitivity": "regulated"}})
    assert high.value("assurance.aal") == "AAL2" and high.value("auth.mfa.policy") == "required"


def test_preference_is_the_weakest_input_and_its_override_is_reported(tmp_path):
    rules = [rule("pref.off", "set: {auth.mfa.policy: 'off'}", "{fact: preferences.mfa, eq: 'off'}",
                  preference="preferences.mfa", severity="info"),
             rule("std.opt", "set: {auth.mfa.policy: optional}")]
    ev = run(tmp_path, rules, {"preferences": {"mfa": "off"}})
    assert ev.value("auth.mfa.policy") == "optional"
    [finding] = [f for f in ev.findings if f.id.startswith("preference-overridden")]
    assert finding.rule == "std.opt"
    assert finding.message.startswith("Your preference preferences.mfa is off; the advisor chose optional for "
                                      "auth.mfa.policy. ")
    assert "(std.opt)" not in finding.message  # the rule is named once, by whoever renders the finding
    kept = run(tmp_path, [rules[0]], {"preferences": {"mfa": "off"}})
    assert kept.value("auth.mfa.policy") == "off" and not kept.findings


def test_fact_values_come_from_requirements_in_order(tmp_path):
    ev = run(tmp_path, [rule("pref.social", "set: {auth.first_factors: {fact: preferences.social_providers, prefix: oauth_}}")],
             {"preferences": {"social_providers": ["github", "google"]}})
    assert ev.value("auth.first_factors") == ["oauth_github", "oauth_google"]


def test_a_fact_value_that_does_not_fit_is_an_error_not_a_silent_drop(tmp_path):
    directory = build_tree(tmp_path / "pack", {"pack.yaml": "version: 2026.1.0\n", "references.yaml": REFS,
                                               "rules.yaml": rule("orgs.roles", "set: {orgs.roles: {fact: tenancy.custom_roles, prefix: 'org:'}}")})
    pack = load_pack(directory)
    defaults = Requirements()
    # _replace does not validate: this is how a bypassed validator would look.
    hostile = defaults._replace(tenancy=defaults.tenancy._replace(custom_roles=("x; DROP",)))
    with pytest.raises(UserError, match="is not a valid value for orgs.roles"):
        evaluate(pack, hostile)


def test_every_decision_key_exists_in_an_evaluation(tmp_path):
    from advisor.engine.decisions import DECISIONS

    ev = run(tmp_path, [rule("x.y", "set: {auth.bot_protection: true}")])
    assert set(ev.decisions) == set(DECISIONS)
