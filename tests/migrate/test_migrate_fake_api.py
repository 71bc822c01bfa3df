"""The fake Backend API itself answers like Clerk's spec and error catalogue say, so the
importer's tests mean something: the codes, statuses and defaults it relies on."""

from __future__ import annotations

import httpx
import pytest
from fake_clerk import DEV_KEY
from migrate_helpers import BCRYPT


@pytest.fixture
def api(fake):
    with httpx.Client(base_url=fake.base_url, headers={"Authorization": f"Bearer {DEV_KEY}"}) as client:
        yield client


def _code(response: httpx.Response) -> str:
    return response.json()["errors"][0]["code"]


def test_create_user_validation_codes(api):
    ok = {"external_id": "a", "email_address": ["a@example.com"], "skip_password_requirement": True}
    assert api.post("/v1/users", json=ok).status_code == 200
    cases = [
        ({"external_id": "b", "email_addresses": [{"email": "b@example.com"}]}, 422, "form_param_unknown"),
        ({"external_id": "b", "phone_number": ["4155550123"], "skip_password_requirement": True}, 422,
         "form_param_format_invalid"),
        ({"external_id": "b", "email_address": ["A@example.com"], "skip_password_requirement": True}, 422,
         "form_identifier_exists"),
        ({"external_id": "b", "email_address": ["b@example.com"], "password_digest": "nope",
          "password_hasher": "bcrypt"}, 422, "form_password_digest_invalid_code"),
        ({"external_id": "b", "email_address": ["b@example.com"]}, 422, "form_data_missing"),
        ({"external_id": "b", "email_address": ["b@example.com"], "email_address_identification_status":
          ["reserved", "verified"], "skip_password_requirement": True}, 422, "form_param_value_invalid"),
    ]
    for body, status, code in cases:
        response = api.post("/v1/users", json=body)
        assert (response.status_code, _code(response)) == (status, code), body
    reserved = api.post("/v1/users", json={"external_id": "c", "email_address": ["c@example.com"],
                                           "email_address_identification_status": ["reserved"],
                                           "password_digest": BCRYPT, "password_hasher": "bcrypt"}).json()
    assert reserved["email_addresses"][0]["verification"]["status"] == "unverified"


def test_list_filters_default_limit_and_caps(api, fake):
    for i in range(15):
        fake.seed({"external_id": f"u{i}", "username": f"user{i}", "skip_password_requirement": True})
    ids = [f"u{i}" for i in range(15)]
    assert len(api.get("/v1/users", params=[("external_id", i) for i in ids]).json()) == 10  # Clerk's default
    assert len(api.get("/v1/users", params=[("external_id", i) for i in ids] + [("limit", "100")]).json()) == 15
    assert len(api.get("/v1/users", params=[("username", "USER3"), ("limit", "100")]).json()) == 1
    too_many = api.get("/v1/users", params=[("external_id", str(i)) for i in range(101)])
    assert (too_many.status_code, _code(too_many)) == (422, "form_param_value_invalid")
    assert api.get("/v1/users/count").json() == {"object": "total_count", "total_count": 15}


def test_auth_cap_rate_limit_delete_and_verify(api, fake):
    response = httpx.get(f"{fake.base_url}/v1/users", headers={"Authorization": "Bearer sk_test_nope"})
    assert (response.status_code, _code(response)) == (401, "authentication_invalid")
    fake.user_cap = 1
    assert api.post("/v1/users", json={"external_id": "a", "username": "aaaa",
                                       "skip_password_requirement": True}).status_code == 200
    full = api.post("/v1/users", json={"external_id": "b", "username": "bbbb", "skip_password_requirement": True})
    assert (full.status_code, _code(full)) == (403, "user_quota_exceeded")
    user = fake.user_by_external_id("a")
    wrong = api.post(f"/v1/users/{user['id']}/verify_password", json={"password": "x"})
    assert wrong.status_code == 400  # no password set
    assert api.delete(f"/v1/users/{user['id']}").json()["deleted"] is True
    assert api.delete(f"/v1/users/{user['id']}").status_code == 404
    fake.limits["development"] = (2, 3600.0)
    fake.windows.clear()
    statuses = [api.get("/v1/users/count") for _ in range(3)]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    assert 1 <= int(statuses[2].headers["Retry-After"]) <= 3600
