"""Line files the setup adds to: `.env.example` (variable names merged in) and `.gitignore`
(env files kept out of git). Lines are only ever appended; the app's lines stay."""

from __future__ import annotations

import re
from collections.abc import Callable

from advisor.adopt.model import Edited, EditResult, Unneeded
from advisor.audit.gitignore import IgnoreRules

ADDED_BY = "added by clerk-advisor generate --adopt"
_VARIABLE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$")


def env_names(text: str) -> set[str]:
    return {m.group(1) for m in map(_VARIABLE.match, text.splitlines()) if m}


def retarget_env(text: str, values: dict[str, str]) -> str:
    """Variables whose value is a key of `values` get its value instead."""
    out = []
    for line in text.splitlines(True):
        match = _VARIABLE.match(line.rstrip("\r\n"))
        value = match.group(2).strip() if match else None
        if match and value in values:
            ending = line[len(line.rstrip("\r\n")):]
            line = f"{match.group(1)}={values[value]}{ending}"
        out.append(line)
    return "".join(out)


def _paragraphs(text: str) -> list[list[str]]:
    found: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip():
            found[-1].append(line)
        elif found[-1]:
            found.append([])
    return [p for p in found if p]


def env_merge(template: str) -> Callable[[bytes], EditResult]:
    """Add the variables of the starter's .env.example that the app's does not name, each
    with the comment above it."""

    def edit(data: bytes) -> EditResult:
        text = data.decode("utf-8", errors="surrogateescape")
        have = env_names(text)
        header: list[str] = []
        blocks: list[list[str]] = []
        added: list[str] = []
        for paragraph in _paragraphs(template):
            names = [m.group(1) if m else None for m in map(_VARIABLE.match, paragraph)]
            if not any(names):
                if not blocks and not header:
                    header = paragraph
                continue
            missing = [line for line, name in zip(paragraph, names, strict=True) if name and name not in have]
            if missing:
                comments = [line for line, name in zip(paragraph, names, strict=True) if name is None]
                blocks.append(comments + missing)
                added += [m.group(1) for m in map(_VARIABLE.match, missing) if m]
        if not added:
            return Unneeded("names every variable of the setup already")
        nl = "\r\n" if "\r\n" in text else "\n"
        lines = [f"# Clerk ({ADDED_BY})", *header]
        section = nl.join(lines) + nl + (nl + nl).join(nl.join(block) for block in blocks) + nl
        prefix = "" if not text or text.endswith(("\n", "\r")) else nl
        spacer = nl if text.strip() else ""
        new = text + prefix + spacer + section
        return Edited(new.encode("utf-8", errors="surrogateescape"), f"adds {', '.join(added)}")

    return edit


def gitignore_edit() -> Callable[[bytes], EditResult]:
    """Env files with keys stay out of git; the example (names only) stays in."""

    def edit(data: bytes) -> EditResult:
        text = data.decode("utf-8", errors="surrogateescape")
        wanted: list[str] = []
        if not _ignores(text, ".env") or not _ignores(text, ".env.local"):
            wanted += [".env", ".env.*"]
        if _ignores(text + "\n" + "\n".join(wanted), ".env.example"):
            wanted.append("!.env.example")
        if not wanted:
            return Unneeded("keeps .env files out of git already")
        nl = "\r\n" if "\r\n" in text else "\n"
        prefix = "" if not text or text.endswith(("\n", "\r")) else nl
        block = nl.join([f"# Clerk keys live in .env files that never reach git ({ADDED_BY}).", *wanted]) + nl
        new = text + prefix + (nl if text.strip() else "") + block
        return Edited(new.encode("utf-8", errors="surrogateescape"), "adds " + ", ".join(wanted))

    return edit


def _ignores(text: str, rel: str) -> bool:
    rules = IgnoreRules()
    rules.add("", text)
    return rules.ignored(rel, False)
