"""Python dependencies added to an app's requirement files and pyproject.toml.

Only names the app does not declare are added, pinned as the starter pins them; the app's
own pins stay. A requirements file gets lines at its end; a pyproject.toml array gets
items at its start, on their own lines, and the file is parsed again (tomllib) and must
say what it said before plus the new items, or the edit is refused.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass

from advisor.adopt.model import Edited, EditResult, Refused, Unneeded
from advisor.adopt.textfiles import ADDED_BY

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(line: str) -> str | None:
    """The distribution a requirements line (or a PEP 508 string) names; None for options,
    includes, URLs and comments."""
    line = line.split("#", 1)[0].strip()
    if not line or line.startswith(("-", "git+", "http:", "https:", "file:", ".", "/")):
        return None
    match = _NAME.match(line)
    return normalise(match.group(1)) if match else None


def requirement_lines(text: str) -> list[str]:
    """The requirement lines of a requirements file (not includes, options or comments)."""
    return [line.strip() for line in text.splitlines() if requirement_name(line)]


def pins(text: str) -> dict[str, str]:
    """{normalised name: the line} of a requirements file."""
    return {requirement_name(line) or "": line.strip() for line in text.splitlines() if requirement_name(line)}


def _missing(wanted: list[str], present: set[str]) -> list[str]:
    return [line for line in wanted if requirement_name(line) not in present]


def requirements_edit(wanted: list[str], also_present: Callable[[], set[str]] = set) -> Callable[[bytes], EditResult]:
    """Append the wanted requirement lines the file does not name. `also_present`: names the
    file gets from elsewhere (the file a `-r` line includes)."""

    def edit(data: bytes) -> EditResult:
        text = data.decode("utf-8", errors="surrogateescape")
        present = {requirement_name(line) for line in text.splitlines()} | also_present()
        missing = _missing(wanted, {p for p in present if p})
        if not missing:
            return Unneeded("names every package the setup needs already")
        nl = "\r\n" if "\r\n" in text else "\n"
        prefix = "" if not text or text.endswith(("\n", "\r")) else nl
        block = nl.join([f"# Clerk ({ADDED_BY}), pinned as verified:", *missing]) + nl
        new = text + prefix + block
        return Edited(new.encode("utf-8", errors="surrogateescape"), "adds " + ", ".join(missing))

    return edit


@dataclass(frozen=True)
class TomlArray:
    """Where a dependency list lives in pyproject.toml: [table] key = [...]."""

    table: str
    key: str

    def read(self, data: dict) -> list | None:
        node: object = data
        for part in self.table.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        value = node.get(self.key) if isinstance(node, dict) else None
        return value if isinstance(value, list) else None


RUNTIME_ARRAYS = (TomlArray("project", "dependencies"),)
DEV_ARRAYS = (TomlArray("dependency-groups", "dev"), TomlArray("project.optional-dependencies", "dev"),
              TomlArray("project.optional-dependencies", "test"))


def pyproject_arrays(data: bytes, arrays: tuple[TomlArray, ...]) -> TomlArray | None:
    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return next((a for a in arrays if a.read(parsed) is not None), None)


def pyproject_edit(groups: list[tuple[list[str], tuple[TomlArray, ...]]]) -> Callable[[bytes], EditResult]:
    """Each group: requirement lines for the first of its arrays the file has (runtime
    dependencies, then dev dependencies)."""

    def edit(data: bytes) -> EditResult:
        try:
            text = data.decode("utf-8")
            tomllib.loads(text)
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            every = ", ".join(line for lines, _ in groups for line in lines)
            return Refused(f"pyproject.toml does not parse ({exc}); not edited", advice=f"add: {every}")
        done: list[str] = []
        for wanted, arrays in groups:
            parsed = tomllib.loads(text)
            target = next((a for a in arrays if a.read(parsed) is not None), None)
            if target is None:
                continue
            current = target.read(parsed) or []
            missing = _missing(wanted, {requirement_name(str(item)) or "" for item in current})
            if not missing:
                continue
            advice = f"add to [{target.table}] {target.key}: " + ", ".join(missing)
            try:
                new = _insert_items(text, target, missing)
            except ValueError as exc:
                return Refused(f"pyproject.toml could not be edited safely ({exc})", advice=advice)
            if target.read(tomllib.loads(new)) != [*missing, *current]:
                return Refused("pyproject.toml could not be edited safely (the result would say something else)",
                               advice=advice)
            text = new
            done.append(f"{', '.join(missing)} to [{target.table}] {target.key}")
        if not done:
            return Unneeded("names every package the setup needs already")
        return Edited(text.encode("utf-8"), "adds " + "; ".join(done))

    return edit


def _insert_items(text: str, target: TomlArray, items: list[str]) -> str:
    """New items at the start of the array, each on its own line when the array spans lines."""
    nl = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(True)
    in_table = False
    for number, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("["):
            in_table = stripped.strip("[] \t\r\n") == target.table
            continue
        if not in_table or not re.match(rf"{re.escape(target.key)}\s*=\s*\[", stripped):
            continue
        opening = line.index("[")
        rest = line[opening + 1:].strip()
        quoted = [f'"{item}"' for item in items]
        if rest == "" or rest.startswith("#"):
            following = next((lines[j] for j in range(number + 1, len(lines)) if lines[j].strip()), "  ")
            indent = following[:len(following) - len(following.lstrip())] or "  "
            block = "".join(f"{indent}{item},{nl}" for item in quoted)
            return "".join(lines[:number + 1]) + block + "".join(lines[number + 1:])
        separator = "" if rest.startswith("]") else ", "
        new_line = line[:opening + 1] + ", ".join(quoted) + separator + line[opening + 1:]
        return "".join(lines[:number]) + new_line + "".join(lines[number + 1:])
    raise ValueError(f"no `{target.key} = [` line in [{target.table}]")
