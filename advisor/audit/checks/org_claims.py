"""Organization claims read by their version 1 names from a token the code decodes itself.

Clerk's v2 session tokens (the default since April 2025) carry the active organization under
`o` (`o.id`, `o.rol` without the `org:` prefix, `o.slg`, `o.per`); `org_id`, `org_role`,
`org_slug` and `org_permissions` are gone. A backend that verifies the token itself (PyJWT,
python-jose, clerk-backend-api's `verify_token`; `jose`, `jsonwebtoken`, `verifyToken`, raw
`sessionClaims`) and reads only the v1 names sees every user without an organization: it
denies everyone or, worse, skips the tenant filter. `authenticate_request(...).payload` in
Python adds the v1 names back, so modules using it are left alone, as are modules that also
read `o`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from advisor.audit.checks.python_jwt import DECODERS
from advisor.audit.context import Context
from advisor.audit.jsmodule import JsModule
from advisor.audit.jsnodes import Node, callee_name, enclosing_function, name_path, string_value, text, unwrap
from advisor.audit.model import Finding, Severity
from advisor.audit.pymodule import PyModule
from advisor.audit.registry import check

_ID = "authz.org-claims-v1"
DOCS_PR_2186 = ("clerk/clerk-docs PR #2186 (session token v2 claims)", "https://github.com/clerk/clerk-docs/pull/2186")
SESSION_TOKENS = ("Clerk: session tokens (version 2 claims)", "https://clerk.com/docs/guides/sessions/session-tokens")
SDK_GO_390 = ("clerk/clerk-sdk-go PR #390 (v2 org claims)", "https://github.com/clerk/clerk-sdk-go/pull/390")

V2_NAME = {"org_id": "o.id", "org_role": "o.rol (without the org: prefix)", "org_slug": "o.slg",
           "org_permissions": "o.per with fea and o.fpm"}
# What a decoded token is called: claims, sessionClaims, payload, decoded, token_data, jwt ...
_CLAIMS_NAME = re.compile(r"claims|payload|decoded|jwt|token", re.I)
_QUERY_CALLS = frozenset({"filter", "filter_by", "where", "exclude", "eq", "find", "find_one", "findOne",
                          "findMany", "findFirst", "findUnique", "get_object_or_404"})
_JS_TOKEN_MODULES = ("jose", "jsonwebtoken", "jwt-decode")
_PY_SDK_VERIFY = frozenset({"verify_token", "verify_token_async"})
_PY_SDK_NORMALISED = frozenset({"authenticate_request", "authenticate_request_async"})
_COMPARISONS = frozenset({"===", "!==", "==", "!=", "&&", "||", "??"})


def _message(key: str, gating: bool) -> str:
    effect = "every user looks organization-less here (access denied, or the tenant filter skipped)" if gating \
        else "it is always missing"
    return f"'{key}' is a v1 session-token claim: v2 tokens carry it as {V2_NAME[key]}, so {effect}"


def _prefix_message(value: str) -> str:
    return f"o.rol compared with '{value}': v2 tokens hold the role without the org: prefix ('{value[4:]}')"


def _severity(gating: bool) -> Severity:
    return Severity.HIGH if gating else Severity.MEDIUM


# -- Python ------------------------------------------------------------------------------------


def _py_key_read(node: ast.AST) -> tuple[ast.expr, str] | None:
    """(receiver, key) of `x["k"]`, `x.get("k", ...)` or `x.k`."""
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
        return node.value, node.slice.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
            and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
        return node.func.value, node.args[0].value
    if isinstance(node, ast.Attribute):
        return node.value, node.attr
    return None


def _py_last_name(module: PyModule, call: ast.Call) -> str:
    return module.call_name(call).rsplit(".", 1)[-1]


def _py_decodes(module: PyModule) -> bool:
    for call in module.calls:
        name = module.call_name(call)
        if name in DECODERS or (name.startswith("clerk_backend_api") and _py_last_name(module, call)
                                    in _PY_SDK_VERIFY):
            return True
    return False


def _py_gating(module: PyModule, node: ast.AST) -> bool:
    child: ast.AST = node
    parent = module.parent(node)
    while parent is not None:
        if isinstance(parent, ast.Compare | ast.BoolOp | ast.UnaryOp):
            return True
        if isinstance(parent, ast.If | ast.While | ast.Assert | ast.IfExp):
            return child is parent.test
        if isinstance(parent, ast.Call) and child is not parent.func and _py_last_name(module, parent) in _QUERY_CALLS:
            return True
        if isinstance(parent, ast.stmt):
            return False
        child, parent = parent, module.parent(parent)
    return False


def _py_findings(ctx: Context, module: PyModule) -> Iterator[Finding]:
    reads = [(node, found) for node in ast.walk(module.tree) if (found := _py_key_read(node)) is not None]
    if any(key == "o" for _, (_, key) in reads):
        return
    for node, (receiver, key) in reads:
        if key in V2_NAME and _CLAIMS_NAME.search(ast.unparse(receiver)):
            gating = _py_gating(module, node)
            yield ctx.at_ast(_ID, module, node, _message(key, gating), _severity(gating))


def _py_prefix_compares(ctx: Context, module: PyModule) -> Iterator[Finding]:
    for node in ast.walk(module.tree):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        if not any(_py_is_v2_role(side) for side in sides):
            continue
        for side in sides:
            values = side.elts if isinstance(side, ast.List | ast.Tuple | ast.Set) else [side]
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value.startswith("org:"):
                    yield ctx.at_ast(_ID, module, node, _prefix_message(value.value))


def _py_is_v2_role(node: ast.AST) -> bool:
    read = _py_key_read(node)
    if read is None or read[1] != "rol":
        return False
    parent = _py_key_read(read[0])
    return parent is not None and parent[1] == "o"


# -- JavaScript / TypeScript -------------------------------------------------------------------


def _js_nodes(root: Node, kinds: frozenset[str]) -> Iterator[Node]:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in kinds:
            yield node
        stack.extend(node.named_children)


def _js_tokens_module(module: JsModule) -> bool:
    return any(module.imports_from_prefix(m) for m in _JS_TOKEN_MODULES) or module.imports_from_prefix("@clerk")


def _js_key(node: Node) -> str | None:
    if node.type == "member_expression":
        return text(node.child_by_field_name("property"))
    if node.type == "subscript_expression":
        return string_value(node.child_by_field_name("index"))
    return None


def _js_gating(node: Node) -> bool:
    """Is the value decided on: compared, negated, tested by if/?:, or a query filter?"""
    child, parent = node, node.parent
    while parent is not None:
        kind = parent.type
        if kind == "binary_expression" and text(parent.child_by_field_name("operator")) in _COMPARISONS:
            return True
        if kind == "unary_expression" and text(parent.child_by_field_name("operator")) == "!":
            return True
        if kind in ("if_statement", "while_statement", "ternary_expression"):
            return parent.child_by_field_name("condition") == child
        if kind == "call_expression" and parent.child_by_field_name("arguments") == child \
                and callee_name(parent) in _QUERY_CALLS:
            return True
        if kind == "pair" and text(parent.child_by_field_name("key")) == "where":
            return True
        if kind.endswith(("_statement", "_declaration")) or kind == "statement_block":
            return False
        child, parent = parent, parent.parent
    return False


def _js_pattern_keys(pattern: Node) -> Iterator[tuple[Node, str, str]]:
    """(node, claim key, bound name) for `{ org_id }` and `{ org_role: role }` in an object pattern."""
    for child in pattern.named_children:
        if child.type == "shorthand_property_identifier_pattern":
            yield child, text(child), text(child)
        elif child.type == "pair_pattern":
            key = child.child_by_field_name("key")
            value = unwrap(child.child_by_field_name("value"))
            claim = (string_value(key) if key is not None and key.type == "string" else text(key)) or ""
            yield child, claim, text(value) if value is not None and value.type == "identifier" else ""


def _js_destructured_from_claims(pattern: Node) -> bool:
    """`const { org_id } = payload` / `= await verifyToken(...)`: a pattern taking a token's claims apart."""
    parent = pattern.parent
    return parent is not None and parent.type == "variable_declarator" and \
        bool(_CLAIMS_NAME.search(text(parent.child_by_field_name("value"))))


def _js_used_in_gate(module: JsModule, pattern: Node, name: str) -> bool:
    scope = enclosing_function(pattern) or module.root
    return any(text(n) == name and _js_gating(n) for n in _js_nodes(scope, frozenset({"identifier"})))


def _js_findings(ctx: Context, module: JsModule) -> Iterator[Finding]:
    found: list[tuple[Node, str, str | None]] = []  # node, claim key, the name it is bound to (destructuring)
    for node in _js_nodes(module.root, frozenset({"member_expression", "subscript_expression", "object_pattern"})):
        if node.type == "object_pattern":
            entries = list(_js_pattern_keys(node))
            if any(key == "o" for _, key, _ in entries):
                return
            if _js_destructured_from_claims(node):
                found.extend(entries)
            continue
        key = _js_key(node)
        if key == "o":
            return
        receiver = node.child_by_field_name("object")
        if key in V2_NAME and _CLAIMS_NAME.search(" ".join(name_path(receiver)) or text(receiver)):
            found.append((node, key, None))
    for node, key, bound in found:
        if key not in V2_NAME:
            continue
        gating = _js_gating(node) if bound is None else bool(bound) and _js_used_in_gate(module, node, bound)
        yield ctx.at_node(_ID, module, node, _message(key, gating), _severity(gating))


def _js_prefix_compares(ctx: Context, module: JsModule) -> Iterator[Finding]:
    for binary in module.binaries:
        if text(binary.child_by_field_name("operator")) not in ("===", "==", "!==", "!="):
            continue
        left, right = binary.child_by_field_name("left"), binary.child_by_field_name("right")
        for role, other in ((left, right), (right, left)):
            path = name_path(role)
            value = string_value(other)
            if len(path) >= 2 and path[-2:] == ("o", "rol") and value is not None and value.startswith("org:"):
                yield ctx.at_node(_ID, module, binary, _prefix_message(value))


@check(_ID, "high", "Organization claims read by their v1 names from a v2 session token",
       fix="Read the v2 claims: `o.id`, `o.rol` (compare with 'admin', not 'org:admin'), `o.slg`, and `o.per` with "
           "`fea`/`o.fpm` for permissions; or let the SDK normalise them (`auth().orgId`, Python "
           "`authenticate_request(...).payload['org_id']`).",
       refs=[DOCS_PR_2186, SESSION_TOKENS, SDK_GO_390],
       help="Session token v2 (the default since April 2025) moved org_id, org_role, org_slug and org_permissions "
            "under `o`. Code that decodes the token itself and reads the old names sees no organization: it denies "
            "every member or, worse, skips the tenant filter.")
def org_claims_v1(ctx: Context) -> Iterator[Finding]:
    python = ctx.py_modules()
    if any(_py_decodes(m) for m in python):
        for module in python:
            if not any(_py_last_name(module, c) in _PY_SDK_NORMALISED for c in module.calls):
                yield from _py_findings(ctx, module)
    for module in python:
        yield from _py_prefix_compares(ctx, module)
    for js in ctx.js_modules():
        if _js_tokens_module(js):
            yield from _js_findings(ctx, js)
        yield from _js_prefix_compares(ctx, js)
