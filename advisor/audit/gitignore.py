"""`.gitignore` semantics (gitignore(5)): patterns per directory, negation, anchoring, `**`.

A pattern is translated once into a regular expression over the path relative to the
directory of its `.gitignore`. The last matching pattern wins; a directory that is
ignored hides everything below it (git does not look inside it, so nothing below can be
re-included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    negated: bool
    dir_only: bool


def _translate(glob: str) -> str:
    """A gitignore glob (no leading/trailing slash handling) -> regex source."""
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        c = glob[i]
        if c == "*":
            if glob.startswith("**", i):
                before_ok = i == 0 or glob[i - 1] == "/"
                after = glob[i + 2:i + 3]
                if before_ok and after == "/":
                    out.append("(?:.*/)?")
                    i += 3
                    continue
                if before_ok and i + 2 == n:
                    out.append(".*")
                    i += 2
                    continue
            out.append("[^/]*")
            while i < n and glob[i] == "*":
                i += 1
            continue
        if c == "?":
            out.append("[^/]")
        elif c == "[":
            end = glob.find("]", i + 2 if glob[i + 1:i + 2] in ("!", "^") else i + 1)
            if end == -1:
                out.append(re.escape(c))
            else:
                body = glob[i + 1:end]
                if body[:1] in ("!", "^"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end
        elif c == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(glob[i]))
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def parse_patterns(text: str) -> list[_Pattern]:
    patterns: list[_Pattern] = []
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        # Trailing spaces are ignored unless escaped.
        while line.endswith(" ") and not line.endswith("\\ "):
            line = line[:-1]
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        if negated:
            line = line[1:]
        elif line.startswith("\\!") or line.startswith("\\#"):
            line = line[1:]
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        line = line.lstrip("/")
        source = _translate(line)
        if not anchored:
            source = "(?:.*/)?" + source
        patterns.append(_Pattern(re.compile(source + r"\Z", re.S), negated, dir_only))
    return patterns


class IgnoreRules:
    """The patterns of every `.gitignore` met so far, keyed by the directory that holds it."""

    def __init__(self) -> None:
        self._by_dir: dict[str, list[_Pattern]] = {}
        # .gitignore files above the audited root: (the root's path relative to theirs, patterns)
        self._outer: list[tuple[str, list[_Pattern]]] = []

    def add_outer(self, root_prefix: str, text: str) -> None:
        """Patterns of a `.gitignore` (or `.git/info/exclude`) in a folder above the root;
        `root_prefix` is the root's path relative to that folder."""
        patterns = parse_patterns(text)
        if patterns:
            self._outer.append((root_prefix, patterns))

    def add(self, directory: str, text: str) -> None:
        """`directory` is relative to the root, '' for the root itself."""
        patterns = parse_patterns(text)
        if patterns:
            self._by_dir.setdefault(directory, []).extend(patterns)

    def ignored(self, rel: str, is_dir: bool) -> bool:
        """Is `rel` (relative to the root, '/'-separated) ignored? Parents are checked by the walker."""
        result = False
        for prefix, patterns in self._outer:
            result = _apply(patterns, f"{prefix}/{rel}" if prefix else rel, is_dir, result)
        parts = PurePosixPath(rel).parts
        # Deeper .gitignore files take precedence over shallower ones.
        for depth in range(len(parts)):
            found = self._by_dir.get("/".join(parts[:depth]))
            if found:
                result = _apply(found, "/".join(parts[depth:]), is_dir, result)
        return result


def _apply(patterns: list[_Pattern], path: str, is_dir: bool, result: bool) -> bool:
    """The last pattern that matches decides."""
    for pattern in patterns:
        if pattern.dir_only and not is_dir:
            continue
        if pattern.regex.match(path):
            result = not pattern.negated
    return result
