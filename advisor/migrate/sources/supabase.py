"""Supabase: rows of `auth.users` (a JSON array, NDJSON, or CSV from SQL), and optionally
the rows of `auth.mfa_factors` (`--mfa`) for TOTP.

Supabase stores phones without their `+` (GoTrue strips it), so it is put back. Deleted,
anonymous and SSO-only rows are not users to import and are reported as skipped.
Metadata from SQL or CSV may arrive as JSON text. `raw_user_meta_data` is writable by the
user in Supabase, so it becomes `unsafe_metadata`; `raw_app_meta_data` is set by the
server and readable in the JWT, so it becomes `public_metadata`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from advisor.errors import Location, UserError
from advisor.migrate import readers
from advisor.migrate.draft import Draft
from advisor.migrate.record import Problem
from advisor.migrate.sources._common import Item, Run, Skip, flag, from_iso, is_future, mapping, split_name, text, walk

FORMATS = ("json-array", "ndjson", "csv")
PHONES_WITHOUT_PLUS = True
TOTP = "supabase-totp"
ENCRYPTED = "\0encrypted"
_FBSCRYPT = re.compile(r"\$fbscrypt\$v=1,n=(\d+),r=(\d+),p=(\d+)(?:,ss=([^,$]+))?(?:,sk=([^,$]+))?\$([^$]+)\$([^$]+)")


def read(run: Run) -> Iterator[Item]:
    if run.mfa:
        _load_factors(run)

    def to_draft(raw: dict[str, Any], location: Location, external_id: str) -> Draft | Skip:
        if raw.get("deleted_at"):
            return Skip("deleted", "deleted in Supabase (deleted_at is set)")
        if flag(raw, "is_anonymous", location):
            return Skip("anonymous", "an anonymous Supabase user")
        if flag(raw, "is_sso_user", location):
            return Skip("sso_user", "signs in through SAML SSO: set up the enterprise connection in Clerk, which "
                                    "links the account by email at first sign-in")
        user_meta = mapping(raw, "raw_user_meta_data", location)
        managed = ("provider", "providers")  # GoTrue's own bookkeeping, meaningless in Clerk
        app_meta = {k: v for k, v in (mapping(raw, "raw_app_meta_data", location) or {}).items()
                    if k not in managed} or None
        first = text(user_meta or {}, "first_name", location)
        last = text(user_meta or {}, "last_name", location)
        if not first and not last:
            first, last = split_name(text(user_meta or {}, "full_name", location)
                                     or text(user_meta or {}, "name", location))
        draft = Draft(external_id, first_name=first, last_name=last, unsafe_metadata=user_meta,
                      public_metadata=app_meta, created_at=from_iso(raw.get("created_at"), location, "created_at"),
                      banned=_banned(raw, location))
        email = text(raw, "email", location)
        if email:
            draft.emails.append((email, bool(raw.get("email_confirmed_at"))))
        phone = text(raw, "phone", location)
        if phone:
            draft.phones.append((phone, bool(raw.get("phone_confirmed_at"))))
        password = text(raw, "encrypted_password", location)
        if password and not run.no_passwords:
            draft.password = _password(run, password)
        if run.mfa:
            secret = run.index.get(TOTP, external_id)
            if secret == ENCRYPTED:
                raise Problem("invalid_totp", "totp_secret", "the TOTP secret in --mfa is encrypted (GoTrue's "
                              "database encryption); export it decrypted")
            draft.totp_secret = secret
        return draft

    for path in run.inputs:
        rows = readers.records(path, formats=FORMATS, what="a Supabase auth.users export")
        yield from walk(rows, path, lambda raw, loc: text(raw, "id", loc, required=True) or "", to_draft)


def _banned(raw: dict[str, Any], location: Location) -> bool:
    until = raw.get("banned_until")
    if until is None or until == "":
        return False
    if str(until).strip().lower() == "infinity":
        return True
    return is_future(from_iso(until, location, "banned_until"))


def _password(run: Run, digest: str) -> tuple[str, str] | None:
    if digest.startswith(("$2a$", "$2b$", "$2y$")):
        return "bcrypt", digest
    if digest.startswith("$argon2id$"):
        return "argon2id", digest
    if digest.startswith("$argon2i$"):
        return "argon2i", digest
    match = _FBSCRYPT.fullmatch(digest)
    if match:
        n, r, p, separator, signer, salt, hashed = match.groups()
        cost = int(n).bit_length() - 1
        if int(p) != 1 or 2 ** cost != int(n) or not signer or not separator:
            run.unsupported_password("a Firebase scrypt hash with parameters Clerk's scrypt_firebase cannot express")
            return None
        run.note("Supabase $fbscrypt$ hashes become scrypt_firebase digests; this mapping is UNVERIFIED: "
                 "spot-check one such user with a known password (import --spot-check)")
        return "scrypt_firebase", f"{hashed}${salt}${signer}${separator}${r}${cost}"
    run.unsupported_password("a password hash that is not bcrypt, argon2 or Firebase scrypt")
    return None


def _load_factors(run: Run) -> None:
    assert run.mfa is not None
    for line, raw in readers.records(run.mfa, formats=FORMATS, what="a Supabase auth.mfa_factors export"):
        location = Location(str(run.mfa), line)
        if not isinstance(raw, dict):
            raise UserError("a factor must be a JSON object", location=location)
        user_id = text(raw, "user_id", location, required=True) or ""
        kind = text(raw, "factor_type", location, required=True)
        if kind != "totp":
            run.count(f"{kind} factors (Clerk imports only TOTP)")
            continue
        if text(raw, "status", location) != "verified":
            run.count("unverified TOTP factors (never completed, not imported)")
            continue
        secret = text(raw, "secret", location, required=True) or ""
        value = ENCRYPTED if secret.lstrip().startswith("{") else secret
        rank = text(raw, "updated_at", location) or text(raw, "created_at", location) or ""
        if not run.index.put(TOTP, user_id, value, rank):
            run.count("users with several verified TOTP factors (the newest was kept)")
