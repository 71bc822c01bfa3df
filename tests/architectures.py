"""Architectures built by hand, with exactly the decision values a test names (the rest
empty) and no rule pack: generated-file tests that must not follow the shipped pack's
current wording or values start here."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from advisor.architecture import Architecture, DecisionRecord, Decisions
from advisor.architecture.clerk_config import render_clerk_config
from advisor.architecture.model import freeze
from advisor.engine import DECISIONS, Finding
from advisor.generate.context import context_from
from advisor.generate.render import default_templates_dir, render
from advisor.requirements import Requirements


def fixed_architecture(req: Requirements, decisions: dict[str, Any],
                       findings: list[dict[str, str]] | None = None) -> Architecture:
    values: dict[str, Any] = {key: spec.empty for key, spec in DECISIONS.items()}
    values.update({"assurance.impact": "low", "assurance.aal": "AAL1", "assurance.asvs_level": 1})
    values.update(decisions)
    records = Decisions({key: DecisionRecord(freeze(value), "test", (), ()) for key, value in values.items()})
    return Architecture(
        requirements=req,
        decisions=records,
        findings=tuple(Finding(f["id"], f["severity"], f["message"], f["rule"]) for f in findings or []),  # type: ignore[arg-type]
        clerk_config=freeze(render_clerk_config(records)),
        docs=(),
        rules_version="test",
        rule_versions=MappingProxyType({}),
        created_at="2026-11-28T00:00:00Z",
        tool_version="0.0.0-test",
    )


def render_stack(stack: str, arch: Architecture) -> dict[str, str]:
    tdir = default_templates_dir()
    return render(stack, context_from(arch, stack, tdir), tdir)
