"""A parsed JS/TS module and the facts every check asks about, collected in one pass."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from advisor.audit import treesitter
from advisor.audit.jsnodes import (
    FUNCTION_TYPES,
    Node,
    binding_names,
    body_directive,
    callee_path,
    contains,
    prologue_directive,
    string_value,
    text,
    unwrap,
)
from advisor.audit.source import SourceFile

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class ImportBinding:
    module: str
    name: str  # the imported name; 'default' or '*' for default and namespace imports
    node: Node


class JsModule:
    def __init__(self, source: SourceFile) -> None:
        assert source.language is not None
        self.source = source
        self.rel = source.rel
        self.tree = treesitter.parse(source.language, source.data)
        self.root = self.tree.root_node
        caps = treesitter.captures(source.language, self.root)

        def nodes(name: str) -> list[Node]:
            return sorted(caps.get(name, []), key=lambda n: n.start_byte)

        self.calls = nodes("call")
        self.news = nodes("new")
        self.import_nodes = nodes("import")
        self.export_nodes = nodes("export")
        self.jsx = nodes("jsx")
        self.strings = nodes("string")
        self.comments = nodes("comment")
        self.members = nodes("member")
        self.binaries = nodes("binary")
        self.ifs = nodes("if")
        self.pairs = nodes("pair")
        self.shorthands = nodes("shorthand")
        self.declarators = nodes("declarator")
        self.assignments = nodes("assign")
        self.functions = nodes("function")

    # -- where -------------------------------------------------------------------------
    def position(self, node: Node) -> tuple[int, int]:
        """1-based line and character column of a node's start."""
        row, byte_col = node.start_point
        return row + 1, self.source.column(row + 1, byte_col)

    def end_position(self, node: Node) -> tuple[int, int]:
        row, byte_col = node.end_point
        return row + 1, self.source.column(row + 1, byte_col)

    @cached_property
    def parse_error(self) -> Node | None:
        return treesitter.first_error(self.root) if self.root.has_error else None

    # -- module-level facts ------------------------------------------------------------
    @cached_property
    def directive(self) -> str | None:
        return prologue_directive(self.root)

    @property
    def is_client(self) -> bool:
        return self.directive == "use client"

    @cached_property
    def imports(self) -> dict[str, ImportBinding]:
        """Local name -> where it comes from (ES imports and `require`)."""
        bindings: dict[str, ImportBinding] = {}
        for node in self.import_nodes:
            module = string_value(node.child_by_field_name("source"))
            if module is None:
                continue
            for clause in node.named_children:
                if clause.type != "import_clause":
                    continue
                for part in clause.named_children:
                    if part.type == "identifier":
                        bindings[text(part)] = ImportBinding(module, "default", part)
                    elif part.type == "namespace_import":
                        for ident in part.named_children:
                            bindings[text(ident)] = ImportBinding(module, "*", ident)
                    elif part.type == "named_imports":
                        for spec in part.named_children:
                            if spec.type != "import_specifier":
                                continue
                            name = spec.child_by_field_name("name")
                            alias = spec.child_by_field_name("alias") or name
                            bindings[text(alias)] = ImportBinding(module, string_value(name) or text(name), spec)
        for declarator in self.declarators:
            value = unwrap(declarator.child_by_field_name("value"))
            if value is None or value.type != "call_expression" or callee_path(value) != ("require",):
                continue
            args = value.child_by_field_name("arguments")
            module = string_value(args.named_children[0]) if args is not None and args.named_children else None
            if module is None:
                continue
            pattern = declarator.child_by_field_name("name")
            if pattern is not None and pattern.type == "identifier":
                bindings[text(pattern)] = ImportBinding(module, "default", pattern)
            else:
                for name in binding_names(pattern):
                    bindings[name] = ImportBinding(module, name, declarator)
        return bindings

    def import_modules(self) -> frozenset[str]:
        return self._import_modules

    @cached_property
    def _import_modules(self) -> frozenset[str]:
        modules = {b.module for b in self.imports.values()}
        for node in self.import_nodes:
            module = string_value(node.child_by_field_name("source"))
            if module is not None:
                modules.add(module)
        return frozenset(modules)

    def imported_from(self, local: str) -> str | None:
        binding = self.imports.get(local)
        return binding.module if binding is not None else None

    def imports_from_prefix(self, prefix: str) -> bool:
        return any(m == prefix or m.startswith(prefix + "/") for m in self.import_modules())

    # -- functions and exports ---------------------------------------------------------
    @cached_property
    def top_level_functions(self) -> dict[str, Node]:
        """Top-level names bound to functions (declarations and `const f = () => ...`)."""
        found: dict[str, Node] = {}
        for fn in self.functions:
            name = function_name(fn)
            if name and _is_top_level(fn):
                found.setdefault(name, fn)
        return found

    @cached_property
    def top_level_values(self) -> dict[str, Node]:
        """Top-level `const NAME = value` -> value node."""
        values: dict[str, Node] = {}
        for declarator in self.declarators:
            name = declarator.child_by_field_name("name")
            value = declarator.child_by_field_name("value")
            if name is None or value is None or name.type != "identifier":
                continue
            statement = declarator.parent
            if statement is not None and _is_top_level_statement(statement):
                values[text(name)] = value
        return values

    @cached_property
    def exports(self) -> dict[str, Node]:
        """Exported name ('default' for the default export) -> the exported value or declaration."""
        found: dict[str, Node] = {}
        for node in self.export_nodes:
            declaration = node.child_by_field_name("declaration")
            value = node.child_by_field_name("value")
            is_default = any(c.type == "default" for c in node.children)
            if declaration is not None:
                if declaration.type in FUNCTION_TYPES or declaration.type == "class_declaration":
                    name = text(declaration.child_by_field_name("name"))
                    found["default" if is_default else name] = declaration
                else:
                    for declarator in declaration.named_children:
                        if declarator.type == "variable_declarator":
                            target = declarator.child_by_field_name("value")
                            for name in binding_names(declarator.child_by_field_name("name")):
                                if target is not None:
                                    found[name] = target
            elif value is not None:
                found["default"] = self._resolve_local(value)
            else:
                for clause in node.named_children:
                    if clause.type != "export_clause":
                        continue
                    for spec in clause.named_children:
                        local = spec.child_by_field_name("name")
                        alias = spec.child_by_field_name("alias") or local
                        resolved = self.top_level_functions.get(text(local)) or self.top_level_values.get(text(local))
                        if resolved is not None:
                            found[text(alias)] = resolved
        for assign in self.assignments:  # CommonJS: module.exports = handler
            left = assign.child_by_field_name("left")
            if text(left) in ("module.exports", "exports.default") and _is_top_level_statement(assign.parent):
                right = assign.child_by_field_name("right")
                if right is not None:
                    found["default"] = self._resolve_local(right)
        return found

    def _resolve_local(self, value: Node) -> Node:
        inner = unwrap(value)
        if inner is not None and inner.type == "identifier":
            name = text(inner)
            return self.top_level_functions.get(name) or self.top_level_values.get(name) or inner
        return value

    def exported_function(self, name: str) -> Node | None:
        value = self.exports.get(name)
        if value is None:
            return None
        inner = unwrap(value)
        return inner if inner is not None and inner.type in FUNCTION_TYPES else value

    # -- scoped look-ups ---------------------------------------------------------------
    def within(self, nodes: list[Node], scope: Node) -> list[Node]:
        return [n for n in nodes if contains(scope, n)]

    def calls_in(self, scope: Node) -> list[Node]:
        return self.within(self.calls, scope)

    def server_action_functions(self) -> list[tuple[str, Node]]:
        """(name, function) of every server action: exports of a 'use server' module, and
        functions whose body starts with 'use server'."""
        actions: list[tuple[str, Node]] = []
        if self.directive == "use server":
            for name, value in self.exports.items():
                inner = unwrap(value)
                if inner is not None and inner.type in FUNCTION_TYPES:
                    actions.append((name, inner))
        seen = {a[1].start_byte for a in actions}
        for fn in self.functions:
            if fn.start_byte not in seen and body_directive(fn) == "use server":
                actions.append((function_name(fn) or "(inline action)", fn))
        return actions


def function_name(fn: Node) -> str:
    name = fn.child_by_field_name("name")
    if name is not None:
        return text(name)
    parent = fn.parent
    while parent is not None and parent.type in ("parenthesized_expression", "as_expression",
                                                 "satisfies_expression"):
        parent = parent.parent
    if parent is not None and parent.type == "variable_declarator":
        target = parent.child_by_field_name("name")
        if target is not None and target.type == "identifier":
            return text(target)
    if parent is not None and parent.type == "pair":
        return text(parent.child_by_field_name("key"))
    return ""


def _is_top_level_statement(statement: Node | None) -> bool:
    while statement is not None and statement.type in ("lexical_declaration", "variable_declaration",
                                                       "export_statement", "expression_statement"):
        statement = statement.parent
    return statement is not None and statement.type == "program"


def _is_top_level(fn: Node) -> bool:
    parent = fn.parent
    if fn.type in ("function_declaration", "generator_function_declaration"):
        return _is_top_level_statement(parent)
    while parent is not None and parent.type in ("parenthesized_expression", "as_expression",
                                                 "satisfies_expression"):
        parent = parent.parent
    if parent is not None and parent.type == "variable_declarator":
        return _is_top_level_statement(parent.parent)
    return False
