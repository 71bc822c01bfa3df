"""Next.js structure: apps, their routes, handlers and actions, and the middleware file.

This is the layer other features reuse ("which route handlers read data without auth?"):
it knows Next's file conventions and Clerk's auth helpers, and no check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from advisor.audit.guards import first_data_call, handler_function, is_guarded
from advisor.audit.jsmodule import HTTP_METHODS, JsModule
from advisor.audit.jsnodes import (
    Node,
    arguments,
    array_items,
    callee_name,
    callee_path,
    object_entries,
    string_value,
    text,
    unwrap,
)
from advisor.audit.manifests import NodePackage
from advisor.audit.project import Project, major_of

MIDDLEWARE_NAMES = ("proxy", "middleware")
MIDDLEWARE_EXTENSIONS = ("ts", "js", "mjs", "tsx", "jsx")
_SPECIAL_PAGES = {"_app", "_document", "_error", "404", "500"}


@dataclass
class NextApp:
    package: NodePackage
    dir: str  # the app's folder (where package.json is), '' for the root
    base: str  # where app/ and pages/ live: dir or dir/src
    app_dir: str | None
    pages_dir: str | None
    next_major: int | None
    clerk_major: int | None

    @property
    def uses_clerk(self) -> bool:
        return self.package.has("@clerk/nextjs")

    def owns(self, rel: str) -> bool:
        return self.dir == "" or rel.startswith(self.dir + "/")

    def middleware_files(self, project: Project) -> list[str]:
        """Every proxy/middleware file at the app's root or in its src/, wherever Next would look."""
        found = []
        for folder in dict.fromkeys((self.dir, _join(self.dir, "src"))):
            for name in MIDDLEWARE_NAMES:
                for ext in MIDDLEWARE_EXTENSIONS:
                    rel = _join(folder, f"{name}.{ext}")
                    if project.exists(rel):
                        found.append(rel)
        return found


def _join(*parts: str) -> str:
    return "/".join(p for p in parts if p)


def next_apps(project: Project) -> list[NextApp]:
    apps = []
    for package in project.packages:
        if not package.has("next"):
            continue
        root_has = any(project.is_dir(_join(package.dir, d)) for d in ("app", "pages"))
        src_has = any(project.is_dir(_join(package.dir, "src", d)) for d in ("app", "pages"))
        base = _join(package.dir, "src") if src_has and not root_has else package.dir
        app_dir = _join(base, "app")
        pages_dir = _join(base, "pages")
        apps.append(NextApp(
            package=package, dir=package.dir, base=base,
            app_dir=app_dir if project.is_dir(app_dir) else None,
            pages_dir=pages_dir if project.is_dir(pages_dir) else None,
            next_major=major_of(package, "next"), clerk_major=major_of(package, "@clerk/nextjs"),
        ))
    return apps


def route_of(segments: list[str]) -> str:
    """URL path of an app/ or pages/ file's folders: groups and slots vanish, params become samples."""
    parts: list[str] = []
    for segment in segments:
        if (segment.startswith("(") and segment.endswith(")")) or segment.startswith("@"):
            continue
        if segment.startswith("[[...") or segment.startswith("[..."):
            parts.append("x")
        elif segment.startswith("[") and segment.endswith("]"):
            parts.append("x")
        else:
            parts.append(segment)
    return "/" + "/".join(parts)


@dataclass(frozen=True)
class Handler:
    """Server code a request can reach: a route handler, API route, page, getServerSideProps or
    server action."""

    kind: str  # 'route-handler' | 'api-route' | 'page' | 'server-props' | 'server-action'
    rel: str
    name: str
    route: str | None
    module: JsModule
    value: Node  # what is exported (a function, or a wrapper call)
    guarded: bool
    data_call: Node | None

    @property
    def function(self) -> Node | None:
        return handler_function(self.value)

    @property
    def reads_data(self) -> bool:
        return self.data_call is not None

    @property
    def is_webhook(self) -> bool:
        return bool(self.route and "webhook" in self.route.lower())


@dataclass
class HandlerIndex:
    project: Project
    wrappers: frozenset[str]
    data_fns: frozenset[str]
    handlers: list[Handler] = field(default_factory=list)

    def build(self) -> HandlerIndex:
        for app in next_apps(self.project):
            self._app(app)
        return self

    def _make(self, kind: str, module: JsModule, name: str, route: str | None, value: Node) -> None:
        fn = handler_function(value) or value
        self.handlers.append(Handler(
            kind=kind, rel=module.rel, name=name, route=route, module=module, value=value,
            guarded=is_guarded(module, value, self.wrappers),
            data_call=first_data_call(module, fn, self.data_fns),
        ))

    def _app(self, app: NextApp) -> None:
        for rel, module in self.project.js.items():
            if not app.owns(rel):
                continue
            if app.app_dir and rel.startswith(app.app_dir + "/"):
                segments = rel[len(app.app_dir) + 1:].split("/")
                stem = segments[-1].rsplit(".", 1)[0]
                route = route_of(segments[:-1])
                if stem == "route":
                    for method in HTTP_METHODS:
                        value = module.exports.get(method)
                        if value is not None:
                            self._make("route-handler", module, method, route, value)
                elif stem == "page" and not module.is_client and "default" in module.exports:
                    self._make("page", module, "default", route, module.exports["default"])
            elif app.pages_dir and rel.startswith(app.pages_dir + "/"):
                segments = rel[len(app.pages_dir) + 1:].split("/")
                stem = segments[-1].rsplit(".", 1)[0]
                if stem in _SPECIAL_PAGES:
                    continue
                route = route_of(segments[:-1] + ([] if stem == "index" else [stem]))
                if segments[0] == "api" and "default" in module.exports:
                    self._make("api-route", module, "default", route, module.exports["default"])
                elif "getServerSideProps" in module.exports:
                    self._make("server-props", module, "getServerSideProps", route,
                               module.exports["getServerSideProps"])
            for name, fn in module.server_action_functions():
                self._make("server-action", module, name, None, fn)


def find_handlers(project: Project, wrappers: frozenset[str], data_fns: frozenset[str]) -> list[Handler]:
    return HandlerIndex(project, wrappers, data_fns).build().handlers


# -- middleware -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gate:
    """An `if (matcher(req)) ... protect()` in the middleware: a deny-list gate when the
    matcher names protected routes, an allow-list gate when it is negated (`!isPublic(req)`)."""

    kind: str  # 'deny' | 'allow'
    node: Node
    matcher: str
    patterns: tuple[re.Pattern[str], ...]


@dataclass
class Middleware:
    module: JsModule

    @cached_property
    def clerk_call(self) -> Node | None:
        for call in self.module.calls:
            if callee_path(call)[:1] == ("clerkMiddleware",):
                return call
        return None

    @cached_property
    def matchers(self) -> dict[str, tuple[re.Pattern[str], ...]]:
        """`const isX = createRouteMatcher([...])` -> compiled patterns (empty: unknown, matches all)."""
        found: dict[str, tuple[re.Pattern[str], ...]] = {}
        for declarator in self.module.declarators:
            value = unwrap(declarator.child_by_field_name("value"))
            name = declarator.child_by_field_name("name")
            if value is None or name is None or value.type != "call_expression":
                continue
            if callee_name(value) != "createRouteMatcher":
                continue
            args = arguments(value)
            found[text(name)] = tuple(_route_patterns(args[0] if args else None))
        return found

    @cached_property
    def gates(self) -> list[Gate]:
        gates: list[Gate] = []
        for statement in self.module.ifs:
            condition = statement.child_by_field_name("condition")
            consequence = statement.child_by_field_name("consequence")
            if condition is None or consequence is None or not _protects(self.module, consequence):
                continue
            for call in self.module.within(self.module.calls, condition):
                name = text(call.child_by_field_name("function"))
                if name not in self.matchers:
                    continue
                negated = _is_negated(call, condition)
                gates.append(Gate("allow" if negated else "deny", statement, name, self.matchers[name]))
        return gates

    @cached_property
    def config_matcher(self) -> tuple[list[str], Node] | None:
        """The `config.matcher` strings (and the node), when the middleware exports one."""
        config = self.module.exports.get("config")
        entries = object_entries(config)
        node = entries.get("matcher")
        if node is None:
            return None
        inner = unwrap(node)
        items = array_items(inner)
        if items is None:
            items = [inner] if inner is not None else []
        values = []
        for item in items:
            value = string_value(item)
            if value is None:
                source = object_entries(item).get("source")
                value = string_value(source)
            if value is not None:
                values.append(value)
        return values, node


def _protects(module: JsModule, block: Node) -> bool:
    for call in module.calls_in(block):
        path = callee_path(call)
        if not path:
            continue
        if path[-1] in ("protect", "redirectToSignIn", "redirect") or path[0] == "auth":
            return True
    return False


def _is_negated(call: Node, stop: Node) -> bool:
    node = call.parent
    negations = 0
    while node is not None and node.start_byte >= stop.start_byte and node != stop:
        if node.type == "unary_expression" and text(node).startswith("!"):
            negations += 1
        node = node.parent
    return negations % 2 == 1


def _route_patterns(node: Node | None) -> list[re.Pattern[str]]:
    node = unwrap(node)
    items = array_items(node)
    if items is None:
        items = [node] if node is not None else []
    patterns: list[re.Pattern[str]] = []
    for item in items:
        item = unwrap(item)
        if item is None:
            continue
        if item.type == "regex":
            pattern = item.child_by_field_name("pattern")
            try:
                patterns.append(re.compile(text(pattern)))
            except re.error:
                continue
            continue
        value = string_value(item)
        if value is None:
            return []  # a pattern we cannot read: assume it may match anything
        compiled = path_pattern(value)
        if compiled is not None:
            patterns.append(compiled)
    return patterns


def path_pattern(pattern: str) -> re.Pattern[str] | None:
    """A createRouteMatcher/path-to-regexp pattern ('/dashboard(.*)', '/api/:path*') as a regex
    over the whole path."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "(":
            depth, j = 0, i
            while j < len(pattern):
                depth += {"(": 1, ")": -1}.get(pattern[j], 0)
                if depth == 0:
                    break
                j += 1
            out.append(pattern[i:j + 1])
            i = j + 1
            continue
        if c == ":":
            match = re.match(r":(\w+)([*+?])?", pattern[i:])
            if match:
                modifier = match.group(2)
                if modifier in ("*", "?") and out and out[-1] == "/":
                    out[-1] = "(?:/.*)?" if modifier == "*" else "(?:/[^/]+)?"
                else:
                    out.append({"*": ".*", "+": "[^/]+(?:/[^/]+)*", "?": "[^/]*"}.get(modifier or "", "[^/]+"))
                i += len(match.group(0))
                continue
        if c == "*":
            out.append(".*")
        else:
            out.append(re.escape(c))
        i += 1
    try:
        return re.compile("".join(out) + r"/?\Z")
    except re.error:
        return None


def route_matches(patterns: tuple[re.Pattern[str], ...], route: str) -> bool:
    if not patterns:
        return True
    return any(p.match(route) for p in patterns)
