"""Edits of JavaScript and TypeScript source through its tree-sitter syntax tree.

Every edit replaces byte ranges of nodes the parser found, never text a pattern matched,
and every result is parsed again before it is used.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from advisor.audit import treesitter
from advisor.audit.jsmodule import JsModule
from advisor.audit.jsnodes import Node, string_value, text
from advisor.audit.source import SourceFile, language_for

# TypeScript-only syntax with no runtime effect: removed when a file is turned into JavaScript.
_DROPPED = frozenset({"type_annotation", "type_arguments", "type_parameters", "type_alias_declaration",
                      "interface_declaration", "function_signature", "implements_clause", "asserts_annotation",
                      "type_predicate_annotation", "omitting_type_annotation", "opting_type_annotation"})
# TypeScript syntax that only wraps an expression: the expression stays.
_UNWRAPPED = frozenset({"as_expression", "satisfies_expression", "non_null_expression", "type_assertion"})
# TypeScript syntax with a runtime meaning (or none in JavaScript): never stripped, the file is refused.
_REFUSED = frozenset({"enum_declaration", "abstract_class_declaration", "accessibility_modifier", "decorator",
                      "internal_module", "module", "ambient_declaration", "override_modifier",
                      "abstract_method_signature", "index_signature", "readonly"})
_TS_ONLY = _DROPPED | _UNWRAPPED | _REFUSED | {"optional_parameter"}


def module_of(rel: str, data: bytes, language: str | None = None) -> JsModule:
    lang = language or language_for(rel)
    if lang is None or lang == "python":
        raise ValueError(f"{rel} is not JavaScript or TypeScript")
    return JsModule(SourceFile(rel=rel, data=data, language=lang))


def parses(data: bytes, language: str) -> bool:
    return not treesitter.parse(language, data).root_node.has_error


def splice(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Replace byte ranges [start, end) with new bytes; ranges must not overlap."""
    out = data
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        out = out[:start] + new + out[end:]
    return out


def line_start(data: bytes, offset: int) -> int:
    return data.rfind(b"\n", 0, offset) + 1


def line_end(data: bytes, offset: int) -> int:
    """The offset just after the newline that ends the line holding `offset` (or the end)."""
    found = data.find(b"\n", offset)
    return len(data) if found < 0 else found + 1


def indentation(data: bytes, offset: int) -> bytes:
    start = line_start(data, offset)
    end = start
    while end < len(data) and data[end:end + 1] in (b" ", b"\t"):
        end += 1
    return data[start:end]


def newline_of(data: bytes) -> bytes:
    return b"\r\n" if b"\r\n" in data[:4096] else b"\n"


# ------------------------------------------------------------------ imports


@dataclass(frozen=True)
class ImportStyle:
    quote: str
    semicolon: bool


def import_style(module: JsModule) -> ImportStyle:
    """How the file writes its imports (quotes, semicolons), from its last import."""
    if not module.import_nodes:
        return ImportStyle("'", False)
    last = module.import_nodes[-1]
    source = last.child_by_field_name("source")
    quote = text(source)[:1] if source is not None and text(source)[:1] in ("'", '"') else "'"
    return ImportStyle(quote, text(last).rstrip().endswith(";"))


def import_line(style: ImportStyle, names: list[str], source: str) -> str:
    return f"import {{ {', '.join(names)} }} from {style.quote}{source}{style.quote}{';' if style.semicolon else ''}"


def import_insertion_point(module: JsModule) -> int:
    """Where new imports go: after the file's last top-level import, else after its directives."""
    data = module.source.data
    top = [n for n in module.import_nodes if n.parent is not None and n.parent.type == "program"]
    if top:
        return line_end(data, top[-1].end_byte - 1)
    offset = 0
    for statement in module.root.named_children:
        if statement.type in ("comment", "hash_bang_line"):
            offset = line_end(data, statement.end_byte - 1)
            continue
        if statement.type == "expression_statement" and statement.named_children and \
                string_value(statement.named_children[0]) is not None:
            offset = line_end(data, statement.end_byte - 1)  # 'use client', 'use strict'
            continue
        break
    return offset


def bound_names(module: JsModule) -> set[str]:
    """Top-level names the file binds: imports, functions, classes and variables."""
    names = set(module.imports) | set(module.top_level_functions) | set(module.top_level_values)
    for statement in module.root.named_children:
        declaration = statement.child_by_field_name("declaration") if statement.type == "export_statement" \
            else statement
        if declaration is not None and declaration.type == "class_declaration":
            names.add(text(declaration.child_by_field_name("name")))
    return names


def relative_import(from_rel: str, target: str) -> str:
    """The specifier that imports the file `target` (a path without extension) from `from_rel`."""
    spec = posixpath.relpath(target, posixpath.dirname(from_rel) or ".")
    return spec if spec.startswith(".") else f"./{spec}"


def rewrite_alias_imports(rel: str, data: bytes, base: str) -> bytes:
    """`@/x` imports (the starter's alias for its root) -> relative paths to `base/x`, so the
    file works whatever alias the app configured, or none."""
    module = module_of(rel, data)
    edits: list[tuple[int, int, bytes]] = []
    for node in module.import_nodes:
        source = node.child_by_field_name("source")
        value = string_value(source)
        if source is None or value is None or not value.startswith("@/"):
            continue
        target = posixpath.join(base, value[2:]) if base else value[2:]
        quote = text(source)[:1]
        edits.append((source.start_byte, source.end_byte, f"{quote}{relative_import(rel, target)}{quote}".encode()))
    return splice(data, edits)


def retarget_strings(rel: str, data: bytes, mapping: dict[str, str]) -> bytes:
    """String literals whose whole value is a key of `mapping` get its value (quotes kept)."""
    module = module_of(rel, data)
    edits = []
    for node in module.strings:
        value = string_value(node)
        if node.type == "string" and value in mapping:
            quote = text(node)[:1]
            edits.append((node.start_byte, node.end_byte, f"{quote}{mapping[value]}{quote}".encode()))
    return splice(data, edits)


# ------------------------------------------------------------------ TypeScript -> JavaScript


class NotStrippable(Exception):
    """The TypeScript uses syntax with a runtime meaning; it cannot become JavaScript by
    removing types."""


def strip_types(rel: str, data: bytes) -> bytes:
    """The JavaScript of a TypeScript file: type annotations, type-only declarations and
    imports, and assertions removed, nothing else changed. Raises NotStrippable when the
    result would not be exactly the same program, and ValueError if it does not parse."""
    language = language_for(rel)
    if language not in ("typescript", "tsx"):
        raise ValueError(f"{rel} is not TypeScript")
    tree = treesitter.parse(language, data)
    if tree.root_node.has_error:
        raise ValueError(f"{rel} does not parse")
    out = _emit(tree.root_node, data)
    jsx = language == "tsx"
    check = treesitter.parse("javascript", out)
    if check.root_node.has_error:
        raise NotStrippable(f"{rel}: the stripped file does not parse as JavaScript")
    again = treesitter.parse("tsx" if jsx else "typescript", out)
    leftover = _first_of(again.root_node, _TS_ONLY)
    if leftover is not None:
        raise NotStrippable(f"{rel}: {leftover.type} is left at line {leftover.start_point[0] + 1}")
    return out


def _first_of(node: Node, kinds: frozenset[str]) -> Node | None:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in kinds:
            return current
        stack.extend(reversed(current.children))
    return None


def _is_type_only_import(node: Node) -> bool:
    if node.type == "import_statement":
        return any(c.type == "type" for c in node.children)
    if node.type == "export_statement":
        declaration = node.child_by_field_name("declaration")
        return declaration is not None and declaration.type in ("type_alias_declaration", "interface_declaration")
    return False


def _emit(node: Node, data: bytes) -> bytes:
    kind = node.type
    if kind in _REFUSED:
        raise NotStrippable(f"{kind} at line {node.start_point[0] + 1} has a meaning at runtime")
    if kind in _UNWRAPPED:
        return _emit(node.named_children[0], data)
    if kind == "import_specifier" and any(c.type == "type" for c in node.children):
        raise NotStrippable(f"a type-only import specifier at line {node.start_point[0] + 1}")
    if not node.children:
        return data[node.start_byte:node.end_byte]
    parts: list[bytes] = []
    pos = node.start_byte
    for child in node.children:
        dropped = child.type in _DROPPED or _is_type_only_import(child) or \
            (child.type == "?" and kind == "optional_parameter")
        parts.append(data[pos:child.start_byte])
        pos = child.end_byte
        if dropped:
            if kind == "program" and data[pos:pos + 1] == b"\n":
                pos += 1  # a removed statement leaves no empty line behind
            continue
        parts.append(_emit(child, data))
    parts.append(data[pos:node.end_byte])
    return b"".join(parts)
