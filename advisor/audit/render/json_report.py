"""The JSON report: the same findings as the text, for scripts."""

from __future__ import annotations

import json
from typing import Any

from advisor import __version__
from advisor.audit.model import CheckInfo, Finding, Report

JSON_SCHEMA = 1


def finding_data(finding: Finding, info: CheckInfo) -> dict[str, Any]:
    return {
        "check": finding.check_id,
        "severity": finding.severity.label,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "message": finding.message,
        "snippet": finding.snippet,
        "fix": info.fix,
        "reference": info.help_uri,
    }


def render_json(report: Report) -> str:
    infos = {c.id: c for c in report.checks}
    data = {
        "schema": JSON_SCHEMA,
        "tool": {"name": "clerk-advisor", "version": __version__},
        "root": report.root,
        "summary": {
            "findings": len(report.findings),
            "by_severity": report.counts(),
            "suppressed": len(report.suppressed),
            "files_scanned": report.stats.files_scanned,
            "files_parsed": report.stats.files_parsed,
            "parse_errors": report.stats.parse_errors,
        },
        "findings": [finding_data(f, infos[f.check_id]) for f in report.findings],
        "suppressed": [{**finding_data(s.finding, infos[s.finding.check_id]), "reason": s.reason}
                       for s in report.suppressed],
        "checks": [{"id": c.id, "severity": c.severity.label, "title": c.title, "fix": c.fix,
                    "references": [{"label": r.label, "url": r.url} for r in c.references]}
                   for c in report.checks],
    }
    # ensure_ascii keeps the document valid whatever bytes the source held (lone surrogates included).
    return json.dumps(data, indent=2, ensure_ascii=True) + "\n"
