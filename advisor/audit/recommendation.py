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


def load_recommendation(path: Path, rules: Path | None = None) -> Recommendation:
    """Evaluate the requirements file with the rule pack (the shipped one unless `rules`).
    Bad input raises UserError."""
    from advisor.architecture import recommend
    from advisor.engine import load_pack
    from advisor.requirements import load_requirements
    from advisor.values import plain

    arch = recommend(load_requirements(path), load_pack(rules))
    return Recommendation(
        source=str(path),
        organizations_required=bool(arch.value("orgs.force_selection")),
        organizations_enabled=bool(arch.value("orgs.enabled")),
        m2m=bool(arch.value("m2m.enabled")),
        api_keys=bool(arch.value("api_keys.enabled")),
        clerk_config=plain(arch.clerk_config),
    )
