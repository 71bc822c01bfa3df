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
    from advisor.migrate.converter import ConvertOptions, ConvertSummary


def convert(options: ConvertOptions) -> ConvertSummary:
    from advisor.migrate.converter import convert as _convert

    return _convert(options)
