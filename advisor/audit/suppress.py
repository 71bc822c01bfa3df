"""Inline suppressions: `// clerk-advisor: ignore CHECK-ID -- reason` (or `#` in Python).

A suppression names the check and says why; it silences that check on its own line (a
trailing comment) or on the next code line (a comment alone on its line). One without a
reason, or naming no known check, silences nothing and is itself reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from advisor.audit.comments import Comment, comments
from advisor.audit.model import Finding, Suppressed
from advisor.audit.project import Project

MARKER = re.compile(r"^clerk-advisor:\s*ignore\b\s*(.*)$", re.S)
_ID = re.compile(r"[a-z0-9]+(?:\.[a-z0-9-]+)+(?=[\s,:]|$)")


@dataclass(frozen=True)
class Suppression:
    rel: str
    comment: Comment
    lines: frozenset[int]
    ids: frozenset[str]
    reason: str


def parse(rest: str) -> tuple[list[str], str]:
    """'a.b, c.d -- why, exactly' -> (['a.b', 'c.d'], 'why, exactly')."""
    ids: list[str] = []
    rest = rest.strip()
    while True:
        match = _ID.match(rest)
        if not match:
            break
        ids.append(match.group(0))
        rest = rest[match.end():].lstrip().removeprefix(",").lstrip()
    return ids, rest.lstrip("-:\u2014").strip()


def collect(project: Project, known: Callable[[str], bool]) -> tuple[list[Suppression], list[tuple[str, int, str]]]:
    """(valid suppressions, invalid ones as (file, line, message))."""
    valid: list[Suppression] = []
    invalid: list[tuple[str, int, str]] = []
    for rel, source in project.sources.items():
        if b"clerk-advisor" not in source.data:
            continue
        for comment in comments(source, project.js.get(rel)):
            match = MARKER.match(comment.text)
            if not match:
                continue
            ids, reason = parse(match.group(1))
            unknown = [i for i in ids if not known(i)]
            if not ids:
                invalid.append((rel, comment.line, "suppression names no check id"))
            elif unknown:
                invalid.append((rel, comment.line, f"suppression names unknown check {unknown[0]}"))
            elif not reason:
                invalid.append((rel, comment.line, f"suppression of {', '.join(ids)} gives no reason"))
            else:
                lines = frozenset({comment.line, comment.target_line(source)})
                valid.append(Suppression(rel, comment, lines, frozenset(ids), reason))
    return valid, invalid


def apply(findings: list[Finding], suppressions: list[Suppression]) -> tuple[list[Finding], list[Suppressed]]:
    index: dict[tuple[str, int], list[Suppression]] = {}
    for suppression in suppressions:
        for line in suppression.lines:
            index.setdefault((suppression.rel, line), []).append(suppression)
    kept: list[Finding] = []
    silenced: list[Suppressed] = []
    for finding in findings:
        match = next((s for s in index.get((finding.path, finding.line), []) if finding.check_id in s.ids), None)
        if match is None:
            kept.append(finding)
        else:
            silenced.append(Suppressed(finding, match.reason))
    return kept, silenced
