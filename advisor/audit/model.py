"""What an audit produces: severities, checks, findings and the report."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from advisor.severity import SEVERITIES, Level

Severity = Level  # the advisor's one severity scale, as an ordered enum
SEVERITY_NAMES = SEVERITIES


@dataclass(frozen=True)
class Reference:
    label: str
    url: str


@dataclass(frozen=True)
class CheckInfo:
    """The stable, documented face of a check: what SARIF calls a rule."""

    id: str
    severity: Severity
    title: str
    fix: str
    references: tuple[Reference, ...]
    help: str = ""

    @property
    def help_uri(self) -> str:
        return self.references[0].url


@dataclass(frozen=True)
class Finding:
    """One problem at one place. Paths are relative to the audited root, with '/'."""

    check_id: str
    severity: Severity
    path: str
    line: int
    column: int
    message: str
    end_line: int | None = None
    end_column: int | None = None
    snippet: str = ""

    def with_snippet(self, snippet: str) -> Finding:
        return replace(self, snippet=snippet)

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.check_id, self.message)


@dataclass(frozen=True)
class Suppressed:
    finding: Finding
    reason: str


@dataclass
class Stats:
    files_scanned: int = 0
    files_parsed: int = 0
    files_skipped: int = 0
    parse_errors: int = 0


@dataclass
class Report:
    root: str
    findings: list[Finding]
    suppressed: list[Suppressed]
    checks: list[CheckInfo]
    stats: Stats = field(default_factory=Stats)

    def counts(self) -> dict[str, int]:
        counts = {s.label: 0 for s in reversed(Severity)}
        for f in self.findings:
            counts[f.severity.label] += 1
        return counts

    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)

    def fails(self, threshold: Severity | None) -> bool:
        """--fail-on: is any finding at or above the threshold (None: never)?"""
        worst = self.worst()
        return threshold is not None and worst is not None and worst >= threshold
