"""What a source adapter hands over: one user in neutral terms, before Clerk's field names.

Adapters only map their export's fields onto a Draft; `build` does everything sources
share: normalising (E.164 phones, lower-cased duplicate emails, `$2y$` bcrypt, TOTP
spacing), choosing `verified` or `reserved` per identifier from what the old system knew,
`skip_password_requirement` for users without a password, and the final check with the
same validator `import` uses. A user that cannot be imported raises record.Problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from advisor.migrate import hashers, record
from advisor.migrate.phones import PhoneError, to_e164


@dataclass(slots=True)
class Draft:
    external_id: str
    emails: list[tuple[str, bool]] = field(default_factory=list)  # (address, verified in the old system)
    phones: list[tuple[str, bool]] = field(default_factory=list)
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    password: tuple[str, str] | None = None  # (Clerk hasher, digest)
    totp_secret: str | None = None
    backup_codes: list[str] | None = None
    public_metadata: dict[str, Any] | None = None
    private_metadata: dict[str, Any] | None = None
    unsafe_metadata: dict[str, Any] | None = None
    created_at: str | None = None
    banned: bool = False
    extra: dict[str, Any] = field(default_factory=dict)  # further CreateUser fields, passed as given


def build(draft: Draft, *, phones_without_plus: bool = False) -> tuple[dict[str, Any], str]:
    """The CreateUser body for `draft` and its users.jsonl line (without the newline), or
    record.Problem."""
    user: dict[str, Any] = {"external_id": draft.external_id}
    emails = _identifiers(draft.emails, str.lower)
    if emails:
        user["email_address"] = [e for e, _ in emails]
        user["email_address_identification_status"] = [_status(v) for _, v in emails]
    try:
        phones = _identifiers([(to_e164(p, plus_missing=phones_without_plus), v) for p, v in draft.phones], str)
    except PhoneError as exc:
        raise record.Problem("invalid_phone", "phone_number", f"has a number that {exc}") from None
    if phones:
        user["phone_number"] = [p for p, _ in phones]
        user["phone_number_identification_status"] = [_status(v) for _, v in phones]
    for key in ("username", "first_name", "last_name"):
        value = getattr(draft, key)
        if value is not None and value.strip():
            user[key] = value.strip()
    if draft.password is not None:
        hasher, digest = draft.password
        user["password_digest"] = hashers.normalize(hasher, digest)
        user["password_hasher"] = hasher
    elif not draft.extra.get("password"):
        user["skip_password_requirement"] = True
    if draft.totp_secret:
        user["totp_secret"] = "".join(draft.totp_secret.split()).upper()
    if draft.backup_codes:
        user["backup_codes"] = draft.backup_codes
    for key in ("public_metadata", "private_metadata", "unsafe_metadata"):
        value = getattr(draft, key)
        if value:
            user[key] = value
    if draft.created_at:
        user["created_at"] = draft.created_at
    if draft.banned:
        user["banned"] = True
    for key, value in draft.extra.items():
        user.setdefault(key, value)
    try:
        line = record.compact(user)
    except (TypeError, ValueError):  # a value JSON cannot carry: check() names the field
        line = None
    record.check(user, line)
    if line is None:
        raise record.Problem("invalid_line", None, "holds a value JSON cannot carry")
    return user, line


def _status(verified: bool) -> str:
    return "verified" if verified else "reserved"


def _identifiers(items: list[tuple[str, bool]], fold: Any) -> list[tuple[str, bool]]:
    """Stripped, without blanks; a value listed twice keeps its first place and is verified if
    the old system verified it either time."""
    out: dict[str, tuple[str, bool]] = {}
    for value, verified in items:
        value = value.strip()
        if not value:
            continue
        key = fold(value)
        if key in out:
            out[key] = (out[key][0], out[key][1] or verified)
        else:
            out[key] = (value, verified)
    return list(out.values())
