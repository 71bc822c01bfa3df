"""The committed example reports are what the current code and pack produce."""

from __future__ import annotations


import pytest

from tests.conftest import ROOT

EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/clerk-requirements.yaml"))
REFRESH = ("for d in examples/*/; do clerk-advisor recommend $d/clerk-requirements.yaml "
           "--format markdown --no-save -o $d/ARCHITECTURE.md; done")


def test_at_least_five_realistic_profiles():
    assert {"consumer-app", "b2b-saas", "healthcare", "payment-admin", "internal-tool"} <= set(EXAMPLES)


@pytest.mark.parametrize("name", EXAMPLES)
def test_committed_report_is_fresh(cli, name):
    directory = ROOT / "examples" / name
    result = cli("recommend", directory / "clerk-requirements.yaml", "--format", "markdown", "--no-save")
    assert result.code == 0, result.err
    committed = (directory / "ARCHITECTURE.md").read_text(encoding="utf-8")
    assert result.out == committed, f"examples/{name}/ARCHITECTURE.md is stale; refresh with:\n{REFRESH}"


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_decision_is_traceable_to_a_rule_and_a_cited_section(cli, name):
    import json

    result = cli("recommend", ROOT / "examples" / name / "clerk-requirements.yaml", "--format", "json", "--no-save")
    snapshot = json.loads(result.out)
    for key, record in snapshot["decisions"].items():
        if record["value"] in (None, [], {}):
            continue  # not used by this architecture (e.g. roles without organizations)
        assert record["rules"], f"{name}: {key} has no rule behind it"
        assert record["refs"], f"{name}: {key} cites no source"
    for finding in snapshot["findings"]:
        assert finding["rule"]


def test_report_is_markdown_with_a_mermaid_diagram(cli):
    result = cli("recommend", ROOT / "examples" / "b2b-saas" / "clerk-requirements.yaml",
                 "--format", "markdown", "--no-save")
    assert result.out.startswith("# Clerk architecture: b2b-saas\n")
    assert "```mermaid\nflowchart LR\n" in result.out
    assert 'idp["Customer IdPs (SAML / OIDC)"]' in result.out
    assert "## References" in result.out
