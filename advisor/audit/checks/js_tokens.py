"""JS/TS: which tokens are accepted, and from which origins (authorizedParties, acceptsToken)."""

from __future__ import annotations

from collections.abc import Iterator

from advisor.audit.context import Context
from advisor.audit.jsmodule import JsModule
from advisor.audit.jsnodes import (
    FUNCTION_TYPES,
    Node,
    arguments,
    array_items,
    callee_name,
    callee_path,
    enclosing_function,
    string_value,
    text,
    unwrap,
)
from advisor.audit.model import Finding, Severity
from advisor.audit.registry import check

AZP_DOCS = ("clerk/clerk-docs PR #1845 (authorizedParties)", "https://github.com/clerk/clerk-docs/pull/1845")
AUTH_DOC = ("Clerk: auth() and acceptsToken", "https://clerk.com/docs/reference/nextjs/app-router/auth")
_VERIFIERS = {"clerkMiddleware": 1, "authenticateRequest": 1, "verifyToken": 1}


_NAME_TYPES = frozenset({"identifier", "property_identifier", "shorthand_property_identifier",
                         "shorthand_property_identifier_pattern"})


def _mentions(node: Node, name: str) -> bool:
    """Does any identifier or property name below `node` read `name`?"""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in _NAME_TYPES and text(current) == name:
            return True
        stack.extend(current.named_children)
    return False


def _options_known(module: JsModule, args: list[Node]) -> bool:
    """False when an options argument is a name we cannot see into (imported, or built elsewhere)."""
    for arg in args:
        inner = unwrap(arg)
        if inner is None or inner.type in FUNCTION_TYPES or inner.type == "object":
            continue
        if inner.type == "identifier" and text(inner) in module.top_level_values:
            continue
        return False
    return True


def _clerk_import(module: JsModule, call: Node) -> bool:
    root = callee_path(call)[:1]
    source = module.imported_from(root[0]) if root else None
    if source is not None:
        return source.startswith("@clerk/")
    # clerkClient.authenticateRequest(...) and the like
    return any(module.imported_from(p) and (module.imported_from(p) or "").startswith("@clerk/")
               for p in callee_path(call))


@check("js.authorized-parties-missing", "medium", "Session tokens accepted from any origin (no authorizedParties)",
       fix="Pass `authorizedParties: ['https://app.example.com']` (your frontends' origins) to clerkMiddleware(), "
           "authenticateRequest() or verifyToken().",
       refs=[AZP_DOCS, ("clerk/clerk-docs PR #1513", "https://github.com/clerk/clerk-docs/pull/1513"),
             ("engram-app/Engram#388", "https://github.com/engram-app/Engram/issues/388")],
       help="Without it, a session token minted for another site of the same Clerk instance (or leaked from a "
            "subdomain) is accepted; Clerk recommends it against subdomain cookie leaks and CSRF.")
def authorized_parties_missing(ctx: Context) -> Iterator[Finding]:
    for module in ctx.js_modules():
        for call in module.calls:
            name = callee_name(call)
            if name not in _VERIFIERS or not _clerk_import(module, call):
                continue
            args = arguments(call)
            options = args[_VERIFIERS[name]:] if name != "clerkMiddleware" else args
            resolved = [module.top_level_values.get(text(unwrap(a)), a) for a in options]
            if any(_mentions(a, "authorizedParties") for a in resolved):
                continue
            if not _options_known(module, [a for a in options if unwrap(a) is not None]):
                continue
            yield ctx.at_node("js.authorized-parties-missing", module, call,
                              f"{name}() without authorizedParties accepts session tokens minted for any origin")


@check("js.accepts-token-any", "high", "Any token type accepted (acceptsToken: 'any')",
       fix="Accept exactly the token type the route serves (`acceptsToken: 'session_token'` (the default), "
           "'api_key' or 'm2m_token'); with an array, branch on `tokenType` before using the result.",
       refs=[AUTH_DOC, ("upstash/context7 PR #3130", "https://github.com/upstash/context7/pull/3130")],
       help="With 'any', an API key, M2M token or OAuth token is accepted where a signed-in user is expected; "
            "their auth objects have no session, and userId/orgId mean something else.")
def accepts_token_any(ctx: Context) -> Iterator[Finding]:
    for module in ctx.js_modules():
        for pair in module.pairs:
            key = text(pair.child_by_field_name("key"))
            if key not in ("acceptsToken", "token"):
                continue
            value = pair.child_by_field_name("value")
            if key == "token" and not _inside_protect(pair):
                continue
            if string_value(value) == "any":
                yield ctx.at_node("js.accepts-token-any", module, pair,
                                  f"{key}: 'any' lets API keys, M2M and OAuth tokens through where a user session "
                                  "is expected")
                continue
            items = array_items(value)
            if items is None or len(items) < 2:
                continue
            scope = enclosing_function(pair) or module.root
            if not _mentions(scope, "tokenType"):
                kinds = ", ".join(string_value(i) or text(i) for i in items)
                yield ctx.at_node("js.accepts-token-any", module, pair,
                                  f"accepts [{kinds}] but never checks tokenType before using the result",
                                  Severity.MEDIUM)


def _inside_protect(node: Node) -> bool:
    parent = node.parent
    while parent is not None and parent.type not in ("call_expression", "program"):
        parent = parent.parent
    return parent is not None and parent.type == "call_expression" and callee_path(parent)[-1:] == ("protect",)
