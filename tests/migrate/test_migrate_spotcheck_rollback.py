"""Spot checks (a known password verified by Clerk per hasher) and rollback (exactly the
users this state created)."""

from __future__ import annotations

import base64
import hashlib
import json

from fake_clerk import PROD_KEY
from migrate_helpers import users_jsonl, write_jsonl

PASSWORD = "correct horse battery staple"


def _django(password: str, salt: str = "s4ltS4lt", iterations: int = 1000) -> str:
    raw = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations)
    return f"pbkdf2_sha256${iterations}${salt}${base64.b64encode(raw).decode()}"


def _users(tmp_path, hasher: str = "pbkdf2_sha256_django", digest: str | None = None) -> None:
    write_jsonl(tmp_path / "users.jsonl", [
        {"external_id": f"dj-{i}", "email_address": [f"dj{i}@example.com"], "password_hasher": hasher,
         "password_digest": digest or _django(PASSWORD if i == 0 else f"other password {i}")}
        for i in range(5)])


def test_a_passing_spot_check_leaves_no_test_user(cli, tmp_path, fake):
    _users(tmp_path)
    write_jsonl(tmp_path / "spot.jsonl", [{"external_id": "dj-0", "password": PASSWORD}])
    result = cli("migrate", "import", "users.jsonl", "--spot-check", "spot.jsonl", "--rate", "200")
    assert result.code == 0, result.err
    assert "spot check pbkdf2_sha256_django (user dj-0): passed" in result.out
    assert sorted(u["external_id"] for u in fake.users.values()) == [f"dj-{i}" for i in range(5)]
    assert len(fake.deleted) == 1 and len(fake.requests_to("verify_password")) == 1
    assert PASSWORD not in result.out + result.err


def test_a_failing_spot_check_imports_nothing(cli, tmp_path, fake):
    _users(tmp_path)
    write_jsonl(tmp_path / "spot.jsonl", [{"external_id": "dj-0", "password": "not the password"}])
    result = cli("migrate", "import", "users.jsonl", "--spot-check", "spot.jsonl")
    assert result.code == 2
    assert "spot check failed" in result.err and "pbkdf2_sha256_django" in result.err
    assert "incorrect_password" in result.err and "nothing was imported" in result.err
    assert fake.users == {} and len(fake.deleted) == 1
    assert "not the password" not in result.out + result.err
    status = json.loads(cli("migrate", "status", "--format", "json").out)
    assert status["spot_check_users_left"] == 0 and status["users"] == 0


def test_unverified_hashers_wait_for_a_spot_check(cli, tmp_path, fake):
    salt = "pepper"
    digest = f"{salt}${hashlib.md5((salt + PASSWORD).encode()).hexdigest()}"
    _users(tmp_path, "md5_salted", digest)
    result = cli("migrate", "import", "users.jsonl")
    assert result.code == 2 and "md5_salted" in result.err and "UNVERIFIED" in result.err
    assert fake.requests_to("create") == []
    dry = cli("migrate", "import", "users.jsonl", "--dry-run")
    assert dry.code == 1 and "spot check" in dry.out
    write_jsonl(tmp_path / "spot.jsonl", [{"external_id": "dj-3", "password": PASSWORD}])
    dry = cli("migrate", "import", "users.jsonl", "--dry-run", "--spot-check", "spot.jsonl", "--format", "json")
    assert dry.code == 0, dry.out
    assert json.loads(dry.out)["spot_checks"][0]["passed"] is True and fake.users == {}
    result = cli("migrate", "import", "users.jsonl", "--rate", "200")  # the pass is remembered by the state
    assert result.code == 0, result.err
    assert len(fake.users) == 5


def test_spot_check_file_problems(cli, tmp_path, fake):
    _users(tmp_path)
    write_jsonl(tmp_path / "spot.jsonl", [{"external_id": "nobody", "password": "x"}])
    result = cli("migrate", "import", "users.jsonl", "--spot-check", "spot.jsonl")
    assert result.code == 2 and result.err.startswith("error: spot.jsonl:1: external_id: ")
    write_jsonl(tmp_path / "spot.jsonl", [{"external_id": "dj-0", "pass": "x"}])
    assert cli("migrate", "import", "users.jsonl", "--spot-check", "spot.jsonl").code == 2
    assert fake.requests == []


def test_rollback_deletes_exactly_what_this_state_created(cli, tmp_path, fake):
    rows = users_jsonl(tmp_path / "users.jsonl", 20)
    before = [fake.seed(row) for row in rows[:5]]
    bystander = fake.seed({"external_id": "not-ours", "email_address": ["x@example.com"],
                           "skip_password_requirement": True})
    assert cli("migrate", "import", "users.jsonl", "--rate", "200").code == 0
    assert len(fake.users) == 21
    refused = cli("migrate", "rollback")
    assert refused.code == 2 and "--yes" in refused.err and len(fake.users) == 21
    result = cli("migrate", "rollback", "--yes", "--rate", "200", "--format", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["deleted"] == 15 and doc["journal"] == {"existed": 5, "rolled_back": 15}
    assert set(fake.users) == {u["id"] for u in before} | {bystander["id"]}
    again = cli("migrate", "rollback", "--yes")
    assert again.code == 0 and json.loads(cli("migrate", "status", "--format", "json").out)["journal"] == {
        "existed": 5, "rolled_back": 15}
    reimport = cli("migrate", "import", "users.jsonl", "--rate", "200")
    assert reimport.code == 0 and len(fake.users) == 21


def test_rollback_refuses_another_instance(cli, tmp_path, fake, monkeypatch):
    users_jsonl(tmp_path / "users.jsonl", 2)
    assert cli("migrate", "import", "users.jsonl").code == 0
    monkeypatch.setenv("CLERK_SECRET_KEY", PROD_KEY)
    result = cli("migrate", "rollback", "--yes")
    assert result.code == 2 and "belongs to the development instance kind" in result.err
    assert len(fake.users) == 2
