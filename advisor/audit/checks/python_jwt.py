"""Python: hand-rolled JWT verification (PyJWT, python-jose) that skips checks Clerk's SDK makes."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from advisor.audit.context import Context
from advisor.audit.model import Finding
from advisor.audit.pymodule import PyModule, keyword
from advisor.audit.registry import check

MANUAL_JWT = ("Clerk: manual JWT verification", "https://clerk.com/docs/guides/sessions/manual-jwt-verification")
TANERGY = ("orcastt/Tanergy2#121 (RS256 only, issuer pinning, azp)", "https://github.com/orcastt/Tanergy2/issues/121")
SDK_137 = ("clerk/clerk-sdk-python#137", "https://github.com/clerk/clerk-sdk-python/issues/137")
# PyJWT and python-jose calls that verify and decode a token (org_claims reads their results too).
DECODERS = frozenset({"jwt.decode", "jwt.decode_complete", "jose.jwt.decode", "jwt.api_jwt.decode"})


def _decode_calls(ctx: Context) -> Iterator[tuple[PyModule, ast.Call]]:
    for module in ctx.py_modules():
        for call in module.calls:
            if module.call_name(call) in DECODERS:
                yield module, call


def _options(module: PyModule, call: ast.Call) -> dict[str, object]:
    node = keyword(call, "options")
    if isinstance(node, ast.Name) and node.id in module.module_constants:
        node = module.module_constants[node.id]
    if not isinstance(node, ast.Dict):
        return {}
    found: dict[str, object] = {}
    for key, value in zip(node.keys, node.values, strict=True):
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            found[key.value] = module.literal(value)
    return found


def signature_unverified(module: PyModule, call: ast.Call) -> bool:
    verify = keyword(call, "verify")
    return _options(module, call).get("verify_signature") is False or (
        isinstance(verify, ast.Constant) and verify.value is False)


@check("python.jwt-signature-unverified", "critical", "JWT decoded without verifying its signature",
       fix="Verify with the SDK (`authenticate_request`) or `jwt.decode(token, key, algorithms=['RS256'], "
           "issuer=...)`; use jwt.get_unverified_header() only to pick the key.",
       refs=[MANUAL_JWT, TANERGY],
       help="With verify_signature off, anyone can mint a token with any user id.")
def jwt_signature_unverified(ctx: Context) -> Iterator[Finding]:
    for module, call in _decode_calls(ctx):
        if signature_unverified(module, call):
            yield ctx.at_ast("python.jwt-signature-unverified", module, call,
                             "jwt.decode(...) with signature verification off accepts forged tokens")


@check("python.jwt-algorithms-unpinned", "high", "JWT algorithm not pinned to RS256",
       fix="Pass `algorithms=['RS256']` (Clerk signs session tokens with RS256) and nothing else.",
       refs=[MANUAL_JWT, TANERGY],
       help="Accepting the algorithm the token names (or HS256/none) enables algorithm-confusion forgeries.")
def jwt_algorithms_unpinned(ctx: Context) -> Iterator[Finding]:
    for module, call in _decode_calls(ctx):
        if signature_unverified(module, call):
            continue
        node = keyword(call, "algorithms")
        if node is None:
            yield ctx.at_ast("python.jwt-algorithms-unpinned", module, call,
                             "jwt.decode(...) without algorithms=['RS256']")
            continue
        value = module.literal(node)
        if isinstance(value, list) and value and set(value) != {"RS256"}:
            yield ctx.at_ast("python.jwt-algorithms-unpinned", module, node,
                             f"algorithms={value!r}: Clerk tokens are RS256 only")
        elif value is None and any(isinstance(n, ast.Constant) and n.value == "alg" for n in ast.walk(node)):
            yield ctx.at_ast("python.jwt-algorithms-unpinned", module, node,
                             "the algorithm is taken from the token's own header")


@check("python.jwt-claims-unchecked", "medium", "Hand-rolled JWT check skips issuer, expiry or azp",
       fix="Pass `issuer='https://<your-frontend-api>'`, keep exp verification on, and check the azp claim "
           "against your origins; or use the SDK's authenticate_request with authorized_parties.",
       refs=[MANUAL_JWT, TANERGY, ("clerk/clerk-docs PR #495", "https://github.com/clerk/clerk-docs/pull/495")])
def jwt_claims_unchecked(ctx: Context) -> Iterator[Finding]:
    for module, call in _decode_calls(ctx):
        if signature_unverified(module, call):
            continue
        options = _options(module, call)
        missing = []
        if keyword(call, "issuer") is None:
            missing.append("issuer (iss)")
        if options.get("verify_exp") is False or options.get("verify_nbf") is False:
            missing.append("expiry (exp/nbf)")
        scope = module.enclosing_function(call) or module.tree
        if not any(isinstance(n, ast.Constant) and n.value == "azp" for n in ast.walk(scope)):
            missing.append("authorized party (azp)")
        if missing:
            yield ctx.at_ast("python.jwt-claims-unchecked", module, call,
                             "this hand-rolled verification does not check " + ", ".join(missing))


@check("python.jwks-per-request", "medium", "JWKS fetched on every request",
       fix="Create the PyJWKClient (or fetch the JWKS) once at module level or cache it; better, pass the PEM "
           "public key as jwt_key for networkless verification.",
       refs=[SDK_137, MANUAL_JWT],
       help="Fetching the signing keys per request adds latency, fails when Clerk is unreachable, and hits rate "
            "limits under load.")
def jwks_per_request(ctx: Context) -> Iterator[Finding]:
    for module in ctx.py_modules():
        for call in module.calls:
            fn = module.enclosing_function(call)
            if fn is None or _cached(module, fn):
                continue
            name = module.call_name(call)
            if name.endswith("PyJWKClient"):
                yield ctx.at_ast("python.jwks-per-request", module, call,
                                 f"a new PyJWKClient in {fn.name}() fetches the JWKS on every call")
            elif name.startswith(("requests.", "httpx.")) and _jwks_url(call):
                yield ctx.at_ast("python.jwks-per-request", module, call,
                                 f"{fn.name}() downloads the JWKS on every call")


def _cached(module: PyModule, fn: ast.AST) -> bool:
    decorators = getattr(fn, "decorator_list", [])
    names = {module.qualified(d.func if isinstance(d, ast.Call) else d).rsplit(".", 1)[-1] for d in decorators}
    return bool(names & {"lru_cache", "cache", "cached", "cached_property"})


def _jwks_url(call: ast.Call) -> bool:
    for node in ast.walk(call):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                ("jwks" in node.value.lower() or ".well-known" in node.value):
            return True
    return False
