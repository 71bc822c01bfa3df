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
  edit       (generate --adopt) a small edit of the app's own file, e.g. the provider in
             its layout; the file as edited becomes the base of later merges
  refuse     (generate --adopt) an edit that would not be safe; the file is untouched

Files are compared and merged as bytes: a file in another encoding keeps every byte.
Everything is read through a SafeTree, so a symlink on the way is refused, not followed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from advisor.errors import Location, UserError
from advisor.fsutil import SafeTree
from advisor.generate.merge import has_conflict_markers, merge3
from advisor.generate.render import safe_relpath
from advisor.jsonio import load_json

STATE_DIR = ".clerk-advisor"
MANIFEST = f"{STATE_DIR}/manifest.json"
BASE_DIR = f"{STATE_DIR}/base"
MANIFEST_SCHEMA = 1

Action = Literal["create", "update", "unchanged", "keep", "overwrite", "merge", "conflict", "deleted", "orphan",
                 "remove", "edit", "refuse"]
WRITES: tuple[Action, ...] = ("create", "update", "overwrite", "merge", "conflict", "edit")
REPORTED: tuple[Action, ...] = ("keep", "deleted", "orphan", "remove", "refuse")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class PlannedFile:
    path: str
    action: Action
    content: bytes | None  # what will be on disk afterwards (None: untouched)
    generated: bytes | None  # what the generator produced (the next base)
    current: bytes | None = None  # what is on disk now
    conflicts: int = 0
    note: str = ""


@dataclass
class Plan:
    out: Path
    stack: str
    files: list[PlannedFile]
    manifest: dict[str, Any]  # the new manifest, less its file list (the writer fills it)
    previous: dict[str, Any] | None = None  # the manifest of the last generation, if any
    # Further files of the generation state (below .clerk-advisor/), written before anything
    # else: what `--adopt` must keep to redo its edits (the app's files as they were).
    state: dict[str, bytes] = field(default_factory=dict)

    def by_action(self, action: Action) -> list[PlannedFile]:
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


def _manifest_error(tree: SafeTree, message: str) -> UserError:
    return UserError(message, location=Location(str(tree.root / MANIFEST)),
                     hint="restore it from version control, or use --force to start over")


def read_manifest(tree: SafeTree) -> dict[str, Any] | None:
    """The last generation's manifest, checked: paths stay inside, digests are digests."""
    raw = tree.read(MANIFEST)
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _manifest_error(tree, "the generation manifest is not UTF-8") from None
    data = load_json(text, str(tree.root / MANIFEST))
    if not isinstance(data, dict):
        raise _manifest_error(tree, "the generation manifest is not a clerk-advisor manifest")
    for key in ("files", "pending"):
        entries = data.get(key, {})
        if not isinstance(entries, dict) or not all(
                isinstance(k, str) and isinstance(v, str) and len(v) == 64 for k, v in entries.items()):
            raise _manifest_error(tree, f"the generation manifest's {key!r} is not a map of path to sha256")
        for rel in entries:
            try:
                safe_relpath(rel)
            except UserError:
                raise _manifest_error(tree, f"the generation manifest names a path outside the project: {rel!r}"
                                      ) from None
    if "files" not in data:
        raise _manifest_error(tree, "the generation manifest is not a clerk-advisor manifest")
    return data


def _is_foreign_nonempty(out: Path) -> bool:
    if not out.exists():
        return False
    if not out.is_dir():
        raise UserError("--out exists and is not a directory", location=Location(str(out)))
    try:
        return any(p.name != ".git" for p in out.iterdir())
    except OSError as exc:
        raise UserError(f"cannot read --out: {exc.strerror or exc}", location=Location(str(out))) from None


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
    tree = SafeTree(out)
    if out.exists() and not out.is_dir():
        raise UserError("--out exists and is not a directory", location=Location(str(out)))
    previous = read_manifest(tree)
    if previous is None and _is_foreign_nonempty(out) and not force:
        raise UserError(
            "the output directory is not empty and was not generated by clerk-advisor",
            location=Location(str(out)),
            hint="to add Clerk to the app in it, pass --adopt (it edits in place and replaces nothing); "
                 "otherwise choose an empty or new directory (--force would overwrite its files)",
        )
    if previous is not None and previous.get("stack") not in (None, stack) and not force:
        raise UserError(
            f"this directory holds a {previous.get('stack')} project; refusing to generate {stack} into it",
            location=Location(str(out)), hint="use another --out, or --force",
        )
    planner = Planner(tree, previous, update=update, force=force)
    files: list[PlannedFile] = []
    removed: set[str] = set()
    generated = {safe_relpath(rel): content.encode("utf-8") for rel, content in rendered.items()}
    for rel, content in generated.items():
        old = planner.renamed_from(rel, (replaces or {}).get(rel, []), generated)
        if old is not None:
            files += planner.rename(rel, content, old)
            removed.add(old)
            continue
        files.append(planner.file(rel, content, once=rel in once))
    files += planner.orphans(set(generated) | removed)
    check_writable(tree, files)
    manifest = {"schema": MANIFEST_SCHEMA, **meta, "stack": stack, "files": {}}
    return Plan(out=out, stack=stack, files=files, manifest=manifest, previous=previous)


def check_writable(tree: SafeTree, files: list[PlannedFile]) -> None:
    for f in files:
        if f.action in WRITES and f.current is not None and not tree.writable(f.path):
            raise UserError(f"{f.path} is read-only; it would be {f.action.removesuffix('e')}ed",
                            location=Location(str(tree.root / f.path)),
                            hint="make it writable, or leave it out of this run by deleting it (deletions stand)")


class Planner:
    """The decision per file, given the last generation's manifest.

    `adopt`: the files live in an app clerk-advisor did not generate (`generate --adopt`):
    a file the user changed is unchanged when the new output is the old one (there is
    nothing to bring in), and --force is never offered.
    """

    def __init__(self, tree: SafeTree, previous: dict[str, Any] | None, *, update: bool, force: bool,
                 adopt: bool = False) -> None:
        self.tree = tree
        self.update = update
        self.force = force
        self.adopt = adopt
        self.known: dict[str, str] = dict(previous["files"]) if previous else {}
        # A run killed while writing left its files' digests here: a file that still
        # matches one is ours, not the user's.
        self.pending: dict[str, str] = dict(previous.get("pending", {})) if previous else {}

    def base_sha(self, rel: str, current: bytes | None) -> str | None:
        if current is not None and rel in self.pending and sha256(current) == self.pending[rel]:
            return self.pending[rel]
        return self.known.get(rel)

    def base(self, rel: str) -> bytes | None:
        data = self.tree.read(f"{BASE_DIR}/{rel}")
        return data if data is not None and sha256(data) == self.known.get(rel) else None

    def file(self, rel: str, content: bytes, *, once: bool) -> PlannedFile:
        current = self.tree.read(rel)
        base_sha = self.base_sha(rel, current)
        if current is None:
            if base_sha is not None and not self.force:
                return PlannedFile(rel, "deleted", None, content, note="you deleted it; not recreated")
            return PlannedFile(rel, "create", content, content)
        if current == content or (once and not self.force):
            return PlannedFile(rel, "unchanged", None, content, current)
        if base_sha is not None and has_conflict_markers(current) and not self.force:
            # A conflict from an earlier --update that nobody resolved: never call that success.
            return PlannedFile(rel, "conflict", None, None, current, 1,
                               note="unresolved conflict markers from an earlier --update")
        if base_sha is not None and sha256(current) == base_sha:
            return PlannedFile(rel, "update", content, content, current)
        if self.force:
            return PlannedFile(rel, "overwrite", content, content, current)
        if self.adopt and base_sha is not None and self.base(rel) == content:
            return PlannedFile(rel, "unchanged", None, content, current, note="changed by you; nothing new to bring in")
        if self.update and base_sha is not None:
            base = self.base(rel)
            if base is None:
                return PlannedFile(rel, "keep", None, None, current,
                                   note="changed by you; no stored base to merge from")
            merged, conflicts = merge3(base, current, content)
            if merged == current and not conflicts:
                return PlannedFile(rel, "unchanged", None, content, current, note="your version already has it")
            return PlannedFile(rel, "conflict" if conflicts else "merge", merged, content, current, conflicts)
        reason = "changed by you since the last generation" if base_sha else "not generated by clerk-advisor"
        remedy = "--update merges" if self.adopt else "--update merges, --force overwrites"
        return PlannedFile(rel, "keep", None, None, current, note=f"{reason}; {remedy}")

    def orphans(self, produced: set[str]) -> list[PlannedFile]:
        """Files of the last generation that this one no longer makes, still on disk: left in place."""
        return [PlannedFile(rel, "orphan", None, None, note="no longer generated; left in place")
                for rel in sorted(set(self.known) - produced) if self.tree.read(rel) is not None]

    def renamed_from(self, rel: str, olds: list[str], generated: dict[str, bytes]) -> str | None:
        """The generated file that `rel` replaces, if it is still on disk and no longer generated."""
        if self.known.get(rel) is not None or self.tree.read(rel) is not None:
            return None
        for old in olds:
            old = safe_relpath(old)
            if old in self.known and old not in generated and self.tree.read(old) is not None:
                return old
        return None

    def rename(self, rel: str, content: bytes, old: str) -> list[PlannedFile]:
        current_old = self.tree.read(old) or b""
        note = f"replaced by {rel}"
        if sha256(current_old) == self.known[old] or self.force:
            return [PlannedFile(rel, "create", content, content, note=f"replaces {old}"),
                    PlannedFile(old, "remove", None, None, current_old, note=note)]
        if not self.update:
            return [PlannedFile(rel, "keep", None, None, None,
                                note=f"replaces {old}, which you changed; --update carries your edits over"),
                    PlannedFile(old, "keep", None, None, current_old, note=f"changed by you; {note} on --update")]
        base = self.base(old)
        if base is None:
            return [PlannedFile(rel, "keep", None, None, None, note=f"replaces {old}; no stored base to merge from"),
                    PlannedFile(old, "keep", None, None, current_old, note="changed by you")]
        merged, conflicts = merge3(base, current_old, content)
        return [PlannedFile(rel, "conflict" if conflicts else "merge", merged, content, None, conflicts,
                            note=f"your edits to {old} carried over"),
                PlannedFile(old, "remove", None, None, current_old, note=note)]


def manifest_text(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, indent=2) + "\n").encode("utf-8")
