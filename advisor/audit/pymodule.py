"""A parsed Python module (the standard `ast`) and the facts checks ask about."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from advisor.audit.source import SourceFile

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
_ROUTE_METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "route", "api_route", "api_view"}


@dataclass(frozen=True)
class Route:
    function: FunctionNode
    path: str
    decorator: ast.expr


class PyModule:
    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.rel = source.rel
        self.error: SyntaxError | None = None
        try:
            self.tree: ast.Module = ast.parse(source.text, filename=source.rel)
        except (SyntaxError, ValueError) as exc:
            self.error = exc if isinstance(exc, SyntaxError) else SyntaxError(str(exc))
            self.tree = ast.Module(body=[], type_ignores=[])
        self._parents: dict[int, ast.AST] = {}
        self.calls: list[ast.Call] = []
        self.functions: list[FunctionNode] = []
        self.constants_str: list[ast.Constant] = []
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self._parents[id(child)] = node
            if isinstance(node, ast.Call):
                self.calls.append(node)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                self.functions.append(node)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                self.constants_str.append(node)

    def position(self, node: ast.AST) -> tuple[int, int]:
        line = getattr(node, "lineno", 1)
        return line, self.source.column(line, getattr(node, "col_offset", 0))

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self._parents.get(id(node))

    def enclosing_function(self, node: ast.AST) -> FunctionNode | None:
        current = self.parent(node)
        while current is not None:
            if isinstance(current, ast.FunctionDef | ast.AsyncFunctionDef):
                return current
            current = self.parent(current)
        return None

    @cached_property
    def imports(self) -> dict[str, str]:
        """Local name -> dotted origin: `from jwt import decode` gives {'decode': 'jwt.decode'}."""
        names: dict[str, str] = {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    local = alias.asname or alias.name.split(".")[0]
                    names[local] = alias.name if alias.asname else alias.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        return names

    def qualified(self, expr: ast.expr) -> str:
        """`jwt.decode` / `decode` (imported from jwt) -> 'jwt.decode'; unknown roots stay as written."""
        parts: list[str] = []
        node = expr
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, ast.Call):
            parts.append("()")
            inner = self.qualified(node.func)
            return ".".join([inner, *reversed(parts)]) if inner else ""
        if not isinstance(node, ast.Name):
            return ""
        root = self.imports.get(node.id, node.id)
        return ".".join([root, *reversed(parts)])

    def call_name(self, call: ast.Call) -> str:
        return self.qualified(call.func)

    @cached_property
    def module_constants(self) -> dict[str, ast.expr]:
        """Module-level `NAME = value` assignments."""
        found: dict[str, ast.expr] = {}
        for stmt in self.tree.body:
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        found[target.id] = stmt.value
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
                found[stmt.target.id] = stmt.value
        return found

    def literal(self, expr: ast.expr | None) -> object:
        """The value of a literal, a module constant naming one, or a list of those; else None."""
        if expr is None:
            return None
        if isinstance(expr, ast.Constant):
            return expr.value
        if isinstance(expr, ast.Name) and expr.id in self.module_constants:
            target = self.module_constants[expr.id]
            return None if target is expr else self.literal(target)
        if isinstance(expr, ast.List | ast.Tuple | ast.Set):
            values = [self.literal(e) for e in expr.elts]
            return None if any(v is None for v in values) else values
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in ("list", "tuple") \
                and len(expr.args) == 1:
            return self.literal(expr.args[0])
        return None

    def calls_in(self, scope: ast.AST) -> Iterator[ast.Call]:
        for node in ast.walk(scope):
            if isinstance(node, ast.Call):
                yield node

    @cached_property
    def top_level_functions(self) -> dict[str, FunctionNode]:
        return {f.name: f for f in self.functions if isinstance(self.parent(f), ast.Module | ast.ClassDef)}

    @cached_property
    def routes(self) -> list[Route]:
        """FastAPI/Flask-style routes: functions under `@x.get('/path')`, `@x.route('/path')`, ..."""
        found: list[Route] = []
        for fn in self.functions:
            for decorator in fn.decorator_list:
                if not isinstance(decorator, ast.Call) or not isinstance(decorator.func, ast.Attribute):
                    continue
                if decorator.func.attr not in _ROUTE_METHODS:
                    continue
                path = None
                if decorator.args and isinstance(decorator.args[0], ast.Constant):
                    path = decorator.args[0].value
                for kw in decorator.keywords:
                    if kw.arg in ("path", "rule") and isinstance(kw.value, ast.Constant):
                        path = kw.value.value
                if isinstance(path, str):
                    found.append(Route(fn, path, decorator))
        return found


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def has_kwargs_splat(call: ast.Call) -> bool:
    return any(kw.arg is None for kw in call.keywords)


def names_in(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def string_constants(node: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
