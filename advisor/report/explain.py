"""`explain` and `rules show` as text (their json is the explanation data itself)."""

from __future__ import annotations

from typing import Any

from advisor.engine.decisions import display
from advisor.values import show


def render_key(data: dict[str, Any]) -> str:
    key = data["key"]
    lines = [f"{key} = {display(key, data['value'])}", f"  ({data['summary']})", ""]
    if data["winner"]:
        lines.append(f"Decided by {data['winner']}: {data['reason']}")
    else:
        lines.append("No rule set this key for these requirements.")
    if data["contributions"]:
        lines += ["", "Rules that applied:"]
        for c in data["contributions"]:
            what = f"remove {show(c['value'])}" if c["action"] == "remove" else display(key, c["value"])
            pref = f" (your preference {c['preference']})" if c["preference"] else ""
            lines.append(f"  {c['outcome']:<7} {c['rule']} v{c['version']} [{c['severity']}]{pref}: {what}")
            lines.append(f"          {c['because']}")
    if data["not_applied"]:
        lines += ["", "Rules that did not apply:"]
        for r in data["not_applied"]:
            lines.append(f"  {r['rule']}: would set {show(r['would'])} when {r['when']}")
    lines += _sources(data["refs"])
    return "\n".join(lines) + "\n"


def _sources(refs: list[dict[str, str]]) -> list[str]:
    if not refs:
        return []
    return ["", "Sources:"] + [f"  {ref['key']}: {ref['title']} <{ref['url']}>" for ref in refs]


def render_rule(data: dict[str, Any]) -> str:
    lines = [f"{data['rule']} v{data['version']}: {data['title']}", f"  defined at {data['location']}",
             f"  severity  {data['severity']}", f"  when      {data['when']}"]
    for k, v in data["set"].items():
        lines.append(f"  sets      {k} = {show(v)}")
    for k, v in data["remove"].items():
        lines.append(f"  removes   {show(v)} from {k}")
    if data["finding"]:
        lines.append(f"  finding   {data['finding']}")
    if data["preference"]:
        lines.append(f"  carries   your preference {data['preference']}")
    lines.append(f"  because   {data['because']}")
    for ref in data["refs"]:
        lines.append(f"  source    {ref['key']}: {ref['title']} <{ref['url']}>")
    if "applies" in data:
        lines.append("")
        lines.append("Applies to these requirements: " + ("yes" if data["applies"] else "no"))
        for k, o in data["outcomes"].items():
            lines.append(f"  {k}: {o}")
    return "\n".join(lines) + "\n"
