"""The rule file's JSON Schema: made from the loader's own tables, committed for editors,
and in agreement with the loader on the shipped pack and on bad rules."""

from __future__ import annotations

import json

import jsonschema
import pytest

from advisor.engine.pack import META_FILES, default_pack_dir
from advisor.engine.schema import rule_file_schema
from advisor.yamlio import load_fast
from tests.conftest import ROOT
from tests.test_pack_validation import BAD

COMMITTED = ROOT / "rules" / "rule-file.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = rule_file_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_committed_schema_is_the_generated_one(cli):
    result = cli("rules", "schema")
    assert result.code == 0
    assert json.loads(result.out) == rule_file_schema()
    assert json.loads(COMMITTED.read_text(encoding="utf-8")) == rule_file_schema(), \
        "run `clerk-advisor rules schema > rules/rule-file.schema.json`"


@pytest.mark.parametrize("path", sorted(p.name for p in default_pack_dir().glob("*.yaml") if p.name not in META_FILES))
def test_every_shipped_rule_file_fits_the_schema(validator, path):
    data = load_fast((default_pack_dir() / path).read_text(encoding="utf-8"), path)
    errors = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(data)]
    assert errors == []


# Bad rules the schema can express (the rest need the references or the phases).
SCHEMA_CATCHES = ["unknown fact", "wrong value type", "unknown operator", "two operators", "list op on scalar",
                  "unknown decision key", "bad decision value", "no refs", "unknown rule key", "bad severity", "bad id",
                  "missing because", "count on a scalar", "count not a number"]


@pytest.mark.parametrize("case", SCHEMA_CATCHES)
def test_the_schema_refuses_what_the_loader_refuses(validator, case):
    assert not validator.is_valid(load_fast(BAD[case][0], "rules.yaml"))
