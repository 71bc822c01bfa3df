"""`generate --adopt`: the recommended Clerk setup brought into an app that already exists.

The same render -> plan -> writer as `generate`: the starter's templates are rendered for
the architecture, then each file is adopted by a pure planner (new files where the path
is free, small parser-backed edits of the app's own files, refusals with the reason and a
patch where an edit would not be safe), and the one writer applies the plan. The manifest
records what was adopted, so `--update` merges later generations into those files and
edits as it does for generated projects.

    plan_adoption(arch, stack, out, update=False) -> Adoption   what would happen; writes nothing
    is_adopted(out) -> bool                                     was this directory adopted before?
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from advisor.adopt.model import Adoption, Attention, Refusal

if TYPE_CHECKING:
    from advisor.architecture import Architecture

__all__ = ["Adoption", "Attention", "Refusal", "is_adopted", "plan_adoption"]


def plan_adoption(arch: Architecture, stack: str, out: Path, *, update: bool = False,
                  templates_dir: Path | None = None) -> Adoption:
    """What adopting `stack` for `arch` into the app at `out` would do. Writes nothing."""
    from advisor.adopt.planner import previous_manifest
    from advisor.errors import UserError

    previous = previous_manifest(out)
    if stack == "nextjs":
        from advisor.adopt import nextjs

        return nextjs.adopt(arch, out, update=update, previous=previous, templates_dir=templates_dir)
    if stack == "fastapi":
        from advisor.adopt import fastapi

        return fastapi.adopt(arch, out, update=update, previous=previous, templates_dir=templates_dir)
    raise UserError(f"unknown stack {stack!r}", allowed="nextjs, fastapi")


def is_adopted(out: Path) -> bool:
    from advisor.adopt.planner import is_adopted as adopted

    return adopted(out)
