"""CLERK_SETUP.md as a person reads it: the CLI path in the order it must be walked (sign
in and link before any `clerk config`, keys from `clerk env pull`), and steps whose
headings show code spans as code, never as escaped backticks or raw HTML."""

from __future__ import annotations

import re

import pytest

from tests.conftest import write

# Everything that brings a step with a name from the requirements in it: social providers
# in a heading, roles, regions, webhook events, the extension's origin, legal consent.
BUSY = """\
schema: 1
project: {name: busy}
audience: b2b
platforms: {chrome_extension: true, backends: [fastapi]}
users: {regions: [eu, latam]}
tenancy: {organizations: required, custom_roles: [billing], domain_auto_join: true, enterprise_sso: true}
threat_model: {compliance: [gdpr]}
preferences: {social_providers: [google, github], passwordless: [sms_code]}
integrations: {m2m: true, api_keys: true, webhooks: [user.created]}
"""


@pytest.fixture(params=["nextjs", "fastapi"])
def guide(request, cli, tmp_path) -> tuple[str, str]:
    write(tmp_path / "clerk-requirements.yaml", BUSY)
    assert cli("generate", "--stack", request.param, "--out", "out", "--quiet").code == 0
    return request.param, (tmp_path / "out" / "CLERK_SETUP.md").read_text(encoding="utf-8")


def prose(markdown: str) -> str:
    """The text outside fenced blocks and code spans, where markup would take effect."""
    without_fences = re.sub(r"```.*?```", "", markdown, flags=re.S)
    return re.sub(r"`[^`\n]*`", "", without_fences)


def test_headings_show_code_spans_not_escaped_backticks(guide):
    _, text = guide
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert any(re.fullmatch(r"## \d+\. Add your own OAuth credentials for `google`, `github` in production", h)
               for h in headings), headings
    for heading in headings:
        assert "\\" not in heading, heading
        assert heading.count("`") % 2 == 0, heading


def test_no_raw_html_in_the_steps(guide):
    _, text = guide
    assert "<" not in prose(text), [line for line in prose(text).splitlines() if "<" in line]
    assert "`chrome-extension://<extension id>`" in text
    for line in re.sub(r"```.*?```", "", text, flags=re.S).splitlines():
        assert line.count("`") % 2 == 0, line


def test_the_cli_path_signs_in_and_links_before_any_config_and_ends_with_keys(guide):
    stack, text = guide
    assert "so sign\nin and link before anything else" in text
    order = ["clerk auth login", "clerk link", "clerk config schema --output", "clerk config patch --file "
             "clerk-config.json --dry-run", "clerk env pull", "clerk config schema --instance prod",
             "clerk env pull --instance prod --file .env.production"]
    walk = text.split("```sh\n", 1)[1].split("```", 1)[0]
    positions = [walk.index(step) for step in order]
    assert positions == sorted(positions)
    assert walk.index("clerk link") < min(walk.index("clerk config"), walk.index("clerk env"))
    pull = "clerk env pull --file .env " if stack == "fastapi" else "clerk env pull        "
    assert pull in walk
    assert "writes the publishable and secret keys only" in text
    assert "advisor/architecture/clerk_config_fields.yaml" in text
