"""`migrate rollback`: delete exactly the users this state created, and nobody else.

Deleted: users the journal records as created, spot-check copies, and users a killed
run marked pending that Clerk has under their external_id (the pending mark was written
only after a look-up found no such user, so whoever has it now, we created). Never
touched: users that existed before the import, conflicts, failures. Each deletion is
journaled (rolled_back), so a rollback can itself be stopped and run again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.errors import EXIT_FOUND
from advisor.migrate import outputs
from advisor.migrate.api import LOOKUP_MAX, Answer, Timing
from advisor.migrate.instance import ask, from_env
from advisor.migrate.journal import Journal, Row
from advisor.migrate.outputs import RunResult
from advisor.migrate.progress import Progress
from advisor.migrate.ratelimit import RateLimiter
from advisor.migrate.state import existing
from advisor.migrate.tasks import gather

if TYPE_CHECKING:
    from advisor.migrate.client import ClerkClient


@dataclass(frozen=True)
class RollbackOptions:
    state: Path | None = None
    yes: bool = False
    rate: float | None = None
    concurrency: int | None = None
    quiet: bool = False
    confirm: Callable[[str], bool] | None = None
    timing: Timing = field(default_factory=Timing)
    transport: Any = None


@dataclass
class RollbackResult(RunResult):
    state: str
    instance: dict[str, Any]
    deleted: int = 0
    already_gone: int = 0  # created by this state, deleted by someone since
    never_created: int = 0  # pending marks of a killed run that Clerk does not have
    failed: list[dict[str, Any]] = field(default_factory=list)
    journal: dict[str, int] = field(default_factory=dict)


def rollback(options: RollbackOptions) -> RollbackResult:
    started = time.monotonic()
    state = existing(options.state)
    instance = from_env(required=True)
    assert instance is not None
    with Journal(state, create=False) as journal:
        journal.bind(instance.kind, instance.api_url)
        result = RollbackResult(str(state), {"kind": instance.kind, "api_url": instance.api_url})
        todo = sum(journal.counts(kind).get(s, 0) for kind in ("user", "spot_check") for s in ("created", "pending"))
        if todo and not options.yes:
            ask(options.confirm, f"delete up to {todo:,} users this migration created in the {instance.kind} "
                f"instance at {instance.api_url}?", needs="rollback deletes users: it needs --yes",
                refused="not confirmed; nothing was deleted")
        rate, concurrency = instance.pace(options.rate, options.concurrency)
        limiter = RateLimiter(rate)
        progress = Progress(todo, "rolling back", quiet=options.quiet)
        from advisor.migrate.client import ClerkClient

        client = ClerkClient(instance, limiter, options.timing, concurrency=concurrency, transport=options.transport)
        try:
            result.drive(_main(journal, client, result, progress, concurrency))
        finally:
            progress.close()
            result.throttled = limiter.throttles
            result.journal = journal.counts()
            result.seconds = round(time.monotonic() - started, 3)
            result.files = outputs.write(journal, state, result.to_dict())
    stopped = result.stop_code()
    if stopped is not None:
        result.exit_code = stopped
    elif result.failed:
        result.exit_code = EXIT_FOUND
    return result


async def _main(journal: Journal, client: ClerkClient, result: RollbackResult, progress: Progress,
                concurrency: int) -> None:
    try:
        after = ""
        while rows := journal.page(("pending",), after, LOOKUP_MAX):
            after = rows[-1].external_id
            found = {u.get("external_id"): u for u in await client.find("external_id", [r.external_id
                                                                                        for r in rows])}
            for row in rows:
                hit = found.get(row.external_id)
                if hit is None:
                    journal.rolled_back(row.external_id)
                    result.never_created += 1
                    progress.advance()
                else:
                    journal.created(row.external_id, str(hit["id"]))
        queue: asyncio.Queue[Row | None] = asyncio.Queue(maxsize=2 * concurrency)

        async def producer() -> None:
            after = ""
            while rows := journal.page(("created",), after, 500):
                after = rows[-1].external_id
                for row in rows:
                    await queue.put(row)
            for _ in range(concurrency):
                await queue.put(None)

        async def worker() -> None:
            while (row := await queue.get()) is not None:
                await _delete(journal, client, result, row)
                progress.advance()

        await gather(producer(), *(worker() for _ in range(concurrency)))
    finally:
        result.requests = client.requests
        await client.aclose()


async def _delete(journal: Journal, client: ClerkClient, result: RollbackResult, row: Row) -> None:
    answer = await client.delete(str(row.clerk_user_id))
    if isinstance(answer, Answer) and (answer.ok or answer.status == 404):
        journal.rolled_back(row.external_id)
        if answer.ok:
            result.deleted += 1
        else:
            result.already_gone += 1
        return
    journal.delete_failed(row.external_id, answer.code, answer.message)
    result.failed.append({"external_id": row.external_id, "clerk_user_id": row.clerk_user_id, "code": answer.code,
                          "message": answer.message})

