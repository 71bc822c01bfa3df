"""Stage 3: an evaluation becomes the Architecture. Pure, but for the clock and (when asked)
the docs, which are fetched before anything is built and never decide a value."""

from __future__ import annotations

from types import MappingProxyType
from typing import NamedTuple

from advisor import __version__
from advisor.architecture.clerk_config import render_clerk_config
from advisor.architecture.migration import plan_findings
from advisor.architecture.model import Architecture, DecisionRecord, Decisions, DocsRecord, freeze
from advisor.engine import DECISIONS, Evaluation, Finding, RulePack, evaluate
from advisor.requirements import Requirements


class DocsRequest(NamedTuple):
    """`--docs`: attach current Clerk docs from Context7 (exit 3 when `required` fails)."""

    required: bool = False
    offline: bool = False
    quiet: bool = False


def now() -> str:
    """UTC, to the microsecond: history is ordered by this time, and two recommendations
    saved within one second must keep their order."""
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def build(ev: Evaluation, pack: RulePack, req: Requirements, *, docs: tuple[DocsRecord, ...] = (),
          extra_findings: tuple[Finding, ...] = (), created_at: str | None = None) -> Architecture:
    # A key only some architectures have (the migration plan) is left out when no rule decided it.
    decisions = Decisions({
        key: DecisionRecord(freeze(d.value), d.reason, tuple(d.rule_ids), tuple(d.refs))
        for key, d in ev.decisions.items() if d.rule_ids or not DECISIONS[key].optional
    })
    return Architecture(
        requirements=req,
        decisions=decisions,
        findings=plan_findings(req, ev) + tuple(extra_findings),
        clerk_config=freeze(render_clerk_config(decisions)),
        docs=docs,
        rules_version=pack.version,
        rule_versions=MappingProxyType({r.id: r.version for r in sorted(pack.rules, key=lambda r: r.id)}),
        created_at=created_at or now(),
        tool_version=__version__,
    )


def recommend(req: Requirements, pack: RulePack, docs: DocsRequest | None = None) -> Architecture:
    """The recommended architecture for `req`, with Context7 excerpts when `docs` is given."""
    arch = build(evaluate(pack, req), pack, req)
    if docs is None:
        return arch
    from advisor.architecture.docs import attach

    return attach(arch, docs)
