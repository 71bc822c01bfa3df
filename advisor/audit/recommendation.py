"""The recommendation `check --requirements FILE` audits against.

The one place the audit calls the advisor's core. It returns only what the checks need,
so the core can change shape behind this function.
"""

from __future__ import annotations

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


def load_recommendation(path: Path) -> Recommendation:
    """Evaluate the requirements file with the shipped rule pack. Bad input raises UserError."""
    from advisor.architecture import build
    from advisor.loader import load_requirements
    from advisor.pack import default_pack_dir, load_pack

    req = load_requirements(path)
    snapshot = build(req, load_pack(default_pack_dir()))
    values = {key: record["value"] for key, record in snapshot["decisions"].items()}
    return Recommendation(
        source=str(path),
        organizations_required=bool(values.get("orgs.force_selection")),
        organizations_enabled=bool(values.get("orgs.enabled")),
        m2m=bool(values.get("m2m.enabled")),
        api_keys=bool(values.get("api_keys.enabled")),
        clerk_config=snapshot["clerk_config"],
    )
