"""`clerk-advisor check`: audit an existing project's code (and pulled instance config) for
Clerk mistakes, with real parsers.

Public API (kept small; `generate --adopt` reuses the parsing and handler analysis):

    audit(root, AuditOptions(...)) -> Report        run every check
    load_project(root) -> Project                   list, read and parse every file once
    parse_source(path) -> JsModule | PyModule       parse one file
    find_handlers(project) -> list[Handler]         Next.js route handlers, pages, server actions,
                                                    each with .guarded and .reads_data
    unguarded_handlers(root) -> list[Handler]       the ones that read data without auth

Parsing (source, jsmodule, pymodule, project) knows nothing of checks; checks live in
advisor.audit.checks and register themselves by id.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from advisor.audit.model import CheckInfo, Finding, Report, Severity, Suppressed

if TYPE_CHECKING:
    from advisor.audit.context import AuditOptions
    from advisor.audit.jsmodule import JsModule
    from advisor.audit.nextjs import Handler
    from advisor.audit.project import Project
    from advisor.audit.pymodule import PyModule

__all__ = ["AuditOptions", "CheckInfo", "Finding", "Report", "Severity", "Suppressed", "audit", "find_handlers",
           "load_project", "parse_source", "unguarded_handlers"]


def audit(root: Path | str, options: AuditOptions | None = None) -> Report:
    from advisor.audit.runner import audit as run

    return run(root, options)


def load_project(root: Path | str) -> Project:
    from advisor.audit.project import Project

    return Project.load(Path(root))


def parse_source(path: Path | str) -> JsModule | PyModule | None:
    """Parse one JS/TS or Python file (None for other files); raises OSError if unreadable."""
    from advisor.audit.jsmodule import JsModule
    from advisor.audit.pymodule import PyModule
    from advisor.audit.source import SourceFile, language_for

    path = Path(path)
    source = SourceFile(rel=path.name, data=path.read_bytes(), language=language_for(path.name))
    if source.language is None:
        return None
    return PyModule(source) if source.language == "python" else JsModule(source)


def find_handlers(project: Project) -> list[Handler]:
    from advisor.audit.guards import auth_wrappers, data_functions
    from advisor.audit.nextjs import find_handlers as find

    modules = list(project.js.values())
    return find(project, auth_wrappers(modules), data_functions(modules))


def unguarded_handlers(root: Path | str) -> list[Handler]:
    """Route handlers, API routes, pages and server actions that read data without checking auth."""
    return [h for h in find_handlers(load_project(root)) if h.reads_data and not h.guarded and not h.is_webhook]


def __getattr__(name: str) -> object:
    if name == "AuditOptions":
        from advisor.audit.context import AuditOptions

        return AuditOptions
    raise AttributeError(name)
