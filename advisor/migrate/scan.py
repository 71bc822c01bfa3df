"""The first pass of import: every line of users.jsonl checked before any request.

A line Clerk would refuse by its shape, or an external_id or identifier used twice in
the file, is bad input (exit 2) with file, line and field; finding it at user 900,000
of a running import would leave a half-done migration. The pass streams, with the same
on-disk index as convert, and also counts what the run will need: hashers (and those
whose format is UNVERIFIED) and the lines a spot check asks for.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.errors import Location, UserError
from advisor.migrate import hashers, record
from advisor.migrate.index import Index
from advisor.migrate.readers import open_text


@dataclass
class Scan:
    total: int = 0
    hashers: dict[str, int] = field(default_factory=dict)
    unverified: dict[str, dict[str, Any]] = field(default_factory=dict)  # hasher -> {users, reason}
    wanted: dict[str, dict[str, Any]] = field(default_factory=dict)  # external_id -> body, for spot checks


def lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, CreateUser body) for each user of users.jsonl; UserError on the first bad line."""
    with open_text(path) as fh:
        for number, text in enumerate(fh, 1):
            if not text.strip():
                continue
            location = Location(str(path), number)
            try:
                user = json.loads(text)
            except json.JSONDecodeError as exc:
                raise UserError(f"is not valid JSON: {exc.msg}", location=Location(str(path), number, exc.colno)) \
                    from None
            try:
                record.check(user)
            except record.Problem as problem:
                raise UserError(problem.message, location=location, field=problem.field,
                                hint="fix the line, or convert again") from None
            digest = user.get("password_digest")
            if digest is not None:
                user["password_digest"] = hashers.normalize(user["password_hasher"], digest)
            yield number, user


def scan(path: Path, *, wanted: set[str] | frozenset[str] = frozenset()) -> Scan:
    result = Scan()
    batch: list[tuple[int, dict[str, Any]]] = []

    def flush() -> None:
        claims = index.claim([(f"line {n}", record.identity_keys(u)) for n, u in batch])
        for (number, _user), taken in zip(batch, claims, strict=True):
            if taken is not None:
                key, owner = taken
                raise UserError(f"the same {key} is on {owner}; Clerk allows it once per instance",
                                location=Location(str(path), number), field=key)
        batch.clear()

    with Index(path.resolve().parent) as index:
        for number, user in lines(path):
            result.total += 1
            hasher = user.get("password_hasher")
            if hasher is not None:
                result.hashers[hasher] = result.hashers.get(hasher, 0) + 1
                why = hashers.unverified(hasher, user["password_digest"])
                if why:
                    entry = result.unverified.setdefault(hasher, {"users": 0, "reason": why})
                    entry["users"] += 1
            if user["external_id"] in wanted:
                result.wanted[user["external_id"]] = user
            batch.append((number, user))
            if len(batch) >= 1000:
                flush()
        flush()
    if result.total == 0:
        raise UserError("has no users", location=Location(str(path)))
    return result
