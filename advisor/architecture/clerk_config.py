"""Decisions -> the document for Clerk's own CLI: `clerk config patch --file clerk-config.json`.

A patch changes only what it names, so we name exactly what the advisor decided and
nothing else, and only fields whose key a Clerk source confirms: every field is listed,
with its source, in clerk_config_fields.yaml, and anything missing there is dropped. What
the document cannot (or cannot yet provably) express becomes a step of `setup.py`:
session settings, lockout, Device Trust, role definitions, enterprise connections,
webhook endpoints, machines, OAuth credentials, plan upgrades. Each step says why.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from advisor.architecture.model import Decisions

Value = Callable[[str], Any]

FIELDS_FILE = Path(__file__).with_name("clerk_config_fields.yaml")

# Our provider names -> Clerk's connection keys where they differ.
_PROVIDER_KEYS = {"linkedin": "linkedin_oidc", "twitter": "x"}
_PROVIDER_SEGMENT = re.compile(r"^connection_oauth_[a-z0-9_]+$")


def provider_key(strategy: str) -> str:
    name = strategy.removeprefix("oauth_")
    return _PROVIDER_KEYS.get(name, name)


@cache
def field_table() -> dict[str, Any]:
    """clerk_config_fields.yaml: sources, emitted fields with their source, and what is not emitted."""
    from advisor.yamlio import load_fast, read_text

    data = load_fast(read_text(FIELDS_FILE, what="config field table"), str(FIELDS_FILE))
    return data if isinstance(data, dict) else {}


def field_paths(doc: dict[str, Any], prefix: str = "") -> list[str]:
    """The leaf paths of a config document, with connection_oauth_<name> as connection_oauth_{provider}."""
    out: list[str] = []
    for key, value in doc.items():
        segment = "connection_oauth_{provider}" if not prefix and _PROVIDER_SEGMENT.match(key) else key
        path = f"{prefix}{segment}"
        if isinstance(value, dict) and value:
            out += field_paths(value, path + ".")
        else:
            out.append(path)
    return out


def _only_sourced(doc: dict[str, Any], fields: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in doc.items():
        segment = "connection_oauth_{provider}" if not prefix and _PROVIDER_SEGMENT.match(key) else key
        path = f"{prefix}{segment}"
        if isinstance(value, dict) and value:
            inner = _only_sourced(value, fields, path + ".")
            if inner:
                out[key] = inner
        elif path in fields:
            out[key] = value
    return out


def render_clerk_config(decisions: Decisions) -> dict[str, Any]:
    """The patch document: only fields with a confirmed key (clerk_config_fields.yaml)."""
    return _only_sourced(_document(decisions.value), field_table().get("fields") or {})


def _document(value: Value) -> dict[str, Any]:
    factors: Sequence[str] = value("auth.first_factors") or ()
    methods: Sequence[str] = value("auth.mfa.methods") or ()
    mfa = value("auth.mfa.policy") or "off"
    doc: dict[str, Any] = {}

    passwords_on = bool(value("auth.passwords.enabled")) and "password" in factors
    password: dict[str, Any] = {"enabled": passwords_on}
    if passwords_on:
        password["min_length"] = value("auth.passwords.min_length") or 8
        password["disable_hibp"] = not value("auth.passwords.breach_check")
    else:
        # Off and not asked for at sign-up: an enabled-but-required password would block
        # passwordless sign-ups.
        password["required"] = False
    doc["auth_password"] = password

    email_strategies = [s for s in ("email_code", "email_link") if s in factors]
    doc["auth_email"] = {
        # The email address is also the identifier for passwords and for finding a user's
        # enterprise connection, even where no email code or link signs anyone in.
        "used_for_sign_in": bool(email_strategies) or passwords_on or "enterprise_sso" in factors,
        "sign_in_strategies": email_strategies,
    }

    phone_first = "phone_code" in factors
    phone_second = mfa != "off" and "phone_code" in methods
    phone: dict[str, Any] = {"used_for_sign_in": phone_first, "used_for_second_factor": phone_second}
    if phone_first:
        # What makes phone sign-in usable (as Clerk's example patch does): the number is
        # collected and verified at sign-up, by SMS code.
        phone.update(used_for_sign_up=True, verify_at_sign_up=True, sign_in_strategies=["phone_code"])
    if phone_first or phone_second:
        phone["verification_strategies"] = ["phone_code"]
    if phone_second:
        phone["second_factor_strategies"] = ["phone_code"]
    doc["auth_phone"] = phone

    passkey = "passkey" in factors
    passkey_doc: dict[str, Any] = {
        "used_for_sign_in": passkey, "allow_autofill": passkey, "show_sign_in_button": passkey,
    }
    if passkey and mfa != "off" and "passkey" in methods:
        # Off by default on instances created before 2026-07-08; on and fixed after, so it
        # is only ever set to true (turning it off would be refused there).
        passkey_doc["satisfies_second_factor"] = True
    doc["auth_passkey"] = passkey_doc

    doc["auth_multi_factor"] = {
        "authenticator_app": {"enabled": mfa != "off" and "totp" in methods},
        "backup_code": {"enabled": mfa != "off" and "backup_code" in methods},
        "required_for_sign_up": mfa == "required",
        "required_for_sign_in": mfa == "required",
    }

    protection: dict[str, Any] = {"bot_protection": {"captcha_enabled": bool(value("auth.bot_protection"))}}
    if "email_link" in factors:
        # A link opened on another device is how a phished link gets used.
        protection["email_link_require_same_client"] = True
    doc["auth_attack_protection"] = protection

    doc["auth_access_control"] = {"sign_up_mode": value("auth.sign_up_mode") or "public"}

    orgs: dict[str, Any] = {"enabled": bool(value("orgs.enabled"))}
    if orgs["enabled"]:
        orgs["force_organization_selection"] = bool(value("orgs.force_selection"))
        orgs["domains_enabled"] = bool(value("orgs.domains"))
        if orgs["domains_enabled"]:
            orgs["domains_enrollment_modes"] = ["automatic_invitation", "automatic_suggestion"]
    doc["organization_settings"] = orgs

    if value("billing.enabled"):
        doc["billing"] = _billing(value)

    for strategy in factors:
        if strategy.startswith("oauth_"):
            doc[f"connection_oauth_{provider_key(strategy)}"] = {"enabled": True, "authenticatable": True}
    return doc


def _billing(value: Value) -> dict[str, bool]:
    """Who pays: organizations when every session has one, users otherwise, both with personal accounts."""
    orgs = bool(value("orgs.enabled"))
    return {"user_enabled": not (orgs and value("orgs.force_selection")), "organization_enabled": orgs}
