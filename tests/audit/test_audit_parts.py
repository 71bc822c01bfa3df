"""The small pieces: gitignore patterns, versions, lockfiles, route patterns, suppressions,
and the reuse API."""

from __future__ import annotations

import pytest

from advisor.audit import parse_source, unguarded_handlers
from advisor.audit.gitignore import IgnoreRules
from advisor.audit.manifests import python_requirements, read_lockfile
from advisor.audit.nextjs import path_pattern, route_of
from advisor.terminal import printable
from advisor.audit.source import SourceFile
from advisor.audit.suppress import parse
from advisor.audit.versions import Version, pep440_has_upper_bound, range_floor
from tests.conftest import build_tree


@pytest.mark.parametrize(("patterns", "path", "is_dir", "ignored"), [
    ("node_modules\n", "a/node_modules", True, True),
    ("/build\n", "build", True, True),
    ("/build\n", "src/build", True, False),
    ("*.log\n!keep.log\n", "x/keep.log", False, False),
    ("*.log\n!keep.log\n", "x/drop.log", False, True),
    ("docs/**/*.md\n", "docs/a/b/c.md", False, True),
    ("docs/**/*.md\n", "other/docs/c.md", False, False),
    ("cache/\n", "cache", False, False),
    ("cache/\n", "cache", True, True),
    ("\\#notes\n", "#notes", False, True),
    ("[ab].txt\n", "b.txt", False, True),
    (".env*\n!.env.example\n", ".env.example", False, False),
])
def test_gitignore_patterns(patterns, path, is_dir, ignored):
    rules = IgnoreRules()
    rules.add("", patterns)
    assert rules.ignored(path, is_dir) is ignored


def test_nested_gitignore_applies_below_its_folder():
    rules = IgnoreRules()
    rules.add("web", "/out\n")
    assert rules.ignored("web/out", True) and not rules.ignored("out", True)


@pytest.mark.parametrize(("spec", "floor"), [
    ("^6.12.0", "6.12.0"), ("~7.2.0", "7.2.0"), (">=5.0.0 <6", "5.0.0"), ("6.x", "6.0.0"),
    ("^5.7.0 || ^6.1.0", "5.7.0"), ("npm:@clerk/nextjs@^6.3.0", "6.3.0"), ("1.2.3 - 2.0.0", "1.2.3"),
    ("latest", None), ("workspace:*", None), ("<7", None),
])
def test_range_floor(spec, floor):
    result = range_floor(spec)
    assert (str(result) if result else None) == floor


def test_prereleases_sort_before_releases():
    assert Version.parse("7.2.1-canary.3") < Version.parse("7.2.1") < Version.parse("7.2.2")


@pytest.mark.parametrize(("spec", "bounded"), [
    ("==7.0.0", True), ("~=7.0", True), (">=7,<8", True), ("^7.0", True), ("7.0.0", True),
    (">=7", False), ("", False), ("!=7.1", False),
])
def test_pep440_upper_bound(spec, bounded):
    assert pep440_has_upper_bound(spec) is bounded


def _source(rel: str, text: str) -> SourceFile:
    return SourceFile(rel=rel, data=text.encode())


def test_yarn_pnpm_and_bun_lockfiles():
    yarn = _source("yarn.lock", '"@clerk/nextjs@^6.0.0", "@clerk/nextjs@^6.1.0":\n  version "6.1.0"\n'
                                '"next@npm:15.1.0":\n  version: 15.1.0\n')
    assert [(d.name, d.spec, d.line) for d in read_lockfile(yarn, {"@clerk/nextjs", "next"})] == \
        [("@clerk/nextjs", "6.1.0", 1), ("next", "15.1.0", 3)]
    pnpm = _source("pnpm-lock.yaml", "packages:\n\n  '@clerk/nextjs@6.1.0(next@15.1.0)':\n    resolution: {}\n"
                                     "  /next@15.1.0:\n    resolution: {}\n")
    assert [(d.name, d.spec, d.line) for d in read_lockfile(pnpm, {"@clerk/nextjs", "next"})] == \
        [("@clerk/nextjs", "6.1.0", 3), ("next", "15.1.0", 5)]
    bun = _source("bun.lock", '{\n  "packages": {\n    "next": ["next@15.1.0", "", {}, "sha512"],\n  }\n}\n')
    assert [(d.name, d.spec, d.line) for d in read_lockfile(bun, {"next"})] == [("next", "15.1.0", 3)]


def test_python_requirement_files():
    poetry = _source("pyproject.toml", '[tool.poetry.dependencies]\npython = "^3.11"\nclerk-backend-api = "*"\n')
    assert [(d.name, d.spec, d.line) for d in python_requirements(poetry) if d.name == "clerk-backend-api"] == \
        [("clerk-backend-api", "", 3)]
    txt = _source("requirements.txt", "Clerk_Backend.API[async] >= 7 ; python_version >= '3.10'  # sdk\n")
    assert [(d.name, d.spec) for d in python_requirements(txt)] == [("clerk-backend-api", ">= 7")]


@pytest.mark.parametrize(("pattern", "path", "matches"), [
    ("/dashboard(.*)", "/dashboard/settings", True),
    ("/dashboard/:path*", "/dashboard", True),
    ("/dashboard/:path*", "/dashboards", False),
    ("/api/webhooks(.*)", "/api/webhooks/clerk", True),
    ("/(api|trpc)(.*)", "/trpc/x", True),
    ("/sign-in", "/sign-in/x", False),
])
def test_route_patterns(pattern, path, matches):
    compiled = path_pattern(pattern)
    assert compiled is not None and bool(compiled.match(path)) is matches


def test_routes_of_app_folders():
    assert route_of(["(marketing)", "blog", "[slug]"]) == "/blog/x"
    assert route_of(["@modal", "api", "[[...rest]]"]) == "/api/x"


def test_suppression_syntax():
    assert parse("a.b, c.d -- why, exactly") == (["a.b", "c.d"], "why, exactly")
    assert parse("nextjs.x: because") == (["nextjs.x"], "because")
    assert parse("nextjs.x") == (["nextjs.x"], "")


def test_printable_escapes_terminal_controls():
    assert printable("a\x1b[2Jb\x07\r\u202ec\td") == "a\\x1b[2Jb\\x07\\x0d\\u202ec    d"


def test_reuse_api_finds_unguarded_handlers(tmp_path):
    build_tree(tmp_path, {
        "package.json": '{"dependencies": {"next": "16.4.6", "@clerk/nextjs": "7.9.17"}}',
        "app/api/open/route.ts": "import { db } from '@/lib/db'\nexport const GET = async () => "
                                 "Response.json(await db.x.findMany())\n",
        "app/api/closed/route.ts": "import { auth } from '@clerk/nextjs/server'\nimport { db } from '@/lib/db'\n"
                                   "export async function GET() { await auth.protect(); "
                                   "return Response.json(await db.x.findMany()) }\n",
        "lib/guard.ts": "import { auth } from '@clerk/nextjs/server'\n"
                        "export async function requireUser() { return (await auth.protect()).userId }\n",
        "app/api/wrapped/route.ts": "import { requireUser } from '@/lib/guard'\nimport { db } from '@/lib/db'\n"
                                    "export async function POST() { const id = await requireUser(); "
                                    "return Response.json(await db.x.create({ data: { id } })) }\n",
    })
    found = unguarded_handlers(tmp_path)
    assert [(h.kind, h.rel, h.name, h.route) for h in found] == \
        [("route-handler", "app/api/open/route.ts", "GET", "/api/open")]
    module = parse_source(tmp_path / "app" / "api" / "open" / "route.ts")
    assert module is not None and "GET" in module.exports


def test_readme_lists_every_check_with_its_severity():
    from advisor.audit.registry import all_infos
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    missing = [i.id for i in all_infos() if f"| `{i.id}` | {i.severity.label} |" not in readme]
    assert missing == [], f"README's check table is stale: {missing}"


def test_pre_commit_hook_runs_check():
    from ruamel.yaml import YAML

    from tests.conftest import ROOT

    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    [hook] = hooks
    assert hook["id"] == "clerk-advisor-check" and hook["entry"] == "clerk-advisor check"
    assert hook["pass_filenames"] is False and hook["language"] == "python"


def test_gitignore_files_above_the_root_keep_their_anchoring(tmp_path):
    from advisor.audit.files import list_files

    build_tree(tmp_path, {".gitignore": "/gen\nweb/secret.ts\n*.log\n", ".git/info/exclude": "scratch/\n",
                          "web/gen/page.ts": "x", "web/secret.ts": "x", "web/app.log": "x",
                          "web/scratch/a.ts": "x", "web/keep.ts": "x"})
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    files = list_files(tmp_path / "web").files
    assert files == ["gen/page.ts", "keep.ts"]
