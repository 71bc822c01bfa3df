"""Dependencies added to an app's package.json, everything else byte for byte as it was.

The file is read with a small JSON scanner that knows where each member starts and ends;
a new dependency goes on its own line, in alphabetical place, indented like its
neighbours. The result is parsed again and must equal the app's manifest plus the new
dependencies, or the edit is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

_WS = " \t\r\n"


@dataclass(frozen=True)
class Member:
    key: str
    key_start: int
    value_start: int
    value_end: int


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in _WS:
        i += 1
    return i


def _string_end(text: str, i: int) -> int:
    if text[i] != '"':
        raise ValueError(f"expected a string at offset {i}")
    i += 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == '"':
            return i + 1
        i += 1
    raise ValueError("unterminated string")


def _value_end(text: str, i: int) -> int:
    if text[i] == '"':
        return _string_end(text, i)
    if text[i] in "{[":
        depth = 0
        while i < len(text):
            c = text[i]
            if c == '"':
                i = _string_end(text, i)
                continue
            if c in "{[":
                depth += 1
            elif c in "}]":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        raise ValueError("unterminated object")
    while i < len(text) and text[i] not in ",}]" + _WS:
        i += 1
    return i


def members(text: str, open_at: int) -> tuple[list[Member], int]:
    """The members of the object whose `{` is at `open_at`, and the offset of its `}`."""
    found: list[Member] = []
    i = _skip(text, open_at + 1)
    if text[i] == "}":
        return found, i
    while True:
        key_end = _string_end(text, i)
        key = json.loads(text[i:key_end])
        colon = _skip(text, key_end)
        if text[colon] != ":":
            raise ValueError(f"expected ':' at offset {colon}")
        value_start = _skip(text, colon + 1)
        value_end = _value_end(text, value_start)
        found.append(Member(key, i, value_start, value_end))
        i = _skip(text, value_end)
        if text[i] == "}":
            return found, i
        if text[i] != ",":
            raise ValueError(f"expected ',' or '}}' at offset {i}")
        i = _skip(text, i + 1)


def _line_indent(text: str, offset: int) -> str | None:
    """The whitespace before `offset` on its line, or None when something else precedes it."""
    start = text.rfind("\n", 0, offset) + 1
    before = text[start:offset]
    return before if before.strip() == "" else None


def _entry(name: str, version: str) -> str:
    return f"{json.dumps(name)}: {json.dumps(version)}"


def add_dependencies(text: str, section: str, deps: dict[str, str]) -> str:
    """`text` with `deps` added to `section` ("dependencies"); raises ValueError when the
    file cannot be edited safely."""
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("package.json is not an object")
    nl = "\r\n" if "\r\n" in text else "\n"
    top_open = _skip(text, 0)
    top, top_close = members(text, top_open)
    unit = _line_indent(text, top[0].key_start) if top else None
    unit = unit if unit else "  "
    wanted = dict(sorted(deps.items()))
    target = next((m for m in top if m.key == section), None)
    if target is None:
        body = f",{nl}".join(f"{unit}{unit}{_entry(n, v)}" for n, v in wanted.items())
        block = f"{unit}{json.dumps(section)}: {{{nl}{body}{nl}{unit}}}"
        anchor = next((m for m in top if m.key in ("devDependencies", "peerDependencies")), None)
        if anchor is not None and _line_indent(text, anchor.key_start) is not None:
            at = text.rfind("\n", 0, anchor.key_start) + 1
            new = text[:at] + block + "," + nl + text[at:]
        elif top:
            last = top[-1]
            new = text[:last.value_end] + "," + nl + block + text[last.value_end:]
        else:
            raise ValueError("package.json has no members to place the dependencies after")
    else:
        if text[target.value_start] != "{":
            raise ValueError(f"{section} is not an object")
        entries, close = members(text, target.value_start)
        outer = _line_indent(text, target.key_start) or ""
        inner = (_line_indent(text, entries[0].key_start) if entries else None) or outer + unit
        edits: list[tuple[int, str]] = []
        if not entries:
            body = f",{nl}".join(f"{inner}{_entry(n, v)}" for n, v in wanted.items())
            new = text[:target.value_start] + "{" + nl + body + nl + outer + "}" + text[close + 1:]
        else:
            for name, version in wanted.items():
                after = next((m for m in entries if m.key > name), None)
                if after is not None:
                    indent = _line_indent(text, after.key_start)
                    if indent is not None:
                        at = text.rfind("\n", 0, after.key_start) + 1
                        edits.append((at, f"{indent}{_entry(name, version)},{nl}"))
                    else:
                        edits.append((after.key_start, f"{_entry(name, version)}, "))
                else:
                    last = entries[-1]
                    inline = _line_indent(text, last.key_start) is None
                    sep = ", " if inline else f",{nl}{inner}"
                    edits.append((last.value_end, f"{sep}{_entry(name, version)}"))
            new = text
            # Right to left; of two insertions at one place, the later name first, so they end up in order.
            for _, (at, insert) in sorted(enumerate(edits), key=lambda e: (e[1][0], e[0]), reverse=True):
                new = new[:at] + insert + new[at:]
    expected = json.loads(text)
    expected.setdefault(section, {}).update(wanted)
    if json.loads(new) != expected:
        raise ValueError("the edited package.json would not say the same as before plus the new dependencies")
    return new
