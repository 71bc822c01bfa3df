"""The shipped rule pack: it loads, it is complete, and it says what the standards say.

Structure tests check the pack as data (every decision key is decided by some rule, every
reference is cited, every preference has a rule). Behaviour tests evaluate small
requirements and check the numbers each standard fixes. The invariant tests evaluate the
five examples and many generated requirements and check that no architecture contradicts
itself (MFA required without a method, SMS where it was ruled out, and so on).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from advisor.engine import Evaluation, evaluate
from advisor.engine.conditions import Compiler
from advisor.engine.decisions import DECISIONS
from advisor.engine.facts import fact_specs
from advisor.engine.pack import RulePack, default_pack_dir, load_pack
from advisor.engine.rules import FactRef
from advisor.requirements import validate_document

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*/clerk-requirements.yaml"))

DAY = 86400
HOUR = 3600


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack(default_pack_dir())


def run(pack: RulePack, **sections: Any) -> Evaluation:
    data: dict[str, Any] = {"schema": 1}
    data.update(sections)
    return evaluate(pack, validate_document(data))


def finding_ids(ev: Evaluation) -> set[str]:
    return {f.id for f in ev.findings}


# ------------------------------------------------------------------ structure


def test_shipped_pack_loads(pack: RulePack) -> None:
    assert pack.name == "clerk-advisor-core"
    assert len(pack.rules) > 100
    assert all(rule.version >= 1 for rule in pack.rules)


def test_every_decision_key_is_decided_by_some_rule(pack: RulePack) -> None:
    touched = set()
    for rule in pack.rules:
        touched.update(rule.sets)
        touched.update(rule.removes)
    assert set(DECISIONS) - touched == set()


def test_every_reference_is_cited_and_every_rule_cites_one(pack: RulePack) -> None:
    cited = {ref for rule in pack.rules for ref in rule.refs}
    assert all(rule.refs for rule in pack.rules)
    assert set(pack.references) - cited == set(), "references nobody cites"
    assert cited - set(pack.references) == set()


def test_every_preference_field_has_a_preference_rule(pack: RulePack) -> None:
    preferences = {path for path in fact_specs() if path.startswith("preferences.")}
    carried = {rule.preference for rule in pack.rules if rule.preference}
    assert preferences == carried


def test_preference_rules_only_read_their_own_preference(pack: RulePack) -> None:
    for rule in pack.rules:
        if rule.preference:
            assert rule.reads == {rule.preference}, rule.id


def test_turning_passwords_off_also_removes_the_password_factor(pack: RulePack) -> None:
    for rule in pack.rules:
        if rule.sets.get("auth.passwords.enabled") is False:
            assert "password" in rule.removes.get("auth.first_factors", ()), rule.id


def test_session_lifetime_preference_bands_cover_every_value_once(pack: RulePack) -> None:
    compiler = Compiler()
    bands = [(r, compiler.condition(r.when, ("when",), set())) for r in pack.rules
             if r.preference == "preferences.session_max_lifetime_hours"]
    for hours in range(1, 8761):
        facts = {"preferences.session_max_lifetime_hours": hours}
        matching = [r for r, test in bands if test(facts)]
        assert len(matching) == 1, hours
        seconds = matching[0].sets["session.max_lifetime_seconds"]
        assert seconds <= hours * HOUR, "a band must round down, never up"


def test_fact_values_only_come_from_list_facts(pack: RulePack) -> None:
    for rule in pack.rules:
        for value in rule.sets.values():
            if isinstance(value, FactRef):
                assert fact_specs()[value.fact].is_list


# ------------------------------------------------------------------ assurance


def test_defaults_are_low_impact_aal1_asvs1(pack: RulePack) -> None:
    ev = run(pack)
    assert ev.facts["assurance.impact"] == "low"
    assert ev.facts["assurance.aal"] == "AAL1"
    assert ev.facts["assurance.asvs_level"] == 1


@pytest.mark.parametrize(
    ("threat_model", "impact", "aal", "asvs"),
    [
        ({"data_sensitivity": "confidential"}, "moderate", "AAL2", 2),
        ({"privileged_users": True}, "moderate", "AAL2", 2),
        ({"compliance": ["hipaa"]}, "moderate", "AAL2", 2),
        ({"compliance": ["soc2"]}, "low", "AAL1", 2),
        ({"impact": "high"}, "high", "AAL3", 3),
        ({"impact": "low", "compliance": ["pci-dss"], "pci_scope": "staff"}, "moderate", "AAL2", 2),
        ({"impact": "low", "compliance": ["pci-dss"]}, "low", "AAL1", 2),  # b2c: the users are cardholders
        ({"personal_data": "present"}, "moderate", "AAL2", 2),
    ],
)
def test_impact_maps_to_aal_and_asvs(pack: RulePack, threat_model: dict, impact: str, aal: str, asvs: int) -> None:
    ev = run(pack, threat_model=threat_model)
    assert (ev.facts["assurance.impact"], ev.facts["assurance.aal"], ev.facts["assurance.asvs_level"]) == (impact, aal, asvs)


def test_explicit_low_impact_with_regulated_data_is_raised_and_said(pack: RulePack) -> None:
    ev = run(pack, threat_model={"impact": "low", "data_sensitivity": "regulated"})
    assert ev.facts["assurance.aal"] == "AAL2"
    assert "assurance.explicit-low-raised" in finding_ids(ev)


def test_all_privileged_staff_over_regulated_data_is_high(pack: RulePack) -> None:
    ev = run(pack, audience="internal", threat_model={"privileged_users": True, "data_sensitivity": "regulated"})
    assert ev.facts["assurance.aal"] == "AAL3"


def test_privileged_staff_in_a_customer_app_do_not_raise_everyone_to_aal3(pack: RulePack) -> None:
    ev = run(pack, audience="b2c", threat_model={"privileged_users": True, "data_sensitivity": "regulated"})
    assert ev.facts["assurance.aal"] == "AAL2"
    assert ev.value("auth.reverification") == "strict_mfa"
    assert "threat.privileged-in-customer-app" in finding_ids(ev)


# ------------------------------------------------------------------ NIST SP 800-63B-4


def test_aal1_single_factor_password_needs_15_characters(pack: RulePack) -> None:
    ev = run(pack)
    assert ev.value("auth.mfa.policy") == "optional"
    assert ev.value("auth.passwords.min_length") == 15
    assert ev.value("auth.passwords.breach_check") is True
    assert ev.value("session.max_lifetime_seconds") == 7 * DAY
    assert ev.value("session.inactivity_timeout_seconds") is None


def test_required_mfa_allows_8_character_passwords(pack: RulePack) -> None:
    ev = run(pack, preferences={"mfa": "required"})
    assert ev.value("auth.mfa.policy") == "required"
    assert ev.value("auth.passwords.min_length") == 8


def test_aal2_requires_mfa_offers_passkeys_and_limits_sessions(pack: RulePack) -> None:
    ev = run(pack, threat_model={"impact": "moderate"}, preferences={"passkeys": False})
    assert ev.value("auth.mfa.policy") == "required"
    assert {"totp", "backup_code"} <= set(ev.value("auth.mfa.methods"))
    assert ev.value("auth.phishing_resistant") == "offered"
    assert "passkey" in ev.value("auth.first_factors")
    assert ev.value("session.max_lifetime_seconds") == 24 * HOUR
    assert ev.value("session.inactivity_timeout_seconds") == HOUR
    assert not {"email_code", "email_link"} & set(ev.value("auth.first_factors"))
    assert "preference-overridden.preferences.passkeys.auth.phishing_resistant" in finding_ids(ev)


def test_aal3_requires_phishing_resistance_and_flags_hardware_keys(pack: RulePack) -> None:
    ev = run(pack, threat_model={"impact": "high"})
    assert ev.value("auth.phishing_resistant") == "required_in_app"
    assert ev.value("session.max_lifetime_seconds") <= 12 * HOUR
    assert ev.value("session.inactivity_timeout_seconds") <= 15 * 60
    assert ev.value("session.multi_session") is False
    finding = next(f for f in ev.findings if f.id == "phishing.aal3-required")
    assert finding.severity == "critical"
    assert "attestation" in finding.message and "device-bound" in finding.message


def test_sms_is_a_second_factor_only_when_asked_for_and_only_at_aal1(pack: RulePack) -> None:
    assert "phone_code" not in run(pack, audience="b2c").value("auth.mfa.methods")
    asked = run(pack, audience="b2c", preferences={"sms_second_factor": True})
    assert "phone_code" in asked.value("auth.mfa.methods")
    assert "mfa.sms-consumer" in finding_ids(asked)
    ev = run(pack, audience="b2c", threat_model={"data_sensitivity": "confidential"},
             preferences={"passwordless": ["sms_code"], "sms_second_factor": True})
    assert "phone_code" not in ev.value("auth.mfa.methods")
    assert "phone_code" not in ev.value("auth.first_factors")
    assert "preference-overridden.preferences.passwordless.auth.first_factors" in finding_ids(ev)
    assert "preference-overridden.preferences.sms_second_factor.auth.mfa.methods" in finding_ids(ev)


def test_sim_swap_removes_sms_everywhere(pack: RulePack) -> None:
    ev = run(pack, audience="b2c", threat_model={"threats": ["sim-swap"]},
             preferences={"passwordless": ["sms_code"]})
    assert "phone_code" not in ev.value("auth.mfa.methods")
    assert "phone_code" not in ev.value("auth.first_factors")
    assert "mfa.no-sms-sim-swap" in finding_ids(ev)


def test_lockout_stays_within_nist_and_clerk_limits(pack: RulePack) -> None:
    ev = run(pack)
    assert 5 <= ev.value("auth.lockout.max_attempts") <= 100
    assert ev.value("auth.lockout.duration_minutes") == 60


# ------------------------------------------------------------------ PCI DSS, HIPAA, ASVS


def test_pci_dss(pack: RulePack) -> None:
    ev = run(pack, audience="b2b", threat_model={"compliance": ["pci-dss"]})
    assert ev.value("auth.mfa.policy") == "required"
    assert ev.value("auth.lockout.max_attempts") <= 10
    assert ev.value("auth.lockout.duration_minutes") >= 30
    assert ev.value("auth.passwords.min_length") >= 12
    assert ev.value("session.inactivity_timeout_seconds") <= 900
    assert {"pci.account-lifecycle", "pci.password-gaps", "webhooks.audit-trail"} <= finding_ids(ev)
    assert "pci-dss-4:8.3.6" in ev.decisions["auth.passwords.min_length"].refs


def test_pci_requirement_8_is_not_applied_to_cardholders(pack: RulePack) -> None:
    ev = run(pack, audience="b2c", threat_model={"compliance": ["pci-dss"]})
    assert ev.value("auth.mfa.policy") == "optional"
    assert ev.value("auth.passwords.min_length") == 15, "NIST's single-factor length, not PCI's 12"
    assert ev.value("session.inactivity_timeout_seconds") is None
    assert {"pci.account-lifecycle", "pci.password-gaps"}.isdisjoint(finding_ids(ev))
    message = next(f.message for f in ev.findings if f.id == "pci.cardholders-out-of-scope")
    assert "does not apply to accounts used by consumers" in message and "staff" in message


def test_hipaa_sets_automatic_logoff_and_audit_trail(pack: RulePack) -> None:
    ev = run(pack, threat_model={"compliance": ["hipaa"]})
    idle = ev.value("session.inactivity_timeout_seconds")
    assert idle is not None and idle <= 900
    assert "hipaa:164.312(a)(2)(iii)" in ev.decisions["session.inactivity_timeout_seconds"].refs
    assert {"session.created", "user.deleted"} <= set(ev.value("webhooks.events"))
    assert {"hipaa.business-associate", "session.idle-open-tab"} <= finding_ids(ev)


def test_asvs_level_3_bans_email_sign_in_and_reverifies_strictly(pack: RulePack) -> None:
    ev = run(pack, threat_model={"impact": "high"}, preferences={"passwordless": ["email_code", "email_link"]})
    assert ev.facts["assurance.asvs_level"] == 3
    assert not {"email_code", "email_link"} & set(ev.value("auth.first_factors"))
    assert ev.value("auth.reverification") == "strict"


def test_privileged_users_at_aal2_reverify_with_both_factors(pack: RulePack) -> None:
    ev = run(pack, audience="b2b", threat_model={"privileged_users": True})
    assert ev.value("auth.reverification") == "strict_mfa"


# ------------------------------------------------------------------ preferences


def test_overridden_preference_is_reported(pack: RulePack) -> None:
    ev = run(pack, audience="b2b", threat_model={"compliance": ["pci-dss"]}, preferences={"mfa": "off"})
    assert ev.value("auth.mfa.policy") == "required"
    finding = next(f for f in ev.findings if f.id == "preference-overridden.preferences.mfa.auth.mfa.policy")
    assert finding.severity == "info"


def test_honoured_preferences_produce_no_override(pack: RulePack) -> None:
    ev = run(pack, preferences={"passwords": "avoid", "social_providers": ["github"],
                                "passwordless": ["email_link"], "multi_session": True})
    assert ev.value("auth.passwords.enabled") is False
    assert "password" not in ev.value("auth.first_factors")
    assert {"oauth_github", "email_link"} <= set(ev.value("auth.first_factors"))
    assert ev.value("session.multi_session") is True
    assert not any(f.id.startswith("preference-overridden") for f in ev.findings)


@pytest.mark.parametrize(
    ("hours", "threat_model", "expected", "overridden"),
    [
        (1, {}, HOUR, False),
        (10, {}, 8 * HOUR, False),
        (720, {}, 30 * DAY, False),
        (8760, {}, 30 * DAY, True),
        (168, {"impact": "moderate"}, 24 * HOUR, True),
        (4, {"impact": "high"}, 4 * HOUR, False),
    ],
)
def test_session_lifetime_preference(pack: RulePack, hours: int, threat_model: dict, expected: int,
                                     overridden: bool) -> None:
    ev = run(pack, threat_model=threat_model, preferences={"session_max_lifetime_hours": hours})
    assert ev.value("session.max_lifetime_seconds") == expected
    key = "preference-overridden.preferences.session_max_lifetime_hours.session.max_lifetime_seconds"
    assert (key in finding_ids(ev)) is overridden


def test_multi_session_preference_loses_at_high_impact(pack: RulePack) -> None:
    ev = run(pack, threat_model={"impact": "high"}, preferences={"multi_session": True})
    assert ev.value("session.multi_session") is False
    assert "preference-overridden.preferences.multi_session.session.multi_session" in finding_ids(ev)


# ------------------------------------------------------------------ tenancy, SSO, machines


def test_custom_roles_become_org_roles(pack: RulePack) -> None:
    ev = run(pack, audience="b2b", tenancy={"organizations": "required", "custom_roles": ["billing", "viewer"]})
    assert ev.value("orgs.enabled") is True
    assert ev.value("orgs.force_selection") is True
    assert ev.value("orgs.roles") == ["org:admin", "org:member", "org:billing", "org:viewer"]
    assert ev.value("orgs.permissions") == ["org:app:read", "org:app:manage"]


def test_no_organizations_means_no_roles(pack: RulePack) -> None:
    ev = run(pack, audience="b2b")
    assert ev.value("orgs.enabled") is False
    assert ev.value("orgs.roles") == []
    assert "orgs.b2b-without-orgs" in finding_ids(ev)


def test_internal_sso_is_the_only_way_in(pack: RulePack) -> None:
    ev = run(pack, audience="internal", tenancy={"enterprise_sso": True},
             preferences={"social_providers": ["google"]})
    assert ev.value("sso.enterprise") is True
    assert ev.value("auth.passwords.enabled") is False
    assert set(ev.value("auth.first_factors")) <= {"enterprise_sso", "email_code"}
    assert "enterprise_sso" in ev.value("auth.first_factors")
    assert ev.value("auth.sign_up_mode") == "restricted"
    assert {"sso.mfa-at-idp", "sso.deprovisioning"} <= finding_ids(ev)


def test_m2m_with_python_backend_warns_about_token_options(pack: RulePack) -> None:
    ev = run(pack, platforms={"backends": ["fastapi"]}, integrations={"m2m": True, "api_keys": True})
    assert ev.value("m2m.enabled") is True
    assert ev.value("api_keys.enabled") is True
    ids = finding_ids(ev)
    assert {"m2m.python-receivers", "pitfall.python-token-type"} <= ids
    message = next(f.message for f in ev.findings if f.id == "m2m.python-receivers")
    assert "authorized_parties" in message and "accepts_token" in message


def test_a_user_mirror_gets_updates_and_deletions(pack: RulePack) -> None:
    ev = run(pack, integrations={"webhooks": ["user.created"]})
    assert ev.value("webhooks.events") == ["user.created", "user.updated", "user.deleted"]
    assert "webhooks.handling" in finding_ids(ev)


def test_no_webhooks_unless_asked_or_required(pack: RulePack) -> None:
    assert run(pack).value("webhooks.events") == []


@pytest.mark.parametrize(
    ("platforms", "expected"),
    [
        ({"web": "nextjs"}, {"nextjs": "@clerk/nextjs@^7.9.17"}),
        ({"web": "react", "backends": ["express"]},
         {"react": "@clerk/react@^6.17.8", "express": "@clerk/express@^2.1.70"}),
        ({"web": "none", "mobile": ["expo", "ios", "android"], "chrome_extension": True},
         {"expo": "@clerk/expo@^4.6.6", "ios": "clerk-ios@^1.4.1",
          "android": "com.clerk:clerk-android-ui@[1.1.3,2.0)",
          "chrome_extension": "@clerk/chrome-extension@^3.1.84"}),
        ({"web": "none", "backends": ["fastapi", "flask", "django"]},
         {b: "clerk-backend-api@>=7.0.0,<8" for b in ("fastapi", "flask", "django")}),
    ],
)
def test_sdk_packages_per_platform(pack: RulePack, platforms: dict, expected: dict) -> None:
    assert run(pack, platforms=platforms).value("sdk.packages") == expected


def test_nextjs_15_and_route_protection_findings(pack: RulePack) -> None:
    ids = finding_ids(run(pack, platforms={"web": "nextjs", "nextjs_version": 15}))
    assert {"sdk.nextjs-15", "pitfall.route-protection"} <= ids
    assert "sdk.nextjs-15" not in finding_ids(run(pack))


# ------------------------------------------------------------------ invariants


def check_consistent(ev: Evaluation) -> None:
    """What a security reviewer would reject in any architecture the pack produces."""
    v = ev.value
    facts = ev.facts
    factors = set(v("auth.first_factors"))
    methods = set(v("auth.mfa.methods"))
    sso_only = facts["audience"] == "internal" and facts["tenancy.enterprise_sso"]

    for key, decision in ev.decisions.items():
        if DECISIONS[key].optional and not decision.rule_ids:
            continue  # not part of this architecture (the migration plan without a migration)
        if DECISIONS[key].kind not in ("int_or_null", "bool_or_null"):
            assert decision.value is not None, key
    migrating = facts["migration.from"] != "none"
    for key in ("migration.strategy", "migration.passwords", "migration.external_id_claim"):
        assert bool(ev.decisions[key].rule_ids) == migrating, key
    assert bool(ev.decisions["migration.mfa"].rule_ids) == (migrating and facts["migration.mfa_enrolled"])
    if migrating and not v("auth.passwords.enabled"):
        assert v("migration.passwords") == "dropped", "no digests for an instance without passwords"
    if migrating and v("migration.passwords") in ("reset", "on_sign_in"):
        assert facts["migration.password_hashes"] in ("unknown", "none")
    assert factors, "there must be a way to sign in"
    assert ("password" in factors) == v("auth.passwords.enabled")
    # A password policy exists exactly when passwords do; otherwise it reads "not applicable".
    assert (v("auth.passwords.min_length") is None) == (not v("auth.passwords.enabled"))
    assert (v("auth.passwords.breach_check") is None) == (not v("auth.passwords.enabled"))
    assert ("enterprise_sso" in factors) == v("sso.enterprise")
    assert {"totp", "backup_code"} <= methods, "required MFA needs an unrestricted method"
    assert ("passkey" in factors) == ("passkey" in methods)
    if "passkey" in factors:
        assert v("auth.phishing_resistant") in ("offered", "required_in_app")
    if v("auth.phishing_resistant") in ("offered", "required_in_app"):
        assert "passkey" in factors, "Clerk can only offer (and the app enforce) phishing resistance with passkeys"
    if v("auth.phishing_resistant") in ("idp_delegated", "required_at_idp"):
        assert sso_only and "passkey" not in factors, "phishing resistance is the IdP's only when it is the only way in"
    if sso_only:
        assert v("auth.phishing_resistant") in ("idp_delegated", "required_at_idp")
    if facts["assurance.aal"] != "AAL1" or "sim-swap" in facts["threat_model.threats"]:
        assert "phone_code" not in factors | methods
    if facts["assurance.asvs_level"] == 3:
        assert not {"email_code", "email_link"} & factors
    if facts["assurance.aal"] != "AAL1":
        assert v("auth.mfa.policy") == "required"
        assert v("auth.phishing_resistant") != "off"
        assert v("session.max_lifetime_seconds") <= 24 * HOUR
        assert v("session.inactivity_timeout_seconds") <= HOUR
    if facts["assurance.aal"] == "AAL3":
        assert v("auth.phishing_resistant") in ("required_in_app", "required_at_idp")
        assert v("session.max_lifetime_seconds") <= 12 * HOUR
        assert v("session.inactivity_timeout_seconds") <= 15 * 60
        assert v("session.multi_session") is False
    assert v("session.max_lifetime_seconds") <= 30 * DAY
    if v("auth.mfa.policy") != "required" and v("auth.passwords.enabled"):
        assert v("auth.passwords.min_length") >= 15
    if "phone_code" in methods:
        assert facts["preferences.sms_second_factor"], "SMS as a second factor only when asked for"
    if v("auth.reverification") == "strict_mfa":
        assert v("auth.mfa.policy") == "required"
    assert 5 <= v("auth.lockout.max_attempts") <= 100
    assert bool(v("orgs.roles")) == v("orgs.enabled")
    if v("orgs.force_selection") or v("orgs.domains"):
        assert v("orgs.enabled")
    pci_staff = "pci-dss" in facts["threat_model.compliance"] and (
        facts["threat_model.pci_scope"] == "staff"
        or (facts["threat_model.pci_scope"] == "auto" and facts["audience"] != "b2c"))
    if pci_staff:
        assert v("auth.mfa.policy") == "required"
        assert v("auth.lockout.max_attempts") <= 10 and v("auth.lockout.duration_minutes") >= 30
        assert not v("auth.passwords.enabled") or v("auth.passwords.min_length") >= 12
        assert v("session.inactivity_timeout_seconds") <= 900
    elif "pci-dss" in facts["threat_model.compliance"]:
        assert "pci.cardholders-out-of-scope" in {f.id for f in ev.findings}
    if "hipaa" in facts["threat_model.compliance"]:
        assert v("session.inactivity_timeout_seconds") is not None
    for item in v("webhooks.events"):
        assert item in fact_specs()["integrations.webhooks"].choices


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
def test_examples_are_valid_and_consistent(pack: RulePack, path: Path) -> None:
    data = YAML(typ="safe").load(path.read_text())
    req = validate_document(data)
    assert req.project.name == path.parent.name
    check_consistent(evaluate(pack, req))


def test_the_example_profiles() -> None:
    assert [p.parent.name for p in EXAMPLES] == [
        "auth0-migration", "b2b-saas", "consumer-app", "healthcare", "internal-tool", "payment-admin",
    ]


@pytest.mark.parametrize(
    ("name", "aal", "asvs"),
    [("consumer-app", "AAL1", 1), ("b2b-saas", "AAL2", 2), ("healthcare", "AAL2", 2),
     ("payment-admin", "AAL3", 3), ("internal-tool", "AAL1", 1), ("auth0-migration", "AAL2", 2)],
)
def test_example_assurance(pack: RulePack, name: str, aal: str, asvs: int) -> None:
    data = YAML(typ="safe").load((ROOT / "examples" / name / "clerk-requirements.yaml").read_text())
    ev = evaluate(pack, validate_document(data))
    assert (ev.facts["assurance.aal"], ev.facts["assurance.asvs_level"]) == (aal, asvs)


def _choices(path: str) -> tuple:
    return fact_specs()[path].choices


def _subset(path: str, limit: int | None = None):
    items = list(_choices(path))
    return st.lists(st.sampled_from(items), unique=True, max_size=limit or len(items))


requirements = st.fixed_dictionaries({
    "schema": st.just(1),
    "platforms": st.fixed_dictionaries({
        "web": st.sampled_from(_choices("platforms.web")),
        "nextjs_version": st.sampled_from([15, 16]),
        "mobile": _subset("platforms.mobile"),
        "chrome_extension": st.booleans(),
        "backends": _subset("platforms.backends"),
    }),
    "audience": st.sampled_from(_choices("audience")),
    "tenancy": st.fixed_dictionaries({
        "organizations": st.sampled_from(_choices("tenancy.organizations")),
        "users_in_many_orgs": st.booleans(),
        "enterprise_sso": st.booleans(),
        "domain_auto_join": st.booleans(),
        "custom_roles": st.lists(st.sampled_from(["billing", "viewer", "editor"]), unique=True),
    }),
    "threat_model": st.fixed_dictionaries({
        "impact": st.sampled_from(_choices("threat_model.impact")),
        "data_sensitivity": st.sampled_from(_choices("threat_model.data_sensitivity")),
        "compliance": _subset("threat_model.compliance"),
        "threats": _subset("threat_model.threats"),
        "privileged_users": st.booleans(),
        "personal_data": st.sampled_from(_choices("threat_model.personal_data")),
        "pci_scope": st.sampled_from(_choices("threat_model.pci_scope")),
    }),
    "preferences": st.fixed_dictionaries({
        "passwords": st.sampled_from(_choices("preferences.passwords")),
        "social_providers": _subset("preferences.social_providers", 3),
        "passwordless": _subset("preferences.passwordless"),
        "passkeys": st.booleans(),
        "mfa": st.sampled_from(_choices("preferences.mfa")),
        "session_max_lifetime_hours": st.none() | st.integers(1, 8760),
        "multi_session": st.booleans(),
        "sms_second_factor": st.booleans(),
    }),
    "integrations": st.fixed_dictionaries({
        "m2m": st.booleans(),
        "api_keys": st.booleans(),
        "webhooks": _subset("integrations.webhooks", 6),
        "billing": st.booleans(),
    }),
    "migration": st.fixed_dictionaries({
        "from": st.sampled_from(_choices("migration.from")),
        "users": st.sampled_from([0, 50, 101, 299_999, 300_000, 5_000_000]),
        "password_hashes": st.sampled_from(_choices("migration.password_hashes")),
        "mfa_enrolled": st.booleans(),
        "social_accounts": st.booleans(),
        "cutover": st.sampled_from(_choices("migration.cutover")),
    }),
})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=requirements)
def test_any_requirements_give_a_consistent_architecture(pack: RulePack, data: dict) -> None:
    check_consistent(evaluate(pack, validate_document(data)))
