"""Express structure: apps and routers, their routes and `use()` middleware, in source order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from advisor.audit.jsmodule import JsModule
from advisor.audit.jsnodes import Node, arguments, callee_path, string_value, text, unwrap

ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "all", "options", "head"})


@dataclass(frozen=True)
class Route:
    module: JsModule
    call: Node
    owner: str
    method: str
    path: str
    middlewares: tuple[Node, ...]
    handler: Node


@dataclass(frozen=True)
class Use:
    module: JsModule
    call: Node
    owner: str
    path: str | None
    args: tuple[Node, ...]


def is_express_module(module: JsModule) -> bool:
    return any(m == "express" for m in module.import_modules())


def owners(module: JsModule) -> set[str]:
    """Names bound to `express()`, `express.Router()` or `Router()`."""
    found: set[str] = set()
    express_names = {local for local, b in module.imports.items() if b.module == "express"}
    for declarator in module.declarators:
        value = unwrap(declarator.child_by_field_name("value"))
        name = declarator.child_by_field_name("name")
        if value is None or name is None or value.type != "call_expression":
            continue
        path = callee_path(value)
        if (path and path[0] in express_names) or path[-1:] == ("Router",):
            found.add(text(name))
    return found


def _owner_calls(module: JsModule, methods: frozenset[str]) -> list[tuple[Node, str, str, list[Node]]]:
    """(call, owner, method, arguments) of `owner.method(...)` calls on an app or router."""
    names = owners(module)
    found = []
    for call in module.calls:
        path = callee_path(call)
        if len(path) == 2 and path[0] in names and path[1] in methods:
            found.append((call, path[0], path[1], arguments(call)))
    return found


def routes(module: JsModule) -> list[Route]:
    found: list[Route] = []
    for call, owner, method, args in _owner_calls(module, ROUTE_METHODS):
        route_path = string_value(args[0]) if args else None
        if route_path is not None and len(args) >= 2:
            found.append(Route(module, call, owner, method, route_path, tuple(args[1:-1]), args[-1]))
    return found


def uses(module: JsModule) -> list[Use]:
    found: list[Use] = []
    for call, owner, _method, args in _owner_calls(module, frozenset({"use"})):
        mount = string_value(args[0]) if args else None
        found.append(Use(module, call, owner, mount, tuple(args[1:] if mount is not None else args)))
    return found


def express_modules(modules: Iterable[JsModule]) -> Iterator[JsModule]:
    return (m for m in modules if is_express_module(m))


def webhook_routes(modules: Iterable[JsModule]) -> Iterator[Route]:
    for module in express_modules(modules):
        for route in routes(module):
            if "webhook" in route.path.lower():
                yield route


def uses_before(module: JsModule, owner: str, node: Node) -> list[Use]:
    """`owner.use(...)` calls that run before a route registered at `node` (Express is ordered)."""
    return [u for u in uses(module) if u.owner == owner and u.call.start_byte < node.start_byte]
