"""The fastapi stack, fast checks: every feature combination renders valid Python, the pins
are exact and consistent, secrets never reach generated files, and the real CLI writes the
contract files (app object `app` in app/main.py, GET /api/me)."""

from __future__ import annotations

import ast
import itertools
import json
import re
import tomllib
from pathlib import Path

import pytest
from helpers_fastapi import FULL_DECISIONS, FULL_REQUIREMENTS, render_with, variant_decisions

from advisor.generate.render import default_templates_dir
from advisor.requirements import Requirements, validate_document

VERSIONS = json.loads((default_templates_dir() / "fastapi" / "versions.json").read_text(encoding="utf-8"))
FULL_REQ = validate_document(FULL_REQUIREMENTS)


COMBINATIONS = list(itertools.product([True, False], repeat=5))


@pytest.mark.parametrize("combo", COMBINATIONS, ids=lambda c: "".join("1" if x else "0" for x in c))
def test_every_feature_combination_is_valid_python(combo) -> None:
    files = render_with(FULL_REQ, variant_decisions(*combo))
    for path, text in files.items():
        if path.endswith(".py"):
            compile(text, path, "exec")
    tree = ast.parse(files["app/main.py"])
    # `app` is assigned at module level (inside the try that turns a ConfigError into one line).
    top = [n for node in tree.body for n in ([*node.body] if isinstance(node, ast.Try) else [node])]
    assigned = {t.id for node in top if isinstance(node, ast.Assign) for t in node.targets
                if isinstance(t, ast.Name)}
    assert "app" in assigned
    orgs, permissions, m2m, webhooks, reverification = combo
    assert ("app/webhooks.py" in files) is webhooks
    assert ("tests/test_m2m.py" in files) is m2m
    assert ('"/org/manage"' in files["app/main.py"]) is permissions
    assert ("require_reverification(REVERIFICATION)" in files["app/main.py"]) is (permissions and reverification)


def test_no_decisions_at_all_still_renders() -> None:
    files = render_with(Requirements(), {})
    for path, text in files.items():
        if path.endswith(".py"):
            compile(text, path, "exec")
    assert '@router.get("/me")' in files["app/main.py"]


def test_versions_are_exact_pins() -> None:
    assert VERSIONS["clerk-backend-api"] == "7.0.0"
    for name, version in VERSIONS.items():
        if name != "python":
            assert re.fullmatch(r"\d+(\.\d+)+", version), (name, version)


def test_the_three_dependency_lists_agree() -> None:
    files = render_with(FULL_REQ, FULL_DECISIONS)
    runtime = [line for line in files["requirements.txt"].splitlines() if line and not line.startswith("#")]
    dev = [line for line in files["requirements-dev.txt"].splitlines()
           if line and not line.startswith(("#", "-r"))]
    pyproject = tomllib.loads(files["pyproject.toml"])
    assert pyproject["project"]["dependencies"] == runtime
    assert pyproject["dependency-groups"]["dev"] == dev
    assert pyproject["project"]["requires-python"] == VERSIONS["python"]
    pinned = {line.split("==")[0]: line.split("==")[1] for line in runtime + dev}
    assert pinned == {name: version for name, version in VERSIONS.items() if name != "python"}


def test_the_env_example_has_names_only() -> None:
    files = render_with(FULL_REQ, FULL_DECISIONS)
    entries = dict(line.split("=", 1) for line in files[".env.example"].splitlines()
                   if line and not line.startswith("#"))
    assert set(entries) == {"CLERK_SECRET_KEY", "CLERK_JWT_KEY", "CLERK_AUTHORIZED_PARTIES",
                            "CLERK_MACHINE_SECRET_KEY", "CLERK_WEBHOOK_SIGNING_SECRET"}
    assert {name for name, value in entries.items() if value} == {"CLERK_AUTHORIZED_PARTIES"}
    assert ".env" in files[".gitignore"].splitlines()


def test_no_generated_file_carries_a_key() -> None:
    for path, text in render_with(FULL_REQ, FULL_DECISIONS).items():
        assert not re.search(r"\b(sk|pk)_(test|live)_[A-Za-z0-9]{30,}", text), path
        assert "BEGIN PRIVATE KEY" not in text and "BEGIN RSA PRIVATE KEY" not in text, path


def test_the_auth_dependency_is_configured_safely() -> None:
    """The security properties the brief fixes, read off the generated source."""
    files = render_with(FULL_REQ, FULL_DECISIONS)
    auth = files["app/auth.py"]
    assert "authenticate_request_async" in auth
    assert 'SESSION_TOKEN = "session_token"' in auth and "accepts_token=[SESSION_TOKEN]" in auth
    assert "authorized_parties=list(settings.authorized_parties)" in auth
    assert 'status == "pending"' in auth and 'startswith("mch_")' in auth
    machine = auth[auth.index("def machine_options"):auth.index("async def get_machine")]
    assert "machine_secret_key=settings.machine_secret_key" in machine and "secret_key=settings.secret_key" not in machine
    webhooks = files["app/webhooks.py"]
    assert webhooks.index("verify_delivery(secret, body") < webhooks.index("json.loads(body)")


def test_the_cli_writes_the_contract_files(cli, tmp_path: Path) -> None:
    requirements = tmp_path / "clerk-requirements.yaml"
    requirements.write_text(
        "schema: 1\n"
        "project: {name: acme-api}\n"
        "platforms: {web: nextjs, backends: [fastapi]}\n"
        "audience: b2b\n"
        "tenancy: {organizations: required, custom_roles: [billing, viewer]}\n"
        "integrations: {m2m: true, webhooks: [user.created, user.deleted, organizationMembership.created]}\n",
        encoding="utf-8",
    )
    out = tmp_path / "api"
    result = cli("generate", requirements, "--stack", "fastapi", "--out", out, "--quiet")
    assert result.code == 0, result.err
    for name in ("app/main.py", "app/auth.py", "app/settings.py", "tests/conftest.py", "pyproject.toml",
                 "requirements.txt", ".env.example", ".gitignore", "README.md", "CLERK_SETUP.md", "clerk-config.json"):
        assert (out / name).is_file(), name
    for path in out.rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    json.loads((out / "clerk-config.json").read_text(encoding="utf-8"))
    assert "CLERK_SETUP.md" in (out / "README.md").read_text(encoding="utf-8")
