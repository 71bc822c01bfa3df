"""Applying a plan: the one place that writes a generated project.

Every file is written atomically. The manifest and the base copies (what the generator
produced, used by the next three-way merge) are written last, so an interrupted run
leaves the previous manifest in force and the next run sees the same situation.
"""

from __future__ import annotations

import difflib
import json
from typing import Iterable

from advisor.fsutil import atomic_write
from advisor.generate.plan import BASE_DIR, MANIFEST, REPORTED, WRITES, Plan, sha256


def apply(plan: Plan) -> None:
    out = plan.out
    out.mkdir(parents=True, exist_ok=True)
    for f in plan.writes:
        if f.content is not None:
            atomic_write(out / f.path, f.content, durable=False)
    for f in plan.by_action("remove"):
        (out / f.path).unlink(missing_ok=True)
        (out / BASE_DIR / f.path).unlink(missing_ok=True)
    files: dict[str, str] = {}
    previous = (plan.previous or {}).get("files", {})
    for f in plan.files:
        if f.action == "remove":
            continue
        if f.action in ("keep", "orphan", "deleted") or f.generated is None:
            # Untouched: the old base is still what the user's file derives from.
            if f.path in previous:
                files[f.path] = previous[f.path]
            continue
        assert f.generated is not None
        files[f.path] = sha256(f.generated)
        atomic_write(out / BASE_DIR / f.path, f.generated, durable=False)
    manifest = dict(plan.manifest)
    manifest["files"] = dict(sorted(files.items()))
    atomic_write(out / MANIFEST, json.dumps(manifest, indent=2) + "\n")


def unified_diff(plan: Plan) -> Iterable[str]:
    """The plan as a unified diff (for --dry-run), then a note per file left alone."""
    for f in plan.files:
        if f.action in WRITES and f.content is not None:
            before = (f.current or "").splitlines(True)
            after = f.content.splitlines(True)
            old = "/dev/null" if f.action == "create" else f"a/{f.path}"
            yield from _ensure_newlines(difflib.unified_diff(before, after, old, f"b/{f.path}"))
    for f in plan.files:
        if f.note and (f.action in REPORTED or f.content is None) and f.action != "unchanged":
            yield f"# {f.action}: {f.path} ({f.note})\n"


def _ensure_newlines(lines: Iterable[str]) -> Iterable[str]:
    for line in lines:
        yield line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
