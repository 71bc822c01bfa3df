"""The nextjs stack: what `clerk-advisor generate --stack nextjs` writes, checked without npm.

One snapshot pins the app's files for hand-built decisions (no rule pack), so it changes
only when the templates do; the files every stack shares (clerk-config.json,
CLERK_SETUP.md) are checked by their own tests, not snapshotted. The structural tests
below hold for every profile, including those generated through the CLI with the shipped
pack. The real type check is in test_nextjs_typecheck.py.
"""

from __future__ import annotations

import json
import re
import typing

import pytest

from advisor.generate.render import default_templates_dir
from advisor.requirements import Requirements
from advisor.requirements.model import WebhookEvent
from tests.generate.helpers_nextjs import (
    FULL_DECISIONS,
    PROFILES,
    REQ_NEXT15_B2C,
    REQ_NEXT15_FULL,
    REQ_NEXT16_FULL,
    code_files,
    fixed_snapshot,
    is_next15,
    profile_files,
    removed_api_uses,
    render_snapshot,
    requirements,
    secrets_in,
    strip_comments,
    webhook_problems,
)

VERSIONS = json.loads((default_templates_dir() / "nextjs" / "versions.json").read_text(encoding="utf-8"))

_cache: dict[str, dict[str, str]] = {}


def files_of(name: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if name not in _cache:
        _cache[name] = profile_files(name, tmp_path_factory.mktemp(name))
    return _cache[name]


@pytest.fixture(params=sorted(PROFILES))
def profile(request, tmp_path_factory) -> tuple[str, dict[str, str]]:
    return request.param, files_of(request.param, tmp_path_factory)


# ------------------------------------------------------------------ snapshots


COMMON = ("clerk-config.json", "CLERK_SETUP.md")


def test_app_files_snapshot(tmp_path_factory, snapshot):
    files = files_of("fixed-next16-full", tmp_path_factory)
    assert set(COMMON) <= set(files)
    assert {name: text for name, text in files.items() if name not in COMMON} == snapshot


def test_rendering_is_deterministic():
    req = requirements(REQ_NEXT16_FULL)
    first = render_snapshot(fixed_snapshot(req, FULL_DECISIONS), req)
    second = render_snapshot(fixed_snapshot(req, FULL_DECISIONS), req)
    assert first == second
    assert list(first) == list(second)


# ------------------------------------------------------------------ every profile


def test_no_removed_core3_apis(profile):
    _, files = profile
    assert removed_api_uses(files) == []


def test_no_secrets_in_any_file(profile):
    _, files = profile
    assert secrets_in(files) == []


def test_proxy_on_next16_middleware_on_next15_never_both(profile):
    name, files = profile
    next16 = not is_next15(name)
    assert ("proxy.ts" in files) is next16
    assert ("middleware.ts" in files) is not next16
    middleware = files["proxy.ts" if next16 else "middleware.ts"]
    assert "export default clerkMiddleware(" in middleware
    assert "'/__clerk/(.*)'" in middleware and "'/(api|trpc)(.*)'" in middleware
    code = strip_comments(middleware)
    assert "auth.protect" not in code and "createRouteMatcher" not in code and "auth(" not in code


def test_package_json_pins_exact_versions(profile):
    name, files = profile
    pkg = json.loads(files["package.json"])
    deps = {**pkg["dependencies"], **pkg["devDependencies"]}
    for package, version in deps.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{package} is not pinned exactly: {version}"
    assert deps["next"] == (VERSIONS["next@15"] if is_next15(name) else VERSIONS["next"])
    assert deps["next"].startswith("15." if is_next15(name) else "16.")
    for package in ("@clerk/nextjs", "react", "react-dom", "typescript", "@types/react", "@types/node"):
        assert deps[package] == VERSIONS[package]
    assert pkg["scripts"]["typecheck"] == "tsc --noEmit"
    assert pkg["name"] == requirements(PROFILES[name][0]).project.name


def test_tsconfig_is_strict(profile):
    _, files = profile
    assert json.loads(files["tsconfig.json"])["compilerOptions"]["strict"] is True


def test_clerk_provider_sits_inside_body_with_sign_out_url(profile):
    _, files = profile
    layout = files["app/layout.tsx"]
    assert layout.index("<body>") < layout.index("<ClerkProvider") < layout.index("</ClerkProvider>") < layout.index("</body>")
    assert 'afterSignOutUrl="/"' in layout
    assert '<Show when="signed-in">' in layout and '<Show when="signed-out">' in layout


PUBLIC_PAGES = {"app/page.tsx", "app/sign-in/[[...sign-in]]/page.tsx", "app/sign-up/[[...sign-up]]/page.tsx",
                "app/waitlist/page.tsx"}


def test_every_page_and_route_checks_access_itself(profile):
    _, files = profile
    for path, text in files.items():
        if path.endswith("/page.tsx") and path not in PUBLIC_PAGES:
            assert "await auth.protect(" in text or "await auth({ treatPendingAsSignedOut: false })" in text, path
        if path.endswith("/route.ts") and path != "app/api/webhooks/route.ts":
            assert "await auth(" in text, path
            assert "status: 401" in text, f"{path}: an API route answers 401 JSON when unauthenticated"


def test_route_handlers_accept_only_their_token_type(profile):
    _, files = profile
    assert "acceptsToken" not in files["app/api/me/route.ts"]  # the default: session tokens only
    if "app/api/m2m/route.ts" in files:
        assert "await auth({ acceptsToken: 'm2m_token' })" in files["app/api/m2m/route.ts"]
    if "app/api/v1/whoami/route.ts" in files:
        assert "await auth({ acceptsToken: 'api_key' })" in files["app/api/v1/whoami/route.ts"]
    for path, text in code_files(files).items():
        assert "'any'" not in text, path


def test_webhook_route_verifies_first_and_stays_public(profile):
    _, files = profile
    route = files.get("app/api/webhooks/route.ts")
    if route is None:
        assert "CLERK_WEBHOOK_SIGNING_SECRET" not in files[".env.example"]
        return
    assert webhook_problems(route) == []
    assert "from '@clerk/nextjs/webhooks'" in route


def test_client_components_are_marked(profile):
    _, files = profile
    for path, text in code_files(files).items():
        imports_hooks = re.search(r"^import \{[^}]*\buse[A-Z]", text, re.MULTILINE)
        assert bool(imports_hooks) == text.startswith("'use client'"), path


def test_env_example_has_names_only(profile):
    _, files = profile
    env = files[".env.example"]
    assignments = dict(line.split("=", 1) for line in env.splitlines() if line and not line.startswith("#"))
    for key, value in assignments.items():
        if "SECRET" in key:
            assert not key.startswith("NEXT_PUBLIC_"), key
            assert value == "", f"{key} must be empty in .env.example"
    assert assignments["NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY"] == "pk_test_..."
    assert ("CLERK_WEBHOOK_SIGNING_SECRET" in assignments) is ("app/api/webhooks/route.ts" in files)
    assert ("CLERK_MACHINE_SECRET_KEY" in assignments) is ("app/api/m2m/route.ts" in files)
    gitignore = files[".gitignore"].splitlines()
    assert ".env*" in gitignore and "!.env.example" in gitignore


def test_no_template_literals_in_generated_code(profile):
    # User strings only ever reach code as JSON-escaped double-quoted literals, so the
    # templates never need a backtick; the hostile-input test relies on that.
    _, files = profile
    for path, text in code_files(files).items():
        assert "`" not in text and "${" not in text, path


def test_common_files_are_included(profile):
    _, files = profile
    assert json.loads(files["clerk-config.json"])
    assert files["CLERK_SETUP.md"].startswith("# Clerk setup for ")
    assert "CLERK_SETUP.md" in files["README.md"]


# ------------------------------------------------------------------ feature by feature


def test_full_profile_has_every_feature(tmp_path_factory):
    files = files_of("fixed-next16-full", tmp_path_factory)
    for path in ("app/admin/page.tsx", "app/organization/[[...organization-profile]]/page.tsx",
                 "app/create-organization/[[...create-organization]]/page.tsx",
                 "app/session-tasks/choose-organization/page.tsx", "app/account/passkeys/passkey-manager.tsx",
                 "app/api-keys/page.tsx", "app/api/m2m/route.ts", "app/api/webhooks/route.ts",
                 "app/waitlist/page.tsx", "types/clerk.d.ts", "lib/authz.ts"):
        assert path in files, path
    layout = files["app/layout.tsx"]
    assert "<OrganizationSwitcher" in layout and "hidePersonal" in layout
    assert "'choose-organization': '/session-tasks/choose-organization'" in layout
    assert "<TaskChooseOrganization redirectUrlComplete=" in files["app/session-tasks/choose-organization/page.tsx"]
    assert "<Show when={MANAGE}>" in layout


def test_permission_checks_use_the_recommended_custom_permission(tmp_path_factory):
    files = files_of("fixed-next16-full", tmp_path_factory)
    authz = files["lib/authz.ts"]
    assert 'export const MANAGE = { permission: "org:invoices:manage" } as const' in authz
    assert 'export const READ = { permission: "org:invoices:read" } as const' in authz
    assert "await auth.protect(MANAGE)" in files["app/admin/page.tsx"]
    route = files["app/api/sensitive-action/route.ts"]
    assert "if (!orgId || !has(MANAGE))" in route and "status: 403" in route
    # System permissions are never in the session token: not typed, not checked.
    assert "org:sys_" not in strip_comments(files["types/clerk.d.ts"]) and "org:sys_" not in strip_comments(authz)
    assert '| "org:billing"' in files["types/clerk.d.ts"]


@pytest.mark.parametrize("name", ["fixed-next16-orgs-no-permissions", "fixed-next16-orgs-system-permissions-only"])
def test_without_custom_permissions_the_admin_role_is_checked(name, tmp_path_factory):
    files = files_of(name, tmp_path_factory)
    assert "export const MANAGE = { role: 'org:admin' } as const" in files["lib/authz.ts"]
    assert "READ" not in files["app/dashboard/page.tsx"]
    assert "permission: string" in files["types/clerk.d.ts"]
    assert "org:sys_" not in strip_comments(files["lib/authz.ts"])


def test_reverification_guards_the_sensitive_action(tmp_path_factory):
    route = files_of("fixed-next16-full", tmp_path_factory)["app/api/sensitive-action/route.ts"]
    assert 'const REVERIFICATION = "strict_mfa"' in route
    assert route.index("has(MANAGE)") < route.index("has({ reverification: REVERIFICATION })")
    assert "return reverificationErrorResponse(REVERIFICATION)" in route
    component = files_of("fixed-next16-full", tmp_path_factory)["app/components/sensitive-action.tsx"]
    assert "useReverification(" in component and "isReverificationCancelledError" in component
    plain = files_of("fixed-next16-orgs-no-permissions", tmp_path_factory)["app/api/sensitive-action/route.ts"]
    assert "reverification" not in plain.lower()


def test_passkeys_are_created_by_clerk_never_with_a_fixed_challenge(tmp_path_factory):
    manager = files_of("fixed-next16-full", tmp_path_factory)["app/account/passkeys/passkey-manager.tsx"]
    assert "await signedInUser.createPasskey()" in manager
    assert "useUser()" in manager and "catch (err)" in manager
    assert "challenge:" not in manager and "navigator.credentials" not in manager
    assert "app/account/passkeys/page.tsx" not in files_of("fixed-next15-minimal", tmp_path_factory)


def test_webhook_route_has_one_case_per_event(tmp_path_factory):
    route = files_of("fixed-next16-full", tmp_path_factory)["app/api/webhooks/route.ts"]
    cases = re.findall(r'case "([^"]+)":', route)
    assert cases == FULL_DECISIONS["webhooks.events"]


def test_the_webhook_event_list_matches_the_requirements_model():
    """templates/nextjs/_webhook_events.j2 lists the events @clerk/backend types (checked by
    tsc in the slow tests); every event the requirements accept must be in it."""
    text = (default_templates_dir() / "nextjs" / "_webhook_events.j2").read_text(encoding="utf-8")
    listed = re.findall(r'"([A-Za-z]+\.[A-Za-z]+)"', text)
    assert listed == list(typing.get_args(WebhookEvent))


def test_minimal_b2c_has_no_org_or_machine_code(tmp_path_factory):
    files = files_of("fixed-next15-minimal", tmp_path_factory)
    for path in files:
        assert not path.startswith(("app/admin", "app/organization", "app/api/m2m", "app/api/webhooks",
                                    "app/api-keys", "types/", "lib/authz")), path
    assert "OrganizationSwitcher" not in files["app/layout.tsx"]
    assert "taskUrls" not in files["app/layout.tsx"]
    assert "<SensitiveAction />" in files["app/dashboard/page.tsx"]
    assert "orgId" not in files["app/api/sensitive-action/route.ts"]


def test_generate_writes_middleware_on_next15_and_the_manifest(tmp_path):
    from advisor.cli import main

    (tmp_path / "r.yaml").write_text(REQ_NEXT15_B2C, encoding="utf-8")
    assert main(["generate", str(tmp_path / "r.yaml"), "--stack", "nextjs", "--out", str(tmp_path / "w"),
                 "--quiet"]) == 0
    assert (tmp_path / "w" / ".clerk-advisor").is_dir()
    assert (tmp_path / "w" / "middleware.ts").is_file() and not (tmp_path / "w" / "proxy.ts").exists()


def test_requirements_profiles_are_valid():
    for text in (REQ_NEXT16_FULL, REQ_NEXT15_B2C, REQ_NEXT15_FULL):
        assert isinstance(requirements(text), Requirements)
