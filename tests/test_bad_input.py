"""Bad requirements files: exit 2, one message naming file, line, column, field and what
is allowed; never a traceback; nothing written."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.errors import UserError
from advisor.requirements import parse_requirements
from tests.conftest import BASIC_PACK, run_process, write

CASES = {
    "yaml syntax": ("schema: 1\nproject: [\n", "req.yaml:3:1", "invalid YAML", None),
    "duplicate key": ("schema: 1\nschema: 1\n", "req.yaml:2:1", 'duplicate key "schema"', None),
    "alias bomb": (
        "schema: 1\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
        "req.yaml:3:8", "aliases", None,
    ),
    "unknown key": ("schema: 1\nthreat_model:\n  complience: [pci-dss]\n", "req.yaml:3:3", "unknown key 'complience'",
                    "did you mean 'compliance'?"),
    "unknown section": ("schema: 1\nplatform:\n  web: nextjs\n", "req.yaml:2:1", "unknown key 'platform'",
                        "did you mean 'platforms'?"),
    "wrong type": ("schema: 1\nusers:\n  expected_mau: lots\n", "req.yaml:3:17", "users.expected_mau", "an integer"),
    "string for bool": ("schema: 1\nintegrations:\n  m2m: 'yes'\n", "req.yaml:3:8", "integrations.m2m",
                        "true or false"),
    "bad enum": ("schema: 1\nplatforms:\n  web: nextj\n", "req.yaml:3:8", '"nextj" is not allowed',
                 "one of nextjs, react, none"),
    "bad list item": ("schema: 1\nthreat_model:\n  threats: [phishing, dragons]\n", "req.yaml:3:23",
                      "threat_model.threats.1", "credential-stuffing"),
    "bad project name": ("schema: 1\nproject:\n  name: Acme Corp\n", "req.yaml:3:9", "project name",
                         "starting with a letter"),
    "unsupported schema": ("schema: 2\n", "req.yaml:1:9", "schema 2 is not supported", None),
    "missing schema": ("project:\n  name: acme\n", "req.yaml:1:1", "missing `schema`", None),
    "empty file": ("", "req.yaml", "empty", None),
    "list at top": ("- schema: 1\n", "req.yaml:1:1", "top level must be a mapping", None),
    "scalar at top": ("just text\n", "req.yaml:1:1", "top level must be a mapping", None),
    "default role": ("schema: 1\ntenancy:\n  custom_roles: [admin]\n", "req.yaml:3:3", "default roles", None),
    "two documents": ("schema: 1\n---\nschema: 1\n", "req.yaml", "one YAML document", None),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_file_gets_one_clear_message_and_exit_2(cli, tmp_path, name):
    text, where, message, extra = CASES[name]
    write(tmp_path / "req.yaml", text)
    result = cli("recommend", "req.yaml", "--rules", BASIC_PACK)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(f"error: {where}"), result.err
    assert message in result.err
    if extra:
        assert extra in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / ".clerk-advisor").exists(), "nothing is saved for bad input"


def test_invalid_utf8_names_the_position(cli, tmp_path):
    (tmp_path / "req.yaml").write_bytes(b"schema: 1\nproject:\n  name: caf\xe9\n")
    result = cli("recommend", "req.yaml")
    assert result.code == 2
    assert result.err.startswith("error: req.yaml:3:12: requirements file is not valid UTF-8 (byte 0xe9)")


def test_missing_file_and_directory(cli, tmp_path):
    missing = cli("recommend", "nope.yaml")
    assert missing.code == 2 and "nope.yaml: requirements file not found" in missing.err
    assert "clerk-advisor ask" in missing.err
    (tmp_path / "dir.yaml").mkdir()
    directory = cli("recommend", "dir.yaml")
    assert directory.code == 2 and "is a directory" in directory.err


def test_default_file_is_clerk_requirements_yaml(cli, tmp_path):
    result = cli("recommend", "--no-save")
    assert result.code == 2
    assert "clerk-requirements.yaml: requirements file not found" in result.err


def test_bad_input_through_a_real_process_has_no_traceback(tmp_path):
    write(tmp_path / "clerk-requirements.yaml", "schema: 1\naudience: aliens\n")
    result = run_process("recommend", cwd=tmp_path)
    assert result.code == 2
    assert result.err.strip().splitlines()[0] == (
        'error: clerk-requirements.yaml:2:11: audience: "aliens" is not allowed')
    assert "allowed: one of b2c, b2b, internal" in result.err
    assert "Traceback" not in result.err


def test_usage_errors_exit_2(cli):
    result = cli("recommend", "--format", "yaml")
    assert result.code == 2
    assert "invalid choice: 'yaml'" in result.err
    assert cli("frobnicate").code == 2


# Random documents built from YAML's own building blocks never escape as an exception
# other than UserError, whatever their shape.
_keys = st.sampled_from(["schema", "project", "name", "platforms", "web", "tenancy", "organizations",
                         "threat_model", "compliance", "users", "expected_mau", "x", "preferences", "mfa"])
_scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**12), st.floats(allow_nan=True),
                     st.text(string.printable, max_size=12), st.sampled_from(["nextjs", "required", "pci-dss", "1"]))
_values = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(_keys, inner, max_size=4)), max_leaves=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_values, st.dictionaries(_keys, _values, max_size=6)))
def test_random_documents_never_raise_anything_but_user_error(doc):
    from ruamel.yaml import YAML
    import io

    buf = io.StringIO()
    YAML(typ="safe", pure=True).dump(doc, buf)
    try:
        parse_requirements(buf.getvalue(), "random.yaml")
    except UserError as exc:
        assert exc.render().startswith("error: random.yaml")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=string.printable + "\u00e9\u2028[]{}&*!|>'\"%@`", max_size=80))
def test_random_text_never_raises_anything_but_user_error(text):
    try:
        parse_requirements(text, "random.yaml")
    except UserError:
        pass
