"""Clerk's password hashers and the digest format each expects (migration-facts.md 1.1).

A digest is checked before it is sent, so a wrong one is reported at convert time with
the format Clerk documents, instead of a 422 per user in the middle of an import. Where
Clerk documents no format, or the format is ambiguous, the hasher is UNVERIFIED: the
digest is still checked against the best guess, and `import` refuses those users until a
spot check (a test user with a known password, verified by Clerk) has passed for the
hasher. Messages describe the expected shape and never repeat the digest.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

_B64 = r"[A-Za-z0-9+/]+={0,2}"
_B64_NOPAD = r"[A-Za-z0-9+/]+"
_HEX = r"[0-9a-fA-F]+"
_COST = r"(?:0[4-9]|[12]\d|3[01])"
_BCRYPT = rf"\$2[aby]\${_COST}\$[./A-Za-z0-9]{{53}}"
_ITER = r"[1-9]\d*"
_ARGON = rf"v=\d+\$m=\d+,t=\d+,p=\d+\${_B64_NOPAD}\${_B64_NOPAD}"


@dataclass(frozen=True)
class Hasher:
    name: str
    pattern: re.Pattern[str]
    shape: str  # the expected format, for messages
    unverified: str | None = None  # why a wrong guess is possible; None when Clerk documents the format


def _h(name: str, regex: str, shape: str, unverified: str | None = None) -> Hasher:
    return Hasher(name, re.compile(regex), shape, unverified)


_SALT_ORDER = "Clerk does not document whether the salt goes before or after the password"
HASHERS: dict[str, Hasher] = {h.name: h for h in (
    _h("bcrypt", _BCRYPT, "$<2a|2b>$<cost>$<53 characters of salt and hash>"),
    _h("bcrypt_sha256_django", rf"bcrypt_sha256\${_BCRYPT}", "bcrypt_sha256$$2b$<cost>$<salt and hash>"),
    _h("bcrypt_peppered", rf"{_BCRYPT}\$.+", "$<2a|2b>$<cost>$<salt and hash>$<pepper>"),
    _h("md5", r"[0-9a-fA-F]{32}", "32 hex characters"),
    _h("md5_salted", r"[^$]+\$[0-9a-fA-F]{32}", "<salt>$<32 hex characters>", _SALT_ORDER),
    _h("sha256", r"[0-9a-fA-F]{64}", "64 hex characters"),
    _h("sha256_salted", r"[^$]+\$[0-9a-fA-F]{64}", "<salt>$<64 hex characters>", _SALT_ORDER),
    _h("pbkdf2_sha1", rf"pbkdf2_sha1\${_ITER}\$[^$]+\${_HEX}(?:\$[1-9]\d*)?",
       "pbkdf2_sha1$<iterations>$<salt>$<hex hash>[$<key length>]"),
    _h("pbkdf2_sha256", rf"pbkdf2_sha256\${_ITER}\${_B64}\${_B64}",
       "pbkdf2_sha256$<iterations>$<base64 salt>$<base64 hash>"),
    _h("pbkdf2_sha256_django", rf"pbkdf2_sha256\${_ITER}\$[^$]+\${_B64}",
       "pbkdf2_sha256$<iterations>$<salt>$<base64 hash>"),
    _h("pbkdf2_sha512", rf"pbkdf2_sha512\${_ITER}\$[^$]+\${_HEX}", "pbkdf2_sha512$<iterations>$<salt>$<hex hash>"),
    _h("pbkdf2_sha512_hex", rf"pbkdf2_sha512_hex\${_ITER}\${_HEX}\${_HEX}",
       "pbkdf2_sha512_hex$<iterations>$<hex salt>$<hex hash>"),
    _h("phpass", r"\$P\$[./0-9A-Za-z]{31}", "$P$<rounds><8-character salt><22-character checksum>"),
    _h("md5_phpass", r"\$[HP]\$[./0-9A-Za-z]{31}", "$H$<rounds><salt><checksum> (a guess)",
       "Clerk documents no digest format for md5_phpass"),
    _h("ldap_ssha", rf"\{{SSHA\}}{_B64}", "{SSHA}<base64 of hash and salt> (a guess)",
       "Clerk documents no digest format for ldap_ssha"),
    _h("scrypt_firebase", rf"{_B64}\${_B64}\${_B64}\${_B64}\${_ITER}\${_ITER}",
       "<base64 hash>$<base64 salt>$<base64 signer key>$<base64 salt separator>$<rounds>$<memory cost>"),
    _h("scrypt_werkzeug", r"\$?scrypt:\d+:\d+:\d+\$[^$]+\$[^$]+", "scrypt:<N>:<r>:<p>$<salt>$<hash>",
       "Clerk documents `$<algorithm args>$<salt>$<hash>` while Werkzeug writes `scrypt:N:r:p$salt$hash`"),
    _h("argon2i", rf"\$argon2i\${_ARGON}", "$argon2i$v=19$m=<memory>,t=<time>,p=<parallelism>$<salt>$<hash>"),
    _h("argon2id", rf"\$argon2id\${_ARGON}", "$argon2id$v=19$m=<memory>,t=<time>,p=<parallelism>$<salt>$<hash>"),
    _h("sha512_symfony", rf"sha512_symfony\${_ITER}\$[^$]+\${_B64}",
       "sha512_symfony$<iterations>$<salt>$<base64 hash>"),
    _h("awscognito", r"awscognito#[\w-]+_[0-9A-Za-z]+#[^#]+#.+",
       "awscognito#<user pool id>#<app client id>#<identifier>"),
    _h("hmac_sha256_utf16_b64", r"\S+", "(undocumented)",
       "hmac_sha256_utf16_b64 appears only in Clerk's migration tool, not in Clerk's docs"),
)}


class DigestError(ValueError):
    """Why a digest does not fit its hasher; the message never contains the digest."""


def check(hasher: str, digest: str) -> str:
    """The digest to send (`$2y$` bcrypt becomes the identical `$2b$`), or DigestError."""
    spec = HASHERS.get(hasher)
    if spec is None:
        raise DigestError(f"unknown password_hasher {hasher!r}; Clerk's hashers: {', '.join(sorted(HASHERS))}")
    digest = normalize(hasher, digest)
    if not spec.pattern.fullmatch(digest):
        raise DigestError(f"password_digest does not have the {hasher} format {spec.shape}")
    if hasher == "scrypt_firebase":
        for part, name in zip(digest.split("$")[:4], ("hash", "salt", "signer key", "salt separator"), strict=True):
            if len(part) % 4:  # the pattern checked the alphabet and where padding may stand
                raise DigestError(f"the scrypt_firebase {name} is not padded base64")
    return digest


def normalize(hasher: str, digest: str) -> str:
    """PHP's `$2y$` bcrypt is the same algorithm as `$2b$`, which Clerk documents."""
    if digest.startswith("$2y$") and hasher in ("bcrypt", "bcrypt_peppered"):
        return "$2b$" + digest[4:]
    return digest


def unverified(hasher: str, digest: str) -> str | None:
    """Why Clerk might read this digest differently than we assume, or None."""
    spec = HASHERS[hasher]
    if spec.unverified:
        return spec.unverified
    if hasher == "pbkdf2_sha256":
        size = _b64len(digest.rsplit("$", 1)[1])
        if size is not None and size != 32:
            return f"pbkdf2_sha256 with a {size}-byte key (Keycloak derives 64); other lengths than 32 are unverified"
    return None


def _b64len(text: str) -> int | None:
    try:
        return len(base64.b64decode(text + "=" * (-len(text) % 4), validate=True))
    except (binascii.Error, ValueError):
        return None
