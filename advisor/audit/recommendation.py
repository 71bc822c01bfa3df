"""The recommendation `check --requirements FILE` audits against.

The one place the audit calls the advisor's core. It returns only what the checks need,
so the core can change shape behind this function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Recommendation:
    source: str  # the requirements file, as given
    organizations_required: bool  # every session must have an active organization (pending otherwise)
    organizations_enabled: bool
    m2m: bool
    api_keys: bool
    clerk_config: dict[str, Any]  # the recommended clerk-config.json document
    # What a pulled instance config should say: clerk-config.json, plus the settings the
    # patch does not carry (lockout, sessions, sign-in breach check), set in the Dashboard.
    settings: dict[str, Any]


def load_recommendation(path: Path, rules: Path | None = None) -> Recommendation:
    """Evaluate the requirements file with the rule pack (the shipped one unless `rules`).
    Bad input raises UserError."""
    from advisor.architecture import recommend
    from advisor.engine import load_pack
    from advisor.requirements import load_requirements
    from advisor.values import plain

    arch = recommend(load_requirements(path), load_pack(rules))
    config = plain(arch.clerk_config)
    return Recommendation(
        source=str(path),
        organizations_required=bool(arch.value("orgs.force_selection")),
        organizations_enabled=bool(arch.value("orgs.enabled")),
        m2m=bool(arch.value("m2m.enabled")),
        api_keys=bool(arch.value("api_keys.enabled")),
        clerk_config=config,
        settings=_merged(config, _dashboard_settings(arch.value)),
    )


def _dashboard_settings(value: Callable[[str], Any]) -> dict[str, Any]:
    """The recommended values of settings that CLERK_SETUP.md sets in the Dashboard, in the
    shape `clerk config pull` reports them."""
    out: dict[str, Any] = {}
    attempts = value("auth.lockout.max_attempts")
    if attempts:
        out["auth_attack_protection"] = {"user_lockout": {
            "enabled": True, "max_attempts": attempts,
            "duration_in_minutes": value("auth.lockout.duration_minutes") or 60}}
    lifetime = value("session.max_lifetime_seconds")
    idle = value("session.inactivity_timeout_seconds")
    session: dict[str, Any] = {"multi_session_enabled": bool(value("session.multi_session"))}
    if lifetime:
        session["maximum_lifetime"] = {"enabled": True, "duration_seconds": lifetime}
    session["inactivity_timeout"] = {"enabled": True, "duration_seconds": idle} if idle else {"enabled": False}
    out["session_settings"] = session
    if value("auth.passwords.breach_check"):
        out["auth_password"] = {"enforce_hibp_on_sign_in": True}
    return out


def _merged(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out
