"""From the plan to a verified import: the commands CLERK_SETUP.md gives for a planned
migration, run word for word, in order, against the fake Clerk Backend API, with a
Django export of 150 users (a hasher the fake can really verify, for the spot checks)."""

from __future__ import annotations

import base64
import collections
import hashlib
import re
import shlex
import time

from fake_clerk import DEV_KEY, PROD_KEY
from migrate_helpers import write_json, write_jsonl
from plan_helpers import requirements_file

PASSWORD = "correct horse battery staple"
USERS = 150


def _django(password: str, salt: str) -> str:
    raw = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), 1000)
    return f"pbkdf2_sha256$1000${salt}${base64.b64encode(raw).decode()}"


def _export(path) -> None:
    write_json(path, [{"model": "auth.user", "pk": pk, "fields": {
        "password": _django(PASSWORD if pk == 1 else f"password {pk}", f"salt{pk:04d}"), "last_login": None,
        "is_superuser": False, "username": f"user{pk}", "first_name": "", "last_name": "",
        "email": f"user{pk}@example.com", "is_staff": False, "is_active": True,
        "date_joined": "2020-05-01T12:00:00Z", "groups": [], "user_permissions": []}} for pk in range(1, USERS + 1)])


def _commands(guide: str) -> list[tuple[str, str]]:
    """(instance, command) for every command of the migration steps, in the guide's order."""
    out = []
    for title, body in re.findall(r"^## \d+\. (Migration: [^\n]*)\n(.*?)(?=^## )", guide, flags=re.M | re.S):
        instance = "development" if "development" in title else "production"
        for command in re.findall(r"`((?:clerk-advisor|head) [^`]*)`", body):
            out.append((instance, command))
    return out


def test_the_setup_guide_takes_a_django_export_to_a_verified_import_and_back(cli, tmp_path, fake, monkeypatch):
    requirements_file(tmp_path / "clerk-requirements.yaml", {"from": "django", "users": USERS,
                                                              "password_hashes": "pbkdf2_sha256_django"})
    assert cli("generate", "clerk-requirements.yaml", "--stack", "fastapi", "--out", "app").code == 0
    commands = _commands((tmp_path / "app" / "CLERK_SETUP.md").read_text(encoding="utf-8"))
    assert [c.split()[:3] for _, c in commands] == [
        ["clerk-advisor", "migrate", "convert"],
        ["clerk-advisor", "migrate", "import"], ["head", "-n", "100"], ["clerk-advisor", "migrate", "import"],
        ["clerk-advisor", "migrate", "status"], ["clerk-advisor", "migrate", "rollback"],
        ["clerk-advisor", "migrate", "import"], ["clerk-advisor", "migrate", "import"],
        ["clerk-advisor", "migrate", "status"], ["clerk-advisor", "migrate", "rollback"],
    ]
    _export(tmp_path / "auth_user.json")
    write_jsonl(tmp_path / "spot-check.jsonl", [{"external_id": "1", "password": PASSWORD}])
    outcomes = []
    for instance, command in commands:
        monkeypatch.setenv("CLERK_SECRET_KEY", DEV_KEY if instance == "development" else PROD_KEY)
        if command.startswith("head "):  # the shell's part: the first 100 lines
            args = shlex.split(command)
            source, target = tmp_path / args[3], tmp_path / args[5]
            target.write_text("".join(source.read_text().splitlines(keepends=True)[:100]))
            continue
        before = collections.Counter(fake.creations)
        # The guide's own words; only the pace is ours (the fake has no limit worth waiting for,
        # and a small listen backlog that prefers a few connections at a time).
        args = shlex.split(command)[1:]
        pace = ("--quiet", "--rate", "2000", "--concurrency", "4")
        result = cli(*args, *pace) if args[1] in ("import", "rollback") else cli(*args)
        created = fake.creations - before
        outcomes.append((instance, created, time.monotonic(), result, len(fake.users)))

    (_, _, _, convert, _), dev_dry, dev_import, dev_status, dev_rollback, prod_dry, prod_import, prod_status, \
        prod_rollback = outcomes
    assert convert.code == 0 and f"converted {USERS} users from django" in convert.err
    # The whole file does not fit the development cap (the guide says so); the spot check passed.
    assert dev_dry[3].code == 1 and "spot check pbkdf2_sha256_django (user 1): passed" in dev_dry[3].out
    assert "cap" in dev_dry[3].out and dev_dry[4] == 0
    assert dev_import[3].code == 0 and dev_import[4] == 100
    assert dev_status[3].code == 0 and "100 created" in dev_status[3].out
    assert dev_rollback[3].code == 0 and dev_rollback[4] == 0
    assert prod_dry[3].code == 0 and "passed" in prod_dry[3].out and prod_dry[4] == 0
    assert prod_import[3].code == 0 and prod_import[4] == USERS
    assert len(prod_import[1]) == USERS and set(prod_import[1].values()) == {1}, "each user created once"
    assert prod_status[3].code == 0 and f"{USERS} created" in prod_status[3].out
    assert prod_rollback[3].code == 0 and prod_rollback[4] == 0
