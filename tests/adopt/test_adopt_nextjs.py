"""`generate --stack nextjs --adopt` on the Next.js apps people have: create-next-app with
eslint, fonts and an API route; a src/ layout; Next 15 with its own middleware; plain
JavaScript. Through the real CLI: what the person sees, and what is on disk after."""

from __future__ import annotations

import json

import pytest
from helpers_adopt import (
    FIXTURES,
    NEXT_APPS,
    REQ_B2B,
    REQ_B2C,
    adopted,
    assert_nothing_lost,
    changed,
    copy_fixture,
    package_json,
    run_adopt,
    tree_of,
    versions,
)

from advisor.audit import treesitter
from advisor.audit.jsmodule import JsModule
from advisor.audit.jsnodes import jsx_name
from advisor.audit.source import SourceFile
from tests.conftest import write


def adopt(cli, tmp_path, fixture="next16-app", req=REQ_B2B, *extra):
    return run_adopt(cli, tmp_path, "nextjs", fixture, req, *extra)


def provider_ancestors(path) -> list[str]:
    """The JSX elements around <ClerkProvider> in a layout, innermost first."""
    data = path.read_bytes()
    language = "tsx" if path.suffix == ".tsx" else "javascript"
    module = JsModule(SourceFile(rel=path.name, data=data, language=language))
    assert module.parse_error is None
    providers = [e for e in module.jsx if jsx_name(e) == "ClerkProvider"]
    assert len(providers) == 1
    names, node = [], providers[0].parent.parent
    while node is not None:
        if node.type == "jsx_element":
            names.append(jsx_name(node.named_children[0]))
        node = node.parent
    return names


# ------------------------------------------------------------------ create-next-app


def test_dry_run_shows_every_creation_and_edit_and_writes_nothing(cli, tmp_path):
    app = copy_fixture("next16-app", tmp_path / "web")
    before = tree_of(app)
    _, result = adopt(cli, tmp_path, "next16-app", REQ_B2B, "--dry-run")
    assert result.code == 0, result.err
    assert tree_of(app) == before and not (app / ".clerk-advisor").exists()
    out = result.out
    for edited in ("package.json", "app/layout.tsx", ".gitignore"):
        assert f"--- a/{edited}\n+++ b/{edited}\n" in out
    for created in ("proxy.ts", "app/sign-in/[[...sign-in]]/page.tsx", "clerk-config.json", "CLERK_SETUP.md",
                    ".env.example"):
        assert f"--- /dev/null\n+++ b/{created}\n" in out
    assert '+    "@clerk/nextjs": "7.9.17",\n' in out
    assert "+        <ClerkProvider\n" in out and "+        </ClerkProvider>\n" in out
    assert "would adopt into web: Next.js 16, App Router in the root, TypeScript" in result.err
    assert "would be edited: 3" in result.err


def test_create_next_app_is_adopted_without_losing_anything(cli, tmp_path):
    app, before, result = adopted(cli, tmp_path, "nextjs", "next16-app", REQ_B2B)
    assert changed(before, app) == {"package.json", "app/layout.tsx", ".gitignore"}

    manifest = package_json(app)
    original = json.loads(before["package.json"])
    assert manifest["name"] == "my-app" and manifest["scripts"] == original["scripts"]
    assert manifest["devDependencies"] == original["devDependencies"]  # eslint and its config stay
    assert manifest["dependencies"] == {**original["dependencies"], "@clerk/nextjs": versions()["@clerk/nextjs"]}

    assert provider_ancestors(app / "app/layout.tsx") == ["body", "html"]
    layout = (app / "app/layout.tsx").read_text()
    assert 'import { ClerkProvider } from "@clerk/nextjs";\n' in layout  # the file's own quotes and semicolons
    assert "Geist_Mono" in layout and "{children}" in layout

    proxy = (app / "proxy.ts").read_text()
    assert "export default clerkMiddleware(" in proxy and "'/__clerk/(.*)'," in proxy
    assert not (app / "middleware.ts").exists()
    assert (app / "app/sign-in/[[...sign-in]]/page.tsx").is_file()
    assert (app / "app/api/webhooks/route.ts").is_file() and (app / "app/api/m2m/route.ts").is_file()
    assert "!.env.example" in (app / ".gitignore").read_text()
    for starter_only in ("app/dashboard", "app/admin", "app/api/me", "lib/site.ts", "next.config.mjs"):
        assert not (app / starter_only).exists()

    # The app's unguarded route handler: listed with its fix, never rewritten.
    assert "app/api/todos/route.ts:6: GET /api/todos reads data (db.todo.findMany()) without checking auth" \
        in result.err
    assert "fix: Call `await auth.protect()`" in result.err
    assert (app / "app/api/todos/route.ts").read_bytes() == before["app/api/todos/route.ts"]
    assert "next steps:\n  1. npm install" in result.err


def test_the_landing_page_after_sign_in_is_the_apps_home_when_it_has_no_dashboard(cli, tmp_path):
    app, result = adopt(cli, tmp_path)
    assert result.code == 0
    env = (app / ".env.example").read_text()
    assert "NEXT_PUBLIC_CLERK_SIGN_IN_FALLBACK_REDIRECT_URL=/\n" in env and "/dashboard" not in env
    for rel in ("app/create-organization/[[...create-organization]]/page.tsx",
                "app/session-tasks/choose-organization/page.tsx"):
        assert "/dashboard" not in (app / rel).read_text()


def test_a_second_adoption_with_the_same_requirements_changes_nothing(cli, tmp_path):
    app, first = adopt(cli, tmp_path)
    assert first.code == 0
    files = {rel: (app / rel).stat().st_mtime_ns for rel in tree_of(app)}
    state = {p: p.read_bytes() for p in app.rglob("*") if p.is_file()}
    _, second = adopt(cli, tmp_path)
    assert second.code == 0, second.err
    assert {rel: (app / rel).stat().st_mtime_ns for rel in tree_of(app)} == files  # not even rewritten
    assert {p: p.read_bytes() for p in app.rglob("*") if p.is_file()} == state
    assert "created" not in second.err and "edited" not in second.err
    summary = json.loads(adopt(cli, tmp_path, "next16-app", REQ_B2B, "--format", "json")[1].out)
    assert set(summary["files"]) == {"unchanged"}


def test_files_the_person_changed_after_adoption_are_theirs(cli, tmp_path):
    app, _ = adopt(cli, tmp_path)
    page = app / "app/sign-in/[[...sign-in]]/page.tsx"
    page.write_text(page.read_text() + "// my tweak\n")
    _, result = adopt(cli, tmp_path)
    assert result.code == 0
    assert page.read_text().endswith("// my tweak\n")
    assert "unchanged" in result.err and "kept" not in result.err  # nothing new to bring in


def test_plain_generate_on_an_adopted_app_adopts_again(cli, tmp_path):
    adopt(cli, tmp_path)
    result = cli("generate", "--stack", "nextjs", "--out", "web")
    assert result.code == 0
    assert "web was adopted before: adopting again (as with --adopt)" in result.err
    assert not (tmp_path / "web/app/dashboard").exists()
    assert (tmp_path / "web/app/page.tsx").read_bytes() == (FIXTURES / "next16-app/app/page.tsx").read_bytes()


def test_update_merges_new_requirements_into_the_edited_layout(cli, tmp_path):
    app, first = adopt(cli, tmp_path, "next16-app", REQ_B2C)
    assert first.code == 0
    layout = app / "app/layout.tsx"
    assert "taskUrls" not in layout.read_text()
    mine = layout.read_text().replace('title: "Create Next App"', 'title: "Todos"')
    layout.write_text(mine.replace("        {children}\n", "        {children}\n        <footer>mine</footer>\n"))

    _, kept = adopt(cli, tmp_path, "next16-app", REQ_B2B)
    assert kept.code == 0
    assert "app/layout.tsx (changed by you since the last generation; --update merges)" in kept.err
    assert "taskUrls" not in layout.read_text()

    _, merged = adopt(cli, tmp_path, "next16-app", REQ_B2B, "--update")
    assert merged.code == 0, merged.err
    assert "merged your edits: 1\n  app/layout.tsx" in merged.err
    text = layout.read_text()
    assert "'choose-organization': '/session-tasks/choose-organization'," in text
    assert "<footer>mine</footer>" in text and 'title: "Todos"' in text
    assert provider_ancestors(layout) == ["body", "html"]


def test_an_interrupted_adoption_is_finished_by_the_next_run(cli, tmp_path, monkeypatch):
    from advisor.fsutil import SafeTree

    reference = copy_fixture("next16-app", tmp_path / "reference")
    write(tmp_path / "clerk-requirements.yaml", REQ_B2B)
    real = SafeTree.write
    writes: list[str] = []

    def counting(self, rel, data, **kw):
        writes.append(rel)
        return real(self, rel, data, **kw)

    monkeypatch.setattr(SafeTree, "write", counting)
    assert cli("generate", "--stack", "nextjs", "--out", "reference", "--adopt").code == 0
    monkeypatch.setattr(SafeTree, "write", real)
    n = len(writes)
    assert writes[0].startswith(".clerk-advisor/adopt/before/")  # the app's files as they were, first
    for stop_at in sorted({1, 2, 3, 4, 5, n // 2, n - 1, n}):
        app = copy_fixture("next16-app", tmp_path / f"web{stop_at}")
        def failing(self, rel, data, _stop=stop_at, _calls={"n": 0}, **kw):  # noqa: B006 - one count per run
            _calls["n"] += 1
            if _calls["n"] == _stop:
                raise KeyboardInterrupt
            return real(self, rel, data, **kw)

        monkeypatch.setattr(SafeTree, "write", failing)
        assert cli("generate", "--stack", "nextjs", "--out", app.name, "--adopt").code == 130  # Ctrl-C
        monkeypatch.setattr(SafeTree, "write", real)
        assert cli("generate", "--stack", "nextjs", "--out", app.name, "--adopt").code == 0
        assert tree_of(app) == tree_of(reference), f"stopped at write {stop_at}"


# ------------------------------------------------------------------ the other shapes


def test_a_src_layout_keeps_the_apps_own_files(cli, tmp_path):
    app, before, result = adopted(cli, tmp_path, "nextjs", "next16-src", REQ_B2B)
    assert "src/lib/authz.ts (taken: the app's own file; not replaced)" in result.err
    assert (app / "src/lib/authz.ts").read_bytes() == before["src/lib/authz.ts"]
    assert (app / "src/proxy.ts").is_file() and not (app / "proxy.ts").exists()
    assert (app / "src/app/sign-up/[[...sign-up]]/page.tsx").is_file() and not (app / "app").exists()
    assert provider_ancestors(app / "src/app/layout.tsx") == ["body", "html"]
    env = (app / ".env.example").read_text()
    assert env.startswith(before[".env.example"].decode()) and "CLERK_SECRET_KEY=\n" in env
    # The app has its own /dashboard: users land there after signing in.
    assert "NEXT_PUBLIC_CLERK_SIGN_IN_FALLBACK_REDIRECT_URL=/dashboard" in env
    gitignore = (app / ".gitignore").read_text()
    assert gitignore.startswith(before[".gitignore"].decode()) and "\n.env\n.env.*\n!.env.example\n" in gitignore


def test_an_apps_own_middleware_is_refused_with_the_patch_it_needs(cli, tmp_path):
    app = copy_fixture("next15-middleware", tmp_path / "web")
    before = tree_of(app)
    _, result = adopt(cli, tmp_path)
    assert result.code == 0, result.err
    assert (app / "middleware.ts").read_bytes() == before["middleware.ts"]
    assert not (app / "proxy.ts").exists()
    assert "refused: middleware.ts: middleware.ts has its own logic" in result.err
    assert "+export default clerkMiddleware((_auth, request) => middleware(request)" in result.err
    assert "-export function middleware(request: NextRequest) {" in result.err
    # Next 15 by the app's package.json, whatever the requirements say.
    assert "the requirements say Next.js 16, the app is on 15.5.29" in result.err
    assert provider_ancestors(app / "app/layout.tsx") == ["body", "html"]

    summary = json.loads(adopt(cli, tmp_path, "next15-middleware", REQ_B2B, "--format", "json")[1].out)
    [refusal] = summary["adopt"]["refused"]
    assert refusal["path"] == "middleware.ts" and refusal["patch"].startswith("--- a/middleware.ts\n")


def test_the_suggested_middleware_passes_check(cli, tmp_path):
    from helpers_adopt import full_architecture

    from advisor.adopt import plan_adoption
    from advisor.audit import audit

    app = copy_fixture("next15-middleware", tmp_path / "web")
    adoption = plan_adoption(full_architecture(), "nextjs", app)
    [refusal] = adoption.refusals
    assert refusal.suggestion is not None
    (app / "middleware.ts").write_bytes(refusal.suggestion)
    (app / "package.json").write_text(json.dumps({**package_json(app), "dependencies": {
        **package_json(app)["dependencies"], "@clerk/nextjs": "7.9.17"}}))
    ids = {f.check_id for f in audit(app).findings}
    assert "nextjs.middleware-missing" not in ids and "js.authorized-parties-missing" not in ids


def test_a_javascript_app_gets_javascript(cli, tmp_path):
    app, before, result = adopted(cli, tmp_path, "nextjs", "next-js", REQ_B2B)
    assert "Next.js 16, App Router in the root, JavaScript" in result.err
    new = set(tree_of(app)) - set(before)
    assert not [rel for rel in new if rel.endswith((".ts", ".tsx"))]
    code = [rel for rel in new if rel.endswith((".js", ".jsx"))]
    assert {"proxy.js", "lib/authz.js", "app/api/webhooks/route.js", "app/components/idle-sign-out.jsx"} <= set(code)
    for rel in code + ["app/layout.js"]:
        data = (app / rel).read_bytes()
        assert not treesitter.parse("javascript", data).root_node.has_error, rel
        for ts_only in (b"import type", b" as const", b": string", b"useState<"):
            assert ts_only not in data, (rel, ts_only)
    assert provider_ancestors(app / "app/layout.js") == ["body", "html"]
    assert "typescript" not in json.dumps(package_json(app))


@pytest.mark.parametrize("fixture", NEXT_APPS)
def test_an_adopted_app_passes_check_but_for_what_adopt_listed(cli, tmp_path, fixture):
    """No finding at high or above that the adoption could have prevented: what is left is
    in its summary (the app's own unguarded handler, a refused middleware)."""
    app, result = adopt(cli, tmp_path, fixture)
    assert result.code == 0
    report = json.loads(cli("check", "web", "--format", "json", "--fail-on", "never").out)
    for finding in report["findings"]:
        if finding["severity"] in ("high", "critical"):
            assert f"{finding['path']}:" in result.err, finding


# ------------------------------------------------------------------ what adopt refuses


def test_adopt_and_force_do_not_combine(cli, tmp_path):
    app = copy_fixture("next16-app", tmp_path / "web")
    before = tree_of(app)
    _, result = adopt(cli, tmp_path, "next16-app", REQ_B2B, "--force")
    assert result.code == 2
    assert "--force cannot be combined with adopting: adopt never replaces the app's own files" in result.err
    assert tree_of(app) == before
    adopt(cli, tmp_path)
    result = cli("generate", "--stack", "nextjs", "--out", "web", "--update", "--force")
    assert result.code == 2 and "--force cannot be combined with adopting" in result.err


def test_without_adopt_an_existing_app_is_pointed_to_it(cli, tmp_path):
    copy_fixture("next16-app", tmp_path / "web")
    write(tmp_path / "clerk-requirements.yaml", REQ_B2B)
    result = cli("generate", "--stack", "nextjs", "--out", "web")
    assert result.code == 2
    assert "hint: to add Clerk to the app in it, pass --adopt" in result.err


def test_a_generated_project_is_not_adopted(cli, tmp_path):
    write(tmp_path / "clerk-requirements.yaml", REQ_B2B)
    assert cli("generate", "--stack", "nextjs", "--out", "web").code == 0
    result = cli("generate", "--stack", "nextjs", "--out", "web", "--adopt")
    assert result.code == 2 and "generated by clerk-advisor, not adopted" in result.err
    assert "--update" in result.err


@pytest.mark.parametrize(("files", "message"), [
    ({}, "no package.json here: --adopt adds Clerk to an existing Next.js app"),
    ({"package.json": '{"name": "lib", "dependencies": {"react": "19.2.9"}}'},
     "not a Next.js app: package.json does not depend on next"),
    ({"package.json": '{"dependencies": {"next": "14.2.30"}}', "app/layout.tsx": "x"},
     "the app is on Next.js 14.2.30; @clerk/nextjs 7 (Clerk Core 3) needs Next.js 15.2.8 or later"),
    ({"package.json": '{"dependencies": {"next": "16.4.6", "@clerk/nextjs": "^6.20.0"}}', "app/layout.tsx": "x"},
     "the app uses @clerk/nextjs 6.20.0 (Clerk Core 2 or older)"),
    ({"package.json": '{"dependencies": {"next": "16.4.6"}}', "pages/index.tsx": "x"},
     "no App Router app/ directory (found pages/)"),
    ({"package.json": '{"name": "x",'}, "package.json"),
])
def test_apps_adopt_cannot_serve_are_refused_with_a_reason(cli, tmp_path, files, message):
    for rel, text in files.items():
        write(tmp_path / "web" / rel, text)
    (tmp_path / "web").mkdir(exist_ok=True)
    _, result = adopt(cli, tmp_path)
    assert result.code == 2, result.err
    assert message in result.err and "Traceback" not in result.err
    assert not (tmp_path / "web/.clerk-advisor").exists()


def test_versions_below_what_clerk_needs_are_said_and_left_alone(cli, tmp_path):
    app = copy_fixture("next16-src", tmp_path / "web")
    manifest = package_json(app)
    manifest["dependencies"].update(next="15.1.0", react="19.2.0")
    (app / "package.json").write_text(json.dumps(manifest, indent=2) + "\n")
    _, result = adopt(cli, tmp_path)
    assert result.code == 0, result.err
    assert "next 15.1.0 is outside what @clerk/nextjs 7 accepts" in result.err
    assert "affected by CVE-2025-29927" in result.err
    assert "react 19.2.0 is outside what @clerk/nextjs 7 accepts" in result.err
    assert "adopt did not change it" in result.err
    after = package_json(app)["dependencies"]
    assert after["next"] == "15.1.0" and after["react"] == "19.2.0"
    assert (app / "src/middleware.ts").is_file()  # Next 15: middleware.ts


def test_a_route_the_app_serves_already_is_not_added_again(cli, tmp_path):
    app = copy_fixture("next16-app", tmp_path / "web")
    write(app / "app/(auth)/sign-in/page.tsx", "export default function SignIn() {\n  return <p>ours</p>\n}\n")
    _, result = adopt(cli, tmp_path)
    assert result.code == 0
    assert not (app / "app/sign-in").exists()
    assert "app/sign-in/[[...sign-in]]/page.tsx (taken: the app's own /sign-in route " \
           "(app/(auth)/sign-in/page.tsx))" in result.err


def test_an_app_that_renders_the_provider_elsewhere_is_not_given_a_second_one(cli, tmp_path):
    app = copy_fixture("next16-app", tmp_path / "web")
    write(app / "app/providers.tsx", "'use client'\nimport { ClerkProvider } from '@clerk/nextjs'\n"
          "export function Providers({ children }: { children: React.ReactNode }) {\n"
          "  return <ClerkProvider>{children}</ClerkProvider>\n}\n")
    _, result = adopt(cli, tmp_path)
    assert result.code == 0
    assert (app / "app/layout.tsx").read_bytes() == (FIXTURES / "next16-app/app/layout.tsx").read_bytes()
    assert "already in place: 1\n  app/layout.tsx (app/providers.tsx renders <ClerkProvider> already)" in result.err


def test_names_from_the_app_reach_the_terminal_escaped(cli, tmp_path):
    app = copy_fixture("next16-app", tmp_path / "web")
    evil = "x\x1b]0;pwned\x07"
    write(app / f"app/api/{evil}/route.ts", "import { db } from '@/lib/db'\n"
          "export async function GET() {\n  return Response.json(await db.todo.findMany())\n}\n")
    _, result = adopt(cli, tmp_path)
    assert result.code == 0
    assert "\x1b" not in result.err and "\x07" not in result.err
    assert "x\\x1b]0;pwned\\x07" in result.err


def test_a_read_only_layout_is_said_before_anything_is_written(cli, tmp_path, monkeypatch):
    from advisor.fsutil import SafeTree

    app = copy_fixture("next16-app", tmp_path / "web")
    # As a read-only file looks to a user who is not root (tests may run as root).
    monkeypatch.setattr(SafeTree, "writable", lambda self, rel: rel != "app/layout.tsx")
    before = tree_of(app)
    _, result = adopt(cli, tmp_path)
    assert result.code == 2 and "app/layout.tsx is read-only; it would be edited" in result.err
    assert tree_of(app) == before and not (app / ".clerk-advisor").exists()


def test_the_readmes_first_example_for_an_existing_app_keeps_everything(cli, tmp_path, monkeypatch):
    import shlex

    readme = (FIXTURES.parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### generate --adopt:", 1)[1]
    commands = [line.strip() for line in section.splitlines() if line.startswith("    clerk-advisor ")][:2]
    assert commands[0].endswith(" --adopt --dry-run") and commands[1] == commands[0].removesuffix(" --dry-run")
    app = copy_fixture("next16-app", tmp_path / "my-app")
    write(tmp_path / "clerk-requirements.yaml", REQ_B2C)
    monkeypatch.chdir(app)
    before = tree_of(app)
    dry = cli(*shlex.split(commands[0])[1:])
    assert dry.code == 0 and tree_of(app) == before and "--- a/app/layout.tsx" in dry.out
    done = cli(*shlex.split(commands[1])[1:])
    assert done.code == 0 and "done: ." in done.err
    assert_nothing_lost(before, app)


def test_a_file_that_has_no_javascript_form_is_refused_and_not_imported(cli, tmp_path, monkeypatch):
    from advisor.adopt import jsedit, nextjs

    def strip(rel, data):
        if "idle-sign-out" in rel:
            raise jsedit.NotStrippable(f"{rel}: enum_declaration at line 3")
        return jsedit.strip_types(rel, data)

    monkeypatch.setattr(nextjs, "strip_types", strip)
    app, _, result = adopted(cli, tmp_path, "nextjs", "next-js", REQ_B2B)
    assert "refused: app/components/idle-sign-out.jsx: the starter's app/components/idle-sign-out.tsx has " \
           "TypeScript without a JavaScript form" in result.err
    assert not (app / "app/components/idle-sign-out.jsx").exists()
    layout = (app / "app/layout.js").read_text()
    assert "ClerkProvider" in layout and "IdleSignOut" not in layout


@pytest.mark.parametrize(("fixture", "name", "said"), [
    ("next15-middleware", "proxy.ts", "proxy.ts: Next.js 15 does not load it\n    fix: rename it middleware.ts"),
    ("next16-app", "middleware.ts", "middleware.ts: Next.js 16 still loads it but deprecates the name\n"
                                    "    fix: rename it proxy.ts"),
    ("next16-src", "middleware.ts", "middleware.ts: Next.js loads middleware files from src/, next to app/; this "
                                    "one is not loaded\n    fix: move it to src/middleware.ts"),
])
def test_a_clerk_middleware_next_would_not_load_is_said(cli, tmp_path, fixture, name, said):
    app = copy_fixture(fixture, tmp_path / "web")
    (app / "middleware.ts").unlink(missing_ok=True)
    write(app / name, "import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware()\n")
    _, result = adopt(cli, tmp_path, fixture)
    assert result.code == 0, result.err
    assert f"{name} ({name} runs clerkMiddleware() already)" in result.err and said in result.err


def test_an_app_without_a_root_layout_is_told_what_to_do(cli, tmp_path):
    app = copy_fixture("next16-src", tmp_path / "web")
    (app / "src/app/layout.tsx").unlink()
    _, result = adopt(cli, tmp_path)
    assert result.code == 0, result.err
    assert "refused: src/app/layout.tsx: the app has no root layout; <ClerkProvider> was not added" in result.err
    assert "create app/layout (next dev does), then run --adopt again" in result.err
    assert package_json(app)["dependencies"]["@clerk/nextjs"] == versions()["@clerk/nextjs"]
