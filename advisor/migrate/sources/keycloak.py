"""Keycloak: a realm export (`kc.sh export --realm R --users realm_file` or the per-user
files `R-users-N.json`), i.e. a JSON object with a `users` array.

Password credentials carry `secretData` (`value`, `salt`: base64) and `credentialData`
(`algorithm`, `hashIterations`) as JSON text. pbkdf2-sha256 -> pbkdf2_sha256 (base64
salt and hash; Keycloak's 64-byte keys are UNVERIFIED with Clerk, so import asks for a
spot check), pbkdf2-sha512 -> pbkdf2_sha512_hex, pbkdf2 (SHA-1) -> pbkdf2_sha1,
argon2 -> argon2id/argon2i PHC strings. An `otp` credential becomes `totp_secret` when it
is TOTP with 6 digits, 30 s and SHA1, the only kind Clerk takes.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from typing import Any

from advisor.errors import Location, UserError
from advisor.migrate import readers
from advisor.migrate.draft import Draft
from advisor.migrate.record import Problem
from advisor.migrate.sources._common import Item, Run, Skip, flag, from_millis, listing, mapping, text, walk


def read(run: Run) -> Iterator[Item]:
    def to_draft(raw: dict[str, Any], location: Location, external_id: str) -> Draft | Skip:
        if raw.get("serviceAccountClientId"):
            return Skip("service_account", "a Keycloak service account, not a person")
        email = text(raw, "email", location)
        username = text(raw, "username", location)
        attributes = mapping(raw, "attributes", location)
        draft = Draft(external_id, first_name=text(raw, "firstName", location),
                      last_name=text(raw, "lastName", location),
                      username=None if username and email and username.lower() == email.lower() else username,
                      created_at=from_millis(raw.get("createdTimestamp"), location, "createdTimestamp"),
                      banned="enabled" in raw and not flag(raw, "enabled", location),
                      private_metadata={"keycloak": attributes} if attributes else None)
        if email:
            draft.emails.append((email, flag(raw, "emailVerified", location)))
        if raw.get("federationLink"):
            run.count("users federated from LDAP/Kerberos (their passwords are not in Keycloak)")
        for credential in listing(raw, "credentials", location):
            if not isinstance(credential, dict):
                raise UserError("entries must be objects", location=location, field="credentials")
            kind = credential.get("type")
            if kind == "password" and draft.password is None and not run.no_passwords:
                draft.password = _password(run, credential, location)
            elif kind == "otp" and draft.totp_secret is None:
                draft.totp_secret = _totp(credential, location)
        return draft

    for path in run.inputs:
        rows = readers.records(path, formats=("json-object", "json-array"), array_key="users",
                               what="a Keycloak realm export")
        yield from walk(rows, path, lambda raw, loc: text(raw, "id", loc, required=True) or "", to_draft)


def _data(credential: dict[str, Any], key: str, location: Location) -> dict[str, Any]:
    return mapping(credential, key, location) or {}


def _password(run: Run, credential: dict[str, Any], location: Location) -> tuple[str, str] | None:
    secret = _data(credential, "secretData", location)
    data = _data(credential, "credentialData", location)
    algorithm = str(data.get("algorithm", ""))
    iterations = data.get("hashIterations")
    value, salt = secret.get("value"), secret.get("salt")
    if not isinstance(value, str) or not isinstance(salt, str):
        raise Problem("invalid_digest", "credentials", "a password credential without value and salt")
    if algorithm == "pbkdf2-sha256":
        return "pbkdf2_sha256", f"pbkdf2_sha256${iterations}${salt}${value}"
    if algorithm in ("pbkdf2-sha512", "pbkdf2"):
        raw_salt, raw_hash = _b64(salt), _b64(value)
        if algorithm == "pbkdf2":
            return "pbkdf2_sha1", f"pbkdf2_sha1${iterations}${raw_salt.hex()}${raw_hash.hex()}${len(raw_hash)}"
        return "pbkdf2_sha512_hex", f"pbkdf2_sha512_hex${iterations}${raw_salt.hex()}${raw_hash.hex()}"
    if algorithm == "argon2":
        extra = {k: v[0] if isinstance(v, list) and v else v for k, v in (data.get("additionalParameters") or
                                                                         {}).items()}
        variant = {"id": "argon2id", "i": "argon2i"}.get(str(extra.get("type", "id")))
        if variant is None or str(extra.get("version", "1.3")) != "1.3":
            run.unsupported_password(f"an argon2 {extra.get('type')} v{extra.get('version')} hash")
            return None
        nopad = (salt.rstrip("="), value.rstrip("="))
        return variant, (f"${variant}$v=19$m={extra.get('memory', 7168)},t={iterations},"
                         f"p={extra.get('parallelism', 1)}${nopad[0]}${nopad[1]}")
    run.unsupported_password(f"a Keycloak {algorithm or 'unknown'} hash")
    return None


def _totp(credential: dict[str, Any], location: Location) -> str:
    secret = _data(credential, "secretData", location).get("value")
    data = _data(credential, "credentialData", location)
    if (data.get("subType", "totp"), int(data.get("digits", 6)), int(data.get("period", 30)),
            data.get("algorithm", "HmacSHA1")) != ("totp", 6, 30, "HmacSHA1"):
        raise Problem("unsupported_totp", "totp_secret", "Clerk imports only TOTP with 6 digits, 30 s and SHA1")
    if not isinstance(secret, str) or not secret:
        raise Problem("invalid_totp", "totp_secret", "an otp credential without a secret")
    if str(data.get("secretEncoding", "")).upper() == "BASE32":
        return secret
    # Keycloak keeps the raw key text and shows base32 of its bytes in the QR code.
    return base64.b32encode(secret.encode()).decode().rstrip("=")


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise Problem("invalid_digest", "credentials", "a password credential that is not base64") from None


