"""The decision keys of an architecture, their value types and how rules combine.

This table is the contract of DESIGN.md ("Decision keys"). Each key declares its type and
one combine strategy; the engine knows nothing about individual keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

OAUTH_PROVIDER = r"oauth_[a-z0-9_]+"
ROLE = r"org:[a-z][a-z0-9_]*"
PERMISSION = r"org:[a-z][a-z0-9_]*:[a-z][a-z0-9_]*"


LAST_PHASE = 2


@dataclass(frozen=True)
class DecisionSpec:
    key: str
    kind: str  # bool | bool_or_null | int | int_or_null | enum | list | map
    combine: str  # strongest | min | max | or | and | union | priority
    order: tuple[Any, ...] = ()  # for enum: weakest first
    items: tuple[str, ...] = ()  # for list: allowed item literals
    item_pattern: str | None = None  # for list: allowed item regex (in addition to items)
    # Evaluation phase of the rules that set this key. Keys settled before the last phase
    # are derived facts later phases may read: impact (0), then the levels that read it (1).
    phase: int = LAST_PHASE
    summary: str = ""
    # How a person reads null (for *_or_null kinds): "none" (no limit) or "not applicable".
    null_label: str = "none"

    def describe(self) -> str:
        if self.kind == "enum":
            return "one of " + ", ".join(str(o).lower() if isinstance(o, bool) else str(o) for o in self.order)
        if self.kind == "list":
            allowed = ", ".join(self.items)
            if self.item_pattern:
                allowed = f"{allowed}, or matching {self.item_pattern}" if allowed else f"items matching {self.item_pattern}"
            return f"a list of {allowed}"
        return {
            "bool": "true or false",
            "bool_or_null": "true or false, or null (not applicable)",
            "int": "an integer >= 0",
            "int_or_null": "an integer >= 0, or null",
            "map": "a map of platform to \"package@range\"",
        }[self.kind]

    def check_item(self, item: Any) -> bool:
        if not isinstance(item, str):
            return False
        if item in self.items:
            return True
        return bool(self.item_pattern and re.fullmatch(self.item_pattern, item))

    def check(self, value: Any) -> bool:
        """Does a rule's value fit this key (for union keys: one list to add)?"""
        if self.kind in ("bool", "bool_or_null"):
            return isinstance(value, bool) or (value is None and self.kind == "bool_or_null")
        if self.kind in ("int", "int_or_null"):
            if value is None:
                return self.kind == "int_or_null"
            return isinstance(value, int) and not isinstance(value, bool) and value >= 0
        if self.kind == "enum":
            return any(value == o and type(value) is type(o) for o in self.order)
        if self.kind == "list":
            return isinstance(value, list) and all(self.check_item(i) for i in value)
        if self.kind == "map":
            return isinstance(value, dict) and all(
                isinstance(k, str) and isinstance(v, str) and "@" in v.lstrip("@") for k, v in value.items()
            )
        return False


def _spec(key: str, kind: str, combine: str, summary: str, **kw: Any) -> DecisionSpec:
    return DecisionSpec(key=key, kind=kind, combine=combine, summary=summary, **kw)


FIRST_FACTORS = ("password", "email_code", "email_link", "phone_code", "passkey", "enterprise_sso")
MFA_METHODS = ("totp", "backup_code", "phone_code", "passkey")

_SPECS = [
    # Phase 0: the assurance level, which later rules read as facts.
    _spec("assurance.impact", "enum", "strongest", "NIST SP 800-63-4 impact of a compromised account",
          order=("low", "moderate", "high"), phase=0),
    _spec("assurance.aal", "enum", "strongest", "NIST SP 800-63B-4 authentication assurance level",
          order=("AAL1", "AAL2", "AAL3"), phase=1),
    _spec("assurance.asvs_level", "enum", "strongest", "OWASP ASVS 5.0 verification level",
          order=(1, 2, 3), phase=1),
    # Phase 1: the architecture.
    _spec("auth.first_factors", "list", "union", "ways to sign in",
          items=FIRST_FACTORS, item_pattern=OAUTH_PROVIDER),
    # Disabling passwords is the stronger choice: a rule or a preference to avoid them wins.
    _spec("auth.passwords.enabled", "enum", "strongest", "passwords are a first factor",
          order=(True, False)),
    # Null when passwords are off: no password policy applies.
    _spec("auth.passwords.min_length", "int_or_null", "max", "minimum password length (null: passwords are off)",
          null_label="not applicable"),
    _spec("auth.passwords.breach_check", "bool_or_null", "or",
          "reject passwords found in breaches (HaveIBeenPwned; null: passwords are off)", null_label="not applicable"),
    _spec("auth.mfa.policy", "enum", "strongest", "second factor", order=("off", "optional", "required")),
    _spec("auth.mfa.methods", "list", "union", "second-factor methods", items=MFA_METHODS),
    # Who makes authentication phishing-resistant: nobody (off), Clerk offers passkeys without
    # enforcing them (offered), sign-in is only through an IdP whose policy decides
    # (idp_delegated), it is required and the IdP must enforce it (required_at_idp), or it is
    # required and the app must enforce it, because Clerk cannot (required_in_app).
    _spec("auth.phishing_resistant", "enum", "strongest", "phishing-resistant authentication and who enforces it",
          order=("off", "offered", "idp_delegated", "required_at_idp", "required_in_app")),
    _spec("auth.reverification", "enum", "strongest", "fresh verification before the app's own sensitive actions",
          order=("off", "lax", "moderate", "strict", "strict_mfa")),
    _spec("auth.reverification.account_changes", "enum", "strongest",
          "fresh verification before changing email, phone, MFA or recovery data",
          order=("off", "lax", "moderate", "strict", "strict_mfa")),
    _spec("auth.device_trust", "bool", "or", "Clerk Device Trust: a new device must verify before a password sign-in"),
    _spec("auth.enumeration_protection", "bool", "or", "sign-in and sign-up do not reveal whether an account exists"),
    _spec("auth.legal_consent", "bool", "or",
          "users accept your terms and privacy policy at sign-up (Clerk records it)"),
    _spec("auth.bot_protection", "bool", "or", "CAPTCHA (Cloudflare Turnstile) on sign-up"),
    _spec("auth.lockout.max_attempts", "int", "min", "failed attempts before lockout"),
    _spec("auth.lockout.duration_minutes", "int", "max", "lockout duration in minutes"),
    _spec("auth.sign_up_mode", "enum", "strongest", "who may sign up",
          order=("public", "waitlist", "restricted")),
    _spec("session.max_lifetime_seconds", "int", "min", "longest a session lives"),
    _spec("session.inactivity_timeout_seconds", "int_or_null", "min", "idle time before a session ends (null: none)"),
    _spec("session.multi_session", "bool", "and", "several accounts signed in in one browser"),
    _spec("session.revoke_on_credential_change", "bool", "or",
          "other sessions end when a password or second factor changes"),
    _spec("orgs.enabled", "bool", "or", "Clerk Organizations"),
    _spec("orgs.force_selection", "bool", "or", "membership required: every session has an active organization"),
    _spec("orgs.domains", "bool", "or", "verified domains with automatic enrollment"),
    _spec("orgs.roles", "list", "union", "organization roles", item_pattern=ROLE),
    _spec("orgs.permissions", "list", "union", "custom organization permissions", item_pattern=PERMISSION),
    _spec("sso.enterprise", "bool", "or", "enterprise connections (SAML / OIDC)"),
    _spec("m2m.enabled", "bool", "or", "machine-to-machine tokens"),
    _spec("api_keys.enabled", "bool", "or", "user and organization API keys"),
    _spec("billing.enabled", "bool", "or", "Clerk Billing for plans and subscriptions"),
    _spec("webhooks.events", "list", "union", "Clerk events delivered by webhook", item_pattern=r"[a-zA-Z]+\.[a-zA-Z]+"),
    _spec("sdk.packages", "map", "priority", "Clerk SDK package per platform"),
]

DECISIONS: dict[str, DecisionSpec] = {s.key: s for s in _SPECS}

# Sets with a "strongest" value order, looked up by the value kind.
SEVERITIES = ("info", "low", "medium", "high", "critical")


def empty_value(spec: DecisionSpec) -> Any:
    """The value of a key no rule touched."""
    return {"list": [], "map": {}}.get(spec.kind)
