"""A finding whose message changed shows what changed, not `info -> info`."""

from __future__ import annotations

import shutil

from tests.conftest import BASIC_PACK, write

REQ = "schema: 1\nthreat_model:\n  privileged_users: true\n"
RULE = "finding: Review admin access quarterly.\n  severity: medium"


def diff_after_pack_edit(cli, tmp_path, new_rule: str, fmt: str = "text") -> str:
    """Recommend, edit the basic pack's finding rule, recommend again: the diff of the two."""
    pack = tmp_path / "pack"
    shutil.copytree(BASIC_PACK, pack)
    write(tmp_path / "clerk-requirements.yaml", REQ)
    assert cli("recommend", "--rules", pack, "--format", "json", "-o", "old.json", "--no-save").code == 0
    rules = (pack / "rules.yaml").read_text()
    assert RULE in rules
    (pack / "rules.yaml").write_text(rules.replace(RULE, new_rule))
    assert cli("recommend", "--rules", pack, "--format", "json", "-o", "new.json", "--no-save").code == 0
    return cli("diff", "old.json", "new.json", "--format", fmt).out


def test_a_changed_finding_message_is_shown_old_and_new(cli, tmp_path):
    text = diff_after_pack_edit(cli, tmp_path, RULE.replace("quarterly", "every month"))
    assert "  ~ finding.privileged (finding.privileged)\n" \
           "      message was: Review admin access quarterly.\n" \
           "      message now: Review admin access every month.\n" in text
    assert "medium -> medium" not in text
    markdown = cli("diff", "old.json", "new.json", "--format", "markdown").out
    assert "- changed `finding.privileged`: message was: Review admin access quarterly.; " \
           "now: Review admin access every month." in markdown


def test_a_changed_severity_is_shown_with_the_message_left_out(cli, tmp_path):
    text = diff_after_pack_edit(cli, tmp_path, RULE.replace("medium", "high"))
    assert "  ~ finding.privileged (finding.privileged)\n      severity: medium -> high\n" in text
    assert "message was" not in text
