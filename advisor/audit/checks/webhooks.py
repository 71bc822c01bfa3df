"""Webhook routes (Next.js, Express, FastAPI/Flask/Django): is each delivery's Svix signature
verified, on the raw body, before anything reads it?"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from advisor.audit import express
from advisor.audit.context import Context
from advisor.audit.jsmodule import JsModule
from advisor.audit.jsnodes import Node, arguments, callee_name, callee_path, parameter_names, text, unwrap
from advisor.audit.model import Finding
from advisor.audit.pymodule import FunctionNode, PyModule
from advisor.audit.registry import check

SYNC_DOC = ("Clerk: sync data with webhooks", "https://clerk.com/docs/guides/development/webhooks/syncing")
WORKSPHERE = ("SatyamPandey-07/WorkSphere#1489 (svix installed but unused)",
              "https://github.com/SatyamPandey-07/WorkSphere/issues/1489")
RAW_BODY = ("nidioganteng/ai-support-platform PR #40 (raw body)",
            "https://github.com/nidioganteng/ai-support-platform/pull/40")

_JS_VERIFY = frozenset({"verifyWebhook", "verify", "verifySignature", "constructEvent", "constructEventAsync",
                        "verifyWebhookSignature"})
_JS_BODY_READERS = frozenset({"json", "formData"})
_PY_VERIFY = frozenset({"verify", "verify_webhook", "verify_signature", "construct_event"})


@dataclass(frozen=True)
class _Verdict:
    verified: bool
    parsed_first: Node | ast.AST | None  # the body parse that precedes verification


# -- JavaScript ---------------------------------------------------------------------------------


def _js_scopes(module: JsModule, fn: Node) -> list[Node]:
    """The handler and the module's own functions it calls (one level)."""
    scopes = [fn]
    for call in module.calls_in(fn):
        helper = module.top_level_functions.get(callee_name(call))
        if helper is not None and helper is not fn:
            scopes.append(helper)
    return scopes


def _js_verdict(module: JsModule, fn: Node, request_names: set[str]) -> _Verdict:
    calls = [c for scope in _js_scopes(module, fn) for c in module.calls_in(scope)]
    verify = [c for c in calls if callee_name(c) in _JS_VERIFY]
    if not verify:
        return _Verdict(False, None)
    first = min(c.start_byte for c in verify)
    for call in module.calls_in(fn):
        path = callee_path(call)
        if len(path) >= 2 and path[0] in request_names and path[-1] in _JS_BODY_READERS and call.start_byte < first:
            return _Verdict(True, call)
    for call in verify:
        for arg in arguments(call):
            inner = unwrap(arg)
            if inner is not None and inner.type == "call_expression" and callee_path(inner) == ("JSON", "stringify"):
                return _Verdict(True, inner)
    return _Verdict(True, None)


def _js_webhooks(ctx: Context) -> Iterator[tuple[JsModule, Node, Node, set[str], str]]:
    """(module, where to report, handler function, request parameter names, description)."""
    for handler in ctx.handlers:
        fn = handler.function
        if handler.is_webhook and fn is not None and handler.kind in ("route-handler", "api-route"):
            params = set(parameter_names(fn)) or {"req", "request"}
            yield handler.module, handler.value, fn, params, f"{handler.name} {handler.route}"
    for route in express.webhook_routes(ctx.js_modules()):
        module = route.module
        fn = unwrap(route.handler)
        if fn is None:
            continue
        if fn.type == "identifier":
            fn = module.top_level_functions.get(text(fn)) or fn
        params = set(parameter_names(fn)) if fn.type != "identifier" else {"req"}
        yield module, route.call, fn, params, f"{route.method.upper()} {route.path}"


def _express_parsed(route: express.Route) -> Node | None:
    """express.json()/bodyParser.json() in front of a webhook route (its own or an earlier app.use)."""
    parsers = list(route.middlewares)
    parsers += [a for u in express.uses_before(route.module, route.owner, route.call) if u.path in (None, "/")
                for a in u.args]
    if any(_is_call_to(m, "raw") for m in route.middlewares):
        return None
    for node in parsers:
        if _is_call_to(node, "json"):
            return unwrap(node)
    return None


def _is_call_to(node: Node, name: str) -> bool:
    inner = unwrap(node)
    return inner is not None and inner.type == "call_expression" and callee_path(inner)[-1:] == (name,)


# -- Python -------------------------------------------------------------------------------------


def _py_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _py_scopes(module: PyModule, fn: FunctionNode) -> list[FunctionNode]:
    scopes, queue = [fn], [fn]
    while queue:
        current = queue.pop()
        for call in module.calls_in(current):
            helper = module.top_level_functions.get(_py_name(call))
            if helper is not None and helper not in scopes:
                scopes.append(helper)
                queue.append(helper)
    return scopes


def _is_body_parse(module: PyModule, call: ast.Call) -> bool:
    name = module.call_name(call)
    if name.endswith((".json", ".get_json")) and name.split(".")[0] in ("request", "req"):
        return True
    return name == "json.loads" and any(isinstance(a, ast.Attribute) and a.attr in ("body", "data")
                                        for a in call.args)


def _py_verdict(module: PyModule, fn: FunctionNode) -> _Verdict:
    scopes = _py_scopes(module, fn)
    verify = [c for s in scopes for c in module.calls_in(s) if _py_name(c) in _PY_VERIFY]
    if not verify:
        return _Verdict(False, None)
    first = min((c.lineno, c.col_offset) for c in verify)
    for call in module.calls_in(fn):
        if _is_body_parse(module, call) and (call.lineno, call.col_offset) < first:
            return _Verdict(True, call)
    for call in verify:
        for arg in call.args:
            if isinstance(arg, ast.Call) and module.call_name(arg) == "json.dumps":
                return _Verdict(True, arg)
    return _Verdict(True, None)


def _is_django(module: PyModule) -> bool:
    return any(origin.startswith("django") for origin in module.imports.values())


def py_webhooks(ctx: Context) -> Iterator[tuple[PyModule, FunctionNode, str]]:
    for module in ctx.py_modules():
        seen: set[int] = set()
        for route in module.routes:
            if "webhook" in route.path.lower():
                seen.add(id(route.function))
                yield module, route.function, route.path
        if _is_django(module):
            for fn in module.functions:
                if id(fn) not in seen and "webhook" in fn.name.lower() and fn.args.args and \
                        fn.args.args[0].arg == "request":
                    yield module, fn, fn.name


# -- checks ---------------------------------------------------------------------------------


@check("webhook.unverified", "critical", "Webhook route never verifies the Svix signature",
       fix="Verify every delivery before using it: `await verifyWebhook(req)` (@clerk/nextjs/webhooks, "
           "@clerk/express/webhooks), or svix/standardwebhooks `Webhook(secret).verify(raw_body, headers)` in "
           "Python.",
       refs=[SYNC_DOC, WORKSPHERE, ("harshdwivediiiii/pathfinder-ai#2263",
                                    "https://github.com/harshdwivediiiii/pathfinder-ai/issues/2263")],
       help="Anyone who finds the URL can post a fake user.created or organizationMembership.created event and "
            "your handler will write it.")
def webhook_unverified(ctx: Context) -> Iterator[Finding]:
    for module, where, fn, params, label in _js_webhooks(ctx):
        if fn.type != "identifier" and not _js_verdict(module, fn, params).verified:
            yield ctx.at_node("webhook.unverified", module, where,
                              f"webhook {label} uses the payload without verifying its signature")
    for py, fn, label in py_webhooks(ctx):
        if not _py_verdict(py, fn).verified:
            yield ctx.at_ast("webhook.unverified", py, fn,
                             f"webhook {label} uses the payload without verifying its signature")


@check("webhook.parsed-before-verify", "high", "Webhook body parsed before its signature is verified",
       fix="Verify the raw body exactly as received (`await req.text()`, `await request.body()`, "
           "`express.raw({ type: 'application/json' })`), then parse the JSON.",
       refs=[RAW_BODY, SYNC_DOC],
       help="The signature covers the exact bytes sent; JSON parsed and re-serialised differs, so verification "
            "fails for good deliveries or is skipped, and a parsed body may already have been acted on.")
def webhook_parsed_before_verify(ctx: Context) -> Iterator[Finding]:
    for module, _where, fn, params, label in _js_webhooks(ctx):
        if fn.type == "identifier":
            continue
        verdict = _js_verdict(module, fn, params)
        if verdict.verified and verdict.parsed_first is not None:
            yield ctx.at_node("webhook.parsed-before-verify", module, verdict.parsed_first,
                              f"webhook {label} parses the body before verifying the signature over the raw bytes")
    for route in express.webhook_routes(ctx.js_modules()):
        parser = _express_parsed(route)
        if parser is not None:
            yield ctx.at_node("webhook.parsed-before-verify", route.module, parser,
                              f"{route.method.upper()} {route.path} receives a JSON-parsed body: verify the raw "
                              "body with express.raw({ type: 'application/json' })")
    for py, fn, label in py_webhooks(ctx):
        verdict = _py_verdict(py, fn)
        if verdict.verified and isinstance(verdict.parsed_first, ast.AST):
            yield ctx.at_ast("webhook.parsed-before-verify", py, verdict.parsed_first,
                             f"webhook {label} parses the body before verifying the signature over the raw bytes")


@check("webhook.gated-by-middleware", "medium", "Webhook route behind auth (middleware or CSRF)",
       fix="Keep the webhook route public (it authenticates deliveries by their Svix signature): list it among "
           "the public routes, or take it out of the protected list; in Django mark the view csrf_exempt.",
       refs=[SYNC_DOC, ("filopedraz/kosuke-core PR #116", "https://github.com/filopedraz/kosuke-core/pull/116")],
       help="Clerk's deliveries carry no session, so a protected webhook route answers 401/404 (or 403 for a "
            "CSRF failure) and Svix retries until it gives up: users and organizations silently stop syncing.")
def webhook_gated(ctx: Context) -> Iterator[Finding]:
    from advisor.audit.checks.nextjs_middleware import next_gated_findings

    yield from next_gated_findings(ctx)
    yield from django_csrf_findings(ctx)
    yield from express_gated_findings(ctx)


def django_csrf_findings(ctx: Context) -> Iterator[Finding]:
    """Django's CSRF middleware refuses Clerk's POSTs unless the view is csrf_exempt."""
    for py, fn, label in py_webhooks(ctx):
        if not _is_django(py):
            continue
        names = {py.qualified(d.func if isinstance(d, ast.Call) else d) for d in fn.decorator_list}
        if not any(n.endswith("csrf_exempt") for n in names):
            yield ctx.at_ast("webhook.gated-by-middleware", py, fn,
                             f"Django view {label} is not csrf_exempt: the CSRF middleware refuses Clerk's deliveries")


def express_gated_findings(ctx: Context) -> Iterator[Finding]:
    """An `app.use(requireAuth())` registered before the webhook route refuses Clerk's deliveries."""
    from advisor.audit.checks.express import auth_middleware

    for route in express.webhook_routes(ctx.js_modules()):
        for use in express.uses_before(route.module, route.owner, route.call):
            if use.path in (None, "/") and any(auth_middleware(ctx, route.module, a) for a in use.args):
                yield ctx.at_node("webhook.gated-by-middleware", route.module, use.call,
                                  f"this auth middleware runs before the webhook route {route.path}: Clerk's "
                                  "deliveries have no session and will be refused")
                break
