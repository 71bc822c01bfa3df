"""The plan: what generating would do to each file, decided without writing anything.

Inputs are the freshly rendered files, the files on disk and the manifest of the last
generation (with the generated "base" of each file). The decision per file:

  create     new file
  update     the user never changed it; the generator's output changed
  unchanged  identical already
  keep       the user changed it (or it is theirs); not touched without --force / --update
  overwrite  --force on a file the user changed
  merge      --update: three-way merge of base, the user's file and the new output
  conflict   --update: the merge has conflicts; written with conflict markers
  deleted    the user deleted a generated file; it stays deleted (reported)
  orphan     generated last time, no longer generated; left in place (reported)
  remove     a file replaced by a renamed one (middleware.ts -> proxy.ts); its content,
             with the user's edits merged, moved to the new name
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.errors import Location, UserError
from advisor.generate.merge import has_conflict_markers, merge3

STATE_DIR = ".clerk-advisor"
MANIFEST = f"{STATE_DIR}/manifest.json"
BASE_DIR = f"{STATE_DIR}/base"
WRITES = ("create", "update", "overwrite", "merge", "conflict")
REPORTED = ("keep", "deleted", "orphan", "remove")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class PlannedFile:
    path: str
    action: str
    content: str | None  # what will be on disk afterwards (None: untouched)
    generated: str | None  # what the generator produced (the next base)
    current: str | None = None  # what is on disk now
    conflicts: int = 0
    note: str = ""


@dataclass
class Plan:
    out: Path
    stack: str
    files: list[PlannedFile]
    manifest: dict[str, Any]  # the new manifest, less its file list (the writer fills it)
    previous: dict[str, Any] | None = None  # the manifest of the last generation, if any

    def by_action(self, action: str) -> list[PlannedFile]:
        return [f for f in self.files if f.action == action]

    @property
    def conflicts(self) -> list[PlannedFile]:
        return self.by_action("conflict")

    @property
    def writes(self) -> list[PlannedFile]:
        return [f for f in self.files if f.action in WRITES]

    def summary(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for f in self.files:
            out.setdefault(f.action, []).append(f.path)
        return out


def read_manifest(out: Path) -> dict[str, Any] | None:
    path = out / MANIFEST
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"the generation manifest is unreadable ({exc.__class__.__name__})",
                        location=Location(str(path)),
                        hint="restore it from version control, or use --force to start over") from None
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        raise UserError("the generation manifest is not a clerk-advisor manifest", location=Location(str(path)))
    return data


def read_base(out: Path, rel: str) -> str | None:
    path = out / BASE_DIR / rel
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def _read_current(out: Path, rel: str) -> str | None:
    path = out / rel
    if path.is_symlink():
        raise UserError(f"refusing to write through a symbolic link: {rel}", location=Location(str(path)))
    if not path.exists():
        return None
    if path.is_dir():
        raise UserError(f"a directory is in the way of a generated file: {rel}", location=Location(str(path)))
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return path.read_bytes().decode("utf-8", errors="replace")


def _check_inside(out: Path, rel: str) -> None:
    """No generated path may resolve outside the output directory (symlinked parents included)."""
    root = os.path.realpath(out)
    target = os.path.realpath(out / rel)
    if os.path.commonpath([root, target]) != root:
        raise UserError(f"refusing to write {rel}: it resolves outside {out}", location=Location(str(out / rel)))


def _is_foreign_nonempty(out: Path) -> bool:
    if not out.exists():
        return False
    if not out.is_dir():
        raise UserError("--out exists and is not a directory", location=Location(str(out)))
    return any(p.name != ".git" for p in out.iterdir())


def make_plan(
    out: Path,
    stack: str,
    rendered: dict[str, str],
    meta: dict[str, Any],
    *,
    force: bool = False,
    update: bool = False,
    replaces: dict[str, list[str]] | None = None,
    once: frozenset[str] = frozenset(),
) -> Plan:
    out = Path(out)
    previous = read_manifest(out)
    if previous is None and _is_foreign_nonempty(out) and not force:
        raise UserError(
            "the output directory is not empty and was not generated by clerk-advisor",
            location=Location(str(out)),
            hint="choose an empty or new directory, or pass --force to write into it anyway",
        )
    if previous is not None and previous.get("stack") not in (None, stack) and not force:
        raise UserError(
            f"this directory holds a {previous.get('stack')} project; refusing to generate {stack} into it",
            location=Location(str(out)), hint="use another --out, or --force",
        )
    known: dict[str, str] = dict(previous["files"]) if previous else {}
    files: list[PlannedFile] = []
    removed: set[str] = set()
    for rel, content in rendered.items():
        _check_inside(out, rel)
        current = _read_current(out, rel)
        base_sha = known.get(rel)
        old = _renamed_from(out, rel, (replaces or {}).get(rel, []), known, rendered)
        if current is None and base_sha is None and old is not None:
            files += _plan_rename(out, rel, content, old, known[old], update=update, force=force)
            removed.add(old)
            continue
        if current is None:
            if base_sha is not None and not force:
                files.append(PlannedFile(rel, "deleted", None, content, note="you deleted it; not recreated"))
            else:
                files.append(PlannedFile(rel, "create", content, content))
            continue
        if current == content or (rel in once and current is not None and not force):
            files.append(PlannedFile(rel, "unchanged", None, content, current))
            continue
        if base_sha is not None and has_conflict_markers(current) and not force:
            # A conflict from an earlier --update that nobody resolved: never call that success.
            files.append(PlannedFile(rel, "conflict", None, None, current, 1,
                                     note="unresolved conflict markers from an earlier --update"))
            continue
        user_changed = base_sha is None or sha256(current) != base_sha
        if not user_changed:
            files.append(PlannedFile(rel, "update", content, content, current))
        elif force:
            files.append(PlannedFile(rel, "overwrite", content, content, current))
        elif update and base_sha is not None:
            base = read_base(out, rel)
            if base is None:
                files.append(PlannedFile(rel, "keep", None, None, current,
                                         note="changed by you; no stored base to merge from"))
                continue
            merged, conflicts = merge3(base, current, content)
            action = "conflict" if conflicts else "merge"
            if merged == current and not conflicts:
                files.append(PlannedFile(rel, "unchanged", None, content, current, note="your version already has it"))
            else:
                files.append(PlannedFile(rel, action, merged, content, current, conflicts))
        else:
            reason = "changed by you since the last generation" if base_sha else "not generated by clerk-advisor"
            files.append(PlannedFile(rel, "keep", None, None, current,
                                     note=f"{reason}; --update merges, --force overwrites"))
    for rel in sorted(set(known) - set(rendered) - removed):
        if (out / rel).exists():
            files.append(PlannedFile(rel, "orphan", None, None, note="no longer generated; left in place"))
    manifest = {
        "schema": 1,
        **meta,
        "stack": stack,
        "files": {},
    }
    return Plan(out=out, stack=stack, files=files, manifest=manifest, previous=previous)


def _renamed_from(out: Path, rel: str, olds: list[str], known: dict[str, str],
                  rendered: dict[str, str]) -> str | None:
    """The generated file that `rel` replaces, if it is still on disk and no longer generated."""
    for old in olds:
        if old in known and old not in rendered and (out / old).is_file():
            _check_inside(out, old)
            return old
    return None


def _plan_rename(out: Path, rel: str, content: str, old: str, old_sha: str, *, update: bool,
                 force: bool) -> list[PlannedFile]:
    current_old = _read_current(out, old) or ""
    note = f"replaced by {rel}"
    if sha256(current_old) == old_sha or force:
        return [PlannedFile(rel, "create", content, content, note=f"replaces {old}"),
                PlannedFile(old, "remove", None, None, current_old, note=note)]
    if not update:
        return [PlannedFile(rel, "keep", None, None, None,
                            note=f"replaces {old}, which you changed; --update carries your edits over"),
                PlannedFile(old, "keep", None, None, current_old, note=f"changed by you; {note} on --update")]
    base = read_base(out, old)
    if base is None:
        return [PlannedFile(rel, "keep", None, None, None, note=f"replaces {old}; no stored base to merge from"),
                PlannedFile(old, "keep", None, None, current_old, note="changed by you")]
    merged, conflicts = merge3(base, current_old, content)
    return [PlannedFile(rel, "conflict" if conflicts else "merge", merged, content, None, conflicts,
                        note=f"your edits to {old} carried over"),
            PlannedFile(old, "remove", None, None, current_old, note=note)]
