"""What `diff` compares: snapshots named by path or history number, or a requirements file
evaluated now, and always something of the same requirements unless both are named.

`compare` returns the diff and notes for people: which snapshots were chosen and why,
and a warning when the two sides are recommendations for different requirements files or
projects (history may hold several; comparing them silently was a bug).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from advisor.architecture import Architecture, recommend
from advisor.engine import RulePack
from advisor.errors import UserError
from advisor.history.diff import SnapshotDiff, diff_snapshots
from advisor.history.store import SOURCE_KEY, Entry, entries, load, of, source_of
from advisor.requirements import load_requirements


@dataclass(frozen=True)
class Side:
    arch: Architecture
    label: str
    source: str | None  # the requirements file, when known
    entry: Entry | None = None

    @property
    def project(self) -> str:
        return self.arch.requirements.project.name

    @property
    def whose(self) -> str:
        return f"{self.source} (project {self.project})" if self.source else f"project {self.project}"


def _from_entry(entry: Entry) -> Side:
    return Side(load(entry.path), entry.label, entry.source, entry)


def resolve(spec: str, pack: RulePack, items: list[Entry] | None = None) -> Side:
    """A side of the comparison from a path, a history number, or a requirements file."""
    if spec.lstrip("-").isdigit() and not Path(spec).exists():
        items = entries() if items is None else items
        n = int(spec)
        index = n - 1 if n > 0 else n
        if not items or not (-len(items) <= index < len(items)) or n == 0:
            raise UserError(f"no snapshot number {spec} in history ({len(items)} saved)",
                            hint="see `clerk-advisor history`")
        return _from_entry(items[index])
    path = Path(spec)
    if path.suffix == ".json":
        arch = load(path)
        source = arch.extra.get(SOURCE_KEY)
        return Side(arch, str(path), source if isinstance(source, str) else None)
    arch = recommend(load_requirements(path), pack)
    return Side(arch, f"{path} (evaluated now)", source_of(path))


def _group(items: list[Entry], latest: Entry) -> list[Entry]:
    if latest.source is not None:
        return [e for e in items if e.source == latest.source]
    return [e for e in items if e.source is None and e.project == latest.project]


def compare(old: str | None, new: str | None, pack: RulePack) -> tuple[SnapshotDiff, list[str]]:
    """diff: the last two snapshots of one requirements file; that file's latest -> OLD;
    or OLD -> NEW. Returns the diff and the notes to show."""
    notes: list[str] = []
    explained = False  # a note already says the two sides are of different files
    items = entries()
    if old is None:
        if len(items) < 2:
            raise UserError(f"diff needs two snapshots; history has {len(items)}",
                            hint="run `clerk-advisor recommend` after a change, or name two files")
        latest = items[-1]
        group = _group(items, latest)
        whose = latest.source or f"project {latest.project}"
        if len(group) < 2:
            raise UserError(f"diff needs two snapshots of {whose}; history has 1 of it and {len(items) - 1} of "
                            "other requirements", hint="name the two to compare: `clerk-advisor diff OLD NEW` "
                            "(numbers from `clerk-advisor history`)")
        others = sorted({e.source or f"project {e.project}" for e in items} - {whose})
        notes.append(f"comparing the two latest snapshots of {whose}"
                     + (f" (history also holds {', '.join(others)})" if others else ""))
        a, b = _from_entry(group[-2]), _from_entry(group[-1])
    elif new is None:
        b = resolve(old, pack, items)
        chosen, what = of(items, b.source or "", b.project)
        chosen = [e for e in chosen if b.entry is None or e.path != b.entry.path]
        if not chosen:
            raise UserError(f"no earlier snapshot of {b.whose} to compare {old} with",
                            hint="name both sides: `clerk-advisor diff OLD NEW`")
        if what.startswith("no snapshot of"):
            notes.append(what)
            explained = True
        a = _from_entry(chosen[-1])
    else:
        a, b = resolve(old, pack, items), resolve(new, pack, items)
    if not explained and ((a.source and b.source and a.source != b.source) or a.project != b.project):
        notes.append(f"these are recommendations for different requirements: {a.whose} and {b.whose}")
    notes += [e.note for e in (a.entry, b.entry) if e is not None and e.note]
    result = diff_snapshots(a.arch, b.arch, old_label=a.label, new_label=b.label,
                            reads={r.id: r.reads for r in pack.rules})
    return result, notes
