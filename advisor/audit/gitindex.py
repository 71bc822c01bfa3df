"""Which files git tracks, read from `.git/index` directly.

Running `git` inside a project under audit would let that project's own git config run
commands (core.fsmonitor), so the index file is parsed here instead (versions 2 to 4,
gitformat-index(5)). Any surprise means "unknown", never an error.
"""

from __future__ import annotations

import struct
from pathlib import Path

_MAX_INDEX_BYTES = 256 * 1024 * 1024


def find_git_dir(start: Path) -> tuple[Path, Path] | None:
    """(work tree root, git dir) of the repository containing `start`, if any."""
    for directory in (start, *start.parents):
        dot_git = directory / ".git"
        try:
            if dot_git.is_dir():
                return directory, dot_git
            if dot_git.is_file():
                text = dot_git.read_text(encoding="utf-8", errors="replace").strip()
                if text.startswith("gitdir:"):
                    target = Path(text[len("gitdir:"):].strip())
                    return directory, (target if target.is_absolute() else directory / target)
        except OSError:
            return None
    return None


def _hash_size(git_dir: Path) -> int:
    config = git_dir / "config"
    common = git_dir / "commondir"
    try:
        if not config.exists() and common.exists():
            config = (git_dir / common.read_text().strip()) / "config"
        text = config.read_text(encoding="utf-8", errors="replace").lower()
    except OSError:
        return 20
    return 32 if "objectformat = sha256" in text.replace("\t", " ") else 20


def read_index(git_dir: Path) -> list[str] | None:
    """Paths in the index ('/'-separated, relative to the work tree), or None."""
    try:
        data = (git_dir / "index").read_bytes()
    except OSError:
        return None
    if len(data) > _MAX_INDEX_BYTES or len(data) < 12 or data[:4] != b"DIRC":
        return None
    version, count = struct.unpack(">II", data[4:12])
    if version not in (2, 3, 4):
        return None
    hash_size = _hash_size(git_dir)
    pos = 12
    paths: list[str] = []
    previous = b""
    try:
        for _ in range(count):
            entry_start = pos
            pos += 40 + hash_size  # stat data (10 x 4 bytes) and the object name
            (flags,) = struct.unpack(">H", data[pos:pos + 2])
            pos += 2
            if version >= 3 and flags & 0x4000:
                pos += 2
            if version == 4:
                strip, pos = _varint(data, pos)
                end = data.index(b"\0", pos)
                name = previous[:len(previous) - strip] + data[pos:end]
                pos = end + 1
            else:
                end = data.index(b"\0", pos)
                name = data[pos:end]
                pos = entry_start + ((end - entry_start) // 8 + 1) * 8
            previous = name
            paths.append(name.decode("utf-8", errors="replace"))
    except (ValueError, struct.error, IndexError):
        return None
    return paths


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    """Git's offset varint (gitformat-index, version 4 path compression)."""
    byte = data[pos]
    pos += 1
    value = byte & 0x7F
    while byte & 0x80:
        byte = data[pos]
        pos += 1
        value = ((value + 1) << 7) | (byte & 0x7F)
    return value, pos


def tracked_files(root: Path) -> set[str] | None:
    """Files git tracks below `root`, relative to it; None when `root` is not in a repository."""
    found = find_git_dir(root)
    if found is None:
        return None
    work_tree, git_dir = found
    paths = read_index(git_dir)
    if paths is None:
        return None
    try:
        prefix = root.resolve().relative_to(work_tree.resolve()).as_posix()
    except (ValueError, OSError):
        return None
    if prefix in ("", "."):
        return set(paths)
    prefix += "/"
    return {p[len(prefix):] for p in paths if p.startswith(prefix)}
