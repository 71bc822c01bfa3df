"""Auth0: the bulk user export (NDJSON, or CSV) joined with the password-hash file.

Auth0 gives hashes only through a support ticket, as NDJSON with `_id.$oid`,
`passwordHash` and sometimes `alt_id`; a database user's `user_id` is
`auth0|<alt_id or oid>`. The join happens here (Clerk's tool does not do it). CSV exports
prefix every string with `'` (OWASP CSV-injection escaping); it is removed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from advisor.errors import Location, UserError
from advisor.migrate import readers
from advisor.migrate.draft import Draft
from advisor.migrate.sources._common import Item, Run, flag, from_iso, mapping, text, walk

FORMATS = ("ndjson", "json-array", "csv")
HASH = "auth0-hash"


def read(run: Run) -> Iterator[Item]:
    hashes = _load_hashes(run) if run.hashes else 0
    if not run.hashes:
        run.note("no --hashes file: Auth0 database users are imported without passwords (Auth0 exports "
                 "hashes only through a support ticket; the users can reset their password)")
    run.note("Auth0's standard export has no MFA secrets: enrolled users enrol again in Clerk")
    matched = 0

    def to_draft(raw: dict[str, Any], location: Location, external_id: str) -> Draft:
        nonlocal matched
        provider, _, local_id = external_id.partition("|")
        draft = Draft(
            external_id,
            username=text(raw, "username", location),
            first_name=text(raw, "given_name", location),
            last_name=text(raw, "family_name", location),
            created_at=from_iso(raw.get("created_at"), location, "created_at"),
            banned=flag(raw, "blocked", location),
            unsafe_metadata=mapping(raw, "user_metadata", location),
            private_metadata=mapping(raw, "app_metadata", location),
        )
        email = text(raw, "email", location)
        if email:
            draft.emails.append((email, flag(raw, "email_verified", location)))
        phone = text(raw, "phone_number", location)
        if phone:
            draft.phones.append((phone, flag(raw, "phone_verified", location)))
        if provider == "auth0" and hashes:
            digest = run.index.get(HASH, local_id)
            if digest is not None:
                matched += 1
                draft.password = ("bcrypt", digest)
            else:
                run.count("Auth0 database users without a hash in --hashes (no password)")
        return draft

    for path in run.inputs:
        rows = readers.records(path, formats=FORMATS, what="an Auth0 export")
        yield from walk(_unquote(rows) if readers.sniff(path) == "csv" else rows, path, _id, to_draft)
    if hashes:
        run.count("password hashes joined from --hashes", matched)
        if matched == 0:
            raise UserError(f"none of its {hashes} password hashes belongs to a user of the export: is it from "
                            "the same Auth0 tenant?", location=Location(str(run.hashes)))


def _id(raw: dict[str, Any], location: Location) -> str:
    return text(raw, "user_id", location, required=True) or ""


def _unquote(rows: Iterator[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
    for line, row in rows:
        yield line, {k: v[1:] if v.startswith("'") else v for k, v in row.items()}


def _load_hashes(run: Run) -> int:
    assert run.hashes is not None
    count = 0
    for line, raw in readers.records(run.hashes, formats=("ndjson",), what="Auth0's password-hash file"):
        location = Location(str(run.hashes), line)
        if not isinstance(raw, dict):
            raise UserError("a line of the hash file must be a JSON object", location=location)
        oid = raw.get("_id", {}).get("$oid") if isinstance(raw.get("_id"), dict) else None
        key = text(raw, "alt_id", location) or oid
        if not isinstance(key, str) or not key:
            raise UserError("has neither alt_id nor _id.$oid, so it cannot be joined to a user", location=location,
                            field="_id.$oid")
        digest = text(raw, "passwordHash", location)
        if digest:
            count += 1
            if not run.index.put(HASH, key, digest):
                run.count("repeated ids in --hashes (the first hash was kept)")
    return count
