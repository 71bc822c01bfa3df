""""Did you mean ...?" for every misspelt name a user can type: keys, values, rule ids."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

CUTOFF = 0.6


def closest(word: object, options: Iterable[object]) -> str | None:
    """The option most like `word`, if any is close enough to be a likely typo."""
    found = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=CUTOFF)
    return found[0] if found else None


def did_you_mean(word: object, options: Iterable[object]) -> str | None:
    match = closest(word, options)
    return f"did you mean {match!r}?" if match is not None else None
