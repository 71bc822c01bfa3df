"""Stage 5 (for code): starter projects. Architecture -> rendered files -> plan -> writer.

`render` is a pure function from the architecture to {path: content}; `plan` compares that
with what is on disk and in the manifest of the last generation; `writer` applies a plan.
`--dry-run` prints the plan and never calls the writer.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from advisor.architecture import Architecture
    from advisor.generate.plan import Plan


def plan_project(arch: Architecture, stack: str, out: Path, *, force: bool = False, update: bool = False,
                 templates_dir: Path | None = None) -> Plan:
    """What generating `stack` for `arch` into `out` would do to each file. Writes nothing."""
    from advisor.generate.context import context_from
    from advisor.generate.plan import make_plan
    from advisor.generate.render import default_templates_dir, file_options, render

    tdir = templates_dir or default_templates_dir()
    ctx = context_from(arch, stack, tdir)
    options = file_options(stack, ctx, tdir)
    meta = {"tool_version": arch.tool_version, "rules_version": arch.rules_version,
            "requirements_sha256": arch.requirements_sha256}
    return make_plan(out, stack, render(stack, ctx, tdir), meta, force=force, update=update,
                     replaces=options.replaces, once=options.once)
