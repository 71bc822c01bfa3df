"""The terminal report: findings grouped by file, each with its line of source and its fix."""

from __future__ import annotations

from itertools import groupby

from advisor.audit.model import Report, Severity
from advisor.terminal import printable, sgr

_COLORS = {Severity.CRITICAL: sgr("1;31"), Severity.HIGH: sgr("31"), Severity.MEDIUM: sgr("33"),
           Severity.LOW: sgr("36"), Severity.INFO: sgr("2")}
_RESET = sgr("0")


def render_text(report: Report, *, color: bool = False) -> str:
    infos = {c.id: c for c in report.checks}
    lines: list[str] = []

    def paint(severity: Severity, text: str) -> str:
        return f"{_COLORS[severity]}{text}{_RESET}" if color else text

    for path, group in groupby(report.findings, key=lambda f: f.path):
        lines.append(printable(path))
        for finding in group:
            info = infos[finding.check_id]
            label = paint(finding.severity, f"{finding.severity.label:<8}")
            lines.append(f"  {finding.line}:{finding.column}  {label}  {finding.check_id}  "
                         f"{printable(finding.message)}")
            if finding.snippet.strip():
                lines.append(f"      | {printable(finding.snippet.strip())[:200]}")
            lines.append(f"      fix: {printable(info.fix)}")
            lines.append(f"      see: {info.help_uri}")
        lines.append("")
    counts = ", ".join(f"{n} {label}" for label, n in report.counts().items() if n)
    total = len(report.findings)
    summary = f"{total} finding{'s' if total != 1 else ''}" + (f" ({counts})" if counts else "")
    summary += f"; {len(report.suppressed)} suppressed; {report.stats.files_scanned} files scanned"
    if report.stats.parse_errors:
        summary += f", {report.stats.parse_errors} could not be parsed"
    lines.append(summary)
    return "\n".join(lines) + "\n"
