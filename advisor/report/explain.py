"""`explain` and `rules show` as text (their json is the explanation data itself). With a
width, every line is wrapped to it and keeps its hanging indent."""

from __future__ import annotations

from typing import Any

from advisor.engine.decisions import display
from advisor.values import show
from advisor.wrap import hang


def render_key(data: dict[str, Any], width: int | None = None) -> str:
    key = data["key"]
    lines = [*hang("", f"{key} = {display(key, data['value'])}", width, 2), f"  ({data['summary']})", ""]
    if data["winner"]:
        lines += hang("", f"Decided by {data['winner']}: {data['reason']}", width, 2)
    else:
        lines.append("No rule set this key for these requirements.")
    if data["contributions"]:
        lines += ["", "Rules that applied:"]
        for c in data["contributions"]:
            what = f"remove {show(c['value'])}" if c["action"] == "remove" else display(key, c["value"])
            pref = f" (your preference {c['preference']})" if c["preference"] else ""
            lines += hang(f"  {c['outcome']:<7} ", f"{c['rule']} v{c['version']} [{c['severity']}]{pref}: {what}",
                          width)
            lines += hang(" " * 10, c["because"], width)
    if data["not_applied"]:
        lines += ["", "Rules that did not apply:"]
        for r in data["not_applied"]:
            lines += hang("  ", f"{r['rule']}: would set {show(r['would'])} when {r['when']}", width, 4)
    lines += _sources(data["refs"], width)
    return "\n".join(lines) + "\n"


def _sources(refs: list[dict[str, str]], width: int | None) -> list[str]:
    if not refs:
        return []
    lines = ["", "Sources:"]
    for ref in refs:
        lines += hang("  ", f"{ref['key']}: {ref['title']} <{ref['url']}>", width, 4)
    return lines


def render_rule(data: dict[str, Any], width: int | None = None) -> str:
    def field(label: str, text: str) -> list[str]:
        return hang(f"  {label:<9} ", text, width)

    lines = [*hang("", f"{data['rule']} v{data['version']}: {data['title']}", width, 2),
             *hang("  ", f"defined at {data['location']}", width, 4),
             *field("severity", data["severity"]), *field("when", data["when"])]
    for k, v in data["set"].items():
        lines += field("sets", f"{k} = {show(v)}")
    for k, v in data["remove"].items():
        lines += field("removes", f"{show(v)} from {k}")
    if data["finding"]:
        lines += field("finding", data["finding"])
    if data["preference"]:
        lines += field("carries", f"your preference {data['preference']}")
    lines += field("because", data["because"])
    for ref in data["refs"]:
        lines += field("source", f"{ref['key']}: {ref['title']} <{ref['url']}>")
    if "applies" in data:
        lines.append("")
        lines.append("Applies to these requirements: " + ("yes" if data["applies"] else "no"))
        for k, o in data["outcomes"].items():
            lines.append(f"  {k}: {o}")
    return "\n".join(lines) + "\n"
