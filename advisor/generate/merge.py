"""Three-way merge of a file, line by line, on its bytes.

The regions come from `merge3` (bzr's diff3 algorithm, maintained on its own); this
module only writes them out, with git's standard conflict markers so every editor and
`git mergetool` understands them. It works on bytes, so a file in any encoding comes back
with every byte the user wrote; the same three inputs always give the same output.
"""

from __future__ import annotations

from typing import cast

from merge3 import Merge3

MARK_OURS = b"<<<<<<< yours"
MARK_BASE = b"||||||| last generated"
MARK_SEP = b"======="
MARK_THEIRS = b">>>>>>> newly generated"


def merge3(base: bytes, ours: bytes, theirs: bytes) -> tuple[bytes, int]:
    """Merge `theirs` (the new generation) into `ours` (the user's file) relative to `base`.

    Returns (merged bytes, number of conflict regions).
    """
    if ours == base:
        return theirs, 0
    if theirs == base or ours == theirs:
        return ours, 0
    bl, al, tl = base.splitlines(True), ours.splitlines(True), theirs.splitlines(True)
    newline = b"\r\n" if al and al[0].endswith(b"\r\n") else b"\n"
    out: list[bytes] = []
    conflicts = 0
    for region in Merge3(bl, al, tl).merge_regions():
        kind = region[0]
        if kind == "unchanged":
            out += bl[region[1]:region[2]]
        elif kind in ("a", "same"):
            out += al[region[1]:region[2]]
        elif kind == "b":
            out += tl[region[1]:region[2]]
        else:  # conflict: base, ours and theirs ranges
            _, zs, ze, as_, ae, bs, be = cast(tuple[str, int, int, int, int, int, int], region)
            conflicts += 1
            for marker, lines in ((MARK_OURS, al[as_:ae]), (MARK_BASE, bl[zs:ze]), (MARK_SEP, tl[bs:be])):
                out.append(marker + newline)
                out += _ended(lines, newline)
            out.append(MARK_THEIRS + newline)
    return b"".join(out), conflicts


def _ended(lines: list[bytes], newline: bytes) -> list[bytes]:
    """The last line of a conflict side ends with a newline before the next marker."""
    if lines and not lines[-1].endswith((b"\n", b"\r")):
        return [*lines[:-1], lines[-1] + newline]
    return lines


def has_conflict_markers(text: bytes) -> bool:
    return any(line.startswith(MARK_OURS) for line in text.splitlines())
