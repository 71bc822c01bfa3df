"""Django: rows of `auth_user` (JSON array, NDJSON, CSV) or `manage.py dumpdata auth.user`.

Django's `<algorithm>$...` password strings map onto Clerk's hashers: pbkdf2_sha256 ->
pbkdf2_sha256_django, bcrypt_sha256 -> bcrypt_sha256_django, bcrypt -> bcrypt, argon2 ->
argon2id/argon2i (without Django's prefix), pbkdf2_sha1 -> pbkdf2_sha1 (salt and hash
re-encoded as hex, key length 20), md5 -> md5_salted (salt order UNVERIFIED). A password
starting with `!` is unusable in Django, so the user gets none. Django does not record
whether an email was verified, so emails are imported `reserved`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from typing import Any

from advisor.errors import Location, UserError
from advisor.migrate import readers
from advisor.migrate.draft import Draft
from advisor.migrate.sources._common import Item, Run, flag, from_iso, text, walk


def read(run: Run) -> Iterator[Item]:
    run.note("Django keeps no email verification, so emails are imported reserved (usable to sign in, verified on "
             "first use)")

    def to_draft(raw: dict[str, Any], location: Location, external_id: str) -> Draft:
        fields = _fields(raw, location)
        staff = {k: True for k in ("is_staff", "is_superuser") if flag(fields, k, location)}
        draft = Draft(external_id, username=text(fields, "username", location),
                      first_name=text(fields, "first_name", location), last_name=text(fields, "last_name", location),
                      created_at=from_iso(fields.get("date_joined"), location, "date_joined"),
                      banned=fields.get("is_active") not in (None, "") and not flag(fields, "is_active", location),
                      private_metadata={"django": staff} if staff else None)
        email = text(fields, "email", location)
        if email:
            draft.emails.append((email, False))
        password = text(fields, "password", location)
        if password and not password.startswith("!") and not run.no_passwords:
            draft.password = convert_password(run, password)
        return draft

    for path in run.inputs:
        rows = readers.records(path, formats=("json-array", "ndjson", "csv"), what="a Django auth_user export")
        yield from walk(rows, path, _id, to_draft)


def _fields(raw: dict[str, Any], location: Location) -> dict[str, Any]:
    if "fields" in raw and "model" in raw:  # dumpdata
        if not isinstance(raw["fields"], dict):
            raise UserError("must be an object", location=location, field="fields")
        return raw["fields"]
    return raw


def _id(raw: dict[str, Any], location: Location) -> str:
    key = "pk" if "fields" in raw and "model" in raw else "id"
    return text(raw, key, location, required=True) or ""


def convert_password(run: Run, encoded: str) -> tuple[str, str] | None:
    algorithm, _, rest = encoded.partition("$")
    if algorithm == "pbkdf2_sha256":
        return "pbkdf2_sha256_django", encoded
    if algorithm == "bcrypt_sha256":
        return "bcrypt_sha256_django", encoded
    if algorithm == "bcrypt":
        return "bcrypt", rest
    if algorithm == "argon2" and rest.startswith(("argon2id$", "argon2i$")):
        return rest.split("$")[0], "$" + rest  # Django writes "argon2" + the PHC string
    if algorithm == "pbkdf2_sha1":
        parts = rest.split("$")
        if len(parts) == 3:
            iterations, salt, hashed = parts
            try:
                raw_hash = base64.b64decode(hashed, validate=True)
            except (binascii.Error, ValueError):
                raw_hash = b""
            if raw_hash:
                return "pbkdf2_sha1", f"pbkdf2_sha1${iterations}${salt.encode().hex()}${raw_hash.hex()}${len(raw_hash)}"
    if algorithm == "md5" and rest.count("$") == 1:
        return "md5_salted", rest
    if algorithm == "unsalted_md5" and rest.startswith("$"):
        return "md5", rest[1:]
    if len(encoded) == 32 and all(c in "0123456789abcdef" for c in encoded):
        return "md5", encoded  # Django's oldest, unprefixed form
    run.unsupported_password(f"a Django {algorithm or 'unknown'} password")
    return None
