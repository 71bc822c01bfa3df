"""The `migration:` section as a contract: DESIGN.md's names, the importer's hashers and
sources, a file without it unchanged, and bad values refused with a located message."""

from __future__ import annotations

import hashlib
import json

import pytest
from plan_helpers import requirements_file

from advisor.architecture.setup import convert_command
from advisor.engine.pack import default_pack_dir, load_pack
from advisor.migrate.hashers import HASHERS
from advisor.migrate.sources import SOURCES
from advisor.requirements import FIELDS, Requirements, validate_document
from tests.conftest import ROOT

DESIGN_SOURCES = ("none", "auth0", "firebase", "supabase", "cognito", "authjs", "django", "keycloak", "custom")


def test_password_hashes_are_the_importers_hashers():
    """The plan and `migrate convert`/`import` name the same hashers, in the same order."""
    assert FIELDS["migration.password_hashes"].choices == ("unknown", "none", *HASHERS)


def test_the_fields_and_defaults_are_designs():
    assert FIELDS["migration.from"].choices == DESIGN_SOURCES
    assert Requirements().to_data()["migration"] == {
        "from": "none", "users": 0, "password_hashes": "unknown", "mfa_enrolled": False, "social_accounts": False,
        "cutover": "auto"}
    assert FIELDS["migration.cutover"].choices == ("auto", "big_bang", "trickle")


@pytest.mark.parametrize("source", DESIGN_SOURCES[1:])
def test_every_source_has_a_convert_adapter(source):
    command = convert_command(source, "digest", None).split()
    assert command[command.index("--from") + 1] in SOURCES


def test_the_unverified_hasher_rule_names_the_importers_unverified_hashers():
    rule = load_pack(default_pack_dir()).by_id["migration.hasher-unverified"]
    listed = next(leaf["in"] for leaf in rule.when["all"] if leaf["fact"] == "migration.password_hashes")
    assert set(listed) == {name for name, hasher in HASHERS.items() if hasher.unverified}


def _old_digest(req: Requirements) -> str:
    """The digest as it was computed before the migration section existed."""
    data = req.to_data()
    del data["migration"]
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


@pytest.mark.parametrize("example", sorted(p.parent.name for p in (ROOT / "examples").glob("*/ARCHITECTURE.md")
                                           if p.parent.name != "auth0-migration"))
def test_a_file_without_a_migration_keeps_its_digest(example):
    from ruamel.yaml import YAML

    doc = YAML(typ="safe").load((ROOT / "examples" / example / "clerk-requirements.yaml").read_text())
    req = validate_document(doc)
    assert req.sha256 == _old_digest(req)
    assert f"Requirements digest `{req.sha256[:12]}`" in (ROOT / "examples" / example / "ARCHITECTURE.md").read_text()
    spelled_out = validate_document({**doc, "migration": {"from": "none", "cutover": "auto"}})
    assert spelled_out.sha256 == req.sha256, "equal meaning, equal digest"
    assert validate_document({**doc, "migration": {"from": "auth0"}}).sha256 != req.sha256


def test_a_snapshot_without_a_migration_has_no_migration_plan(cli, tmp_path):
    requirements_file(tmp_path / "r.yaml", audience="b2b")
    snapshot = json.loads(cli("recommend", "r.yaml", "--format", "json", "--no-save").out)
    assert not [k for k in snapshot["decisions"] if k.startswith("migration.")]
    assert not [f for f in snapshot["findings"] if f["id"].startswith("migration.")]
    assert "migration" not in snapshot["requirements"], "left out while it holds only its defaults"
    for fmt in ("text", "markdown"):
        assert "Migration plan" not in cli("recommend", "r.yaml", "--format", fmt, "--no-save").out


def test_snapshots_with_a_migration_diff_and_check(cli, tmp_path):
    requirements_file(tmp_path / "r.yaml", {"from": "cognito", "users": 900})
    assert cli("recommend", "r.yaml").code == 0
    requirements_file(tmp_path / "r.yaml", {"from": "cognito", "users": 400_000})
    assert cli("recommend", "r.yaml").code == 0
    result = cli("diff", "--exit-code")
    assert result.code == 1, result.err
    assert "migration.users" in result.out and "migration.strategy" in result.out
    assert "import_then_trickle" in result.out
    drift = cli("recommend", "--check")
    assert drift.code == 0, drift.out + drift.err


@pytest.mark.parametrize(("migration", "where", "message", "allowed"), [
    ("  from: okta\n", "r.yaml:3:9", 'migration.from: "okta" is not allowed',
     "one of none, auth0, firebase, supabase, cognito, authjs, django, keycloak, custom"),
    ("  form: auth0\n", "r.yaml:3:3", "unknown key 'form'", "did you mean 'from'?"),
    ("  from: auth0\n  password_hashes: bcrypt2\n", "r.yaml:4:20", '"bcrypt2" is not allowed',
     "did you mean 'bcrypt'?"),
    ("  from: auth0\n  users: -5\n", "r.yaml:4:10", "migration.users", ">= 0"),
    ("  from: auth0\n  cutover: gradual\n", "r.yaml:4:12", '"gradual" is not allowed', "auto, big_bang, trickle"),
    ("  from: auth0\n  mfa_enrolled: 'yes'\n", "r.yaml:4:17", "migration.mfa_enrolled", "true or false"),
])
def test_bad_migration_values_get_one_located_message(cli, tmp_path, migration, where, message, allowed):
    (tmp_path / "r.yaml").write_text("schema: 1\nmigration:\n" + migration, encoding="utf-8")
    result = cli("recommend", "r.yaml", "--no-save")
    assert result.code == 2 and result.out == ""
    assert result.err.startswith(f"error: {where}: "), result.err
    assert message in result.err and allowed in result.err
    assert "Traceback" not in result.err
