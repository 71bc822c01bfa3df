"""No secret ever leaves the files the person gave: not the key, a digest, a TOTP secret,
a backup code or a spot-check password; not in stdout, stderr, the journal (and its WAL),
failures.jsonl, the id map, summary.json or the rejects file. State files are 0600. And
the commands that never talk to Clerk never load httpx."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

from fake_clerk import DEV_KEY
from migrate_helpers import BCRYPT, TOTP, write_json, write_jsonl

from tests.conftest import ROOT

UPPER_MD5 = "5F4DCC3B5AA765D61D8327DEB882CF99"  # fits Clerk's md5 format for us; the fake refuses upper case


def test_no_secret_reaches_output_journal_or_reports(cli, tmp_path, fake):
    fake.echo_digest_in_errors = True  # a careless server that quotes the digest in its error
    users = [{"userId": f"c{i}", "email": f"c{i}@example.com", "password": BCRYPT, "passwordHasher": "bcrypt",
              "totpSecret": TOTP, "backupCodes": [f"backup-{i}-one", f"backup-{i}-two"]} for i in range(6)]
    users.append({"userId": "md5", "email": "md5@example.com", "password": UPPER_MD5, "passwordHasher": "md5"})
    users.append({"userId": "bad", "email": "bad@example.com", "password": "$2b$10$short", "passwordHasher": "bcrypt",
                  "totpSecret": TOTP})
    write_json(tmp_path / "export.json", users)
    write_jsonl(tmp_path / "spot.jsonl", [{"external_id": "c0", "password": "spot-check-password-123"}])
    outputs = []
    for args in (["convert", "--from", "clerk-json", "export.json", "-o", "users.jsonl"],
                 ["convert", "--from", "clerk-json", "export.json", "-o", "users.jsonl", "--format", "json"],
                 ["import", "users.jsonl", "--dry-run"], ["import", "users.jsonl", "--format", "json"],
                 ["import", "users.jsonl"], ["status"], ["status", "--format", "json"],
                 ["rollback", "--yes"], ["rollback", "--yes", "--format", "json"]):
        result = cli("migrate", *args)
        assert result.code in (0, 1), (args, result.err)
        outputs += [result.out, result.err]
    assert fake.users == {} and len(fake.creations) == 6  # created (md5 refused), then rolled back
    assert any("form_password_digest_invalid_code" in text for text in outputs)
    secrets = [DEV_KEY, BCRYPT, UPPER_MD5, TOTP, "spot-check-password-123"]
    secrets += [code for i in range(6) for code in (f"backup-{i}-one", f"backup-{i}-two")]
    state = tmp_path / ".clerk-advisor" / "migrations" / "users.jsonl"
    files = [p for p in state.iterdir()] + [tmp_path / "users.rejected.jsonl"]
    assert {p.name for p in files} >= {"journal.sqlite3", "failures.jsonl", "id-map.csv", "summary.json",
                                       "users.rejected.jsonl"}
    blobs = [text.encode() for text in outputs] + [p.read_bytes() for p in files]
    for secret in secrets:
        for blob in blobs:
            assert secret.encode() not in blob, secret
            assert secret.lower().encode() not in blob.lower(), secret
    for path in files + [tmp_path / "users.jsonl"]:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
    assert stat.S_IMODE(os.stat(state).st_mode) == 0o700


def test_commands_that_stay_offline_do_not_load_httpx(tmp_path):
    write_jsonl(tmp_path / "export.json", [{"user_id": "auth0|a", "email": "a@example.com"}])
    code = (
        "import sys\n"
        "from advisor.cli import main\n"
        "assert main(['migrate', 'convert', '--from', 'auth0', 'export.json', '-o', 'u.jsonl']) == 0\n"
        "assert 'httpx' not in sys.modules and 'asyncio' not in sys.modules\n"
        "assert main(['migrate', 'import', 'u.jsonl', '--dry-run']) == 0\n"
        "assert 'httpx' not in sys.modules\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "CLERK_SECRET_KEY"}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
