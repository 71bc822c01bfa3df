"""`generate --stack fastapi --adopt` on a FastAPI project with routers and its own tests,
through the real CLI."""

from __future__ import annotations

import ast
import json

import pytest
from helpers_adopt import REQ_B2B, REQ_B2C, adopted, changed, copy_fixture, run_adopt, versions

from tests.conftest import write


def adopt(cli, tmp_path, req=REQ_B2B, *extra):
    return run_adopt(cli, tmp_path, "fastapi", "fastapi-routers", req, *extra)


def test_the_clerk_package_goes_beside_the_app_and_nothing_is_lost(cli, tmp_path):
    app, before, result = adopted(cli, tmp_path, "fastapi", "fastapi-routers", REQ_B2B)
    assert changed(before, app) == {"requirements.txt", "requirements-dev.txt", "pyproject.toml", ".gitignore"}
    assert "adopting into api: FastAPI, app in app/main.py; Clerk goes into the package clerk_auth/" in result.err
    for rel in ("clerk_auth/__init__.py", "clerk_auth/settings.py", "clerk_auth/auth.py", "clerk_auth/main.py",
                "clerk_auth/webhooks.py", "clerk_auth/install.py", "clerk_auth/tests/conftest.py",
                "clerk_auth/tests/test_session.py", "clerk_auth/tests/test_install.py", ".env.example",
                "clerk-config.json", "CLERK_SETUP.md"):
        assert (app / rel).is_file(), rel
    for path in app.joinpath("clerk_auth").rglob("*.py"):
        tree = ast.parse(path.read_text())
        modules = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not [m for m in modules if m and m.split(".")[0] in ("app", "tests")], path
    assert not (app / "app/auth.py").exists() and not (app / "README.md").read_text().count("Clerk")


def test_dependencies_are_added_pinned_and_the_projects_pins_stay(cli, tmp_path):
    app, result = adopt(cli, tmp_path)
    assert result.code == 0
    pinned = versions("fastapi")
    requirements = (app / "requirements.txt").read_text()
    assert requirements.startswith("fastapi==0.165.0\nuvicorn==0.54.0\n")
    assert f"clerk-backend-api=={pinned['clerk-backend-api']}\n" in requirements
    assert f"standardwebhooks=={pinned['standardwebhooks']}\n" in requirements  # webhooks are on
    assert requirements.count("fastapi") == 1
    dev = (app / "requirements-dev.txt").read_text()
    assert f"httpx2=={pinned['httpx2']}\n" in dev and dev.count("pytest") == 1
    import tomllib

    deps = tomllib.loads((app / "pyproject.toml").read_text())["project"]["dependencies"]
    assert deps[-2:] == ["fastapi==0.165.0", "uvicorn==0.54.0"]
    assert f"clerk-backend-api=={pinned['clerk-backend-api']}" in deps


def test_the_wiring_is_shown_as_a_patch_and_never_applied(cli, tmp_path):
    app = copy_fixture("fastapi-routers", tmp_path / "api")
    main = (app / "app/main.py").read_bytes()
    _, result = adopt(cli, tmp_path)
    assert (app / "app/main.py").read_bytes() == main
    assert "to wire by hand: app/main.py: not edited: wiring Clerk into `app` makes the app need CLERK_* " \
           "settings to start" in result.err
    assert "    +from clerk_auth.install import install_clerk\n" in result.err
    assert '     app = FastAPI(title="Inventory")\n    +# Clerk: checks CLERK_* settings at startup; 401/403 as ' \
           "JSON.\n    +install_clerk(app)\n" in result.err
    assert "app/routers/items.py:15: GET /items/ (list_items) takes no Clerk dependency" in result.err
    assert "fix: add `principal: CurrentPrincipal` (from clerk_auth.auth)" in result.err
    summary = json.loads(adopt(cli, tmp_path, REQ_B2B, "--format", "json")[1].out)
    [wire] = summary["adopt"]["wire_by_hand"]
    assert wire["path"] == "app/main.py" and "+install_clerk(app)\n" in wire["patch"]


def test_routes_that_ask_for_clerk_are_not_listed(cli, tmp_path):
    app = copy_fixture("fastapi-routers", tmp_path / "api")
    items = app / "app/routers/items.py"
    items.write_text(items.read_text().replace(
        'router = APIRouter(prefix="/items", tags=["items"])',
        'router = APIRouter(prefix="/items", tags=["items"], dependencies=[Depends(get_principal)])'))
    _, result = adopt(cli, tmp_path)
    assert "GET /items/" not in result.err and "GET /users/ (list_users)" in result.err


def test_a_second_adoption_changes_nothing_and_a_new_requirement_updates(cli, tmp_path):
    app, first = adopt(cli, tmp_path, REQ_B2C)
    assert first.code == 0
    assert not (app / "clerk_auth/webhooks.py").exists()
    state = {p: p.read_bytes() for p in app.rglob("*") if p.is_file()}
    _, second = adopt(cli, tmp_path, REQ_B2C)
    assert second.code == 0 and {p: p.read_bytes() for p in app.rglob("*") if p.is_file()} == state
    requirements = app / "requirements.txt"
    requirements.write_text(requirements.read_text() + "sqlalchemy==2.0.0\n")
    _, third = adopt(cli, tmp_path, REQ_B2B, "--update")
    assert third.code == 0, third.err
    assert (app / "clerk_auth/webhooks.py").is_file()
    text = requirements.read_text()
    assert "sqlalchemy==2.0.0\n" in text and "standardwebhooks==" in text


def test_a_taken_package_name_moves_the_setup_to_the_next(cli, tmp_path):
    app = copy_fixture("fastapi-routers", tmp_path / "api")
    write(app / "clerk_auth/__init__.py", "# our own\n")
    _, result = adopt(cli, tmp_path)
    assert result.code == 0
    assert (app / "clerk_auth/__init__.py").read_text() == "# our own\n"
    assert (app / "clerk_advisor_auth/auth.py").is_file()
    assert "from clerk_advisor_auth.settings import Settings" in (app / "clerk_advisor_auth/auth.py").read_text()
    # Later runs keep the name the first one chose.
    assert adopt(cli, tmp_path)[1].code == 0 and not (app / "clerk_auth/auth.py").exists()


def test_the_adopted_project_passes_check(cli, tmp_path):
    adopt(cli, tmp_path)
    result = cli("check", "api", "--fail-on", "low")
    assert result.code == 0, result.out


@pytest.mark.parametrize(("files", "message"), [
    ({"README.md": "x"}, "not a FastAPI project"),
    ({"main.py": "from flask import Flask\napp = Flask(__name__)\n", "requirements.txt": "flask\n"},
     "not a FastAPI project"),
])
def test_projects_adopt_cannot_serve_are_refused(cli, tmp_path, files, message):
    for rel, text in files.items():
        write(tmp_path / "api" / rel, text)
    _, result = adopt(cli, tmp_path)
    assert result.code == 2 and message in result.err
    assert not (tmp_path / "api/.clerk-advisor").exists()


def test_a_project_adopted_for_nextjs_is_not_adopted_for_fastapi_too(cli, tmp_path):
    copy_fixture("next16-app", tmp_path / "api")
    write(tmp_path / "api/main.py", "from fastapi import FastAPI\napp = FastAPI()\n")
    write(tmp_path / "clerk-requirements.yaml", REQ_B2B)
    assert cli("generate", "--stack", "nextjs", "--out", "api", "--adopt").code == 0
    result = cli("generate", "--stack", "fastapi", "--out", "api", "--adopt")
    assert result.code == 2 and "this app was adopted for nextjs; refusing to adopt fastapi into it too" in result.err


def test_a_flat_project_without_a_package_gets_the_same(cli, tmp_path):
    app = tmp_path / "api"
    write(app / "main.py", "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/')\ndef root():\n"
          "    return {}\n")
    write(app / "requirements.txt", "fastapi\n")
    _, result = adopt(cli, tmp_path)
    assert result.code == 0, result.err
    assert (app / "clerk_auth/auth.py").is_file()
    assert "to wire by hand: main.py" in result.err and "+install_clerk(app)" in result.err
    assert (app / "requirements-dev.txt").is_file()  # the project had none: the starter's
