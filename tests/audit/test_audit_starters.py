"""The project's own generated starters pass its own audit: nothing high or critical."""

from __future__ import annotations

import json

import pytest

from advisor.audit import AuditOptions, Severity, audit
from tests.conftest import ROOT

EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/clerk-requirements.yaml"))


def _generate(cli, example: str, stack: str, out: str) -> None:
    result = cli("generate", str(ROOT / "examples" / example / "clerk-requirements.yaml"), "--stack", stack,
                 "--out", out)
    assert result.code == 0, result.err


@pytest.mark.parametrize("example", EXAMPLES)
@pytest.mark.parametrize("stack", ["nextjs", "fastapi"])
def test_generated_starter_has_no_high_findings(cli, tmp_path, example, stack):
    _generate(cli, example, stack, "app")
    requirements = ROOT / "examples" / example / "clerk-requirements.yaml"
    report = audit(tmp_path / "app", AuditOptions(requirements=requirements))
    serious = [f for f in report.findings if f.severity >= Severity.HIGH]
    assert serious == [], "\n".join(f"{f.path}:{f.line} {f.check_id} {f.message}" for f in serious)
    assert not [f for f in report.findings if f.check_id.startswith("audit.")], report.findings


def test_generated_clerk_config_matches_its_own_recommendation(cli, tmp_path):
    """The config the generator writes, pulled back as-is, is what the recommendation asks for."""
    _generate(cli, "b2b-saas", "nextjs", "app")
    requirements = ROOT / "examples" / "b2b-saas" / "clerk-requirements.yaml"
    config = tmp_path / "app" / "clerk-config.json"
    report = audit(tmp_path / "app", AuditOptions(requirements=requirements, instance_configs=(config,)))
    assert [f for f in report.findings if f.check_id.startswith("config.")] == []
    assert json.loads(config.read_text())["auth_multi_factor"]["required_for_sign_in"] is True


def test_cli_on_a_starter_exits_0(cli, tmp_path):
    _generate(cli, "consumer-app", "nextjs", "web")
    result = cli("check", "web")
    assert result.code == 0, result.out
    assert "0 findings" in result.out
