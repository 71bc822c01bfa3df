"""authz.org-claims-v1 as a user sees it: the v2 name to read instead, and how severe."""

from __future__ import annotations

import json

from audit_helpers import copy_case


def _findings(cli, tmp_path):
    copy_case("org-claims-v1", tmp_path)
    result = cli("check", "org-claims-v1", "--format", "json")
    assert result.code == 1, result.err
    return {(f["path"], f["line"]): (f["severity"], f["message"]) for f in json.loads(result.out)["findings"]
            if f["check"] == "authz.org-claims-v1"}


def test_a_gating_read_is_high_and_names_the_v2_claim(cli, tmp_path):
    found = _findings(cli, tmp_path)
    assert found[("backend/app/routes.py", 16)] == (
        "high", "'org_id' is a v1 session-token claim: v2 tokens carry it as o.id, so every user looks "
                "organization-less here (access denied, or the tenant filter skipped)")
    assert found[("api/server.ts", 11)][0] == "high"
    assert "o.rol (without the org: prefix)" in found[("api/server.ts", 11)][1]


def test_a_read_that_gates_nothing_is_medium(cli, tmp_path):
    found = _findings(cli, tmp_path)
    assert found[("backend/app/routes.py", 14)] == (
        "medium", "'org_slug' is a v1 session-token claim: v2 tokens carry it as o.slg, so it is always missing")
    assert found[("api/verify.ts", 6)][0] == "medium"
    assert found[("api/verify.ts", 13)][0] == "high"  # destructured, then tested by `if (!orgId)`


def test_a_prefixed_v2_role_is_reported_with_the_value_to_compare(cli, tmp_path):
    found = _findings(cli, tmp_path)
    assert found[("backend/app/v2.py", 3)] == (
        "high", "o.rol compared with 'org:admin': v2 tokens hold the role without the org: prefix ('admin')")
    assert found[("api/v2.ts", 8)][0] == "high"


def test_sdk_normalised_claims_and_modules_reading_o_are_left_alone(cli, tmp_path):
    found = _findings(cli, tmp_path)
    assert not [where for where in found if where[0] in ("backend/app/sdk.py", "api/dashboard.ts")]
    assert not [where for where in found if where[0] == "backend/app/v2.py" and where[1] != 3]
