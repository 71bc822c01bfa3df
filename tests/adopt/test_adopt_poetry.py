"""`generate --stack fastapi --adopt` on a Poetry project: the dependencies go into its
Poetry tables, edited as text (every other byte stays), through the real CLI."""

from __future__ import annotations

import tomllib

from helpers_adopt import REQ_B2B, REQ_B2C, copy_fixture, run_adopt, tree_of, versions

from advisor.adopt.model import Edited, Refused
from advisor.adopt.pydeps import poetry_edit

FIXTURE = "fastapi-poetry"
RUNTIME_HEAD = 'uvicorn = { version = "^0.54.0", extras = [\'standard\'] }\n'
DEV_HEAD = 'httpx = "^0.28.1"\n'


def pinned(*names: str) -> str:
    v = versions("fastapi")
    return "".join(f'{name} = "=={v[name]}"\n' for name in names)


# What the B2C starter adds: fastapi and uvicorn are declared already; httpx is only in the
# dev group, and the Clerk package needs it at runtime.
RUNTIME_ADDED = ("clerk-backend-api", "pyjwt", "cryptography", "httpx")


def adopt(cli, tmp_path, *extra):
    return run_adopt(cli, tmp_path, "fastapi", FIXTURE, REQ_B2C, *extra)


def fixture_with(tmp_path, old: str, new: str):
    app = copy_fixture(FIXTURE, tmp_path / "api")
    path = app / "pyproject.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    return app, path.read_bytes()


def test_the_dry_run_shows_the_poetry_edit_and_writes_nothing(cli, tmp_path):
    app = copy_fixture(FIXTURE, tmp_path / "api")
    before = tree_of(app)
    _, result = adopt(cli, tmp_path, "--dry-run")
    assert result.code == 0, result.err
    assert tree_of(app) == before and not (app / ".clerk-advisor").exists()
    v = versions("fastapi")
    assert (" fastapi = \"0.165.0\"\n " + RUNTIME_HEAD + f'+clerk-backend-api = "=={v["clerk-backend-api"]}"\n'
            ) in result.out
    assert f' {DEV_HEAD}+httpx2 = "=={v["httpx2"]}"\n' in result.out
    assert ("  pyproject.toml (adds clerk-backend-api, pyjwt, cryptography, httpx to [tool.poetry.dependencies]; "
            "httpx2 to [tool.poetry.group.dev.dependencies])") in result.err


def test_the_dependencies_go_into_the_poetry_tables_and_nothing_else_changes(cli, tmp_path):
    app = copy_fixture(FIXTURE, tmp_path / "api")
    before = (app / "pyproject.toml").read_text()
    _, result = adopt(cli, tmp_path)
    assert result.code == 0, result.err
    expected = before.replace(RUNTIME_HEAD, RUNTIME_HEAD + pinned(*RUNTIME_ADDED)) \
        .replace(DEV_HEAD, DEV_HEAD + pinned("httpx2"))
    assert (app / "pyproject.toml").read_text() == expected
    data = tomllib.loads(expected)["tool"]["poetry"]
    assert data["dependencies"]["uvicorn"] == {"version": "^0.54.0", "extras": ["standard"]}
    assert data["group"]["dev"]["dependencies"]["pytest"] == "^9.2"
    # A Poetry project gets no requirement files of the starter's.
    assert not (app / "requirements.txt").exists() and not (app / "requirements-dev.txt").exists()
    assert "install the dependencies (poetry install)" in result.err
    # The same adoption again changes nothing.
    _, again = adopt(cli, tmp_path)
    assert again.code == 0 and (app / "pyproject.toml").read_text() == expected


def test_a_new_requirement_adds_its_dependency_after_the_persons_own_edits(cli, tmp_path):
    app, first = adopt(cli, tmp_path)
    assert first.code == 0, first.err
    path = app / "pyproject.toml"
    mine = path.read_text().replace('[tool.pytest.ini_options]\n', '[tool.pytest.ini_options]\naddopts = "-q"\n')
    path.write_text(mine)
    _, update = run_adopt(cli, tmp_path, "fastapi", FIXTURE, REQ_B2B, "--update")
    assert update.code == 0, update.err
    added = pinned(*RUNTIME_ADDED)
    assert path.read_text() == mine.replace(added, added + pinned("standardwebhooks"))


def test_the_legacy_dev_dependencies_table_gets_the_test_runner(cli, tmp_path):
    app, old = fixture_with(tmp_path, "[tool.poetry.group.dev.dependencies]", "[tool.poetry.dev-dependencies]")
    _, result = adopt(cli, tmp_path)
    assert result.code == 0, result.err
    new = (app / "pyproject.toml").read_text()
    assert new == old.decode().replace(RUNTIME_HEAD, RUNTIME_HEAD + pinned(*RUNTIME_ADDED)) \
        .replace(DEV_HEAD, DEV_HEAD + pinned("httpx2"))
    assert "group" not in tomllib.loads(new)["tool"]["poetry"]
    assert "httpx2 to [tool.poetry.dev-dependencies]" in result.err


def test_a_project_without_a_dev_group_gets_one_at_the_end(cli, tmp_path):
    dev_group = '[tool.poetry.group.dev.dependencies]\npytest = "^9.2"\nhttpx = "^0.28.1"\n\n'
    app, old = fixture_with(tmp_path, dev_group, "")
    _, result = adopt(cli, tmp_path)
    assert result.code == 0, result.err
    assert (app / "pyproject.toml").read_text() == \
        old.decode().replace(RUNTIME_HEAD, RUNTIME_HEAD + pinned(*RUNTIME_ADDED)) + \
        "\n[tool.poetry.group.dev.dependencies]\n" + pinned("pytest", "httpx2")


def test_present_dependencies_in_any_spelling_stay_and_a_conflicting_constraint_is_said(cli, tmp_path):
    v = versions("fastapi")
    app, old = fixture_with(tmp_path, 'fastapi = "0.165.0"\n',
                            'fastapi = "0.165.0"\nClerk_Backend_API = "^6.0"\nPyJWT = "*"\n'
                            'cryptography = { version = ">=44" }\nHTTPX = "^0.28"\n')
    text = old.decode().replace(DEV_HEAD, DEV_HEAD + 'httpx2 = "^2"\n')
    (app / "pyproject.toml").write_text(text)
    _, result = adopt(cli, tmp_path)
    assert result.code == 0, result.err
    assert (app / "pyproject.toml").read_text() == text
    assert "already in place: " in result.err
    assert "  pyproject.toml (names every package the setup needs already)" in result.err
    line = text.splitlines().index('Clerk_Backend_API = "^6.0"') + 1
    assert (f"  pyproject.toml:{line}: clerk-backend-api is constrained to ^6.0; the Clerk package was verified "
            f"with {v['clerk-backend-api']}; adopt did not change the pin") in result.err


def test_a_conflicting_constraint_is_kept_while_the_rest_is_added(cli, tmp_path):
    app, old = fixture_with(tmp_path, 'fastapi = "0.165.0"\n', 'fastapi = "0.165.0"\nclerk-backend-api = "6.1.0"\n')
    _, result = adopt(cli, tmp_path)
    assert result.code == 0, result.err
    new = (app / "pyproject.toml").read_text()
    assert new == old.decode().replace(RUNTIME_HEAD, RUNTIME_HEAD + pinned("pyjwt", "cryptography", "httpx")) \
        .replace(DEV_HEAD, DEV_HEAD + pinned("httpx2"))
    assert "clerk-backend-api is pinned to 6.1.0; the Clerk package was verified with" in result.err


def test_a_crlf_pyproject_keeps_crlf(cli, tmp_path):
    app = copy_fixture(FIXTURE, tmp_path / "api")
    path = app / "pyproject.toml"
    old = path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(old)
    _, result = adopt(cli, tmp_path)
    assert result.code == 0, result.err
    new = path.read_bytes()
    assert b"\n" not in new.replace(b"\r\n", b"")
    crlf = {k: v.replace("\n", "\r\n") for k, v in
            {"runtime": RUNTIME_HEAD, "added": pinned(*RUNTIME_ADDED), "dev": DEV_HEAD, "x2": pinned("httpx2")}.items()}
    expected = old.decode().replace(crlf["runtime"], crlf["runtime"] + crlf["added"]) \
        .replace(crlf["dev"], crlf["dev"] + crlf["x2"])
    assert new == expected.encode()


def test_a_malformed_pyproject_is_one_located_message_and_nothing_is_written(cli, tmp_path):
    app, _ = fixture_with(tmp_path, "[tool.poetry.group.dev.dependencies]", "[tool.poetry.group.dev.dependencies")
    before = tree_of(app)
    _, result = adopt(cli, tmp_path)
    assert result.code == 2
    line = (app / "pyproject.toml").read_text().splitlines().index("[tool.poetry.group.dev.dependencies") + 1
    assert f"pyproject.toml:{line}:" in result.err and "pyproject.toml does not parse" in result.err
    assert "adopt did not touch it" in result.err and "Traceback" not in result.err
    assert tree_of(app) == before and not (app / ".clerk-advisor").exists()


def test_extras_and_markers_become_an_inline_table():
    text = '[tool.poetry.dependencies]\npython = "^3.11"\n'
    result = poetry_edit(['Clerk.Backend-API[async]==7.0.0; python_version >= "3.11"', "plain"], [])(text.encode())
    assert isinstance(result, Edited)
    assert result.content.decode() == text + (
        '"Clerk.Backend-API" = { version = "==7.0.0", extras = ["async"], markers = "python_version >= \\"3.11\\"" }\n'
        'plain = "*"\n')


def test_a_dev_group_the_edit_cannot_place_is_refused_with_what_to_add():
    text = '[tool.poetry.dependencies]\npython = "^3.11"\n\n[tool.poetry.group]\ndev = { dependencies = { a = "*" } }\n'
    result = poetry_edit([], ["pytest==9.2.0"])(text.encode())
    assert isinstance(result, Refused) and "could not be edited safely" in result.reason
    assert result.advice == 'add to [tool.poetry.group.dev.dependencies]: pytest = "==9.2.0"'
