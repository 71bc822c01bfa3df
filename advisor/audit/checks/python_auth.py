"""Python (clerk-backend-api): authenticate_request options, pending sessions, and blocking
verification inside async handlers."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from advisor.audit.context import Context
from advisor.audit.model import Finding
from advisor.audit.pymodule import PyModule, has_kwargs_splat, keyword
from advisor.audit.registry import check

SDK_TYPES = ("clerk-backend-api security/types.py (accepts_token defaults to ['any'])",
             "https://github.com/clerk/clerk-sdk-python/blob/main/src/clerk_backend_api/security/types.py")
AZP_DOCS = ("clerk/clerk-docs PR #1845 (authorizedParties)", "https://github.com/clerk/clerk-docs/pull/1845")
SDK_137 = ("clerk/clerk-sdk-python#137 (JWKS fetch blocks asyncio)",
           "https://github.com/clerk/clerk-sdk-python/issues/137")
MACHINE_TYPES = frozenset({"m2m_token", "machine_token", "api_key", "oauth_token"})
_ORG_CLAIMS = frozenset({"org_id", "org_role", "org_permissions", "org_slug"})


@dataclass(frozen=True)
class OptionsCall:
    module: PyModule
    call: ast.Call
    kind: str  # 'AuthenticateRequestOptions' | 'VerifyTokenOptions'
    accepts: list[str] | None  # None: not a literal we can read
    accepts_given: bool

    @property
    def accepts_sessions(self) -> bool:
        if not self.accepts_given or self.accepts is None:
            return True
        return "any" in self.accepts or "session_token" in self.accepts or not set(self.accepts) <= MACHINE_TYPES


def options_calls(ctx: Context) -> Iterator[OptionsCall]:
    for module in ctx.py_modules():
        for call in module.calls:
            name = module.call_name(call).rsplit(".", 1)[-1]
            if name not in ("AuthenticateRequestOptions", "VerifyTokenOptions") or has_kwargs_splat(call):
                continue
            given = keyword(call, "accepts_token")
            value = module.literal(given) if given is not None else None
            accepts = [v for v in value if isinstance(v, str)] if isinstance(value, list) else \
                [value] if isinstance(value, str) else None
            yield OptionsCall(module, call, name, accepts, given is not None)


@check("python.authorized-parties-missing", "medium", "authenticate_request without authorized_parties",
       fix="Pass `authorized_parties=['https://app.example.com']` (your frontends' origins) to "
           "AuthenticateRequestOptions / VerifyTokenOptions.",
       refs=[AZP_DOCS, SDK_TYPES, ("koala73/worldmonitor PR #8194", "https://github.com/koala73/worldmonitor/pull/8194")],
       help="The Python SDK leaves authorized_parties optional (None): the token's azp is then not checked, and a "
            "session token minted for another site of the instance is accepted.")
def authorized_parties_missing(ctx: Context) -> Iterator[Finding]:
    for options in options_calls(ctx):
        if not options.accepts_sessions:
            continue
        given = keyword(options.call, "authorized_parties")
        value = options.module.literal(given) if given is not None else None
        if given is None or (isinstance(given, ast.Constant) and given.value is None) or value == []:
            yield ctx.at_ast("python.authorized-parties-missing", options.module, options.call,
                             f"{options.kind} without authorized_parties: the token's azp is not checked")


@check("python.accepts-token-any", "high", "authenticate_request accepts any token type",
       fix="Pass `accepts_token=['session_token']` for user endpoints (and a separate options object with "
           "`['m2m_token']` or `['api_key']` for machine endpoints).",
       refs=[SDK_TYPES, ("upstash/context7 PR #3130", "https://github.com/upstash/context7/pull/3130")],
       help="Unlike the JS SDK (default 'session_token'), clerk-backend-api's accepts_token defaults to ['any']: "
            "API keys, M2M and OAuth tokens then pass where a user session is expected.")
def accepts_token_any(ctx: Context) -> Iterator[Finding]:
    for options in options_calls(ctx):
        if options.kind != "AuthenticateRequestOptions":
            continue
        if not options.accepts_given:
            yield ctx.at_ast("python.accepts-token-any", options.module, options.call,
                             "accepts_token is left at its default ['any']: every token type is accepted")
        elif options.accepts is not None and "any" in options.accepts:
            yield ctx.at_ast("python.accepts-token-any", options.module, options.call,
                             "accepts_token=['any'] accepts API keys, M2M and OAuth tokens as if they were sessions")


def reads_sts(ctx: Context) -> bool:
    return any(c.value == "sts" for m in ctx.py_modules() for c in m.constants_str)


def reads_org_claims(ctx: Context) -> bool:
    return any(c.value in _ORG_CLAIMS for m in ctx.py_modules() for c in m.constants_str)


def first_session_options(ctx: Context) -> OptionsCall | None:
    for options in options_calls(ctx):
        if options.kind == "AuthenticateRequestOptions" and options.accepts_sessions:
            return options
    return None


@check("python.pending-session-accepted", "medium", "Pending sessions accepted while reading organization claims",
       fix="Reject tokens whose `sts` claim is 'pending' (the user still has a session task such as choosing an "
           "organization) before trusting org_id, org_role or org_permissions.",
       refs=[SDK_TYPES, ("Clerk: session tokens (sts claim)", "https://clerk.com/docs/guides/sessions/session-tokens")],
       help="authenticate_request does not reject sts: 'pending'; a pending session has no organization yet, so "
            "organization-scoped code sees a signed-in user without one.")
def pending_session_accepted(ctx: Context) -> Iterator[Finding]:
    options = first_session_options(ctx)
    if options is None or reads_sts(ctx) or not reads_org_claims(ctx):
        return
    yield ctx.at_ast("python.pending-session-accepted", options.module, options.call,
                     "session tokens are accepted and organization claims read, but nothing rejects sts='pending'")


_BLOCKING = ("requests.", "urllib.request.urlopen", "httpx.get", "httpx.post", "httpx.request")


def blocking_call(module: PyModule, call: ast.Call) -> str | None:
    """A synchronous network call (JWKS fetch, Clerk verification), named, or None."""
    name = module.call_name(call)
    last = name.rsplit(".", 1)[-1]
    if name.startswith(_BLOCKING):
        return name
    if last in ("authenticate_request", "verify_token", "get_signing_key_from_jwt", "fetch_data"):
        if last == "fetch_data" and "jwk" not in name.lower():
            return None
        return last
    return None


@check("python.blocking-auth-in-async", "medium", "Synchronous token verification inside async def",
       fix="Use `await authenticate_request_async(...)`, pass `jwt_key` (networkless), or fetch the JWKS once at "
           "start-up; never a blocking HTTP call inside an async handler.",
       refs=[SDK_137],
       help="A blocking JWKS fetch inside `async def` stalls the event loop: every request on the worker waits.")
def blocking_auth_in_async(ctx: Context) -> Iterator[Finding]:
    for module in ctx.py_modules():
        for fn in module.functions:
            if not isinstance(fn, ast.AsyncFunctionDef):
                continue
            for call in module.calls_in(fn):
                if module.enclosing_function(call) is not fn:
                    continue
                name = blocking_call(module, call)
                if name is not None:
                    yield ctx.at_ast("python.blocking-auth-in-async", module, call,
                                     f"{name}() blocks the event loop inside async def {fn.name}")
