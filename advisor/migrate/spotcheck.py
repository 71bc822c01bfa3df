"""Spot checks: does Clerk verify a known password against a digest of this hasher?

For each line of the spot-check file ({"external_id": ..., "password": ...}: a test user
of the export whose password you know), a throwaway copy of that user's digest is
created under its own external_id and email, `POST /v1/users/{id}/verify_password` is
asked, and the copy is deleted. The copy is journaled like any created user (pending
first), so a kill in between leaves nothing that rollback cannot find. The password is
never printed or stored. A pass is remembered in the journal per hasher.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.errors import Location, UserError
from advisor.migrate import readers
from advisor.migrate.api import Answer, Uncertain
from advisor.migrate.journal import Journal
from advisor.migrate.secrets import scrub

if TYPE_CHECKING:
    from advisor.migrate.client import ClerkClient

PREFIX = "clerk-advisor-spot-check-"


@dataclass(frozen=True)
class Check:
    external_id: str
    password: str
    line: int


def load(path: Path) -> list[Check]:
    checks = []
    for line, raw in readers.records(path, formats=("ndjson", "json-array"), what="a spot-check file"):
        location = Location(str(path), line)
        if not isinstance(raw, dict) or set(raw) - {"external_id", "password"}:
            raise UserError('each entry must be {"external_id": ..., "password": ...}', location=location)
        for key in ("external_id", "password"):
            if not isinstance(raw.get(key), str) or not raw[key]:
                raise UserError("must be a non-empty string", location=location, field=key)
        checks.append(Check(raw["external_id"], raw["password"], line))
    if not checks:
        raise UserError("has no entries", location=Location(str(path)))
    return checks


def passed(journal: Journal, hasher: str) -> bool:
    return journal.meta(f"spot_check:{hasher}") == "passed"


def validate(checks: list[Check], users: dict[str, dict[str, Any]], path: Path) -> None:
    """Before any request: every check names a user of the file that has a digest."""
    for check in checks:
        user = users.get(check.external_id)
        location = Location(str(path), check.line)
        if user is None:
            raise UserError(f"external_id {check.external_id} is not in the users file", location=location,
                            field="external_id")
        if "password_hasher" not in user:
            raise UserError(f"user {check.external_id} has no password digest to check", location=location)


async def run(journal: Journal, client: ClerkClient, checks: list[Check],
              users: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    results = []
    for check in checks:
        user = users[check.external_id]
        outcome = await _one(journal, client, user, check.password)
        outcome.update(hasher=user["password_hasher"], external_id=check.external_id)
        if outcome["passed"]:
            journal.set_meta(f"spot_check:{user['password_hasher']}", "passed")
        results.append(outcome)
    return results


async def _one(journal: Journal, client: ClerkClient, user: dict[str, Any], password: str) -> dict[str, Any]:
    tag = secrets.token_hex(6)
    copy = {"external_id": PREFIX + tag, "email_address": [f"spot-check-{tag}@example.com"],
            "email_address_identification_status": ["reserved"], "password_digest": user["password_digest"],
            "password_hasher": user["password_hasher"], "skip_legal_checks": True, "skip_user_requirement": True}
    hidden = [user["password_digest"], password]
    journal.pending(copy["external_id"], None, kind="spot_check")
    created = await client.create(copy)
    if isinstance(created, Uncertain):
        found = await client.find("external_id", [copy["external_id"]])
        if not found:
            journal.rolled_back(copy["external_id"])
            return {"passed": False, "code": created.code, "message": scrub(created.message, hidden)}
        created = Answer(200, found[0])
    if not created.ok:
        journal.rolled_back(copy["external_id"])
        return {"passed": False, "code": created.code, "message": scrub(created.message, hidden)}
    user_id = str(created.body["id"])
    journal.created(copy["external_id"], user_id)
    try:
        verified = await client.verify_password(user_id, password)
    finally:
        deleted = await client.delete(user_id)
        if isinstance(deleted, Answer) and (deleted.ok or deleted.status == 404):
            journal.rolled_back(copy["external_id"])
    body = verified.body if isinstance(verified, Answer) and verified.ok else None
    if isinstance(body, dict) and body.get("verified") is True:
        return {"passed": True, "code": None, "message": "Clerk verified the password"}
    code = verified.code
    return {"passed": False, "code": code, "message": scrub(verified.message, hidden)}
