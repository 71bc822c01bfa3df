"""Report renderers: text for a terminal, JSON, and SARIF 2.1.0 for code scanning."""

from __future__ import annotations

from advisor.audit.model import Report

FORMATS = ("text", "json", "sarif")


def render(report: Report, fmt: str, *, color: bool = False) -> str:
    if fmt == "json":
        from advisor.audit.render.json_report import render_json

        return render_json(report)
    if fmt == "sarif":
        from advisor.audit.render.sarif import render_sarif

        return render_sarif(report)
    from advisor.audit.render.text import render_text

    return render_text(report, color=color)
