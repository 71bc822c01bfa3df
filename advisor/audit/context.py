"""What a check sees: the project, the facts derived from it once, and how to report."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from advisor.audit.guards import auth_wrappers, data_functions
from advisor.audit.instance import PulledConfig
from advisor.audit.jsmodule import JsModule
from advisor.audit.jsnodes import Node
from advisor.audit.model import Finding, Severity
from advisor.audit.nextjs import Handler, Middleware, NextApp, find_handlers, next_apps
from advisor.audit.project import Project
from advisor.audit.pymodule import PyModule
from advisor.audit.recommendation import Recommendation
from advisor.audit.registry import info_for

_TEST_DIRS = frozenset({"tests", "test", "__tests__", "__mocks__", "spec", "e2e", "cypress", "playwright"})


def is_test_file(rel: str) -> bool:
    parts = rel.split("/")
    name = parts[-1]
    if any(p in _TEST_DIRS for p in parts[:-1]):
        return True
    stem = name.split(".", 1)[0]
    return name == "conftest.py" or stem.startswith("test_") or stem.endswith("_test") or \
        ".test." in name or ".spec." in name


@dataclass(frozen=True)
class AuditOptions:
    requirements: Path | None = None
    instance_configs: tuple[Path, ...] = ()
    rules: Path | None = None  # a custom rule pack for --requirements


@dataclass
class Context:
    project: Project
    recommendation: Recommendation | None = None
    pulled: list[PulledConfig] = field(default_factory=list)

    # -- derived facts, computed once ---------------------------------------------------
    @cached_property
    def wrappers(self) -> frozenset[str]:
        return auth_wrappers(self.project.js.values())

    @cached_property
    def data_fns(self) -> frozenset[str]:
        return data_functions(self.project.js.values())

    @cached_property
    def handlers(self) -> list[Handler]:
        return find_handlers(self.project, self.wrappers, self.data_fns)

    @cached_property
    def next_apps(self) -> list[NextApp]:
        return next_apps(self.project)

    def middleware(self, app: NextApp) -> list[Middleware]:
        return [Middleware(self.project.js[rel]) for rel in app.middleware_files(self.project)
                if rel in self.project.js]

    def app_for(self, rel: str) -> NextApp | None:
        owners = [a for a in self.next_apps if a.owns(rel)]
        return max(owners, key=lambda a: len(a.dir)) if owners else None

    def js_modules(self) -> list[JsModule]:
        """The project's JS/TS modules, tests left out (they exercise mistakes on purpose)."""
        return [m for rel, m in self.project.js.items() if not is_test_file(rel)]

    def py_modules(self) -> list[PyModule]:
        return [m for rel, m in self.project.py.items() if not is_test_file(rel)]

    # -- reporting ------------------------------------------------------------------
    def at_node(self, check_id: str, module: JsModule, node: Node, message: str,
                severity: Severity | None = None) -> Finding:
        line, column = module.position(node)
        end_line, end_column = module.end_position(node)
        return self.at(check_id, module.rel, line, column, message, severity, end_line, end_column)

    def at_ast(self, check_id: str, module: PyModule, node: ast.AST, message: str,
               severity: Severity | None = None) -> Finding:
        line, column = module.position(node)
        return self.at(check_id, module.rel, line, column, message, severity)

    def at(self, check_id: str, rel: str, line: int, column: int, message: str,
           severity: Severity | None = None, end_line: int | None = None,
           end_column: int | None = None) -> Finding:
        return Finding(check_id=check_id, severity=severity if severity is not None else info_for(check_id).severity,
                       path=rel, line=max(line, 1), column=max(column, 1), message=message,
                       end_line=end_line, end_column=end_column)
