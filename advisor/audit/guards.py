"""Does a JS function check who is calling, and does it touch data?

Auth: a call to Clerk's server helpers (`auth()`, `auth.protect()`, `currentUser()`,
`getAuth(req)`, `authenticateRequest`, `verifyToken`, `requireAuth()`), or to a function of
the project that calls one (found across files by name, to a fixed point), or a wrapper
such as `withAuth(handler)`.

Data: a call into a database or store client (Prisma, Drizzle, Supabase, Mongo, Redis,
SQL tagged templates, ...) or Clerk's Backend API (`clerkClient`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from advisor.audit.jsmodule import JsModule
from advisor.audit.jsnodes import FUNCTION_TYPES, Node, callee_name, callee_path, unwrap

AUTH_ROOTS = frozenset({"auth", "currentUser", "getAuth", "requireAuth"})
AUTH_NAMES = frozenset({"authenticateRequest", "verifyToken", "getAuth", "currentUser", "requireAuth"})
_WRAPPER_NAME = re.compile(r"auth|protect|guard|session|secure", re.I)

DATA_ROOTS = frozenset({
    "prisma", "db", "database", "sql", "knex", "drizzle", "supabase", "mongo", "mongoose", "redis", "kv",
    "pool", "sequelize", "firestore", "clerkClient", "orm", "repo", "repository", "prismaClient", "dbClient",
})
DATA_METHODS = frozenset({
    "findMany", "findUnique", "findUniqueOrThrow", "findFirst", "findFirstOrThrow", "findOne", "findById",
    "findAll", "findOneAndUpdate", "findByIdAndUpdate", "findByIdAndDelete", "insertOne", "insertMany",
    "updateOne", "updateMany", "deleteOne", "deleteMany", "upsert", "createMany", "$queryRaw",
    "$executeRaw", "$queryRawUnsafe", "$executeRawUnsafe", "$transaction", "aggregate", "groupBy",
    "hgetall", "smembers", "getUser", "getUserList", "getOrganization", "getOrganizationList",
})
_DATA_MODULE = re.compile(
    r"^(@prisma/client|drizzle-orm|mongoose|mongodb|pg|postgres|mysql2?|@vercel/(postgres|kv)|@upstash/redis|"
    r"ioredis|redis|@supabase/|firebase-admin|firebase/firestore|kysely|knex|sequelize|typeorm|"
    r"@planetscale/database|@neondatabase/serverless|better-sqlite3|sqlite3?|@libsql/client)"
    r"|(^|/)(db|database|prisma|drizzle|supabase|redis|kv|mongo|mongodb|models?|repositor(y|ies)|queries)"
    r"(/|$|\.)"
)


def is_auth_call(call: Node, wrappers: frozenset[str] = frozenset()) -> bool:
    path = callee_path(call)
    if not path:
        return False
    if path[0] in AUTH_ROOTS:
        return True
    name = callee_name(call)
    return name in AUTH_NAMES or name in wrappers


def function_closure(modules: Iterable[JsModule],
                     matches: Callable[[JsModule, Node, frozenset[str]], bool]) -> frozenset[str]:
    """Names of the project's top-level functions with a call that `matches`, directly or
    through each other (by name, across files, to a fixed point)."""
    candidates: dict[str, list[tuple[JsModule, list[Node]]]] = {}
    for module in modules:
        for name, fn in module.top_level_functions.items():
            candidates.setdefault(name, []).append((module, module.calls_in(fn)))
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        frozen = frozenset(found)
        for name, bodies in candidates.items():
            if name not in found and any(matches(m, c, frozen) for m, calls in bodies for c in calls):
                found.add(name)
                changed = True
    return frozenset(found)


def auth_wrappers(modules: Iterable[JsModule]) -> frozenset[str]:
    """Names of the project's own functions that check auth."""
    return function_closure(modules, lambda _m, call, known: is_auth_call(call, known))


def data_functions(modules: Iterable[JsModule]) -> frozenset[str]:
    """Names of the project's own functions that read or write data."""
    return function_closure(modules, lambda m, call, known: is_data_call(m, call, known))


def auth_calls(module: JsModule, scope: Node, wrappers: frozenset[str]) -> list[Node]:
    return [c for c in module.calls_in(scope) if is_auth_call(c, wrappers)]


def is_guarded(module: JsModule, value: Node, wrappers: frozenset[str]) -> bool:
    """Does this exported handler (a function, or a wrapper call around one) check auth?"""
    inner = unwrap(value)
    if inner is None:
        return False
    if inner.type == "call_expression":
        name = callee_name(inner)
        if name in wrappers or _WRAPPER_NAME.search(name):
            return True
    return bool(auth_calls(module, inner, wrappers))


def is_data_call(module: JsModule, call: Node, data_fns: frozenset[str] = frozenset()) -> bool:
    path = callee_path(call)
    if not path:
        return False
    root = path[0]
    if root in data_fns and len(path) == 1:
        return True
    if root in DATA_ROOTS:
        return True
    source = module.imported_from(root)
    if source is not None and _DATA_MODULE.search(source):
        return True
    names = [p for p in path if p != "()"]
    return bool(names) and names[-1] in DATA_METHODS and root not in ("Array", "Object", "Promise", "Math")


def first_data_call(module: JsModule, scope: Node, data_fns: frozenset[str] = frozenset()) -> Node | None:
    for call in module.calls_in(scope):
        if is_data_call(module, call, data_fns):
            return call
    return None


def handler_function(value: Node) -> Node | None:
    """The function an export stands for: itself, or the last function argument of a wrapper call."""
    inner = unwrap(value)
    if inner is None:
        return None
    if inner.type in FUNCTION_TYPES:
        return inner
    if inner.type == "call_expression":
        args = inner.child_by_field_name("arguments")
        for arg in reversed(args.named_children if args is not None else []):
            found = handler_function(arg)
            if found is not None:
                return found
    return None

