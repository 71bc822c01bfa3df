"""A finding whose message changed shows what changed, not `info -> info`."""

from __future__ import annotations

import shutil

from tests.conftest import BASIC_PACK, write

REQ = "schema: 1\nthreat_model:\n  privileged_users: true\n"


def test_a_changed_finding_message_is_shown_old_and_new(cli, tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(BASIC_PACK, pack)
    write(tmp_path / "clerk-requirements.yaml", REQ)
    assert cli("recommend", "--rules", pack, "--format", "json", "-o", "old.json", "--no-save").code == 0
    rules = (pack / "rules.yaml").read_text()
    (pack / "rules.yaml").write_text(rules.replace("finding: Review admin access quarterly.",
                                                   "finding: Review admin access every month."))
    assert cli("recommend", "--rules", pack, "--format", "json", "-o", "new.json", "--no-save").code == 0
    text = cli("diff", "old.json", "new.json").out
    assert "  ~ finding.privileged (finding.privileged)\n" \
           "      message was: Review admin access quarterly.\n" \
           "      message now: Review admin access every month.\n" in text
    assert "info -> info" not in text
    markdown = cli("diff", "old.json", "new.json", "--format", "markdown").out
    assert "- changed `finding.privileged`: message was: Review admin access quarterly.; " \
           "now: Review admin access every month." in markdown


def test_a_changed_severity_is_shown_with_the_message_left_out(cli, tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(BASIC_PACK, pack)
    write(tmp_path / "clerk-requirements.yaml", REQ)
    assert cli("recommend", "--rules", pack, "--format", "json", "-o", "old.json", "--no-save").code == 0
    rules = (pack / "rules.yaml").read_text()
    old = "finding: Review admin access quarterly.\n  severity: medium"
    assert old in rules
    (pack / "rules.yaml").write_text(rules.replace(old, "finding: Review admin access quarterly.\n  severity: high"))
    assert cli("recommend", "--rules", pack, "--format", "json", "-o", "new.json", "--no-save").code == 0
    text = cli("diff", "old.json", "new.json").out
    assert "  ~ finding.privileged (finding.privileged)\n      severity: medium -> high\n" in text
    assert "message was" not in text
