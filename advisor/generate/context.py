"""The template context: everything a template needs, computed once, in Python.

Templates stay declarative: they test `features.X` and loop over prepared lists; they
never derive a security decision themselves. User-supplied strings reach templates raw
and are escaped by the filter of the target language (see render.py).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from advisor.clerk_config import setup_steps
from advisor.requirements import Requirements

DEFAULT_ORIGIN = "http://localhost:3000"


@lru_cache(maxsize=8)
def load_versions(templates_dir: Path, stack: str) -> dict[str, str]:
    """Exact package versions the stack's templates were verified with (templates/STACK/versions.json)."""
    return json.loads((templates_dir / stack / "versions.json").read_text(encoding="utf-8"))


def context_from(snapshot: dict[str, Any], req: Requirements, stack: str, templates_dir: Path) -> dict[str, Any]:
    d = {key: rec["value"] for key, rec in snapshot["decisions"].items()}
    factors = d.get("auth.first_factors") or []
    roles = list(d.get("orgs.roles") or [])
    permissions = list(d.get("orgs.permissions") or [])
    events = list(d.get("webhooks.events") or [])
    reverification = d.get("auth.reverification") or "off"
    orgs = bool(d.get("orgs.enabled"))
    idle = d.get("session.inactivity_timeout_seconds")
    features = {
        "next16": req.platforms.web == "nextjs" and req.platforms.nextjs_version == 16,
        "next15": req.platforms.web == "nextjs" and req.platforms.nextjs_version == 15,
        "orgs": orgs,
        "orgs_required": orgs and bool(d.get("orgs.force_selection")),
        "orgs_domains": orgs and bool(d.get("orgs.domains")),
        "custom_permissions": orgs and bool(permissions),
        "passkeys": "passkey" in factors,
        "webhooks": bool(events),
        "m2m": bool(d.get("m2m.enabled")),
        "api_keys": bool(d.get("api_keys.enabled")),
        "enterprise_sso": bool(d.get("sso.enterprise")),
        "mfa_required": d.get("auth.mfa.policy") == "required",
        "reverification": reverification != "off",
        "bot_protection": bool(d.get("auth.bot_protection")),
        "waitlist": d.get("auth.sign_up_mode") == "waitlist",
        "billing": req.integrations.billing,
        # Clerk's inactivity timeout never fires while an open tab keeps refreshing its
        # token, so the app signs out idle browsers itself (finding session.idle-open-tab).
        "idle_timeout": bool(idle),
    }
    # The permission the starter pages demonstrate: the strongest custom one. System
    # permissions (org:sys_*) never reach the session token, so a server check on one
    # could never pass.
    custom = [p for p in permissions if not p.startswith("org:sys_")]
    manage = next((p for p in custom if p.endswith(":manage")), custom[0] if custom else None)
    read = next((p for p in custom if p.endswith(":read")), manage)
    config = snapshot["clerk_config"]
    return {
        "project": {"name": req.project.name},
        "stack": stack,
        "req": req.to_data(),
        "d": d,
        "assurance": snapshot["assurance"],
        "features": features,
        "roles": roles,
        "custom_roles": [r for r in roles if r not in ("org:admin", "org:member")],
        "permissions": permissions,
        "permission_manage": manage,
        "permission_read": read,
        "webhook_events": events,
        "reverification": reverification if reverification != "off" else None,
        "session": {
            "max_lifetime_seconds": d.get("session.max_lifetime_seconds"),
            "inactivity_timeout_seconds": idle,
        },
        "authorized_parties": [DEFAULT_ORIGIN],
        "versions": load_versions(templates_dir, stack),
        "clerk_config": config,
        "clerk_config_json": json.dumps(config, indent=2, ensure_ascii=False) + "\n",
        "setup_steps": setup_steps(d, req),
        "findings": snapshot["findings"],
        # Context7 excerpts (generate --docs), by decision area; empty without --docs.
        "docs": [r for r in snapshot.get("docs") or [] if r.get("excerpts")],
        "tool_version": snapshot["tool_version"],
        "rules_version": snapshot["rules_version"],
    }
