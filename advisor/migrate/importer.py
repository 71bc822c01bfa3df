"""`migrate import`: users.jsonl -> Clerk, exactly once per user, resumable at any instant.

    scan       every line checked first (bad input is exit 2 before any request)
    preflight  the key works, the instance is what the key says, the development cap
    spot check optional: one test user per hasher, verified by Clerk, then deleted
    pipeline   batches of 100: look the external_ids up in one request, record the ones
               Clerk has, queue the rest for a bounded pool of workers that journal a
               pending mark, create, and journal the Clerk id

A create that ends without a trustworthy answer (5xx, timeout, dropped connection) is
followed by a look-up by external_id before it is tried again, and a resumed run looks
every unfinished user up before creating it, so no user is created twice. A create
refused with `form_identifier_exists` is classified by looking the identifiers up:
the same external_id means the user is already migrated; another one is a conflict.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from advisor.errors import EXIT_FOUND, EXIT_OK, UserError
from advisor.migrate import outputs, scan, spotcheck
from advisor.migrate.api import LOOKUP_MAX, Answer, Stop, Timing, Uncertain
from advisor.migrate.dryrun import IDENTIFIERS, dry_run, identifiers_of
from advisor.migrate.instance import DEV_USER_CAP, Instance, ask, from_env
from advisor.migrate.journal import FINAL, Journal
from advisor.migrate.outputs import RunResult
from advisor.migrate.progress import Progress
from advisor.migrate.ratelimit import RateLimiter
from advisor.migrate.secrets import of as secrets_of
from advisor.migrate.secrets import scrub
from advisor.migrate.state import for_users_file
from advisor.migrate.tasks import batches, gather

if TYPE_CHECKING:
    from advisor.migrate.client import ClerkClient

T = TypeVar("T")


@dataclass(frozen=True)
class ImportOptions:
    users_file: Path
    state: Path | None = None
    dry_run: bool = False
    rate: float | None = None
    concurrency: int | None = None
    yes: bool = False
    spot_check: Path | None = None
    dev_user_cap: int = DEV_USER_CAP
    quiet: bool = False
    confirm: Callable[[str], bool] | None = None  # asks a person on a terminal; None when there is none
    timing: Timing = field(default_factory=Timing)
    transport: Any = None  # an httpx transport, for tests


@dataclass
class ImportResult(RunResult):
    users_file: str
    dry_run: bool
    state: str | None = None
    instance: dict[str, Any] | None = None
    total: int = 0
    created: int = 0  # by this run
    existed: int = 0  # found in Clerk by external_id, not created by this state
    failed: int = 0
    already_done: int = 0  # finished by an earlier run of this state
    journal: dict[str, int] = field(default_factory=dict)  # every user of the state, by status
    failures_by_code: dict[str, int] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)
    would_create: int = 0  # dry run
    would_conflict: list[dict[str, Any]] = field(default_factory=list)  # dry run
    problems: list[str] = field(default_factory=list)  # dry run: what would stop or fail the import
    hashers: dict[str, int] = field(default_factory=dict)
    unverified: dict[str, dict[str, Any]] = field(default_factory=dict)
    spot_checks: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    retries: int = 0
    rate: float = 0.0
    concurrency: int = 0


@dataclass
class _Run:
    options: ImportOptions
    instance: Instance
    result: ImportResult
    journal: Journal | None
    progress: Progress
    scanned: scan.Scan

    def secrets(self, user: dict[str, Any]) -> list[str]:
        return secrets_of(user, self.instance.key)


def import_users(options: ImportOptions) -> ImportResult:
    started = time.monotonic()
    users_file = options.users_file
    checks = spotcheck.load(options.spot_check) if options.spot_check else []
    scanned = scan.scan(users_file, wanted={c.external_id for c in checks})
    if options.spot_check:
        spotcheck.validate(checks, scanned.wanted, options.spot_check)
    instance = from_env(required=not options.dry_run)
    result = ImportResult(str(users_file), options.dry_run, total=scanned.total, hashers=scanned.hashers,
                          unverified=scanned.unverified)
    if instance is None:  # a dry run without a key: the file is all we can check
        result.notes.append("no CLERK_SECRET_KEY: checked the file only; with a key, the dry run also reads the "
                            "instance and looks every user up")
        _unverified_problems(result, None)
        result.exit_code = EXIT_FOUND if result.problems else EXIT_OK
        result.seconds = round(time.monotonic() - started, 3)
        return result
    rate, concurrency = instance.pace(options.rate, options.concurrency)
    result.instance = {"kind": instance.kind, "api_url": instance.api_url}
    result.rate, result.concurrency = rate, concurrency
    writes = not options.dry_run or bool(checks)
    if writes and instance.kind == "production" and not options.yes:
        what = (f"import {scanned.total:,} users into" if not options.dry_run else "create and delete "
                f"{len(checks)} spot-check user(s) in")
        ask(options.confirm, f"{what} the PRODUCTION instance at {instance.api_url}?",
            needs="a production key (sk_live_) needs --yes", refused="not confirmed; nothing was sent to Clerk")
    journal = None
    if writes:
        state = for_users_file(users_file, options.state)
        journal = Journal(state)
        try:
            journal.bind(instance.kind, instance.api_url)
        except UserError:
            journal.close()
            raise
        journal.set_meta("users_file", str(users_file.resolve()))
        result.state = str(state)
    progress = Progress(scanned.total, "dry run" if options.dry_run else "importing", quiet=options.quiet)
    run = _Run(options, instance, result, journal, progress, scanned)
    try:
        result.drive(_main(run, checks, rate, concurrency))
    finally:
        progress.close()
        result.seconds = round(time.monotonic() - started, 3)
        if journal is not None:
            try:
                if not options.dry_run:
                    _totals(run)
                    result.files = outputs.write(journal, Path(result.state or "."), result.to_dict())
            finally:
                journal.close()
    result.exit_code = _exit_code(result)
    return result


def _exit_code(result: ImportResult) -> int:
    stopped = result.stop_code()
    if stopped is not None:
        return stopped
    if result.dry_run:
        return EXIT_FOUND if result.problems or result.would_conflict else EXIT_OK
    return EXIT_FOUND if result.journal.get("failed") else EXIT_OK


def _totals(run: _Run) -> None:
    assert run.journal is not None
    result = run.result
    result.journal = run.journal.counts()
    result.failures_by_code = run.journal.failure_codes()
    result.failures = [outputs.failure(row) for row in run.journal.rows("failed")]


async def _main(run: _Run, checks: list[spotcheck.Check], rate: float, concurrency: int) -> None:
    from advisor.migrate.client import ClerkClient

    limiter = RateLimiter(rate)
    client = ClerkClient(run.instance, limiter, run.options.timing, concurrency=concurrency,
                         transport=run.options.transport)
    try:
        await _preflight(run, client)
        if checks:
            assert run.journal is not None
            run.result.spot_checks = await spotcheck.run(run.journal, client, checks, run.scanned.wanted)
            failed = [c for c in run.result.spot_checks if not c["passed"]]
            if failed:
                raise UserError("spot check failed: Clerk did not verify the known password for "
                                + "; ".join(f"{c['hasher']} (user {c['external_id']}: {c['code']})" for c in failed),
                                hint="either the password is not that user's, or these digests are wrong (check "
                                "--hash-config / the export); nothing was imported")
        _unverified_problems(run.result, run.journal)
        if run.options.dry_run:
            await dry_run(run.options.users_file, client, run.result, run.progress)
            return
        if run.result.problems:
            raise UserError(run.result.problems[0], hint="add --spot-check FILE with a test user of that hasher "
                            "whose password you know (see `migrate import --help`)")
        await _pipeline(run, client, concurrency)
    finally:
        run.result.requests += client.requests
        run.result.retries += client.retries
        run.result.throttled += limiter.throttles
        await client.aclose()


def _unverified_problems(result: ImportResult, journal: Journal | None) -> None:
    for hasher, entry in sorted(result.unverified.items()):
        if journal is not None and spotcheck.passed(journal, hasher):
            continue
        result.problems.append(f"{entry['users']:,} users use {hasher}, and {entry['reason']}: they are imported "
                               "only after a spot check of this hasher passes (UNVERIFIED)")


async def _preflight(run: _Run, client: ClerkClient) -> None:
    result = run.result
    assert result.instance is not None
    info = await client.get_instance()
    count = await client.count()
    result.instance["user_count"] = count
    if info is not None:
        result.instance["id"] = info.get("id")
        kind = info.get("environment_type")
        if kind and kind != run.instance.kind:
            result.notes.append(f"the key looks like a {run.instance.kind} key, but Clerk says the instance is "
                                f"{kind}")
    else:
        result.notes.append("could not read GET /v1/instance; the instance kind comes from the key prefix only")
    if run.instance.kind != "development":
        return
    cap = run.options.dev_user_cap
    result.instance["user_cap"] = cap
    done = sum(run.journal.counts().get(s, 0) for s in FINAL) if run.journal is not None else 0
    to_create = max(0, run.scanned.total - done)
    if count + to_create > cap and to_create <= 10 * cap:  # worth knowing exactly: ask who is there already
        to_create = await _missing(run, client)
    if count + to_create > cap:
        message = (f"the development instance has {count:,} users and a cap of {cap:,} (Clerk's docs; "
                   f"--dev-user-cap to change): up to {to_create:,} more would not fit")
        if run.options.dry_run:
            result.problems.append(message)
        else:
            raise UserError(message, hint="import into a production instance (sk_live_), or fewer users; nothing "
                            "was created")


async def _missing(run: _Run, client: ClerkClient) -> int:
    """How many users of the file are neither finished in the journal nor in Clerk."""
    missing = 0
    for batch in batches(scan.lines(run.options.users_file), LOOKUP_MAX):
        ids = [u["external_id"] for _, u in batch]
        if run.journal is not None:
            known = run.journal.statuses(ids)
            ids = [i for i in ids if known.get(i) not in FINAL]
        if ids:
            found = {u.get("external_id") for u in await client.find("external_id", ids)}
            missing += sum(1 for i in ids if i not in found)
    return missing


async def _pipeline(run: _Run, client: ClerkClient, concurrency: int) -> None:
    """Look-ups feed a queue; workers create. A Stop in any of them ends the run gently: no
    new create starts, the creates already sent are answered and journaled, then it is raised."""
    journal = run.journal
    assert journal is not None
    queue: asyncio.Queue[tuple[int, dict[str, Any]] | None] = asyncio.Queue(maxsize=LOOKUP_MAX + 2 * concurrency)
    stopped: list[Exception] = []

    def halt(exc: Exception) -> None:
        if not stopped:
            stopped.append(exc)
            while not queue.empty():
                queue.get_nowait()
            for _ in range(concurrency):
                queue.put_nowait(None)
            feeding.cancel()

    async def producer() -> None:
        try:
            for batch in batches(scan.lines(run.options.users_file), LOOKUP_MAX):
                known = journal.statuses([u["external_id"] for _, u in batch])
                todo = [(n, u) for n, u in batch if known.get(u["external_id"]) not in FINAL]
                run.result.already_done += len(batch) - len(todo)
                run.progress.skip(len(batch) - len(todo))
                if not todo:
                    continue
                found = {u.get("external_id"): u for u in await client.find("external_id", [u["external_id"]
                                                                                             for _, u in todo])}
                for line, user in todo:
                    hit = found.get(user["external_id"])
                    if hit is None:
                        await queue.put((line, user))
                        continue
                    status = journal.found(user["external_id"], str(hit["id"]), line)
                    _count(run, status)
                    if status == "created":
                        _check_reserved(run, user, hit)
                    run.progress.advance()
        except Exception as exc:  # Stop, or a users file changed under us: the workers must not wait forever
            halt(exc)
            return
        for _ in range(concurrency):
            await queue.put(None)

    async def worker() -> None:
        while (item := await queue.get()) is not None:
            try:
                await _create(run, client, *item)
            except Stop as exc:
                halt(exc)
                return
            run.progress.advance()

    feeding = asyncio.ensure_future(producer())
    try:
        await gather(*(worker() for _ in range(concurrency)))
        await asyncio.gather(feeding, return_exceptions=True)
    finally:
        feeding.cancel()
    if stopped:
        raise stopped[0]


def _count(run: _Run, status: str) -> None:
    if status == "created":
        run.result.created += 1
    elif status == "existed":
        run.result.existed += 1
    else:
        run.result.failed += 1


async def _create(run: _Run, client: ClerkClient, line: int, user: dict[str, Any]) -> None:
    journal = run.journal
    assert journal is not None
    external_id = user["external_id"]
    journal.pending(external_id, line)
    last: Uncertain | None = None
    for attempt in range(1, run.options.timing.attempts + 1):
        answer = await client.create(user)
        if isinstance(answer, Uncertain):  # created or not? ask before trying again
            last = answer
            found = await client.find("external_id", [external_id])
            if found:
                journal.found(external_id, str(found[0]["id"]), line)
                _count(run, "created")
                _check_reserved(run, user, found[0])
                return
            if attempt < run.options.timing.attempts:
                client.retries += 1
                await asyncio.sleep(client.backoff(attempt))
            continue
        if answer.ok:
            journal.created(external_id, str(answer.body["id"]))
            _count(run, "created")
            _check_reserved(run, user, answer.body)
            return
        if answer.code == "form_identifier_exists":
            await _conflict(run, client, line, user, answer)
            return
        journal.failed(external_id, line, answer.code, scrub(answer.message, run.secrets(user)),
                       http_status=answer.status)
        _count(run, "failed")
        return
    assert last is not None
    journal.failed(external_id, line, last.code, scrub(last.message, run.secrets(user)), http_status=last.status)
    _count(run, "failed")


async def _conflict(run: _Run, client: ClerkClient, line: int, user: dict[str, Any], answer: Answer) -> None:
    """An identifier is taken: by this very user (already migrated), or by someone else."""
    journal = run.journal
    assert journal is not None
    external_id = user["external_id"]
    taken_by: tuple[str, dict[str, Any]] | None = None
    for key in IDENTIFIERS:
        values = identifiers_of(user, key)
        if not values:
            continue
        for hit in await client.find(key, values):
            if hit.get("external_id") == external_id:
                journal.found(external_id, str(hit["id"]), line)
                _count(run, "created")
                _check_reserved(run, user, hit)
                return
            taken_by = taken_by or (key, hit)
    if taken_by is None:
        message, other = scrub(answer.message, run.secrets(user)), None
    else:
        key, hit = taken_by
        other = str(hit.get("id"))
        message = f"the {key} belongs to another Clerk user {other} (external_id {hit.get('external_id')})"
    journal.failed(external_id, line, answer.code, message, http_status=answer.status, conflict_user_id=other)
    _count(run, "failed")


def _check_reserved(run: _Run, sent: dict[str, Any], created: dict[str, Any]) -> None:
    """Stop loudly if Clerk marked verified an address we sent as reserved (it would mean the
    API ignores the identification status, and unverified addresses are open to takeover)."""
    for key, listed in (("email_address", "email_addresses"), ("phone_number", "phone_numbers")):
        reserved = {v.lower() for v, s in zip(sent.get(key) or [], sent.get(f"{key}_identification_status") or [],
                                              strict=False) if s == "reserved"}
        for entry in created.get(listed) or []:
            value = str(entry.get(key, "")).lower()
            status = (entry.get("verification") or {}).get("status")
            if value in reserved and status == "verified":
                raise Stop(f"Clerk created user {sent['external_id']} with its {key} verified although it was sent "
                           "as reserved: the API ignored *_identification_status, and unverified addresses would be "
                           "open to account takeover; stopped (roll back with `migrate rollback`)")
