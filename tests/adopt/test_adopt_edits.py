"""The edits adopt makes in an app's own files, one shape at a time: what is edited, what
is refused and why, and that the app's lines all stay."""

from __future__ import annotations

import json
import tomllib

import pytest
from helpers_adopt import lines_kept_in_order

from advisor.adopt.jsedit import NotStrippable, rewrite_alias_imports, strip_types
from advisor.adopt.layout import ProviderSpec, add_provider
from advisor.adopt.middleware import ClerkOptions, wrap_middleware
from advisor.adopt.model import Edited, Refused, Unneeded
from advisor.adopt.packagejson import add_dependencies
from advisor.adopt.pydeps import DEV_ARRAYS, RUNTIME_ARRAYS, pyproject_edit, requirements_edit
from advisor.adopt.pyedit import AppObject, rename_modules, wiring
from advisor.adopt.textfiles import env_merge, gitignore_edit
from advisor.audit import treesitter

SPEC = ProviderSpec(("<ClerkProvider", '  afterSignOutUrl="/"', ">"),
                    (("<IdleSignOut />", "IdleSignOut", "./components/idle-sign-out"),))

LAYOUT = """\
import type { Metadata } from 'next'
import './globals.css'

export const metadata: Metadata = { title: 'x' }

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="a">
        <Header />
        {children}
      </body>
    </html>
  )
}
"""


def edit_layout(text: str, rel: str = "app/layout.tsx", elsewhere: str | None = None):
    return add_provider(rel, text.encode(), SPEC, elsewhere)


# ------------------------------------------------------------------ the root layout


def test_the_provider_wraps_the_children_of_body_on_lines_of_its_own():
    result = edit_layout(LAYOUT)
    assert isinstance(result, Edited) and result.what == "renders <ClerkProvider> inside <body>"
    text = result.content.decode()
    assert "      <body className=\"a\">\n        <ClerkProvider\n          afterSignOutUrl=\"/\"\n        >\n" \
           "          <IdleSignOut />\n        <Header />\n        {children}\n        </ClerkProvider>\n" \
           "      </body>\n" in text
    assert "import './globals.css'\nimport { ClerkProvider } from '@clerk/nextjs'\n" \
           "import { IdleSignOut } from './components/idle-sign-out'\n" in text
    assert lines_kept_in_order(LAYOUT.encode(), result.content) == []
    assert isinstance(edit_layout(text), Unneeded)  # once is enough


def test_a_one_line_body_gets_the_provider_inline():
    source = "export default function L({ children }) {\n  return <html><body>{children}</body></html>\n}\n"
    result = add_provider("app/layout.js", source.encode(), SPEC)
    assert isinstance(result, Edited)
    assert '<body><ClerkProvider afterSignOutUrl="/" ><IdleSignOut />{children}</ClerkProvider></body>' \
        in result.content.decode()
    assert not treesitter.parse("javascript", result.content).root_node.has_error


def test_imports_follow_the_files_quotes_and_semicolons():
    source = LAYOUT.replace("'", '"').replace("from \"next\"", "from \"next\";").replace('.css"', '.css";')
    text = edit_layout(source).content.decode()
    assert 'import { ClerkProvider } from "@clerk/nextjs";\n' in text


def test_a_layout_without_imports_gets_them_after_its_directives():
    source = "'use client'\n\nexport default function L({ children }) {\n  return (\n    <html>\n      <body>\n" \
             "        {children}\n      </body>\n    </html>\n  )\n}\n"
    text = add_provider("app/layout.jsx", source.encode(), SPEC).content.decode()
    assert text.startswith("'use client'\nimport { ClerkProvider } from '@clerk/nextjs'\n")


@pytest.mark.parametrize(("source", "reason"), [
    ("export default function L() { return <html><div>x</div></html> }\n", "renders no <body> element"),
    ("export default function L({ a }) { return a ? <html><body>1</body></html> : <html><body>2</body></html> }\n",
     "renders <body> in 2 places"),
    ("export default function L() { return <html><body /></html> }\n", "renders an empty <body />"),
    ("export default function L() { return <html><body>{</body></html> }\n", "does not parse cleanly (line 1"),
    ("import { ClerkProvider } from './mine'\nexport default function L({ children }) {\n"
     "  return <html><body>{children}</body></html>\n}\n", "already uses the name ClerkProvider"),
    ("const IdleSignOut = 1\nexport default function L({ children }) {\n"
     "  return <html><body>{children}</body></html>\n}\n", "already uses the name IdleSignOut"),
    ("import { ClerkProvider } from '@clerk/nextjs'\nexport default function L({ children }) {\n"
     "  return <ClerkProvider><html><body>{children}</body></html></ClerkProvider>\n}\n",
     "renders <ClerkProvider> around <html>; Clerk Core 3 puts it inside <body>"),
])
def test_layouts_that_cannot_be_edited_safely_are_refused_with_the_reason(source, reason):
    result = add_provider("app/layout.tsx", source.encode(), SPEC)
    assert isinstance(result, Refused), result
    assert reason in result.reason


def test_a_provider_rendered_elsewhere_is_not_added_twice():
    result = edit_layout(LAYOUT, elsewhere="app/providers.tsx")
    assert result == Unneeded("app/providers.tsx renders <ClerkProvider> already")


# ------------------------------------------------------------------ middleware


OPTIONS = ClerkOptions("authorizedParties.length > 0 ? { authorizedParties } : {}",
                       "const authorizedParties = (process.env.CLERK_AUTHORIZED_PARTIES ?? '').split(',')")


@pytest.mark.parametrize(("source", "call"), [
    ("export function middleware(request) {\n  return undefined\n}\n", "middleware(request)"),
    ("export async function proxy(req, ev) {\n  return undefined\n}\n", "proxy(request, event)"),
    ("export const middleware = (req) => undefined\n", "middleware(request)"),
    ("function rewrite(req) {\n  return undefined\n}\nexport default rewrite\n", "rewrite(request)"),
    ("export default function handle() {\n  return undefined\n}\n", "handle()"),
])
def test_an_own_middleware_gets_a_patch_that_wraps_it(source, call):
    result = wrap_middleware("middleware.ts", source.encode(), OPTIONS)
    assert isinstance(result, Refused) and result.suggestion is not None
    text = result.suggestion.decode()
    assert f"=> {call}, authorizedParties.length > 0" in text
    assert text.count("export default") == 1
    assert text.startswith("import { clerkMiddleware } from '@clerk/nextjs/server'\n")
    assert not treesitter.parse("typescript", result.suggestion).root_node.has_error


def test_a_middleware_with_clerk_needs_nothing():
    source = b"import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware()\n"
    assert isinstance(wrap_middleware("proxy.ts", source, OPTIONS), Unneeded)


def test_an_unreadable_middleware_shape_gets_advice_instead_of_a_patch():
    result = wrap_middleware("middleware.ts", b"export { handler as middleware } from './lib/mw'\n", OPTIONS)
    assert isinstance(result, Refused) and result.suggestion is None
    assert "wrap your function" in result.advice


def test_a_matcher_that_leaves_out_api_routes_is_said():
    source = b"export function middleware(r) {}\nexport const config = { matcher: ['/dashboard/:path*'] }\n"
    result = wrap_middleware("middleware.ts", source, OPTIONS)
    assert "'/(api|trpc)(.*)' and '/__clerk/(.*)'" in result.advice


# ------------------------------------------------------------------ package.json


PACKAGE = """\
{
  "name": "my-app",
  "scripts": {
    "lint": "eslint"
  },
  "dependencies": {
    "next": "16.4.6",
    "react": "19.2.9"
  },
  "devDependencies": {
    "typescript": "^5"
  }
}
"""


def test_a_dependency_goes_in_alphabetical_place_and_nothing_else_changes():
    new = add_dependencies(PACKAGE, "dependencies", {"@clerk/nextjs": "7.9.17"})
    assert '  "dependencies": {\n    "@clerk/nextjs": "7.9.17",\n    "next": "16.4.6",\n' in new
    assert lines_kept_in_order(PACKAGE.encode(), new.encode()) == []
    assert json.loads(new)["devDependencies"] == {"typescript": "^5"}


def test_dependencies_after_the_last_one_and_a_missing_section():
    new = add_dependencies(PACKAGE, "dependencies", {"zod": "4.0.0", "swr": "2.0.0"})
    assert '"react": "19.2.9",\n    "swr": "2.0.0",\n    "zod": "4.0.0"\n  },' in new
    without = PACKAGE.replace('  "dependencies": {\n    "next": "16.4.6",\n    "react": "19.2.9"\n  },\n', "")
    new = add_dependencies(without, "dependencies", {"@clerk/nextjs": "7.9.17"})
    assert json.loads(new)["dependencies"] == {"@clerk/nextjs": "7.9.17"}
    assert lines_kept_in_order(without.encode(), new.encode()) == []


def test_a_one_line_package_json_stays_valid():
    new = add_dependencies('{"name":"x","dependencies":{"next":"1"}}', "dependencies", {"@clerk/nextjs": "7"})
    assert json.loads(new) == {"name": "x", "dependencies": {"@clerk/nextjs": "7", "next": "1"}}


def test_dependencies_that_are_not_an_object_are_refused():
    with pytest.raises(ValueError, match="not an object"):
        add_dependencies('{"dependencies": []}', "dependencies", {"@clerk/nextjs": "7"})


# ------------------------------------------------------------------ .env.example and .gitignore


def test_env_names_are_merged_with_their_comments():
    template = "# header\n\n# The key.\nCLERK_SECRET_KEY=\nNEXT_PUBLIC_X=1\n\n# Other.\nOTHER=\n"
    result = env_merge(template)(b"DATABASE_URL=postgres://db\nexport OTHER=2")
    assert isinstance(result, Edited) and result.what == "adds CLERK_SECRET_KEY, NEXT_PUBLIC_X"
    assert result.content.decode() == ("DATABASE_URL=postgres://db\nexport OTHER=2\n\n# Clerk (added by clerk-advisor "
                                       "generate --adopt)\n# header\n# The key.\nCLERK_SECRET_KEY=\nNEXT_PUBLIC_X=1\n")
    assert isinstance(env_merge(template)(result.content), Unneeded)


@pytest.mark.parametrize(("gitignore", "added"), [
    ("node_modules\n", [".env", ".env.*", "!.env.example"]),
    ("# env files\n.env*\n", ["!.env.example"]),
    (".env\n.env.*\n!.env.example\n", None),
    ("*.log\n.env.local\n", [".env", ".env.*", "!.env.example"]),
])
def test_env_files_are_kept_out_of_git(gitignore, added):
    result = gitignore_edit()(gitignore.encode())
    if added is None:
        assert isinstance(result, Unneeded)
        return
    assert isinstance(result, Edited)
    text = result.content.decode()
    assert text.startswith(gitignore) and text.endswith("\n".join(added) + "\n")


# ------------------------------------------------------------------ Python dependencies


def test_requirements_get_only_what_they_lack():
    result = requirements_edit(["clerk-backend-api==7.0.0", "fastapi==0.165.0", "PyJWT==2.15.1"])(
        b"FastAPI==0.110.0  # ours\npyjwt[crypto]>=2\n")
    assert result.content.decode().endswith("\nclerk-backend-api==7.0.0\n")
    assert b"FastAPI==0.110.0  # ours\n" in result.content


def test_pyproject_arrays_get_items_on_lines_of_their_own():
    text = '[project]\nname = "x"\ndependencies = [\n    "fastapi>=0.100",\n]\n\n[dependency-groups]\ndev = []\n'
    result = pyproject_edit([(["clerk-backend-api==7.0.0", "fastapi==0.165.0"], RUNTIME_ARRAYS),
                             (["pytest==9.2.0"], DEV_ARRAYS)])(text.encode())
    assert isinstance(result, Edited)
    new = result.content.decode()
    assert 'dependencies = [\n    "clerk-backend-api==7.0.0",\n    "fastapi>=0.100",\n]' in new
    parsed = tomllib.loads(new)
    assert parsed["dependency-groups"]["dev"] == ["pytest==9.2.0"]
    assert lines_kept_in_order(text.replace("dev = []\n", "").encode(), result.content) == []


def test_a_broken_pyproject_is_refused():
    result = pyproject_edit([(["x==1"], RUNTIME_ARRAYS)])(b"[project\n")
    assert isinstance(result, Refused) and "does not parse" in result.reason and "x==1" in result.advice


# ------------------------------------------------------------------ Python modules


def test_modules_are_renamed_in_imports_strings_and_comments_only():
    source = ('"""Served by uvicorn app.main:app; see app/auth.py."""\nimport app.auth\n'
              "from app.settings import Settings  # app.settings reads the env\n"
              "from tests.support import token\n"
              "app = make()\napp.state.settings = Settings()\n"
              'monkeypatch.setattr("app.auth.TIMEOUT", 1)\nfrom apple import pie\n')
    out = rename_modules(source, {"app": "clerk_auth", "tests": "clerk_auth.tests"},
                         {"app": frozenset({"auth", "settings", "main"}), "tests": frozenset({"support"})})
    assert out == ('"""Served by uvicorn clerk_auth.main:app; see clerk_auth/auth.py."""\nimport clerk_auth.auth\n'
                   "from clerk_auth.settings import Settings  # clerk_auth.settings reads the env\n"
                   "from clerk_auth.tests.support import token\n"
                   "app = make()\napp.state.settings = Settings()\n"
                   'monkeypatch.setattr("clerk_auth.auth.TIMEOUT", 1)\nfrom apple import pie\n')


def test_the_wiring_goes_after_the_app_and_the_imports():
    source = '"""Doc."""\n\nfrom fastapi import FastAPI\n\napp = FastAPI(\n    title="x",\n)\napp.include_router(r)\n'
    new = wiring(source, AppObject("main.py", "app", 5, 7), "clerk_auth.install")
    assert new == ('"""Doc."""\n\nfrom fastapi import FastAPI\nfrom clerk_auth.install import install_clerk\n\n'
                   'app = FastAPI(\n    title="x",\n)\n# Clerk: checks CLERK_* settings at startup; 401/403 as JSON.\n'
                   "install_clerk(app)\napp.include_router(r)\n")


# ------------------------------------------------------------------ TypeScript -> JavaScript


def test_types_are_stripped_and_nothing_else():
    source = (b"import type { NextRequest } from 'next/server'\nimport { x } from './x'\n"
              b"type R = { ok: boolean }\ninterface I { a: string }\n"
              b"export const MANAGE = { role: 'org:admin' } as const\n"
              b"export async function POST(req: NextRequest, opt?: number): Promise<R> {\n"
              b"  const v = useState<string | null>(null)\n  return (await req.json()) as R\n}\n")
    out = strip_types("app/route.ts", source).decode()
    assert out == ("import { x } from './x'\n"
                   "export const MANAGE = { role: 'org:admin' }\n"
                   "export async function POST(req, opt) {\n"
                   "  const v = useState(null)\n  return (await req.json())\n}\n")


@pytest.mark.parametrize("source", [b"enum Color { Red }\n", b"class A { constructor(private x: number) {} }\n",
                                    b"import { type A, b } from './x'\n"])
def test_typescript_with_a_runtime_meaning_is_not_stripped(source):
    with pytest.raises(NotStrippable):
        strip_types("lib/x.ts", source)


def test_the_starters_alias_becomes_a_relative_import():
    source = b"import { MANAGE } from '@/lib/authz'\nimport x from 'next/link'\n"
    out = rewrite_alias_imports("src/app/admin/page.tsx", source, "src")
    assert out == b"import { MANAGE } from '../../lib/authz'\nimport x from 'next/link'\n"


# ------------------------------------------------------------------ what becomes of each starter file


@pytest.mark.parametrize("next_version", [15, 16])
def test_every_file_the_nextjs_starter_makes_has_a_place_in_adoption(next_version):
    """A template added to templates/nextjs must be placed in advisor/adopt/nextjs.py POLICY:
    adopt would otherwise refuse to run."""
    from helpers_adopt import architecture

    from advisor.adopt.nextjs import policy_of
    from tests.architectures import render_stack
    from tests.generate.helpers_nextjs import FULL_DECISIONS, REQ_NEXT16_FULL

    req = REQ_NEXT16_FULL.replace("nextjs_version: 16", f"nextjs_version: {next_version}")
    rendered = render_stack("nextjs", architecture(FULL_DECISIONS, req))
    placed = {path: policy_of(path) for path in rendered}
    assert placed["app/layout.tsx"] == "edit" and placed["app/page.tsx"] == "skip"


def test_every_file_the_fastapi_starter_makes_has_a_place_in_adoption():
    from advisor.adopt.fastapi import policy_of
    from advisor.requirements import validate_document
    from tests.architectures import fixed_architecture, render_stack
    from tests.generate.helpers_fastapi import FULL_DECISIONS, FULL_REQUIREMENTS

    rendered = render_stack("fastapi", fixed_architecture(validate_document(FULL_REQUIREMENTS), FULL_DECISIONS))
    assert {policy_of(path) for path in rendered} == {"package", "deps", "edit", "new", "skip"}
