"""Bad input to `migrate convert`: one UserError naming file, line and field, exit 2, no
traceback, and no output file (an earlier users.jsonl stays as it was)."""

from __future__ import annotations

import json

import pytest
from migrate_helpers import auth0_user, firebase_csv, write_json, write_jsonl

from tests.conftest import run_process, write

EARLIER = '{"external_id":"kept"}\n'


def _convert(cli, tmp_path, source: str, *args: str):
    write(tmp_path / "users.jsonl", EARLIER)
    result = cli("migrate", "convert", "--from", source, *args, "-o", "users.jsonl")
    assert result.code == 2, result.err
    assert result.out == ""
    assert "Traceback" not in result.err
    assert (tmp_path / "users.jsonl").read_text() == EARLIER
    assert not (tmp_path / "users.rejected.jsonl").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    return result.err


def test_malformed_ndjson_line(cli, tmp_path):
    rows = [json.dumps(auth0_user(f"auth0|{i}", f"u{i}@example.com")) for i in range(3)]
    rows.insert(2, '{"user_id": "auth0|x", "email": "x@example.com",')
    write(tmp_path / "export.json", "\n".join(rows) + "\n")
    err = _convert(cli, tmp_path, "auth0", "export.json")
    assert err.startswith("error: export.json:3:")
    assert "not valid JSON" in err


def test_malformed_element_deep_in_a_json_array(cli, tmp_path):
    users = [{"localId": f"u{i}", "email": f"u{i}@example.com"} for i in range(50)]
    text = json.dumps({"users": users}, indent=1).replace('"localId": "u40",', '"localId": "u40"', 1)
    write(tmp_path / "users.json", text)
    err = _convert(cli, tmp_path, "firebase", "users.json", "--no-passwords")
    line = text.splitlines().index(next(x for x in text.splitlines() if '"u40"' in x)) + 2
    assert err.startswith(f"error: users.json:{line}:"), err


@pytest.mark.parametrize(("source", "document", "message"), [
    ("firebase", {"kind": "identitytoolkit#DownloadAccountResponse"}, 'no "users" array'),
    ("firebase", {"users": {"localId": "a"}}, '"users" must be an array'),
    ("supabase", {"users": [{"id": "a", "email": "a@example.com"}]}, "looks like a JSON object"),
    ("keycloak", [["not", "a", "user"]], "must be a JSON object"),
])
def test_wrong_json_shape(cli, tmp_path, source, document, message):
    write(tmp_path / "in.json", json.dumps(document, indent=2))
    err = _convert(cli, tmp_path, source, "in.json", *(["--no-passwords"] if source == "firebase" else []))
    assert "in.json" in err and message in err


@pytest.mark.parametrize(("row", "field", "message"), [
    ({"email": "a@example.com"}, "user_id", "is missing"),
    ({"user_id": "auth0|a", "email": ["a@example.com"]}, "email", "must be a string"),
    ({"user_id": "auth0|a", "email": "a@example.com", "email_verified": "maybe"}, "email_verified", "true or false"),
    ({"user_id": "auth0|a", "email": "a@example.com", "user_metadata": [1]}, "user_metadata", "JSON object"),
    ({"user_id": "auth0|a", "email": "a@example.com", "created_at": "yesterday"}, "created_at", "not a time"),
])
def test_wrong_field_names_file_line_and_field(cli, tmp_path, row, field, message):
    write_jsonl(tmp_path / "export.json", [auth0_user("auth0|ok", "ok@example.com"), row])
    err = _convert(cli, tmp_path, "auth0", "export.json")
    assert err.startswith(f"error: export.json:2: {field}: "), err
    assert message in err


def _firebase_row(**user) -> str:
    return firebase_csv([{"localId": "ok", "email": "ok@example.com"}, user])


@pytest.mark.parametrize(("text", "where", "message"), [
    ("ok,ok@example.com,true,,,Ok,,\n", "users.csv:1: ", "has 8 fields; `firebase auth:export` writes 53"),
    (_firebase_row(localId="a", email="a@example.com").replace(",\n", ",,\n", 1), "users.csv:1: ", "has 54 fields"),
    (_firebase_row(localId="a", email="a@example.com", photoUrl="https://x.test/a,b.png"), "users.csv:2: ",
     "has 54 fields"),
    ("uid,email,emailVerified,passwordHash\n" + _firebase_row(localId="a"), "users.csv:1: ", "a header row"),
    ("localId,email\n", "users.csv:1: ", "a header row"),
    ("  \r\n\r\n", "users.csv: ", "is empty"),
    (_firebase_row(email="a@example.com"), "users.csv:2: localId: ", "is missing"),
    (_firebase_row(localId="a", email="a@example.com", createdAt="yesterday"), "users.csv:2: createdAt: ",
     "epoch milliseconds"),
    (_firebase_row(localId="a", email="a@example.com", emailVerified="maybe"), "users.csv:2: emailVerified: ",
     "true or false"),
    (_firebase_row(localId="a", email="a@example.com", customAttributes="[1]"), "users.csv:2: customAttributes: ",
     "must be a JSON object"),
])
def test_firebase_csv_bad_rows_name_file_line_and_field(cli, tmp_path, text, where, message):
    write(tmp_path / "users.csv", text)
    err = _convert(cli, tmp_path, "firebase", "users.csv", "--no-passwords")
    assert err.startswith(f"error: {where}"), err
    assert message in err


def test_firebase_csv_bad_value_is_the_same_message_as_in_the_json_export(cli, tmp_path):
    users = [{"localId": "ok", "email": "ok@example.com"}, {"localId": "a", "email": "a@example.com", "createdAt": "soon"}]
    write(tmp_path / "users.csv", firebase_csv(users))
    write_json(tmp_path / "users.json", {"users": users})
    from_csv = _convert(cli, tmp_path, "firebase", "users.csv", "--no-passwords")
    from_json = _convert(cli, tmp_path, "firebase", "users.json", "--no-passwords")
    assert from_csv.startswith("error: users.csv:2: ") and from_json.startswith("error: users.json:")
    assert from_csv.split(": ", 2)[2] == from_json.split(": ", 2)[2]


def test_firebase_csv_with_a_comma_in_custom_claims_of_old_firebase_tools(cli, tmp_path):
    """firebase-tools before v11.25.2 wrote custom claims unquoted: a comma in them shifts the row."""
    row = firebase_csv([{"localId": "a", "email": "a@example.com"}]).split(",")[:27]
    write(tmp_path / "users.csv", ",".join(row) + ',{"admin":true,"tier":2},\n')
    err = _convert(cli, tmp_path, "firebase", "users.csv", "--no-passwords")
    assert err.startswith("error: users.csv:1: has 30 fields") and "--format=json" in err


def test_unreadable_and_missing_files(cli, tmp_path):
    err = _convert(cli, tmp_path, "supabase", "missing.json")
    assert "missing.json: cannot be read" in err
    (tmp_path / "dir.json").mkdir()
    assert "is a directory" in _convert(cli, tmp_path, "supabase", "dir.json")
    write(tmp_path / "locked.json", "[]")
    (tmp_path / "locked.json").chmod(0)
    try:
        import os

        if os.geteuid() != 0:
            assert "permission denied" in _convert(cli, tmp_path, "supabase", "locked.json")
    finally:
        (tmp_path / "locked.json").chmod(0o600)
    (tmp_path / "latin1.json").write_bytes(b'[{"id": "a", "email": "caf\xe9@example.com"}]')
    assert "not UTF-8" in _convert(cli, tmp_path, "supabase", "latin1.json")


def test_missing_hash_config_and_misplaced_flags(cli, tmp_path):
    write_json(tmp_path / "users.json", {"users": [{"localId": "a", "email": "a@example.com"}]})
    assert "--hash-config" in _convert(cli, tmp_path, "firebase", "users.json")
    assert "--hash-config FILE" not in _convert(cli, tmp_path, "firebase", "users.json", "--hash-config", "nope.json")
    write_json(tmp_path / "hash.json", {})
    assert "--hashes is for auth0" in _convert(cli, tmp_path, "firebase", "users.json", "--hashes", "hash.json")
    write(tmp_path / "hash.txt", "nothing useful")
    assert "hash.txt" in _convert(cli, tmp_path, "firebase", "users.json", "--hash-config", "hash.txt")


def test_hash_file_line_without_id(cli, tmp_path):
    write_jsonl(tmp_path / "export.json", [auth0_user("auth0|a", "a@example.com")])
    write_jsonl(tmp_path / "hashes.json", [{"_id": {"$oid": "a"}, "passwordHash": "x"}, {"passwordHash": "y"}])
    err = _convert(cli, tmp_path, "auth0", "export.json", "--hashes", "hashes.json")
    assert err.startswith("error: hashes.json:2: _id.$oid: ")


def test_bad_input_as_a_real_process(tmp_path):
    write(tmp_path / "export.json", '{"user_id": "auth0|a", \n')
    result = run_process("migrate", "convert", "--from", "auth0", "export.json", "-o", "users.jsonl", cwd=tmp_path)
    assert result.code == 2 and "Traceback" not in result.err
    assert result.err.startswith("error: export.json:1:")
    assert not (tmp_path / "users.jsonl").exists()
