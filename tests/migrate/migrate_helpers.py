"""Inputs for the migrate tests: realistic exports written inline, and readers for outputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# Digests and secrets of the right shape; tests that need a password Clerk can verify
# build their own (see test_migrate_spotcheck.py).
BCRYPT = "$2b$10$U4C0ZY8OG8y41F9LusfKyu3HRMBL0rCZcKBVsXhgr.n8Ou6FPhzO2"
BCRYPT_2 = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
FIREBASE_HASH = "lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ=="
FIREBASE_SALT = "42xEC+ixf3L2lw=="
FIREBASE_CONFIG = {"base64_signer_key": "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSD"
                                        "zZvpjeJ9WmXA==",
                   "base64_salt_separator": "Bw==", "rounds": 8, "mem_cost": 14}
TOTP = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def write_json(path: Path, document: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def by_id(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["external_id"]: row for row in rows}


def auth0_user(user_id: str, email: str | None = None, **extra: Any) -> dict[str, Any]:
    provider, _, local = user_id.partition("|")
    user: dict[str, Any] = {"user_id": user_id, "created_at": "2021-03-05T12:34:56.789Z",
                            "updated_at": "2024-01-02T03:04:05.000Z", "logins_count": 7,
                            "identities": [{"connection": "Username-Password-Authentication" if provider == "auth0"
                                            else provider, "provider": provider, "user_id": local,
                                            "isSocial": provider not in ("auth0", "sms")}]}
    if email:
        user.update(email=email, email_verified=True, name=email, nickname=email.split("@")[0])
    user.update(extra)
    return user


def auth0_hash(oid: str, digest: str = BCRYPT, **extra: Any) -> dict[str, Any]:
    return {"_id": {"$oid": oid}, "email": "x@example.com", "email_verified": True, "passwordHash": digest,
            "password_set_date": {"$date": "2021-03-05T12:34:56.789Z"}, "tenant": "acme",
            "connection": "Username-Password-Authentication", "_tmp_is_unique": True, **extra}


def users_jsonl(path: Path, n: int, start: int = 0, **extra: Any) -> list[dict[str, Any]]:
    """n CreateUser lines: every other email reserved, every third user with a bcrypt digest,
    every fifth with TOTP and backup codes, the rest without a password."""
    rows = []
    for i in range(start, start + n):
        user: dict[str, Any] = {"external_id": f"old-{i:05d}", "email_address": [f"user{i}@example.com"],
                                "email_address_identification_status": ["verified" if i % 2 else "reserved"],
                                "first_name": f"User{i}"}
        if i % 3 == 0:
            user.update(password_digest=BCRYPT, password_hasher="bcrypt")
        else:
            user["skip_password_requirement"] = True
        if i % 5 == 0:
            user.update(totp_secret=TOTP, backup_codes=[f"code{i}a", f"code{i}b"])
        user.update(extra)
        rows.append(user)
    write_jsonl(path, rows)
    return rows


def firebase_csv(users: list[dict[str, Any]], eol: str = "\n") -> str:
    """Users of a JSON export written as `firebase auth:export --format=csv` writes them: a
    port of `transUserToArray` in firebase/firebase-tools src/accountExporter.ts (commit
    a786bda7): 52 columns, no header, a trailing comma, `true`/`false`, only display names
    and custom claims quoted."""
    def js(value: Any) -> str:  # Array.join: undefined -> "", booleans -> true/false
        return "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)

    def escape(value: str) -> str:
        return f'"{value.replace(chr(34), chr(34) * 2)}"' if any(c in value for c in ',"\n\r') else value

    places = {"google.com": 7, "facebook.com": 11, "twitter.com": 15, "github.com": 19, "apple.com": 28,
              "microsoft.com": 32, "gc.apple.com": 36, "playgames.google.com": 40, "linkedin.com": 44,
              "yahoo.com": 48}
    lines = []
    for user in users:
        row = [""] * 52
        row[:7] = [user.get("localId") or "", user.get("email") or "", js(user.get("emailVerified") or False),
                   user.get("passwordHash") or "", user.get("salt") or "", escape(user.get("displayName") or ""),
                   user.get("photoUrl") or ""]
        for info in user.get("providerUserInfo") or []:
            at = places.get(info["providerId"])
            if at:
                row[at:at + 4] = [info["rawId"], info.get("email") or "", escape(info.get("displayName") or ""),
                                  info.get("photoUrl") or ""]
        claims = user.get("customAttributes")
        row[23:28] = [js(user.get("createdAt")), js(user.get("lastSignedInAt")), js(user.get("phoneNumber")),
                      js(user.get("disabled")), f'"{claims.replace(chr(34), chr(34) * 2)}"' if claims else ""]
        lines.append(",".join(row) + "," + eol)
    return "".join(lines)
