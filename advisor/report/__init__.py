"""Stage 5 (for people): an architecture, a diff or an explanation rendered as text for a
terminal, markdown for a repository, or json for scripts. Pure functions of their input."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from advisor.architecture import Architecture
from advisor.engine import Reference
from advisor.report.architecture import render_json, render_markdown, render_text

Format = Literal["text", "markdown", "json"]


def render(arch: Architecture, fmt: Format, references: Mapping[str, Reference], *, color: bool = False) -> str:
    if fmt == "json":
        return render_json(arch)
    if fmt == "markdown":
        return render_markdown(arch, references)
    return render_text(arch, color=color)


__all__ = ["Format", "render", "render_json", "render_markdown", "render_text"]
