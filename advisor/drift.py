"""`recommend --check`: would the current rule pack change the latest recommendation?"""

from __future__ import annotations

from typing import TextIO

from advisor.errors import EXIT_FOUND, EXIT_OK, UserError


def check(pack, args, out: TextIO) -> int:
    from advisor.architecture import build
    from advisor.diff import diff_snapshots, render
    from advisor.history import entries, load_snapshot, snapshot_requirements

    items = entries()
    if not items:
        raise UserError("no saved recommendation to check against in .clerk-advisor/history/",
                        hint="run `clerk-advisor recommend` first (without --no-save)")
    latest = load_snapshot(items[-1].path)
    req = snapshot_requirements(latest, items[-1].path)
    # Docs are not re-fetched: carry the latest ones and the findings they raised, so only
    # the rule pack can cause drift here.
    from advisor.docs_attach import DOCS_FINDING_PREFIX

    carried = [f for f in latest["findings"] if f["id"].startswith(DOCS_FINDING_PREFIX)]
    fresh = build(req, pack, docs=latest.get("docs") or [], extra_findings=carried)
    result = diff_snapshots(latest, fresh, old_label=items[-1].path.name,
                            new_label=f"rule pack {pack.version} now",
                            reads={r.id: r.reads for r in pack.rules})
    if args.format == "text" and not result.has_changes:
        out.write(f"no drift: rule pack {pack.version} gives the same recommendation as {items[-1].path.name}\n")
    else:
        out.write(render(result, args.format))
    return EXIT_FOUND if result.has_changes else EXIT_OK
