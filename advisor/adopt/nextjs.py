"""Adopting the Next.js starter into an existing Next.js app: App Router, Next 15 or 16, the
app in the root or in `src/`, TypeScript or JavaScript.

The starter is rendered as for a new project (the same templates, the app's own Next major)
and each of its files is then adopted by its path (POLICY): merged into the app's own
file, written where the path is free, or left out because the app has its own.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.adopt.jsedit import (
    NotStrippable,
    relative_import,
    retarget_strings,
    rewrite_alias_imports,
    strip_types,
)
from advisor.adopt.layout import CLERK_PACKAGE, ProviderSpec, provider_edit, provider_spec
from advisor.adopt.middleware import clerk_options, middleware_edit
from advisor.adopt.model import Adoption, Attention, Edit, Item, NewFile, Refusal
from advisor.adopt.nextjs_packages import depends_on, needed_packages, package_edit, version_warnings
from advisor.adopt.planner import before_adoption, check_previous, make_adopt_plan
from advisor.adopt.textfiles import env_merge, gitignore_edit, retarget_env
from advisor.errors import Location, UserError
from advisor.fsutil import SafeTree

if TYPE_CHECKING:
    from advisor.architecture import Architecture
    from advisor.audit.manifests import NodePackage
    from advisor.audit.project import Project

STACK = "nextjs"

# What becomes of each file the starter makes (exact path, or a folder ending in /):
#   edit        merged into the app's own file (created when the app has none)
#   new         written where the path is free; a taken path is listed, never replaced
#   middleware  written where the app has no middleware or proxy of its own
#   skip        the starter's own app (home page, demo pages, configs): the app has its own
POLICY: tuple[tuple[str, str], ...] = (
    ("package.json", "edit"),
    (".env.example", "edit"),
    (".gitignore", "edit"),
    ("app/layout.tsx", "edit"),
    ("proxy.ts", "middleware"),
    ("middleware.ts", "middleware"),
    ("clerk-config.json", "new"),
    ("CLERK_SETUP.md", "new"),
    ("lib/authz.ts", "new"),
    ("types/clerk.d.ts", "new"),
    ("app/sign-in/", "new"),
    ("app/sign-up/", "new"),
    ("app/waitlist/", "new"),
    ("app/organization/", "new"),
    ("app/create-organization/", "new"),
    ("app/session-tasks/", "new"),
    ("app/account/", "new"),
    ("app/api-keys/", "new"),
    ("app/api/v1/whoami/", "new"),
    ("app/api/m2m/", "new"),
    ("app/api/webhooks/", "new"),
    ("app/components/idle-sign-out.tsx", "new"),
    ("tsconfig.json", "skip"),
    ("next.config.ts", "skip"),
    ("next-env.d.ts", "skip"),
    ("README.md", "skip"),
    ("lib/site.ts", "skip"),
    ("lib/security.ts", "skip"),  # the Origin check of the starter's own sensitive-action route
    ("app/page.tsx", "skip"),
    ("app/dashboard/", "skip"),
    ("app/admin/", "skip"),
    ("app/api/me/", "skip"),
    ("app/api/sensitive-action/", "skip"),
    ("app/components/sensitive-action.tsx", "skip"),
)
# Files placed in the app's root whatever its layout; everything else goes below src/ when
# the app keeps its code there.
ROOT_FILES = frozenset({"package.json", ".env.example", ".gitignore", "clerk-config.json", "CLERK_SETUP.md"})

# @clerk/nextjs 7.9.17's peer ranges (its package.json; clerk-facts 1.1): npm refuses to
# install it next to versions outside them.
MIDDLEWARE_NAMES = ("proxy", "middleware")
MIDDLEWARE_EXTENSIONS = ("ts", "js", "mjs", "tsx", "jsx")
LAYOUT_EXTENSIONS = ("tsx", "jsx", "js", "ts")
# The starter sends users to its /dashboard after sign-in; an app without one gets its home page.
STARTER_LANDING = "/dashboard"


def policy_of(path: str) -> str:
    for prefix, action in POLICY:
        if path == prefix or (prefix.endswith("/") and path.startswith(prefix)):
            return action
    raise ValueError(f"templates/nextjs makes {path}, which advisor/adopt/nextjs.py POLICY does not place")


@dataclass(frozen=True)
class App:
    package: NodePackage
    base: str  # '' or 'src': where app/, lib/ and the middleware live
    typescript: bool
    next_major: int
    had_clerk: bool

    def place(self, starter_path: str) -> str:
        rel = starter_path if starter_path in ROOT_FILES or not self.base else f"{self.base}/{starter_path}"
        if self.typescript:
            return rel
        if rel.endswith(".tsx"):
            return rel.removesuffix(".tsx") + ".jsx"
        return rel.removesuffix(".ts") + ".js" if rel.endswith(".ts") else rel

    def describe(self) -> str:
        where = "in src/" if self.base else "in the root"
        return f"Next.js {self.next_major}, App Router {where}, {'TypeScript' if self.typescript else 'JavaScript'}"


def adopt(arch: Architecture, out: Path, *, update: bool, previous: dict[str, Any] | None,
          templates_dir: Path | None = None) -> Adoption:
    from advisor.audit import load_project
    from advisor.generate.context import context_from
    from advisor.generate.render import default_templates_dir, render

    check_previous(out, STACK, previous)
    tree = SafeTree(out)
    package_json = tree.read("package.json")
    if package_json is None:
        raise UserError("no package.json here: --adopt adds Clerk to an existing Next.js app",
                        location=Location(str(out)),
                        hint="point --out at the app's folder; to start a new app, leave out --adopt")
    _check_json(out, package_json)
    project = load_project(out)
    attention: list[Attention] = []
    app = _detect(out, project, arch, attention, before_adoption(tree, previous, "package.json") or package_json)
    known = set((previous or {}).get("files", {}))

    tdir = templates_dir or default_templates_dir()
    ctx = context_from(arch, STACK, tdir)
    ctx["features"].update(next15=app.next_major == 15, next16=app.next_major != 15)
    rendered = render(STACK, ctx, tdir)
    versions: dict[str, str] = ctx["versions"]

    routes = _routes(project, app, known)
    landing = {} if STARTER_LANDING in routes else {STARTER_LANDING: "/"}
    middleware = _middleware(tree, app, known)
    attention += _middleware_placement(middleware, app)
    items, code = _starter_files(app, rendered, tree, known, middleware, landing, routes, attention)
    refusals: list[Refusal] = []
    needed = needed_packages(code, versions)
    layout = _layout(tree, app)
    if layout is None:
        refusals.append(Refusal(app.place("app/layout.tsx"), "the app has no root layout; <ClerkProvider> was not "
                                "added", advice="create app/layout (next dev does), then run --adopt again"))
    else:
        unavailable = {i.rel for i in items if isinstance(i, NewFile) and (i.refused or i.blocked)}
        spec = _provider(app, rendered["app/layout.tsx"], layout, tree, known, unavailable)
        items.append(Edit(layout, provider_edit(layout, spec, _provider_elsewhere(project, layout))))
        needed.setdefault(CLERK_PACKAGE, versions[CLERK_PACKAGE])  # the layout imports the provider from it
    items.insert(0, Edit("package.json", package_edit(needed), additive=True))
    env = retarget_env(rendered[".env.example"], landing)
    items.append(Edit(".env.example", env_merge(env), missing=env.encode(), additive=True))
    items.append(Edit(".gitignore", gitignore_edit(), missing=rendered[".gitignore"].encode(), additive=True))

    attention += _unguarded(project, known | set(code))
    meta = {"tool_version": arch.tool_version, "rules_version": arch.rules_version,
            "requirements_sha256": arch.requirements_sha256}
    info = {"base": app.base, "language": "typescript" if app.typescript else "javascript", "next": app.next_major}
    plan, refused, already = make_adopt_plan(out, STACK, items, meta, info, update=update, previous=previous)
    steps = ["npm install", "cp .env.example .env.local, then fill in the keys (Dashboard > API keys)",
             "configure the Clerk instance: CLERK_SETUP.md (clerk config patch --file clerk-config.json)"]
    return Adoption(plan, app.describe(), refusals + refused, already, attention, steps)


def _starter_files(app: App, rendered: dict[str, str], tree: SafeTree, known: set[str], middleware: list[str],
                   landing: dict[str, str], routes: dict[str, str], attention: list[Attention]
                   ) -> tuple[list[Item], dict[str, bytes]]:
    """The starter's files placed in the app by POLICY, and the code among them (for the
    packages it imports)."""
    items: list[Item] = []
    code: dict[str, bytes] = {}
    for path, content in rendered.items():
        action = policy_of(path)
        rel = app.place(path)
        if action == "skip" or (path == "types/clerk.d.ts" and not app.typescript):
            continue
        if path == "types/clerk.d.ts" and app.had_clerk and rel not in known:
            # Typing roles and permissions could break the checks the app already makes.
            attention.append(Attention("the app used Clerk before: types/clerk.d.ts (roles and permissions typed "
                                       "for auth.protect and has) was not added", fix="add it yourself once your "
                                       "checks use the recommended roles and permissions"))
            continue
        if action == "middleware":
            if middleware:
                options = clerk_options(path, content.encode())
                items += [Edit(own, middleware_edit(own, options)) for own in middleware]
                continue
            rel = _our_middleware(tree, app, known) or rel
        if action in ("new", "middleware"):
            item = _new_file(app, path, rel, content, landing, routes)
            items.append(item)
            if not item.refused:
                code[rel] = item.content
    return items, code


def _check_json(out: Path, data: bytes) -> None:
    from advisor.jsonio import load_json

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError("package.json is not UTF-8", location=Location(str(out / "package.json"))) from None
    if not isinstance(load_json(text, str(out / "package.json")), dict):
        raise UserError("package.json is not a JSON object", location=Location(str(out / "package.json")))


def _detect(out: Path, project: Project, arch: Architecture, attention: list[Attention], original: bytes) -> App:
    """The app, as found. `original`: its package.json before adoption added to it."""
    from advisor.audit.nextjs import next_apps
    from advisor.audit.project import installed_version

    found = next((a for a in next_apps(project) if a.dir == ""), None)
    if found is None:
        raise UserError("not a Next.js app: package.json does not depend on next",
                        location=Location(str(out / "package.json")),
                        hint="--adopt --stack nextjs needs the folder of a Next.js app")
    package = found.package
    if found.app_dir is None:
        seen = f"{found.pages_dir}/" if found.pages_dir else "app/"
        raise UserError(f"no App Router app/ directory (found {seen}): --adopt sets up Clerk in the App Router",
                        location=Location(str(out)),
                        hint="in a Pages Router app, wrap pages/_app in <ClerkProvider> by hand "
                             "(https://clerk.com/docs/quickstarts/nextjs-pages-router)")
    version, _, _ = installed_version(package, "next")
    wanted: int = arch.requirements.platforms.nextjs_version
    if version is None:
        major = wanted
        attention.append(Attention(f"could not tell which Next.js version {package.deps['next'].spec!r} is; "
                                   f"the setup follows Next.js {major} (the requirements' nextjs_version)",
                                   "package.json", package.deps["next"].line))
    elif version.major < 15:
        raise UserError(f"the app is on Next.js {version}; @clerk/nextjs 7 (Clerk Core 3) needs Next.js 15.2.8 or "
                        "later, or 16", location=Location(str(out / "package.json"), package.deps["next"].line),
                        hint="upgrade Next.js first (npx @next/codemod@latest upgrade), then adopt")
    else:
        major = min(version.major, 16)
        if arch.requirements.platforms.web == "nextjs" and wanted != major:
            attention.append(Attention(f"the requirements say Next.js {wanted}, the app is on {version}: the setup "
                                       f"follows the app ({'middleware' if major == 15 else 'proxy'}.ts)",
                                       "package.json", package.deps["next"].line))
    clerk, _, _ = installed_version(package, "@clerk/nextjs")
    if clerk is not None and clerk.major < 7:
        raise UserError(f"the app uses @clerk/nextjs {clerk} (Clerk Core 2 or older); the setup is written for "
                        "@clerk/nextjs 7 (Core 3)", location=Location(str(out / "package.json"),
                                                                       package.deps["@clerk/nextjs"].line),
                        hint="upgrade with `npx @clerk/upgrade`, then adopt")
    attention += version_warnings(package)
    typescript = project.exists("tsconfig.json") or (out / "tsconfig.json").is_file() or package.has("typescript")
    return App(package=package, base=found.base, typescript=typescript, next_major=major,
               had_clerk=depends_on(original, "@clerk/nextjs"))


def _routes(project: Project, app: App, known: set[str]) -> dict[str, str]:
    """URL -> the app's own page or route handler serving it (not files adopted earlier)."""
    from advisor.audit.nextjs import route_of

    app_dir = f"{app.base}/app" if app.base else "app"
    found: dict[str, str] = {}
    for rel in sorted(project.sources):
        if not rel.startswith(app_dir + "/") or rel in known:
            continue
        segments = rel[len(app_dir) + 1:].split("/")
        if segments[-1].rsplit(".", 1)[0] in ("page", "route"):
            found.setdefault(route_of(segments[:-1]), rel)
    return found


def _blocked_by_route(path: str, routes: dict[str, str]) -> str:
    """Why a starter page or route cannot go in: the app serves its URL already."""
    from advisor.audit.nextjs import route_of

    if not path.startswith("app/"):
        return ""
    segments = path[len("app/"):].split("/")[:-1]
    if not path.endswith(("/page.tsx", "/route.ts")):
        return ""
    catch_all = next((i for i, s in enumerate(segments) if s.startswith("[[...")), None)
    url = route_of(segments if catch_all is None else segments[:catch_all])
    for existing, rel in routes.items():
        if existing == url or (catch_all is not None and existing.startswith(url.rstrip("/") + "/")):
            return f"the app's own {existing} route ({rel})"
    return ""


def _new_file(app: App, path: str, rel: str, content: str, landing: dict[str, str],
              routes: dict[str, str]) -> NewFile:
    data = content.encode("utf-8")
    blocked = _blocked_by_route(path, routes)
    if not path.endswith((".ts", ".tsx")) or path.endswith(".d.ts"):
        return NewFile(rel, data, blocked=blocked)
    source_rel = app.place(path) if app.typescript else (f"{app.base}/{path}" if app.base else path)
    data = rewrite_alias_imports(source_rel, data, app.base)
    if landing:
        data = retarget_strings(source_rel, data, landing)
    if not app.typescript:
        try:
            data = strip_types(source_rel, data)
        except NotStrippable as exc:
            return NewFile(rel, data, refused=f"the starter's {path} has TypeScript without a JavaScript form "
                                             f"({exc}); not written into a JavaScript app")
    return NewFile(rel, data, blocked=blocked)


def _middleware(tree: SafeTree, app: App, known: set[str]) -> list[str]:
    """The app's own middleware or proxy files, wherever Next looks for them."""
    found = []
    for folder in dict.fromkeys(("", app.base)):
        for name in MIDDLEWARE_NAMES:
            for ext in MIDDLEWARE_EXTENSIONS:
                rel = f"{folder}/{name}.{ext}" if folder else f"{name}.{ext}"
                if rel not in known and tree.read(rel) is not None:
                    found.append(rel)
    return found


def _middleware_placement(found: list[str], app: App) -> list[Attention]:
    """The app's own middleware files that Next would not load where and as they are."""
    wanted = "middleware" if app.next_major == 15 else "proxy"
    notes = []
    for rel in found:
        folder, name = posixpath.split(rel)
        stem = name.split(".")[0]
        if folder != app.base:
            notes.append(Attention(f"Next.js loads {stem} files from {app.base or 'the root'}/, next to app/; this "
                                   "one is not loaded", rel, fix=f"move it to {posixpath.join(app.base, name)}"))
        elif stem != wanted:
            loaded = "still loads it but deprecates the name" if app.next_major != 15 else "does not load it"
            notes.append(Attention(f"Next.js {app.next_major} {loaded}", rel,
                                   fix=f"rename it {wanted}.{name.split('.', 1)[1]}"))
    return notes


def _our_middleware(tree: SafeTree, app: App, known: set[str]) -> str | None:
    """A middleware file an earlier adoption wrote under the other name (the app moved between
    Next 15 and 16 since): it stays where it is, both cannot coexist."""
    for rel in sorted(known):
        stem = rel.rsplit("/", 1)[-1].split(".")[0]
        if stem in MIDDLEWARE_NAMES and posixpath.dirname(rel) == app.base and tree.read(rel) is not None:
            return rel
    return None


def _layout(tree: SafeTree, app: App) -> str | None:
    for ext in LAYOUT_EXTENSIONS:
        rel = app.place(f"app/layout.{ext}") if app.typescript else \
            (f"{app.base}/app/layout.{ext}" if app.base else f"app/layout.{ext}")
        if tree.read(rel) is not None:
            return rel
    return None


def _provider(app: App, template: str, layout: str, tree: SafeTree, known: set[str],
              unavailable: set[str]) -> ProviderSpec:
    """The starter's provider, its components imported from where adopt puts them (and left
    out where the app has its own file at that path, deleted the adopted one, or adopt
    cannot write it)."""

    def child_import(spec: str) -> str | None:
        if not spec.startswith("@/"):
            return None
        path = spec[2:]
        for ext in (".tsx", ".ts"):
            rel = app.place(path + ext)
            if rel in unavailable:
                return None
            present = tree.read(rel) is not None
            if (rel in known and present) or (rel not in known and not present):
                return relative_import(layout, rel.rsplit(".", 1)[0])
        return None

    return provider_spec("app/layout.tsx", template.encode("utf-8"), child_import)


def _provider_elsewhere(project: Project, layout: str) -> str | None:
    for rel, module in sorted(project.js.items()):
        if rel != layout and module.imported_from("ClerkProvider") in ("@clerk/nextjs", "@clerk/clerk-react",
                                                                     "@clerk/react"):
            return rel
    return None


def _unguarded(project: Project, adopted: set[str]) -> list[Attention]:
    """The app's route handlers, pages and server actions that read data without auth: listed
    with the fix, never rewritten."""
    from advisor.audit import find_handlers
    from advisor.audit.jsnodes import callee_path
    from advisor.audit.registry import info_for, load_checks

    load_checks()
    check_of = {"route-handler": "nextjs.unguarded-route-handler", "api-route": "nextjs.unguarded-route-handler",
                "server-action": "nextjs.unguarded-server-action", "page": "nextjs.unguarded-page",
                "server-props": "nextjs.unguarded-page"}
    found = []
    for handler in find_handlers(project):
        if handler.rel in adopted or handler.guarded or not handler.reads_data or handler.is_webhook:
            continue
        assert handler.data_call is not None
        line, _ = handler.module.position(handler.data_call)
        target = ".".join(p for p in callee_path(handler.data_call) if p != "()") or "data"
        what = f"{handler.name} {handler.route}" if handler.route else f"server action {handler.name}"
        info = info_for(check_of[handler.kind])
        found.append(Attention(f"{what} reads data ({target}()) without checking auth [{info.id}]", handler.rel,
                               line, fix=info.fix))
    return found

