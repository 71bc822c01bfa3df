"""Next.js: per-user data in a cache shared by every user (`unstable_cache`, `'use cache'`).

`unstable_cache(fn, keyParts)` keys its entries on keyParts, fn's arguments and fn's source:
a `userId` the callback captures from the enclosing `await auth()` is in none of those, so the
first user's rows are served to everyone. A cached function that calls `auth()` or
`currentUser()` itself caches one user's answer for all.
"""

from __future__ import annotations

from collections.abc import Iterator

from advisor.audit.context import Context
from advisor.audit.guards import is_auth_call
from advisor.audit.jsmodule import JsModule
from advisor.audit.jsnodes import (
    FUNCTION_TYPES,
    Node,
    arguments,
    array_items,
    binding_names,
    enclosing_function,
    function_body,
    parameter_names,
    string_value,
    text,
    unwrap,
)
from advisor.audit.model import Finding
from advisor.audit.registry import check

CACHE_SKILL = ("Clerk skill: cache returns wrong user's data (missing userId in key)",
               "https://skill4agent.com/en/skill/clerk-skills/clerk-nextjs-patterns")
UNSTABLE_CACHE_DOC = ("Next.js: unstable_cache (keyParts)",
                      "https://nextjs.org/docs/app/api-reference/functions/unstable_cache")
USE_CACHE_DOC = ("Next.js: 'use cache'", "https://nextjs.org/docs/app/api-reference/directives/use-cache")


def _names_below(node: Node) -> Iterator[Node]:
    """Identifiers that read a variable: `userId`, `{ userId }` shorthand, the root of `session.userId`."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in ("identifier", "shorthand_property_identifier"):
            yield current
        stack.extend(current.named_children)


def _identity_names(module: JsModule, scope: Node) -> set[str]:
    """Names bound from Clerk's auth helpers in `scope` (`const { userId } = await auth()`,
    `const user = await currentUser()`, `const session = await auth()`) and from those names."""
    names: set[str] = set()
    for declarator in module.within(module.declarators, scope):  # in source order
        value = unwrap(declarator.child_by_field_name("value"))
        if value is None:
            continue
        derived = any(text(n) in names for n in _names_below(value))  # const owner = userId ?? 'anon'
        if derived or (value.type == "call_expression" and is_auth_call(value)):
            names.update(binding_names(declarator.child_by_field_name("name")))
    return names


def _bound_inside(module: JsModule, fn: Node) -> set[str]:
    bound = set(parameter_names(fn))
    for declarator in module.within(module.declarators, fn):
        bound.update(binding_names(declarator.child_by_field_name("name")))
    return bound


def _cached_callback(module: JsModule, node: Node | None) -> Node | None:
    inner = unwrap(node)
    if inner is not None and inner.type == "identifier":
        return module.top_level_functions.get(text(inner))
    return inner if inner is not None and inner.type in FUNCTION_TYPES else None


def _is_unstable_cache(module: JsModule, call: Node) -> bool:
    target = unwrap(call.child_by_field_name("function"))
    if target is None or target.type != "identifier":
        return False
    binding = module.imports.get(text(target))
    return binding is not None and binding.module == "next/cache" and binding.name == "unstable_cache"


def _use_cache_functions(module: JsModule) -> Iterator[Node]:
    """Functions whose body starts with 'use cache' (or 'use cache: remote'), and every exported
    function of a module that starts with it."""
    exported = [unwrap(v) for v in module.exports.values()] if _is_use_cache(_first_directive(module.root)) else []
    for fn in module.functions:
        body = function_body(fn)
        if body is not None and body.type == "statement_block" and _is_use_cache(_first_directive(body)):
            yield fn
        elif fn in exported:
            yield fn


def _first_directive(block: Node) -> str | None:
    for statement in block.named_children:
        if statement.type in ("comment", "hash_bang_line"):
            continue
        if statement.type != "expression_statement" or not statement.named_children:
            return None
        return string_value(statement.named_children[0])
    return None


def _is_use_cache(directive: str | None) -> bool:
    return directive is not None and (directive == "use cache" or directive.startswith("use cache:"))


@check("nextjs.cache-key-missing-user", "high", "Per-user data cached without the user in the cache key",
       fix="Pass the user (or organization) id to the cached function as an argument, or add it to keyParts "
           "(`unstable_cache(fn, ['invoices', userId])`); never call auth() or currentUser() inside a cached "
           "function.",
       refs=[CACHE_SKILL, UNSTABLE_CACHE_DOC, USE_CACHE_DOC],
       help="unstable_cache keys entries on keyParts, the callback's arguments and its source only; a userId the "
            "callback captures from the enclosing scope is not part of the key, so one user's data is served to "
            "every user.")
def cache_key_missing_user(ctx: Context) -> Iterator[Finding]:
    for module in ctx.js_modules():
        if module.is_client:
            continue
        for call in module.calls:
            if not _is_unstable_cache(module, call):
                continue
            args = arguments(call)
            callback = _cached_callback(module, args[0] if args else None)
            if callback is None:
                continue
            inside = [c for c in module.calls_in(callback) if is_auth_call(c)]
            if inside:
                yield ctx.at_node("nextjs.cache-key-missing-user", module, inside[0],
                                  f"{text(inside[0].child_by_field_name('function'))}() inside unstable_cache: "
                                  "one user's answer is cached for every user")
                continue
            outer = enclosing_function(call)
            if outer is None:
                continue
            identity = _identity_names(module, outer) - _bound_inside(module, callback)
            used = sorted({text(n) for n in _names_below(callback) if text(n) in identity})
            if not used:
                continue
            keys = args[1] if len(args) > 1 else None
            items = array_items(keys)
            if keys is not None and items is None:
                continue  # a key we cannot read: do not guess
            if any(text(n) in identity for item in items or [] for n in _names_below(item)):
                continue
            yield ctx.at_node("nextjs.cache-key-missing-user", module, call,
                              f"unstable_cache callback reads the signed-in user ({', '.join(used)}) but its cache key "
                              f"({text(keys) if keys is not None else 'no keyParts'}) does not include it: "
                              "every user gets the first user's data")
        for fn in _use_cache_functions(module):
            for inner in module.calls_in(fn):
                if is_auth_call(inner) and enclosing_function(inner) == fn:
                    yield ctx.at_node("nextjs.cache-key-missing-user", module, inner,
                                      f"{text(inner.child_by_field_name('function'))}() inside a 'use cache' "
                                      "function: pass the user id as an argument instead")
