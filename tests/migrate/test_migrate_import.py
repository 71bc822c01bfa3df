"""`migrate import` against the fake Clerk: what ends up in Clerk, in the journal and in the
reports, through the real CLI."""

from __future__ import annotations

import csv
import json
import os
import stat

from fake_clerk import PROD_KEY
from migrate_helpers import read_jsonl, users_jsonl, write_jsonl

from tests.conftest import write

STATE = ".clerk-advisor/migrations/users.jsonl"


def test_import_creates_every_user_once_with_verification_carried(cli, tmp_path, fake):
    rows = users_jsonl(tmp_path / "users.jsonl", 30)
    result = cli("migrate", "import", "users.jsonl", "--rate", "200")
    assert result.code == 0, result.err
    assert len(fake.users) == 30 and set(fake.creations.values()) == {1}
    for row in rows:
        user = fake.user_by_external_id(row["external_id"])
        assert user is not None
        reserved = row["email_address_identification_status"] == ["reserved"]
        assert user["email_addresses"][0]["verification"]["status"] == ("unverified" if reserved else "verified")
    assert "30 users: 30 in Clerk (30 created by this migration, 0 were there already), 0 failed" in result.out
    state = tmp_path / STATE
    with open(state / "id-map.csv", newline="") as fh:
        id_map = {r["external_id"]: r["clerk_user_id"] for r in csv.DictReader(fh)}
    assert id_map == {row["external_id"]: fake.user_by_external_id(row["external_id"])["id"] for row in rows}
    assert (state / "failures.jsonl").read_text() == ""
    assert stat.S_IMODE(os.stat(state).st_mode) == 0o700
    for path in state.iterdir():
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path

    again = cli("migrate", "import", "users.jsonl", "--rate", "200")
    assert again.code == 0 and len(fake.users) == 30 and set(fake.creations.values()) == {1}
    assert "30 done by an earlier run" in again.out


def test_users_already_in_clerk_are_found_not_created(cli, tmp_path, fake):
    rows = users_jsonl(tmp_path / "users.jsonl", 100)
    for row in rows[:60]:  # more than Clerk's default page of 10: the look-up must ask for 100
        fake.seed(row)
    result = cli("migrate", "import", "users.jsonl", "--rate", "500", "--format", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert (doc["created"], doc["existed"]) == (40, 60)
    assert len(fake.requests_to("create")) == 40 and sum(fake.creations.values()) == 40
    assert doc["journal"] == {"created": 40, "existed": 60}


def test_conflicts_and_refusals_are_failures_with_clerks_codes(cli, tmp_path, fake):
    rows = users_jsonl(tmp_path / "users.jsonl", 6)
    other = fake.seed({"external_id": "someone-else", "email_address": [rows[1]["email_address"][0].upper()],
                       "skip_password_requirement": True})
    rows[4].pop("skip_password_requirement")  # the instance requires a password: Clerk says form_data_missing
    write_jsonl(tmp_path / "users.jsonl", rows)
    result = cli("migrate", "import", "users.jsonl", "--rate", "200", "--format", "json")
    assert result.code == 1
    doc = json.loads(result.out)
    assert doc["failures_by_code"] == {"form_identifier_exists": 1, "form_data_missing": 1}
    failures = {f["external_id"]: f for f in doc["failures"]}
    assert failures["old-00001"]["code"] == "form_identifier_exists"
    assert failures["old-00001"]["conflict_user_id"] == other["id"]
    assert failures["old-00004"]["code"] == "form_data_missing" and failures["old-00004"]["http_status"] == 422
    assert read_jsonl(tmp_path / STATE / "failures.jsonl") == doc["failures"]
    status = cli("migrate", "status", "--format", "json")
    assert status.code == 0
    assert json.loads(status.out)["failures_by_code"] == doc["failures_by_code"]
    text = cli("migrate", "status")
    assert "form_identifier_exists" in text.out and "old-00001" in text.out


def test_bad_lines_stop_before_any_request(cli, tmp_path, fake):
    cases = {
        '{"external_id": "a", "email_address": ["a@example.com"], "emails": []}': ("emails", "not a CreateUser field"),
        '{"email_address": ["a@example.com"]}': ("external_id", "is required"),
        '{"external_id": "a", "phone_number": ["555 0100"]}': ("phone_number", "E.164"),
        '{"external_id": "a", "email_address": ["a@example.com"], "password_digest": "x", "password_hasher": "bcrypt"}':
            ("password_digest", "bcrypt format"),
        '{"external_id": "a", "email_address": ["a@example.com"]': (None, "not valid JSON"),
    }
    for line, (field, message) in cases.items():
        write(tmp_path / "users.jsonl", '{"external_id": "ok", "email_address": ["ok@example.com"]}\n' + line + "\n")
        result = cli("migrate", "import", "users.jsonl")
        assert result.code == 2, line
        assert result.err.startswith("error: users.jsonl:2:"), result.err
        assert (field or "") in result.err and message in result.err
    write_jsonl(tmp_path / "users.jsonl", [{"external_id": "a", "email_address": ["Same@example.com"]},
                                          {"external_id": "b", "email_address": ["same@example.com"]}])
    result = cli("migrate", "import", "users.jsonl")
    assert result.code == 2 and result.err.startswith("error: users.jsonl:2: email_address: ")
    assert "line 1" in result.err
    assert fake.requests == [] and not (tmp_path / ".clerk-advisor").exists()


def test_a_refused_key_stops_with_exit_3_and_is_never_printed(cli, tmp_path, fake, monkeypatch):
    users_jsonl(tmp_path / "users.jsonl", 3)
    monkeypatch.setenv("CLERK_SECRET_KEY", "sk_test_wrongwrongwrong")
    result = cli("migrate", "import", "users.jsonl")
    assert result.code == 3
    assert "401" in result.err and "CLERK_SECRET_KEY" in result.err
    assert "sk_test_wrongwrongwrong" not in result.out + result.err
    assert fake.users == {}


def test_production_needs_yes(cli, tmp_path, fake, monkeypatch):
    users_jsonl(tmp_path / "users.jsonl", 3)
    monkeypatch.setenv("CLERK_SECRET_KEY", PROD_KEY)
    result = cli("migrate", "import", "users.jsonl")
    assert result.code == 2 and "--yes" in result.err and "PRODUCTION" in result.err
    assert fake.requests == []
    result = cli("migrate", "import", "users.jsonl", "--yes")
    assert result.code == 0 and len(fake.users) == 3
    assert "production instance" in result.out


def test_development_cap_is_checked_before_creating(cli, tmp_path, fake):
    fake.user_cap = 25
    for i in range(20):
        fake.seed({"external_id": f"dev-{i}", "username": f"devuser{i}", "skip_password_requirement": True})
    users_jsonl(tmp_path / "users.jsonl", 10)
    result = cli("migrate", "import", "users.jsonl", "--dev-user-cap", "25")
    assert result.code == 2 and "cap of 25" in result.err and "nothing was created" in result.err
    assert fake.requests_to("create") == []
    result = cli("migrate", "import", "users.jsonl", "--dev-user-cap", "1000", "--rate", "200")
    assert result.code == 3 and "user_quota_exceeded" in result.err
    assert len(fake.users) == 25
    status = json.loads(cli("migrate", "status", "--format", "json").out)
    assert status["journal"]["created"] == 5  # the creates already sent were answered and journaled


def test_dry_run_writes_nothing(cli, tmp_path, fake, monkeypatch):
    rows = users_jsonl(tmp_path / "users.jsonl", 12)
    fake.seed(rows[0])
    fake.seed({"external_id": "someone-else", "email_address": [rows[2]["email_address"][0]],
               "skip_password_requirement": True})
    result = cli("migrate", "import", "users.jsonl", "--dry-run", "--format", "json")
    assert result.code == 1, result.err  # one conflict predicted
    doc = json.loads(result.out)
    assert (doc["existed"], doc["would_create"]) == (1, 10)
    assert [c["external_id"] for c in doc["would_conflict"]] == ["old-00002"]
    assert doc["instance"]["user_count"] == 2 and doc["instance"]["user_cap"] == 100
    assert fake.requests_to("create") == [] and len(fake.users) == 2
    assert not (tmp_path / ".clerk-advisor").exists()
    monkeypatch.delenv("CLERK_SECRET_KEY")
    offline = cli("migrate", "import", "users.jsonl", "--dry-run")
    assert offline.code == 0 and "no CLERK_SECRET_KEY: checked the file only" in offline.out


def test_help_of_every_subcommand_has_examples(cli):
    for sub in ("convert", "import", "status", "rollback"):
        try:
            cli("migrate", sub, "--help")
        except SystemExit as exit_:
            assert exit_.code == 0
    import subprocess
    import sys

    for sub in ("convert", "import", "status", "rollback"):
        out = subprocess.run([sys.executable, "-m", "advisor", "migrate", sub, "--help"], capture_output=True,
                             text=True, check=True).stdout
        assert "examples:" in out and f"clerk-advisor migrate {sub}" in out


def test_a_field_clerk_no_longer_knows_fails_loudly_per_user(cli, tmp_path, fake, monkeypatch):
    import fake_clerk

    monkeypatch.delitem(fake_clerk.FIELDS, "locked")  # as if Clerk had dropped the field
    rows = users_jsonl(tmp_path / "users.jsonl", 3)
    rows[1]["locked"] = True
    write_jsonl(tmp_path / "users.jsonl", rows)
    result = cli("migrate", "import", "users.jsonl", "--format", "json")
    assert result.code == 1
    doc = json.loads(result.out)
    assert doc["failures"][0]["external_id"] == "old-00001"
    assert doc["failures"][0]["code"] == "form_param_unknown"
    assert len(fake.users) == 2
