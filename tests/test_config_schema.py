"""`generate --config-schema FILE`: clerk-config.json checked offline against the JSON Schema
that `clerk config schema --output FILE` saves, with the small validator in
advisor/architecture/config_schema.py."""

from __future__ import annotations

import json

import pytest

from advisor.architecture.config_schema import validate
from tests.conftest import ROOT, write

BOOL = {"type": "boolean"}
STRATEGIES = {"type": "array", "items": {"type": "string", "enum": ["email_code", "email_link", "phone_code"]},
              "uniqueItems": True}

# A schema in the shape Clerk's CLI reads (top-level `properties`, objects per section).
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "$defs": {"toggle": {"type": "object", "properties": {"enabled": BOOL}, "additionalProperties": False}},
    "properties": {
        "auth_email": {"type": "object", "properties": {"used_for_sign_in": BOOL, "sign_in_strategies": STRATEGIES}},
        "auth_phone": {"type": "object", "properties": {
            "used_for_sign_in": BOOL, "used_for_sign_up": BOOL, "verify_at_sign_up": BOOL,
            "used_for_second_factor": BOOL, "sign_in_strategies": STRATEGIES,
            "verification_strategies": STRATEGIES, "second_factor_strategies": STRATEGIES}},
        "auth_password": {"type": "object", "properties": {
            "enabled": BOOL, "required": BOOL, "min_length": {"type": "integer", "minimum": 8, "maximum": 72},
            "disable_hibp": BOOL}},
        "auth_passkey": {"type": "object", "properties": {
            "used_for_sign_in": BOOL, "allow_autofill": BOOL, "show_sign_in_button": BOOL,
            "satisfies_second_factor": BOOL}},
        "auth_multi_factor": {"type": "object", "properties": {
            "authenticator_app": {"$ref": "#/$defs/toggle"}, "backup_code": {"$ref": "#/$defs/toggle"},
            "required_for_sign_up": BOOL, "required_for_sign_in": BOOL}},
        "auth_attack_protection": {"type": "object", "properties": {
            "bot_protection": {"type": "object", "properties": {"captcha_enabled": BOOL}},
            "email_link_require_same_client": BOOL}},
        "auth_access_control": {"type": "object", "properties": {
            "sign_up_mode": {"type": "string", "enum": ["public", "restricted", "waitlist"]}}},
        "organization_settings": {"type": "object", "properties": {
            "enabled": BOOL, "force_organization_selection": BOOL, "domains_enabled": BOOL,
            "max_allowed_memberships": {"type": "integer", "nullable": True},
            "domains_enrollment_modes": {"type": "array", "items": {
                "enum": ["automatic_invitation", "automatic_suggestion"]}}}},
        "billing": {"type": "object", "properties": {"user_enabled": BOOL, "organization_enabled": BOOL}},
    },
    "patternProperties": {"^connection_oauth_[a-z0-9_]+$": {
        "type": "object", "properties": {"enabled": BOOL, "authenticatable": BOOL, "client_id": {"type": "string"}}}},
}


def messages(document: dict, schema: dict = SCHEMA) -> list[str]:
    return [str(p) for p in validate(document, schema)]


def test_a_fitting_document_has_no_problems() -> None:
    doc = {"auth_password": {"enabled": True, "min_length": 12, "disable_hibp": False},
           "auth_multi_factor": {"authenticator_app": {"enabled": True}},
           "organization_settings": {"enabled": True, "max_allowed_memberships": None,
                                     "domains_enrollment_modes": ["automatic_invitation"]},
           "connection_oauth_google": {"enabled": True, "authenticatable": True}}
    assert messages(doc) == []


@pytest.mark.parametrize(("document", "expected"), [
    ({"session_settings": {"multi_session_enabled": False}}, "session_settings: unknown key"),
    ({"auth_password": {"enforce_hibp_on_sign_in": True}}, "auth_password.enforce_hibp_on_sign_in: unknown key"),
    ({"auth_access_control": {"sign_up_mode": "open"}}, 'auth_access_control.sign_up_mode: "open" is not one of'),
    ({"auth_password": {"min_length": "12"}}, 'auth_password.min_length: expected integer, got "12"'),
    ({"auth_password": {"min_length": 6}}, "auth_password.min_length: 6 is less than 8"),
    ({"auth_password": {"enabled": 1}}, "auth_password.enabled: expected boolean, got 1"),
    ({"auth_email": {"sign_in_strategies": ["email_code", "magic"]}}, 'auth_email.sign_in_strategies[1]: "magic"'),
    ({"auth_email": {"sign_in_strategies": ["email_code", "email_code"]}}, "is listed twice"),
    ({"auth_multi_factor": {"authenticator_app": {"enabeld": True}}},
     "auth_multi_factor.authenticator_app.enabeld: unknown key"),
    ({"connection_oauth_google": {"enable": True}}, "connection_oauth_google.enable: unknown key"),
    ({"organization_settings": {"domains_enrollment_modes": ["manual_invitation"]}},
     'organization_settings.domains_enrollment_modes[0]: "manual_invitation" is not one of'),
])
def test_unknown_keys_and_bad_values_are_reported_with_their_path(document: dict, expected: str) -> None:
    found = messages(document)
    assert any(expected in m for m in found), found


def test_keywords_beyond_the_basics() -> None:
    schema = {"type": "object", "properties": {
        "a": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        "b": {"oneOf": [{"type": "integer"}, {"type": "number"}]},
        "c": {"allOf": [{"type": "string"}, {"minLength": 3}]},
        "d": {"const": "x"}, "e": {"type": ["string", "null"]}, "f": {"not": {"type": "null"}},
        "g": {"type": "object", "additionalProperties": True}, "h": {"type": "string", "pattern": "^org:"}},
        "required": ["a"]}
    assert messages({"a": "s", "b": 1.5, "c": "abc", "d": "x", "e": None, "f": 1, "g": {"any": 1}, "h": "org:x"},
                    schema) == []
    found = messages({"b": 1, "c": "ab", "d": "y", "e": 3, "f": None, "h": "x"}, schema)
    for expected in ("a: required by the schema", "b: 1 fits 2 of the oneOf", "c: shorter than 3",
                     'd: must be "x"', "e: expected string or null", "f: null matches a form",
                     'h: "x" does not match'):
        assert any(expected in m for m in found), (expected, found)


def test_a_schema_without_properties_accepts_any_keys() -> None:
    assert messages({"anything": {"at": "all"}}, {"type": "object"}) == []


def test_every_example_patch_fits_a_schema_of_the_cited_keys(cli, tmp_path) -> None:
    """The emitter's keys, as the table cites them, against a schema that has exactly those keys."""
    for name in ("b2b-saas", "consumer-app", "healthcare", "internal-tool", "payment-admin"):
        result = cli("recommend", ROOT / "examples" / name / "clerk-requirements.yaml", "--format", "json",
                     "--no-save")
        assert messages(json.loads(result.out)["clerk_config"]) == [], name


# ------------------------------------------------------------------ through the CLI


@pytest.fixture
def project(tmp_path):
    write(tmp_path / "clerk-requirements.yaml", (ROOT / "examples" / "b2b-saas" / "clerk-requirements.yaml")
          .read_text())
    return tmp_path


def test_generate_checks_the_patch_and_passes(cli, project) -> None:
    write(project / "schema.json", json.dumps(SCHEMA))
    result = cli("generate", "--stack", "nextjs", "--out", "web", "--dry-run", "--config-schema", "schema.json")
    assert result.code == 0, result.err
    assert "clerk-config.json fits schema.json" in result.err


def test_generate_lists_problems_and_exits_1(cli, project) -> None:
    schema = json.loads(json.dumps(SCHEMA))
    del schema["properties"]["auth_passkey"]["properties"]["satisfies_second_factor"]
    schema["properties"]["auth_access_control"]["properties"]["sign_up_mode"]["enum"] = ["open", "invite"]
    write(project / "schema.json", json.dumps(schema))
    result = cli("generate", "--stack", "nextjs", "--out", "web", "--config-schema", "schema.json",
                 "--format", "json")
    assert result.code == 1
    assert "does not fit schema.json (2 problems); do not patch until it does" in result.err
    assert "auth_passkey.satisfies_second_factor: unknown key" in result.err
    summary = json.loads(result.out)
    assert len(summary["config_schema"]["problems"]) == 2
    assert (project / "web" / "clerk-config.json").exists(), "the files are still written, to be inspected"


def test_a_schema_that_is_not_json_is_bad_input(cli, project) -> None:
    write(project / "schema.json", "{not json")
    result = cli("generate", "--stack", "nextjs", "--out", "web", "--dry-run", "--config-schema", "schema.json")
    assert result.code == 2
    assert "schema.json:1:2" in result.err and "not JSON" in result.err
    missing = cli("generate", "--stack", "nextjs", "--out", "web", "--dry-run", "--config-schema", "nope.json")
    assert missing.code == 2 and "cannot read the config schema" in missing.err
