"""Adopted fixture apps, for real: the Next.js apps install their packages from npm and
type-check with their own tsconfig; the FastAPI project's own tests and the Clerk
package's tests run in a fresh virtualenv with the project's adopted requirements.

The installers are the generate tests' own (a cached node_modules per dependency set, a
cached venv per requirement set, under $CLERK_ADVISOR_TEST_CACHE)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from helpers_adopt import REQ_B2B, TS_APPS, adopted, copy_fixture, full_architecture, package_json, tree_of

from tests.generate.helpers_nextjs import link_node_modules, removed_api_uses, secrets_in, tsc

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "generate"))
from test_fastapi_slow import cached_venv, run  # noqa: E402 - the generate tests' venv installer

pytestmark = pytest.mark.slow


def assert_type_checks(app: Path) -> None:
    modules = link_node_modules(app)
    installed = json.loads((modules / "@clerk/nextjs/package.json").read_text(encoding="utf-8"))
    assert installed["version"] == package_json(app)["dependencies"]["@clerk/nextjs"]
    result = tsc(app)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("fixture", TS_APPS)
def test_an_adopted_app_installs_and_type_checks(cli, tmp_path, fixture):
    app, _, _ = adopted(cli, tmp_path, "nextjs", fixture, REQ_B2B)
    assert_type_checks(app)
    files = {rel: data.decode() for rel, data in tree_of(app).items() if rel.endswith((".ts", ".tsx"))}
    assert removed_api_uses(files) == [] and secrets_in(files) == []


def test_every_adoptable_file_type_checks_in_a_src_app(tmp_path):
    """Every feature of the starter on (waitlist, passkeys, MFA and organization tasks, the
    idle sign-out, API keys, M2M, webhooks), adopted into the src/ layout."""
    from advisor.adopt import plan_adoption
    from advisor.generate.writer import apply

    app = copy_fixture("next16-src", tmp_path / "web")
    adoption = plan_adoption(full_architecture(), "nextjs", app)
    apply(adoption.plan)
    for rel in ("src/app/waitlist/page.tsx", "src/app/account/passkeys/passkey-manager.tsx",
                "src/app/session-tasks/setup-mfa/page.tsx", "src/app/api-keys/page.tsx", "src/types/clerk.d.ts"):
        assert (app / rel).is_file(), rel
    assert_type_checks(app)


def test_the_suggested_middleware_type_checks(tmp_path):
    from advisor.adopt import plan_adoption
    from advisor.generate.writer import apply

    app = copy_fixture("next15-middleware", tmp_path / "web")
    adoption = plan_adoption(full_architecture(), "nextjs", app)
    apply(adoption.plan)
    [refusal] = adoption.refusals
    assert refusal.suggestion is not None
    (app / "middleware.ts").write_bytes(refusal.suggestion)
    assert_type_checks(app)


@pytest.fixture(scope="module")
def fastapi_app(tmp_path_factory) -> tuple[Path, Path]:
    """The FastAPI fixture, adopted through the CLI, and a venv with its adopted requirements."""
    from advisor.cli import main

    root = tmp_path_factory.mktemp("fastapi-adopt")
    app = copy_fixture("fastapi-routers", root / "api")
    (root / "clerk-requirements.yaml").write_text(REQ_B2B, encoding="utf-8")
    assert main(["generate", str(root / "clerk-requirements.yaml"), "--stack", "fastapi", "--out", str(app),
                 "--adopt", "--quiet"]) == 0
    requirements = {name: (app / name).read_text(encoding="utf-8")
                    for name in ("requirements.txt", "requirements-dev.txt")}
    return app, cached_venv(requirements) / "bin" / "python"


def pytest_in(python: Path, app: Path, *args: str, **env: str):
    return run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], app, **env)


def test_the_projects_own_tests_still_pass(fastapi_app):
    app, python = fastapi_app
    result = pytest_in(python, app, "tests")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "4 passed" in result.stdout


def test_the_clerk_packages_own_tests_pass(fastapi_app):
    app, python = fastapi_app
    result = pytest_in(python, app, "clerk_auth/tests", "-W", "error::DeprecationWarning")
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-4000:]
    assert " passed" in result.stdout and "failed" not in result.stdout


def test_the_wired_app_starts_with_clerks_settings_and_its_tests_pass(fastapi_app, tmp_path):
    """The patch adopt shows for app/main.py, applied: the app needs Clerk's settings to start,
    its own routes stay as they were, and a route that asks for a user gets a 401."""
    import shutil

    from advisor.adopt import plan_adoption

    source, python = fastapi_app
    app = tmp_path / "wired"
    shutil.copytree(source, app, ignore=shutil.ignore_patterns("__pycache__", ".clerk-advisor"))
    [wire] = [r for r in plan_adoption(full_architecture(), "fastapi", source).refusals if r.kind == "wire"]
    assert wire.suggestion is not None
    (app / "app/main.py").write_bytes(wire.suggestion)
    without = pytest_in(python, app, "tests")
    assert without.returncode != 0 and "ConfigError" in without.stdout + without.stderr

    (app / "tests/test_clerk_wired.py").write_text(
        "from fastapi.testclient import TestClient\n\nfrom app.main import app\n\n\n"
        "def test_a_route_that_asks_for_a_user_is_401_without_one():\n"
        "    from clerk_auth.auth import CurrentPrincipal\n\n"
        "    @app.get('/mine')\n    async def mine(principal: CurrentPrincipal) -> dict:\n"
        "        return {'user': principal.user_id}\n\n"
        "    assert TestClient(app).get('/mine').status_code == 401\n", encoding="utf-8")
    made = run([str(python), "-c", "from cryptography.hazmat.primitives import serialization as s\n"
                "from cryptography.hazmat.primitives.asymmetric import rsa\n"
                "key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()\n"
                "print(key.public_bytes(s.Encoding.PEM, s.PublicFormat.SubjectPublicKeyInfo).decode())"], app)
    pem = made.stdout.strip()
    wired = pytest_in(python, app, "tests", CLERK_JWT_KEY=pem, CLERK_AUTHORIZED_PARTIES="http://localhost:3000")
    assert wired.returncode == 0, wired.stdout[-4000:] + wired.stderr[-2000:]
    assert "5 passed" in wired.stdout
