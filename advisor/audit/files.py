"""Which files of a project an audit reads.

Honours `.gitignore` (every level, plus `.git/info/exclude`), skips dependency folders,
build output and vendored code, follows no directory symlink out of the root or round a
loop, and never reads a file twice. Files git tracks are read even when ignored: they are
committed all the same.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from advisor.audit.gitignore import IgnoreRules
from advisor.audit.gitindex import find_git_dir, tracked_files

# Dependencies, build output, caches and vendored code: never the project's own source.
SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", "node_modules", "bower_components", "jspm_packages", ".pnpm-store", ".yarn",
    ".next", ".nuxt", ".output", ".svelte-kit", ".vercel", ".netlify", ".turbo", ".expo", ".docusaurus",
    "out", "dist", "build", "coverage", ".cache", ".parcel-cache",
    "__pycache__", ".venv", "venv", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache",
    "site-packages", ".eggs", "vendor", "vendors", "third_party", "third-party", ".clerk-advisor",
})
MAX_FILE_BYTES = 1024 * 1024


@dataclass
class FileSet:
    root: Path
    files: list[str] = field(default_factory=list)  # relative, '/'-separated, sorted
    tracked: set[str] | None = None  # None: not a git repository (or its index is unreadable)
    skipped: int = 0
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)

    def is_committed(self, rel: str) -> bool:
        """Tracked by git; without git, what is not ignored would be committed."""
        return rel in self.tracked if self.tracked is not None else True


def _is_vendored_file(name: str) -> bool:
    return name.endswith((".min.js", ".min.mjs", ".bundle.js", ".map"))


def list_files(root: Path) -> FileSet:
    root = root.resolve()
    result = FileSet(root=root, tracked=tracked_files(root))
    rules = IgnoreRules()
    found = find_git_dir(root)
    if found is not None:
        _load_outer_ignores(rules, root, *found)
    seen_dirs: set[tuple[int, int]] = set()
    seen: set[str] = set()
    _walk(root, "", rules, result, seen_dirs, seen)
    if result.tracked:
        for rel in result.tracked:
            if rel not in seen and not _under_skipped_dir(rel):
                path = root / rel
                if path.is_file() and not path.is_symlink():
                    seen.add(rel)
    result.files = sorted(seen)
    return result


def _under_skipped_dir(rel: str) -> bool:
    return any(part in SKIP_DIRS for part in rel.split("/")[:-1])


def _load_outer_ignores(rules: IgnoreRules, root: Path, work_tree: Path, git_dir: Path) -> None:
    """`.git/info/exclude` and the `.gitignore` files between the work tree and the root apply too."""
    try:
        rel_root = root.relative_to(work_tree.resolve()).parts
    except ValueError:
        return
    rules.add_outer("/".join(rel_root), _read_text(git_dir / "info" / "exclude"))
    directory = work_tree.resolve()
    for depth in range(len(rel_root)):
        rules.add_outer("/".join(rel_root[depth:]), _read_text(directory / ".gitignore"))
        directory = directory / rel_root[depth]


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _walk(directory: Path, rel: str, rules: IgnoreRules, result: FileSet,
          seen_dirs: set[tuple[int, int]], seen: set[str]) -> None:
    try:
        st = directory.stat()
    except OSError as exc:
        result.unreadable.append((rel or ".", exc.strerror or "cannot read"))
        return
    key = (st.st_dev, st.st_ino)
    if key in seen_dirs:  # a symlink loop or a second way into the same folder
        return
    seen_dirs.add(key)
    ignore_file = directory / ".gitignore"
    if ignore_file.is_file():
        rules.add(rel, _read_text(ignore_file))
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        result.unreadable.append((rel or ".", exc.strerror or "cannot list"))
        return
    for entry in entries:
        child_rel = f"{rel}/{entry.name}" if rel else entry.name
        try:
            is_dir = entry.is_dir()  # follows symlinks
            is_link = entry.is_symlink()
        except OSError:
            continue
        if is_dir:
            if entry.name in SKIP_DIRS or rules.ignored(child_rel, True):
                continue
            if is_link and not _inside(Path(entry.path), result.root):
                continue
            _walk(Path(entry.path), child_rel, rules, result, seen_dirs, seen)
            continue
        if entry.name == ".git" or rules.ignored(child_rel, False) or _is_vendored_file(entry.name):
            continue
        if is_link and not _inside(Path(entry.path), result.root):
            continue
        try:
            if not entry.is_file():
                continue  # sockets, fifos, devices, broken links
            size = entry.stat().st_size
        except OSError:
            continue
        if size > MAX_FILE_BYTES:
            result.skipped += 1
            continue
        seen.add(child_rel)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError, RuntimeError):
        return False
    return True
