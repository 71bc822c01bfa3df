"""Dependency manifests: package.json and its lockfiles; Python requirement files.

Each reader returns where a dependency is declared (file and line) and what version it
resolves to. Malformed manifests give nothing rather than an error: the audit goes on.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field

from advisor.audit.source import SourceFile

NPM_LOCKFILES = ("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock")


@dataclass(frozen=True)
class Declared:
    name: str
    spec: str
    rel: str
    line: int


@dataclass
class NodePackage:
    """One package.json and what its lockfiles resolved."""

    rel: str
    dir: str  # '' for the root
    deps: dict[str, Declared] = field(default_factory=dict)
    resolved: dict[str, list[Declared]] = field(default_factory=dict)  # name -> (version, lockfile, line)

    def has(self, name: str) -> bool:
        return name in self.deps


def _line_of(text: str, needle: str, start: int = 0) -> int:
    index = text.find(needle, start)
    return text.count("\n", 0, index) + 1 if index >= 0 else 1


def read_package_json(source: SourceFile) -> NodePackage | None:
    try:
        data = json.loads(source.text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    directory = source.rel.rsplit("/", 1)[0] if "/" in source.rel else ""
    package = NodePackage(rel=source.rel, dir=directory)
    text = source.text
    for section in ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies"):
        deps = data.get(section)
        if not isinstance(deps, dict):
            continue
        section_at = text.find(f'"{section}"')
        for name, spec in deps.items():
            if isinstance(name, str) and isinstance(spec, str) and name not in package.deps:
                line = _line_of(text, json.dumps(name), max(section_at, 0))
                package.deps[name] = Declared(name, spec, source.rel, line)
    return package


def read_lockfile(source: SourceFile, names: set[str]) -> list[Declared]:
    """Resolved versions of `names` in an npm, yarn, pnpm or bun lockfile."""
    base = source.path_name
    if base in ("package-lock.json", "npm-shrinkwrap.json"):
        return _npm_lock(source, names)
    if base == "yarn.lock":
        return _yarn_lock(source, names)
    if base == "pnpm-lock.yaml":
        return _line_scan(source, names, re.compile(r"^\s{2,4}['\"]?/?((?:@[^/@\s]+/)?[^@\s'\"(]+)@(\d[^:('\"\s]*)"))
    if base == "bun.lock":
        return _line_scan(source, names, re.compile(r"^\s*\"[^\"]+\":\s*\[\"((?:@[^/@\s]+/)?[^@\s\"]+)@(\d[^\"]*)\""))
    return []


def _npm_lock(source: SourceFile, names: set[str]) -> list[Declared]:
    try:
        data = json.loads(source.text)
    except ValueError:
        return []
    if not isinstance(data, dict):
        return []
    found: list[Declared] = []
    text = source.text
    packages = data.get("packages")
    if isinstance(packages, dict):
        for key, entry in packages.items():
            name = key.rsplit("node_modules/", 1)[-1] if "node_modules/" in key else ""
            if name in names and isinstance(entry, dict) and isinstance(entry.get("version"), str):
                found.append(Declared(name, entry["version"], source.rel, _line_of(text, json.dumps(key))))
        return found

    def walk(deps: object) -> None:
        if not isinstance(deps, dict):
            return
        for name, entry in deps.items():
            if not isinstance(entry, dict):
                continue
            if name in names and isinstance(entry.get("version"), str):
                found.append(Declared(name, entry["version"], source.rel, _line_of(text, json.dumps(name))))
            walk(entry.get("dependencies"))

    walk(data.get("dependencies"))
    return found


def _yarn_lock(source: SourceFile, names: set[str]) -> list[Declared]:
    found: list[Declared] = []
    current: list[str] = []
    header_line = 0
    for number, raw in enumerate(source.text.splitlines(), start=1):
        if raw and not raw[0].isspace() and raw.rstrip().endswith(":"):
            header_line = number
            current = []
            for selector in raw.rstrip()[:-1].split(","):
                selector = selector.strip().strip('"')
                at = selector.find("@", 1)
                if at > 0 and selector[:at] in names and selector[:at] not in current:
                    current.append(selector[:at])
            continue
        stripped = raw.strip()
        if current and stripped.startswith("version"):
            version = stripped[len("version"):].lstrip(":").strip().strip('"')
            for name in current:
                found.append(Declared(name, version, source.rel, header_line))
            current = []
    return found


def _line_scan(source: SourceFile, names: set[str], pattern: re.Pattern[str]) -> list[Declared]:
    found: list[Declared] = []
    for number, raw in enumerate(source.text.splitlines(), start=1):
        match = pattern.match(raw)
        if match and match.group(1) in names:
            found.append(Declared(match.group(1), match.group(2), source.rel, number))
    return found


# -- Python ----------------------------------------------------------------------------

_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")


def normalise_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def python_requirements(source: SourceFile) -> list[Declared]:
    """Requirements declared in requirements*.txt, pyproject.toml (PEP 621, dependency groups,
    Poetry) or a Pipfile."""
    base = source.path_name
    if base.endswith(".txt"):
        return _requirements_txt(source)
    if base in ("pyproject.toml", "Pipfile"):
        return _toml_requirements(source)
    return []


def _requirements_txt(source: SourceFile) -> list[Declared]:
    found: list[Declared] = []
    for number, raw in enumerate(source.text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        declared = _requirement(line, source.rel, number)
        if declared is not None:
            found.append(declared)
    return found


def _requirement(text: str, rel: str, line: int) -> Declared | None:
    match = _REQ_NAME.match(text.split(";", 1)[0])
    if not match:
        return None
    return Declared(normalise_name(match.group(1)), match.group(3).strip(), rel, line)


def _toml_requirements(source: SourceFile) -> list[Declared]:
    try:
        data = tomllib.loads(source.text)
    except (tomllib.TOMLDecodeError, ValueError):
        return []
    strings: list[str] = []
    tables: list[dict] = []
    project = data.get("project", {})
    if isinstance(project, dict):
        strings.extend(s for s in project.get("dependencies", []) if isinstance(s, str))
        for group in (project.get("optional-dependencies") or {}).values():
            strings.extend(s for s in group if isinstance(s, str))
    for group in (data.get("dependency-groups") or {}).values():
        strings.extend(s for s in group if isinstance(s, str))
    poetry = data.get("tool", {}).get("poetry", {}) if isinstance(data.get("tool"), dict) else {}
    if isinstance(poetry, dict):
        tables.append(poetry.get("dependencies") or {})
        for group in (poetry.get("group") or {}).values():
            if isinstance(group, dict):
                tables.append(group.get("dependencies") or {})
    tables.append(data.get("packages") or {})  # Pipfile
    found: list[Declared] = []
    text = source.text
    for spec in strings:
        declared = _requirement(spec, source.rel, _line_of(text, spec))
        if declared is not None:
            found.append(declared)
    for table in tables:
        if not isinstance(table, dict):
            continue
        for name, value in table.items():
            version = value if isinstance(value, str) else value.get("version", "") if isinstance(value, dict) else ""
            version = "" if version == "*" else version
            found.append(Declared(normalise_name(name), version, source.rel, _line_of(text, name)))
    return found
