"""Decisions -> the document for Clerk's own CLI: `clerk config patch --file clerk-config.json`.

Field names are Clerk's (the Platform API instance config: auth_password,
auth_multi_factor, session_settings, organization_settings, connection_oauth_<provider>,
...). A patch changes only what it names, so we name exactly what the advisor decided and
nothing else. What the document cannot express (role and permission definitions,
enterprise connections, webhook endpoints, machines, OAuth credentials) becomes a
dashboard step in `setup_steps`, each with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from advisor.architecture.model import Decisions
from advisor.markdown import code

if TYPE_CHECKING:
    from advisor.architecture.model import Architecture

# Our provider names -> Clerk's connection keys where they differ.
_PROVIDER_KEYS = {"linkedin": "linkedin_oidc", "twitter": "x"}


def provider_key(strategy: str) -> str:
    name = strategy.removeprefix("oauth_")
    return _PROVIDER_KEYS.get(name, name)


def render_clerk_config(decisions: Decisions) -> dict[str, Any]:
    value = decisions.value
    factors: tuple[str, ...] = value("auth.first_factors")
    methods: tuple[str, ...] = value("auth.mfa.methods")
    mfa = value("auth.mfa.policy") or "off"
    doc: dict[str, Any] = {}

    passwords_on = bool(value("auth.passwords.enabled")) and "password" in factors
    password: dict[str, Any] = {"enabled": passwords_on}
    if passwords_on:
        password["min_length"] = value("auth.passwords.min_length") or 8
        breach = bool(value("auth.passwords.breach_check"))
        password["disable_hibp"] = not breach
        password["enforce_hibp_on_sign_in"] = breach
    doc["auth_password"] = password

    email_strategies = [s for s in ("email_code", "email_link") if s in factors]
    doc["auth_email"] = {
        "used_for_sign_in": bool(email_strategies) or passwords_on,
        "sign_in_strategies": email_strategies,
    }

    phone_first = "phone_code" in factors
    phone_second = mfa != "off" and "phone_code" in methods
    doc["auth_phone"] = {
        "used_for_sign_in": phone_first,
        "sign_in_strategies": ["phone_code"] if phone_first else [],
        "used_for_second_factor": phone_second,
        "second_factor_strategies": ["phone_code"] if phone_second else [],
    }

    passkey = "passkey" in factors
    doc["auth_passkey"] = {"used_for_sign_in": passkey, "allow_autofill": passkey, "show_sign_in_button": passkey}

    doc["auth_multi_factor"] = {
        "authenticator_app": {"enabled": mfa != "off" and "totp" in methods},
        "backup_code": {"enabled": mfa != "off" and "backup_code" in methods},
        "required_for_sign_up": mfa == "required",
        "required_for_sign_in": mfa == "required",
    }

    protection: dict[str, Any] = {
        "bot_protection": {"captcha_enabled": bool(value("auth.bot_protection"))},
    }
    attempts = value("auth.lockout.max_attempts")
    if attempts:
        protection["user_lockout"] = {
            "enabled": True,
            "max_attempts": attempts,
            "duration_in_minutes": value("auth.lockout.duration_minutes") or 60,
        }
    if "email_link" in factors:
        # A link opened on another device is how a phished link gets used.
        protection["email_link_require_same_client"] = True
    doc["auth_attack_protection"] = protection

    doc["auth_access_control"] = {"sign_up_mode": value("auth.sign_up_mode") or "public"}

    session: dict[str, Any] = {}
    lifetime = value("session.max_lifetime_seconds")
    if lifetime:
        session["maximum_lifetime"] = {"enabled": True, "duration_seconds": lifetime}
    idle = value("session.inactivity_timeout_seconds")
    session["inactivity_timeout"] = (
        {"enabled": True, "duration_seconds": idle} if idle else {"enabled": False}
    )
    session["multi_session_enabled"] = bool(value("session.multi_session"))
    doc["session_settings"] = session

    orgs: dict[str, Any] = {"enabled": bool(value("orgs.enabled"))}
    if orgs["enabled"]:
        orgs["force_organization_selection"] = bool(value("orgs.force_selection"))
        orgs["domains_enabled"] = bool(value("orgs.domains"))
        if orgs["domains_enabled"]:
            orgs["domains_enrollment_modes"] = ["manual_invitation", "automatic_invitation", "automatic_suggestion"]
            orgs["domains_default_role"] = "org:member"
    doc["organization_settings"] = orgs

    for strategy in factors:
        if strategy.startswith("oauth_"):
            doc[f"connection_oauth_{provider_key(strategy)}"] = {"enabled": True, "authenticatable": True}
    return doc


def _lits(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(code(v) for v in values) if values else "none"


@dataclass(frozen=True)
class SetupStep:
    """A dashboard or API step that clerk-config.json cannot carry."""

    title: str
    why: str
    how: str


def setup_steps(arch: Architecture) -> list[SetupStep]:
    value = arch.value
    steps: list[SetupStep] = [
        SetupStep(
            "Apply clerk-config.json to both instances",
            "Settings applied to development only are a common cause of production surprises.",
            "`clerk config patch --file clerk-config.json --dry-run`, review, run it again without "
            "`--dry-run`; then repeat with `--instance prod` before launch.",
        )
    ]
    factors = value("auth.first_factors")
    social = [f for f in factors if f.startswith("oauth_")]
    if social:
        names = _lits([provider_key(s) for s in social])
        steps.append(SetupStep(
            f"Add your own OAuth credentials for {names} in production",
            "Clerk's shared development credentials do not work in production; enabling a provider there "
            "without a client ID and secret is refused. Secrets belong in the dashboard, never in files.",
            "Dashboard > User & authentication > SSO connections: set client ID and secret per provider.",
        ))
    roles = [r for r in value("orgs.roles") or [] if r not in ("org:admin", "org:member")]
    permissions = value("orgs.permissions") or []
    if value("orgs.enabled") and (roles or permissions):
        steps.append(SetupStep(
            "Create the custom roles and permissions",
            "Role and permission definitions are not part of the instance config document. Server-side checks "
            "(auth.protect({ permission })) only match permissions that exist and are in the session token.",
            "Dashboard > Organizations > Roles & Permissions: create the features and permissions "
            f"({_lits(permissions)}) and the roles ({_lits(roles)}), "
            "then add the roles to the default role set. Custom roles in production need the B2B add-on.",
        ))
    if value("sso.enterprise"):
        steps.append(SetupStep(
            "Set up enterprise connections",
            "SAML and OIDC connections are per-customer resources, not instance settings.",
            "Dashboard > Configure > Enterprise connections (or the Backend API /enterprise_connections): one "
            "connection per customer IdP, attached to that customer's organization, with its verified domain.",
        ))
    events = value("webhooks.events") or []
    if events:
        steps.append(SetupStep(
            "Create the webhook endpoint",
            "Endpoints and their signing secrets live in Clerk's dashboard (Svix); the app must verify every "
            "delivery's signature before it trusts the body.",
            f"Dashboard > Webhooks > Add endpoint: URL https://YOUR-DOMAIN/api/webhooks, events {_lits(events)}. "
            "Copy the signing secret into CLERK_WEBHOOK_SIGNING_SECRET in your secret store.",
        ))
    if value("m2m.enabled"):
        steps.append(SetupStep(
            "Create machines and their scopes for M2M tokens",
            "Machines, their secret keys and which machine may call which are managed outside the config document.",
            "Dashboard > M2M authentication: create one machine per service, grant scopes to the services it "
            "calls, and give each service its own CLERK_MACHINE_SECRET_KEY through your secret store.",
        ))
    if value("api_keys.enabled"):
        steps.append(SetupStep(
            "Enable API keys",
            "API keys are a separately enabled feature; users then manage keys in `<UserProfile />` or `<APIKeys />`.",
            "Dashboard > API keys: enable user API keys"
            + (" and organization API keys" if value("orgs.enabled") else "") + ".",
        ))
    if value("session.inactivity_timeout_seconds") or value("session.max_lifetime_seconds") not in (None, 604800):
        steps.append(SetupStep(
            "Check the plan for custom session settings",
            "A custom maximum lifetime and the inactivity timeout are paid features in production; without them "
            "Clerk keeps its 7-day default and no idle timeout, and the patch is refused.",
            "Dashboard > Sessions: confirm the values from clerk-config.json are in force on the production instance.",
        ))
    if "passkey" in factors:
        steps.append(SetupStep(
            "Check the plan for passkeys",
            "Passkeys are a paid feature in production instances.",
            "Dashboard > User & authentication > Passkeys: confirm they are on for production.",
        ))
    steps.append(SetupStep(
        "Use production keys in production",
        "A production deployment running on a development instance (pk_test_/sk_test_) has development-grade "
        "limits and settings.",
        "Create the production instance, point DNS as the dashboard says, and give the production deployment "
        "pk_live_/sk_live_ keys from your secret store.",
    ))
    return steps
