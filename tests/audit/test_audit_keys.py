"""secrets.key-mismatch as a user sees it, and secret keys kept out of every output format."""

from __future__ import annotations

import json

import pytest
from audit_helpers import copy_case

from advisor.audit.checks.keys import frontend_api_host

SECRET_BODIES = ("Rk9SVEVTVFNPTkxZbm90QXJlYWxLZXk9", "UHJvZHVjdGlvbktleUZvclRlc3Rz0")


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_secret_keys_never_reach_the_output(cli, tmp_path, fmt):
    copy_case("keys", tmp_path)
    result = cli("check", "keys", "--format", fmt, "--fail-on", "never")
    assert result.code == 0, result.err
    assert "sk_test_..." in result.out
    for body in SECRET_BODIES:
        assert body not in result.out


def test_mismatch_names_the_secret_key_by_prefix_and_line(cli, tmp_path):
    copy_case("keys", tmp_path)
    data = json.loads(cli("check", "keys", "--format", "json", "--fail-on", "never").out)
    found = {(f["path"], f["line"], f["severity"], f["message"]) for f in data["findings"]
             if f["check"] == "secrets.key-mismatch"}
    assert (".env.staging", 2, "high", "pk_live_ publishable key beside a sk_test_... secret key (line 3): the keys "
            "come from different instances") in found
    assert ("web/.env.local", 3, "medium", "pk_live_ key does not decode to a Frontend API host ending in '$': "
            "truncated or mistyped") in found
    assert (".github/workflows/deploy.yml", 9, "high", "development publishable key (pk_test_) where this workflow "
            "deploys to the 'production' environment") in found


@pytest.mark.parametrize(("body", "host"), [
    ("Y2xlcmsuYWNtZS5jb20k", "clerk.acme.com"),
    ("d2lzZS1vd2wtMTIuY2xlcmsuYWNjb3VudHMuZGV2JA", "wise-owl-12.clerk.accounts.dev"),  # padding dropped
    ("Y2xlcmsuYWNtZS5jb2", None),  # cut short: no '$'
    ("Y2xlcmsuYWNtZS5jb20", None),  # 'clerk.acme.com' without its '$'
    ("bm90IGEgaG9zdCQ", None),  # 'not a host$'
    ("!!!!", None),
])
def test_publishable_key_decoding(body, host):
    assert frontend_api_host(body) == host
