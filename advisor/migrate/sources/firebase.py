"""Firebase: `firebase auth:export users.json --format=json` (or `users.csv --format=csv`),
plus the project's password hash parameters (Console -> Authentication -> Users ->
"Password hash parameters").

Firebase hashes with a project-specific modified scrypt; Clerk's `scrypt_firebase`
digest is `hash$salt$signer key$salt separator$rounds$mem cost`, so the parameters are
required (Clerk's tool falls back to a sample signer key, which yields digests that can
never verify; that key is refused here). MFA enrolments are not carried over (firebase-tools
long left `mfaInfo` out of its exports); enrolled users enrol again in Clerk.

The CSV export has no header row: each row is turned into the JSON export's field names
(`_csv_users`) and takes the same path, so every rule applies to both alike.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from advisor.errors import Location, UserError
from advisor.migrate import readers
from advisor.migrate.draft import Draft
from advisor.migrate.record import Problem
from advisor.migrate.sources._common import Item, Run, Skip, flag, from_millis, listing, mapping, split_name, text, walk

# The sample key in Firebase's scrypt README and Clerk's migration tool: never a project's own.
SAMPLE_SIGNER_KEY = "JbDJcvJ8lq1cSWILYAfwWU66EdgTszlHKHtsP01us8gGIhiRUFpns5sgVL4Wq6gdStEhF0XaZwTsgACxmQJBJA=="
KEYS = ("base64_signer_key", "base64_salt_separator", "rounds", "mem_cost")


def read(run: Run) -> Iterator[Item]:
    params = load_hash_config(run) if run.hash_config else None
    if params is None and not run.no_passwords:
        raise UserError("a Firebase export needs --hash-config FILE: the project's password hash parameters",
                        field="--hash-config", hint="Firebase Console -> Authentication -> Users -> (menu) Password "
                        "hash parameters; or --no-passwords to import everyone without a password")
    run.note("Firebase MFA enrolments are not carried over (older exports leave mfaInfo out): enrolled users "
             "enrol again in Clerk")

    def to_draft(raw: dict[str, Any], location: Location, external_id: str) -> Draft | Skip:
        email = text(raw, "email", location)
        phone = text(raw, "phoneNumber", location)
        providers = listing(raw, "providerUserInfo", location)
        digest, salt = text(raw, "passwordHash", location), text(raw, "salt", location)
        if not (email or phone or providers or digest):
            return Skip("anonymous", "an anonymous Firebase user (no email, phone or provider)")
        first, last = split_name(text(raw, "displayName", location))
        draft = Draft(external_id, first_name=first, last_name=last, banned=flag(raw, "disabled", location),
                      created_at=from_millis(raw.get("createdAt"), location, "createdAt"),
                      public_metadata=mapping(raw, "customAttributes", location))
        if email:
            draft.emails.append((email, flag(raw, "emailVerified", location)))
        if phone:
            draft.phones.append((phone, True))  # Firebase phone sign-in verifies the number by SMS
        if raw.get("mfaInfo"):
            run.count("users enrolled in MFA in Firebase (they enrol again in Clerk)")
        if digest and params is not None:
            if not salt:
                raise Problem("invalid_digest", "salt", "has a passwordHash without its salt")
            draft.password = ("scrypt_firebase", f"{digest}${salt}${params}")
        return draft

    for path in run.inputs:
        rows = readers.records(path, formats=FORMATS, array_key="users", header=False,
                               what='a Firebase export (`firebase auth:export FILE`: JSON {"users": [...]} or CSV)')
        if readers.sniff(path, "users", FORMATS) == "csv":
            rows = _csv_users(rows, path)
        yield from walk(rows, path, lambda raw, loc: text(raw, "localId", loc, required=True) or "", to_draft)


# The CSV columns of `firebase auth:export --format=csv`, by position, named as the JSON export
# names them. Source: firebase/firebase-tools src/accountExporter.ts `transUserToArray` (and
# `transArrayToUser` in src/accountImporter.ts, which reads them back), at commit
# a786bda73b48196fce1df22fe2b1cbc9e463b2d0. Every row ends with a trailing comma
# (`join(",") + "," + os.EOL`, so CRLF on Windows); booleans are written `true`/`false`
# (`disabled` is empty when unset); times are epoch milliseconds; passwordHash and salt are
# already standard base64 (`convertToNormalBase64`, as in the JSON export). Only displayName
# (and a provider's display name) is quoted when it holds a comma, quote or newline, with
# quotes doubled; customAttributes (a JSON text) is always quoted with its quotes doubled,
# except a quote escaped as \" inside a JSON string, which is left as is and so breaks the row.
# Emails, photo URLs and provider ids are never quoted.
_COLUMNS = ("localId", "email", "emailVerified", "passwordHash", "salt", "displayName", "photoUrl")
_PROVIDER = ("rawId", "email", "displayName", "photoUrl")
_PROVIDERS = (("google.com", 7), ("facebook.com", 11), ("twitter.com", 15), ("github.com", 19), ("apple.com", 28),
              ("microsoft.com", 32), ("gc.apple.com", 36), ("playgames.google.com", 40), ("linkedin.com", 44),
              ("yahoo.com", 48))
_TAIL = ((23, "createdAt"), (24, "lastSignedInAt"), (25, "phoneNumber"), (26, "disabled"), (27, "customAttributes"))
# Columns written: 52 since firebase-tools v15.19.0 (apple.com ... yahoo.com at 28-51, commit
# a94799f04); 28 before (google, facebook, twitter, github only), 27 before v8.13.0 (no
# customAttributes), 26 before v7.12.0 (no disabled). Each count with its trailing comma is accepted.
_WIDTHS = (26, 27, 28, 52)
_HEADER_IDS = {"uid", "localid", "local_id", "user id", "user_id", "id"}
FORMATS = ("json-object", "json-array", "csv")


def _csv_users(rows: Iterator[tuple[int, Any]], path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows of a Firebase CSV export as the JSON export's users."""
    first = True
    for line, row in rows:
        location = Location(str(path), line)
        if first and _is_header(row):
            raise UserError("starts with a header row, which `firebase auth:export` does not write (its columns are "
                            "read by position): remove the first line, and check no column was moved",
                            location=location, hint="export again with `firebase auth:export users.csv "
                            "--format=csv`, or with --format=json")
        width = len(row) - 1 if len(row) - 1 in _WIDTHS and row[-1] == "" else len(row)
        if width not in _WIDTHS:
            raise UserError(f"has {len(row)} fields; `firebase auth:export` writes 53 (52 columns and a trailing "
                            "comma), or 29 before firebase-tools v15.19.0", location=location,
                            hint="firebase-tools leaves commas in emails and photo URLs unquoted and cannot write "
                                 'custom claims holding \\" readably: export this project with --format=json')
        user: dict[str, Any] = dict(zip(_COLUMNS, row, strict=False))
        user.update((name, row[at]) for at, name in _TAIL if at < width)
        user["providerUserInfo"] = [
            {"providerId": provider, **dict(zip(_PROVIDER, row[at:at + 4], strict=True))}
            for provider, at in _PROVIDERS if at < width and row[at]]
        first = False
        yield line, user


def _is_header(row: list[str]) -> bool:
    """A first row naming columns (a spreadsheet's), not a user: its first cell names the id, or its
    second the email (a real one holds an @)."""
    cells = [cell.strip().lower() for cell in row[:2]]
    return cells[0] in _HEADER_IDS or cells[1:] in (["email"], ["e-mail"], ["email address"])


def load_hash_config(run: Run) -> str:
    """`signer key$salt separator$rounds$mem cost` from the JSON file (or the text block the
    Firebase console shows)."""
    assert run.hash_config is not None
    where = Location(str(run.hash_config))
    with readers.open_text(run.hash_config) as fh:
        content = fh.read()
    try:
        data = json.loads(content)
    except json.JSONDecodeError:
        data = dict(re.findall(r"(\w+)\s*:\s*([^,\s}]+)", content))
        if not data:
            raise UserError("is neither JSON nor the console's hash_config block", location=where,
                            hint='expected {"base64_signer_key": ..., "base64_salt_separator": ..., "rounds": 8, '
                                 '"mem_cost": 14}') from None
    if not isinstance(data, dict):
        raise UserError("must be a JSON object", location=where)
    if str(data.get("algorithm", "SCRYPT")).upper() != "SCRYPT":
        raise UserError("only Firebase's SCRYPT hashing can be imported", location=where, field="algorithm")
    missing = [k for k in KEYS if data.get(k) in (None, "")]
    if missing:
        raise UserError(f"is missing {', '.join(missing)}", location=where, allowed=", ".join(KEYS),
                        hint="copy them from Firebase Console -> Authentication -> Users -> Password hash parameters")
    for key in KEYS[:2]:
        value = str(data[key])
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise UserError("is not base64", location=where, field=key) from None
    if data["base64_signer_key"] == SAMPLE_SIGNER_KEY:
        raise UserError("is the sample key from Firebase's scrypt README (Clerk's tool uses it as a default), not "
                        "your project's: no password would ever verify", location=where, field="base64_signer_key")
    for key, top in (("rounds", 8), ("mem_cost", 14)):
        if not str(data[key]).isdigit() or not 1 <= int(data[key]) <= top:
            raise UserError(f"must be a whole number from 1 to {top}", location=where, field=key)
    return "$".join(str(data[k]) for k in KEYS)
