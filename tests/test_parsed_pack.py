"""The shipped pack's parsed form (advisor/engine/parsed_pack.json): fresh, the same advice
as parsing the YAML, and never used for a text it was not built from."""

from __future__ import annotations

import json
import shutil

import pytest

from advisor.engine import load_pack
from advisor.engine import parsed as parsed_module
from advisor.engine.pack import default_pack_dir
from tests.conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*/clerk-requirements.yaml"))


def _rules(pack) -> list[tuple]:
    return [tuple(getattr(rule, name) for name in type(rule).__slots__) for rule in pack.rules]


@pytest.fixture
def no_table(monkeypatch, tmp_path):
    monkeypatch.setattr(parsed_module, "TARGET", tmp_path / "absent.json")


def test_the_committed_table_is_what_the_rule_files_give():
    assert parsed_module.main(["--check"]) == 0, "run `python -m advisor.engine.parsed`"


def test_every_shipped_file_is_in_the_table():
    table = json.loads(parsed_module.TARGET.read_text(encoding="utf-8"))["files"]
    texts = [p.read_text(encoding="utf-8") for p in default_pack_dir().glob("*.yaml")]
    assert {parsed_module.digest(t) for t in texts} == set(table)


def test_the_table_gives_the_rules_and_advice_parsing_gives(cli, monkeypatch, tmp_path):
    with_table = load_pack()
    outputs = [_advice(cli, e) for e in EXAMPLES]
    monkeypatch.setattr(parsed_module, "TARGET", tmp_path / "absent.json")
    parsed_again = load_pack()
    assert _rules(with_table) == _rules(parsed_again)
    assert (with_table.name, with_table.version, dict(with_table.references)) == \
        (parsed_again.name, parsed_again.version, dict(parsed_again.references))
    assert [_advice(cli, e) for e in EXAMPLES] == outputs


def _advice(cli, example) -> dict:
    data = json.loads(cli("recommend", example, "--format", "json", "--no-save").out)
    del data["created_at"]
    return data


def _mfa_policy(cli, rules) -> str:
    result = cli("recommend", ROOT / "examples" / "payment-admin" / "clerk-requirements.yaml", "--format", "json",
                 "--no-save", "--rules", rules)
    assert result.code == 0, result.err
    return json.loads(result.out)["decisions"]["auth.mfa.policy"]["value"]


def test_a_file_edited_by_one_rule_is_parsed_not_taken_from_the_table(cli, tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(default_pack_dir(), pack)
    assert _mfa_policy(cli, pack) == "required"
    edited = [p for p in pack.glob("*.yaml") if "auth.mfa.policy: required" in p.read_text(encoding="utf-8")]
    assert edited
    for path in edited:
        path.write_text(path.read_text(encoding="utf-8").replace("auth.mfa.policy: required",
                                                                 "auth.mfa.policy: optional"), encoding="utf-8")
    assert _mfa_policy(cli, pack) == "optional"


def test_a_table_entry_is_used_only_for_the_text_with_its_digest(monkeypatch, tmp_path):
    """A forged table (were one ever shipped) keyed by another text's digest is not used."""
    pack = tmp_path / "pack"
    shutil.copytree(default_pack_dir(), pack)
    meta = (pack / "pack.yaml").read_text(encoding="utf-8")
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps({"format": 1, "files": {
        parsed_module.digest(meta + "\n"): {"name": "forged", "version": "2099.1.1"}}}))
    monkeypatch.setattr(parsed_module, "TARGET", forged)
    assert load_pack(pack).name != "forged"


def test_data_json_cannot_carry_exactly_is_left_out(tmp_path):
    (tmp_path / "keys.yaml").write_text("1: integer key\n", encoding="utf-8")
    (tmp_path / "nan.yaml").write_text("- .nan\n", encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("a: [\n", encoding="utf-8")
    (tmp_path / "plain.yaml").write_text("- id: x\n  n: 1\n  f: 1.5\n  ok: true\n", encoding="utf-8")
    table = json.loads(parsed_module.build(tmp_path))["files"]
    assert list(table.values()) == [[{"id": "x", "n": 1, "f": 1.5, "ok": True}]]


def test_without_the_table_the_pack_still_loads(no_table):
    assert len(load_pack().rules) > 100
