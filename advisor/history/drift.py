"""`recommend --check FILE`: would the current rule pack change FILE's latest recommendation?"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from advisor.architecture import build
from advisor.architecture.docs import DOCS_FINDING_PREFIX
from advisor.engine import RulePack, evaluate
from advisor.history.diff import SnapshotDiff, diff_snapshots
from advisor.history.store import Entry, load_latest


@dataclass(frozen=True)
class Drift:
    diff: SnapshotDiff
    entry: Entry  # the snapshot checked
    chosen: str  # which snapshots it was chosen from, in words


def drift(pack: RulePack, requirements: Path | str | None, root: Path | None = None) -> Drift:
    """The latest snapshot of `requirements` (None: the latest of all) against its own
    saved requirements evaluated with `pack` now.

    Docs are not fetched again: the latest ones, and the findings they raised, are carried
    over, so only the rule pack can cause drift here.
    """
    latest, entry, chosen = load_latest(root, requirements)
    req = latest.requirements
    carried = tuple(f for f in latest.findings if f.id.startswith(DOCS_FINDING_PREFIX))
    fresh = build(evaluate(pack, req), pack, req, docs=latest.docs, extra_findings=carried)
    result = diff_snapshots(latest, fresh, old_label=entry.label, new_label=f"rule pack {pack.version} now",
                            reads={r.id: r.reads for r in pack.rules})
    return Drift(result, entry, chosen)
