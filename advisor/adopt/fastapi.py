"""Adopting the FastAPI starter into an existing FastAPI project.

The starter's modules (settings, the auth dependency, webhooks, its reference app) and its
networkless tests go into a package of their own (`clerk_auth`, or the next free name),
with every `app.X` / `tests.X` reference renamed; `install.py` (templates/fastapi/adopt)
wires that package into an app. The dependencies are added to the project's requirement
files and pyproject.toml. The app's own modules are not edited: how to wire the app is
shown as a patch of the module that says `app = FastAPI(...)`, and its routes that take no
Clerk dependency are listed.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.adopt.model import Adoption, Attention, Edit, Item, NewFile, Refusal
from advisor.adopt.planner import check_previous, make_adopt_plan
from advisor.adopt.pydeps import (
    DEV_ARRAYS,
    RUNTIME_ARRAYS,
    TomlArray,
    is_poetry,
    normalise,
    parse_pyproject,
    pins,
    poetry_edit,
    pyproject_arrays,
    pyproject_edit,
    requirement_lines,
    requirements_edit,
)
from advisor.adopt.pyedit import AppObject, fastapi_apps, rename_modules, wiring
from advisor.adopt.textfiles import env_merge, gitignore_edit
from advisor.errors import Location, UserError
from advisor.fsutil import SafeTree

if TYPE_CHECKING:
    from advisor.architecture import Architecture
    from advisor.audit.project import Project

STACK = "fastapi"
PACKAGE_NAMES = ("clerk_auth", "clerk_advisor_auth", "clerk_auth_advisor")
# What becomes of each file the starter makes (exact path, or a folder ending in /):
#   package   a module of the Clerk package: app/X.py -> PKG/X.py, tests/X.py -> PKG/tests/X.py
#   deps      its requirements merged into the project's requirement files and pyproject.toml
#   edit      merged into the project's own file (created when it has none)
#   new       written where the path is free
#   skip      the starter's README (the project has its own)
POLICY: tuple[tuple[str, str], ...] = (
    ("app/", "package"),
    ("tests/", "package"),
    ("requirements.txt", "deps"),
    ("requirements-dev.txt", "deps"),
    ("pyproject.toml", "deps"),
    (".env.example", "edit"),
    (".gitignore", "edit"),
    ("clerk-config.json", "new"),
    ("CLERK_SETUP.md", "new"),
    ("README.md", "skip"),
)
# Files only an adopted project gets, as starter paths (their imports are renamed like the rest).
ADOPT_TEMPLATES = {"app/install.py": "fastapi/adopt/install.py.j2",
                   "tests/test_install.py": "fastapi/adopt/test_install.py.j2"}
DEV_REQUIREMENTS = ("requirements-dev.txt", "dev-requirements.txt", "requirements_dev.txt", "requirements/dev.txt",
                    "requirements-test.txt", "test-requirements.txt")
MAX_ROUTES_LISTED = 20


def policy_of(path: str) -> str:
    for prefix, action in POLICY:
        if path == prefix or (prefix.endswith("/") and path.startswith(prefix)):
            return action
    raise ValueError(f"templates/fastapi makes {path}, which advisor/adopt/fastapi.py POLICY does not place")


def adopt(arch: Architecture, out: Path, *, update: bool, previous: dict[str, Any] | None,
          templates_dir: Path | None = None) -> Adoption:
    from advisor.audit import load_project
    from advisor.generate.context import context_from
    from advisor.generate.render import default_templates_dir, render, render_template

    check_previous(out, STACK, previous)
    if not out.is_dir():
        raise UserError("no such directory: --adopt adds Clerk to an existing FastAPI project",
                        location=Location(str(out)), hint="to start a new project, leave out --adopt")
    project = load_project(out)
    tree = SafeTree(out)
    apps = _apps(project)
    if not apps and not any(d.name == "fastapi" for d in project.python_deps):
        raise UserError("not a FastAPI project: no `app = FastAPI()` and no fastapi dependency here",
                        location=Location(str(out)), hint="point --out at the project's folder")
    main = apps[0] if apps else None
    recorded = (previous or {}).get("adopt", {})
    root = recorded.get("root") if isinstance(recorded.get("root"), str) else _import_root(project, main)
    package = recorded.get("package") if isinstance(recorded.get("package"), str) else _free_package(tree, root)
    if package not in PACKAGE_NAMES:
        raise UserError(f"the generation manifest names the package {package!r}, which adopt does not make",
                        location=Location(str(out / ".clerk-advisor" / "manifest.json")))
    folder = posixpath.join(root, package) if root else package

    tdir = templates_dir or default_templates_dir()
    ctx = context_from(arch, STACK, tdir)
    rendered = render(STACK, ctx, tdir)
    rendered.update({path: render_template(name, ctx, tdir) for path, name in ADOPT_TEMPLATES.items()})
    modules = {"app": frozenset(_module_names(rendered, "app/")), "tests": frozenset(_module_names(rendered, "tests/"))}
    renames = {"app": package, "tests": f"{package}.tests"}

    items: list[Item] = []
    for path, content in rendered.items():
        action = policy_of(path)
        if action == "package":
            rel = posixpath.join(folder, path.removeprefix("app/"))
            items.append(NewFile(rel, rename_modules(content, renames, modules).encode("utf-8")))
        elif action == "new":
            items.append(NewFile(path, content.encode("utf-8")))
    items += _dependency_edits(tree, rendered)
    items.append(Edit(".env.example", env_merge(rendered[".env.example"]), missing=rendered[".env.example"].encode(),
                       additive=True))
    items.append(Edit(".gitignore", gitignore_edit(), missing=rendered[".gitignore"].encode(), additive=True))

    meta = {"tool_version": arch.tool_version, "rules_version": arch.rules_version,
            "requirements_sha256": arch.requirements_sha256}
    plan, refusals, already = make_adopt_plan(out, STACK, items, meta, {"root": root, "package": package},
                                              update=update, previous=previous)
    attention = _version_notes(project, rendered) + _routes_without_clerk(project, folder, package)
    install = f"{package}.install"
    suggestions = [_wiring(tree, main, install)] if main is not None else []
    if main is None:
        attention.append(Attention("no `app = FastAPI(...)` at the top of a module: wire Clerk where your app is "
                                   f"made, with `from {install} import install_clerk` and `install_clerk(app)`"))
    for other in apps[1:]:
        attention.append(Attention(f"another FastAPI app, `{other.name}`: wire it the same way if it serves users",
                                   other.rel, other.line, fix=f"install_clerk({other.name}) from {install}"))
    tests = posixpath.join(folder, "tests")
    install_deps = "poetry install" if _poetry(tree) else f"pip install -r {_dev_file(tree) or 'requirements.txt'}"
    steps = [f"install the dependencies ({install_deps})",
             f"run the Clerk package's own tests: pytest {tests}",
             f"wire it into your app: install_clerk(app) from {install} (the patch above), then protect routes with "
             f"`principal: CurrentPrincipal` or `APIRouter(dependencies=[Depends(get_principal)])` from "
             f"{package}.auth",
             "set CLERK_JWT_KEY (or CLERK_SECRET_KEY) and CLERK_AUTHORIZED_PARTIES (.env.example)",
             "configure the Clerk instance: CLERK_SETUP.md (clerk config patch --file clerk-config.json)"]
    where = f"package {folder}/" if not root else f"package {folder}/ (imported as {package})"
    app_text = f"FastAPI, app in {main.rel}; Clerk goes into the {where}" if main else \
        f"FastAPI; Clerk goes into the {where}"
    return Adoption(plan, app_text, refusals + [s for s in suggestions if s is not None], already, attention, steps)


def _module_names(rendered: dict[str, str], prefix: str) -> list[str]:
    return [p[len(prefix):-3] for p in rendered if p.startswith(prefix) and p.endswith(".py") and
            "/" not in p[len(prefix):]]


def _apps(project: Project) -> list[AppObject]:
    """`NAME = FastAPI(...)` at the top of the project's modules (tests left out), shallowest first."""
    from advisor.audit.context import is_test_file

    found = []
    for rel, module in sorted(project.py.items(), key=lambda item: (item[0].count("/"), item[0])):
        if is_test_file(rel):
            continue
        found += fastapi_apps(rel, module.tree, module.qualified)
    return found


def _import_root(project: Project, main: AppObject | None) -> str:
    """The folder the app's imports start from: above the outermost package holding its module."""
    if main is None:
        return ""
    folder = posixpath.dirname(main.rel)
    while folder and project.exists(f"{folder}/__init__.py"):
        folder = posixpath.dirname(folder)
    return folder


def _free_package(tree: SafeTree, root: str) -> str:
    for name in PACKAGE_NAMES:
        base = posixpath.join(root, name) if root else name
        if (tree.root / base).exists() or (tree.root / f"{base}.py").exists():
            continue
        return name
    raise UserError(f"every package name adopt uses ({', '.join(PACKAGE_NAMES)}) is taken in "
                    f"{tree.root / root if root else tree.root}", location=Location(str(tree.root)))


def _dev_file(tree: SafeTree) -> str | None:
    return next((name for name in DEV_REQUIREMENTS if tree.read(name) is not None), None)


def _poetry(tree: SafeTree) -> bool:
    data = tree.read("pyproject.toml")
    return data is not None and is_poetry(parse_pyproject(data, str(tree.root / "pyproject.toml")))


def _dependency_edits(tree: SafeTree, rendered: dict[str, str]) -> list[Item]:
    """Runtime requirements into requirements.txt and [project] dependencies; the test
    runner's into the dev requirements (a file, or a pyproject group). A Poetry project gets
    them in its Poetry tables (and its requirement files, if it has any). A pyproject.toml
    that does not parse stops adopting (exit 2): where its dependencies go is unknown."""
    runtime = requirement_lines(rendered["requirements.txt"])
    runtime_names = {normalise(line.split("=")[0]) for line in runtime}
    dev = [line for line in requirement_lines(rendered["requirements-dev.txt"])
           if normalise(line.split("=")[0]) not in runtime_names]
    items: list[Item] = []
    has_requirements = tree.read("requirements.txt") is not None
    dev_file = _dev_file(tree)
    if _poetry(tree):
        if has_requirements:
            items.append(Edit("requirements.txt", requirements_edit(runtime), additive=True))
        items.append(Edit("pyproject.toml", poetry_edit(runtime, dev), additive=True))
        if dev_file is not None:
            items.append(Edit(dev_file, requirements_edit(dev, _included(tree)), additive=True))
        return items
    pyproject = tree.read("pyproject.toml")
    runtime_in_toml = pyproject is not None and pyproject_arrays(pyproject, RUNTIME_ARRAYS) is not None
    dev_in_toml = dev_file is None and pyproject is not None and pyproject_arrays(pyproject, DEV_ARRAYS) is not None
    if has_requirements:
        items.append(Edit("requirements.txt", requirements_edit(runtime), additive=True))
    elif not runtime_in_toml:
        items.append(NewFile("requirements.txt", rendered["requirements.txt"].encode()))
    groups: list[tuple[list[str], tuple[TomlArray, ...]]] = []
    if runtime_in_toml:
        groups.append((runtime, RUNTIME_ARRAYS))
    if dev_in_toml:
        groups.append((dev, DEV_ARRAYS))
    if groups:
        items.append(Edit("pyproject.toml", pyproject_edit(groups), additive=True))
    if dev_file is not None:
        items.append(Edit(dev_file, requirements_edit(dev, _included(tree)), additive=True))
    elif not dev_in_toml:
        items.append(NewFile("requirements-dev.txt", rendered["requirements-dev.txt"].encode()))
    return items


def _included(tree: SafeTree) -> Callable[[], set[str]]:
    """The names requirements.txt gives a dev file that includes it."""
    def included() -> set[str]:
        data = tree.read("requirements.txt")
        return set(pins(data.decode("utf-8", errors="replace"))) if data is not None else set()

    return included


def _version_notes(project: Project, rendered: dict[str, str]) -> list[Attention]:
    """The project's own pins of packages the starter was verified with at other versions:
    `==X` (or Poetry's bare `X`) below, or a Poetry `^X` / `~X` range wholly below, the
    verified version."""
    from advisor.adopt.semver import satisfies
    from advisor.audit.versions import Version

    verified = pins(rendered["requirements.txt"])
    notes = []
    for declared in project.python_deps:
        line = verified.get(normalise(declared.name))
        spec = declared.spec.strip()
        ours = Version.parse(line.split("==", 1)[1]) if line is not None else None
        if line is None or ours is None:
            continue
        poetry_range = spec.startswith(("^", "~")) and not spec.startswith("~=")
        floor = spec.lstrip("^~=").strip() if poetry_range or spec.startswith("==") or spec[:1].isdigit() else ""
        theirs = Version.parse(floor) if floor else None
        if theirs is None or not theirs < ours or (poetry_range and satisfies(ours, spec) is not False):
            continue
        what = f"pinned to {floor}" if not poetry_range else f"constrained to {spec}"
        notes.append(Attention(f"{declared.name} is {what}; the Clerk package was verified with "
                               f"{ours}; adopt did not change the pin", declared.rel, declared.line,
                               fix=f"run the Clerk package's tests with your pins, or move to {line}"))
    return notes


def _routes_without_clerk(project: Project, folder: str, package: str) -> list[Attention]:
    """The app's routes that ask for no Clerk dependency: public until they do."""
    import ast

    from advisor.audit.context import is_test_file

    found = []
    for rel, module in sorted(project.py.items()):
        if rel.startswith(folder + "/") or is_test_file(rel):
            continue
        guarded_routers, prefixes = _routers(module.tree)
        for route in module.routes:
            decorator = route.decorator
            assert isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)
            owner = decorator.func.value
            if isinstance(owner, ast.Name) and owner.id in guarded_routers:
                continue
            if _asks_for_clerk(route.function) or _asks_for_clerk(decorator):
                continue
            method = decorator.func.attr.upper()
            path = prefixes.get(owner.id, "") + route.path if isinstance(owner, ast.Name) else route.path
            found.append(Attention(f"{method} {path} ({route.function.name}) takes no Clerk dependency: anyone "
                                   "can call it", rel, route.function.lineno))
    if not found:
        return []
    fix = (f"add `principal: CurrentPrincipal` (from {package}.auth) to each route that needs a signed-in user, or "
           f"`dependencies=[Depends(get_principal)]` to its APIRouter")
    listed = found[:MAX_ROUTES_LISTED]
    listed[-1] = Attention(listed[-1].message, listed[-1].path, listed[-1].line, fix=fix)
    if len(found) > MAX_ROUTES_LISTED:
        listed.append(Attention(f"... and {len(found) - MAX_ROUTES_LISTED} more routes"))
    return listed


_CLERK_NAMES = ("CurrentPrincipal", "get_principal", "require_org", "require_permission", "require_role",
                "require_reverification", "CurrentMachine", "get_machine")


def _asks_for_clerk(node: Any) -> bool:
    import ast

    return any(isinstance(n, ast.Name) and n.id in _CLERK_NAMES for n in ast.walk(node))


def _routers(tree: Any) -> tuple[set[str], dict[str, str]]:
    """Module-level `router = APIRouter(prefix=..., dependencies=[...])`: the routers whose
    dependencies ask for Clerk, and each router's prefix."""
    import ast

    guarded: set[str] = set()
    prefixes: dict[str, str] = {}
    for statement in tree.body:
        if not isinstance(statement, ast.Assign) or not isinstance(statement.value, ast.Call):
            continue
        names = {t.id for t in statement.targets if isinstance(t, ast.Name)}
        keywords = {kw.arg: kw.value for kw in statement.value.keywords}
        deps, prefix = keywords.get("dependencies"), keywords.get("prefix")
        if deps is not None and _asks_for_clerk(deps):
            guarded |= names
        if isinstance(prefix, ast.Constant) and isinstance(prefix.value, str):
            prefixes.update(dict.fromkeys(names, prefix.value))
    return guarded, prefixes


def _wiring(tree: SafeTree, main: AppObject, install: str) -> Refusal | None:
    """How to wire the app, as a patch of its module; never applied: it makes the app need
    Clerk's settings to start, and which routes need a user is the app's decision."""
    from advisor.generate.writer import file_diff

    data = tree.read(main.rel)
    if data is None:
        return None
    source = data.decode("utf-8", errors="replace")
    suggestion = wiring(source, main, install)
    patch = "".join(file_diff(main.rel, data, suggestion.encode("utf-8")))
    return Refusal(main.rel, f"not edited: wiring Clerk into `{main.name}` makes the app need CLERK_* settings to "
                   "start, so that is yours to apply", patch=patch, suggestion=suggestion.encode("utf-8"),
                   kind="wire")
