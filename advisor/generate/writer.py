"""Applying a plan: the one place that writes a generated project.

Every file is written atomically and only below --out (a SafeTree never follows a
symlink). Further state the plan carries (adopt's copies of the files it edits, as they
were) is written first. Before the first file, the manifest is rewritten as "in progress"
with the digest of every file about to be written; a run killed at any instant therefore leaves a
directory that the next run recognises as its own, and a file that still matches its
pending digest as generated, not edited. The finished manifest is written last.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from advisor.fsutil import SafeTree
from advisor.generate.plan import BASE_DIR, MANIFEST, REPORTED, WRITES, Plan, manifest_text, sha256


def apply(plan: Plan) -> None:
    tree = SafeTree(plan.out)
    previous: dict[str, str] = dict((plan.previous or {}).get("files", {}))
    pending = {f.path: sha256(f.content) for f in plan.writes if f.content is not None}
    targets = [MANIFEST, *(f.path for f in plan.writes), *(f"{BASE_DIR}/{f.path}" for f in plan.files)]
    tree.check_writable(targets)
    in_progress: dict[str, Any] = {**plan.manifest, "state": "in-progress", "files": previous, "pending": pending}
    for rel, data in plan.state.items():
        tree.write(rel, data, durable=True)
    tree.write(MANIFEST, manifest_text(in_progress), durable=True)
    for f in plan.writes:
        if f.content is not None:
            tree.write(f.path, f.content)
    files: dict[str, str] = {}
    for f in plan.files:
        if f.action == "remove":
            tree.unlink(f.path)
            tree.unlink(f"{BASE_DIR}/{f.path}")
            continue
        if f.action in ("keep", "orphan", "deleted") or f.generated is None:
            # Untouched: the old base is still what the user's file derives from.
            if f.path in previous:
                files[f.path] = previous[f.path]
            continue
        files[f.path] = sha256(f.generated)
        tree.write(f"{BASE_DIR}/{f.path}", f.generated)
    tree.write(MANIFEST, manifest_text({**plan.manifest, "files": dict(sorted(files.items()))}), durable=True)
    # A run killed earlier may have left temp files beside files this run did not need to
    # write (already complete): only those, of processes that are gone, are removed.
    tree.clean_temps([f.path for f in plan.files] + [f"{BASE_DIR}/{f.path}" for f in plan.files])


def _text(data: bytes | None) -> list[str]:
    return (data or b"").decode("utf-8", errors="replace").splitlines(True)


def unified_diff(plan: Plan) -> Iterable[str]:
    """The plan as a unified diff (for --dry-run), then a note per file left alone."""
    for f in plan.files:
        if f.action in WRITES and f.content is not None:
            yield from file_diff(f.path, f.current, f.content, created=f.action == "create")
    for f in plan.files:
        if f.note and (f.action in REPORTED or f.content is None) and f.action != "unchanged":
            yield f"# {f.action}: {f.path} ({f.note})\n"


def file_diff(path: str, old: bytes | None, new: bytes, *, created: bool = False) -> Iterable[str]:
    """One file's change as a unified diff (`created`: from /dev/null)."""
    source = "/dev/null" if created else f"a/{path}"
    if created and not new:  # an empty new file (a package's __init__.py) has no hunk, but it is created
        yield f"--- {source}\n+++ b/{path}\n"
    yield from _ensure_newlines(difflib.unified_diff(_text(old), _text(new), source, f"b/{path}"))


def _ensure_newlines(lines: Iterable[str]) -> Iterable[str]:
    for line in lines:
        yield line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
