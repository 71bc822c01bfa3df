"""Attaching current Clerk docs (Context7) to a recommendation. Docs never decide a value.

One question per decision area, asked only for areas the architecture uses. The records
go into the snapshot (library id, query, digest, source URLs and the short excerpts the
report shows), so `diff` can say "docs changed". Two kinds of findings come out: areas
left without docs, and a Clerk SDK whose docs show a newer major version than the
recommendation targets.
"""

from __future__ import annotations

import re
import sys
from typing import Any


DOCS_FINDING_PREFIX = "docs."


def questions(values: dict[str, Any]) -> dict[str, str]:
    q = {
        "auth": "Clerk sign-in options: passwords, passkeys, email codes, social connections and "
                "requiring multi-factor authentication",
        "session": "Clerk session options: maximum lifetime, inactivity timeout and multi-session",
        "sdk": "Install Clerk in a Next.js App Router app with @clerk/nextjs: clerkMiddleware in proxy.ts, "
               "auth.protect and the Show component",
    }
    if values.get("orgs.enabled"):
        q["orgs"] = "Clerk organizations: custom roles and permissions, verified domains, membership required, " \
                    "auth.protect with a permission"
    if values.get("sso.enterprise"):
        q["sso"] = "Clerk enterprise connections (SAML and OIDC) for organizations"
    if values.get("m2m.enabled"):
        q["m2m"] = "Clerk M2M tokens: create and verify with acceptsToken m2m_token and a machine secret key"
    if values.get("api_keys.enabled"):
        q["api_keys"] = "Clerk API keys: the APIKeys component and verifying with acceptsToken api_key"
    if values.get("webhooks.events"):
        q["webhooks"] = "Clerk webhooks: verifyWebhook and syncing Clerk data to your database"
    return q


def target_majors(values: dict[str, Any]) -> dict[str, int]:
    """Major versions the recommendation targets, from sdk.packages ("@clerk/nextjs@^7.9.17")."""
    out: dict[str, int] = {}
    for spec in (values.get("sdk.packages") or {}).values():
        name, _, version = spec.rpartition("@") if spec.count("@") > (1 if spec.startswith("@") else 0) else (spec, "", "")
        match = re.search(r"\d+", version)
        if name and match:
            out[name] = int(match.group())
    return out


def attach(values: dict[str, Any], *, required: bool, offline: bool, quiet: bool,
           settings: Any = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Docs for the decisions `values` (key -> value): (records for the snapshot, extra
    findings). Raises ServiceError only if `required`."""
    from advisor.docs import fetch_docs, newer_majors

    result = fetch_docs(questions(values), offline=offline, quiet=quiet, required=required, settings=settings)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    records = []
    for record in result.records:
        excerpts = result.excerpts.get(record["area"], [])
        records.append({**record, "excerpts": [
            {"title": e.title, "source_url": e.source_url, "quote": e.quote} for e in excerpts
        ]})
    findings: list[dict[str, Any]] = []
    if result.missing_areas:
        findings.append({
            "id": f"{DOCS_FINDING_PREFIX}missing",
            "severity": "info",
            "message": "No current Clerk docs could be attached for: " + ", ".join(sorted(result.missing_areas))
                       + ". The recommendation itself does not depend on them.",
            "rule": "docs.context7",
        })
    for package, (target, seen) in newer_majors(result.sdk_versions, target_majors(values)).items():
        findings.append({
            "id": f"{DOCS_FINDING_PREFIX}newer-major.{package}",
            "severity": "medium",
            "message": f"Current Clerk docs mention {package} {seen}.x; this recommendation and its templates "
                       f"target {target}.x. Read the upgrade guide before starting a new project on {target}.x.",
            "rule": "docs.context7",
        })
    return records, findings
