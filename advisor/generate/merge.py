"""Three-way merge of text, line by line (the diff3 algorithm as bzr's merge3 does it).

Deterministic: the same three inputs always give the same output. Conflicts are written
with git's standard markers so every editor and `git mergetool` understands them.
"""

from __future__ import annotations

from difflib import SequenceMatcher

MARK_OURS = "<<<<<<< yours"
MARK_BASE = "||||||| last generated"
MARK_SEP = "======="
MARK_THEIRS = ">>>>>>> newly generated"


def _sync_regions(base: list[str], a: list[str], b: list[str]) -> list[tuple[int, int, int, int, int, int]]:
    """Regions (base_start, base_end, a_start, a_end, b_start, b_end) unchanged in both."""
    am = SequenceMatcher(None, base, a, autojunk=False).get_matching_blocks()
    bm = SequenceMatcher(None, base, b, autojunk=False).get_matching_blocks()
    out = []
    ia = ib = 0
    while ia < len(am) and ib < len(bm):
        abase, amatch, alen = am[ia]
        bbase, bmatch, blen = bm[ib]
        start = max(abase, bbase)
        end = min(abase + alen, bbase + blen)
        if start < end:
            out.append((start, end, amatch + start - abase, amatch + end - abase,
                        bmatch + start - bbase, bmatch + end - bbase))
        if abase + alen < bbase + blen:
            ia += 1
        else:
            ib += 1
    out.append((len(base), len(base), len(a), len(a), len(b), len(b)))
    return out


def merge3(base: str, ours: str, theirs: str) -> tuple[str, int]:
    """Merge `theirs` (new generation) into `ours` (the user's file) relative to `base`.

    Returns (merged text, number of conflict regions).
    """
    if ours == base:
        return theirs, 0
    if theirs == base or ours == theirs:
        return ours, 0
    bl, al, tl = base.splitlines(True), ours.splitlines(True), theirs.splitlines(True)
    out: list[str] = []
    conflicts = 0
    iz = ia = ib = 0
    for zs, ze, as_, ae, bs, be in _sync_regions(bl, al, tl):
        zchunk, achunk, bchunk = bl[iz:zs], al[ia:as_], tl[ib:bs]
        if achunk == bchunk:
            out += achunk
        elif achunk == zchunk:
            out += bchunk
        elif bchunk == zchunk:
            out += achunk
        else:
            conflicts += 1
            out += _ended([MARK_OURS + "\n", *achunk])
            out += _ended([MARK_BASE + "\n", *zchunk])
            out += _ended([MARK_SEP + "\n", *bchunk])
            out.append(MARK_THEIRS + "\n")
        out += bl[zs:ze]
        iz, ia, ib = ze, ae, be
    return "".join(out), conflicts


def _ended(lines: list[str]) -> list[str]:
    """Make sure the last line of a conflict side ends with a newline before the next marker."""
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return lines


def has_conflict_markers(text: str) -> bool:
    return any(line.startswith(MARK_OURS) for line in text.splitlines())
