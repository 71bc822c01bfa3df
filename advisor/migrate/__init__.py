"""Moving users from another auth system into Clerk (`clerk-advisor migrate`).

Two steps, so the risky one works on a file a person can read:

    convert   an export -> users.jsonl (CreateUser bodies)     pure, streaming, offline
    import    users.jsonl -> Clerk's Backend API, journaled     resumable, rate-limited
    status    what the journal says                             offline
    rollback  delete exactly the users this state created

This package imports nothing heavy at start-up: httpx and asyncio load only when a
command that talks to Clerk runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from advisor.migrate.converter import ConvertOptions, ConvertSummary
    from advisor.migrate.importer import ImportOptions, ImportResult
    from advisor.migrate.undo import RollbackOptions, RollbackResult


def convert(options: ConvertOptions) -> ConvertSummary:
    """An export -> users.jsonl and its rejects file."""
    from advisor.migrate.converter import convert as _convert

    return _convert(options)


def import_users(options: ImportOptions) -> ImportResult:
    """users.jsonl -> Clerk (or, with dry_run, what would happen)."""
    from advisor.migrate.importer import import_users as _import

    return _import(options)


def status(state: Path | None) -> dict[str, Any]:
    """The journal of a migration, summarised; no network."""
    from advisor.migrate.overview import status as _status

    return _status(state)


def rollback(options: RollbackOptions) -> RollbackResult:
    """Delete exactly the users a migration state created."""
    from advisor.migrate.undo import rollback as _rollback

    return _rollback(options)
