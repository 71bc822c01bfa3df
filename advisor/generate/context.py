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

from advisor.architecture import Architecture
from advisor.values import plain

DEFAULT_ORIGIN = "http://localhost:3000"


@lru_cache(maxsize=8)
def load_versions(templates_dir: Path, stack: str) -> dict[str, str]:
    """Exact package versions the stack's templates were verified with (templates/STACK/versions.json)."""
    return json.loads((templates_dir / stack / "versions.json").read_text(encoding="utf-8"))


def context_from(arch: Architecture, stack: str, templates_dir: Path) -> dict[str, Any]:
    value = arch.value
    plat = arch.requirements.platforms
    factors = value("auth.first_factors")
    roles = list(value("orgs.roles"))
    permissions = list(value("orgs.permissions"))
    events = list(value("webhooks.events"))
    reverification = value("auth.reverification") or "off"
    orgs = bool(value("orgs.enabled"))
    idle = value("session.inactivity_timeout_seconds")
    features = {
        "next16": plat.web == "nextjs" and plat.nextjs_version == 16,
        "next15": plat.web == "nextjs" and plat.nextjs_version == 15,
        "orgs": orgs,
        "orgs_required": orgs and bool(value("orgs.force_selection")),
        "orgs_domains": orgs and bool(value("orgs.domains")),
        "custom_permissions": orgs and bool(permissions),
        "passkeys": "passkey" in factors,
        "webhooks": bool(events),
        "m2m": bool(value("m2m.enabled")),
        "api_keys": bool(value("api_keys.enabled")),
        "enterprise_sso": bool(value("sso.enterprise")),
        "mfa_required": value("auth.mfa.policy") == "required",
        "reverification": reverification != "off",
        "bot_protection": bool(value("auth.bot_protection")),
        "waitlist": value("auth.sign_up_mode") == "waitlist",
        "billing": arch.requirements.integrations.billing,
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
    config = plain(arch.clerk_config)
    return {
        "project": {"name": arch.requirements.project.name},
        "stack": stack,
        "assurance": arch.assurance,
        "features": features,
        "roles": roles,
        "custom_roles": [r for r in roles if r not in ("org:admin", "org:member")],
        "permissions": permissions,
        "permission_manage": manage,
        "permission_read": read,
        "webhook_events": events,
        "reverification": reverification if reverification != "off" else None,
        "session": {
            "max_lifetime_seconds": value("session.max_lifetime_seconds"),
            "inactivity_timeout_seconds": idle,
        },
        "authorized_parties": [DEFAULT_ORIGIN],
        "versions": load_versions(templates_dir, stack),
        "clerk_config_json": json.dumps(config, indent=2, ensure_ascii=False) + "\n",
        "setup_steps": arch.setup_steps,
        "findings": arch.findings,
        # Context7 excerpts (generate --docs), by decision area; empty without --docs.
        "docs": [r for r in arch.docs if r.excerpts],
        "tool_version": arch.tool_version,
        "rules_version": arch.rules_version,
    }
