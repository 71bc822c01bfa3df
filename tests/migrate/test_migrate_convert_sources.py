"""`migrate convert` on realistic exports of each source, through the real CLI: what lands in
users.jsonl, what is rejected or skipped and why, and the traps of each export."""

from __future__ import annotations

import csv
import io
import json
import os

from migrate_helpers import (
    BCRYPT,
    BCRYPT_2,
    FIREBASE_CONFIG,
    FIREBASE_HASH,
    FIREBASE_SALT,
    TOTP,
    auth0_hash,
    auth0_user,
    by_id,
    firebase_csv,
    read_jsonl,
    write_json,
    write_jsonl,
)

from tests.conftest import write


def _csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


# -- Auth0 --------------------------------------------------------------------------------


def test_auth0_export_joined_with_support_hash_file(cli, tmp_path):
    write_jsonl(tmp_path / "export.json", [
        auth0_user("auth0|5f7c8ec7c33c6c004bbafe82", "ada@example.com", given_name="Ada", family_name="Lovelace",
                   user_metadata={"theme": "dark"}, app_metadata={"plan": "pro", "roles": ["admin"]}),
        auth0_user("auth0|legacy-42", "bob@example.com", email_verified=False),
        auth0_user("auth0|60aaaaaaaaaaaaaaaaaaaaaa", "carol@example.com", blocked=True),
        auth0_user("google-oauth2|108091299999329986433", "grace@gmail.com"),
        auth0_user("sms|60ad5f1e8f1e4b0069a1b2c3", phone_number="+14155550123", phone_verified=True),
    ])
    write_jsonl(tmp_path / "hashes.json", [
        auth0_hash("5f7c8ec7c33c6c004bbafe82"),
        auth0_hash("6001d2b1c3a4e5f6a7b8c9d0", digest=BCRYPT_2, alt_id="legacy-42"),
        auth0_hash("0000000000000000000000ff"),  # a user deleted since: no match, no harm
    ])
    result = cli("migrate", "convert", "--from", "auth0", "export.json", "--hashes", "hashes.json", "-o", "users.jsonl")
    assert result.code == 0, result.err
    users = by_id(read_jsonl(tmp_path / "users.jsonl"))
    ada = users["auth0|5f7c8ec7c33c6c004bbafe82"]
    assert ada == {
        "external_id": "auth0|5f7c8ec7c33c6c004bbafe82", "email_address": ["ada@example.com"],
        "email_address_identification_status": ["verified"], "first_name": "Ada", "last_name": "Lovelace",
        "password_digest": BCRYPT, "password_hasher": "bcrypt", "unsafe_metadata": {"theme": "dark"},
        "private_metadata": {"plan": "pro", "roles": ["admin"]}, "created_at": "2021-03-05T12:34:56.789Z",
    }
    bob = users["auth0|legacy-42"]  # joined through alt_id, and his unverified email stays reserved
    assert bob["password_digest"] == BCRYPT_2
    assert bob["email_address_identification_status"] == ["reserved"]
    assert users["auth0|60aaaaaaaaaaaaaaaaaaaaaa"]["banned"] is True
    assert users["auth0|60aaaaaaaaaaaaaaaaaaaaaa"]["skip_password_requirement"] is True  # no hash for carol
    grace = users["google-oauth2|108091299999329986433"]
    assert "password_digest" not in grace and grace["skip_password_requirement"] is True
    assert users["sms|60ad5f1e8f1e4b0069a1b2c3"]["phone_number"] == ["+14155550123"]
    assert "password hashes joined from --hashes: 2" in result.err
    assert "MFA" in result.err
    assert os.stat(tmp_path / "users.jsonl").st_mode & 0o777 == 0o600


def test_auth0_csv_export_strips_owasp_quote_prefix(cli, tmp_path):
    write(tmp_path / "export.csv", _csv([
        {"user_id": "'auth0|abc123", "email": "'ada@example.com", "email_verified": "true", "given_name": "'Ada",
         "phone_number": "'+44 20 7946 0958", "phone_verified": "false", "created_at": "2021-03-05T12:34:56.789Z"},
        {"user_id": "'auth0|def456", "email": "'=cmd@example.com", "email_verified": "false", "given_name": "",
         "phone_number": "", "phone_verified": "", "created_at": ""},
    ]))
    result = cli("migrate", "convert", "--from", "auth0", "export.csv", "-o", "users.jsonl")
    assert result.code == 0, result.err
    users = by_id(read_jsonl(tmp_path / "users.jsonl"))
    assert users["auth0|abc123"]["email_address"] == ["ada@example.com"]
    assert users["auth0|abc123"]["phone_number"] == ["+442079460958"]
    assert users["auth0|abc123"]["phone_number_identification_status"] == ["reserved"]
    assert users["auth0|def456"]["email_address"] == ["=cmd@example.com"]
    assert "no --hashes file" in result.err


def test_auth0_hash_file_from_another_tenant_is_refused(cli, tmp_path):
    write_jsonl(tmp_path / "export.json", [auth0_user("auth0|aaa", "a@example.com")])
    write_jsonl(tmp_path / "hashes.json", [auth0_hash("bbb"), auth0_hash("ccc")])
    result = cli("migrate", "convert", "--from", "auth0", "export.json", "--hashes", "hashes.json", "-o", "users.jsonl")
    assert result.code == 2
    assert "hashes.json" in result.err and "none of its 2 password hashes" in result.err
    assert not (tmp_path / "users.jsonl").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_auth0_unlinked_social_duplicate_is_rejected_with_the_user_that_kept_it(cli, tmp_path):
    write_jsonl(tmp_path / "export.json", [
        auth0_user("auth0|aaa", "Ada@Example.com"),
        auth0_user("google-oauth2|111", "ada@example.com"),
        auth0_user("auth0|bbb"),  # no identifier at all
        auth0_user("auth0|aaa", "other@example.com"),
    ])
    result = cli("migrate", "convert", "--from", "auth0", "export.json", "-o", "users.jsonl")
    assert result.code == 1
    assert [u["external_id"] for u in read_jsonl(tmp_path / "users.jsonl")] == ["auth0|aaa"]
    rejects = read_jsonl(tmp_path / "users.rejected.jsonl")
    assert sorted((r["external_id"], r["code"], r["line"]) for r in rejects) == sorted([
        ("google-oauth2|111", "duplicate_identifier", 2), ("auth0|bbb", "no_identifier", 3),
        ("auth0|aaa", "duplicate_external_id", 4)])
    assert "auth0|aaa" in next(r for r in rejects if r["code"] == "duplicate_identifier")["message"]
    assert "rejected duplicate_identifier" in result.err


# -- Firebase -----------------------------------------------------------------------------

FIREBASE_EXPORT = {"users": [
    {"localId": "Kx1", "email": "ada@example.com", "emailVerified": True, "passwordHash": FIREBASE_HASH,
     "salt": FIREBASE_SALT, "displayName": "Ada King Lovelace", "createdAt": "1486324027000",
     "lastSignedInAt": "1486324027000", "customAttributes": '{"admin": true}',
     "providerUserInfo": [{"providerId": "password", "email": "ada@example.com", "federatedId": "ada@example.com",
                           "rawId": "ada@example.com"}]},
    {"localId": "Kx2", "phoneNumber": "+15555550100", "createdAt": "1486324027000", "providerUserInfo": [
        {"providerId": "phone", "rawId": "+15555550100"}]},
    {"localId": "Kx3", "email": "bob@example.com", "emailVerified": False, "disabled": True,
     "providerUserInfo": [{"providerId": "google.com", "rawId": "1234", "email": "bob@example.com"}]},
    {"localId": "Kx4", "createdAt": "1486324027000", "providerUserInfo": []},
    {"localId": "Kx5", "email": "mfa@example.com", "emailVerified": True, "passwordHash": FIREBASE_HASH,
     "mfaInfo": [{"phoneInfo": "+15555550101"}]},
]}


def test_firebase_export_composes_scrypt_firebase_digests(cli, tmp_path):
    write_json(tmp_path / "users.json", FIREBASE_EXPORT)
    write_json(tmp_path / "hash.json", FIREBASE_CONFIG)
    result = cli("migrate", "convert", "--from", "firebase", "users.json", "--hash-config", "hash.json",
                 "-o", "out/users.jsonl")
    assert result.code == 1, result.err  # Kx5 has a hash without its salt
    users = by_id(read_jsonl(tmp_path / "out" / "users.jsonl"))
    ada = users["Kx1"]
    assert ada["password_hasher"] == "scrypt_firebase"
    signer = FIREBASE_CONFIG["base64_signer_key"]
    assert ada["password_digest"] == f"{FIREBASE_HASH}${FIREBASE_SALT}${signer}$Bw==$8$14"
    assert (ada["first_name"], ada["last_name"]) == ("Ada", "King Lovelace")
    assert ada["public_metadata"] == {"admin": True}
    assert ada["created_at"] == "2017-02-05T19:47:07.000Z"
    assert users["Kx2"]["phone_number"] == ["+15555550100"] and "email_address" not in users["Kx2"]
    assert users["Kx3"]["banned"] is True
    assert users["Kx3"]["email_address_identification_status"] == ["reserved"]
    rejects = {r["external_id"]: r for r in read_jsonl(tmp_path / "out" / "users.rejected.jsonl")}
    assert rejects["Kx4"]["kind"] == "skipped" and rejects["Kx4"]["code"] == "anonymous"
    assert rejects["Kx5"]["code"] == "invalid_digest" and rejects["Kx5"]["field"] == "salt"
    assert "Firebase MFA enrolments are not carried over" in result.err


def test_firebase_needs_hash_parameters(cli, tmp_path):
    write_json(tmp_path / "users.json", FIREBASE_EXPORT)
    result = cli("migrate", "convert", "--from", "firebase", "users.json", "-o", "users.jsonl")
    assert result.code == 2
    assert "--hash-config" in result.err and "Password hash parameters" in result.err
    assert not (tmp_path / "users.jsonl").exists()
    result = cli("migrate", "convert", "--from", "firebase", "users.json", "--no-passwords", "-o", "users.jsonl")
    assert all("password_digest" not in u for u in read_jsonl(tmp_path / "users.jsonl"))


def test_firebase_sample_signer_key_and_incomplete_parameters_are_refused(cli, tmp_path):
    write_json(tmp_path / "users.json", FIREBASE_EXPORT)
    sample = dict(FIREBASE_CONFIG, base64_signer_key="JbDJcvJ8lq1cSWILYAfwWU66EdgTszlHKHtsP01us8gGIhiRUFpns5sgVL4Wq6"
                                                     "gdStEhF0XaZwTsgACxmQJBJA==")
    write_json(tmp_path / "sample.json", sample)
    result = cli("migrate", "convert", "--from", "firebase", "users.json", "--hash-config", "sample.json",
                 "-o", "users.jsonl")
    assert result.code == 2 and "base64_signer_key" in result.err and "sample key" in result.err
    write_json(tmp_path / "partial.json", {"base64_signer_key": FIREBASE_CONFIG["base64_signer_key"], "rounds": 8})
    result = cli("migrate", "convert", "--from", "firebase", "users.json", "--hash-config", "partial.json",
                 "-o", "users.jsonl")
    assert result.code == 2 and "partial.json" in result.err
    assert "base64_salt_separator, mem_cost" in result.err
    assert not (tmp_path / "users.jsonl").exists()


def test_firebase_console_hash_config_block_is_accepted(cli, tmp_path):
    write_json(tmp_path / "users.json", {"users": FIREBASE_EXPORT["users"][:1]})
    signer = FIREBASE_CONFIG["base64_signer_key"]
    write(tmp_path / "hash.txt", f"hash_config {{\n  algorithm: SCRYPT,\n  base64_signer_key: {signer},\n"
          "  base64_salt_separator: Bw==,\n  rounds: 8,\n  mem_cost: 14,\n}\n")
    result = cli("migrate", "convert", "--from", "firebase", "users.json", "--hash-config", "hash.txt", "-o", "u.jsonl")
    assert result.code == 0, result.err
    assert read_jsonl(tmp_path / "u.jsonl")[0]["password_digest"].endswith("$Bw==$8$14")


def _firebase_both(cli, tmp_path, users: list[dict], eol: str = "\n") -> tuple[str, str]:
    """Converts the same users from the JSON export and from the CSV export."""
    write_json(tmp_path / "users.json", {"users": users})
    (tmp_path / "users.csv").write_bytes(firebase_csv(users, eol).encode())
    write_json(tmp_path / "hash.json", FIREBASE_CONFIG)
    for name in ("json", "csv"):
        result = cli("migrate", "convert", "--from", "firebase", f"users.{name}", "--hash-config", "hash.json",
                     "-o", f"{name}/users.jsonl")
        assert result.code in (0, 1) and "Traceback" not in result.err, result.err
    return ((tmp_path / "json" / "users.jsonl").read_text(), (tmp_path / "csv" / "users.jsonl").read_text())


def test_firebase_csv_export_converts_exactly_like_the_json_export(cli, tmp_path):
    from_json, from_csv = _firebase_both(cli, tmp_path, FIREBASE_EXPORT["users"])
    assert from_csv == from_json and len(from_csv.splitlines()) == 3
    rejects = read_jsonl(tmp_path / "csv" / "users.rejected.jsonl")
    assert [(r["external_id"], r["kind"], r["code"], r["file"], r["line"]) for r in rejects] == [
        ("Kx4", "skipped", "anonymous", "users.csv", 4), ("Kx5", "rejected", "invalid_digest", "users.csv", 5)]
    json_rejects = read_jsonl(tmp_path / "json" / "users.rejected.jsonl")
    assert [(r["code"], r["field"], r["message"]) for r in rejects] == [
        (r["code"], r["field"], r["message"]) for r in json_rejects]
    users = by_id(read_jsonl(tmp_path / "csv" / "users.jsonl"))
    assert users["Kx1"]["password_digest"].startswith(f"{FIREBASE_HASH}${FIREBASE_SALT}$")
    assert users["Kx2"]["phone_number"] == ["+15555550100"] and "email_address" not in users["Kx2"]
    assert users["Kx3"]["banned"] is True


def test_firebase_csv_quoting_crlf_and_the_last_provider_column(cli, tmp_path):
    users = [
        {"localId": "q1", "email": "ada@example.com", "emailVerified": True, "passwordHash": FIREBASE_HASH,
         "salt": FIREBASE_SALT, "displayName": 'Ada "Countess", Lovelace', "createdAt": "1486324027000",
         "customAttributes": '{"role": "admin, owner", "teams": ["a", "b"]}', "disabled": True},
        {"localId": "q2", "phoneNumber": "+15555550100", "lastSignedInAt": "1486324027000", "disabled": False},
        {"localId": "q3", "providerUserInfo": [{"providerId": "yahoo.com", "rawId": "y-1",
                                                "displayName": "Yahoo, Inc. \"user\""}]},
        {"localId": "q4", "email": "grace@example.com", "emailVerified": False},
    ]
    from_json, from_csv = _firebase_both(cli, tmp_path, users, eol="\r\n")
    assert b"\r\n" in (tmp_path / "users.csv").read_bytes()
    assert from_csv == from_json
    out = by_id(read_jsonl(tmp_path / "csv" / "users.jsonl"))
    assert (out["q1"]["first_name"], out["q1"]["last_name"]) == ("Ada", '"Countess", Lovelace')
    assert out["q1"]["public_metadata"] == {"role": "admin, owner", "teams": ["a", "b"]}
    assert out["q1"]["banned"] is True and "banned" not in out["q2"]
    assert out["q2"]["phone_number"] == ["+15555550100"] and out["q2"]["skip_password_requirement"] is True
    assert "q3" not in out  # a provider-only user has no email or phone Clerk can take
    assert out["q4"]["email_address_identification_status"] == ["reserved"]
    rejects = by_id(read_jsonl(tmp_path / "csv" / "users.rejected.jsonl"))
    assert rejects["q3"]["kind"] == "rejected" and rejects["q3"]["line"] == 3


def test_firebase_csv_of_firebase_tools_before_v15_19_has_28_columns(cli, tmp_path):
    rows = firebase_csv(FIREBASE_EXPORT["users"][:3]).splitlines()
    old = "".join(",".join(row.split(",")[:28]) + ",\n" for row in rows)  # the claims of Kx1 hold no comma
    write(tmp_path / "old.csv", old)
    write_json(tmp_path / "hash.json", FIREBASE_CONFIG)
    result = cli("migrate", "convert", "--from", "firebase", "old.csv", "--hash-config", "hash.json", "-o", "u.jsonl")
    assert result.code == 0, result.err
    users = by_id(read_jsonl(tmp_path / "u.jsonl"))
    assert users["Kx1"]["public_metadata"] == {"admin": True} and users["Kx3"]["banned"] is True


# -- Supabase -----------------------------------------------------------------------------

def _supabase_rows() -> list[dict]:
    base = {"aud": "authenticated", "role": "authenticated", "created_at": "2024-06-29 20:25:06.126079+00",
            "raw_app_meta_data": {"provider": "email", "providers": ["email"]}, "is_anonymous": False,
            "is_sso_user": False, "deleted_at": None, "banned_until": None}
    return [
        dict(base, id="11111111-1111-1111-1111-111111111111", email="ada@example.com", encrypted_password=BCRYPT,
             email_confirmed_at="2024-06-29 20:26:00+00", phone="14155550123", phone_confirmed_at=None,
             raw_user_meta_data={"full_name": "Ada Lovelace"},
             raw_app_meta_data={"provider": "email", "providers": ["email"], "role": "admin"}),
        dict(base, id="22222222-2222-2222-2222-222222222222", email="bob@example.com", encrypted_password="",
             email_confirmed_at=None, raw_user_meta_data={}, banned_until="2999-01-01 00:00:00+00"),
        dict(base, id="33333333-3333-3333-3333-333333333333", email="old@example.com", encrypted_password=BCRYPT,
             deleted_at="2024-07-01 00:00:00+00"),
        dict(base, id="44444444-4444-4444-4444-444444444444", email=None, encrypted_password="", is_anonymous=True),
        dict(base, id="55555555-5555-5555-5555-555555555555", email="argon@example.com",
             email_confirmed_at="2024-06-29",
             encrypted_password="$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNo",
             banned_until="2020-01-01 00:00:00+00"),
        dict(base, id="66666666-6666-6666-6666-666666666666", email="fb@example.com", email_confirmed_at="2024-06-29",
             encrypted_password=f"$fbscrypt$v=1,n=16384,r=8,p=1,ss=Bw==,sk={FIREBASE_CONFIG['base64_signer_key']}"
                                f"${FIREBASE_SALT}${FIREBASE_HASH}"),
        dict(base, id="77777777-7777-7777-7777-777777777777", email="sso@corp.example", is_sso_user=True),
    ]


def test_supabase_users_with_totp_factors(cli, tmp_path):
    write_json(tmp_path / "users.json", _supabase_rows())
    write_json(tmp_path / "factors.json", [
        {"id": "f1", "user_id": "11111111-1111-1111-1111-111111111111", "factor_type": "totp", "status": "verified",
         "secret": TOTP, "created_at": "2024-07-01 00:00:00+00", "updated_at": "2024-07-01 00:00:00+00"},
        {"id": "f2", "user_id": "22222222-2222-2222-2222-222222222222", "factor_type": "totp", "status": "unverified",
         "secret": "KRSXG5CTMVRXEZLU", "created_at": "2024-07-01 00:00:00+00", "updated_at": None},
        {"id": "f3", "user_id": "22222222-2222-2222-2222-222222222222", "factor_type": "phone", "status": "verified",
         "secret": None, "phone": "14155550199"},
    ])
    result = cli("migrate", "convert", "--from", "supabase", "users.json", "--mfa", "factors.json", "-o", "users.jsonl")
    assert result.code == 0, result.err
    users = by_id(read_jsonl(tmp_path / "users.jsonl"))
    ada = users["11111111-1111-1111-1111-111111111111"]
    assert ada["phone_number"] == ["+14155550123"]  # GoTrue strips the +
    assert ada["phone_number_identification_status"] == ["reserved"]
    assert ada["email_address_identification_status"] == ["verified"]
    assert (ada["first_name"], ada["last_name"]) == ("Ada", "Lovelace")
    assert ada["totp_secret"] == TOTP
    assert ada["public_metadata"] == {"role": "admin"}
    assert ada["created_at"] == "2024-06-29T20:25:06.126Z"
    bob = users["22222222-2222-2222-2222-222222222222"]
    assert bob["banned"] is True and bob["skip_password_requirement"] is True and "totp_secret" not in bob
    assert bob["email_address_identification_status"] == ["reserved"]
    argon = users["55555555-5555-5555-5555-555555555555"]
    assert argon["password_hasher"] == "argon2id" and "banned" not in argon
    fb = users["66666666-6666-6666-6666-666666666666"]
    assert fb["password_hasher"] == "scrypt_firebase"
    assert fb["password_digest"] == f"{FIREBASE_HASH}${FIREBASE_SALT}${FIREBASE_CONFIG['base64_signer_key']}$Bw==$8$14"
    rejects = {r["external_id"]: (r["kind"], r["code"]) for r in read_jsonl(tmp_path / "users.rejected.jsonl")}
    assert rejects == {"33333333-3333-3333-3333-333333333333": ("skipped", "deleted"),
                       "44444444-4444-4444-4444-444444444444": ("skipped", "anonymous"),
                       "77777777-7777-7777-7777-777777777777": ("skipped", "sso_user")}
    assert "phone factors (Clerk imports only TOTP): 1" in result.err
    assert "UNVERIFIED" in result.err  # the $fbscrypt$ mapping


def test_supabase_csv_with_metadata_as_json_text(cli, tmp_path):
    write(tmp_path / "users.csv", _csv([
        {"id": "a1", "email": "ada@example.com", "encrypted_password": BCRYPT,
         "email_confirmed_at": "2024-06-29 20:26:00.5+00", "phone": "", "phone_confirmed_at": "",
         "raw_user_meta_data": '{"first_name": "Ada"}', "raw_app_meta_data": '{"provider": "email"}',
         "created_at": "2024-06-29 20:25:06+00", "banned_until": "", "deleted_at": "", "is_anonymous": "f",
         "is_sso_user": "false"},
    ]))
    result = cli("migrate", "convert", "--from", "supabase", "users.csv", "-o", "users.jsonl")
    assert result.code == 0, result.err
    [ada] = read_jsonl(tmp_path / "users.jsonl")
    assert ada["first_name"] == "Ada" and ada["unsafe_metadata"] == {"first_name": "Ada"}
    assert "public_metadata" not in ada


def test_supabase_encrypted_totp_secret_rejects_the_user(cli, tmp_path):
    write_json(tmp_path / "users.json", _supabase_rows()[:1])
    write_json(tmp_path / "factors.json", [{"id": "f1", "user_id": "11111111-1111-1111-1111-111111111111",
                                            "factor_type": "totp", "status": "verified",
                                            "secret": '{"key_id":"k1","algorithm":"aes-gcm-hkdf","data":"x"}'}])
    result = cli("migrate", "convert", "--from", "supabase", "users.json", "--mfa", "factors.json", "-o", "u.jsonl")
    assert result.code == 1
    [reject] = read_jsonl(tmp_path / "u.rejected.jsonl")
    assert reject["code"] == "invalid_totp" and "encrypted" in reject["message"]


# -- Cognito ------------------------------------------------------------------------------

def _cognito(username: str, sub: str, status: str = "CONFIRMED", enabled: bool = True, **attrs: str) -> dict:
    attributes = [{"Name": "sub", "Value": sub}] + [{"Name": k.replace("__", ":"), "Value": v}
                                                     for k, v in attrs.items()]
    return {"Username": username, "Attributes": attributes, "UserCreateDate": "2023-04-01T10:00:00.123000+00:00",
            "UserLastModifiedDate": "2023-04-01T10:00:00+00:00", "Enabled": enabled, "UserStatus": status}


def test_cognito_pages_with_awscognito_hasher(cli, tmp_path):
    write_json(tmp_path / "page-1.json", {"Users": [
        _cognito("ada", "aaaa-1", email="ada@example.com", email_verified="true", custom__tenant="acme"),
        _cognito("bbbb-2", "bbbb-2", "UNCONFIRMED", email="bob@example.com", email_verified="false"),
    ], "PaginationToken": "next"})
    write_json(tmp_path / "page-2.json", {"Users": [
        _cognito("Google_1234", "cccc-3", "EXTERNAL_PROVIDER", email="carol@gmail.com", email_verified="false"),
        _cognito("dave", "dddd-4", enabled=False, phone_number="+14155550123", phone_number_verified="true"),
    ]})
    write_json(tmp_path / "cognito.json", {"user_pool_id": "us-east-1_AbC123", "client_id": "7abcd1234efgh",
                                           "sign_in_attribute": "username"})
    result = cli("migrate", "convert", "--from", "cognito", "page-1.json", "page-2.json", "--hash-config",
                 "cognito.json", "-o", "users.jsonl")
    assert result.code == 0, result.err
    users = by_id(read_jsonl(tmp_path / "users.jsonl"))
    assert users["aaaa-1"]["password_digest"] == "awscognito#us-east-1_AbC123#7abcd1234efgh#ada"
    assert users["aaaa-1"]["username"] == "ada" and users["aaaa-1"]["private_metadata"] == {"tenant": "acme"}
    assert users["aaaa-1"]["created_at"] == "2023-04-01T10:00:00.123Z"
    bob = users["bbbb-2"]
    assert "password_digest" not in bob and "username" not in bob
    assert bob["email_address_identification_status"] == ["reserved"]
    assert "username" not in users["cccc-3"] and users["cccc-3"]["skip_password_requirement"] is True
    assert users["dddd-4"]["banned"] is True
    assert "UNCONFIRMED users (no password" in result.err


def test_cognito_without_hash_config_asks_for_a_choice(cli, tmp_path):
    write_json(tmp_path / "users.json", {"Users": [_cognito("ada", "a1", email="ada@example.com")]})
    result = cli("migrate", "convert", "--from", "cognito", "users.json", "-o", "users.jsonl")
    assert result.code == 2 and "awscognito" in result.err and "--no-passwords" in result.err
    write_json(tmp_path / "bad.json", {"user_pool_id": "nope", "client_id": "x"})
    result = cli("migrate", "convert", "--from", "cognito", "users.json", "--hash-config", "bad.json", "-o", "u.jsonl")
    assert result.code == 2 and "user_pool_id" in result.err


# -- Auth.js, Django, Keycloak, clerk-json ------------------------------------------------

def test_authjs_users_table(cli, tmp_path):
    write_json(tmp_path / "users.json", [
        {"id": "clx1", "name": "Ada Lovelace", "email": "ada@example.com", "emailVerified": "2024-01-01T00:00:00Z",
         "image": "https://example.com/a.png", "password": BCRYPT},
        {"id": "clx2", "name": "Bob", "email": "bob@example.com", "emailVerified": None},
        {"id": "clx3", "email": "carol@example.com", "emailVerified": None, "password": "sha1:abcdef"},
    ])
    result = cli("migrate", "convert", "--from", "authjs", "users.json", "-o", "users.jsonl")
    assert result.code == 1
    users = by_id(read_jsonl(tmp_path / "users.jsonl"))
    assert users["clx1"]["password_hasher"] == "bcrypt"
    assert users["clx1"]["email_address_identification_status"] == ["verified"]
    assert users["clx2"]["email_address_identification_status"] == ["reserved"]
    [reject] = read_jsonl(tmp_path / "users.rejected.jsonl")
    assert reject["code"] == "unsupported_hasher" and "--on-unsupported-hash" in reject["message"]
    result = cli("migrate", "convert", "--from", "authjs", "users.json", "--on-unsupported-hash", "no-password",
                 "-o", "users.jsonl")
    assert result.code == 0
    assert by_id(read_jsonl(tmp_path / "users.jsonl"))["clx3"]["skip_password_requirement"] is True


def test_django_dumpdata_password_formats(cli, tmp_path):
    def user(pk: int, password: str, **fields: object) -> dict:
        return {"model": "auth.user", "pk": pk, "fields": {"password": password, "last_login": None,
                "is_superuser": False, "username": f"user{pk}", "first_name": "", "last_name": "",
                "email": f"user{pk}@example.com", "is_staff": False, "is_active": True,
                "date_joined": "2020-05-01T12:00:00Z", "groups": [], "user_permissions": [], **fields}}
    write_json(tmp_path / "dump.json", [
        user(1, "pbkdf2_sha256$600000$dQ8eGv0QYxoO6uTS9lBZxn$Xq3Vt0s1cU9XyxL0y7J1yEoBAgMEBQYHCAkKCwwNDg8=",
             is_superuser=True, is_staff=True, first_name="Ada"),
        user(2, "argon2$argon2id$v=19$m=102400,t=2,p=8$c29tZXNhbHQ$ZXhhbXBsZWhhc2hleGFtcGxlaGFzaA"),
        user(3, "bcrypt_sha256$" + BCRYPT),
        user(4, "!unusablePasswordXyz", is_active=False),
        user(5, "pbkdf2_sha1$260000$salt123$" + "q83vEjRWeJCrze8SNFZ4kKvN7xI="),
        user(6, "md5$abcsalt$" + "0" * 32),
        user(7, "sha1$salt$" + "a" * 40),
    ])
    result = cli("migrate", "convert", "--from", "django", "dump.json", "-o", "users.jsonl")
    assert result.code == 1
    users = by_id(read_jsonl(tmp_path / "users.jsonl"))
    assert users["1"]["password_hasher"] == "pbkdf2_sha256_django"
    assert users["1"]["private_metadata"] == {"django": {"is_staff": True, "is_superuser": True}}
    assert users["1"]["email_address_identification_status"] == ["reserved"]
    assert users["2"]["password_hasher"] == "argon2id" and users["2"]["password_digest"].startswith("$argon2id$")
    assert users["3"]["password_hasher"] == "bcrypt_sha256_django"
    assert users["4"]["skip_password_requirement"] is True and users["4"]["banned"] is True
    assert users["5"]["password_digest"] == ("pbkdf2_sha1$260000$" + b"salt123".hex() + "$"
                                             + "abcdef1234567890abcdef1234567890abcdef12" + "$20")
    assert users["6"] == {**users["6"], "password_hasher": "md5_salted", "password_digest": "abcsalt$" + "0" * 32}
    assert [r["external_id"] for r in read_jsonl(tmp_path / "users.rejected.jsonl")] == ["7"]
    assert "UNVERIFIED: 1 users use md5_salted" in result.err


def test_keycloak_realm_export(cli, tmp_path):
    import base64

    def credential(kind: str, secret: dict, data: dict) -> dict:
        return {"id": "c1", "type": kind, "createdDate": 1700000000000, "secretData": json.dumps(secret),
                "credentialData": json.dumps(data)}
    hash64 = base64.b64encode(bytes(range(64))).decode()
    salt = base64.b64encode(b"0123456789abcdef").decode()
    write_json(tmp_path / "realm.json", {
        "id": "acme", "realm": "acme", "enabled": True, "accessTokenLifespan": 300, "roles": {"realm": []},
        "users": [
            {"id": "kc-1", "createdTimestamp": 1700000000000, "username": "ada", "enabled": True, "emailVerified": True,
             "firstName": "Ada", "email": "ada@example.com", "attributes": {"locale": ["en"]},
             "credentials": [
                 credential("password", {"value": hash64, "salt": salt, "additionalParameters": {}},
                            {"hashIterations": 27500, "algorithm": "pbkdf2-sha256", "additionalParameters": {}}),
                 credential("otp", {"value": "rawsecretvalue123456"},
                            {"subType": "totp", "digits": 6, "counter": 0, "period": 30, "algorithm": "HmacSHA1"})]},
            {"id": "kc-2", "createdTimestamp": 1700000000000, "username": "bob@example.com", "enabled": False,
             "emailVerified": False, "email": "bob@example.com", "credentials": [
                 credential("password", {"value": hash64, "salt": salt},
                            {"hashIterations": 210000, "algorithm": "pbkdf2-sha512"})]},
            {"id": "kc-3", "username": "service-account-backend", "serviceAccountClientId": "backend",
             "enabled": True, "credentials": []},
        ],
        "clients": [{"clientId": "backend"}],
    })
    result = cli("migrate", "convert", "--from", "keycloak", "realm.json", "-o", "users.jsonl")
    assert result.code == 0, result.err
    users = by_id(read_jsonl(tmp_path / "users.jsonl"))
    assert users["kc-1"]["password_digest"] == f"pbkdf2_sha256$27500${salt}${hash64}"
    assert users["kc-1"]["totp_secret"] == base64.b32encode(b"rawsecretvalue123456").decode().rstrip("=")
    assert users["kc-1"]["username"] == "ada"
    assert users["kc-2"]["password_hasher"] == "pbkdf2_sha512_hex" and "username" not in users["kc-2"]
    salt_hex, hash_hex = b"0123456789abcdef".hex(), bytes(range(64)).hex()
    assert users["kc-2"]["password_digest"] == f"pbkdf2_sha512_hex$210000${salt_hex}${hash_hex}"
    assert users["kc-2"]["banned"] is True
    assert read_jsonl(tmp_path / "users.rejected.jsonl")[0]["code"] == "service_account"
    assert "UNVERIFIED: 1 users use pbkdf2_sha256" in result.err and "64-byte" in result.err


def test_clerk_json_migration_tool_schema_keeps_unverified_addresses(cli, tmp_path):
    write_json(tmp_path / "users.json", [
        {"userId": "u1", "email": ["ada@example.com"], "emailAddresses": "ada@work.example",
         "unverifiedEmailAddresses": ["ada@old.example"], "phone": "+14155550123", "firstName": "Ada",
         "password": BCRYPT, "passwordHasher": "bcrypt", "totpSecret": TOTP, "backupCodesEnabled": True,
         "backupCodes": ["abc123", "def456"], "privateMetadata": {"tier": 1}, "skipPasswordChecks": True,
         "createOrganizationsLimit": 3},
        {"userId": "u2", "unverifiedEmailAddresses": "only@unverified.example"},
        {"userId": "u3", "email": "x@example.com", "password": "x", "passwordHasher": "rot13"},
    ])
    result = cli("migrate", "convert", "--from", "clerk-json", "users.json", "-o", "users.jsonl")
    assert result.code == 1
    users = by_id(read_jsonl(tmp_path / "users.jsonl"))
    u1 = users["u1"]
    assert u1["email_address"] == ["ada@example.com", "ada@work.example", "ada@old.example"]
    assert u1["email_address_identification_status"] == ["verified", "verified", "reserved"]
    assert u1["backup_codes"] == ["abc123", "def456"] and u1["totp_secret"] == TOTP
    assert u1["skip_password_checks"] is True and u1["create_organizations_limit"] == 3
    assert users["u2"]["email_address_identification_status"] == ["reserved"]  # Clerk's tool drops this user
    [reject] = read_jsonl(tmp_path / "users.rejected.jsonl")
    assert reject["code"] == "unsupported_hasher" and "rot13" in reject["message"]


def test_clerk_dashboard_csv_export(cli, tmp_path):
    write(tmp_path / "clerk.csv", _csv([
        {"id": "user_2YDryYFVMM1W1plDDKz7Gzf4we6", "first_name": "Jane", "last_name": "Doe", "username": "",
         "primary_email_address": "jane.doe@test.com", "primary_phone_number": "",
         "verified_email_addresses": "jane.doe@test.com|janedoe@test.com", "unverified_email_addresses": "",
         "verified_phone_numbers": "", "unverified_phone_numbers": "+14155550123", "totp_secret": "",
         "password_digest": BCRYPT, "password_hasher": "bcrypt"},
    ]))
    result = cli("migrate", "convert", "--from", "clerk-json", "clerk.csv", "-o", "users.jsonl")
    assert result.code == 0, result.err
    [jane] = read_jsonl(tmp_path / "users.jsonl")
    assert jane["email_address"] == ["jane.doe@test.com", "janedoe@test.com"]
    assert jane["phone_number_identification_status"] == ["reserved"]


def test_supabase_metadata_over_clerks_limit_rejects_only_that_user(cli, tmp_path):
    """8 KB of JSON per metadata object, counted in UTF-8 bytes: 4,500 two-byte characters
    (9,000 bytes) are over it, 4,000 (8,000 bytes) and a short line are not."""
    rows = _supabase_rows()[:2]
    over, under = dict(rows[0]), dict(rows[1])
    over["raw_user_meta_data"] = {"bio": "é" * 4500}
    under["raw_user_meta_data"] = {"bio": "é" * 4000}
    write_json(tmp_path / "users.json", [over, under, _supabase_rows()[4]])
    result = cli("migrate", "convert", "--from", "supabase", "users.json", "-o", "users.jsonl")
    assert result.code == 1
    [reject] = read_jsonl(tmp_path / "users.rejected.jsonl")
    assert (reject["external_id"], reject["code"], reject["field"]) == (over["id"], "metadata_too_large",
                                                                       "unsafe_metadata")
    assert sorted(by_id(read_jsonl(tmp_path / "users.jsonl"))) == [under["id"], _supabase_rows()[4]["id"]]
