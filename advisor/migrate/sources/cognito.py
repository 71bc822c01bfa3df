"""Amazon Cognito: `ListUsers` output (`aws cognito-idp list-users`), one file per page or
one file with every user; `{"Users": [...]}`, a JSON array, or NDJSON.

Cognito never exports password hashes. With `--hash-config` (user pool id, a public app
client with ALLOW_USER_PASSWORD_AUTH, and the attribute users sign in with), confirmed
users get Clerk's `awscognito` digest: Clerk checks the password against Cognito at the
first sign-in and keeps a bcrypt hash. Users Cognito would not let sign in with their
password (unconfirmed, federated, forced to change or reset it) get no password.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from advisor.errors import Location, UserError
from advisor.migrate import readers
from advisor.migrate.draft import Draft
from advisor.migrate.record import Problem
from advisor.migrate.sources._common import Item, Run, from_iso, listing, rfc3339, split_name, text, walk

SIGN_IN = ("username", "email", "phone_number", "sub")
_POOL = re.compile(r"[\w-]+_[0-9A-Za-z]+")


def read(run: Run) -> Iterator[Item]:
    config = _load_config(run) if run.hash_config else None
    if config is None and not run.no_passwords:
        raise UserError("Cognito exports no password hashes: give --hash-config FILE for Clerk's awscognito "
                        "hasher, or --no-passwords to import everyone without a password", field="--hash-config",
                        hint='FILE: {"user_pool_id": "us-east-1_AbC123", "client_id": "<public app client with '
                             'ALLOW_USER_PASSWORD_AUTH>", "sign_in_attribute": "username"}')

    def to_draft(raw: dict[str, Any], location: Location, external_id: str) -> Draft:
        attrs = _attributes(raw, location)
        first, last = attrs.get("given_name"), attrs.get("family_name")
        if not first and not last:
            first, last = split_name(attrs.get("name"))
        custom = {k[7:]: v for k, v in attrs.items() if k.startswith("custom:")}
        status = text(raw, "UserStatus", location) or "CONFIRMED"
        username = text(raw, "Username", location)
        draft = Draft(external_id, first_name=first, last_name=last, private_metadata=custom or None,
                      created_at=_created(raw.get("UserCreateDate"), location),
                      banned=raw.get("Enabled") is False or str(raw.get("Enabled")).lower() == "false")
        if attrs.get("email"):
            draft.emails.append((attrs["email"], attrs.get("email_verified") == "true"))
        if attrs.get("phone_number"):
            draft.phones.append((attrs["phone_number"], attrs.get("phone_number_verified") == "true"))
        if (username and status != "EXTERNAL_PROVIDER" and username not in (external_id, attrs.get("email"),
                                                                             attrs.get("phone_number"))):
            draft.username = username
        if config is not None and status == "CONFIRMED":
            pool, client, attribute = config
            identifier = username if attribute == "username" else attrs.get(attribute)
            if not identifier:
                raise Problem("invalid_digest", attribute, f"has no {attribute}, the pool's sign-in attribute")
            draft.password = ("awscognito", f"awscognito#{pool}#{client}#{identifier}")
        elif config is not None:
            run.count(f"{status} users (no password: Cognito would not accept their password)")
        return draft

    for path in run.inputs:
        rows = readers.records(path, formats=("json-object", "json-array", "ndjson"), array_key="Users",
                               what="Cognito ListUsers output")
        yield from walk(rows, path, _id, to_draft)


def _id(raw: dict[str, Any], location: Location) -> str:
    sub = _attributes(raw, location).get("sub")
    return sub or text(raw, "Username", location, required=True) or ""


def _attributes(raw: dict[str, Any], location: Location) -> dict[str, str]:
    out: dict[str, str] = {}
    for entry in listing(raw, "Attributes", location):
        if not isinstance(entry, dict) or not isinstance(entry.get("Name"), str):
            raise UserError("entries must be {Name, Value} objects", location=location, field="Attributes")
        out[entry["Name"]] = str(entry.get("Value", ""))
    return out


def _created(value: Any, location: Location) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):  # boto3 / the API: epoch seconds
        from datetime import UTC, datetime

        return rfc3339(datetime.fromtimestamp(value, UTC))
    return from_iso(value, location, "UserCreateDate")


def _load_config(run: Run) -> tuple[str, str, str]:
    assert run.hash_config is not None
    where = Location(str(run.hash_config))
    with readers.open_text(run.hash_config) as fh:
        try:
            data = json.load(fh)
        except json.JSONDecodeError as exc:
            raise UserError(f"is not valid JSON: {exc.msg}", location=Location(str(run.hash_config), exc.lineno,
                                                                              exc.colno)) from None
    if not isinstance(data, dict):
        raise UserError("must be a JSON object", location=where)
    pool, client = data.get("user_pool_id"), data.get("client_id")
    attribute = data.get("sign_in_attribute", "username")
    if not isinstance(pool, str) or not _POOL.fullmatch(pool):
        raise UserError("must be a Cognito user pool id like us-east-1_AbC123", location=where, field="user_pool_id")
    if not isinstance(client, str) or not client or "#" in client:
        raise UserError("must be the id of a public app client with ALLOW_USER_PASSWORD_AUTH", location=where,
                        field="client_id")
    if attribute not in SIGN_IN:
        raise UserError("is not a Cognito sign-in attribute", location=where, field="sign_in_attribute",
                        allowed=", ".join(SIGN_IN))
    return pool, client, attribute
