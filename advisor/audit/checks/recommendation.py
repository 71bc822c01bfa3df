"""Against the recommendation (`--requirements`): does the code do what the architecture needs?"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from advisor.audit.checks.python_auth import options_calls, reads_sts
from advisor.audit.context import Context
from advisor.audit.guards import auth_calls, first_data_call
from advisor.audit.jsmodule import JsModule
from advisor.audit.jsnodes import (
    Node,
    arguments,
    array_items,
    callee_name,
    enclosing_function,
    object_entries,
    string_value,
    text,
)
from advisor.audit.model import Finding
from advisor.audit.pymodule import PyModule
from advisor.audit.registry import check

ORGS_DOC = ("Clerk: organizations required (choose-organization task)",
            "https://clerk.com/docs/guides/organizations/configure")
M2M_DOC = ("Clerk: machine-to-machine tokens", "https://clerk.com/docs/guides/development/machine-auth/m2m-tokens")
_SERVICE_SEGMENT = re.compile(r"(^|/)(m2m|machine|machines|internal|service|services|cron|jobs)(/|$)", re.I)


@check("requirements.pending-sessions-accepted", "high",
       "Organizations are required, but the code accepts pending sessions",
       fix="Python: reject tokens with sts == 'pending'. JS: keep treatPendingAsSignedOut at its default (true).",
       refs=[ORGS_DOC, ("Clerk: session tokens (sts claim)", "https://clerk.com/docs/guides/sessions/session-tokens")],
       help="With organizations required, a session stays pending until the user chooses one; code that accepts "
            "pending sessions serves users who have no organization yet.")
def pending_sessions_accepted(ctx: Context) -> Iterator[Finding]:
    rec = ctx.recommendation
    if rec is None or not rec.organizations_required:
        return
    if not reads_sts(ctx):
        for options in options_calls(ctx):
            if options.kind == "AuthenticateRequestOptions" and options.accepts_sessions:
                yield ctx.at_ast("requirements.pending-sessions-accepted", options.module, options.call,
                                 f"{rec.source} requires organizations, but nothing rejects pending sessions "
                                 "(sts='pending') verified with these options")
    for module in ctx.js_modules():
        for pair in module.pairs:
            if text(pair.child_by_field_name("key")) == "treatPendingAsSignedOut" and \
                    text(pair.child_by_field_name("value")) == "false" and _pending_matters(ctx, module, pair):
                yield ctx.at_node("requirements.pending-sessions-accepted", module, pair,
                                  f"{rec.source} requires organizations, but this treats pending sessions as "
                                  "signed in")


def _pending_matters(ctx: Context, module: JsModule, pair: Node) -> bool:
    """Accepting pending sessions is right on a session-task page (it renders Clerk's task UI);
    it is a problem app-wide (clerkMiddleware options) or where data is read."""
    call = pair.parent
    while call is not None and call.type != "call_expression":
        call = call.parent
    if call is not None and callee_name(call) == "clerkMiddleware":
        return True
    fn = enclosing_function(pair)
    return fn is not None and first_data_call(module, fn, ctx.data_fns) is not None


def _js_accepted(ctx: Context, handler_module, fn) -> list[str] | None:
    """Token types the handler's auth() calls accept (None when it makes no auth call)."""
    calls = auth_calls(handler_module, fn, ctx.wrappers)
    if not calls:
        return None
    kinds: list[str] = []
    for call in calls:
        options = next((object_entries(a) for a in arguments(call) if object_entries(a)), {})
        value = options.get("acceptsToken") or options.get("token")
        items = array_items(value)
        if items is not None:
            kinds.extend(string_value(i) or "?" for i in items)
        elif value is not None:
            kinds.append(string_value(value) or "?")
        else:
            kinds.append("session_token")
    return kinds


def _py_session_names(ctx: Context) -> set[str]:
    """Names (functions, module constants) that lead to session-accepting verification."""
    names: set[str] = set()
    for options in options_calls(ctx):
        if options.accepts_sessions:
            fn = options.module.enclosing_function(options.call)
            if fn is not None:
                names.add(fn.name)
    changed = True
    while changed:
        changed = False
        for module in ctx.py_modules():
            for name, node in _py_definitions(module):
                if name not in names and any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(node)):
                    names.add(name)
                    changed = True
    return names


def _py_definitions(module: PyModule) -> Iterator[tuple[str, ast.AST]]:
    yield from module.top_level_functions.items()
    yield from module.module_constants.items()


@check("requirements.m2m-route-accepts-sessions", "high", "M2M is enabled, but a service route accepts session tokens",
       fix="Verify service routes with M2M tokens only: `auth({ acceptsToken: 'm2m_token' })` in Next.js, "
           "`accepts_token=['m2m_token']` with the machine secret key in Python.",
       refs=[M2M_DOC, ("upstash/context7 PR #3130", "https://github.com/upstash/context7/pull/3130")],
       help="A route meant for your services that accepts user sessions can be called by any signed-in user's "
            "browser.")
def m2m_route_accepts_sessions(ctx: Context) -> Iterator[Finding]:
    rec = ctx.recommendation
    if rec is None or not rec.m2m:
        return
    for handler in ctx.handlers:
        fn = handler.function
        if handler.route is None or fn is None or not _SERVICE_SEGMENT.search(handler.route):
            continue
        kinds = _js_accepted(ctx, handler.module, fn)
        if kinds and any(k in ("session_token", "any") for k in kinds):
            yield ctx.at_node("requirements.m2m-route-accepts-sessions", handler.module, handler.value,
                              f"{handler.name} {handler.route} looks like a service route but accepts session "
                              "tokens; the recommendation enables M2M")
    names = _py_session_names(ctx)
    for module in ctx.py_modules():
        for route in module.routes:
            if not _SERVICE_SEGMENT.search(route.path):
                continue
            used = {n.id for a in route.function.args.args + route.function.args.kwonlyargs
                    if a.annotation is not None for n in ast.walk(a.annotation) if isinstance(n, ast.Name)}
            used |= {n.id for d in route.function.args.defaults for n in ast.walk(d) if isinstance(n, ast.Name)}
            if used & names:
                yield ctx.at_ast("requirements.m2m-route-accepts-sessions", module, route.function,
                                 f"{route.path} looks like a service route but depends on session-token "
                                 "verification; the recommendation enables M2M")
