"""One line of users.jsonl: Clerk's CreateUser body, plus nothing.

The fields are those of `POST /v1/users` (the body is `additionalProperties: false`, so
anything else would be refused with `form_param_unknown`). `check` is the one validator
for a line, used by `convert` on what it writes and by `import` on what it reads, so both
report the same problem in the same words. Messages name the field and never repeat a
secret value.
"""

from __future__ import annotations

import base64
import binascii
import json
import json.encoder
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from advisor.migrate import hashers
from advisor.migrate.phones import PhoneError, to_e164

_STR = "a string"
_STRS = "a list of strings"
_BOOL = "true or false"
_INT = "an integer"
_OBJ = "an object"
FIELDS: dict[str, str] = {
    "external_id": _STR, "email_address": _STRS, "email_address_identification_status": _STRS,
    "phone_number": _STRS, "phone_number_identification_status": _STRS, "web3_wallet": _STRS,
    "username": _STR, "first_name": _STR, "last_name": _STR, "locale": _STR,
    "password": _STR, "password_digest": _STR, "password_hasher": _STR,
    "skip_password_checks": _BOOL, "skip_password_requirement": _BOOL, "totp_secret": _STR, "backup_codes": _STRS,
    "public_metadata": _OBJ, "private_metadata": _OBJ, "unsafe_metadata": _OBJ,
    "delete_self_enabled": _BOOL, "legal_accepted_at": _STR, "skip_legal_checks": _BOOL,
    "skip_user_requirement": _BOOL, "create_organization_enabled": _BOOL, "create_organizations_limit": _INT,
    "created_at": _STR, "bypass_client_trust": _BOOL, "banned": _BOOL, "locked": _BOOL,
}
_PY = {_STR: str, _STRS: list, _BOOL: bool, _INT: int, _OBJ: dict}
_KINDS: dict[str, type] = {key: _PY[kind] for key, kind in FIELDS.items()}
_STR_ONLY = {str}
SECRET_FIELDS = ("password", "password_digest", "totp_secret", "backup_codes")
STATUSES = ("verified", "reserved")
METADATA_LIMIT = 8 * 1024  # bytes of JSON per metadata object (Clerk's documented limit)

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_BASE32 = re.compile(r"[A-Z2-7]+=*")
_RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


class Problem(ValueError):
    """What is wrong with one user: a stable code, the field, a message without secrets."""

    def __init__(self, code: str, field: str | None, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.field = field
        self.message = message


def check(user: Any, line: str | None = None) -> None:
    """Raise Problem for the first thing Clerk would refuse (or we refuse to send) in `user`.

    `line` is `compact(user)`, when the caller has made it: a line short enough that
    even at four UTF-8 bytes a character it fits the metadata limit holds no metadata
    object over it, so none is encoded again just to be measured."""
    if type(user) is not dict:
        raise Problem("invalid_line", None, "a line must be a JSON object (one user)")
    metadata_fits = line is not None and len(line) <= METADATA_LIMIT // 4
    value: Any
    for key, value in user.items():
        spec = _SPECS.get(key)
        if spec is None:
            raise Problem("unknown_field", key, "is not a CreateUser field (Clerk answers form_param_unknown)")
        if value is None:
            continue
        kind, more = spec
        if type(value) is not kind or (isinstance(value, list) and not _strings(value)):
            raise Problem("invalid_field", key, f"must be {FIELDS[key]}")
        if more is not None and not (metadata_fits and more is _metadata):
            more(user, key, value)
    external_id = user.get("external_id")
    if not external_id or not external_id.strip():
        raise Problem("missing_external_id", "external_id", "is required: the user's id in the old system")
    if not (user.get("email_address") or user.get("phone_number") or user.get("username") or user.get("web3_wallet")):
        raise Problem("no_identifier", None, "has no email address, phone number, username or web3 wallet")
    if (user.get("password_digest") is None) != (user.get("password_hasher") is None):
        raise Problem("invalid_digest", "password_hasher" if user.get("password_hasher") is None else
                      "password_digest", "password_digest and password_hasher go together")


def _emails(user: dict[str, Any], key: str, emails: list[str]) -> None:
    for address in emails:
        if not is_email(address):
            raise Problem("invalid_email", key, "contains something that is not an email address")


def _phones(user: dict[str, Any], key: str, phones: list[str]) -> None:
    for number in phones:
        try:
            if to_e164(number) != number:
                raise PhoneError("is not written in E.164 (+ and digits only)")
        except PhoneError as exc:
            raise Problem("invalid_phone", key, f"has a number that {exc}") from None


def _statuses(user: dict[str, Any], key: str, statuses: list[str]) -> None:
    field = key.removesuffix("_identification_status")
    values = user.get(field) or []
    if len(statuses) != len(values):
        raise Problem("invalid_field", key, f"needs exactly one entry per {field} ({len(values)})")
    if not {*statuses} <= _STATUS_SET:
        raise Problem("invalid_field", key, "entries must be verified or reserved")


def _username(user: dict[str, Any], key: str, username: str) -> None:
    if _PHONE_LIKE.fullmatch(username):
        raise Problem("invalid_username", key, "looks like a phone number, which Clerk refuses as a username")


def _digest(user: dict[str, Any], key: str, digest: str) -> None:
    hasher = user.get("password_hasher")
    if hasher is None:
        return  # reported as a missing pair
    try:
        hashers.check(hasher, digest)
    except hashers.DigestError as exc:
        code = "unsupported_hasher" if hasher not in hashers.HASHERS else "invalid_digest"
        raise Problem(code, key, str(exc)) from None


def _totp(user: dict[str, Any], key: str, totp: str) -> None:
    if not is_base32(totp):
        raise Problem("invalid_totp", key, "is not a base32 TOTP secret of at least 10 bytes")


def _codes(user: dict[str, Any], key: str, codes: list[str]) -> None:
    if any(not code.strip() for code in codes):
        raise Problem("invalid_field", key, "contains an empty code")


def _metadata(user: dict[str, Any], key: str, value: dict[str, Any]) -> None:
    text = compact(value)
    if len(text) > METADATA_LIMIT // 4 and len(text.encode()) > METADATA_LIMIT:
        raise Problem("metadata_too_large", key, f"is larger than Clerk's {METADATA_LIMIT // 1024} KB limit")


def _time(user: dict[str, Any], key: str, value: str) -> None:
    if not is_rfc3339(value):
        raise Problem("invalid_field", key, "must be an RFC 3339 time like 2024-05-01T10:00:00.000Z")


_MORE: dict[str, Callable[[dict[str, Any], str, Any], None]] = {
    "email_address": _emails, "phone_number": _phones, "email_address_identification_status": _statuses,
    "phone_number_identification_status": _statuses, "username": _username, "password_digest": _digest,
    "totp_secret": _totp, "backup_codes": _codes, "public_metadata": _metadata, "private_metadata": _metadata,
    "unsafe_metadata": _metadata, "created_at": _time, "legal_accepted_at": _time,
}
_SPECS = {key: (kind, _MORE.get(key)) for key, kind in _KINDS.items()}
_STATUS_SET = set(STATUSES)
_PHONE_LIKE = re.compile(r"\+\d{7,15}")


def _no_default(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not JSON")


_make = getattr(json.encoder, "c_make_encoder", None)
_escape = getattr(json.encoder, "c_encode_basestring", None)
_C_ENCODER = _make(None, _no_default, _escape, None, ":", ",", False, False, True) if _make and _escape else None
_PY_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def compact(value: Any) -> str:
    """JSON without spaces or \\u escapes (a users.jsonl line); the C encoder made once, as
    json.dumps would build it anew for every call."""
    if _C_ENCODER is not None and isinstance(value, dict | list):
        return "".join(_C_ENCODER(value, 0))
    return _PY_ENCODER(value)


def is_email(text: str) -> bool:
    return len(text) <= 320 and _EMAIL.fullmatch(text) is not None


def is_base32(text: str) -> bool:
    if not _BASE32.fullmatch(text):
        return False
    try:
        return len(base64.b32decode(text + "=" * (-len(text) % 8))) >= 10
    except (binascii.Error, ValueError):
        return False


def is_rfc3339(text: str) -> bool:
    if not _RFC3339.fullmatch(text):
        return False
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def identity_keys(user: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, normalised value) for everything that must be unique in an instance."""
    keys = [("external_id", user["external_id"])]
    keys += [("email_address", e.lower()) for e in user.get("email_address") or []]
    keys += [("phone_number", p) for p in user.get("phone_number") or []]
    if user.get("username"):
        keys.append(("username", user["username"].lower()))
    keys += [("web3_wallet", w.lower()) for w in user.get("web3_wallet") or []]
    return keys


def _strings(values: list[Any]) -> bool:
    return {*map(type, values)} <= _STR_ONLY
