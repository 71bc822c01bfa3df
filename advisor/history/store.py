"""The snapshot store: every recommendation kept under .clerk-advisor/history/.

A file is named `<UTC timestamp>-<digest>.json`; the digest covers everything but the
creation time, so saving the same recommendation twice in a row is a no-op.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, NamedTuple

from advisor.architecture import Architecture
from advisor.errors import Location, UserError
from advisor.fsutil import atomic_write
from advisor.jsonio import load_json
from advisor.yamlio import read_text

HISTORY_DIR = Path(".clerk-advisor") / "history"


def content_digest(data: dict[str, Any]) -> str:
    body = {k: v for k, v in data.items() if k != "created_at"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def dumps(arch: Architecture) -> str:
    """The snapshot file format, which is also `recommend --format json`."""
    return json.dumps(arch.to_data(), indent=2, ensure_ascii=False) + "\n"


class Entry(NamedTuple):
    path: Path
    digest: str  # the first 12 hex digits of content_digest, from the file name


def history_dir(root: Path | None = None) -> Path:
    return (root or Path.cwd()) / HISTORY_DIR


def entries(root: Path | None = None) -> list[Entry]:
    """Snapshots, oldest first."""
    directory = history_dir(root)
    if not directory.is_dir():
        return []
    return [Entry(path, path.stem.rpartition("-")[2]) for path in sorted(directory.glob("*.json"))]


def save(arch: Architecture, root: Path | None = None) -> tuple[Path, bool]:
    """Save unless identical to the latest; returns (path, written)."""
    data = arch.to_data()
    digest = content_digest(data)
    existing = entries(root)
    if existing and existing[-1].digest == digest[:12]:
        return existing[-1].path, False
    stamp = arch.created_at.replace("-", "").replace(":", "")
    path = history_dir(root) / f"{stamp}-{digest[:12]}.json"
    n = 1
    while path.exists():  # two different snapshots within one second
        n += 1
        path = history_dir(root) / f"{stamp}.{n}-{digest[:12]}.json"
    atomic_write(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return path, True


def load(path: Path) -> Architecture:
    """A snapshot file read back as an Architecture; every problem is one located UserError."""
    shown = str(path)
    data = load_json(read_text(path, what="snapshot"), shown)
    return Architecture.from_data(data, shown)


def load_latest(root: Path | None = None) -> tuple[Architecture, Entry]:
    items = entries(root)
    if not items:
        raise UserError("no saved recommendation in .clerk-advisor/history/", location=Location(str(history_dir(root))),
                        hint="run `clerk-advisor recommend` first (without --no-save)")
    return load(items[-1].path), items[-1]
