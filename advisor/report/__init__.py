"""Stage 5 (for people): an architecture, a diff or an explanation rendered as text for a
terminal, markdown for a repository, or json for scripts. Pure functions of their input."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from advisor.architecture import Architecture
    from advisor.engine import Reference

Format = Literal["text", "markdown", "json"]


def render_json(arch: Architecture) -> str:
    """The snapshot document, which is also the history file format."""
    return json.dumps(arch.to_data(), indent=2, ensure_ascii=False) + "\n"


def render(arch: Architecture, fmt: Format, references: Mapping[str, Reference], *, color: bool = False,
           width: int | None = None) -> str:
    """`width` wraps text output (markdown and json are never wrapped)."""
    if fmt == "json":
        return render_json(arch)
    from advisor.report.architecture import render_markdown, render_text

    if fmt == "markdown":
        return render_markdown(arch, references)
    return render_text(arch, color=color, width=width)


__all__ = ["Format", "render", "render_json"]
