"""`recommend --check`: would the current rule pack change the latest recommendation?"""

from __future__ import annotations

from pathlib import Path

from advisor.architecture import build
from advisor.architecture.docs import DOCS_FINDING_PREFIX
from advisor.engine import RulePack, evaluate
from advisor.history.diff import SnapshotDiff, diff_snapshots
from advisor.history.store import load_latest


def drift(pack: RulePack, root: Path | None = None) -> SnapshotDiff:
    """The latest snapshot against its own requirements evaluated with `pack` now.

    Docs are not fetched again: the latest ones, and the findings they raised, are carried
    over, so only the rule pack can cause drift here.
    """
    latest, entry = load_latest(root)
    req = latest.requirements
    carried = tuple(f for f in latest.findings if f.id.startswith(DOCS_FINDING_PREFIX))
    fresh = build(evaluate(pack, req), pack, req, docs=latest.docs, extra_findings=carried)
    return diff_snapshots(latest, fresh, old_label=entry.path.name, new_label=f"rule pack {pack.version} now",
                          reads={r.id: r.reads for r in pack.rules})
