"""A project under audit: its files, each read and parsed once, and its manifests."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from advisor.audit.files import FileSet, list_files
from advisor.audit.jsmodule import JsModule
from advisor.audit.manifests import (
    NPM_LOCKFILES,
    Declared,
    NodePackage,
    python_requirements,
    read_lockfile,
    read_package_json,
)
from advisor.audit.pymodule import PyModule
from advisor.audit.source import SourceFile, read_source
from advisor.audit.versions import Version, exact_version, range_floor

PYTHON_MANIFESTS = ("pyproject.toml", "Pipfile")


@dataclass
class Problem:
    """A file the audit could not use: unreadable, or not parseable."""

    rel: str
    reason: str
    line: int = 1
    column: int = 1


@dataclass
class Project:
    root: Path
    fileset: FileSet
    sources: dict[str, SourceFile] = field(default_factory=dict)
    js: dict[str, JsModule] = field(default_factory=dict)
    py: dict[str, PyModule] = field(default_factory=dict)
    packages: list[NodePackage] = field(default_factory=list)
    python_deps: list[Declared] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def load(cls, root: Path) -> Project:
        fileset = list_files(root)
        project = cls(root=fileset.root, fileset=fileset)
        for rel, reason in fileset.unreadable:
            project.problems.append(Problem(rel, f"could not read: {reason}"))
        for rel in fileset.files:
            loaded = read_source(fileset.root, rel)
            if isinstance(loaded, str):
                if loaded != "binary":
                    project.problems.append(Problem(rel, f"could not read: {loaded}"))
                continue
            project.sources[rel] = loaded
            project._parse(loaded)
        project._read_manifests()
        return project

    def _parse(self, source: SourceFile) -> None:
        if source.language == "python":
            module = PyModule(source)
            if module.error is not None:
                err = module.error
                self.problems.append(Problem(source.rel, f"could not parse: {err.msg}", err.lineno or 1,
                                             (err.offset or 0) or 1))
                return
            self.py[source.rel] = module
        elif source.language is not None:
            js = JsModule(source)
            error = js.parse_error
            if error is not None:
                line, column = js.position(error)
                self.problems.append(Problem(source.rel, "could not parse part of this file; the checks "
                                             "read the parts that parsed", line, column))
            self.js[source.rel] = js

    def _read_manifests(self) -> None:
        by_dir: dict[str, NodePackage] = {}
        for source in self.sources.values():
            name = source.path_name
            if name == "package.json":
                package = read_package_json(source)
                if package is not None:
                    self.packages.append(package)
                    by_dir[package.dir] = package
            elif (name.startswith("requirements") and name.endswith(".txt")) or name in PYTHON_MANIFESTS:
                self.python_deps.extend(python_requirements(source))
        for rel, source in self.sources.items():
            if source.path_name not in NPM_LOCKFILES:
                continue
            directory = rel.rsplit("/", 1)[0] if "/" in rel else ""
            package = by_dir.get(directory)
            if package is None:
                continue
            for declared in read_lockfile(source, set(package.deps) | WATCHED_TRANSITIVE):
                package.resolved.setdefault(declared.name, []).append(declared)

    # -- questions -------------------------------------------------------------------
    def package_for(self, rel: str) -> NodePackage | None:
        """The nearest package.json above a file."""
        best: NodePackage | None = None
        for package in self.packages:
            if package.dir == "" or rel == package.dir or rel.startswith(package.dir + "/"):
                if best is None or len(package.dir) > len(best.dir):
                    best = package
        return best

    @cached_property
    def js_files_by_dir(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for rel in self.js:
            grouped.setdefault(rel.rsplit("/", 1)[0] if "/" in rel else "", []).append(rel)
        return grouped

    def exists(self, rel: str) -> bool:
        return rel in self.sources

    def is_dir(self, rel: str) -> bool:
        prefix = rel.rstrip("/") + "/"
        return any(r.startswith(prefix) for r in self.sources)


# Transitive packages whose advisories matter even when the app does not list them.
WATCHED_TRANSITIVE = frozenset({"@clerk/shared", "@clerk/backend"})


def installed_version(package: NodePackage, name: str) -> tuple[Version | None, Declared | None, bool]:
    """(version, where, exact): the lockfile's resolved version, else the exact pin in
    package.json, else the lowest version its range allows (exact False)."""
    resolved = package.resolved.get(name)
    if resolved:
        versions = [(Version.parse(d.spec), d) for d in resolved]
        known = [(v, d) for v, d in versions if v is not None]
        if known:
            version, where = min(known, key=lambda pair: pair[0])
            return version, where, True
    declared = package.deps.get(name)
    if declared is None:
        return None, None, False
    exact = exact_version(declared.spec)
    if exact is not None:
        return exact, declared, True
    return range_floor(declared.spec), declared, False


def major_of(package: NodePackage | None, name: str) -> int | None:
    if package is None:
        return None
    version, _, _ = installed_version(package, name)
    return version.major if version is not None else None


_RESOLVE_EXTENSIONS = (".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts")


def resolve_import(project: Project, from_rel: str, spec: str) -> str | None:
    """The project file an import specifier names: relative paths, and the usual '@/' and '~/'
    aliases (tried from the importing package's folder and its src/)."""
    if spec.startswith("."):
        base = from_rel.rsplit("/", 1)[0] if "/" in from_rel else ""
        candidates = [_normalise(f"{base}/{spec}" if base else spec)]
    elif spec.startswith(("@/", "~/")):
        package = project.package_for(from_rel)
        root = package.dir if package is not None else ""
        tail = spec[2:]
        candidates = [f"{root}/{tail}" if root else tail, f"{root}/src/{tail}" if root else f"src/{tail}"]
    else:
        return None
    for candidate in candidates:
        if candidate in project.js:
            return candidate
        for ext in _RESOLVE_EXTENSIONS:
            for option in (candidate + ext, f"{candidate}/index{ext}"):
                if option in project.js:
                    return option
    return None


def _normalise(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return "/".join(parts)
