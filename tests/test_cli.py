"""The commands as a user runs them: output formats, history, explain, rules, help."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from advisor.commands import COMMANDS
from tests.conftest import BASIC_PACK, ROOT, run_process, write

# Staff of a merchant (b2b) reach cardholder data: PCI DSS Requirement 8 applies to them.
PCI = "schema: 1\naudience: b2b\nthreat_model:\n  compliance: [pci-dss]\n  privileged_users: true\n"
B2B = ROOT / "examples" / "b2b-saas" / "clerk-requirements.yaml"


def test_recommend_text_json_and_markdown(cli, tmp_path):
    write(tmp_path / "clerk-requirements.yaml", PCI)
    text = cli("recommend", "--no-save")
    assert text.code == 0
    assert "auth.mfa.policy" in text.out and "required" in text.out
    assert "\033[" not in text.out, "no colour when stdout is not a terminal"
    data = json.loads(cli("recommend", "--format", "json", "--no-save").out)
    assert list(data)[:8] == ["schema", "created_at", "tool_version", "rules_version", "requirements_sha256",
                              "requirements", "assurance", "decisions"]
    assert data["decisions"]["auth.mfa.policy"] == {
        "value": "required", "reason": data["decisions"]["auth.mfa.policy"]["reason"],
        "rules": data["decisions"]["auth.mfa.policy"]["rules"], "refs": data["decisions"]["auth.mfa.policy"]["refs"]}
    assert "pci-dss-4:8.4.2" in {r for rec in data["decisions"].values() for r in rec["refs"]}
    assert data["clerk_config"]["auth_multi_factor"]["required_for_sign_in"] is True
    md = cli("recommend", "--format", "markdown", "--no-save")
    assert md.out.startswith("# Clerk architecture: acme")
    assert not (tmp_path / ".clerk-advisor").exists()


def test_recommend_output_file_is_written_whole(cli, tmp_path):
    write(tmp_path / "clerk-requirements.yaml", PCI)
    result = cli("recommend", "--format", "markdown", "-o", "ARCH.md", "--no-save")
    assert result.code == 0 and result.out == ""
    assert (tmp_path / "ARCH.md").read_text().startswith("# Clerk architecture")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".ARCH")] == []


def test_snapshots_are_saved_once_per_change(cli, tmp_path):
    write(tmp_path / "clerk-requirements.yaml", PCI)
    first = cli("recommend")
    assert "saved" in first.err
    again = cli("recommend")
    assert "unchanged since" in again.err
    write(tmp_path / "clerk-requirements.yaml", PCI.replace("pci-dss", "hipaa"))
    cli("recommend")
    history = cli("history")
    assert history.code == 0
    assert history.out.count("rules 2026.") == 2
    rows = json.loads(cli("history", "--format", "json").out)
    assert len(rows) == 2 and rows[0]["summary"].startswith("acme: AAL2")


def test_explain_a_key_shows_winner_and_losers(cli, tmp_path):
    write(tmp_path / "clerk-requirements.yaml", PCI + "preferences:\n  mfa: 'off'\n")
    result = cli("explain", "auth.mfa.policy", "--rules", BASIC_PACK)
    assert result.code == 0
    assert result.out.startswith("auth.mfa.policy = required\n")
    assert "won     mfa.compliance-pci v1 [high]: required" in result.out
    assert "lost    pref.mfa-off v1 [info] (your preference preferences.mfa): off" in result.out
    assert "pci-dss-4:8.4.2" in result.out
    data = json.loads(cli("explain", "auth.mfa.policy", "--rules", BASIC_PACK, "--format", "json").out)
    assert data["winner"] == "mfa.compliance-pci"
    assert {c["rule"]: c["outcome"] for c in data["contributions"]} == {
        "mfa.compliance-pci": "won", "mfa.aal2": "agrees", "pref.mfa-off": "lost"}


def test_explain_a_rule_and_unknown_targets(cli, tmp_path):
    write(tmp_path / "clerk-requirements.yaml", PCI)
    result = cli("explain", "mfa.aal2", "--rules", BASIC_PACK)
    assert result.code == 0
    assert "when      assurance.aal >= AAL2" in result.out
    assert "rules.yaml:" in result.out
    assert "Applies to these requirements: yes" in result.out
    bad = cli("explain", "auth.mfa.polcy")
    assert bad.code == 2 and "did you mean 'auth.mfa.policy'?" in bad.err


def test_rules_list_and_show(cli):
    listing = cli("rules", "list")
    assert listing.code == 0
    assert listing.out.startswith("clerk-advisor-core 2026.")
    rows = json.loads(cli("rules", "list", "--format", "json").out)["rules"]
    some = rows[0]["id"]
    shown = cli("rules", "show", some)
    assert shown.code == 0 and shown.out.startswith(some)
    missing = cli("rules", "show", "nope.nope")
    assert missing.code == 2


def test_preference_override_is_a_finding(cli, tmp_path):
    write(tmp_path / "clerk-requirements.yaml", PCI + "preferences:\n  mfa: 'off'\n")
    data = json.loads(cli("recommend", "--format", "json", "--no-save").out)
    overridden = [f for f in data["findings"] if f["id"].startswith("preference-overridden.preferences.mfa")]
    assert overridden and overridden[0]["message"].startswith(
        "Your preference preferences.mfa is off; the advisor chose required for auth.mfa.policy. ")


def test_findings_name_their_rule_once_and_use_the_users_words(cli, tmp_path):
    # sms_code is the user's word; Clerk's phone_code only appears as Clerk's name for it.
    write(tmp_path / "clerk-requirements.yaml", PCI + "preferences:\n  mfa: 'off'\n  passwordless: [sms_code]\n")
    out = cli("recommend", "--no-save").out
    sms = next(line for line in out.splitlines() if "preferences.passwordless" in line)
    assert "Your preference preferences.passwordless includes sms_code; the advisor left it out of " \
           "auth.first_factors (Clerk calls it phone_code)." in " ".join(out.split())
    assert "auth.first_factors = phone_code" not in out
    for line in out.split("Findings", 1)[1].splitlines():
        rule = re.search(r"\[([a-z0-9.-]+)\]$", line)
        if rule:
            assert f"({rule.group(1)})" not in line, line
    assert sms


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_has_help_that_answers(cli, command):
    with pytest.raises(SystemExit) as exit_info:
        cli(command, "--help")
    assert exit_info.value.code == 0


def test_top_level_help_lists_commands_and_exit_codes(capsys):
    from advisor.cli import main

    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in COMMANDS:
        assert command in out
    assert "exit codes:" in out


def test_recommend_imports_no_interactive_or_network_libraries(tmp_path):
    write(tmp_path / "clerk-requirements.yaml", PCI)
    code = (
        "import sys; from advisor.cli import main; rc = main(['recommend', '--format', 'json', '--no-save']);"
        "heavy = sorted(m for m in ('questionary', 'prompt_toolkit', 'httpx') if m in sys.modules);"
        "print(heavy, file=sys.stderr); sys.exit(rc)"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0
    assert proc.stderr.strip().splitlines()[-1] == "[]"


def test_python_dash_m_advisor_works(tmp_path):
    write(tmp_path / "clerk-requirements.yaml", PCI)
    result = run_process("recommend", "--no-save", "--format", "json", cwd=tmp_path)
    assert result.code == 0 and json.loads(result.out)["assurance"]["aal"] == "AAL2"
    version = run_process("--version")
    assert version.out.startswith("clerk-advisor 0.1.0")
