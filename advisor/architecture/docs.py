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
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from advisor.architecture.model import Architecture, DocsRecord, Excerpt
from advisor.engine.evaluate import Finding

if TYPE_CHECKING:
    from advisor.architecture.build import DocsRequest

DOCS_FINDING_PREFIX = "docs."


def questions(value: Callable[[str], Any]) -> dict[str, str]:
    q = {
        "auth": "Clerk sign-in options: passwords, passkeys, email codes, social connections and "
                "requiring multi-factor authentication",
        "session": "Clerk session options: maximum lifetime, inactivity timeout and multi-session",
        "sdk": "Install Clerk in a Next.js App Router app with @clerk/nextjs: clerkMiddleware in proxy.ts, "
               "auth.protect and the Show component",
    }
    if value("orgs.enabled"):
        q["orgs"] = "Clerk organizations: custom roles and permissions, verified domains, membership required, " \
                    "auth.protect with a permission"
    if value("sso.enterprise"):
        q["sso"] = "Clerk enterprise connections (SAML and OIDC) for organizations"
    if value("m2m.enabled"):
        q["m2m"] = "Clerk M2M tokens: create and verify with acceptsToken m2m_token and a machine secret key"
    if value("api_keys.enabled"):
        q["api_keys"] = "Clerk API keys: the APIKeys component and verifying with acceptsToken api_key"
    if value("webhooks.events"):
        q["webhooks"] = "Clerk webhooks: verifyWebhook and syncing Clerk data to your database"
    return q


def target_majors(value: Callable[[str], Any]) -> dict[str, int]:
    """Major versions the recommendation targets, from sdk.packages ("@clerk/nextjs@^7.9.17")."""
    out: dict[str, int] = {}
    for spec in (value("sdk.packages") or {}).values():
        scoped = spec.startswith("@")
        name, _, version = spec.rpartition("@") if spec.count("@") > (1 if scoped else 0) else (spec, "", "")
        match = re.search(r"\d+", version)
        if name and match:
            out[name] = int(match.group())
    return out


def attach(arch: Architecture, request: DocsRequest, settings: Any = None) -> Architecture:
    """`arch` with current docs for its decisions: records for the snapshot, and findings
    about them. Raises ServiceError only if the request says docs are required."""
    value = arch.value
    from advisor.docs import fetch_docs, newer_majors

    result = fetch_docs(questions(value), offline=request.offline, quiet=request.quiet,
                        required=request.required, settings=settings)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    records = tuple(
        DocsRecord(area=r["area"], library_id=r["library_id"], query=r["query"], type=r["type"], sha256=r["sha256"],
                   source_urls=tuple(r["source_urls"]),
                   excerpts=tuple(Excerpt(e.title, e.source_url, e.quote) for e in result.excerpts.get(r["area"], [])))
        for r in result.records
    )
    findings: list[Finding] = []
    if result.missing_areas:
        findings.append(Finding(
            f"{DOCS_FINDING_PREFIX}missing", "info",
            "No current Clerk docs could be attached for: " + ", ".join(sorted(result.missing_areas))
            + ". The recommendation itself does not depend on them.",
            "docs.context7",
        ))
    for package, (target, seen) in newer_majors(result.sdk_versions, target_majors(value)).items():
        findings.append(Finding(
            f"{DOCS_FINDING_PREFIX}newer-major.{package}", "medium",
            f"Current Clerk docs mention {package} {seen}.x; this recommendation and its templates "
            f"target {target}.x. Read the upgrade guide before starting a new project on {target}.x.",
            "docs.context7",
        ))
    return arch._replace(docs=records, findings=arch.findings + tuple(findings))
