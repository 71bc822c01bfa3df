"""Small questions about tree-sitter JS/TS nodes: names, strings, objects, scopes."""

from __future__ import annotations

from typing import Any

Node = Any  # tree_sitter.Node; kept untyped so the grammar import stays lazy

FUNCTION_TYPES = frozenset({"function_declaration", "generator_function_declaration", "arrow_function",
                            "function_expression", "method_definition", "function"})
_TRANSPARENT = frozenset({"parenthesized_expression", "non_null_expression", "await_expression",
                          "as_expression", "satisfies_expression", "type_assertion"})


def text(node: Node | None) -> str:
    return node.text.decode("utf-8", errors="replace") if node is not None else ""


def unwrap(node: Node | None) -> Node | None:
    """Strip parentheses, `await`, `!` and type assertions."""
    while node is not None and node.type in _TRANSPARENT:
        inner = node.named_children
        node = inner[0] if inner else None
    return node


def string_value(node: Node | None) -> str | None:
    """The value of a string literal, or of a template literal without substitutions."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "string":
        return "".join(text(c) if c.type == "string_fragment" else _escape(c) for c in node.named_children)
    if node.type == "template_string":
        if any(c.type == "template_substitution" for c in node.named_children):
            return None
        raw = text(node)
        return raw[1:-1]
    return None


def _escape(node: Node) -> str:
    raw = text(node)
    return raw[1:] if raw.startswith("\\") and len(raw) == 2 else raw


def name_path(node: Node | None) -> tuple[str, ...]:
    """`a.b.c` -> ('a','b','c'); `auth().protect` -> ('auth','()','protect'); other -> ()."""
    parts: list[str] = []
    node = unwrap(node)
    while node is not None:
        kind = node.type
        if kind in ("identifier", "this", "property_identifier", "shorthand_property_identifier"):
            parts.append(text(node))
            break
        if kind == "member_expression":
            parts.append(text(node.child_by_field_name("property")))
            node = unwrap(node.child_by_field_name("object"))
        elif kind == "subscript_expression":
            key = string_value(node.child_by_field_name("index"))
            if key is None:
                return ()
            parts.append(key)
            node = unwrap(node.child_by_field_name("object"))
        elif kind in ("call_expression", "new_expression"):
            parts.append("()")
            node = unwrap(node.child_by_field_name("function") or node.child_by_field_name("constructor"))
        else:
            return ()
    return tuple(reversed(parts))


def callee_path(call: Node) -> tuple[str, ...]:
    """The name path of what a call or `new` calls, without the call itself."""
    target = call.child_by_field_name("function") or call.child_by_field_name("constructor")
    return name_path(target)


def callee_name(call: Node) -> str:
    """The last name of the callee: `db.user.findMany()` -> 'findMany'."""
    path = [p for p in callee_path(call) if p != "()"]
    return path[-1] if path else ""


def callee_root(call: Node) -> str:
    path = callee_path(call)
    return path[0] if path else ""


def arguments(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    if args.type == "template_string":  # tagged template: sql`...`
        return [args]
    return [c for c in args.named_children if c.type != "comment"]


def object_entries(node: Node | None) -> dict[str, Node]:
    """Keys of an object literal -> value nodes (a shorthand `{ a }` maps 'a' to its identifier)."""
    node = unwrap(node)
    entries: dict[str, Node] = {}
    if node is None or node.type != "object":
        return entries
    for child in node.named_children:
        if child.type == "pair":
            key = child.child_by_field_name("key")
            name = string_value(key) if key is not None and key.type == "string" else text(key)
            if name is not None:
                entries[name] = child.child_by_field_name("value")
        elif child.type == "shorthand_property_identifier":
            entries[text(child)] = child
    return entries


def array_items(node: Node | None) -> list[Node] | None:
    node = unwrap(node)
    if node is None or node.type != "array":
        return None
    return [c for c in node.named_children if c.type != "comment"]


def is_awaited(node: Node) -> bool:
    parent = node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "non_null_expression",
                                                 "as_expression", "satisfies_expression"):
        parent = parent.parent
    return parent is not None and parent.type == "await_expression"


def enclosing_function(node: Node) -> Node | None:
    parent = node.parent
    while parent is not None:
        if parent.type in FUNCTION_TYPES:
            return parent
        parent = parent.parent
    return None


def contains(outer: Node, inner: Node) -> bool:
    return outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte


def function_body(fn: Node) -> Node | None:
    return fn.child_by_field_name("body")


def body_directive(fn: Node) -> str | None:
    """'use server' / 'use client' when a function body starts with that directive."""
    body = function_body(fn)
    if body is None or body.type != "statement_block":
        return None
    for statement in body.named_children:
        if statement.type == "comment":
            continue
        return _directive_of(statement)
    return None


def _directive_of(statement: Node) -> str | None:
    if statement.type != "expression_statement":
        return None
    value = string_value(statement.named_children[0]) if statement.named_children else None
    return value if value in ("use server", "use client") else None


def prologue_directive(root: Node) -> str | None:
    """The module's 'use client' / 'use server' directive, if its first statements carry one."""
    for statement in root.named_children:
        if statement.type in ("comment", "hash_bang_line"):
            continue
        directive = _directive_of(statement)
        if directive is not None:
            return directive
        if statement.type == "expression_statement" and string_value(statement.named_children[0]) is not None:
            continue  # another directive such as 'use strict'
        return None
    return None


def parameter_names(fn: Node) -> list[str]:
    """Names bound by a function's parameters, including destructured ones."""
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is None:
        return []
    names: list[str] = []
    stack = [params]
    while stack:
        node = stack.pop()
        if node.type in ("identifier", "shorthand_property_identifier_pattern"):
            names.append(text(node))
            continue
        if node.type in ("type_annotation", "default_value"):
            continue
        if node.type == "pair_pattern":
            value = node.child_by_field_name("value")
            if value is not None:
                stack.append(value)
            continue
        stack.extend(node.named_children)
    return names


def binding_names(pattern: Node | None) -> list[str]:
    """Names a declarator's left side binds: `x`, `{ a, b: c }`, `[d]`."""
    if pattern is None:
        return []
    if pattern.type == "identifier":
        return [text(pattern)]
    names: list[str] = []
    for child in pattern.named_children:
        if child.type in ("shorthand_property_identifier_pattern", "identifier"):
            names.append(text(child))
        elif child.type == "pair_pattern":
            names.extend(binding_names(child.child_by_field_name("value")))
        elif child.type in ("object_pattern", "array_pattern", "assignment_pattern", "rest_pattern"):
            names.extend(binding_names(child))
    return names


def jsx_name(element: Node) -> str:
    return text(element.child_by_field_name("name"))


def jsx_attributes(element: Node) -> dict[str, Node | None]:
    """Attribute name -> value node (None for a bare attribute)."""
    attrs: dict[str, Node | None] = {}
    for child in element.named_children:
        if child.type != "jsx_attribute":
            continue
        parts = child.named_children
        if not parts:
            continue
        attrs[text(parts[0])] = parts[1] if len(parts) > 1 else None
    return attrs


def jsx_expression_value(node: Node | None) -> Node | None:
    """The expression inside `{...}` of a JSX attribute value."""
    if node is not None and node.type == "jsx_expression" and node.named_children:
        return node.named_children[0]
    return node
