"""clerk-json: the input of Clerk's own migration tool (clerk/migration-tool), so its users
can switch: its schema (`userId`, `email`, `unverifiedEmailAddresses`, `password` +
`passwordHasher`, `totpSecret`, ...), and the Clerk Dashboard's user export it reads for
Clerk-to-Clerk moves (`id`, `primary_email_address`, `verified_email_addresses`, ...).
JSON array, NDJSON or CSV; in CSV, several values in one cell are separated by , or |.

Unlike that tool, every identifier goes into the one CreateUser call, and unverified
addresses are kept (as `reserved`), not dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from advisor.errors import Location, UserError
from advisor.migrate import readers
from advisor.migrate.draft import Draft
from advisor.migrate.sources._common import Item, Run, flag, from_iso, mapping, text, walk

# migration-tool field -> CreateUser field, for the fields passed as they are
_TOOL_EXTRA = {"bypassClientTrust": "bypass_client_trust", "createOrganizationEnabled": "create_organization_enabled",
               "deleteSelfEnabled": "delete_self_enabled", "skipLegalChecks": "skip_legal_checks",
               "skipPasswordChecks": "skip_password_checks"}


def read(run: Run) -> Iterator[Item]:
    for path in run.inputs:
        rows = readers.records(path, formats=("json-array", "ndjson", "csv"), what="a migration-tool users file")
        yield from walk(rows, path, _id, lambda raw, loc, ext: _tool(raw, loc, ext) if "userId" in raw
                        else _dashboard(raw, loc, ext))


def _id(raw: dict[str, Any], location: Location) -> str:
    if "userId" not in raw and "id" not in raw:
        raise UserError("has neither userId (migration-tool) nor id (Clerk Dashboard export)", location=location,
                        field="userId")
    return text(raw, "userId" if "userId" in raw else "id", location, required=True) or ""


def _tool(raw: dict[str, Any], location: Location, external_id: str) -> Draft:
    draft = Draft(external_id, username=text(raw, "username", location),
                  first_name=text(raw, "firstName", location), last_name=text(raw, "lastName", location),
                  totp_secret=text(raw, "totpSecret", location), banned=flag(raw, "banned", location),
                  created_at=from_iso(raw.get("createdAt"), location, "createdAt"),
                  public_metadata=mapping(raw, "publicMetadata", location),
                  private_metadata=mapping(raw, "privateMetadata", location),
                  unsafe_metadata=mapping(raw, "unsafeMetadata", location))
    draft.emails = [(e, True) for key in ("email", "emailAddresses") for e in _many(raw, key, location)]
    draft.emails += [(e, False) for e in _many(raw, "unverifiedEmailAddresses", location)]
    draft.phones = [(p, True) for key in ("phone", "phoneNumbers") for p in _many(raw, key, location)]
    draft.phones += [(p, False) for p in _many(raw, "unverifiedPhoneNumbers", location)]
    _password(draft, raw, location, "password", "passwordHasher")
    codes = _many(raw, "backupCodes", location)
    if codes and (raw.get("backupCodesEnabled") is None or flag(raw, "backupCodesEnabled", location)):
        draft.backup_codes = codes
    for source, target in _TOOL_EXTRA.items():
        if raw.get(source) not in (None, ""):
            draft.extra[target] = flag(raw, source, location)
    if raw.get("legalAcceptedAt"):
        draft.extra["legal_accepted_at"] = from_iso(raw["legalAcceptedAt"], location, "legalAcceptedAt")
    if raw.get("createOrganizationsLimit") not in (None, ""):
        limit = text(raw, "createOrganizationsLimit", location) or ""
        if not limit.isdigit():
            raise UserError("must be a whole number", location=location, field="createOrganizationsLimit")
        draft.extra["create_organizations_limit"] = int(limit)
    return draft


def _dashboard(raw: dict[str, Any], location: Location, external_id: str) -> Draft:
    draft = Draft(external_id, username=text(raw, "username", location),
                  first_name=text(raw, "first_name", location), last_name=text(raw, "last_name", location),
                  totp_secret=text(raw, "totp_secret", location),
                  public_metadata=mapping(raw, "public_metadata", location),
                  private_metadata=mapping(raw, "private_metadata", location),
                  unsafe_metadata=mapping(raw, "unsafe_metadata", location))
    for kind, plural, target in (("email_address", "email_addresses", draft.emails),
                                 ("phone_number", "phone_numbers", draft.phones)):
        verified = (f"primary_{kind}", f"verified_{plural}", plural)
        target += [(v, True) for key in verified for v in _many(raw, key, location)]
        target += [(v, False) for v in _many(raw, f"unverified_{plural}", location)]
    _password(draft, raw, location, "password_digest", "password_hasher")
    codes = _many(raw, "backup_codes", location)
    if codes:
        draft.backup_codes = codes
    return draft


def _password(draft: Draft, raw: dict[str, Any], location: Location, digest_key: str, hasher_key: str) -> None:
    digest, hasher = text(raw, digest_key, location), text(raw, hasher_key, location)
    if digest and not hasher:
        raise UserError(f"is required when {digest_key} is set", location=location, field=hasher_key)
    if digest and hasher:
        draft.password = (hasher, digest)


def _many(raw: dict[str, Any], key: str, location: Location) -> list[str]:
    value = raw.get(key)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"[,|]", value) if v.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise UserError("must be a string or a list of strings", location=location, field=key)
