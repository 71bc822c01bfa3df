"""Development auth bypasses left in code (JS/TS and Python).

A branch taken on an environment flag (`process.env.*`, `import.meta.env.*`, `os.environ`,
`settings.DEBUG`, ...) that lets the request through without Clerk's check: it returns
`NextResponse.next()`, calls `next()`, returns early, returns an identity (a fake user, a
`x-user-id` header), or is the only place the auth call runs. A flag that only picks
configuration, or a branch that fails closed (throws, answers 4xx/5xx), is not a bypass.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from advisor.audit.checks.nextjs_middleware import CLERK_MIDDLEWARE_DOC
from advisor.audit.context import Context
from advisor.audit.guards import is_auth_call
from advisor.audit.jsmodule import JsModule
from advisor.audit.jsnodes import (
    Node,
    binding_names,
    callee_path,
    contains,
    enclosing_function,
    parameter_names,
    string_value,
    text,
    unwrap,
)
from advisor.audit.model import Finding
from advisor.audit.pymodule import FunctionNode, PyModule
from advisor.audit.registry import check

REACHFS_10 = ("vedantnimbarte/reachfs#10 (dev-header auth behind REACHFS_DEV_AUTH=1)",
              "https://github.com/vedantnimbarte/reachfs/issues/10")
TEST_USERS_DOC = ("Clerk: test emails and phones (development instances)",
                  "https://clerk.com/docs/guides/development/testing/test-emails-and-phones")

_ID = "auth.dev-bypass"
# Header names that carry an identity or a debug switch: x-user-id, x-debug-user, x-impersonate.
_IDENTITY_HEADER = re.compile(r"^x-[a-z0-9-]*(user|debug|impersonat|identity|uid|principal)", re.I)
_IDENTITY_NAME = re.compile(r"user|principal|identity|session|claims|^sub$", re.I)
# Python names and attributes that are environment switches: DEBUG, settings.debug, SKIP_AUTH, ...
_PY_FLAG = re.compile(r"^(debug|testing|env|environment|app_env|dev|dev_\w+|\w+_dev|skip_\w+|bypass_\w+|"
                      r"disable_\w+|\w+_disabled|mock_\w+|fake_\w+|local_\w+|is_dev\w*|is_local|is_prod\w*)$",
                      re.I)
_GATE_CALLS = frozenset({"clerkMiddleware", "protect", "requireAuth", "ClerkExpressRequireAuth",
                         "ClerkExpressWithAuth"})
_FAIL_CLOSED = re.compile(r"response$|^abort$|error|unauthori[sz]ed|forbidden|redirect", re.I)
_PY_VERIFY = frozenset({"authenticate_request", "authenticate_request_async", "verify_token",
                        "verify_token_async"})


# -- JavaScript -----------------------------------------------------------------------------------


def _is_env(node: Node) -> bool:
    raw = text(node)
    return raw.startswith(("process.env", "import.meta.env"))


def _env_flags(module: JsModule) -> set[str]:
    """`const isDev = process.env.NODE_ENV !== 'production'`: names of boolean env switches."""
    flags: set[str] = set()
    for declarator in module.declarators:
        value = unwrap(declarator.child_by_field_name("value"))
        if value is None or value.type not in ("binary_expression", "unary_expression"):
            continue
        if any(_is_env(m) for m in module.within(module.members, value)):
            flags.update(binding_names(declarator.child_by_field_name("name")))
    return flags


def _reads_env(module: JsModule, condition: Node, flags: set[str]) -> bool:
    if any(_is_env(m) for m in module.within(module.members, condition)):
        return True
    stack = [condition]
    while stack:
        node = stack.pop()
        if node.type == "identifier" and text(node) in flags:
            return True
        stack.extend(node.named_children)
    return False


def _conditionals(module: JsModule, flags: set[str]) -> Iterator[tuple[Node, list[Node]]]:
    """(statement, its branches) of every `if` and `?:` whose condition reads the environment."""
    for statement in module.ifs:
        condition = statement.child_by_field_name("condition")
        if condition is not None and _reads_env(module, condition, flags):
            branches = [statement.child_by_field_name("consequence"), statement.child_by_field_name("alternative")]
            yield statement, [b for b in branches if b is not None]
    seen: set[int] = set()
    for member in module.members:
        if not _is_env(member):
            continue
        node = member.parent
        while node is not None and node.type != "ternary_expression":
            node = node.parent
        if node is None or node.start_byte in seen:
            continue
        condition = node.child_by_field_name("condition")
        if condition is not None and contains(condition, member):
            seen.add(node.start_byte)
            branches = [node.child_by_field_name("consequence"), node.child_by_field_name("alternative")]
            yield node, [b for b in branches if b is not None]


def _gate_calls(module: JsModule, scope: Node, wrappers: frozenset[str]) -> list[Node]:
    return [c for c in module.calls_in(scope)
            if is_auth_call(c, wrappers) or (callee_path(c)[-1:] and callee_path(c)[-1] in _GATE_CALLS)]


def _lets_through(module: JsModule, branch: Node, gate: bool) -> str | None:
    """How a branch skips auth, or None when it does not (or fails closed). A bare `return` counts
    only in a gate (the clerkMiddleware callback, an Express-style middleware with `next`): in a
    handler it skips the work too."""
    for string in module.within(module.strings, branch):
        value = string_value(string)
        if value is not None and _IDENTITY_HEADER.match(value) and _is_read_key(string):
            return f"takes the identity from the {value} header"
    for call in module.calls_in(branch):
        if callee_path(call)[-1:] == ("next",):
            return f"lets the request through with {text(call.child_by_field_name('function'))}()"
    if branch.type in ("arrow_function", "function_expression"):
        return "serves the request without Clerk"
    stack = [branch]
    while stack:
        node = stack.pop()
        if node.type in ("arrow_function", "function_expression", "function_declaration"):
            continue
        if node.type == "return_statement":
            value = unwrap(node.named_children[0]) if node.named_children else None
            if value is None:
                if gate:
                    return "returns before the auth check"
            elif value.type == "identifier" and _IDENTITY_NAME.search(text(value)):
                return f"returns {text(value)} without verifying a session"
            elif value.type == "object" and any(
                    _IDENTITY_NAME.search(text(c.child_by_field_name("key") or c)) or
                    (c.type == "pair" and text(c.child_by_field_name("key")) in ("id", "userId", "orgId"))
                    for c in value.named_children):
                return "returns a made-up identity"
        stack.extend(node.named_children)
    return None


def _is_read_key(string: Node) -> bool:
    """Is this string what is read: `headers.get('x-user-id')`, `req.headers['x-user-id']`?"""
    parent = string.parent
    if parent is not None and parent.type == "subscript_expression":
        return True
    call = parent.parent if parent is not None and parent.type == "arguments" else None
    return call is not None and callee_path(call)[-1:] == ("get",)


def _is_gate(fn: Node) -> bool:
    if "next" in parameter_names(fn):
        return True
    call = fn.parent.parent if fn.parent is not None and fn.parent.type == "arguments" else None
    return call is not None and call.type == "call_expression" and callee_path(call)[-1:] == ("clerkMiddleware",)


def _js_findings(ctx: Context, module: JsModule) -> Iterator[Finding]:
    flags = _env_flags(module)
    for statement, branches in _conditionals(module, flags):
        scope = enclosing_function(statement) or module.root
        gates = _gate_calls(module, scope, ctx.wrappers)
        if not gates:
            continue
        outside = [g for g in gates if not any(contains(b, g) for b in branches)]
        condition = text(unwrap(statement.child_by_field_name("condition")))
        guarded = [b for b in branches if any(contains(b, g) for g in gates)]
        for branch in branches:
            if branch in guarded or (statement.type == "ternary_expression" and not guarded):
                continue
            how = _lets_through(module, branch, _is_gate(scope))
            if how is not None:
                yield ctx.at_node(_ID, module, statement, f"when {condition}, this {how}: Clerk's auth is skipped")
                break
        else:
            if guarded and not outside and len(guarded) < 2 and statement.type == "if_statement":
                yield ctx.at_node(_ID, module, statement,
                                  f"Clerk's auth runs only when {condition}: other environments skip it")


# -- Python ---------------------------------------------------------------------------------------


def _py_is_verify(module: PyModule, call: ast.Call, known: frozenset[str]) -> bool:
    name = module.call_name(call)
    last = name.rsplit(".", 1)[-1]
    return last in _PY_VERIFY or name == "jwt.decode" or last in known


def _py_verifiers(ctx: Context) -> frozenset[str]:
    """Names of the project's functions that verify a token, directly or through each other."""
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        known = frozenset(found)
        for module in ctx.py_modules():
            for name, fn in module.top_level_functions.items():
                if name not in found and any(_py_is_verify(module, c, known) for c in module.calls_in(fn)):
                    found.add(name)
                    changed = True
    return frozenset(found)


def _py_reads_env(module: PyModule, test: ast.expr) -> bool:
    for node in ast.walk(test):
        if isinstance(node, ast.Call) and module.call_name(node) in ("os.getenv", "os.environ.get"):
            return True
        if isinstance(node, ast.Subscript) and module.qualified(node.value) == "os.environ":
            return True
        if isinstance(node, ast.Attribute) and _PY_FLAG.match(node.attr):
            return True
        if isinstance(node, ast.Name) and _PY_FLAG.match(node.id):
            return True
    return False


def _py_lets_through(branch: list[ast.stmt]) -> str | None:
    block = ast.Module(body=branch, type_ignores=[])
    if any(isinstance(n, ast.Raise) for n in ast.walk(block)):
        return None
    for node in ast.walk(block):
        key = node.slice if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) else \
            node.args[0] if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
            node.func.attr == "get" and node.args else None
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and _IDENTITY_HEADER.match(key.value):
            return f"takes the identity from the {key.value} header"
    for node in ast.walk(block):
        if isinstance(node, ast.Return) and node.value is not None and _py_identity(node.value):
            return f"returns {ast.unparse(node.value)[:60]} without verifying the token"
    return None


def _py_identity(value: ast.expr) -> bool:
    """Is a returned value a user (FAKE_USER, {'user_id': ...}, User(...)) or the pass-through of a
    middleware (call_next(request), get_response(request))? An error response or a feature flag's
    empty answer is not."""
    if isinstance(value, ast.Await):
        value = value.value
    if isinstance(value, ast.Call):
        callee = value.func.attr if isinstance(value.func, ast.Attribute) else \
            value.func.id if isinstance(value.func, ast.Name) else ""
        if _FAIL_CLOSED.search(callee):
            return False
        return callee in ("call_next", "get_response") or bool(_IDENTITY_NAME.search(callee))
    if isinstance(value, ast.Name | ast.Attribute):
        return bool(_IDENTITY_NAME.search(value.id if isinstance(value, ast.Name) else value.attr))
    if isinstance(value, ast.Dict):
        return any(isinstance(k, ast.Constant) and isinstance(k.value, str) and
                   (_IDENTITY_NAME.search(k.value) or k.value in ("id", "org_id")) for k in value.keys)
    return False


def _py_calls(module: PyModule, nodes: list[ast.stmt], verifiers: frozenset[str]) -> bool:
    return any(_py_is_verify(module, c, verifiers) for stmt in nodes for c in module.calls_in(stmt))


def _py_findings(ctx: Context, module: PyModule, verifiers: frozenset[str]) -> Iterator[Finding]:
    for fn in module.functions:
        if not any(_py_is_verify(module, c, verifiers) for c in module.calls_in(fn)):
            continue
        for node in ast.walk(fn):
            if not isinstance(node, ast.If) or module.enclosing_function(node) is not fn:
                continue
            if not _py_reads_env(module, node.test):
                continue
            condition = ast.unparse(node.test)
            in_body, in_else = _py_calls(module, node.body, verifiers), _py_calls(module, node.orelse, verifiers)
            for branch, verifies in ((node.body, in_body), (node.orelse, in_else)):
                how = _py_lets_through(branch) if branch and not verifies else None
                if how is not None:
                    yield ctx.at_ast(_ID, module, node, f"when {condition}, this {how}: Clerk's auth is skipped")
                    break
            else:
                if in_body != in_else and not _verifies_outside(module, fn, node, verifiers):
                    yield ctx.at_ast(_ID, module, node,
                                     f"the token is verified only when "
                                     f"{condition if in_body else 'not (' + condition + ')'}: "
                                     "other environments skip it")


def _verifies_outside(module: PyModule, fn: FunctionNode, statement: ast.If, verifiers: frozenset[str]) -> bool:
    inside = {id(n) for n in ast.walk(statement)}
    return any(id(c) not in inside and _py_is_verify(module, c, verifiers) for c in module.calls_in(fn))


@check(_ID, "high", "Development auth bypass left in the code",
       fix="Remove the bypass: authenticate every environment with Clerk. For local work and tests use a Clerk "
           "development instance and its test users (or testing tokens), never an env flag or a header that "
           "skips verification.",
       refs=[REACHFS_10, TEST_USERS_DOC, CLERK_MIDDLEWARE_DOC],
       help="A switch such as NODE_ENV, SKIP_AUTH or DEBUG that skips Clerk's check, or takes the user from a "
            "header, only needs to be set wrong once (a preview, a staging host, a copied .env) for anyone to act "
            "as any user.")
def dev_bypass(ctx: Context) -> Iterator[Finding]:
    for module in ctx.js_modules():
        if not module.is_client:
            yield from _js_findings(ctx, module)
    verifiers = _py_verifiers(ctx)
    for py in ctx.py_modules():
        yield from _py_findings(ctx, py, verifiers)
