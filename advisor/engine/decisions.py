"""The decision keys of an architecture, their value types and how rules combine.

This table is the contract of DESIGN.md ("Decision keys"). Each key declares its type and
one combine strategy; the engine knows nothing about individual keys. Keys settled before
the last phase (`assurance.*`) are derived facts that later rules may read.
"""

from __future__ import annotations

import re
from typing import Any, Literal, NamedTuple

from advisor.values import show_decision

ValueKind = Literal["bool", "bool_or_null", "int", "int_or_null", "enum", "list", "map"]
Combine = Literal["strongest", "min", "max", "or", "and", "union", "priority"]

OAUTH_PROVIDER = r"oauth_[a-z0-9_]+"
ROLE = r"org:[a-z][a-z0-9_]*"
PERMISSION = r"org:[a-z][a-z0-9_]*:[a-z][a-z0-9_]*"

# Phase 0 settles the impact; phase 1 the levels that read it; phase 2 the architecture.
LAST_PHASE = 2

_KIND_TEXT: dict[str, str] = {
    "bool": "true or false",
    "bool_or_null": "true or false, or null (not applicable)",
    "int": "an integer >= 0",
    "int_or_null": "an integer >= 0, or null",
    "map": 'a map of platform to "package@range"',
}


class DecisionSpec(NamedTuple):
    key: str
    kind: ValueKind
    combine: Combine
    summary: str  # what the key means, in a few words (shown by explain)
    order: tuple[Any, ...] = ()  # enum values, weakest first
    items: tuple[str, ...] = ()  # list: the allowed item literals
    item_pattern: str | None = None  # list: items matching this regex are allowed too
    phase: int = LAST_PHASE
    # How a person reads null (for *_or_null kinds): "none" (no limit) or "not applicable".
    null_label: str = "none"
    # Part of the architecture only when some rule decides it (the migration plan exists
    # only when users move from another system); otherwise left out of the snapshot.
    optional: bool = False

    def describe(self) -> str:
        if self.kind == "enum":
            return "one of " + ", ".join(str(o).lower() if isinstance(o, bool) else str(o) for o in self.order)
        if self.kind == "list":
            allowed = ", ".join(self.items)
            if self.item_pattern:
                matching = f"matching {self.item_pattern}"
                allowed = f"{allowed}, or {matching}" if allowed else f"items {matching}"
            return f"a list of {allowed}"
        return _KIND_TEXT[self.kind]

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
        return isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, str) and "@" in v.lstrip("@") for k, v in value.items()
        )

    @property
    def empty(self) -> Any:
        """The value of a key that no rule touched."""
        return [] if self.kind == "list" else {} if self.kind == "map" else None


FIRST_FACTORS = ("password", "email_code", "email_link", "phone_code", "passkey", "enterprise_sso")
MFA_METHODS = ("totp", "backup_code", "phone_code", "passkey")

_SPECS = [
    DecisionSpec("assurance.impact", "enum", "strongest", "NIST SP 800-63-4 impact of a compromised account",
                 order=("low", "moderate", "high"), phase=0),
    DecisionSpec("assurance.aal", "enum", "strongest", "NIST SP 800-63B-4 authentication assurance level",
                 order=("AAL1", "AAL2", "AAL3"), phase=1),
    DecisionSpec("assurance.asvs_level", "enum", "strongest", "OWASP ASVS 5.0 verification level",
                 order=(1, 2, 3), phase=1),
    DecisionSpec("auth.first_factors", "list", "union", "ways to sign in",
                 items=FIRST_FACTORS, item_pattern=OAUTH_PROVIDER),
    # Disabling passwords is the stronger choice: a rule or a preference to avoid them wins.
    DecisionSpec("auth.passwords.enabled", "enum", "strongest", "passwords are a first factor",
                 order=(True, False)),
    # Null when passwords are off: no password policy applies.
    DecisionSpec("auth.passwords.min_length", "int_or_null", "max",
                 "minimum password length (null: passwords are off)", null_label="not applicable"),
    DecisionSpec("auth.passwords.breach_check", "bool_or_null", "or",
                 "reject passwords found in breaches (HaveIBeenPwned; null: passwords are off)",
                 null_label="not applicable"),
    DecisionSpec("auth.mfa.policy", "enum", "strongest", "second factor", order=("off", "optional", "required")),
    DecisionSpec("auth.mfa.methods", "list", "union", "second-factor methods", items=MFA_METHODS),
    # Who makes authentication phishing-resistant: nobody (off), Clerk offers passkeys without
    # enforcing them (offered), sign-in is only through an IdP whose policy decides
    # (idp_delegated), it is required and the IdP must enforce it (required_at_idp), or it is
    # required and the app must enforce it, because Clerk cannot (required_in_app).
    DecisionSpec("auth.phishing_resistant", "enum", "strongest",
                 "phishing-resistant authentication and who enforces it",
                 order=("off", "offered", "idp_delegated", "required_at_idp", "required_in_app")),
    DecisionSpec("auth.reverification", "enum", "strongest",
                 "fresh verification before the app's own sensitive actions",
                 order=("off", "lax", "moderate", "strict", "strict_mfa")),
    DecisionSpec("auth.reverification.account_changes", "enum", "strongest",
                 "fresh verification before changing email, phone, MFA or recovery data",
                 order=("off", "lax", "moderate", "strict", "strict_mfa")),
    DecisionSpec("auth.device_trust", "bool", "or",
                 "Clerk Device Trust: a new device must verify before a password sign-in"),
    DecisionSpec("auth.enumeration_protection", "bool", "or",
                 "sign-in and sign-up do not reveal whether an account exists"),
    DecisionSpec("auth.legal_consent", "bool", "or",
                 "users accept your terms and privacy policy at sign-up (Clerk records it)"),
    DecisionSpec("auth.bot_protection", "bool", "or", "CAPTCHA (Cloudflare Turnstile) on sign-up"),
    DecisionSpec("auth.lockout.max_attempts", "int", "min", "failed attempts before lockout"),
    DecisionSpec("auth.lockout.duration_minutes", "int", "max", "lockout duration in minutes"),
    DecisionSpec("auth.sign_up_mode", "enum", "strongest", "who may sign up",
                 order=("public", "waitlist", "restricted")),
    DecisionSpec("session.max_lifetime_seconds", "int", "min", "longest a session lives"),
    DecisionSpec("session.inactivity_timeout_seconds", "int_or_null", "min",
                 "idle time before a session ends (null: none)"),
    DecisionSpec("session.multi_session", "bool", "and", "several accounts signed in in one browser"),
    DecisionSpec("session.revoke_on_credential_change", "bool", "or",
                 "other sessions end when a password or second factor changes"),
    DecisionSpec("orgs.enabled", "bool", "or", "Clerk Organizations"),
    DecisionSpec("orgs.force_selection", "bool", "or", "membership required: every session has an active organization"),
    DecisionSpec("orgs.domains", "bool", "or", "verified domains with automatic enrollment"),
    DecisionSpec("orgs.roles", "list", "union", "organization roles", item_pattern=ROLE),
    DecisionSpec("orgs.permissions", "list", "union", "custom organization permissions", item_pattern=PERMISSION),
    DecisionSpec("sso.enterprise", "bool", "or", "enterprise connections (SAML / OIDC)"),
    DecisionSpec("m2m.enabled", "bool", "or", "machine-to-machine tokens"),
    DecisionSpec("api_keys.enabled", "bool", "or", "user and organization API keys"),
    DecisionSpec("billing.enabled", "bool", "or", "Clerk Billing for plans and subscriptions"),
    DecisionSpec("webhooks.events", "list", "union", "Clerk events delivered by webhook",
                 item_pattern=r"[a-zA-Z]+\.[a-zA-Z]+"),
    DecisionSpec("sdk.packages", "map", "priority", "Clerk SDK package per platform"),
    # The migration plan (requirements `migration:`). Where several rules apply, the more
    # gradual strategy and the later way of moving passwords win.
    DecisionSpec("migration.strategy", "enum", "strongest",
                 "how users move: one import then switch (big_bang), an import ahead with changes mirrored until "
                 "the switch (import_then_trickle), or both systems running while users move as they sign in "
                 "(trickle)",
                 order=("big_bang", "import_then_trickle", "trickle"), optional=True, null_label="not applicable"),
    DecisionSpec("migration.passwords", "enum", "strongest",
                 "how passwords move: imported digests with Clerk's hasher (digest), verified against Cognito at "
                 "first sign-in (awscognito), set when the user signs in to the old system (on_sign_in), chosen "
                 "again by the user (reset), or not at all because the new setup has no passwords (dropped)",
                 order=("digest", "awscognito", "reset", "on_sign_in", "dropped"), optional=True,
                 null_label="not applicable"),
    DecisionSpec("migration.external_id_claim", "bool", "or",
                 "the old user id goes into external_id and the session token's userId claim returns it for "
                 "imported users", optional=True, null_label="not applicable"),
    DecisionSpec("migration.mfa", "enum", "strongest",
                 "how enrolled second factors move: TOTP secrets and backup codes imported (totp_secrets), or "
                 "users enrol again (re_enroll)",
                 order=("totp_secrets", "re_enroll"), optional=True, null_label="not applicable"),
]

DECISIONS: dict[str, DecisionSpec] = {s.key: s for s in _SPECS}


def area_of(key: str) -> str:
    """The area of a decision key (auth, session, orgs, ...): report sections, docs areas."""
    return key.split(".", 1)[0]


def display(key: str, value: Any) -> str:
    """A decision's value as a person reads it: with its unit, and null as its spec says
    ("none" for no limit, "not applicable" for a policy that does not apply)."""
    spec = DECISIONS.get(key)
    return show_decision(key, value, null_label=spec.null_label if spec else "none")

# The derived facts: settled by the pack's first phases, read by the rules after them.
DERIVED: dict[str, DecisionSpec] = {k: s for k, s in DECISIONS.items() if s.phase < LAST_PHASE}
PHASE_OUTPUTS: dict[int, tuple[str, ...]] = {
    phase: tuple(k for k, s in DERIVED.items() if s.phase == phase) for phase in range(LAST_PHASE)
}


def first_phase_reading(fact: str) -> int:
    """The first phase whose rules may read a fact: any phase for a requirement, the phase
    after the one that settles it for a derived fact."""
    spec = DERIVED.get(fact)
    return spec.phase + 1 if spec is not None else 0
