"""SARIF 2.1.0, as GitHub code scanning reads it.

Rules carry help text, a help URI and a `security-severity`; results carry relative,
percent-encoded URIs under %SRCROOT%, 1-based regions and a stable partial fingerprint
(check, file and the normalised line text, so a finding keeps its identity when lines
above it move). Suppressed findings are included with an in-source suppression.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from advisor import __version__
from advisor.audit.model import CheckInfo, Finding, Report, Severity

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://clerk.com/docs"
LEVELS = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
          Severity.LOW: "note", Severity.INFO: "note"}
SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5",
                     Severity.LOW: "3.0", Severity.INFO: "1.0"}


def _rule(info: CheckInfo) -> dict[str, Any]:
    refs_md = "\n".join(f"- [{r.label}]({r.url})" for r in info.references)
    refs_text = "\n".join(f"- {r.label}: {r.url}" for r in info.references)
    return {
        "id": info.id,
        "name": "".join(part.capitalize() for part in info.id.replace(".", "-").split("-")),
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": info.help},
        "helpUri": info.help_uri,
        "help": {
            "text": f"{info.help}\n\nFix: {info.fix}\n\nReferences:\n{refs_text}",
            "markdown": f"{info.help}\n\n**Fix:** {info.fix}\n\n**References:**\n{refs_md}",
        },
        "defaultConfiguration": {"level": LEVELS[info.severity]},
        "properties": {
            "tags": ["security", "clerk"],
            "precision": "medium",
            "problem.severity": "error" if info.severity >= Severity.HIGH else
            "warning" if info.severity == Severity.MEDIUM else "recommendation",
            "security-severity": SECURITY_SEVERITY[info.severity],
        },
    }


def _artifact(path: str) -> dict[str, str]:
    posix = PurePosixPath(path)
    if posix.is_absolute():
        return {"uri": "file://" + quote(str(posix), safe="/")}
    return {"uri": quote(str(posix), safe="/"), "uriBaseId": "%SRCROOT%"}


def _fingerprint(finding: Finding, seen: dict[str, int]) -> str:
    normalised = " ".join(finding.snippet.split())
    digest = hashlib.sha256(f"{finding.check_id}\0{finding.path}\0{normalised}".encode()).hexdigest()[:32]
    seen[digest] = seen.get(digest, 0) + 1
    return f"{digest}:{seen[digest]}"


def _result(finding: Finding, index: dict[str, int], seen: dict[str, int],
            reason: str | None = None) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": finding.line, "startColumn": finding.column}
    if finding.end_line is not None and finding.end_column is not None and finding.end_line >= finding.line:
        region["endLine"] = finding.end_line
        region["endColumn"] = finding.end_column if finding.end_line > finding.line else \
            max(finding.end_column, finding.column)
    if finding.snippet:
        region["snippet"] = {"text": finding.snippet}
    result: dict[str, Any] = {
        "ruleId": finding.check_id,
        "ruleIndex": index[finding.check_id],
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(finding.path), "region": region}}],
        "partialFingerprints": {"primaryLocationLineHash": _fingerprint(finding, seen)},
        "properties": {"severity": finding.severity.label,
                       "security-severity": SECURITY_SEVERITY[finding.severity]},
    }
    if reason is not None:
        result["suppressions"] = [{"kind": "inSource", "justification": reason}]
    return result


def sarif_document(report: Report) -> dict[str, Any]:
    index = {info.id: i for i, info in enumerate(report.checks)}
    seen: dict[str, int] = {}
    results = [_result(f, index, seen) for f in report.findings]
    results += [_result(s.finding, index, seen, s.reason) for s in report.suppressed]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "clerk-advisor",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(info) for info in report.checks],
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(report.root).as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def render_sarif(report: Report) -> str:
    return json.dumps(sarif_document(report), indent=2, ensure_ascii=True) + "\n"
