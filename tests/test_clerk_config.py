"""clerk-config.json and CLERK_SETUP.md as a user gets them: every emitted field has a
Clerk source in advisor/architecture/clerk_config_fields.yaml, and the 2026-11 review's defects stay
fixed in what a person reads (values in the snapshot, text in the report, keys in the
patch, steps in the setup guide)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from ruamel.yaml import YAML

from advisor import report
from advisor.architecture import Architecture, recommend
from advisor.architecture.clerk_config import _document, field_paths, field_table, render_clerk_config
from advisor.engine import RulePack, load_pack
from advisor.engine.examples import requirements_with
from advisor.requirements import validate_document
from advisor.values import plain
from tests.conftest import ROOT, write
from tests.test_rule_pack import requirements as any_requirements

EXAMPLES = sorted((ROOT / "examples").glob("*/clerk-requirements.yaml"))


class Snapshot(dict):
    """The snapshot document of an architecture, with the architecture at hand."""

    def __init__(self, arch: Architecture) -> None:
        super().__init__(arch.to_data())
        self.arch = arch


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack()


def snapshot_of(pack: RulePack, **given: Any) -> Snapshot:
    return Snapshot(recommend(requirements_with(given), pack))


def example(pack: RulePack, name: str) -> Snapshot:
    data = YAML(typ="safe").load((ROOT / "examples" / name / "clerk-requirements.yaml").read_text())
    return Snapshot(recommend(validate_document(data), pack))


def values(snapshot: Snapshot) -> dict[str, Any]:
    return {key: rec["value"] for key, rec in snapshot["decisions"].items()}


def finding(snapshot: Snapshot, rule_id: str) -> str:
    return next(f["message"] for f in snapshot["findings"] if f["id"] == rule_id)


def steps_text(snapshot: Snapshot) -> str:
    return "\n".join(f"{s.title}\n{s.why}\n{s.how}" for s in snapshot.arch.setup_steps)


def render_markdown(snapshot: Snapshot, references: Any) -> str:
    return report.render(snapshot.arch, "markdown", references)


def render_text(snapshot: Snapshot) -> str:
    return report.render(snapshot.arch, "text", {})


# ------------------------------------------------------------------ provenance


def test_the_table_gives_every_field_a_known_source() -> None:
    table = field_table()
    sources = table["sources"]
    assert all(s["url"].startswith("https://") and s["title"] for s in sources.values())
    for path, entry in table["fields"].items():
        assert entry["source"] in sources, path
        assert entry["checked"] in ("read", "cited"), path
        assert entry["evidence"].strip(), path
    assert {"session_settings", "auth_attack_protection.user_lockout"} <= set(table["not_emitted"])


def _check_against_table(doc: dict[str, Any]) -> None:
    fields = field_table()["fields"]
    emitted = field_paths(doc)
    assert emitted, "an empty patch"
    assert [p for p in emitted if p not in fields] == [], "emitted without a source"
    for path in field_table()["not_emitted"]:
        assert not any(p == path or p.startswith(path + ".") for p in emitted), path


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
def test_examples_emit_only_sourced_fields(pack: RulePack, path: Path) -> None:
    _check_against_table(example(pack, path.parent.name)["clerk_config"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=any_requirements)
def test_the_emitter_and_the_table_agree_for_any_requirements(pack: RulePack, data: dict) -> None:
    arch = recommend(validate_document(data), pack)
    doc = _document(arch.value)
    # Nothing the emitter builds is dropped by the table: the two agree, not just the output.
    assert render_clerk_config(arch.decisions) == plain(doc)
    _check_against_table(doc)


# ------------------------------------------------------------------ defects 1, 5, 6, 8, 13, 17: config and steps


def test_session_settings_are_a_dashboard_step_never_in_the_patch(pack: RulePack) -> None:
    snap = example(pack, "healthcare")
    assert "session_settings" not in snap["clerk_config"]
    text = steps_text(snap)
    assert "Set the session lifetime, idle timeout and multi-session" in text
    assert "cannot be changed via the CLI" in text
    assert "maximum lifetime 1 day; inactivity timeout 15 minutes; multi-session handling off" in text
    assert "need a paid plan in production" in text


def test_passkeys_satisfy_mfa_is_set_and_explained(pack: RulePack) -> None:
    snap = example(pack, "b2b-saas")
    assert snap["clerk_config"]["auth_passkey"]["satisfies_second_factor"] is True
    assert "2026-07-08" in finding(snap, "mfa.passkey-satisfies-mfa")
    assert "passkey users included, must enrol a second factor" in finding(snap, "mfa.passkey-users-enrol")
    off = snapshot_of(pack, preferences={"passkeys": False})
    assert "satisfies_second_factor" not in off["clerk_config"]["auth_passkey"]


def test_sms_second_factor_only_when_asked_with_its_plan_step(pack: RulePack) -> None:
    default = example(pack, "consumer-app")
    assert default["clerk_config"]["auth_phone"]["used_for_second_factor"] is False
    assert "SMS" not in steps_text(default)
    asked = snapshot_of(pack, preferences={"sms_second_factor": True}, users={"regions": ["us", "eu"]})
    phone = asked["clerk_config"]["auth_phone"]
    assert phone["used_for_second_factor"] is True and phone["second_factor_strategies"] == ["phone_code"]
    text = steps_text(asked)
    assert "Plan: check the cost of SMS codes" in text
    assert "Set the SMS country allowlist" in text and "`eu`" in text
    assert "restricted authenticator" in finding(asked, "mfa.sms-consumer")


def test_sms_sign_in_is_usable_and_passwords_off_are_not_required(pack: RulePack) -> None:
    snap = snapshot_of(pack, preferences={"passwordless": ["sms_code"], "passwords": "avoid"})
    phone = snap["clerk_config"]["auth_phone"]
    assert phone == {"used_for_sign_in": True, "used_for_second_factor": False, "used_for_sign_up": True,
                     "verify_at_sign_up": True, "sign_in_strategies": ["phone_code"],
                     "verification_strategies": ["phone_code"]}
    assert snap["clerk_config"]["auth_password"] == {"enabled": False, "required": False}


def test_credential_stuffing_turns_on_device_trust_first(pack: RulePack) -> None:
    snap = example(pack, "consumer-app")
    assert values(snap)["auth.device_trust"] is True
    assert "Turn on Device Trust" in steps_text(snap)
    assert "in order: Clerk's Device Trust first" in finding(snap, "bots.credential-stuffing")


def test_sign_up_mode_is_in_the_patch_not_called_dashboard_only(pack: RulePack) -> None:
    snap = example(pack, "internal-tool")
    assert snap["clerk_config"]["auth_access_control"] == {"sign_up_mode": "restricted"}
    message = finding(snap, "pitfall.keys-and-instances")
    assert "sign-up mode" in message and "Dashboard-only session settings" in message


def test_a_plan_step_for_every_paid_feature(pack: RulePack) -> None:
    text = steps_text(example(pack, "b2b-saas"))
    for name in ("passkeys", "custom session settings", "enterprise SSO", "Organizations", "custom roles",
                 "M2M tokens", "API keys"):
        assert f"Plan: check the cost of {name}" in text, name
    billing = snapshot_of(pack, integrations={"billing": True})
    assert billing["clerk_config"]["billing"] == {"user_enabled": True, "organization_enabled": False}
    assert "Plan: check the cost of Clerk Billing" in steps_text(billing)


def test_setup_guide_walks_the_whole_cli_path(cli, tmp_path) -> None:
    write(tmp_path / "clerk-requirements.yaml", (ROOT / "examples" / "consumer-app" / "clerk-requirements.yaml")
          .read_text())
    assert cli("generate", "--stack", "nextjs", "--out", "web", "--quiet").code == 0
    guide = (tmp_path / "web" / "CLERK_SETUP.md").read_text()
    order = ["clerk auth login", "clerk link", "clerk config schema --output", "--config-schema",
             "clerk config patch --file clerk-config.json --dry-run", "clerk config patch --file clerk-config.json\n",
             "clerk env pull", "clerk config schema --instance prod", "--instance prod --dry-run",
             "clerk env pull --instance prod"]
    positions = [guide.index(step) for step in order]
    assert positions == sorted(positions)
    assert "session_settings" not in json.loads((tmp_path / "web" / "clerk-config.json").read_text())


# ------------------------------------------------------------------ defects in the report and findings


def test_passwords_off_read_not_applicable(pack: RulePack) -> None:
    snap = example(pack, "internal-tool")
    assert values(snap)["auth.passwords.min_length"] is None
    assert values(snap)["auth.passwords.breach_check"] is None
    markdown = render_markdown(snap, pack.references)
    assert "| `auth.passwords.min_length` | not applicable | Not applicable: passwords are off" in markdown
    assert "| `auth.passwords.breach_check` | not applicable |" in markdown
    assert "auth.passwords.min_length" in render_text(snap) and "not applicable" in render_text(snap)


def test_phishing_resistance_says_who_enforces_it(pack: RulePack) -> None:
    assert values(example(pack, "internal-tool"))["auth.phishing_resistant"] == "idp_delegated"
    assert values(example(pack, "payment-admin"))["auth.phishing_resistant"] == "required_at_idp"
    aal3 = snapshot_of(pack, threat_model={"impact": "high"})
    assert values(aal3)["auth.phishing_resistant"] == "required_in_app"
    message = finding(aal3, "phishing.aal3-required")
    assert "The app must enforce it" in message
    assert "password or email code with TOTP stays a valid way in" in message
    assert "3.2.13 Exportability and Appendix B" in message and "2.3.2" not in message


def test_pci_findings_ban_or_delete_and_spare_cardholders(pack: RulePack) -> None:
    message = finding(example(pack, "payment-admin"), "pci.account-lifecycle")
    assert "ban them (POST /v1/users/{user_id}/ban" in message and "last_sign_in_at_before" in message
    assert "Do not use lock" in message
    consumer = snapshot_of(pack, threat_model={"compliance": ["pci-dss"]})
    markdown = render_markdown(consumer, pack.references)
    assert "does not apply to accounts used by consumers (cardholders)" in markdown
    assert values(consumer)["auth.mfa.policy"] == "optional"


def test_reverification_accepts_passkeys_and_names_the_versions(pack: RulePack) -> None:
    snap = snapshot_of(pack, audience="b2b", tenancy={"organizations": "required", "enterprise_sso": True},
                       preferences={"passwords": "avoid"}, threat_model={"impact": "high"})
    gap = finding(snap, "reverify.passwordless-gap")
    assert "@clerk/clerk-js 6.40 and @clerk/ui 1.41" in gap and "does not accept passkeys" not in gap
    assert "2026-10-29" in finding(snap, "reverify.sso-gap")


def test_email_links_are_bound_to_the_browser(pack: RulePack) -> None:
    snap = snapshot_of(pack, threat_model={"data_sensitivity": "confidential"},
                       preferences={"passwords": "avoid", "passwordless": ["email_link"]})
    message = finding(snap, "factors.email-fallback-aal2")
    assert "require the" in message and "same device and browser" in message
    assert "cannot be bound" not in message
    assert snap["clerk_config"]["auth_attack_protection"]["email_link_require_same_client"] is True


def test_verified_domains_and_sso_caveat(pack: RulePack) -> None:
    snap = example(pack, "b2b-saas")
    assert "cannot also be a verified domain of that same organization" in finding(snap, "orgs.domains-vs-sso")


def test_account_changes_need_full_reauthentication_at_level_2(pack: RulePack) -> None:
    snap = example(pack, "b2b-saas")
    record = snap["decisions"]["auth.reverification.account_changes"]
    assert record["value"] == "strict_mfa" and "asvs-5:7.5.1" in record["refs"]
    assert "asvs-5:7.5.1" not in snap["decisions"]["auth.reverification"]["refs"]


def test_mfa_reference_is_a_published_page(pack: RulePack) -> None:
    assert pack.references["clerk:mfa"].url == (
        "https://clerk.com/docs/guides/configure/auth-strategies/sign-up-sign-in-options#multi-factor-authentication")


def test_sso_users_skip_enrolment_not_their_factors(pack: RulePack) -> None:
    message = finding(example(pack, "b2b-saas"), "sso.mfa-at-idp")
    assert "does not make users who sign in" in message and "who did enrol a Clerk factor are still asked" in message
    assert "skips its own MFA" not in message


def test_personal_data_is_asked_for_and_email_codes_are_a_documented_risk(pack: RulePack) -> None:
    unstated = snapshot_of(pack, audience="b2c")
    assert "personal_data" in finding(unstated, "assurance.personal-data-unstated")
    assert "SHALL NOT be used for out-of-band authentication" in finding(unstated, "factors.email-code-aal1")
    present = snapshot_of(pack, threat_model={"personal_data": "present"})
    assert present["assurance"]["aal"] == "AAL2" and values(present)["auth.mfa.policy"] == "required"


def test_why_fits_the_decision_and_the_diagram_fits_the_audience(pack: RulePack) -> None:
    payment = render_markdown(example(pack, "payment-admin"), pack.references)
    row = next(line for line in payment.splitlines() if line.startswith("| `auth.first_factors`"))
    assert "enterprise connection" in row and "password or passkey" not in row
    internal = render_markdown(example(pack, "internal-tool"), pack.references)
    assert 'idp["Company IdP (SAML / OIDC)"]' in internal and "Customer IdPs" not in internal
    healthcare = render_markdown(example(pack, "healthcare"), pack.references)
    row = next(line for line in healthcare.splitlines() if line.startswith("| `orgs.force_selection`"))
    assert "Organizations stay off" not in row


# ------------------------------------------------------------------ the new areas


@pytest.mark.parametrize(("given", "rule_id", "text"), [
    ({}, "recovery.password-reset", "needs_second_factor"),
    ({}, "recovery.mfa-reset", "DELETE /v1/users/{user_id}/mfa"),
    ({"threat_model": {"compliance": ["soc2"]}}, "session.management", "Active devices"),
    ({"threat_model": {"impact": "high"}}, "enumeration.asvs-l3", "6.3.8"),
    ({"threat_model": {"impact": "high"}}, "notify.asvs-l3", "6.3.7"),
    ({"users": {"regions": ["eu"]}}, "gdpr.processor-and-transfers", "Data Processing Agreement"),
    ({"users": {"regions": ["eu"]}}, "gdpr.eu-users", "art. 3(2)"),
    ({"platforms": {"chrome_extension": True}}, "ext.chrome-extension", "chrome-extension://"),
    ({"platforms": {"mobile": ["expo"]}, "threat_model": {"compliance": ["hipaa"]}}, "session.mobile-idle-lock",
     "biometric"),
    ({"integrations": {"billing": True}}, "billing.enabled", "has({ plan })"),
    ({"audience": "b2b", "tenancy": {"organizations": "required", "users_in_many_orgs": True}}, "orgs.many-orgs",
     "active organization"),
])
def test_new_areas_reach_the_report(pack: RulePack, given: dict, rule_id: str, text: str) -> None:
    snap = snapshot_of(pack, **given)
    assert text in finding(snap, rule_id)
    assert rule_id in render_markdown(snap, pack.references)


def test_new_areas_reach_the_setup_guide(pack: RulePack) -> None:
    snap = snapshot_of(pack, platforms={"chrome_extension": True}, threat_model={"compliance": ["gdpr"]},
                       integrations={"billing": True})
    text = steps_text(snap)
    assert "Allow the Chrome extension's origin" in text and "allowed_origins" in text
    assert "Turn on legal consent at sign-up" in text
    assert "Connect a payment provider and create the plans" in text
    assert "Write the MFA reset runbook" in text


def test_explain_reads_not_applicable_too(cli) -> None:
    requirements = ROOT / "examples" / "internal-tool" / "clerk-requirements.yaml"
    result = cli("explain", "auth.passwords.breach_check", requirements)
    assert result.code == 0
    assert result.out.startswith("auth.passwords.breach_check = not applicable\n")
