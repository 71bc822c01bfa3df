"""Semgrep-style expectations for `check`: `ruleid: ID` / `ok: ID` comments in case files.

A marker comment alone on its line speaks about the next line; a trailing one about its
own line. Files that cannot carry comments (JSON) list expectations in the case's EXPECT
file: `PATH[:LINE] ruleid|ok CHECK-ID` (an `ok` without a line: nowhere in that file).
A case's CASE.json may name `requirements` and `instance_configs` (paths in the case).
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from advisor.audit import AuditOptions, Report, audit
from advisor.audit.comments import comments
from advisor.audit.project import Project

CASES = Path(__file__).resolve().parent / "cases"
_MARKER = re.compile(r"^(ruleid|ok):\s*([a-z0-9.,\s-]+)$")


@dataclass(frozen=True)
class Expectation:
    kind: str  # 'ruleid' | 'ok'
    check: str
    path: str
    line: int | None  # None: anywhere in the file (ok only)


def expectations(root: Path) -> list[Expectation]:
    project = Project.load(root)
    found: list[Expectation] = []
    for rel, source in project.sources.items():
        for comment in comments(source, project.js.get(rel)):
            match = _MARKER.match(comment.text)
            if match:
                line = comment.line + 1 if comment.standalone else comment.line
                for check in match.group(2).replace(",", " ").split():
                    found.append(Expectation(match.group(1), check, rel, line))
    expect = root / "EXPECT"
    if expect.exists():
        for raw in expect.read_text().splitlines():
            if not raw.strip() or raw.startswith("#"):
                continue
            where, kind, check = raw.split()
            path, _, line = where.partition(":")
            found.append(Expectation(kind, check, path, int(line) if line else None))
    return found


def copy_case(name: str, tmp: Path) -> Path:
    """Cases run from a copy, outside this repository's git index and .gitignore."""
    target = tmp / name
    shutil.copytree(CASES / name, target, symlinks=True)
    return target


def run_case(root: Path) -> Report:
    config = root / "CASE.json"
    options = AuditOptions()
    if config.exists():
        data = json.loads(config.read_text())
        options = AuditOptions(
            requirements=root / data["requirements"] if "requirements" in data else None,
            instance_configs=tuple(root / p for p in data.get("instance_configs", [])),
        )
    return audit(root, options)


def verify(report: Report, expected: list[Expectation]) -> list[str]:
    """Problems: missed ruleid lines, findings on ok lines, and findings of a tested check on
    lines no ruleid marks."""
    problems: list[str] = []
    at = {(f.check_id, f.path, f.line) for f in report.findings}
    tested = {e.check for e in expected}
    wanted = {(e.check, e.path, e.line) for e in expected if e.kind == "ruleid"}
    for e in expected:
        if e.kind == "ruleid" and (e.check, e.path, e.line) not in at:
            problems.append(f"missed: {e.check} at {e.path}:{e.line}")
        if e.kind == "ok":
            hits = [f for f in report.findings if f.check_id == e.check and f.path == e.path
                    and (e.line is None or f.line == e.line)]
            problems += [f"false positive: {e.check} at {f.path}:{f.line}: {f.message}" for f in hits]
    for f in report.findings:
        if f.check_id in tested and (f.check_id, f.path, f.line) not in wanted:
            problems.append(f"unmarked finding: {f.check_id} at {f.path}:{f.line}: {f.message}")
    return sorted(set(problems))
