"""On a terminal: a production import and a rollback ask for a typed yes, and the progress
bar (rate and ETA) is drawn on stderr."""

from __future__ import annotations

import os
import sys

import pexpect
from fake_clerk import PROD_KEY
from migrate_helpers import users_jsonl

from tests.conftest import ROOT


def _spawn(fake, cwd, *args: str):
    env = {**os.environ, "CLERK_API_URL": fake.base_url, "CLERK_SECRET_KEY": PROD_KEY, "NO_COLOR": "1",
           "PYTHONPATH": str(ROOT)}
    return pexpect.spawn(sys.executable, ["-m", "advisor", "migrate", *args], cwd=str(cwd), env=env,
                         encoding="utf-8", timeout=60, dimensions=(24, 160))


def _finish(child) -> tuple[int, str]:
    child.expect(pexpect.EOF)
    text = child.before
    child.close()
    return child.exitstatus, text


def test_production_import_and_rollback_ask_on_a_terminal(tmp_path, fake):
    users_jsonl(tmp_path / "users.jsonl", 40)
    child = _spawn(fake, tmp_path, "import", "users.jsonl", "--rate", "40")
    child.expect_exact("import 40 users into the PRODUCTION instance")
    child.expect_exact("Type yes to go on:")
    child.sendline("no")
    code, text = _finish(child)
    assert code == 2 and "not confirmed; nothing was sent to Clerk" in text
    assert fake.requests == []

    child = _spawn(fake, tmp_path, "import", "users.jsonl", "--rate", "40")
    child.expect_exact("Type yes to go on:")
    child.sendline("yes")
    child.expect(r"importing \[[#.]+\] \d+/40 +\d+%  [\d.]+/s  ETA \d+:\d\d")
    code, text = _finish(child)
    assert code == 0, text
    assert len(fake.users) == 40

    child = _spawn(fake, tmp_path, "rollback", "--rate", "40")
    child.expect_exact("delete up to 40 users this migration created in the production instance")
    child.sendline("yes")
    code, text = _finish(child)
    assert code == 0, text
    assert fake.users == {}
