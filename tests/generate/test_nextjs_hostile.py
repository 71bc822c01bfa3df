"""Hostile strings in every user-controlled slot of the nextjs templates.

The Requirements model refuses such names, but the templates must not depend on it: a
custom rule pack can add roles and permissions, and fields may loosen. Every value has to
reach the code as a JSON-escaped string literal (the `js` filter), markdown as escaped
text, package.json as JSON, and the result must still type-check (the slow test).
"""

from __future__ import annotations

import json

import pytest

from tests.generate.helpers_nextjs import (
    HOSTILE_EVENTS,
    HOSTILE_NAME,
    HOSTILE_PERMISSIONS,
    HOSTILE_ROLES,
    HOSTILE_STRINGS,
    code_files,
    hostile_files,
    link_node_modules,
    outside_literals,
    string_literals,
    tsc,
    write_plan,
)


@pytest.fixture(scope="module", params=[16, 15])
def files(request) -> dict[str, str]:
    return hostile_files(request.param)


def test_hostile_strings_never_leave_a_string_literal(files):
    for path, code in code_files(files).items():
        bare = outside_literals(code)
        for needle in ("pwned", "`", "${", "</script>", "<!--", "*/", "\u2028", "globalThis", "ev\"il"):
            assert needle not in bare, f"{path}: {needle!r} outside a string literal"


def test_no_raw_script_close_or_separator_anywhere_in_code(files):
    for path, code in code_files(files).items():
        assert "</script" not in code.lower(), path
        assert "\u2028" not in code and "\u2029" not in code, path


def test_hostile_values_arrive_intact_as_literals(files):
    literals = {path: set(string_literals(code)) for path, code in code_files(files).items()}
    assert HOSTILE_NAME in literals["lib/site.ts"]
    for role in HOSTILE_ROLES:
        assert role in literals["types/clerk.d.ts"], role
    for permission in HOSTILE_PERMISSIONS:
        assert permission in literals["types/clerk.d.ts"], permission
    assert 'org:in"v:manage' in literals["lib/authz.ts"]
    for event in HOSTILE_EVENTS:
        assert event in literals["app/api/webhooks/route.ts"], event


def test_package_json_stays_json(files):
    assert json.loads(files["package.json"])["name"] == HOSTILE_NAME


def test_markdown_and_env_carry_no_markup(files):
    readme = files["README.md"]
    assert "</script>" not in readme and "<!--" not in readme and "\n// end" not in readme
    assert readme.splitlines()[0].startswith("# acme")
    env = files[".env.example"]
    assert not any(s in env for s in HOSTILE_STRINGS)


def test_each_hostile_event_is_handled_once(files):
    route = files["app/api/webhooks/route.ts"]
    assert route.count('case "user.created":') == 1
    for event in HOSTILE_EVENTS:
        if event != "user.created":
            assert f"if (type === {json.dumps(event, ensure_ascii=True)})".replace("<", "\\u003c").replace(">", "\\u003e") in route


@pytest.mark.slow
@pytest.mark.parametrize("version", [16, 15])
def test_hostile_project_type_checks(version, tmp_path):
    project = write_plan(tmp_path / "web", hostile_files(version))
    link_node_modules(project)
    result = tsc(project)
    assert result.returncode == 0, result.stdout + result.stderr
