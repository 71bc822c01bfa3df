"""diff names the cause of every change; --check finds drift; exit codes are scriptable."""

from __future__ import annotations

import json
import shutil
import time

from tests.conftest import BASIC_PACK, write

REQ = "schema: 1\nthreat_model:\n  compliance: [pci-dss]\n"


def pack_copy(tmp_path, name="pack"):
    target = tmp_path / name
    shutil.copytree(BASIC_PACK, target)
    return target


def test_requirement_change_is_named_as_the_cause(cli, tmp_path):
    pack = pack_copy(tmp_path)
    write(tmp_path / "clerk-requirements.yaml", REQ)
    cli("recommend", "--rules", pack)
    write(tmp_path / "clerk-requirements.yaml", REQ.replace("pci-dss", "soc2"))
    cli("recommend", "--rules", pack)
    result = cli("diff", "--rules", pack)
    assert result.code == 0
    assert "threat_model.compliance: [pci-dss] -> [soc2]" in result.out
    assert "  auth.mfa.policy: required -> none\n      because requirements changed: threat_model.compliance" \
        in result.out
    assert "because assurance changed: assurance.impact moderate -> low" in result.out
    assert cli("diff", "--rules", pack, "--exit-code").code == 1


def test_rule_version_added_and_removed_are_named(cli, tmp_path):
    pack = pack_copy(tmp_path)
    write(tmp_path / "clerk-requirements.yaml", REQ)
    cli("recommend", "--rules", pack)
    rules = (pack / "rules.yaml").read_text()
    # The pack learns something: a rule changes meaning (and version), another is new.
    rules = rules.replace("set: {session.max_lifetime_seconds: 43200, session.inactivity_timeout_seconds: 900}",
                          "set: {session.max_lifetime_seconds: 28800, session.inactivity_timeout_seconds: 900}")
    rules = rules.replace("- id: session.lifetime-pci\n  version: 1", "- id: session.lifetime-pci\n  version: 2")
    rules += ("- id: bots.pci\n  version: 1\n  title: Bots\n  when: {fact: threat_model.compliance, contains: pci-dss}\n"
              "  set: {auth.bot_protection: true}\n  severity: medium\n  because: Bots.\n  refs: [\"pci-dss-4:8.4.2\"]\n")
    (pack / "rules.yaml").write_text(rules)
    (pack / "pack.yaml").write_text("name: test-basic\nversion: 2026.2.0\n")
    check = cli("recommend", "--check", "--rules", pack)
    assert check.code == 1
    assert "Rule pack: 2026.1.0 -> 2026.2.0" in check.out
    assert "~ session.lifetime-pci v1 -> v2" in check.out
    assert "because rule session.lifetime-pci changed v1 -> v2" in check.out
    assert "auth.bot_protection: none -> yes\n      because rule bots.pci added" in check.out
    as_json = json.loads(cli("recommend", "--check", "--rules", pack, "--format", "json").out)
    assert as_json["rules"]["added"] == ["bots.pci"] and as_json["changed"] is True


def test_no_drift_is_exit_0_and_no_history_is_exit_2(cli, tmp_path):
    write(tmp_path / "clerk-requirements.yaml", REQ)
    nothing = cli("recommend", "--check", "--rules", BASIC_PACK)
    assert nothing.code == 2 and "no saved recommendation" in nothing.err
    cli("recommend", "--rules", BASIC_PACK)
    same = cli("recommend", "--check", "--rules", BASIC_PACK)
    assert same.code == 0 and same.out.startswith("no drift")


def test_diff_against_a_requirements_file_evaluated_now(cli, tmp_path):
    write(tmp_path / "clerk-requirements.yaml", REQ)
    cli("recommend", "--rules", BASIC_PACK)
    write(tmp_path / "next.yaml", REQ + "  privileged_users: true\n")
    result = cli("diff", "next.yaml", "--rules", BASIC_PACK, "--format", "json")
    data = json.loads(result.out)
    assert data["new"] == "next.yaml (evaluated now)"
    assert data["requirements"] == [{"field": "threat_model.privileged_users", "old": False, "new": True}]
    assert [f["id"] for f in data["findings"]["added"]] == ["finding.privileged"]


def test_two_snapshot_files_and_history_numbers(cli, tmp_path):
    write(tmp_path / "clerk-requirements.yaml", REQ)
    cli("recommend", "--rules", BASIC_PACK)
    # Snapshot names carry the time to the second, then the digest: within one second the
    # order would follow the digests, so let the clock tick.
    time.sleep(1.01 - time.time() % 1)
    write(tmp_path / "clerk-requirements.yaml", REQ + "preferences:\n  passwords: avoid\n")
    cli("recommend", "--rules", BASIC_PACK)
    files = sorted((tmp_path / ".clerk-advisor" / "history").glob("*.json"))
    by_file = cli("diff", files[0], files[1], "--rules", BASIC_PACK)
    by_number = cli("diff", "1", "2", "--rules", BASIC_PACK)
    assert by_file.out.split("\n", 1)[1] == by_number.out.split("\n", 1)[1]  # same body; labels differ
    assert "auth.passwords.enabled: yes -> no" in by_file.out
    md = cli("diff", "1", "2", "--rules", BASIC_PACK, "--format", "markdown")
    assert md.out.startswith("# Recommendation diff")
    assert cli("diff", "7", "--rules", BASIC_PACK).code == 2


def test_diff_needs_two_snapshots(cli, tmp_path):
    result = cli("diff")
    assert result.code == 2 and "diff needs two snapshots; history has 0" in result.err


def test_identical_inputs_show_no_differences(cli, tmp_path):
    write(tmp_path / "clerk-requirements.yaml", REQ)
    cli("recommend", "--rules", BASIC_PACK)
    result = cli("diff", "clerk-requirements.yaml", "--rules", BASIC_PACK, "--exit-code")
    assert result.code == 0 and "no differences" in result.out


def test_check_on_a_snapshot_whose_requirements_no_longer_validate_is_exit_2(cli, tmp_path):
    write(tmp_path / "clerk-requirements.yaml", REQ)
    cli("recommend", "--rules", BASIC_PACK)
    [path] = (tmp_path / ".clerk-advisor" / "history").glob("*.json")
    data = json.loads(path.read_text())
    data["requirements"]["audience"] = "aliens"
    path.write_text(json.dumps(data))
    result = cli("recommend", "--check", "--rules", BASIC_PACK)
    assert result.code == 2
    assert "requirements.audience" in result.err and "no longer validate" in result.err
    assert "Traceback" not in result.err
