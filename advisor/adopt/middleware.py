"""An app's own middleware (or Next 16 proxy): never overwritten.

When it already runs `clerkMiddleware()` nothing is needed. When it has its own logic the
edit is refused, and the refusal carries the change it needs as a patch: the app's
function, no longer exported, runs inside `clerkMiddleware()` with the options of the
starter's own proxy (authorizedParties from CLERK_AUTHORIZED_PARTIES). The app's config
and logic stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from advisor.adopt.jsedit import import_insertion_point, import_line, import_style, module_of, newline_of, splice
from advisor.adopt.model import EditResult, Refused, Unneeded
from advisor.audit.jsmodule import JsModule
from advisor.audit.jsnodes import FUNCTION_TYPES, Node, arguments, callee_path, text, unwrap
from advisor.audit.nextjs import Middleware, path_pattern

CLERK_SERVER = "@clerk/nextjs/server"
# What config.matcher must cover for Clerk (clerk-facts 1.4): every API route (a sample the
# usual "skip static files" pattern leaves out) and Clerk's own routes; the same samples as
# the audit's nextjs.matcher-incomplete check.
REQUIRED_MATCHERS = (("/api/export.csv", "/(api|trpc)(.*)"), ("/__clerk/v1/client.js", "/__clerk/(.*)"))


@dataclass(frozen=True)
class ClerkOptions:
    """From the starter's proxy: the options passed to clerkMiddleware() and the top-level
    declarations (with their comments) that they need."""

    argument: str
    declarations: str


def clerk_options(template_rel: str, template: bytes) -> ClerkOptions:
    module = module_of(template_rel, template)
    call = next((c for c in module.calls if callee_path(c) == ("clerkMiddleware",)), None)
    if call is None:
        raise ValueError(f"the starter's {template_rel} does not call clerkMiddleware()")
    args = arguments(call)
    argument = text(args[0]) if args else ""
    needed = []
    for statement in module.root.named_children:
        if statement.type in ("lexical_declaration", "variable_declaration") and \
                statement.end_byte <= call.start_byte and text(statement).split("=")[0].split()[-1] in argument:
            start = statement
            while start.prev_named_sibling is not None and start.prev_named_sibling.type == "comment" and \
                    start.prev_named_sibling.end_point[0] + 1 >= start.start_point[0]:
                start = start.prev_named_sibling
            needed.append(template[start.start_byte:statement.end_byte].decode("utf-8"))
    return ClerkOptions(argument, "\n".join(needed))


def middleware_edit(rel: str, options: ClerkOptions) -> Callable[[bytes], EditResult]:
    def edit(data: bytes) -> EditResult:
        return wrap_middleware(rel, data, options)

    return edit


def wrap_middleware(rel: str, data: bytes, options: ClerkOptions) -> EditResult:
    module = module_of(rel, data)
    mw = Middleware(module)
    if mw.clerk_call is not None:
        return Unneeded(f"{rel} runs clerkMiddleware() already")
    reason = f"{rel} has its own logic; Clerk's middleware must run in it, and adopt never rewrites it"
    advice = (f"wrap your function: `export default clerkMiddleware((auth, request) => yourMiddleware(request))` "
              f"(import clerkMiddleware from {CLERK_SERVER}).")
    matcher = _matcher_advice(mw)
    if module.parse_error is not None:
        return Refused(reason, advice=f"{advice} {matcher}".strip())
    found = _exported_function(module)
    if found is None:
        return Refused(reason, advice=f"{advice} {matcher}".strip())
    removal, name, function = found
    nl = newline_of(data).decode()
    params = _parameter_count(function)
    call_args = ", ".join(("request", "event")[:params])
    handler = f"({'_auth, request, event' if params > 1 else '_auth, request'}) => {name}({call_args})"
    option = f", {options.argument}" if options.argument else ""
    blocks = [options.declarations] if options.declarations else []
    blocks.append("// Clerk runs first and makes auth() available to the app; then this file's own logic runs as "
                  f"before.{nl}export default clerkMiddleware({handler}{option}){nl}")
    tail = nl + (nl + nl).join(blocks)
    at = import_insertion_point(module)
    edits = [removal, (at, at, (import_line(import_style(module), ["clerkMiddleware"], CLERK_SERVER) + nl).encode()),
             (len(data), len(data), (("" if data.endswith(b"\n") else nl) + tail).encode())]
    suggestion = splice(data, edits)
    return Refused(reason + "; the patch shows the change", suggestion=suggestion, advice=matcher)


def _matcher_advice(mw: Middleware) -> str:
    found = mw.config_matcher
    if found is None:
        return ""
    patterns = [path_pattern(value) for value in found[0]]
    if any(p is None for p in patterns):
        return ""  # a pattern we cannot read: no guess
    missing = [entry for sample, entry in REQUIRED_MATCHERS if not any(p and p.match(sample) for p in patterns)]
    if not missing:
        return ""
    return "Its config.matcher should also cover " + " and ".join(f"'{m}'" for m in missing) + \
        ", so that API routes and Clerk's own routes run through it."


def _exported_function(module: JsModule) -> tuple[tuple[int, int, bytes], str, Node] | None:
    """The function Next calls (`middleware`, `proxy` or the default export): the edit that
    stops exporting it, its name, and the function node."""
    for statement in module.export_nodes:
        if statement.parent is None or statement.parent.type != "program":
            continue
        declaration = statement.child_by_field_name("declaration")
        value = statement.child_by_field_name("value")
        is_default = any(c.type == "default" for c in statement.children)
        if declaration is not None and declaration.type in FUNCTION_TYPES:
            name = text(declaration.child_by_field_name("name"))
            if name and (is_default or name in ("middleware", "proxy")):
                return (statement.start_byte, declaration.start_byte, b""), name, declaration
        elif declaration is not None and declaration.type == "lexical_declaration":
            for declarator in declaration.named_children:
                name = text(declarator.child_by_field_name("name"))
                target = unwrap(declarator.child_by_field_name("value"))
                if name in ("middleware", "proxy") and target is not None and target.type in FUNCTION_TYPES:
                    return (statement.start_byte, declaration.start_byte, b""), name, target
        elif is_default and value is not None and (target := unwrap(value)) is not None and \
                target.type == "identifier":
            name = text(target)
            function = module.top_level_functions.get(name)
            if function is not None:
                end = statement.end_byte + (1 if module.source.data[statement.end_byte:statement.end_byte + 1]
                                            == b"\n" else 0)
                return (statement.start_byte, end, b""), name, function
    return None


def _parameter_count(function: Node) -> int:
    params = function.child_by_field_name("parameters") or function.child_by_field_name("parameter")
    if params is None:
        return 0
    if params.type == "identifier":
        return 1
    return len([p for p in params.named_children if p.type != "comment"])
