"""Rendering a recommendation diff for people and scripts: text, markdown, json."""

from __future__ import annotations

import json
from typing import Any

from advisor.engine.decisions import display
from advisor.history.diff import SnapshotDiff
from advisor.markdown import code, inline
from advisor.values import as_yaml
from advisor.wrap import wrap_lines


def render_text(d: SnapshotDiff, width: int | None = None) -> str:
    lines = [f"{d.old_label} -> {d.new_label}"]
    if not d.has_any:
        return lines[0] + "\nno differences\n"
    if d.requirements:
        lines += ["", "Requirements:"]
        lines += [f"  {c['field']}: {as_yaml(c['old'])} -> {as_yaml(c['new'])}" for c in d.requirements]
    if d.rules_version or d.rules_added or d.rules_removed or d.rules_changed:
        lines += ["", "Rule pack:" + (f" {d.rules_version[0]} -> {d.rules_version[1]}" if d.rules_version else "")]
        lines += [f"  + {r}" for r in d.rules_added]
        lines += [f"  - {r}" for r in d.rules_removed]
        lines += [f"  ~ {c['rule']} v{c['old_version']} -> v{c['new_version']}" for c in d.rules_changed]
    if d.docs_changed:
        lines += ["", "Docs changed: " + ", ".join(d.docs_changed)]
    if d.decisions:
        lines += ["", f"Decisions ({len(d.decisions)} changed):"]
        for c in d.decisions:
            lines.append(f"  {c.key}: {display(c.key, c.old)} -> {display(c.key, c.new)}")
            for cause in c.causes:
                lines.append(f"      because {cause}")
    if d.findings_added or d.findings_removed or d.findings_changed:
        lines += ["", "Findings:"]
        lines += [f"  + [{f['severity']}] {f['message']} ({f['rule']})" for f in d.findings_added]
        lines += [f"  - [{f['severity']}] {f['message']} ({f['rule']})" for f in d.findings_removed]
        for fc in d.findings_changed:
            lines.append(f"  ~ {fc['id']} ({fc['new']['rule']})")
            for name, was, now in finding_changes(fc):
                if name == "message":
                    lines += [f"      message was: {was}", f"      message now: {now}"]
                else:
                    lines.append(f"      {name}: {was} -> {now}")
    if d.config_changed:
        lines += ["", "clerk-config.json changes: regenerate and run `clerk config patch` again."]
    if not d.has_changes:
        lines += ["", "The recommendation itself is unchanged."]
    # The first line names the two snapshots (paths are one word each): left whole.
    return "\n".join(lines[:1] + wrap_lines(lines[1:], width, indent=2)) + "\n"


def finding_changes(change: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(field, old, new) for each field of a finding that differs: severity, rule, message."""
    old, new = change["old"], change["new"]
    return [(name, str(old.get(name)), str(new.get(name))) for name in ("severity", "rule", "message")
            if old.get(name) != new.get(name)]


def render_markdown(d: SnapshotDiff) -> str:
    """Every value from the two sides (labels, fields, rule ids, messages: snapshot content
    can be anything) goes through the markdown escapers."""
    cell = inline
    lines = ["# Recommendation diff", "", f"{code(d.old_label)} → {code(d.new_label)}", ""]
    if not d.has_any:
        return "\n".join(lines + ["No differences.", ""])
    if d.requirements:
        lines += ["## Requirements", "", "| Field | Old | New |", "|---|---|---|"]
        lines += [f"| {code(c['field'])} | {cell(as_yaml(c['old']))} | {cell(as_yaml(c['new']))} |"
                  for c in d.requirements]
        lines.append("")
    if d.rules_version or d.rules_added or d.rules_removed or d.rules_changed:
        lines += ["## Rule pack", ""]
        if d.rules_version:
            lines.append(f"Version {cell(d.rules_version[0])} → {cell(d.rules_version[1])}.")
        lines += [f"- added {code(r)}" for r in d.rules_added]
        lines += [f"- removed {code(r)}" for r in d.rules_removed]
        lines += [f"- {code(c['rule'])} v{cell(c['old_version'])} → v{cell(c['new_version'])}" for c in d.rules_changed]
        lines.append("")
    if d.decisions:
        lines += ["## Decisions", "", "| Decision | Old | New | Why |", "|---|---|---|---|"]
        for c in d.decisions:
            lines.append(f"| {code(c.key)} | {cell(display(c.key, c.old))} | {cell(display(c.key, c.new))} | "
                         f"{cell('; '.join(c.causes))} |")
        lines.append("")
    if d.findings_added or d.findings_removed or d.findings_changed:
        lines += ["## Findings", ""]
        lines += [f"- new **{cell(f['severity'])}**: {cell(f['message'])} ({code(f['rule'])})"
                  for f in d.findings_added]
        lines += [f"- resolved **{cell(f['severity'])}**: {cell(f['message'])} ({code(f['rule'])})"
                  for f in d.findings_removed]
        for fc in d.findings_changed:
            parts = [f"message was: {cell(was)}; now: {cell(now)}" if name == "message"
                     else f"{name} {cell(was)} → {cell(now)}" for name, was, now in finding_changes(fc)]
            lines.append(f"- changed {code(fc['id'])}: " + "; ".join(parts))
        lines.append("")
    if d.docs_changed:
        lines += ["## Docs", "", "Changed for: " + ", ".join(cell(a) for a in d.docs_changed), ""]
    return "\n".join(lines)


def render(d: SnapshotDiff, fmt: str, width: int | None = None) -> str:
    """The diff as text (wrapped to `width`), markdown or json (what `diff` and
    `recommend --check` print)."""
    if fmt == "json":
        return json.dumps(d.to_data(), indent=2, ensure_ascii=False) + "\n"
    return render_markdown(d) if fmt == "markdown" else render_text(d, width)
