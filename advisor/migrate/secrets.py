"""Keeping secrets out of everything we print or store.

A server message could quote what it was sent; before any message reaches the journal,
a report or the terminal, every secret of the user it is about (digest, TOTP secret,
backup codes, plaintext password) and the API key are cut out of it.
"""

from __future__ import annotations

from typing import Any

from advisor.migrate.record import SECRET_FIELDS

REDACTED = "[redacted]"


def of(user: dict[str, Any], *extra: str) -> list[str]:
    values: list[str] = [v for v in extra if v]
    for key in SECRET_FIELDS:
        value = user.get(key)
        if isinstance(value, str) and value:
            values.append(value)
        elif isinstance(value, list):
            values += [v for v in value if isinstance(v, str) and v]
    return values


def scrub(text: str, secrets: list[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    return text
