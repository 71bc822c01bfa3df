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


def _table(data: dict, dotted: str) -> dict | None:
    """The table at a dotted path (`tool.poetry.dependencies`); None when absent or not a table."""
    node: object = data
    for part in dotted.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None


@dataclass(frozen=True)
class TomlArray:
    """Where a dependency list lives in pyproject.toml: [table] key = [...]."""

    table: str
    key: str

    def read(self, data: dict) -> list | None:
        node = _table(data, self.table)
        value = node.get(self.key) if node is not None else None
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


# -- Poetry ------------------------------------------------------------------------------
# A Poetry project (`[tool.poetry.dependencies]` and no `[project] dependencies`) keeps its
# dependencies in TOML tables: `name = "constraint"` or `name = {version = ..., extras = [...]}`.

POETRY_RUNTIME = "tool.poetry.dependencies"
POETRY_DEV = "tool.poetry.group.dev.dependencies"
POETRY_LEGACY_DEV = "tool.poetry.dev-dependencies"
# name, [extras], specifier, ; markers
_POETRY_REQUIREMENT = re.compile(
    r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*([^;]*?)\s*(?:;\s*(.+?))?\s*$")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def parse_pyproject(data: bytes, where: str) -> dict:
    """pyproject.toml as data; one located UserError (exit 2) when it is not UTF-8 TOML."""
    from advisor.errors import Location, UserError

    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise UserError(f"pyproject.toml is not UTF-8 ({exc.reason}); adopt did not touch it",
                        location=Location(where, line)) from None
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11's error has no lineno attribute; its message ends "(at line L, column C)".
        found = re.search(r"\(at line (\d+), column (\d+)\)$", str(exc))
        message = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)$", "", str(exc))
        line, column = (int(found.group(1)), int(found.group(2))) if found else (data.count(b"\n") + 1, None)
        raise UserError(f"pyproject.toml does not parse ({message}); adopt did not touch it",
                        location=Location(where, line, column),
                        hint="fix the file (or run `poetry check`), then adopt again") from None


def is_poetry(parsed: dict) -> bool:
    """Dependencies in [tool.poetry.dependencies]; a Poetry 2 project that lists them in
    [project] dependencies keeps them there (the PEP 621 arrays are the place)."""
    return _table(parsed, POETRY_RUNTIME) is not None and RUNTIME_ARRAYS[0].read(parsed) is None


def poetry_dev_table(parsed: dict) -> str:
    """The group `dev`; the legacy table when the file uses that and has no dev group (a new
    group table is made when it has neither)."""
    if _table(parsed, POETRY_DEV) is None and _table(parsed, POETRY_LEGACY_DEV) is not None:
        return POETRY_LEGACY_DEV
    return POETRY_DEV


def _poetry_names(parsed: dict, tables: list[str]) -> set[str]:
    return {normalise(name) for table in tables for name in (_table(parsed, table) or {})}


def _every_poetry_table(parsed: dict) -> list[str]:
    groups = _table(parsed, "tool.poetry.group") or {}
    return [POETRY_RUNTIME, POETRY_LEGACY_DEV, *(f"tool.poetry.group.{g}.dependencies" for g in groups)]


def poetry_entry(line: str) -> tuple[str, str | dict]:
    """A requirement line as a Poetry dependency: (name, value as TOML data).

    The starter pins `name==X.Y.Z`. Poetry reads PEP 440 specifiers as they are (`==7.9.1`
    is its exact requirement, `>=7.0,<8` its multiple requirement), so the specifier is kept
    verbatim rather than translated: a caret would widen the pin (`^7.9.1` is >=7.9.1,<8.0.0),
    and a bare `7.9.1`, although exact in Poetry, reads like a floor to many people. No
    specifier means any version (`*`). Extras and environment markers become the inline
    table's `extras` and `markers`."""
    match = _POETRY_REQUIREMENT.match(line)
    if match is None:
        raise ValueError(f"not a requirement: {line}")
    name, extras, spec, markers = match.groups()
    version = spec.strip() or "*"
    if not extras and not markers:
        return name, version
    value: dict[str, object] = {"version": version}
    if extras:
        value["extras"] = [e.strip() for e in extras.split(",") if e.strip()]
    if markers:
        value["markers"] = markers
    return name, value


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_entry(name: str, value: str | dict) -> str:
    key = name if _BARE_KEY.fullmatch(name) else _toml_string(name)
    if isinstance(value, str):
        return f"{key} = {_toml_string(value)}"
    parts = [f"{k} = [{', '.join(_toml_string(str(x)) for x in v)}]" if isinstance(v, list)
             else f"{k} = {_toml_string(str(v))}" for k, v in value.items()]
    return f"{key} = {{ {', '.join(parts)} }}"


def _header(line: str) -> str | None:
    """The dotted name of a `[table]` header line (None for other lines and `[[arrays]]`)."""
    match = re.match(r"\s*\[(?!\[)\s*([^\]#]+?)\s*\]\s*(?:#.*)?$", line.rstrip("\r\n"))
    if match is None:
        return None
    return ".".join(part.strip().strip('"').strip("'") for part in match.group(1).split("."))


def _insert_entries(text: str, table: str, entries: list[str]) -> str:
    """The entries after the table's last key line (its trailing blank lines and comments,
    which belong to what follows, stay below them), or a new table at the end of the file."""
    nl = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(True)
    start = next((n for n, line in enumerate(lines) if _header(line) == table), None)
    block = "".join(entry + nl for entry in entries)
    if start is None:
        if table == POETRY_RUNTIME:
            raise ValueError(f"no [{table}] header line")
        prefix = "" if not text or text.endswith(("\n", "\r")) else nl
        spacer = nl if text.strip() else ""
        return text + prefix + spacer + f"[{table}]{nl}" + block
    end = next((n for n in range(start + 1, len(lines)) if lines[n].lstrip().startswith("[")), len(lines))
    last = start
    for number in range(start + 1, end):
        stripped = lines[number].strip()
        if stripped and not stripped.startswith("#"):
            last = number
    head = "".join(lines[:last + 1])
    if not head.endswith(("\n", "\r")):
        head += nl
    return head + block + "".join(lines[last + 1:])


def poetry_edit(runtime: list[str], dev: list[str]) -> Callable[[bytes], EditResult]:
    """Runtime requirements into [tool.poetry.dependencies], the test runner's into the dev
    group; a name any Poetry table declares (in any spelling, at any version) is left alone.
    The result must parse to the old data plus exactly the new entries, or the edit is refused."""

    def edit(data: bytes) -> EditResult:
        try:
            text = data.decode("utf-8")
            parsed = tomllib.loads(text)
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            every = ", ".join([*runtime, *dev])
            return Refused(f"pyproject.toml does not parse ({exc}); not edited", advice=f"add: {every}")
        expected = tomllib.loads(text)
        done: list[str] = []
        dev_table = poetry_dev_table(parsed)
        for wanted, table, present in ((runtime, POETRY_RUNTIME, [POETRY_RUNTIME]),
                                       (dev, dev_table, _every_poetry_table(parsed))):
            names = _poetry_names(parsed, present)
            missing = [poetry_entry(line) for line in wanted if requirement_name(line) not in names]
            if not missing:
                continue
            entries = [_toml_entry(name, value) for name, value in missing]
            advice = f"add to [{table}]: " + "; ".join(entries)
            try:
                text = _insert_entries(text, table, entries)
            except ValueError as exc:
                return Refused(f"pyproject.toml could not be edited safely ({exc})", advice=advice)
            node = expected
            for part in table.split("."):
                node = node.setdefault(part, {})
            node.update(missing)
            try:
                same = tomllib.loads(text) == expected
            except tomllib.TOMLDecodeError:
                same = False
            if not same:
                return Refused("pyproject.toml could not be edited safely (the result would say something else)",
                               advice=advice)
            done.append(f"{', '.join(name for name, _ in missing)} to [{table}]")
        if not done:
            return Unneeded("names every package the setup needs already")
        return Edited(text.encode("utf-8"), "adds " + "; ".join(done))

    return edit
