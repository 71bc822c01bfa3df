"""Auth.js (NextAuth): rows of your own `users` table (JSON array, NDJSON, or CSV).

Auth.js keeps no passwords itself; an app with a Credentials provider stores its own hash,
which is taken when it names its algorithm (bcrypt `$2a$/$2b$/$2y$`, argon2 PHC strings)
and otherwise needs `--on-unsupported-hash`. OAuth accounts cannot be imported: Clerk
links them by email at the first sign-in, so only a verified email is marked verified.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from advisor.errors import Location
from advisor.migrate import readers
from advisor.migrate.draft import Draft
from advisor.migrate.sources._common import Item, Run, from_iso, split_name, text, walk

PASSWORD_FIELDS = ("password", "password_hash", "passwordHash", "hashed_password", "hashedPassword")


def read(run: Run) -> Iterator[Item]:
    run.note("Auth.js OAuth accounts are not imported: Clerk links them by verified email at the first sign-in")

    def to_draft(raw: dict[str, Any], location: Location, external_id: str) -> Draft:
        first, last = split_name(text(raw, "name", location))
        created = raw.get("created_at", raw.get("createdAt"))
        draft = Draft(external_id, first_name=first, last_name=last,
                      created_at=from_iso(created, location, "created_at"))
        email = text(raw, "email", location)
        if email:
            draft.emails.append((email, bool(raw.get("emailVerified", raw.get("email_verified")))))
        digest = next((text(raw, key, location) for key in PASSWORD_FIELDS if raw.get(key)), None)
        if digest and not run.no_passwords:
            draft.password = self_describing(run, digest)
        return draft

    for path in run.inputs:
        rows = readers.records(path, formats=("json-array", "ndjson", "csv"), what="an Auth.js users table")
        yield from walk(rows, path, lambda raw, loc: text(raw, "id", loc, required=True) or "", to_draft)


def self_describing(run: Run, digest: str) -> tuple[str, str] | None:
    """A hash whose text names its algorithm, else the unsupported-hash choice."""
    if digest.startswith(("$2a$", "$2b$", "$2y$")):
        return "bcrypt", digest
    for variant in ("argon2id", "argon2i"):
        if digest.startswith(f"${variant}$"):
            return variant, digest
    run.unsupported_password("a password hash that does not name its algorithm (not bcrypt or argon2)")
    return None
