"""`migrate convert`: a source export -> users.jsonl (CreateUser bodies), streaming, offline.

Every record ends in exactly one place: a line of users.jsonl, or a line of
`<output>.rejected.jsonl` that says why (rejected: it cannot be imported; skipped: the
old system no longer counts it as a user). Both files appear only when the whole source
was read; a malformed input is one UserError and leaves no output behind.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.errors import Location, UserError
from advisor.migrate import hashers, record
from advisor.migrate.draft import build
from advisor.migrate.files import atomic_text
from advisor.migrate.index import Index
from advisor.migrate.sources import SOURCES, load
from advisor.migrate.sources._common import Item, Run, Skip

FLAGS = {"hashes": ("--hashes", ("auth0",)), "hash_config": ("--hash-config", ("firebase", "cognito")),
         "mfa": ("--mfa", ("supabase",))}
BATCH = 1000  # users whose duplicate check shares one round of SQL
_encode = record.compact


@dataclass(frozen=True)
class ConvertOptions:
    source: str
    inputs: tuple[Path, ...]
    output: Path
    hashes: Path | None = None
    hash_config: Path | None = None
    mfa: Path | None = None
    no_passwords: bool = False
    on_unsupported_hash: str = "reject"  # reject | no-password


@dataclass
class ConvertSummary:
    source: str
    output: str
    rejects_file: str
    users: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    hashers: dict[str, int] = field(default_factory=dict)
    without_password: int = 0
    with_totp: int = 0
    with_backup_codes: int = 0
    banned: int = 0
    reserved_emails: int = 0
    reserved_phones: int = 0
    unverified: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def rejects_path(output: Path) -> Path:
    return output.with_name(f"{output.name.removesuffix('.jsonl')}.rejected.jsonl")


def convert(options: ConvertOptions) -> ConvertSummary:
    if options.source not in SOURCES:
        raise UserError(f"unknown source {options.source!r}", field="--from", allowed=", ".join(SOURCES))
    for name, (flag, sources) in FLAGS.items():
        if getattr(options, name) is not None and options.source not in sources:
            raise UserError(f"{flag} is for {' and '.join(sources)}, not {options.source}", field=flag)
    output = options.output
    inputs = [*options.inputs, options.hashes, options.hash_config, options.mfa]
    if any(p is not None and p.resolve() == output.resolve() for p in inputs):
        raise UserError("the output would overwrite an input", field="-o")
    for path in inputs:
        if path is not None:
            _readable(path)
    output.resolve().parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    adapter = load(options.source)
    rejects = rejects_path(output)
    summary = ConvertSummary(options.source, str(output), str(rejects))
    with Index(output.resolve().parent) as index, atomic_text(output) as out, atomic_text(rejects) as rej:
        run = Run(list(options.inputs), hashes=options.hashes, hash_config=options.hash_config, mfa=options.mfa,
                  no_passwords=options.no_passwords, keep_unsupported=options.on_unsupported_hash == "no-password",
                  index=index)
        plus_missing = getattr(adapter, "PHONES_WITHOUT_PLUS", False)
        batch: list[tuple[Item, dict[str, Any], str]] = []

        def reject(item: Item, problem: record.Problem) -> None:
            _tally(summary.rejected, problem.code)
            rej.write(_encode(_row("rejected", item, problem.code, problem.field, problem.message)) + "\n")

        def flush() -> None:
            claims = index.claim([(user["external_id"], record.identity_keys(user)) for _, user, _ in batch])
            for (item, user, line), taken in zip(batch, claims, strict=True):
                if taken is None:
                    out.write(line + "\n")
                    _account(summary, user)
                    continue
                key, owner = taken
                reject(item, record.Problem(
                    "duplicate_external_id" if key == "external_id" else "duplicate_identifier", key,
                    f"the same {key} belongs to external_id {owner}, converted earlier; a Clerk instance allows it "
                    "once"))
            batch.clear()

        for item in adapter.read(run):
            result = item.result
            if isinstance(result, Skip):
                _tally(summary.skipped, result.code)
                rej.write(_encode(_row("skipped", item, result.code, None, result.message)) + "\n")
                continue
            if isinstance(result, record.Problem):
                reject(item, result)
                continue
            if options.no_passwords:
                result.password = None
            try:
                batch.append((item, *build(result, phones_without_plus=plus_missing)))
            except record.Problem as problem:
                reject(item, problem)
                continue
            if len(batch) >= BATCH:
                flush()
        flush()
        summary.notes = run.notes
        summary.counts = run.counts
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


def _readable(path: Path) -> None:
    if path.is_dir():
        raise UserError("is a directory, not a file", location=Location(str(path)))
    if not path.exists():
        raise UserError("cannot be read: no such file", location=Location(str(path)))
    if not os.access(path, os.R_OK):
        raise UserError("cannot be read: permission denied", location=Location(str(path)))


def _row(kind: str, item: Item, code: str, field_name: str | None, message: str) -> dict[str, Any]:
    return {"kind": kind, "external_id": item.external_id, "code": code, "field": field_name, "message": message,
            "file": item.location.path, "line": item.location.line}


def _tally(counter: dict[str, int], key: str) -> None:
    counter[key] = counter.get(key, 0) + 1


def _account(summary: ConvertSummary, user: dict[str, Any]) -> None:
    summary.users += 1
    hasher = user.get("password_hasher")
    if hasher is None:
        summary.without_password += 1
    else:
        _tally(summary.hashers, hasher)
        why = hashers.unverified(hasher, user["password_digest"])
        if why:
            entry = summary.unverified.setdefault(hasher, {"users": 0, "reason": why})
            entry["users"] += 1
    if "totp_secret" in user:
        summary.with_totp += 1
    if "backup_codes" in user:
        summary.with_backup_codes += 1
    if user.get("banned"):
        summary.banned += 1
    summary.reserved_emails += user.get("email_address_identification_status", ()).count("reserved")
    summary.reserved_phones += user.get("phone_number_identification_status", ()).count("reserved")
