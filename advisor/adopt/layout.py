"""The root layout renders `<ClerkProvider>` inside `<body>` (Clerk Core 3; required with Next
16's cacheComponents), everything else in the file as it was.

The provider's opening tag (its props: afterSignOutUrl, waitlistUrl, taskUrls) and the
components it wraps (the idle sign-out) come from the starter's own layout template, so
both say the same. The edit wraps the children of the one `<body>` element and adds the
imports; it refuses a file it cannot edit safely, saying why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from advisor.adopt.jsedit import (
    bound_names,
    import_insertion_point,
    import_line,
    import_style,
    indentation,
    line_end,
    line_start,
    module_of,
    newline_of,
    parses,
    splice,
)
from advisor.adopt.model import Edited, EditResult, Refused, Unneeded
from advisor.audit.jsmodule import JsModule
from advisor.audit.jsnodes import Node, jsx_name, text

PROVIDER = "ClerkProvider"
CLERK_PACKAGE = "@clerk/nextjs"


@dataclass(frozen=True)
class ProviderSpec:
    """What the starter's layout puts in <body>: the provider's opening tag, dedented, and the
    self-closing components it wraps, each with the import that brings it."""

    open_lines: tuple[str, ...]
    children: tuple[tuple[str, str, str], ...]  # (element text, component name, import specifier)


def provider_spec(template_rel: str, template: bytes, child_import: Callable[[str], str | None]) -> ProviderSpec:
    """Read the provider out of the rendered starter layout. `child_import` maps a child
    component's import specifier in the starter to one for the adopted app, or None when
    that component is not part of the adoption (its element is then left out)."""
    module = module_of(template_rel, template)
    element = next((e.parent for e in module.jsx if e.type == "jsx_opening_element" and jsx_name(e) == PROVIDER),
                   None)
    if element is None:
        raise ValueError(f"the starter's {template_rel} renders no <{PROVIDER}>")
    opening = element.child_by_field_name("open_tag") or element.named_children[0]
    column = opening.start_point[1]
    lines = text(opening).split("\n")
    open_lines = (lines[0], *(line[column:] if line[:column].strip() == "" else line.strip() for line in lines[1:]))
    children = []
    for child in element.named_children:
        if child.type != "jsx_self_closing_element":
            continue
        name = jsx_name(child)
        origin = module.imported_from(name)
        spec = child_import(origin) if origin is not None else None
        if spec is not None:
            children.append((text(child), name, spec))
    return ProviderSpec(tuple(open_lines), tuple(children))


def provider_edit(rel: str, spec: ProviderSpec, elsewhere: str | None) -> Callable[[bytes], EditResult]:
    """The edit of the root layout `rel`. `elsewhere`: another file of the app that already
    renders the provider (adding a second one would break Clerk)."""

    def edit(data: bytes) -> EditResult:
        return add_provider(rel, data, spec, elsewhere)

    return edit


def add_provider(rel: str, data: bytes, spec: ProviderSpec, elsewhere: str | None = None) -> EditResult:
    try:
        module = module_of(rel, data)
    except ValueError:
        return Refused(f"{rel} is not a JavaScript or TypeScript file")
    if module.parse_error is not None:
        line, column = module.position(module.parse_error)
        return Refused(f"{rel} does not parse cleanly (line {line}, column {column}); not edited",
                       advice=f"render <{PROVIDER}> inside <body> yourself")
    existing = [e for e in module.jsx if jsx_name(e) == PROVIDER]
    if existing:
        return _existing_provider(rel, existing[0])
    if elsewhere is not None:
        return Unneeded(f"{elsewhere} renders <{PROVIDER}> already")
    names = [PROVIDER, *(name for _, name, _ in spec.children)]
    clash = sorted(set(names) & bound_names(module))
    if clash:
        return Refused(f"{rel} already uses the name {clash[0]} for something else; not edited",
                       advice=f"import {PROVIDER} from {CLERK_PACKAGE} under another name and render it inside "
                              "<body>")
    bodies = [e for e in module.jsx if jsx_name(e) == "body"]
    if not bodies:
        return Refused(f"{rel} renders no <body> element; not edited",
                       advice=f"the root layout renders <html><body>; put <{PROVIDER}> inside <body>")
    if len(bodies) > 1:
        return Refused(f"{rel} renders <body> in {len(bodies)} places; not edited",
                       advice=f"wrap the children of each <body> in <{PROVIDER}> yourself")
    if bodies[0].type != "jsx_opening_element":
        return Refused(f"{rel} renders an empty <body />; there are no children to wrap; not edited")
    edited = _wrap_body(module, bodies[0], spec)
    if not parses(edited, module.source.language or "tsx"):
        return Refused(f"{rel}: the edit would not parse; not edited",
                       advice=f"render <{PROVIDER}> inside <body> yourself")
    return Edited(edited, f"renders <{PROVIDER}> inside <body>")


def _existing_provider(rel: str, element: Node) -> EditResult:
    node = element.parent
    inside: list[str] = []
    while node is not None:
        if node.type == "jsx_element":
            opening = node.child_by_field_name("open_tag") or node.named_children[0]
            inside.append(jsx_name(opening))
        node = node.parent
    if "body" in inside:
        return Unneeded(f"{rel} renders <{PROVIDER}> inside <body> already")
    wrapped = element.parent
    if wrapped is not None and any(jsx_name(c) == "html" for c in _child_elements(wrapped)):
        return Refused(f"{rel} renders <{PROVIDER}> around <html>; Clerk Core 3 puts it inside <body> (required "
                       "with Next 16 cacheComponents); not moved",
                       advice=f"move <{PROVIDER}> inside <body>, around the children")
    return Unneeded(f"{rel} renders <{PROVIDER}> already")


def _child_elements(element: Node) -> list[Node]:
    found = []
    for child in element.named_children:
        if child.type == "jsx_element":
            found.append(child.child_by_field_name("open_tag") or child.named_children[0])
        elif child.type == "jsx_self_closing_element":
            found.append(child)
    return found


def _wrap_body(module: JsModule, opening: Node, spec: ProviderSpec) -> bytes:
    data = module.source.data
    nl = newline_of(data)
    element = opening.parent
    closing = element.child_by_field_name("close_tag") or element.named_children[-1]
    edits: list[tuple[int, int, bytes]] = []
    rest_of_line = data[opening.end_byte:line_end(data, opening.end_byte)].strip()
    before_close = data[line_start(data, closing.start_byte):closing.start_byte].strip()
    if not rest_of_line and not before_close:
        # <body ...> ends its line and </body> starts one: the provider gets lines of its own,
        # and the app's lines stay exactly as they were (no re-indenting).
        body_indent = indentation(data, opening.start_byte)
        unit = _indent_unit(data, opening, closing, body_indent)
        indent = body_indent + unit
        lines = [indent + spec.open_lines[0].encode()]
        lines += [indent + line.encode() for line in spec.open_lines[1:]]
        lines += [indent + unit + child.encode() for child, _, _ in spec.children]
        edits.append((line_end(data, opening.end_byte), line_end(data, opening.end_byte),
                      b"".join(line + nl for line in lines)))
        close_at = line_start(data, closing.start_byte)
        edits.append((close_at, close_at, indent + f"</{PROVIDER}>".encode() + nl))
    else:
        # <body>{children}</body> on one line: the provider goes inline.
        tag = " ".join(line.strip() for line in spec.open_lines)
        inner = "".join(child for child, _, _ in spec.children)
        edits.append((opening.end_byte, opening.end_byte, (tag + inner).encode()))
        edits.append((closing.start_byte, closing.start_byte, f"</{PROVIDER}>".encode()))
    style = import_style(module)
    imports = [import_line(style, [PROVIDER], CLERK_PACKAGE)]
    imports += [import_line(style, [name], source) for _, name, source in spec.children]
    at = import_insertion_point(module)
    edits.append((at, at, b"".join(line.encode() + nl for line in imports)))
    return splice(data, edits)


def _indent_unit(data: bytes, opening: Node, closing: Node, body_indent: bytes) -> bytes:
    """The file's indentation step, from the first line inside <body>; two spaces if unknown."""
    inside = data[line_end(data, opening.end_byte):line_start(data, closing.start_byte)]
    for line in inside.split(b"\n"):
        if line.strip():
            indent = line[:len(line) - len(line.lstrip(b" \t"))]
            if indent.startswith(body_indent) and len(indent) > len(body_indent):
                return indent[len(body_indent):]
            break
    return b"\t" if body_indent.startswith(b"\t") else b"  "
