"""Rendering a recommendation diff for people and scripts: text, markdown, json."""

from __future__ import annotations

import json

from advisor.engine.decisions import display
from advisor.history.diff import SnapshotDiff
from advisor.markdown import code, inline
from advisor.values import as_yaml


def render_text(d: SnapshotDiff) -> str:
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
        lines += [f"  ~ {c['id']}: {c['old']['severity']} -> {c['new']['severity']}" for c in d.findings_changed]
    if d.config_changed:
        lines += ["", "clerk-config.json changes: regenerate and run `clerk config patch` again."]
    if not d.has_changes:
        lines += ["", "The recommendation itself is unchanged."]
    return "\n".join(lines) + "\n"


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
        lines += [f"- {code(c['id'])}: {cell(c['old']['severity'])} → {cell(c['new']['severity'])}"
                  for c in d.findings_changed]
        lines.append("")
    if d.docs_changed:
        lines += ["## Docs", "", "Changed for: " + ", ".join(cell(a) for a in d.docs_changed), ""]
    return "\n".join(lines)


def render(d: SnapshotDiff, fmt: str) -> str:
    """The diff as text, markdown or json (what `diff` and `recommend --check` print)."""
    if fmt == "json":
        return json.dumps(d.to_data(), indent=2, ensure_ascii=False) + "\n"
    return render_markdown(d) if fmt == "markdown" else render_text(d)
