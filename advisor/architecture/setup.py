"""Decisions -> the steps of CLERK_SETUP.md: what clerk-config.json cannot carry.

Session settings, lockout, Device Trust, role definitions, enterprise connections, webhook
endpoints, machines, OAuth credentials, plan upgrades, production keys and the move of
another system's users: each a dashboard, CLI or API step that says why it matters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from advisor.architecture.clerk_config import provider_key
from advisor.markdown import code
from advisor.values import duration

if TYPE_CHECKING:
    from advisor.architecture.model import Architecture

Value = Callable[[str], Any]


def _lits(values: Sequence[str]) -> str:
    """User-derived names inside markdown prose: code spans, which render no markup or HTML."""
    return ", ".join(code(v) for v in values) if values else "none"


class SetupStep(NamedTuple):
    """A dashboard or API step that clerk-config.json cannot carry.

    Title, why and how are markdown written here (CLERK_SETUP.md shows them as they are):
    every value from the requirements or the decisions goes in through `_lits` (a code
    span), never as bare text."""

    title: str
    why: str
    how: str


def setup_steps(arch: Architecture) -> list[SetupStep]:
    """Every step, in the order a person does them: settings first, then plan checks, then
    moving the users of another system in (on the configured production instance)."""
    return _settings_steps(arch) + _plan_steps(arch.value) + [SetupStep(
        "Use production keys in production",
        "A production deployment running on a development instance (pk_test_/sk_test_) has development-grade "
        "limits and settings.",
        "Create the production instance, point DNS as the dashboard says, and give the production deployment "
        "pk_live_/sk_live_ keys from your secret store (`clerk env pull --instance prod --file .env.production` "
        "writes them to a file git ignores: move them to the secret store, then delete it; never commit them).",
    )] + migration_steps(arch)


def _settings_steps(arch: Architecture) -> list[SetupStep]:
    value, req = arch.value, arch.requirements
    steps: list[SetupStep] = [_session_step(value)]
    attempts = value("auth.lockout.max_attempts")
    if attempts:
        minutes = value("auth.lockout.duration_minutes") or 60
        steps.append(SetupStep(
            "Set the account lockout",
            "Failed attempts must be limited (NIST SP 800-63B-4 3.2.2); no Clerk source seen by the advisor names the "
            "lockout keys of clerk-config.json, so this is a Dashboard step.",
            f"Dashboard, attack protection settings, user lockout: on, {attempts} attempts, "
            f"{minutes} minutes. It counts failed passwords, codes, TOTP and backup codes alike; leave it "
            "time-limited, since an indefinite lockout turns every run of failed attempts into a support ticket.",
        ))
    if value("auth.passwords.breach_check"):
        steps.append(SetupStep(
            "Reject compromised passwords on sign-in too",
            "clerk-config.json turns on the breached-password check for new passwords (disable_hibp: false); "
            "checking at sign-in as well catches passwords that leaked after they were set.",
            "Dashboard > User & authentication > Password: turn on \"Reject compromised passwords\" for sign-in "
            "as well as sign-up, if your instance offers it.",
        ))
    if value("auth.mfa.policy") in ("optional", "required"):
        steps.append(SetupStep(
            "Write the MFA reset runbook",
            "A lost second factor must not become a bypass (ASVS 5.0 6.4.3 and 6.4.4): support resets MFA only "
            "after proving the person's identity as strongly as at enrolment.",
            "Users recover with their backup codes first. Otherwise support checks identity (not by email or phone "
            "alone), resets MFA (Dashboard > Users > the user, or Backend API DELETE /v1/users/{user_id}/mfa), "
            "revokes the user's other sessions and emails the user. Record who did it and why.",
        ))
    if value("auth.device_trust"):
        steps.append(SetupStep(
            "Turn on Device Trust",
            "The first defence against credential stuffing: a password sign-in from a device Clerk has not seen for "
            "that user must pass a second verification. Its clerk-config.json key is not confirmed, so it is a "
            "Dashboard step.",
            "Dashboard: turn on Device Trust (Clerk docs: https://clerk.com/docs/guides/secure/device-trust). "
            "Custom sign-in flows must handle the needs_client_trust status.",
        ))
    if value("auth.enumeration_protection"):
        steps.append(SetupStep(
            "Turn on user enumeration protection",
            "ASVS level 3 (6.3.8): failed sign-in, sign-up and recovery must not reveal whether an account exists. "
            "The setting's clerk-config.json key is not confirmed.",
            "In the Dashboard's attack protection settings, turn on user enumeration protection (Clerk reports it "
            "as attack_protection.enumeration_protection), then check that custom flows show the same message for "
            "known and unknown identifiers.",
        ))
    if value("auth.legal_consent"):
        steps.append(SetupStep(
            "Turn on legal consent at sign-up",
            "Users accept your terms and privacy policy at sign-up and Clerk records when (GDPR art. 7 and 13). "
            "The setting's clerk-config.json key is not confirmed.",
            "In the Dashboard, require legal consent at sign-up and set the URLs of your terms of service and "
            "privacy policy; `<SignUp />` then shows the checkbox (Clerk reports the setting as "
            "`sign_up.legal_consent_enabled`).",
        ))
    factors = value("auth.first_factors") or []
    methods = value("auth.mfa.methods") or []
    if "phone_code" in factors or "phone_code" in methods:
        regions = [r for r in req.users.regions if r != "us"]
        steps.append(SetupStep(
            "Set the SMS country allowlist",
            "Clerk sends SMS only to allowed countries, US and Canada at first; every extra country adds cost and "
            "room for SMS pumping fraud.",
            "Dashboard > User & authentication > Phone: allow exactly the countries of your users"
            + (f" (users.regions also lists {_lits(regions)})." if regions else "."),
        ))
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
            "then add the roles to the default role set.",
        ))
    if value("orgs.domains"):
        steps.append(SetupStep(
            "Set the default role of verified-domain members",
            "People who join through a verified domain should get the least privilege; the config key for the "
            "default role is not confirmed (the Backend API takes a role id).",
            "Dashboard > Organizations > Settings > Verified domains: default role `org:member`. A domain an "
            "organization uses for its enterprise connection cannot also be one of its verified domains.",
        ))
    if value("sso.enterprise"):
        steps.append(SetupStep(
            "Set up enterprise connections",
            "SAML and OIDC connections are per-customer resources, not instance settings.",
            "Dashboard > Configure > Enterprise connections (or the Backend API /enterprise_connections): one "
            "connection per IdP, attached to its organization where there is one, with its domain; turn on "
            "Directory Sync (SCIM) so leavers lose access.",
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
    if value("billing.enabled"):
        steps.append(SetupStep(
            "Connect a payment provider and create the plans",
            "clerk-config.json turns Clerk Billing on; plans, features and the payment provider are set up in the "
            "Dashboard.",
            "Dashboard > Billing: connect the payment provider for production, create the plans and features, and "
            "gate them on the server with has({ plan }) / has({ feature }).",
        ))
    if req.platforms.chrome_extension:
        steps.append(SetupStep(
            "Allow the Chrome extension's origin",
            "Clerk and your backend reject tokens from origins they do not expect; the extension's origin is "
            "`chrome-extension://<extension id>`, stable only with a fixed manifest key.",
            "Fix the ID with the \"key\" field of manifest.json, then add the origin to the instance (Backend API: "
            "`curl -X PATCH https://api.clerk.com/v1/instance -H \"Authorization: Bearer $CLERK_SECRET_KEY\" "
            "-H \"Content-Type: application/json\" "
            "-d '{\"allowed_origins\": [\"chrome-extension://<extension id>\"]}'`, "
            "listing your other allowed origins too) and to authorizedParties in your backend. For a shared "
            "session, set syncHost on the extension's ClerkProvider.",
        ))
    return steps


def _session_step(value: Value) -> SetupStep:
    lifetime = value("session.max_lifetime_seconds") or 604800
    idle = value("session.inactivity_timeout_seconds")
    multi = bool(value("session.multi_session"))
    paid = []
    if lifetime != 604800:
        paid.append("a custom maximum lifetime")
    if idle:
        paid.append("the inactivity timeout")
    plan = (f" {' and '.join(paid).capitalize()} need a paid plan in production; without it Clerk keeps a 7-day "
            "lifetime and no inactivity timeout." if paid else "")
    return SetupStep(
        "Set the session lifetime, idle timeout and multi-session",
        "Clerk's docs say these cannot be changed via the CLI, so clerk-config.json does not carry them; set them "
        "on both instances." + plan,
        f"Dashboard > Sessions: maximum lifetime {duration(lifetime, words=True)}; inactivity timeout "
        + (duration(idle, words=True) if idle else "off") + "; multi-session handling "
        + ("on" if multi else "off") + ".",
    )


def _plan_steps(value: Value) -> list[SetupStep]:
    """One step per paid feature the architecture turns on (Clerk's docs, clerk-facts.md)."""
    factors = value("auth.first_factors") or []
    methods = value("auth.mfa.methods") or []
    pricing = "Compare https://clerk.com/pricing before launch."
    paid: list[tuple[bool, str, str]] = [
        ("passkey" in factors, "passkeys",
         "Passkeys are a paid feature in production instances."),
        ("phone_code" in factors or "phone_code" in methods, "SMS codes",
         "SMS sign-in and SMS second factors are paid, and each message is charged by country."),
        (value("auth.mfa.policy") in ("optional", "required"), "multi-factor authentication",
         "The advisor has no checked source on whether MFA is included in your plan; confirm it before relying "
         "on \"Require multi-factor authentication\"."),
        (bool(value("session.inactivity_timeout_seconds"))
         or value("session.max_lifetime_seconds") not in (None, 604800), "custom session settings",
         "A custom maximum lifetime and the inactivity timeout are paid features in production."),
        (bool(value("sso.enterprise")), "enterprise SSO",
         "Enterprise connections are free in development and need a paid plan in production; self-serve SSO "
         "needs the Pro or Business plan plus the B2B Authentication add-on."),
        (bool(value("orgs.enabled")), "Organizations",
         "Organizations are billed per monthly retained organization beyond the included ones; members per "
         "organization are capped (5 by default, up to 20 without the B2B Authentication add-on)."),
        (any(r not in ("org:admin", "org:member") for r in value("orgs.roles") or []), "custom roles",
         "Custom roles are free in development but need the B2B Authentication add-on in production."),
        (bool(value("m2m.enabled")), "M2M tokens",
         "M2M tokens are charged per token created and per verification beyond the free monthly amounts."),
        (bool(value("api_keys.enabled")), "API keys",
         "API keys are charged per key created and per verification beyond the free monthly amounts."),
        (bool(value("billing.enabled")), "Clerk Billing",
         "Clerk Billing charges its own fee on top of the payment provider's."),
        (bool(value("auth.device_trust")), "Device Trust",
         "The advisor has no checked source on which plans include Device Trust."),
        (bool(value("auth.enumeration_protection")), "user enumeration protection",
         "The advisor has no checked source on which plans include user enumeration protection."),
    ]
    return [SetupStep(f"Plan: check the cost of {name}", why,
                      "Dashboard > Billing (of your Clerk account): confirm the plan or add-on covers it in "
                      "production. " + pricing)
            for on, name, why in paid if on]


# ---------------------------------------------------------------- migration

# `migrate convert` per requirements source: (--from, an example export file name).
_CONVERT_SOURCE = {
    "auth0": ("auth0", "users-export.json"), "firebase": ("firebase", "users.json"),
    "supabase": ("supabase", "auth-users.json"), "cognito": ("cognito", "list-users.json"),
    "authjs": ("authjs", "users.json"), "django": ("django", "auth_user.json"),
    "keycloak": ("keycloak", "realm-export.json"), "custom": ("clerk-json", "users.json"),
}
# What convert needs to carry passwords, when they move as digests (or Cognito's reference).
_PASSWORD_INPUT = {"auth0": " --hashes auth0-hashes.json", "firebase": " --hash-config firebase-hash-config.json",
                   "cognito": " --hash-config cognito.json"}
DEV_STATE = ".clerk-advisor/migrations/development"
PROD_STATE = ".clerk-advisor/migrations/production"


def convert_command(source: str, passwords: str | None, mfa: str | None) -> str:
    """The `migrate convert` command line for a planned migration."""
    name, export = _CONVERT_SOURCE[source]
    command = f"clerk-advisor migrate convert --from {name} {export}"
    if passwords in ("digest", "awscognito"):
        command += _PASSWORD_INPUT.get(source, "")
    else:
        command += " --no-passwords"
    if source == "supabase" and mfa == "totp_secrets":
        command += " --mfa mfa-factors.json"
    return command + " -o users.jsonl"


def _decided(arch: Architecture, key: str) -> Any:
    """A decision of the optional migration plan, or None when the architecture has none."""
    return arch.value(key) if key in arch.decisions else None


def migration_steps(arch: Architecture) -> list[SetupStep]:
    """The migration plan as steps, in order: rehearse, import, (trickle), organizations,
    switch. None unless the requirements plan a migration and the pack decided it."""
    from advisor.architecture.migration import ImportEstimate, about, production_rate
    from advisor.migrate.instance import DEV_USER_CAP

    plan = arch.requirements.migration
    strategy = _decided(arch, "migration.strategy")
    if plan.from_ == "none" or strategy is None:
        return []
    passwords = _decided(arch, "migration.passwords")
    mfa = _decided(arch, "migration.mfa")
    convert = convert_command(plan.from_, passwords, mfa)
    steps: list[SetupStep] = []
    if _decided(arch, "migration.external_id_claim"):
        steps.append(SetupStep(
            "Migration: return the old user id in the session token",
            "Imported users keep their old id as external_id; with this claim your tables and code keep using it, "
            "and users who sign up later get their Clerk id.",
            "Dashboard > Sessions > Customize session token: add `{\"userId\": \"{{user.external_id || user.id}}\"}` "
            "on both instances, and read `sessionClaims.userId` where the code used the old id. Clerk's docs write "
            "user.external_id and its migration tool user.externalId: decode the session token of an imported user "
            "in the rehearsal below to see which one works.",
        ))
    spot_check = passwords in ("digest", "awscognito")
    spot = (" --spot-check spot-check.jsonl" if spot_check else "")
    spot_note = ("`spot-check.jsonl` holds one test account per password hasher whose password you know, as "
                 "`{\"external_id\": \"...\", \"password\": \"...\"}`: Clerk verifies it on a throwaway copy"
                 if spot_check else "There are no password digests to spot-check")
    sliced = plan.users == 0 or plan.users > DEV_USER_CAP
    rehearsal = "rehearsal.jsonl" if sliced else "users.jsonl"
    steps.append(SetupStep(
        "Migration: convert the export and rehearse in development",
        f"A development instance holds {DEV_USER_CAP} users, and users cannot be moved from development to "
        "production: rehearse there, undo it, and import for real into production only.",
        "\n".join([
            f"1. `{convert}`; read the summary and `users.rejected.jsonl` (each rejected user with its reason).",
            f"2. With the development key (`sk_test_...` in `CLERK_SECRET_KEY`): `clerk-advisor migrate import "
            f"users.jsonl --dry-run{spot} --state {DEV_STATE}`. {spot_note}"
            + ("; the dry run also says the whole file does not fit the development cap, which is expected."
               if sliced else "."),
            ("3. `head -n 100 users.jsonl > rehearsal.jsonl`, then " if sliced else "3. ")
            + f"`clerk-advisor migrate import {rehearsal} --state {DEV_STATE}` and `clerk-advisor migrate status "
            f"--state {DEV_STATE}`; sign in as one of them in your development app.",
            f"4. `clerk-advisor migrate rollback --state {DEV_STATE} --yes` deletes exactly the users the rehearsal "
            "created.",
        ]),
    ))
    seconds = ImportEstimate(plan.users, production_rate()).seconds
    estimate = f" At the default rate, {plan.users:,} users take {about(seconds)}." if plan.users > 0 else ""
    steps.append(SetupStep(
        "Migration: import the users into production",
        "Each user is created once with CreateUser and journaled; the import shares the instance's Backend API "
        "limit with your live app." + estimate,
        "\n".join([
            f"1. With the production key (`sk_live_...`): `clerk-advisor migrate import users.jsonl --dry-run{spot} "
            f"--state {PROD_STATE}{' --yes' if spot_check else ''}` (who is there already, who would conflict"
            + ("; --yes because the spot check creates and deletes a throwaway user)." if spot_check else ")."),
            f"2. `clerk-advisor migrate import users.jsonl --state {PROD_STATE} --yes` (add `--rate 50` while the "
            "app is busy). Stop it any time; the same command resumes.",
            f"3. `clerk-advisor migrate status --state {PROD_STATE}`: fix or convert again what failed (each "
            "failure has Clerk's error code in `failures.jsonl`) and import again; `id-map.csv` maps old ids to "
            "Clerk ids.",
            f"4. To undo: `clerk-advisor migrate rollback --state {PROD_STATE} --yes` deletes exactly the users "
            "this import created, never users that were there before.",
        ]),
    ))
    if strategy == "trickle":
        steps.append(SetupStep(
            "Migration: move users as they sign in",
            "In a trickle migration both systems run; Clerk has no lazy-migration hook, so the app moves each user.",
            "Keep sign-in on the old system; after it accepts a user, create them in Clerk (CreateUser with "
            "external_id, every identifier with its verification status"
            + {"on_sign_in": " and the password just checked", "digest": " and the password digest with its hasher",
               "awscognito": " and the awscognito digest"}.get(passwords or "", "") + "), then sign them in to "
            "Clerk, for instance with a sign-in token (POST /v1/sign_in_tokens; using it for this is the advisor's "
            "reading, not Clerk guidance). "
            "Run the import above at the end of the trickle for everyone who has not signed in (users already in "
            "Clerk are skipped by external_id), then switch.",
        ))
    elif strategy == "import_then_trickle":
        steps.append(SetupStep(
            "Migration: mirror changes until the switch",
            "The import runs while the old system still serves, so sign-ups and changes made after the export "
            "would be lost.",
            "From the export until the switch, have the old system's sign-up, password-change and email-change "
            "handlers also create or update the Clerk user (matched by external_id). At the switch, export and "
            f"convert again and run the same import (`--state {PROD_STATE}`): users already in Clerk are skipped.",
        ))
    if _decided(arch, "orgs.enabled"):
        steps.append(SetupStep(
            "Migration: create the organizations and memberships",
            "`migrate import` moves users only; organizations have no external_id, so the old id goes into their "
            "private metadata.",
            "For each old organization: POST /v1/organizations (name, slug, created_by, private_metadata with the "
            "old id), then POST /v1/organizations/{id}/memberships (user_id from `id-map.csv`, role). Raise the "
            "membership limit first where an organization has more members than it allows.",
        ))
    switch = {
        "digest": "users sign in with the password they had",
        "awscognito": "users sign in with the password they had, which Clerk checks against Cognito once: keep the "
                      "user pool and its app client until they have signed in",
        "reset": "users who had a password choose a new one (tell them beforehand)",
        "on_sign_in": "users who moved during the trickle sign in with their password; the others reset it",
        "dropped": "users sign in with the new methods under the same email",
    }.get(passwords or "", "users sign in again")
    steps.append(SetupStep(
        "Migration: switch sign-in to Clerk",
        "The old system's sessions end at the switch: everyone signs in again.",
        f"Announce the date; switch at a quiet hour; then {switch}"
        + ("; those who had a second factor set it up again" if mfa == "re_enroll" else "")
        + ". Keep the old system read-only, not deleted, until `migrate status` shows every user in Clerk.",
    ))
    return steps
