"""The snapshot store: every recommendation kept under .clerk-advisor/history/.

A file is named `<UTC timestamp>-<digest>.json`; the digest covers everything but the
creation time, so saving the same recommendation twice in a row is a no-op.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.errors import Location, UserError
from advisor.fsutil import atomic_write

HISTORY_DIR = Path(".clerk-advisor") / "history"


def content_digest(snapshot: dict[str, Any]) -> str:
    body = {k: v for k, v in snapshot.items() if k != "created_at"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def dumps(snapshot: dict[str, Any]) -> str:
    return json.dumps(snapshot, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class Entry:
    path: Path
    digest: str  # the first 12 hex digits of content_digest, from the file name


def history_dir(root: Path | None = None) -> Path:
    return (root or Path.cwd()) / HISTORY_DIR


def entries(root: Path | None = None) -> list[Entry]:
    """Snapshots, oldest first."""
    directory = history_dir(root)
    if not directory.is_dir():
        return []
    out = []
    for path in sorted(directory.glob("*.json")):
        out.append(Entry(path, path.stem.rpartition("-")[2]))
    return out


def save(snapshot: dict[str, Any], root: Path | None = None) -> tuple[Path, bool]:
    """Save unless identical to the latest; returns (path, written)."""
    digest = content_digest(snapshot)
    existing = entries(root)
    if existing and existing[-1].digest == digest[:12]:
        return existing[-1].path, False
    stamp = snapshot["created_at"].replace("-", "").replace(":", "")
    path = history_dir(root) / f"{stamp}-{digest[:12]}.json"
    n = 1
    while path.exists():  # two different snapshots within one second
        n += 1
        path = history_dir(root) / f"{stamp}.{n}-{digest[:12]}.json"
    atomic_write(path, dumps(snapshot))
    return path, True


def load_snapshot(path: Path) -> dict[str, Any]:
    from advisor.yamlio import read_text

    text = read_text(path, what="snapshot")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"not a valid snapshot (JSON error: {exc.msg})",
                        location=Location(str(path), exc.lineno, exc.colno)) from None
    required = ("schema", "rules_version", "requirements", "decisions", "findings")
    if not isinstance(data, dict) or any(k not in data for k in required):
        raise UserError("not a clerk-advisor snapshot (needs schema, rules_version, requirements, decisions, findings)",
                        location=Location(str(path)))
    if data["schema"] != 1:
        raise UserError(f"snapshot schema {data['schema']!r} is not supported", location=Location(str(path)),
                        field="schema", allowed="1")
    return data


def snapshot_requirements(snapshot: dict[str, Any], path: Path):
    """The Requirements a snapshot was made from, checked like a requirements file."""
    from pydantic import ValidationError

    from advisor.requirements import Requirements

    try:
        return Requirements.model_validate(snapshot["requirements"], strict=True)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise UserError(f"its requirements no longer validate: {err['msg']}", location=Location(str(path)),
                        field="requirements." + ".".join(map(str, err["loc"])),
                        hint="re-run `clerk-advisor recommend` on the requirements file") from None
