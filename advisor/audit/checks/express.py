"""Express: routes that read data with no auth middleware in front of them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property

from advisor.audit import express
from advisor.audit.context import Context
from advisor.audit.guards import auth_calls, first_data_call, is_auth_call
from advisor.audit.jsmodule import JsModule
from advisor.audit.jsnodes import FUNCTION_TYPES, Node, callee_name, callee_path, text, unwrap
from advisor.audit.model import Finding
from advisor.audit.project import resolve_import
from advisor.audit.registry import check

_AUTH_NAME = re.compile(r"auth|protect|guard|session|logged|signed", re.I)


def auth_middleware(ctx: Context, module: JsModule, node: Node) -> bool:
    """Is this `use()`/route argument an auth check (requireAuth(), a project guard, an inline getAuth)?"""
    inner = unwrap(node)
    if inner is None:
        return False
    if inner.type == "call_expression":
        return is_auth_call(inner, ctx.wrappers) or bool(_AUTH_NAME.search(callee_name(inner)))
    if inner.type in ("identifier", "member_expression"):
        name = text(inner).rsplit(".", 1)[-1]
        if name in ctx.wrappers or _AUTH_NAME.search(name):
            return True
        local = module.top_level_functions.get(name)
        return local is not None and bool(auth_calls(module, local, ctx.wrappers))
    if inner.type in FUNCTION_TYPES:
        return bool(auth_calls(module, inner, ctx.wrappers))
    return False


class _Mounts:
    """Routers mounted behind auth: `app.use('/api', requireAuth(), itemsRouter)`."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    @cached_property
    def guarded(self) -> set[tuple[str, str | None]]:
        """(module rel, router name or None for every router of that module)."""
        found: set[tuple[str, str | None]] = set()
        for module in express.express_modules(self.ctx.js_modules()):
            for use in express.uses(module):
                args = list(use.args)
                for i, arg in enumerate(args):
                    if not auth_middleware(self.ctx, module, arg):
                        continue
                    for later in args[i + 1:]:
                        inner = unwrap(later)
                        if inner is None or inner.type != "identifier":
                            continue
                        binding = module.imports.get(text(inner))
                        if binding is None:
                            found.add((module.rel, text(inner)))
                            continue
                        target = resolve_import(self.ctx.project, module.rel, binding.module)
                        if target is not None:
                            found.add((target, None))
        return found

    def covers(self, module: JsModule, owner: str) -> bool:
        return (module.rel, None) in self.guarded or (module.rel, owner) in self.guarded


@check("express.require-auth-missing", "high", "Express route reads data without auth middleware",
       fix="Put `requireAuth()` (or a middleware that checks `getAuth(req).isAuthenticated`) in front of the route, "
           "the router (`router.use(...)`) or its mount (`app.use('/api', requireAuth(), router)`).",
       refs=[("Clerk: Express SDK", "https://clerk.com/docs/reference/express/overview"),
             ("CVE-2025-29927 guidance (clerk/javascript PR #5419)", "https://github.com/clerk/javascript/pull/5419")],
       help="clerkMiddleware() only reads the session; it lets every request through. Each route that reads data "
            "needs a check of its own or one in front of it.")
def require_auth_missing(ctx: Context) -> Iterator[Finding]:
    mounts = _Mounts(ctx)
    for module in express.express_modules(ctx.js_modules()):
        for route in express.routes(module):
            if "webhook" in route.path.lower() or mounts.covers(module, route.owner):
                continue
            handler = unwrap(route.handler)
            if handler is not None and handler.type == "identifier":
                handler = module.top_level_functions.get(text(handler), handler)
            if handler is None or handler.type not in FUNCTION_TYPES:
                continue
            data = first_data_call(module, handler, ctx.data_fns)
            if data is None:
                continue
            if any(auth_middleware(ctx, module, m) for m in route.middlewares):
                continue
            if auth_calls(module, handler, ctx.wrappers):
                continue
            if any(auth_middleware(ctx, module, a) for u in express.uses_before(module, route.owner, route.call)
                   for a in u.args):
                continue
            target = ".".join(p for p in callee_path(data) if p != "()")
            yield ctx.at_node("express.require-auth-missing", module, route.call,
                              f"{route.method.upper()} {route.path} calls {target}() with no auth check in front "
                              "of it")
