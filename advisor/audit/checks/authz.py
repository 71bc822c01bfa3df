"""Authorization inputs the client controls: tenant ids from the request, roles from
unsafeMetadata (JS and Python)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from advisor.audit import express
from advisor.audit.context import Context
from advisor.audit.jsmodule import JsModule
from advisor.audit.jsnodes import (
    FUNCTION_TYPES,
    Node,
    arguments,
    binding_names,
    callee_name,
    callee_path,
    name_path,
    parameter_names,
    string_value,
    text,
    unwrap,
)
from advisor.audit.model import Finding
from advisor.audit.pymodule import FunctionNode, PyModule
from advisor.audit.registry import check

_TENANT = re.compile(r"^(x-)?(org|organization|tenant|workspace|team)[-_]?id$", re.I)
_ORGISH = re.compile(r"org|tenant|workspace|team", re.I)
_GUARD_CALL = re.compile(r"member|authori[sz]|assert|require|verify|check|ensure|can[A-Z_]|access|belongs", re.I)
_REQUEST_ROOTS = frozenset({"params", "searchParams", "query", "body", "headers", "req", "request", "formData",
                            "data", "input", "payload", "ctx", "context", "props", "form", "args"})
_AUTHZ_KEY = re.compile(r"role|permission|admin|plan|tier|access|scope|group|entitle", re.I)
_COMPARISONS = frozenset({"===", "!==", "==", "!="})

TENANT_REFS = [("imuniqueshiv/MeetOnMemory#2571 (IDOR via :orgId)",
                "https://github.com/imuniqueshiv/MeetOnMemory/issues/2571"),
               ("weavel-ai/promptmodel PR #23", "https://github.com/weavel-ai/promptmodel/pull/23"),
               ("Clerk skill: API routes", "https://forgedemy.org/skills/skills-sh-clerk-skills-clerk-nextjs-patterns/"
                                          "view?file=references%2Fapi-routes.md")]


# -- JavaScript -----------------------------------------------------------------------------------


def _js_scopes(ctx: Context) -> Iterator[tuple[JsModule, Node, bool]]:
    """(module, function, parameters are client-controlled) for every request entry point."""
    for handler in ctx.handlers:
        fn = handler.function
        if fn is not None:
            yield handler.module, fn, handler.kind == "server-action"
    for module in express.express_modules(ctx.js_modules()):
        for route in express.routes(module):
            fn = unwrap(route.handler)
            if fn is not None and fn.type in FUNCTION_TYPES:
                yield module, fn, False


def _js_sources(module: JsModule, fn: Node, params_tainted: bool) -> list[tuple[Node, str]]:
    roots = _REQUEST_ROOTS | set(parameter_names(fn))
    found: list[tuple[Node, str]] = []
    for member in module.within(module.members, fn):
        prop = text(member.child_by_field_name("property"))
        path = name_path(member.child_by_field_name("object"))
        if _TENANT.match(prop) and path and (path[0] in roots or "params" in path or "body" in path):
            found.append((member, text(member)))
    for call in module.calls_in(fn):
        if callee_name(call) != "get":
            continue
        args = arguments(call)
        key = string_value(args[0]) if args else None
        path = callee_path(call)
        if key and _TENANT.match(key) and path and (path[0] in roots or {"searchParams", "headers"} & set(path)):
            found.append((call, text(call)))
    for declarator in module.within(module.declarators, fn):
        pattern = declarator.child_by_field_name("name")
        value = declarator.child_by_field_name("value")
        if pattern is None or value is None or pattern.type != "object_pattern":
            continue
        path = name_path(value)
        if not path or path[0] not in roots:
            continue
        for name in binding_names(pattern):
            if _TENANT.match(name):
                found.append((pattern, name))
    if params_tainted:
        for name in parameter_names(fn):
            if _TENANT.match(name):
                params = fn.child_by_field_name("parameters")
                found.append((params or fn, name))
    return found


def _js_names(node: Node | None) -> Iterator[tuple[Node, str]]:
    """Every node below `node` with its text (identifiers, properties, member chains)."""
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if current.type in ("identifier", "property_identifier", "member_expression", "call_expression",
                            "shorthand_property_identifier"):
            yield current, text(current)
        stack.extend(current.named_children)


def _js_refers(node: Node | None, tainted: str) -> bool:
    return any(value == tainted for _, value in _js_names(node))


def _js_orgish(node: Node | None, tainted: str) -> bool:
    return any(n.type in ("identifier", "property_identifier", "shorthand_property_identifier")
               and _ORGISH.search(value) for n, value in _js_names(node)) and not _js_refers(node, tainted)


def _js_guarded(module: JsModule, fn: Node, tainted: str) -> bool:
    for binary in module.within(module.binaries, fn):
        operator = binary.child_by_field_name("operator")
        if operator is None or text(operator) not in _COMPARISONS:
            continue
        left, right = binary.child_by_field_name("left"), binary.child_by_field_name("right")
        for a, b in ((left, right), (right, left)):
            if _js_refers(a, tainted) and _js_orgish(b, tainted):
                return True
    for call in module.calls_in(fn):
        if _GUARD_CALL.search(callee_name(call)) and any(_js_refers(a, tainted) for a in arguments(call)):
            return True
    return False


@check("authz.tenant-id-from-request", "high", "Tenant id from the request used without checking membership",
       fix="Take the organization from the session (`const { orgId } = await auth()`, `principal.org_id`), or "
           "compare the requested id with it (`if (params.orgId !== orgId) return 403`) or check membership first.",
       refs=TENANT_REFS,
       help="Any signed-in user can put another organization's id in the URL, body or headers; unless the code "
            "compares it with the session's organization, they read or change that organization's data.")
def tenant_id_from_request(ctx: Context) -> Iterator[Finding]:
    seen: set[tuple[str, int]] = set()
    for module, fn, params_tainted in _js_scopes(ctx):
        for node, name in _js_sources(module, fn, params_tainted):
            key = (module.rel, node.start_byte)
            if key in seen or _js_guarded(module, fn, name):
                continue
            seen.add(key)
            yield ctx.at_node("authz.tenant-id-from-request", module, node,
                              f"{name} comes from the request and is never compared with the session's orgId")
    for py in ctx.py_modules():
        for fn in _py_scopes(py):
            for node, name in _py_sources(py, fn):
                if not _py_guarded(py, fn, name):
                    yield ctx.at_ast("authz.tenant-id-from-request", py, node,
                                     f"{name} comes from the request and is never compared with the session's "
                                     "org_id")


# -- Python -----------------------------------------------------------------------------------


def _py_scopes(module: PyModule) -> list[FunctionNode]:
    scopes = [r.function for r in module.routes]
    if any(origin.startswith("django") for origin in module.imports.values()):
        scopes += [f for f in module.functions if f.args.args and f.args.args[0].arg == "request" and f not in scopes]
    return scopes


def _py_sources(module: PyModule, fn: FunctionNode) -> list[tuple[ast.AST, str]]:
    found: list[tuple[ast.AST, str]] = []
    for arg in fn.args.args + fn.args.kwonlyargs:
        if _TENANT.match(arg.arg):
            found.append((arg, arg.arg))
    for node in ast.walk(fn):
        key: object = None
        if isinstance(node, ast.Subscript):
            key = node.slice.value if isinstance(node.slice, ast.Constant) else None
            root = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
                and node.args and isinstance(node.args[0], ast.Constant):
            key = node.args[0].value
            root = node.func.value
        else:
            continue
        if isinstance(key, str) and _TENANT.match(key) and _mentions_request(root):
            target = module.parent(node)
            name = key
            if isinstance(target, ast.Assign) and len(target.targets) == 1 and isinstance(target.targets[0], ast.Name):
                name = target.targets[0].id
            found.append((node, name))
    return found


def _mentions_request(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Name) and n.id in ("request", "req") for n in ast.walk(node))


def _py_refers(node: ast.AST, tainted: str) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and sub.id == tainted:
            return True
        if isinstance(sub, ast.Attribute | ast.Subscript | ast.Call) and ast.unparse(sub) == tainted:
            return True
        if isinstance(sub, ast.Constant) and sub.value == tainted:
            return True
    return False


def _py_orgish(node: ast.AST, tainted: str) -> bool:
    names = [n.id if isinstance(n, ast.Name) else n.attr if isinstance(n, ast.Attribute) else
             n.value if isinstance(n, ast.Constant) and isinstance(n.value, str) else ""
             for n in ast.walk(node)]
    return any(_ORGISH.search(name) for name in names) and not _py_refers(node, tainted)


def _py_guarded(module: PyModule, fn: FunctionNode, tainted: str) -> bool:
    for node in ast.walk(fn):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_py_refers(s, tainted) for s in sides) and any(_py_orgish(s, tainted) for s in sides):
                return True
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else \
                node.func.id if isinstance(node.func, ast.Name) else ""
            if _GUARD_CALL.search(name) and any(_py_refers(a, tainted) for a in node.args):
                return True
    return False


# -- unsafe metadata ------------------------------------------------------------------------------


@check("authz.unsafe-metadata-role", "high", "Role or permission read from unsafeMetadata",
       fix="Keep roles in publicMetadata (or Organizations roles and permissions), which only your backend can "
           "write; never decide access from unsafeMetadata.",
       refs=[("KathiraveluLab/Beehive PR #523", "https://github.com/KathiraveluLab/Beehive/pull/523"),
             ("Clerk: user metadata", "https://clerk.com/docs/guides/users/extending")],
       help="Signed-in users can write their own unsafeMetadata from the browser (user.update), so a role kept "
            "there is whatever the user says it is.")
def unsafe_metadata_role(ctx: Context) -> Iterator[Finding]:
    for module in ctx.js_modules():
        for member in module.members:
            path = name_path(member)
            if len(path) >= 2 and path[-2] == "unsafeMetadata" and _AUTHZ_KEY.search(path[-1]):
                yield ctx.at_node("authz.unsafe-metadata-role", module, member,
                                  f"{'.'.join(path[-2:])} is written by the user: it cannot carry authorization")
        for declarator in module.declarators:
            pattern = declarator.child_by_field_name("name")
            value_path = name_path(declarator.child_by_field_name("value"))
            if pattern is not None and pattern.type == "object_pattern" and value_path[-1:] == ("unsafeMetadata",):
                for name in binding_names(pattern):
                    if _AUTHZ_KEY.search(name):
                        yield ctx.at_node("authz.unsafe-metadata-role", module, pattern,
                                          f"{name} read from unsafeMetadata is written by the user")
    for py in ctx.py_modules():
        for node in ast.walk(py.tree):
            key, holder = _py_metadata_key(node)
            if key and _AUTHZ_KEY.search(key) and holder is not None:
                yield ctx.at_ast("authz.unsafe-metadata-role", py, node,
                                 f"unsafe_metadata[{key!r}] is written by the user: it cannot carry authorization")


def _py_metadata_key(node: ast.AST) -> tuple[str | None, ast.AST | None]:
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
        if _ends_with_unsafe(node.value):
            return node.slice.value, node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and \
            node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
        if _ends_with_unsafe(node.func.value):
            return node.args[0].value, node.func.value
    return None, None


def _ends_with_unsafe(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr == "unsafe_metadata"
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return node.slice.value == "unsafe_metadata"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args:
        first = node.args[0]
        return isinstance(first, ast.Constant) and first.value == "unsafe_metadata"
    return False
