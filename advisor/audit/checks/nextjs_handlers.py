"""Next.js: route handlers, API routes, pages and server actions that read data without
checking who is calling; `auth()` without `await`."""

from __future__ import annotations

from collections.abc import Iterator

from advisor.audit.context import Context
from advisor.audit.jsnodes import callee_path, is_awaited
from advisor.audit.model import Finding
from advisor.audit.nextjs import Handler
from advisor.audit.registry import check

PROTECT_DOC = ("Clerk: protect content", "https://clerk.com/docs/guides/secure/protect-content")
PR_5419 = ("CVE-2025-29927: call auth() in your routes (clerk/javascript PR #5419)",
           "https://github.com/clerk/javascript/pull/5419")
SKILL = ("Clerk skill: unprotected Server Action", "https://skill4agent.com/en/skill/clerk-skills/clerk-nextjs-patterns")

_FIX = ("Call `await auth.protect()` (pages, actions) or `const { isAuthenticated } = await auth()` and answer 401 "
        "(route handlers) before reading data; scope queries to the session's userId/orgId.")


def _unguarded(ctx: Context, kinds: tuple[str, ...]) -> Iterator[Handler]:
    for handler in ctx.handlers:
        if handler.kind in kinds and not handler.guarded and handler.reads_data and not handler.is_webhook:
            yield handler


def _describe(handler: Handler) -> str:
    call = handler.data_call
    assert call is not None
    target = ".".join(p for p in callee_path(call) if p != "()") or "data"
    return target


@check("nextjs.unguarded-route-handler", "high", "Route handler reads data without checking auth",
       fix=_FIX, refs=[PR_5419, PROTECT_DOC],
       help="Middleware is not a security boundary (CVE-2025-29927, GHSA-vqx2-fgx2-5wq9): each route handler "
            "and API route must check the caller itself.")
def unguarded_route_handler(ctx: Context) -> Iterator[Finding]:
    for handler in _unguarded(ctx, ("route-handler", "api-route")):
        assert handler.data_call is not None
        yield ctx.at_node("nextjs.unguarded-route-handler", handler.module, handler.data_call,
                          f"{handler.name} {handler.route} calls {_describe(handler)}() without auth(), "
                          "auth.protect(), currentUser() or getAuth()")


@check("nextjs.unguarded-server-action", "high", "Server action reads or writes data without checking auth",
       fix=_FIX, refs=[SKILL, PROTECT_DOC, PR_5419],
       help="A server action is a public POST endpoint: anyone can call it with any arguments, whatever the page "
            "that renders it shows or hides.")
def unguarded_server_action(ctx: Context) -> Iterator[Finding]:
    for handler in _unguarded(ctx, ("server-action",)):
        assert handler.data_call is not None
        yield ctx.at_node("nextjs.unguarded-server-action", handler.module, handler.data_call,
                          f"server action {handler.name} calls {_describe(handler)}() without checking auth")


@check("nextjs.unguarded-page", "medium", "Page reads data on the server without checking auth",
       fix="Call `await auth.protect()` in the page (App Router) or getAuth(ctx.req) in getServerSideProps; a "
           "check in a layout or in the middleware does not protect the page's own data fetch.",
       refs=[PROTECT_DOC, PR_5419])
def unguarded_page(ctx: Context) -> Iterator[Finding]:
    for handler in _unguarded(ctx, ("page", "server-props")):
        assert handler.data_call is not None
        what = "getServerSideProps" if handler.kind == "server-props" else "page"
        yield ctx.at_node("nextjs.unguarded-page", handler.module, handler.data_call,
                          f"{what} {handler.route} calls {_describe(handler)}() without checking auth")


@check("nextjs.auth-not-awaited", "high", "auth() used without await",
       fix="`const { userId } = await auth()`: since @clerk/nextjs 6 auth() returns a Promise.",
       refs=[("clerk/javascript PR #4358 (async auth)", "https://github.com/clerk/javascript/pull/4358"),
             ("oliver-gomes/quill-wizards-ai#1", "https://github.com/oliver-gomes/quill-wizards-ai/issues/1")],
       help="Destructuring a Promise gives undefined for userId and orgId: checks such as "
            "`if (orgId && orgId !== params.orgId)` then pass for everyone.")
def auth_not_awaited(ctx: Context) -> Iterator[Finding]:
    for module in ctx.js_modules():
        if module.imported_from("auth") != "@clerk/nextjs/server":
            continue
        app = ctx.app_for(module.rel)
        if app is not None and app.clerk_major is not None and app.clerk_major < 6:
            continue
        for call in module.calls:
            if callee_path(call) != ("auth",) or is_awaited(call):
                continue
            parent = call.parent
            if parent is not None and parent.type in ("return_statement", "arrow_function"):
                continue  # handing the Promise on is fine
            if parent is not None and parent.type == "member_expression" and \
                    parent.parent is not None and parent.parent.type == "call_expression" and \
                    callee_path(parent.parent)[-1:] == ("then",):
                continue
            yield ctx.at_node("nextjs.auth-not-awaited", module, call,
                              "auth() returns a Promise on @clerk/nextjs 6+: its fields are undefined without await")
