"""The Requirements model: one source of truth for the requirements file, the
questionnaire (`ask`) and the error messages.

Each field's `description` is written as the question `ask` puts to a person; `title`
is its short label; `json_schema_extra` carries `when`, a condition under which the
question matters at all (as a small dict, so `ask` and the file writer can read it
without eval). Names and enum values are the contract in DESIGN.md: schema 1.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

from advisor.requirements.checks import MAX_MAU, check_regions, no_duplicates, role_keys

SCHEMA_VERSION = 1

Platform = Literal["nextjs", "react", "none"]
Mobile = Literal["expo", "ios", "android"]
Backend = Literal["fastapi", "flask", "django", "express"]
Audience = Literal["b2c", "b2b", "internal"]
Region = Literal["us", "eu", "apac", "latam", "africa", "global"]
OrgMode = Literal["none", "optional", "required"]
Impact = Literal["auto", "low", "moderate", "high"]
Sensitivity = Literal["public", "internal", "confidential", "regulated"]
Compliance = Literal["hipaa", "pci-dss", "soc2", "gdpr", "iso27001"]
Threat = Literal["credential-stuffing", "phishing", "bots", "sim-swap", "account-sharing", "insider"]
PasswordPref = Literal["allowed", "avoid"]
# Who signs in, for PCI DSS Requirement 8 (which covers personnel and other users with access
# to cardholder data, not the cardholders themselves). auto: cardholders for b2c, staff otherwise.
PciScope = Literal["auto", "staff", "cardholders"]
# Whether an account exposes personal information beyond what sign-in needs. auto: not stated.
PersonalData = Literal["auto", "none", "present"]
# Clerk's social connection providers (the strategy is oauth_<provider>).
SocialProvider = Literal[
    "google", "github", "microsoft", "apple", "gitlab", "discord", "linkedin", "facebook",
    "twitter", "slack", "bitbucket", "atlassian", "notion", "linear", "spotify", "twitch",
    "tiktok", "dropbox", "box", "coinbase", "hubspot", "huggingface", "line", "xero",
]
Passwordless = Literal["email_code", "email_link", "sms_code"]
MfaPref = Literal["auto", "off", "optional", "required"]
# Every event Clerk delivers through webhooks (@clerk/backend Webhooks.d.ts).
WebhookEvent = Literal[
    "user.created", "user.updated", "user.deleted",
    "session.created", "session.ended", "session.removed", "session.revoked",
    "email.created", "sms.created",
    "organization.created", "organization.updated", "organization.deleted",
    "organizationDomain.created", "organizationDomain.updated", "organizationDomain.deleted",
    "organizationMembership.created", "organizationMembership.updated", "organizationMembership.deleted",
    "organizationInvitation.created", "organizationInvitation.accepted", "organizationInvitation.revoked",
    "role.created", "role.updated", "role.deleted",
    "permission.created", "permission.updated", "permission.deleted",
    "waitlistEntry.created", "waitlistEntry.updated",
    "paymentAttempt.created", "paymentAttempt.updated",
    "subscription.created", "subscription.updated", "subscription.active", "subscription.pastDue",
    "subscriptionItem.created", "subscriptionItem.updated", "subscriptionItem.active",
    "subscriptionItem.canceled", "subscriptionItem.upcoming", "subscriptionItem.ended",
    "subscriptionItem.abandoned", "subscriptionItem.incomplete", "subscriptionItem.pastDue",
    "subscriptionItem.freeTrialEnding",
]

# Where users come from (`migrate convert --from` has the same names, plus clerk-json for
# `custom`: an export of your own written in the format of Clerk's migration tool).
MigrationSource = Literal["none", "auth0", "firebase", "supabase", "cognito", "authjs", "django", "keycloak", "custom"]
# Clerk's password hashers, exactly the importer's list (advisor/migrate/hashers.py; a test
# keeps the two equal), plus unknown (not found out yet) and none (no hashes to move).
PasswordHashes = Literal[
    "unknown", "none", "bcrypt", "bcrypt_sha256_django", "bcrypt_peppered", "md5", "md5_salted", "sha256",
    "sha256_salted", "pbkdf2_sha1", "pbkdf2_sha256", "pbkdf2_sha256_django", "pbkdf2_sha512", "pbkdf2_sha512_hex",
    "phpass", "md5_phpass", "ldap_ssha", "scrypt_firebase", "scrypt_werkzeug", "argon2i", "argon2id",
    "sha512_symfony", "awscognito", "hmac_sha256_utf16_b64",
]
Cutover = Literal["auto", "big_bang", "trickle"]

# Events Clerk sends only for organizations: not offered while organizations are off.
ORGANIZATION_EVENTS = tuple(e for e in get_args(WebhookEvent) if e.split(".")[0] in (
    "organization", "organizationDomain", "organizationMembership", "organizationInvitation", "role", "permission"))

PROJECT_NAME_PATTERN = r"^[a-z][a-z0-9-]{0,63}$"


def when(**cond: Any) -> dict[str, Any]:
    """Metadata: ask this question only when a sibling or other field has a value.

    Keys are dotted field paths; a value is either the required value or a dict
    `{"not": value}` / `{"in": [...]}`. All must hold; `when_any` takes several such
    conditions of which one must.
    """
    return {"when": cond}


# Metadata of a section: it may be left out of the file, and a document (a snapshot, the
# requirements digest) leaves it out while it holds only its defaults, so files written
# before the section existed keep their meaning and their digest.
OPTIONAL_SECTION: dict[str, Any] = {"optional": True}

def when_any(*conds: dict[str, Any]) -> dict[str, Any]:
    """Metadata: ask this question when any of the `when` conditions holds."""
    return {"when": {"any": [c["when"] for c in conds]}}


ORGS_ON = when(**{"tenancy.organizations": {"not": "none"}})


# Metadata: the enum's values are ordered as its Literal lists them (weakest first), so
# rules may compare them with gte / lte.
ORDERED: dict[str, Any] = {"ordered": True}


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    @field_validator("*")
    @classmethod
    def _no_duplicates(cls, value: Any) -> Any:
        """Every list in the file is a set of choices: an item listed twice is a mistake."""
        if isinstance(value, list):
            no_duplicates(value)
        return value


class Project(_Section):
    """What the project is called; the name appears in generated code and file names."""

    name: str = Field(
        "acme",
        title="Project name",
        description="What is the project called? (1-64 characters of a-z, 0-9 and -, starting with a letter)",
        pattern=PROJECT_NAME_PATTERN,
    )


class Platforms(_Section):
    """Where people sign in (web, mobile, a browser extension) and which backends verify them."""

    web: Platform = Field("nextjs", title="Web framework", description="Which web front end does the app have?")
    nextjs_version: Literal[15, 16] = Field(
        16, title="Next.js version",
        description="Which major version of Next.js? (16 uses proxy.ts, 15 uses middleware.ts)",
        json_schema_extra=when(**{"platforms.web": "nextjs"}),
    )
    mobile: list[Mobile] = Field([], title="Mobile apps", description="Which mobile apps sign users in?")
    chrome_extension: bool = Field(
        False, title="Chrome extension",
        description="Is there a Chrome extension that needs the user's session?",
    )
    backends: list[Backend] = Field(
        [], title="Backends",
        description="Which separate backend services verify Clerk tokens?",
    )


class Users(_Section):
    """Who signs in, how many, and where."""

    expected_mau: int = Field(
        1000, ge=0, le=MAX_MAU, title="Monthly active users",
        description="How many monthly active users do you expect in the first year?",
    )
    regions: list[Region] = Field(
        ["global"], min_length=1, title="Regions",
        description="Where are your users? (global, or the regions they are in)",
        json_schema_extra={"check": "regions"},
    )

    @field_validator("regions")
    @classmethod
    def _regions(cls, regions: list[str]) -> list[str]:
        return check_regions(regions)


class Tenancy(_Section):
    """Whether users belong to organizations (teams, customers) and how those are managed."""

    organizations: OrgMode = Field(
        "none", title="Organizations", json_schema_extra=ORDERED,
        description="Do users work inside organizations? (none; optional, with personal accounts; required, "
                    "every session in an org)",
    )
    users_in_many_orgs: bool = Field(
        False, title="Users in many orgs", description="Can one user belong to several organizations?",
        json_schema_extra={**ORGS_ON},
    )
    enterprise_sso: bool = Field(
        False, title="Enterprise SSO",
        description="Do customers bring their own SAML or OIDC identity provider (Okta, Entra ID, Google Workspace), "
                    "or staff sign in through the company's?",
        # Staff of an internal tool sign in through the company IdP without organizations.
        json_schema_extra=when_any(ORGS_ON, when(audience="internal")),
    )
    domain_auto_join: bool = Field(
        False, title="Domain auto-join",
        description="Should people with a verified company email domain join that company's organization "
                    "automatically?",
        json_schema_extra={**ORGS_ON},
    )
    custom_roles: list[str] = Field(
        [], title="Custom roles",
        description="Which roles beyond admin and member do organizations need? (keys like billing, viewer; they "
                    "become org:billing, org:viewer; writing the org: yourself is allowed)",
        json_schema_extra={**ORGS_ON, "check": "role_keys"},
    )

    @field_validator("custom_roles")
    @classmethod
    def _role_keys(cls, roles: list[str]) -> list[str]:
        return role_keys(roles)


class ThreatModel(_Section):
    """How bad a stolen account would be, and which attacks you expect."""

    impact: Impact = Field(
        "auto", title="Impact of a compromised account", json_schema_extra=ORDERED,
        description="How bad is a compromised account? (NIST SP 800-63-4 impact: low, moderate, high; auto "
                    "derives it from the answers below)",
    )
    data_sensitivity: Sensitivity = Field(
        "internal", title="Data sensitivity", json_schema_extra=ORDERED,
        description="What is the most sensitive data a signed-in user can reach?",
    )
    compliance: list[Compliance] = Field([], title="Compliance", description="Which compliance regimes apply?")
    threats: list[Threat] = Field([], title="Threats", description="Which attacks do you expect or have you seen?")
    privileged_users: bool = Field(
        False, title="Privileged users",
        description="Are there admins or staff with elevated access to other users' data?",
    )
    personal_data: PersonalData = Field(
        "auto", title="Personal data in accounts",
        description="Does a signed-in account expose personal information beyond what sign-in needs, such as "
                    "addresses, orders, payments, messages or documents? (none; present; auto: not stated)",
    )
    pci_scope: PciScope = Field(
        "auto", title="PCI DSS scope of the people who sign in",
        description="Only read with pci-dss: are the people who sign in staff with access to cardholder data "
                    "(PCI DSS Requirement 8 applies to them) or cardholders paying by card (it does not)? "
                    "(auto: cardholders for b2c, staff for b2b and internal)",
    )


class Preferences(_Section):
    """Your wishes. Rules may override them when a standard requires it, and say so."""

    passwords: PasswordPref = Field(
        "allowed", title="Passwords",
        description="Should users be able to sign in with a password?",
    )
    social_providers: list[SocialProvider] = Field(
        [], title="Social sign-in",
        description="Which social sign-in providers should be offered?",
    )
    passwordless: list[Passwordless] = Field(
        [], title="Passwordless",
        description="Which one-time code or link methods should be offered?",
    )
    passkeys: bool = Field(
        True, title="Passkeys",
        description="Offer passkeys (phishing-resistant, device-bound or synced)?",
    )
    mfa: MfaPref = Field(
        "auto", title="Multi-factor authentication", json_schema_extra=ORDERED,
        description="Should a second factor be off, optional or required? (auto lets the advisor decide from the "
                    "threat model)",
    )
    session_max_lifetime_hours: int | None = Field(
        None, ge=1, le=8760, title="Maximum session lifetime (hours)",
        description="Longest a session may last, in hours (empty lets the advisor decide)",
    )
    multi_session: bool = Field(
        False, title="Multi-session",
        description="May one browser be signed in to several accounts at once?",
    )
    sms_second_factor: bool = Field(
        False, title="SMS second factor",
        description="Offer SMS codes as a second factor? (a restricted authenticator in NIST SP 800-63B-4 and a paid "
                    "Clerk feature; never offered at AAL2 and above)",
    )


class Integrations(_Section):
    """How other software talks to your app through Clerk."""

    m2m: bool = Field(
        False, title="Machine-to-machine",
        description="Do your own services call each other and need to prove who they are (M2M tokens)?",
    )
    api_keys: bool = Field(
        False, title="API keys",
        description="Do your users call your API with keys they create themselves?",
    )
    webhooks: list[WebhookEvent] = Field(
        [], title="Webhook events",
        description="Which Clerk events should your backend receive by webhook?",
        json_schema_extra={"choices_when": {event: ORGS_ON["when"] for event in ORGANIZATION_EVENTS}},
    )
    billing: bool = Field(False, title="Billing", description="Will you use Clerk Billing for plans and subscriptions?")


_MIGRATING = when(**{"migration.from": {"not": "none"}})


class Migration(_Section):
    """Moving existing users from another auth system into Clerk: the plan (strategy, passwords,
    old ids, MFA, cut-over) and the traps of the source. Leave `from` at none when there is
    nothing to move."""

    from_: MigrationSource = Field(
        "none", alias="from", title="Migrating from",
        description="Do existing users move from another auth system? (none: a new user base; custom: your own "
                    "system, exported in the format of Clerk's migration tool)",
    )
    users: int = Field(
        0, ge=0, le=MAX_MAU, title="Accounts to move", json_schema_extra=_MIGRATING,
        description="How many accounts will you import? (sets the import time and the development-instance check)",
    )
    password_hashes: PasswordHashes = Field(
        "unknown", title="Password hashes",
        description="Which password hashes can you export, named as Clerk's hasher? (unknown: not found out yet; "
                    "none: no hashes, e.g. a password-less system or a provider that keeps them)",
        json_schema_extra=when(**{"migration.from": {"in": [
            "auth0", "firebase", "supabase", "authjs", "django", "keycloak", "custom"]}}),
    )
    mfa_enrolled: bool = Field(
        False, title="MFA enrolled", json_schema_extra=_MIGRATING,
        description="Have users enrolled an authenticator app (TOTP) or backup codes that should carry over?",
    )
    social_accounts: bool = Field(
        False, title="Social accounts", json_schema_extra=_MIGRATING,
        description="Do users sign in with social providers (Google, GitHub, ...) in the old system?",
    )
    cutover: Cutover = Field(
        "auto", title="Cut-over",
        description="How should users switch? (big_bang: import everyone, then switch at once; trickle: both "
                    "systems run and users move as they sign in; auto: the advisor decides)",
        json_schema_extra=_MIGRATING,
    )


class RequirementsModel(_Section):
    """clerk-requirements.yaml, schema 1: the contract. The loader validates files with the
    table generated from this model (contract.py) and builds the light `Requirements`
    value; this model validates when that table finds a problem, for its exact message,
    and drives `ask`."""

    schema_: Literal[1] = Field(
        1, alias="schema", title="Schema version",
        description="Version of this file's format",
    )
    project: Project = Project()
    platforms: Platforms = Platforms()
    audience: Audience = Field(
        "b2c", title="Audience",
        description="Who signs in? (b2c: consumers; b2b: people at customer companies; internal: your own staff)",
    )
    users: Users = Users()
    tenancy: Tenancy = Tenancy()
    threat_model: ThreatModel = ThreatModel()
    preferences: Preferences = Preferences()
    integrations: Integrations = Integrations()
    migration: Migration = Field(Migration(), json_schema_extra=OPTIONAL_SECTION)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, validate_default=True)

    @field_validator("schema_", mode="before")
    @classmethod
    def _schema_is_a_number(cls, value: Any) -> Any:
        # pydantic lets True through for Literal[1] (True == 1); the file means a number.
        if isinstance(value, bool):
            raise ValueError(f"schema must be the number {SCHEMA_VERSION}, not {str(value).lower()}")
        return value


SECTIONS: tuple[str, ...] = (
    "project", "platforms", "audience", "users", "tenancy", "threat_model", "preferences", "integrations",
    "migration",
)
