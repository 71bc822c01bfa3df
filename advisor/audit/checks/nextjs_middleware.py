"""Next.js: is clerkMiddleware where Next loads it, does it run where it must, and is it
the only gate?"""

from __future__ import annotations

from collections.abc import Iterator

from advisor.audit.context import Context
from advisor.audit.model import Finding, Severity
from advisor.audit.nextjs import Middleware, NextApp, path_pattern, route_matches
from advisor.audit.registry import check

CLERK_MIDDLEWARE_DOC = ("Clerk: clerkMiddleware()", "https://clerk.com/docs/reference/nextjs/clerk-middleware")
NEXT_PROXY_DOC = ("Next.js: middleware renamed to proxy", "https://nextjs.org/docs/messages/middleware-to-proxy")
GHSA_VQX2 = ("GHSA-vqx2-fgx2-5wq9 / CVE-2026-41248", "https://osv.dev/GHSA-vqx2-fgx2-5wq9")


def _folder(rel: str) -> str:
    return rel.rsplit("/", 1)[0] if "/" in rel else ""


def _stem(rel: str) -> str:
    return rel.rsplit("/", 1)[-1].split(".", 1)[0]


def _allowed_names(app: NextApp) -> tuple[str, ...]:
    if app.next_major is None:
        return ("proxy", "middleware")
    return ("proxy", "middleware") if app.next_major >= 16 else ("middleware",)


def loaded_middleware(ctx: Context, app: NextApp) -> list[Middleware]:
    """The middleware files Next would actually run for this app."""
    return [m for m in ctx.middleware(app)
            if _folder(m.module.rel) == app.base and _stem(m.module.rel) in _allowed_names(app)]


def _clerk_apps(ctx: Context) -> Iterator[NextApp]:
    return (app for app in ctx.next_apps if app.uses_clerk)


@check("nextjs.middleware-missing", "high", "No clerkMiddleware() where Next.js loads it",
       fix="Add proxy.ts (Next 16) or middleware.ts (Next 15) beside app/ (in src/ when the app uses src/app) "
           "with `export default clerkMiddleware()` and Clerk's recommended matcher.",
       refs=[CLERK_MIDDLEWARE_DOC, ("clerk/javascript#4827", "https://github.com/clerk/javascript/issues/4827")],
       help="Without clerkMiddleware, auth() cannot read the session in route handlers, pages and server actions; "
            "Clerk's helpers throw or see every request as signed out.")
def middleware_missing(ctx: Context) -> Iterator[Finding]:
    for app in _clerk_apps(ctx):
        if not app.middleware_files(ctx.project):
            dep = app.package.deps["@clerk/nextjs"]
            name = "proxy.ts" if (app.next_major or 16) >= 16 else "middleware.ts"
            where = f"{app.base}/{name}" if app.base else name
            yield ctx.at("nextjs.middleware-missing", dep.rel, dep.line, 1,
                         f"this app uses @clerk/nextjs but has no {where} with clerkMiddleware()")
            continue
        loaded = loaded_middleware(ctx, app)
        if loaded and not any(m.clerk_call is not None for m in loaded):
            module = loaded[0].module
            yield ctx.at("nextjs.middleware-missing", module.rel, 1, 1,
                         f"{module.source.path_name} does not call clerkMiddleware()")


@check("nextjs.middleware-not-loaded", "high", "Middleware file where Next.js does not load it",
       fix="Next 16 loads proxy.ts, Next 15 middleware.ts, from the folder that holds app/ or pages/ "
           "(src/ when the app uses src/app). Move or rename the file.",
       refs=[NEXT_PROXY_DOC, CLERK_MIDDLEWARE_DOC,
             ("vm0-ai/vm0#10164", "https://github.com/vm0-ai/vm0/issues/10164")])
def middleware_not_loaded(ctx: Context) -> Iterator[Finding]:
    for app in _clerk_apps(ctx):
        loaded = {m.module.rel for m in loaded_middleware(ctx, app)}
        for middleware in ctx.middleware(app):
            rel = middleware.module.rel
            if rel in loaded or loaded:
                continue
            if _folder(rel) != app.base:
                where = f"{app.base}/" if app.base else "the project root"
                reason = f"this app keeps its routes under {where}, so Next.js looks for the file there"
            else:
                reason = f"Next.js {app.next_major} loads middleware.ts, not proxy.ts (proxy.ts is Next 16)"
            yield ctx.at("nextjs.middleware-not-loaded", rel, 1, 1, f"{rel} never runs: {reason}")


@check("nextjs.middleware-deprecated-name", "low", "middleware.ts on Next.js 16",
       fix="Rename middleware.ts to proxy.ts (same code); keep only one of the two files.",
       refs=[NEXT_PROXY_DOC, CLERK_MIDDLEWARE_DOC])
def middleware_deprecated_name(ctx: Context) -> Iterator[Finding]:
    for app in _clerk_apps(ctx):
        if app.next_major is None or app.next_major < 16:
            continue
        for middleware in loaded_middleware(ctx, app):
            if _stem(middleware.module.rel) == "middleware":
                yield ctx.at("nextjs.middleware-deprecated-name", middleware.module.rel, 1, 1,
                             "Next.js 16 renamed the middleware file convention to proxy.ts; middleware.ts is "
                             "deprecated")


# Paths the matcher must cover. A .csv under /api is left out by the usual "skip static files"
# pattern, which is why Clerk adds '/(api|trpc)(.*)'.
_API_SAMPLE = "/api/export.csv"
_CLERK_SAMPLE = "/__clerk/v1/client.js"


@check("nextjs.matcher-incomplete", "medium", "Middleware matcher leaves out API or Clerk routes",
       fix="Use Clerk's matcher: the static-file exclusion, '/(api|trpc)(.*)' and '/__clerk/(.*)'.",
       refs=[CLERK_MIDDLEWARE_DOC, ("auth().userId gotcha in the App Router",
                                    "https://vibewshield.com/blog/clerk-authuserid-gotcha-app-router")])
def matcher_incomplete(ctx: Context) -> Iterator[Finding]:
    for app in _clerk_apps(ctx):
        for middleware in loaded_middleware(ctx, app):
            found = middleware.config_matcher
            if found is None:
                continue
            values, node = found
            patterns = [p for p in (path_pattern(v) for v in values) if p is not None]
            if len(patterns) < len(values):
                continue  # a pattern we cannot read: do not guess
            if not any(p.match(_API_SAMPLE) for p in patterns):
                yield ctx.at_node("nextjs.matcher-incomplete", middleware.module, node,
                                  "config.matcher does not cover every API route: add '/(api|trpc)(.*)'")
            if not any(p.match(_CLERK_SAMPLE) for p in patterns):
                yield ctx.at_node("nextjs.matcher-incomplete", middleware.module, node,
                                  "config.matcher does not cover Clerk's frontend API proxy: add '/__clerk/(.*)'",
                                  Severity.LOW)


@check("nextjs.deny-list-gating", "high", "Routes protected only by a deny-list in the middleware",
       fix="Check auth in each route handler, page and server action (`await auth.protect()` or `await auth()`), "
           "and keep clerkMiddleware() free of route lists; upgrade @clerk/nextjs past the advisory.",
       refs=[GHSA_VQX2, ("Clerk: protect content", "https://clerk.com/docs/guides/secure/protect-content"),
             ("CVE-2025-29927 guidance (clerk/javascript PR #5419)", "https://github.com/clerk/javascript/pull/5419")],
       help="A crafted request that slips past a createRouteMatcher deny-list reaches handlers that trust the "
            "middleware (GHSA-vqx2-fgx2-5wq9, CVSS 9.1; CVE-2025-29927).")
def deny_list_gating(ctx: Context) -> Iterator[Finding]:
    for app in _clerk_apps(ctx):
        handlers = [h for h in ctx.handlers if app.owns(h.rel) and h.route is not None
                    and not h.guarded and not h.is_webhook]
        for middleware in loaded_middleware(ctx, app):
            for gate in middleware.gates:
                if gate.kind != "deny":
                    continue
                exposed = [h for h in handlers if route_matches(gate.patterns, h.route or "")]
                if not exposed:
                    continue
                names = ", ".join(sorted({f"{h.rel} ({h.name})" if h.kind == "route-handler" else h.rel
                                          for h in exposed})[:3])
                more = f" and {len(exposed) - 3} more" if len(exposed) > 3 else ""
                yield ctx.at_node("nextjs.deny-list-gating", middleware.module, gate.node,
                                  f"only the middleware's `{gate.matcher}` list protects {len(exposed)} "
                                  f"handler(s) that never check auth themselves: {names}{more}")


def next_gated_findings(ctx: Context) -> Iterator[Finding]:
    """Middleware gates that protect a webhook route (finding of webhook.gated-by-middleware)."""
    for app in _clerk_apps(ctx):
        webhooks = [h for h in ctx.handlers if app.owns(h.rel) and h.is_webhook]
        if not webhooks:
            continue
        for middleware in loaded_middleware(ctx, app):
            for gate in middleware.gates:
                hit = [h for h in webhooks if route_matches(gate.patterns, h.route or "") == (gate.kind == "deny")]
                if hit:
                    yield ctx.at_node("webhook.gated-by-middleware", middleware.module, gate.node,
                                      f"this gate protects the webhook route {hit[0].route}: Clerk's deliveries "
                                      "have no session and will be refused")
