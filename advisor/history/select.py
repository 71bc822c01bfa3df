"""What `diff` compares: snapshots named by path or history number, or a requirements file
evaluated now."""

from __future__ import annotations

from pathlib import Path

from advisor.architecture import Architecture, recommend
from advisor.engine import RulePack
from advisor.errors import UserError
from advisor.history.diff import SnapshotDiff, diff_snapshots
from advisor.history.store import entries, load
from advisor.requirements import load_requirements


def resolve(spec: str, pack: RulePack) -> tuple[Architecture, str]:
    """An architecture (and its label) from a path, a history number, or a requirements file."""
    if spec.lstrip("-").isdigit() and not Path(spec).exists():
        items = entries()
        n = int(spec)
        index = n - 1 if n > 0 else n
        if not items or not (-len(items) <= index < len(items)) or n == 0:
            raise UserError(f"no snapshot number {spec} in history ({len(items)} saved)",
                            hint="see `clerk-advisor history`")
        return load(items[index].path), items[index].path.name
    path = Path(spec)
    if path.suffix == ".json":
        return load(path), str(path)
    return recommend(load_requirements(path), pack), f"{path} (evaluated now)"


def compare(old: str | None, new: str | None, pack: RulePack) -> SnapshotDiff:
    """diff: the last two snapshots; the latest -> OLD; or OLD -> NEW."""
    if old is None:
        items = entries()
        if len(items) < 2:
            raise UserError(f"diff needs two snapshots; history has {len(items)}",
                            hint="run `clerk-advisor recommend` after a change, or name two files")
        (a, a_label), (b, b_label) = [(load(e.path), e.path.name) for e in items[-2:]]
    elif new is None:
        (a, a_label), (b, b_label) = resolve("-1", pack), resolve(old, pack)
    else:
        (a, a_label), (b, b_label) = resolve(old, pack), resolve(new, pack)
    return diff_snapshots(a, b, old_label=a_label, new_label=b_label, reads={r.id: r.reads for r in pack.rules})
