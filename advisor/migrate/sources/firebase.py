"""Firebase: `firebase auth:export users.json --format=json`, plus the project's password
hash parameters (Console -> Authentication -> Users -> "Password hash parameters").

Firebase hashes with a project-specific modified scrypt; Clerk's `scrypt_firebase`
digest is `hash$salt$signer key$salt separator$rounds$mem cost`, so the parameters are
required (Clerk's tool falls back to a sample signer key, which yields digests that can
never verify; that key is refused here). The export holds no MFA enrolments.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
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
    run.note("Firebase exports no MFA enrolments (mfaInfo): enrolled users enrol again in Clerk")

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
            run.count("users enrolled in MFA (not exported by Firebase)")
        if digest and params is not None:
            if not salt:
                raise Problem("invalid_digest", "salt", "has a passwordHash without its salt")
            draft.password = ("scrypt_firebase", f"{digest}${salt}${params}")
        return draft

    for path in run.inputs:
        rows = readers.records(path, formats=("json-object", "json-array"), array_key="users",
                               what='a Firebase export (`firebase auth:export FILE --format=json`, {"users": [...]})')
        yield from walk(rows, path, lambda raw, loc: text(raw, "localId", loc, required=True) or "", to_draft)


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
