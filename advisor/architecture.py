"""Evaluation -> Architecture: the snapshot document that every output is made from.

The snapshot is plain JSON-able data in a fixed key order (DESIGN.md, "Architecture").
`build` does no I/O: the docs are passed in; only the creation time is read.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from advisor import __version__
from advisor.clerk_config import render_clerk_config
from advisor.engine import Decision, Evaluation, evaluate
from advisor.loader import requirements_sha256
from advisor.pack import RulePack
from advisor.requirements import Requirements

SNAPSHOT_SCHEMA = 1


def decision_record(decision: Decision) -> dict[str, Any]:
    return {
        "value": decision.value,
        "reason": decision.reason,
        "rules": decision.rule_ids,
        "refs": decision.refs,
    }


def build(
    req: Requirements,
    pack: RulePack,
    *,
    evaluation: Evaluation | None = None,
    docs: list[dict[str, Any]] | None = None,
    extra_findings: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    ev = evaluation or evaluate(pack, req)
    created = datetime.now(timezone.utc).replace(microsecond=0)
    decisions = {key: decision_record(d) for key, d in ev.decisions.items()}
    values = {key: d.value for key, d in ev.decisions.items()}
    findings = [f.to_data() for f in ev.findings] + list(extra_findings or [])
    return {
        "schema": SNAPSHOT_SCHEMA,
        "created_at": created.isoformat().replace("+00:00", "Z"),
        "tool_version": __version__,
        "rules_version": pack.version,
        "requirements_sha256": requirements_sha256(req),
        "requirements": req.to_data(),
        "assurance": {
            "aal": values["assurance.aal"],
            "asvs_level": values["assurance.asvs_level"],
            "impact": values["assurance.impact"],
        },
        "decisions": decisions,
        "findings": findings,
        "clerk_config": render_clerk_config(values, req),
        "docs": list(docs or []),
        "rule_versions": {rule.id: rule.version for rule in sorted(pack.rules, key=lambda r: r.id)},
    }
