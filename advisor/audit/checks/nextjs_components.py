"""Next.js components: Core 2 leftovers on @clerk/nextjs 7, <Show>/<Protect> as the only gate
of a server action, and server-side checks of system permissions."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from advisor.audit.context import Context
from advisor.audit.guards import is_guarded
from advisor.audit.jsmodule import JsModule
from advisor.audit.jsnodes import (
    FUNCTION_TYPES,
    Node,
    body_directive,
    jsx_attributes,
    jsx_expression_value,
    jsx_name,
    string_value,
    text,
    unwrap,
)
from advisor.audit.model import Finding
from advisor.audit.project import resolve_import
from advisor.audit.registry import check

CORE3 = ("Clerk Core 3 upgrade guide", "https://clerk.com/docs/guides/development/upgrading/upgrade-guides/core-3")
SHOW_DOC = ("Clerk: <Show> only hides UI", "https://clerk.com/docs/reference/components/control/show")

_REMOVED = {"SignedIn": '<Show when="signed-in">', "SignedOut": '<Show when="signed-out">',
            "Protect": "<Show when={{ role | permission | ... }}>"}
_OLD_PACKAGES = {"@clerk/clerk-react": "@clerk/react", "@clerk/types": "@clerk/nextjs/types or @clerk/shared/types"}
_GATES = frozenset({"Show", "Protect", "SignedIn"})


def _opening_elements(module: JsModule) -> Iterator[Node]:
    return (n for n in module.jsx if n.type in ("jsx_opening_element", "jsx_self_closing_element"))


@check("nextjs.core2-api", "medium", "Clerk Core 2 API left in a @clerk/nextjs 7 app",
       fix="Run `npx @clerk/upgrade --release core-3`: <SignedIn>/<SignedOut>/<Protect> become <Show when=...>, "
           "@clerk/clerk-react becomes @clerk/react, @clerk/types goes, <ClerkProvider> moves inside <body>.",
       refs=[CORE3, ("clerk/javascript PR #7888", "https://github.com/clerk/javascript/pull/7888")],
       help="In Core 3 (@clerk/nextjs 7) SignedIn, SignedOut and Protect are typed `never` and throw when "
            "rendered; a type check does not catch them.")
def core2_api(ctx: Context) -> Iterator[Finding]:
    for module in ctx.js_modules():
        app = ctx.app_for(module.rel)
        if app is None or app.clerk_major is None or app.clerk_major < 7:
            continue
        removed = {local: b for local, b in module.imports.items()
                   if b.module.startswith("@clerk/") and b.name in _REMOVED}
        used: set[str] = set()
        for element in _opening_elements(module):
            name = jsx_name(element)
            if name in removed:
                used.add(name)
                yield ctx.at_node("nextjs.core2-api", module, element,
                                  f"<{name}> was removed in Core 3 and throws when rendered: use "
                                  f"{_REMOVED[removed[name].name]}")
            if name == "ClerkProvider" and element.type == "jsx_opening_element":
                parent = element.parent
                if parent is not None and any(c.type == "jsx_element" and
                                              jsx_name(c.child_by_field_name("open_tag")) == "html"
                                              for c in parent.named_children):
                    yield ctx.at_node("nextjs.core2-api", module, element,
                                      "<ClerkProvider> wraps <html>: in Core 3 it goes inside <body> "
                                      "(required with Next 16 cacheComponents)")
        for local, binding in removed.items():
            if local not in used:
                yield ctx.at_node("nextjs.core2-api", module, binding.node,
                                  f"{binding.name} was removed in Core 3: use {_REMOVED[binding.name]}")
        for node in module.import_nodes:
            spec = string_value(node.child_by_field_name("source"))
            if spec in _OLD_PACKAGES:
                yield ctx.at_node("nextjs.core2-api", module, node,
                                  f"{spec} is deprecated in Core 3: import from {_OLD_PACKAGES[spec]}")


def _server_action(ctx: Context, module: JsModule, name: str) -> tuple[JsModule, Node] | None:
    """The server action a JSX `action={name}` refers to, if it is one."""
    local = module.top_level_functions.get(name)
    if local is not None:
        return (module, local) if body_directive(local) == "use server" or module.directive == "use server" \
            else None
    binding = module.imports.get(name)
    if binding is None:
        return None
    target_rel = resolve_import(ctx.project, module.rel, binding.module)
    target = ctx.project.js.get(target_rel) if target_rel else None
    if target is None:
        return None
    exported = target.exported_function(binding.name)
    fn = unwrap(exported) if exported is not None else None
    if fn is None or fn.type not in FUNCTION_TYPES:
        return None
    if target.directive == "use server" or body_directive(fn) == "use server":
        return target, fn
    return None


@check("nextjs.show-only-gate", "high", "<Show>/<Protect> is the only gate of a server action",
       fix="Check auth inside the server action itself (`await auth.protect({ permission: ... })`); <Show> only "
           "decides what is rendered.",
       refs=[SHOW_DOC, ("clerk/clerk-docs PR #1560", "https://github.com/clerk/clerk-docs/pull/1560"),
             ("Clerk skill: unprotected Server Action",
              "https://skill4agent.com/en/skill/clerk-skills/clerk-nextjs-patterns")])
def show_only_gate(ctx: Context) -> Iterator[Finding]:
    for module in ctx.js_modules():
        for element in _opening_elements(module):
            if jsx_name(element) not in _GATES or element.type != "jsx_opening_element":
                continue
            container = element.parent
            if container is None:
                continue
            for inner in module.within(module.jsx, container):
                for attr, value in jsx_attributes(inner).items():
                    if attr not in ("action", "formAction"):
                        continue
                    target = unwrap(jsx_expression_value(value))
                    if target is None or target.type != "identifier":
                        continue
                    action = _server_action(ctx, module, text(target))
                    if action is None or is_guarded(action[0], action[1], ctx.wrappers):
                        continue
                    yield ctx.at_node("nextjs.show-only-gate", module, target,
                                      f"server action {text(target)} is reachable by anyone: "
                                      f"<{jsx_name(element)}> hides the form but the action checks no auth")


@check("authz.system-permission-check", "medium", "Server-side check of a system permission (org:sys_*)",
       fix="Create a custom permission (org:<feature>:<action>) and check that; system permissions are never in "
           "the session token.",
       refs=[("clerk/clerk-docs PR #1836", "https://github.com/clerk/clerk-docs/pull/1836"),
             ("clerk/clerk-docs PR #1594", "https://github.com/clerk/clerk-docs/pull/1594")],
       help="has(), auth.protect() and token-based checks on the server see only custom permissions, so a "
            "check on org:sys_* is always false: the feature is broken, and the usual 'fix' removes the check.")
def system_permission_check(ctx: Context) -> Iterator[Finding]:
    for module in ctx.js_modules():
        if module.is_client:
            continue
        for pair in module.pairs:
            key = pair.child_by_field_name("key")
            value = string_value(pair.child_by_field_name("value"))
            if text(key) == "permission" and value and value.startswith("org:sys_"):
                yield ctx.at_node("authz.system-permission-check", module, pair,
                                  f"{value} is a system permission: it is never in the session token, so this "
                                  "server-side check is always false")
        for element in _opening_elements(module):
            value = jsx_attributes(element).get("permission")
            permission = string_value(value) if value is not None else None
            if permission and permission.startswith("org:sys_"):
                yield ctx.at_node("authz.system-permission-check", module, element,
                                  f"{permission} is a system permission: a server-rendered check never sees it")
    for py in ctx.py_modules():
        for constant in py.constants_str:
            value = str(constant.value)
            if not (value.startswith("org:sys_") and len(value) > len("org:sys_")):
                continue
            if isinstance(py.parent(constant), ast.Compare | ast.Call | ast.keyword | ast.List | ast.Tuple | ast.Set):
                yield ctx.at_ast("authz.system-permission-check", py, constant,
                                 f"{value} is a system permission: it is never in the session token's "
                                 "org_permissions, so this check is always false")

