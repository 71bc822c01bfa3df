"""A bad rule pack is refused at load time with the rule id, file, line and field."""

from __future__ import annotations

import json

import pytest

from tests.conftest import build_tree, write

REFS = """\
nist-800-63b-4:2.2.1:
  title: NIST SP 800-63B-4
  url: https://pages.nist.gov/800-63-4/sp800-63b.html
"""
GOOD_RULE = """\
- id: mfa.base
  version: 1
  title: MFA
  when: {fact: threat_model.data_sensitivity, gte: confidential}
  set: {auth.mfa.policy: required}
  severity: high
  because: Because.
  refs: ["nist-800-63b-4:2.2.1"]
"""


def pack(tmp_path, rules: str, refs: str = REFS, meta: str = "name: custom\nversion: 2026.1.0\n"):
    return build_tree(tmp_path / "pack", {"pack.yaml": meta, "references.yaml": refs, "rules.yaml": rules})


BAD = {
    "unknown fact": (GOOD_RULE.replace("threat_model.data_sensitivity", "threat_model.data_sensitivty"),
                     "rules.yaml:4:16", "rule mfa.base: unknown fact 'threat_model.data_sensitivty'",
                     "did you mean 'threat_model.data_sensitivity'?"),
    "wrong value type": (GOOD_RULE.replace("gte: confidential", "gte: secret"), "rules.yaml:4:52",
                         "gte on fact threat_model.data_sensitivity needs one of public, internal, confidential, "
                         "regulated; got 'secret'", None),
    "unknown operator": (GOOD_RULE.replace("gte:", "greater:"), "rules.yaml:4:47", "unknown operator 'greater'",
                         "allowed: eq, ne, in"),
    "two operators": (GOOD_RULE.replace("gte: confidential", "gte: confidential, eq: public"), "rules.yaml:4",
                      "exactly one operator", None),
    "list op on scalar": (GOOD_RULE.replace("gte: confidential", "contains: confidential"), "rules.yaml:4",
                          "contains on fact threat_model.data_sensitivity needs a list fact", None),
    "unknown decision key": (GOOD_RULE.replace("auth.mfa.policy", "auth.mfa.polcy"), "rules.yaml:5:9",
                             "unknown decision key 'auth.mfa.polcy'", "did you mean 'auth.mfa.policy'?"),
    "bad decision value": (GOOD_RULE.replace("required}", "always}"), "rules.yaml:5:26",
                           "value 'always' does not fit auth.mfa.policy", "allowed: one of off, optional, required"),
    "missing ref": (GOOD_RULE.replace('["nist-800-63b-4:2.2.1"]', '["nist-800-63b-4:9.9"]'), "rules.yaml:8:10",
                    "reference 'nist-800-63b-4:9.9' is not in references.yaml", None),
    "no refs": (GOOD_RULE.replace('refs: ["nist-800-63b-4:2.2.1"]', "refs: []"), "rules.yaml:8:3",
                "every rule cites at least one source", None),
    "duplicate id": (GOOD_RULE + GOOD_RULE, "rules.yaml:9:3", "duplicate rule id 'mfa.base'", None),
    "unknown rule key": (GOOD_RULE.replace("severity: high", "severity: high\n  sevrity: low"), "rules.yaml:7:3",
                         "unknown key 'sevrity'", "did you mean 'severity'?"),
    "bad severity": (GOOD_RULE.replace("severity: high", "severity: urgent"), "rules.yaml:6:13",
                     "unknown severity 'urgent'", "allowed: info, low, medium, high, critical"),
    "bad id": (GOOD_RULE.replace("id: mfa.base", "id: MFA"), "rules.yaml:1:7", "id must be namespaced", None),
    "missing because": (GOOD_RULE.replace("  because: Because.\n", ""), "rules.yaml:1:3",
                        "missing required key `because`", None),
    "derived fact too early": (GOOD_RULE.replace("set: {auth.mfa.policy: required}", "set: {assurance.aal: AAL2}")
                               .replace("threat_model.data_sensitivity, gte: confidential", "assurance.aal, gte: AAL2"),
                               "rules.yaml:4:3", "derived by the pack and not known yet", None),
    "count on a scalar": (GOOD_RULE.replace("gte: confidential", "count_gte: 2"), "rules.yaml:4",
                          "count_gte on fact threat_model.data_sensitivity needs a list fact", None),
    "count not a number": (GOOD_RULE.replace("threat_model.data_sensitivity, gte: confidential",
                                             "tenancy.custom_roles, count_gte: many"), "rules.yaml:4",
                           "count_gte on fact tenancy.custom_roles needs a whole number >= 0; got 'many'", None),
    "finding quotes an unknown fact": (GOOD_RULE.replace("severity: high", "finding: You have {{tenancy.roles}}.\n"
                                                                           "  severity: high"), "rules.yaml:6",
                                       "unknown fact 'tenancy.roles' in {{tenancy.roles}}",
                                       "did you mean 'tenancy.custom_roles'?"),
    "finding counts a scalar": (GOOD_RULE.replace("severity: high", "finding: '{{audience|count}} audiences.'\n"
                                                                    "  severity: high"), "rules.yaml:6",
                                "{{audience|count}}: |count needs a list fact; audience is not one", None),
    "finding with a template": (GOOD_RULE.replace("severity: high", "finding: '{{ audience | upper }}'\n"
                                                                    "  severity: high"), "rules.yaml:6",
                                "a finding quotes a fact as {{fact.path}} or {{fact.path|count}}", None),
    "yaml syntax": ("- id: [\n", "rules.yaml:2:1", "invalid YAML", None),
    "alias": ("- &r {id: a.b}\n- *r\n", "rules.yaml:2:3", "aliases", None),
    "not a list": ("id: a.b\n", "rules.yaml:1:1", "a rule file is a YAML list of rules", None),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_pack_is_one_located_message(cli, tmp_path, name):
    rules, where, message, extra = BAD[name]
    directory = pack(tmp_path, rules)
    result = cli("rules", "validate", directory)
    assert result.code == 2, result.out
    first = result.err.splitlines()[0]
    assert first.startswith(f"error: {directory}/{where}"), result.err
    assert message in result.err
    if extra:
        assert extra in result.err
    assert "Traceback" not in result.err


def test_a_bad_custom_pack_blocks_recommend_too(cli, tmp_path):
    directory = pack(tmp_path, BAD["unknown fact"][0])
    (tmp_path / "clerk-requirements.yaml").write_text("schema: 1\n")
    result = cli("recommend", "--rules", directory)
    assert result.code == 2
    assert "unknown fact" in result.err


def test_bad_pack_meta_and_references(cli, tmp_path):
    bad_version = pack(tmp_path, GOOD_RULE, meta="name: x\nversion: latest\n")
    result = cli("rules", "validate", bad_version)
    assert result.code == 2 and "version must be a string like 2026.11.0" in result.err
    bad_ref = build_tree(tmp_path / "p2", {"pack.yaml": "version: 2026.1.0\n", "rules.yaml": GOOD_RULE,
                                           "references.yaml": "nist-800-63b-4:2.2.1: {title: x, url: http://x}\n"})
    result = cli("rules", "validate", bad_ref)
    assert result.code == 2 and "https:// url" in result.err
    missing = cli("rules", "validate", tmp_path / "nowhere")
    assert missing.code == 2 and "rule pack directory not found" in missing.err


def test_valid_custom_pack(cli, tmp_path):
    directory = pack(tmp_path, GOOD_RULE)
    result = cli("rules", "validate", directory)
    assert result.code == 0
    assert result.out == "ok: custom 2026.1.0: 1 rules, 1 references, 1 decision keys set\n"
    as_json = cli("rules", "validate", directory, "--format", "json")
    assert '"valid": true' in as_json.out


def test_flow_refs_with_colons_load_too(cli, tmp_path):
    # libyaml (YAML 1.1) refuses `[a:b]`; the loader falls back to YAML 1.2 for such files.
    directory = pack(tmp_path, GOOD_RULE.replace('["nist-800-63b-4:2.2.1"]', "[nist-800-63b-4:2.2.1]"))
    assert cli("rules", "validate", directory).code == 0


def test_shipped_rule_files_parse_with_libyaml():
    """The shipped pack stays on the fast path: a file libyaml refuses falls back to the
    pure-Python parser, which made `recommend` start several times slower."""
    from ruamel.yaml import YAML

    from advisor.engine.pack import default_pack_dir

    for path in sorted(default_pack_dir().glob("*.yaml")):
        YAML(typ="safe", pure=False).load(path.read_text(encoding="utf-8"))


def test_loading_a_pack_reads_only_its_files_and_writes_nothing(cli, tmp_path, monkeypatch):
    """Advice comes from the rule files alone: no parse of them is kept anywhere, so no cache
    can change it."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("CLERK_ADVISOR_CACHE_DIR", str(cache))
    directory = pack(tmp_path, GOOD_RULE)
    assert cli("rules", "validate", directory).code == 0
    assert not cache.exists() or not any(cache.rglob("*"))
    # An edited file is seen at once.
    (directory / "rules.yaml").write_text(BAD["unknown fact"][0])
    assert cli("rules", "validate", directory).code == 2
    # Keys JSON would change are seen as they are (1 stays an int key).
    (directory / "rules.yaml").write_text(GOOD_RULE.replace("  version: 1\n", "  version: 1\n  1: x\n"))
    first = cli("rules", "validate", directory)
    second = cli("rules", "validate", directory)
    assert first.err == second.err and "unknown key 1" in first.err


def test_braces_that_are_not_a_placeholder_are_shown_as_written(cli, tmp_path):
    """A Clerk JWT template in a finding is text, not a placeholder gone wrong."""
    rule = GOOD_RULE.replace("severity: high", "finding: 'Set the claim {\"userId\": \"{{user.external_id || user.id}}\"}.'"
                                               "\n  severity: high")
    directory = pack(tmp_path, rule)
    assert cli("rules", "validate", directory).code == 0
    write(tmp_path / "req.yaml", "schema: 1\nthreat_model: {data_sensitivity: confidential}\n")
    result = cli("recommend", str(tmp_path / "req.yaml"), "--rules", directory, "--format", "json", "--no-save")
    [finding] = [f for f in json.loads(result.out)["findings"] if f["id"] == "mfa.base"]
    assert '{"userId": "{{user.external_id || user.id}}"}' in finding["message"]
