"""The tree-sitter grammars, loaded on first use (never at CLI start-up)."""

from __future__ import annotations

from functools import cache
from typing import Any

# One query collects every node the JS analysis looks at, in a single pass in C.
_FACTS_QUERY = """
(call_expression) @call
(new_expression) @new
(import_statement) @import
(export_statement) @export
(string) @string
(template_string) @string
(comment) @comment
(member_expression) @member
(binary_expression) @binary
(if_statement) @if
(pair) @pair
(shorthand_property_identifier) @shorthand
(variable_declarator) @declarator
(assignment_expression) @assign
[(function_declaration) (generator_function_declaration) (arrow_function)
 (function_expression) (method_definition)] @function
"""
_JSX_QUERY = """
(jsx_opening_element) @jsx
(jsx_self_closing_element) @jsx
"""


@cache
def language(name: str) -> Any:
    import tree_sitter

    if name == "javascript":
        import tree_sitter_javascript as grammar

        return tree_sitter.Language(grammar.language())
    import tree_sitter_typescript as ts_grammar

    raw = ts_grammar.language_tsx() if name == "tsx" else ts_grammar.language_typescript()
    return tree_sitter.Language(raw)


@cache
def parser(name: str) -> Any:
    import tree_sitter

    return tree_sitter.Parser(language(name))


@cache
def facts_query(name: str) -> Any:
    import tree_sitter

    # Plain TypeScript (.ts) has no JSX in its grammar.
    source = _FACTS_QUERY if name == "typescript" else _FACTS_QUERY + _JSX_QUERY
    return tree_sitter.Query(language(name), source)


def parse(name: str, data: bytes) -> Any:
    return parser(name).parse(data)


def captures(name: str, node: Any) -> dict[str, list[Any]]:
    import tree_sitter

    return tree_sitter.QueryCursor(facts_query(name)).captures(node)


def first_error(node: Any) -> Any | None:
    """The first ERROR or MISSING node below `node`, in source order."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "ERROR" or current.is_missing:
            return current
        if current.has_error:
            stack.extend(reversed(current.children))
    return None
