"""`migrate import --dry-run`: what an import would do, found by looking users up."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.migrate import scan
from advisor.migrate.api import LOOKUP_MAX
from advisor.migrate.tasks import batches

if TYPE_CHECKING:
    from advisor.migrate.client import ClerkClient
    from advisor.migrate.importer import ImportResult
    from advisor.migrate.progress import Progress

IDENTIFIERS = ("email_address", "phone_number", "username", "web3_wallet")


async def dry_run(users_file: Path, client: ClerkClient, result: ImportResult, progress: Progress) -> None:
    """What an import would do, from look-ups only: who exists, who would be created, who
    would collide with another Clerk user's identifier. Nothing is written."""
    for batch in batches(scan.lines(users_file), LOOKUP_MAX):
        ids = [u["external_id"] for _, u in batch]
        found = {u.get("external_id") for u in await client.find("external_id", ids)}
        fresh = [(n, u) for n, u in batch if u["external_id"] not in found]
        result.existed += len(batch) - len(fresh)
        owners: dict[tuple[str, str], dict[str, Any]] = {}
        for key in IDENTIFIERS:
            values = [v for _, u in fresh for v in identifiers_of(u, key)]
            if values:
                for hit in await client.find(key, values):
                    for value in clerk_identifiers(hit, key):
                        owners[(key, value)] = hit
        for line, user in fresh:
            clash = next(((key, owners[(key, v.lower())]) for key in IDENTIFIERS for v in identifiers_of(user, key)
                          if (key, v.lower()) in owners), None)
            if clash is None:
                result.would_create += 1
            else:
                key, hit = clash
                result.would_conflict.append({"external_id": user["external_id"], "line": line, "field": key,
                                              "clerk_user_id": hit.get("id"),
                                              "their_external_id": hit.get("external_id")})
        progress.advance(len(batch))


def identifiers_of(user: dict[str, Any], key: str) -> list[str]:
    """The identifiers of kind `key` in a users.jsonl record."""
    value = user.get(key)
    return value if isinstance(value, list) else [value] if isinstance(value, str) and value else []


def clerk_identifiers(hit: dict[str, Any], key: str) -> list[str]:
    """The identifiers of kind `key` on a Clerk user object, lower-cased."""
    if key == "username":
        return [str(hit["username"]).lower()] if hit.get("username") else []
    listed = {"email_address": "email_addresses", "phone_number": "phone_numbers", "web3_wallet": "web3_wallets"}[key]
    return [str(e.get(key, "")).lower() for e in hit.get(listed) or [] if isinstance(e, dict)]
