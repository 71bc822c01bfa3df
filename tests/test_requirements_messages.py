"""What a person writing the requirements file is told (issue 15, items 8 and 10, fixed
before the rest; kept here by tests): the schema as a string says what to write, every
problem of a file is shown, regions cannot mix global with others, and role keys may carry
the `org:` prefix Clerk shows them with."""

from __future__ import annotations

import json

import pytest

from advisor.ask.questions import all_questions, build_sections
from tests.conftest import write


def test_schema_as_a_string_says_to_write_the_number(cli, tmp_path):
    write(tmp_path / "clerk-requirements.yaml", 'schema: "1"\n')
    result = cli("recommend", "--no-save")
    assert result.code == 2
    assert 'clerk-requirements.yaml:1:9: schema: schema is the string "1"; write the number: schema: 1' in result.err
    assert "not supported" not in result.err


def test_every_problem_of_a_file_is_shown(cli, tmp_path):
    write(tmp_path / "clerk-requirements.yaml",
          'schema: "1"\nusers: {expected_mau: lots, regions: [eu, global]}\ntenancy: {custom_roles: [Bad]}\n')
    result = cli("recommend", "--no-save")
    assert result.code == 2
    errors = [line for line in result.err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 4, result.err
    assert "more problem" not in result.err
    for field in ("schema", "users.expected_mau", "users.regions", "tenancy.custom_roles"):
        assert any(f": {field}: " in line for line in errors), field
    assert "global already covers every region" in result.err


def test_role_keys_may_carry_the_org_prefix_and_the_question_says_so(cli, tmp_path):
    write(tmp_path / "clerk-requirements.yaml", "schema: 1\naudience: b2b\ntenancy:\n  organizations: required\n"
                                                 "  custom_roles: ['org:viewer', billing]\n")
    result = cli("recommend", "--no-save", "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["decisions"]["orgs.roles"]["value"] == [
        "org:admin", "org:member", "org:viewer", "org:billing"]
    roles = next(q for q in all_questions(build_sections()) if q.key == "tenancy.custom_roles")
    assert "writing the org: yourself is allowed" in roles.text


@pytest.mark.parametrize("value,kind", [("-_", "a number"), ("0x_", "a number"), ("._", "a number"),
                                        ("2001-13-45", "a date")])
def test_a_plain_value_the_yaml_library_cannot_build_is_located(cli, tmp_path, value, kind):
    """`-_` made ruamel's round-trip loader (what `ask` edits with) raise IndexError; found
    by the hypothesis test of random text. The core schema reads these as text."""
    write(tmp_path / "app.yaml", f"schema: 1\nproject:\n  name: {value}\n")
    before = (tmp_path / "app.yaml").read_bytes()
    result = cli("ask", "-o", "app.yaml")
    assert result.code == 2
    assert f"app.yaml:3:9: the value '{value}' reads as {kind} but is not one" in result.err
    assert f"quote it: '{value}'" in result.err and "Traceback" not in result.err
    assert (tmp_path / "app.yaml").read_bytes() == before


def test_an_anchor_named_twice_prints_no_library_warning(tmp_path):
    """Valid YAML that ruamel's round-trip loader warns about on stderr, with its own file
    path and source line: the person sees our messages only."""
    from tests.conftest import run_process

    write(tmp_path / "app.yaml", "schema: 1\nproject:\n  name: &a acme\nplatforms:\n  web: &a nextjs\n")
    result = run_process("ask", "-o", "app.yaml", cwd=tmp_path, input="")
    assert result.code == 2 and "needs an interactive terminal" in result.err
    assert "Warning" not in result.err and "ruamel" not in result.err and "anchor" not in result.err
