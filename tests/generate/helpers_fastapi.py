"""Helpers for the fastapi stack's tests: requirement profiles, hand-built architectures
(independent of the rule pack, which changes on its own schedule) and rendering."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from advisor.requirements import Requirements, validate_document
from tests.architectures import fixed_architecture, render_stack

STACK = "fastapi"

# The brief's full profile: required organizations with custom roles, M2M, three webhook events.
FULL_REQUIREMENTS: dict[str, Any] = {
    "schema": 1,
    "project": {"name": "acme-api"},
    "platforms": {"web": "nextjs", "backends": ["fastapi"]},
    "audience": "b2b",
    "tenancy": {"organizations": "required", "custom_roles": ["billing", "viewer"]},
    "integrations": {"m2m": True, "webhooks": ["user.created", "user.deleted", "organizationMembership.created"]},
}

FULL_DECISIONS: dict[str, Any] = {
    "assurance.impact": "moderate",
    "assurance.aal": "AAL2",
    "assurance.asvs_level": 2,
    "auth.first_factors": ["email_code", "passkey", "oauth_google"],
    "auth.passwords.enabled": False,
    "auth.mfa.policy": "required",
    "auth.mfa.methods": ["totp", "backup_code"],
    "auth.reverification": "strict_mfa",
    "auth.bot_protection": True,
    "auth.sign_up_mode": "restricted",
    "orgs.enabled": True,
    "orgs.force_selection": True,
    "orgs.domains": False,
    "orgs.roles": ["org:admin", "org:member", "org:billing", "org:viewer"],
    "orgs.permissions": ["org:app:read", "org:app:manage", "org:billing:manage"],
    "m2m.enabled": True,
    "api_keys.enabled": False,
    "sso.enterprise": False,
    "webhooks.events": ["user.created", "user.deleted", "organizationMembership.created"],
}

# A consumer app: no organizations, no M2M, no webhooks; every list empty, nothing to manage.
MINIMAL_REQUIREMENTS: dict[str, Any] = {
    "schema": 1,
    "project": {"name": "solo"},
    "platforms": {"web": "react", "backends": ["fastapi"]},
}

MINIMAL_DECISIONS: dict[str, Any] = {
    "assurance.impact": "low",
    "assurance.aal": "AAL1",
    "assurance.asvs_level": 1,
    "auth.first_factors": [],
    "auth.mfa.policy": None,
    "auth.mfa.methods": [],
    "orgs.enabled": None,
    "orgs.roles": [],
    "orgs.permissions": [],
    "m2m.enabled": None,
    "webhooks.events": [],
}

PROFILES = {
    "full": (FULL_REQUIREMENTS, FULL_DECISIONS),
    "minimal": (MINIMAL_REQUIREMENTS, MINIMAL_DECISIONS),
}


def variant_decisions(orgs: bool, permissions: bool, m2m: bool, webhooks: bool, reverification: bool) -> dict[str, Any]:
    """The full profile's decisions with each feature switched on or off."""
    decisions = dict(FULL_DECISIONS)
    decisions["orgs.enabled"] = orgs or None
    decisions["orgs.permissions"] = ["org:app:read", "org:app:manage"] if permissions else []
    decisions["m2m.enabled"] = m2m or None
    decisions["webhooks.events"] = ["user.created", "organization.deleted"] if webhooks else []
    decisions["auth.reverification"] = "moderate" if reverification else None
    return decisions


def render_with(req: Requirements, decisions: dict[str, Any]) -> dict[str, str]:
    return render_stack(STACK, fixed_architecture(req, decisions))


def render_profile(name: str) -> dict[str, str]:
    req_data, decisions = PROFILES[name]
    return render_with(validate_document(req_data), decisions)


def write_project(root: Path, files: dict[str, str]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root
