"""The snapshot store: every recommendation kept under .clerk-advisor/history/.

A file is named `<UTC timestamp>-<digest>.json`; the digest covers everything but the
creation time, so saving the same recommendation twice in a row is a no-op.

The names are for people. What the store believes is each snapshot's own content: its
`created_at` orders the history (a file renamed into the future does not reorder it, and
the mismatch is reported), and its `requirements_file` (the file `recommend` read,
relative to the folder that holds the history) says whose history it is, so that
`recommend --check FILE` and `diff` compare a file with its own past. Snapshots saved
before that field existed belong to the requirements of the same project name.

Everything is read and written through a SafeTree: a symlinked `.clerk-advisor/` or
`history/` is refused, never followed, and a folder that cannot be read is an error,
never "no snapshots yet".
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from advisor.architecture import Architecture
from advisor.errors import Location, UserError
from advisor.fsutil import SafeTree
from advisor.jsonio import load_json
from advisor.yamlio import MAX_BYTES, decode_text, read_text

HISTORY_DIR = Path(".clerk-advisor") / "history"
_HISTORY = HISTORY_DIR.as_posix()
SOURCE_KEY = "requirements_file"
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z")
_NAME = re.compile(r"(\d{8}T\d{6}Z)(?:\.\d+)?-[0-9a-f]{12}\.json")
_FUTURE_SLACK = 300  # seconds of clock difference tolerated before a time counts as future


def content_digest(data: dict[str, Any]) -> str:
    body = {k: v for k, v in data.items() if k != "created_at"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def dumps(arch: Architecture) -> str:
    """The snapshot file format, which is also `recommend --format json`."""
    return json.dumps(arch.to_data(), indent=2, ensure_ascii=False) + "\n"


class Entry(NamedTuple):
    path: Path
    created_at: str  # from the content: what orders the history
    source: str | None  # the requirements file it was saved from; None in older snapshots
    project: str

    @property
    def label(self) -> str:
        """The file name and whose snapshot it is."""
        return f"{self.path.name} ({self.source or 'project ' + self.project})"

    @property
    def note(self) -> str | None:
        """What is odd about this snapshot's name or time, for people to know."""
        named = _NAME.fullmatch(self.path.name)
        stamp = _stamp(self.created_at)
        if _when(self.created_at) > datetime.now(UTC).timestamp() + _FUTURE_SLACK:
            return (f"{self.path.name} says it was created at {self.created_at}, in the future; "
                    "history is ordered by that time")
        if named is not None and named.group(1) != stamp:
            return (f"{self.path.name} is named for {named.group(1)} but was created at {self.created_at}; "
                    "history follows the snapshots' own times, not their names")
        return None


def history_dir(root: Path | None = None) -> Path:
    return (root or Path(".")) / HISTORY_DIR


def _tree(root: Path | None) -> SafeTree:
    """The folder holding the history (paths in messages relative to it when it is '.')."""
    return SafeTree(root or Path("."), max_file=MAX_BYTES)


def _when(created_at: str) -> float:
    return datetime.fromisoformat(created_at.replace("Z", "+00:00")).timestamp()


def _stamp(created_at: str) -> str:
    """The time in a snapshot's file name: to the second, no separators."""
    return created_at[:19].replace("-", "").replace(":", "") + "Z"


def source_of(requirements: Path | str, root: Path | None = None) -> str:
    """How a requirements file is named in snapshots: relative to the folder holding the
    history when it is inside it, else its absolute path; '/'-separated."""
    base = (root or Path.cwd()).resolve()
    target = Path(os.path.abspath(requirements))
    try:
        return target.resolve().relative_to(base).as_posix()
    except (ValueError, OSError):
        return target.as_posix()


def _header(data: Any, shown: str) -> tuple[str, str | None, str]:
    """(created_at, requirements file, project name) of a snapshot, checked."""
    def bad(field: str, message: str) -> UserError:
        return UserError(f"not a valid snapshot: {message}", location=Location(shown), field=field,
                         hint="fix or delete the file; history is read from every snapshot in the folder")

    if not isinstance(data, dict):
        raise bad("(top level)", "it must be a JSON object")
    created = data.get("created_at")
    if not isinstance(created, str) or not _TIME.fullmatch(created):
        raise bad("created_at", "must be a UTC time like 2026-11-28T10:00:00Z (or with microseconds)")
    try:
        _when(created)
    except ValueError:
        raise bad("created_at", f"{created} is not a date") from None
    source = data.get(SOURCE_KEY)
    if source is not None and (not isinstance(source, str) or not source or len(source) > 4096):
        raise bad(SOURCE_KEY, "must be the path of a requirements file")
    requirements = data.get("requirements")
    project = requirements.get("project") if isinstance(requirements, dict) else None
    name = project.get("name") if isinstance(project, dict) else None
    return created, source, name if isinstance(name, str) else "acme"


def entries(root: Path | None = None) -> list[Entry]:
    """Every snapshot in the history folder, oldest first by the time each one records."""
    tree = _tree(root)
    names = tree.listdir(_HISTORY)
    if names is None:
        return []
    found = []
    for name in names:
        if not name.endswith(".json") or name.startswith("."):  # a temp file of a running save
            continue
        rel = f"{_HISTORY}/{name}"
        raw = tree.read(rel)
        if raw is None:
            continue
        shown = str(tree.root / rel)
        data = load_json(decode_text(raw, shown, what="snapshot"), shown)
        created, source, project = _header(data, shown)
        found.append(Entry(tree.root / rel, created, source, project))
    return sorted(found, key=lambda e: (_when(e.created_at), e.path.name))


def of(items: list[Entry], source: str, project: str | None, *, same_project: bool = True
       ) -> tuple[list[Entry], str]:
    """The snapshots of one requirements file: saved from it; else those saved before
    snapshots named their file, of its project; else (with `same_project`) those of
    another file of the same project. Also says, in words, which it used."""
    own = [e for e in items if e.source == source]
    if own:
        return own, f"snapshots of {source}"
    legacy = [e for e in items if e.source is None and e.project == project]
    if legacy:
        return legacy, f"snapshots of project {project} (saved before snapshots named their file)"
    same = [e for e in items if e.project == project] if project is not None and same_project else []
    if same:
        files = sorted({e.source or "?" for e in same})
        return same, f"no snapshot of {source}; snapshots of project {project} (from {', '.join(files)})"
    return [], f"no snapshot of {source}"


def save(arch: Architecture, source: Path | str | None = None, root: Path | None = None) -> tuple[Path, bool]:
    """Save unless identical to the latest snapshot of the same requirements file; returns
    (path, written)."""
    tree = _tree(root)
    data = arch.to_data()
    if source is not None:
        data[SOURCE_KEY] = source_of(source, root)
    digest = content_digest(data)
    mine = [e for e in entries(root) if e.source == data.get(SOURCE_KEY)]
    if mine and _digest_of(tree, mine[-1]) == digest:  # the content's digest, not the name's
        return mine[-1].path, False
    stamp = _stamp(arch.created_at)
    name = f"{stamp}-{digest[:12]}.json"
    n = 1
    while tree.read(f"{_HISTORY}/{name}") is not None:  # two different snapshots within one second
        n += 1
        name = f"{stamp}.{n}-{digest[:12]}.json"
    tree.write(f"{_HISTORY}/{name}", (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
               durable=True)
    return tree.root / _HISTORY / name, True


def _digest_of(tree: SafeTree, entry: Entry) -> str:
    rel = f"{_HISTORY}/{entry.path.name}"
    raw = tree.read(rel)
    return content_digest(load_json(decode_text(raw or b"", str(entry.path), what="snapshot"), str(entry.path)))


def load(path: Path) -> Architecture:
    """A snapshot file read back as an Architecture; every problem is one located UserError."""
    shown = str(path)
    data = load_json(read_text(path, what="snapshot"), shown)
    return Architecture.from_data(data, shown)


def load_latest(root: Path | None = None, source: Path | str | None = None) -> tuple[Architecture, Entry, str]:
    """The latest snapshot (of one requirements file when `source` is given), and what was
    chosen, in words."""
    items = entries(root)
    what = "the latest snapshot"
    if source is not None:
        name = source_of(source, root)
        items, what = of(items, name, project_of(Path(source)), same_project=False)
        if not items:
            raise UserError(f"no saved recommendation of {name} in .clerk-advisor/history/",
                            location=Location(str(history_dir(root))),
                            hint=f"run `clerk-advisor recommend {source}` first (without --no-save)")
    if not items:
        raise UserError("no saved recommendation in .clerk-advisor/history/", location=Location(str(history_dir(root))),
                        hint="run `clerk-advisor recommend` first (without --no-save)")
    return load(items[-1].path), items[-1], what


def project_of(requirements: Path) -> str | None:
    """The project name a requirements file states, if it can be read (a matching aid only)."""
    from advisor.requirements import load_requirements

    try:
        return load_requirements(requirements).project.name
    except UserError:
        return None
