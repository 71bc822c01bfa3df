"""fetch_docs: Context7 excerpts for each decision area, from the cache or the network.

The cache is read first. Only areas without a fresh entry go to the network, all at once
under a semaphore, after at most one library search (its answer is cached too). A failed
area becomes a warning (and uses a stale cache entry when there is one), unless docs are
required, when it is a ServiceError. Offline, only the cache is read: no socket opens,
and httpx is not even imported.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import logging
import re
from collections import Counter
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from advisor.docs._progress import Progress
from advisor.docs.cache import CacheEntry, DocsCache
from advisor.docs.errors import DocsError, LibraryNotFoundError
from advisor.docs.libraries import rank_libraries
from advisor.docs.settings import DocsSettings
from advisor.docs.snippets import Snippet, parse_docs
from advisor.docs.versions import merge_versions, sdk_major_versions
from advisor.errors import ServiceError

if TYPE_CHECKING:
    from advisor.docs.client import Context7Client

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_QUERY = 500
_CANDIDATES = 3  # library ids kept from a search, tried in order when one vanishes


@dataclass(frozen=True)
class Excerpt:
    """A short quote from a docs snippet, with where it came from."""

    title: str
    source_url: str | None
    quote: str

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "source_url": self.source_url, "quote": self.quote}


@dataclass
class DocsResult:
    """What fetch_docs found. `records` is what a snapshot stores; it is JSON-ready."""

    excerpts: dict[str, list[Excerpt]] = field(default_factory=dict)
    records: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    missing_areas: list[str] = field(default_factory=list)
    sdk_versions: dict[str, int] = field(default_factory=dict)
    stale_areas: list[str] = field(default_factory=list)
    library_id: str | None = None

    @property
    def complete(self) -> bool:
        return not self.missing_areas


@dataclass
class _Outcome:
    query: str
    library_id: str | None = None
    body: str | None = None
    doc_type: str = "txt"
    stale: bool = False
    age_seconds: float = 0.0
    error: str | None = None  # why it is missing, or why a stale entry was used


# -- public entry point ---------------------------------------------------------------


def fetch_docs(
    queries: Mapping[str, str],
    *,
    offline: bool = False,
    quiet: bool = False,
    required: bool = False,
    settings: DocsSettings | None = None,
) -> DocsResult:
    """Fetch Context7 docs for each `area -> question` in `queries`.

    Never raises for a failed fetch unless `required`, in which case any area without
    docs raises advisor.errors.ServiceError (exit 3).
    """
    settings = settings if settings is not None else DocsSettings.from_env()
    cache = DocsCache(
        settings.docs_cache_dir,
        ttl_seconds=settings.ttl_seconds,
        library_ttl_seconds=settings.library_ttl_seconds,
    )
    plan: dict[str, str] = {}
    outcomes: dict[str, _Outcome] = {}
    for area, question in queries.items():
        query = " ".join(str(question).split())[:MAX_QUERY]
        if query:
            plan[area] = query
        else:
            outcomes[area] = _Outcome(query="", error="the question is empty")

    library_ids, library_fresh = _cached_library(cache, settings)
    cached, fallback, pending = _read_cache(cache, plan, library_ids, settings.doc_type, offline=offline)
    outcomes.update(cached)

    if pending:
        progress = Progress(len(queries), quiet=quiet)
        progress.update(len(queries) - len(pending))
        try:
            fetched = _run(_fetch_online(plan, pending, library_ids, library_fresh, settings, cache, progress,
                                         len(queries)))
        finally:
            progress.close()
        for area, outcome in fetched.items():
            stale = fallback.get(area)
            if outcome.body is None and stale is not None and not required:
                stale.error = outcome.error
                outcomes[area] = stale
            else:
                outcomes[area] = outcome
        library_ids = _cached_library(cache, settings)[0] or library_ids

    result = _assemble(queries, outcomes, settings)
    answered = Counter(r["library_id"] for r in result.records if r["library_id"])
    if settings.library_id:
        result.library_id = settings.library_id
    elif answered:
        result.library_id = sorted(answered, key=lambda lid: (-answered[lid], lid))[0]
    else:
        result.library_id = library_ids[0] if library_ids else None
    if required and result.missing_areas:
        raise ServiceError(_required_message(result, outcomes))
    return result


# -- cache side -----------------------------------------------------------------------


def _read_cache(
    cache: DocsCache, plan: dict[str, str], library_ids: list[str], doc_type: str, *, offline: bool
) -> tuple[dict[str, _Outcome], dict[str, _Outcome], list[str]]:
    """Split the plan into answered-by-cache, stale fallbacks, and areas to fetch."""
    outcomes: dict[str, _Outcome] = {}
    fallback: dict[str, _Outcome] = {}
    pending: list[str] = []
    for area, query in plan.items():
        entry = _cached_context(cache, library_ids, query, doc_type)
        if entry is not None and not entry.stale:
            outcomes[area] = _from_entry(query, entry)
        elif offline:
            if entry is not None:
                outcomes[area] = _from_entry(query, entry, reason="offline")
            elif not library_ids:
                outcomes[area] = _Outcome(query, error="offline, and no Clerk library id is cached yet")
            else:
                outcomes[area] = _Outcome(query, error="offline, and this question is not in the docs cache")
        else:
            if entry is not None:
                fallback[area] = _from_entry(query, entry)
            pending.append(area)
    return outcomes, fallback, pending


def _cached_library(cache: DocsCache, settings: DocsSettings) -> tuple[list[str], bool]:
    if settings.library_id:
        return [settings.library_id], True
    entry = cache.get_library(settings.library_name)
    if entry is None:
        return [], False
    return DocsCache.library_ids(entry), not entry.stale


def _cached_context(cache: DocsCache, library_ids: list[str], query: str, doc_type: str) -> CacheEntry | None:
    """The first entry among the candidate ids, preferring a fresh one."""
    stale: CacheEntry | None = None
    for library_id in library_ids:
        entry = cache.get_context(library_id, query, doc_type)
        if entry is not None and not entry.stale:
            return entry
        stale = stale or entry
    return stale


def _from_entry(query: str, entry: CacheEntry, *, reason: str | None = None) -> _Outcome:
    library_id = entry.meta.get("library_id")
    return _Outcome(
        query=query,
        library_id=library_id if isinstance(library_id, str) else entry.key.get("library_id"),
        body=entry.body,
        doc_type=entry.key.get("type", "txt"),
        stale=entry.stale,
        age_seconds=entry.age_seconds,
        error=reason,
    )


# -- network side ---------------------------------------------------------------------


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """asyncio.run, also from code that already runs an event loop (then in a thread)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _fetch_online(
    plan: dict[str, str],
    pending: list[str],
    library_ids: list[str],
    library_fresh: bool,
    settings: DocsSettings,
    cache: DocsCache,
    progress: Progress,
    total: int,
) -> dict[str, _Outcome]:
    from advisor.docs.client import Context7Client  # httpx is imported only here

    results: dict[str, _Outcome] = {}
    loop = asyncio.get_running_loop()
    end = loop.time() + settings.overall_deadline
    async with Context7Client(settings) as client:
        if not library_fresh:
            try:
                async with asyncio.timeout_at(end):
                    found = await client.search(settings.library_name, settings.library_query)
                ranked = rank_libraries(found, name=settings.library_name, preferred=settings.preferred_library_ids)
            except TimeoutError:
                reason = f"no answer within {settings.overall_deadline:g} s"
                return {area: _Outcome(plan[area], error=reason) for area in pending}
            except DocsError as exc:
                if not library_ids:
                    return {area: _Outcome(plan[area], error=f"library search failed: {exc}") for area in pending}
                log.debug("library search failed (%s); using the cached library id", exc)
            else:
                if ranked:
                    library_ids = [lib.id for lib in ranked[:_CANDIDATES]]
                    cache.put_library(settings.library_name, library_ids)
                elif not library_ids:
                    reason = f"Context7 has no library matching {settings.library_name!r}"
                    return {area: _Outcome(plan[area], error=reason) for area in pending}

        dead: set[str] = set()
        semaphore = asyncio.Semaphore(settings.concurrency)

        async def one(area: str) -> _Outcome:
            async with semaphore:
                return await _fetch_area(client, cache, library_ids, plan[area], settings, dead)

        tasks = {asyncio.create_task(one(area)): area for area in pending}
        waiting = set(tasks)
        done_count = total - len(pending)
        while waiting and (remaining := end - loop.time()) > 0:
            done, waiting = await asyncio.wait(waiting, timeout=remaining, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                results[tasks[task]] = task.result()
                done_count += 1
                progress.update(done_count)
        for task in waiting:
            task.cancel()
            results[tasks[task]] = _Outcome(
                plan[tasks[task]], error=f"no answer within {settings.overall_deadline:g} s"
            )
        await asyncio.gather(*waiting, return_exceptions=True)

    if not settings.library_id:
        _remember_library(cache, settings, library_ids, results, dead)
    return results


async def _fetch_area(
    client: Context7Client, cache: DocsCache, library_ids: list[str], query: str, settings: DocsSettings, dead: set[str]
) -> _Outcome:
    last: DocsError | None = None
    for library_id in library_ids:
        if library_id in dead:
            continue
        try:
            answer = await client.context(library_id, query, settings.doc_type)
        except LibraryNotFoundError as exc:
            dead.add(library_id)
            last = exc
            continue
        except DocsError as exc:  # no docs, or a failure: either way this area has none
            return _Outcome(query, error=str(exc))
        except Exception as exc:  # a bug here must not crash a run that asked for optional docs
            log.debug("unexpected error fetching docs", exc_info=True)
            return _Outcome(query, error=f"unexpected {type(exc).__name__} while fetching docs")
        meta = {"library_id": answer.library_id, "requested_library_id": library_id,
                "redirects": list(answer.redirects)}
        cache.put_context(library_id, query, settings.doc_type, answer.body, meta=meta)
        if answer.library_id != library_id:
            cache.put_context(answer.library_id, query, settings.doc_type, answer.body, meta=meta)
        return _Outcome(query, library_id=answer.library_id, body=answer.body, doc_type=settings.doc_type)
    if last is None:
        return _Outcome(query, error="every candidate Clerk library id is gone")
    return _Outcome(query, error=str(last))


def _remember_library(
    cache: DocsCache, settings: DocsSettings, library_ids: list[str], results: dict[str, _Outcome], dead: set[str]
) -> None:
    """After redirects or vanished ids, cache the library id that actually answered."""
    answered = Counter(o.library_id for o in results.values() if o.body is not None and o.library_id)
    if answered:
        def rank(lid: str) -> tuple[int, int, str]:
            position = library_ids.index(lid) if lid in library_ids else len(library_ids)
            return (-answered[lid], position, lid)

        best = sorted(answered, key=rank)[0]
        ids = [best] + [lid for lid in library_ids if lid != best and lid not in dead]
        if ids != library_ids:
            cache.put_library(settings.library_name, ids[:_CANDIDATES])
    elif library_ids and all(lid in dead for lid in library_ids):
        cache.forget_library(settings.library_name)


# -- result ---------------------------------------------------------------------------


def _assemble(queries: Mapping[str, str], outcomes: dict[str, _Outcome], settings: DocsSettings) -> DocsResult:
    result = DocsResult()
    versions: list[dict[str, int]] = []
    # One warning per cause, not per area: without a network every area fails the same way.
    unavailable: dict[str, list[str]] = {}
    stale: dict[str, list[str]] = {}
    for area in sorted(queries):
        outcome = outcomes[area]
        snippets: list[Snippet] = []
        if outcome.body is not None:
            try:
                snippets = parse_docs(outcome.body, outcome.doc_type)
            except DocsError as exc:
                outcome.error = str(exc)
            if not snippets:
                outcome.error = outcome.error or "the cached answer has no snippets"
                outcome.body = None
        if outcome.body is None:
            result.missing_areas.append(area)
            unavailable.setdefault(str(outcome.error), []).append(area)
            continue
        excerpts = _excerpts(snippets, settings)
        result.excerpts[area] = excerpts
        if outcome.stale:
            result.stale_areas.append(area)
            why = "offline" if outcome.error == "offline" else f"refresh failed: {outcome.error}"
            stale.setdefault(f"{_age(outcome.age_seconds)} old ({why})", []).append(area)
        result.records.append(
            {
                "area": area,
                "library_id": outcome.library_id,
                "query": outcome.query,
                "type": outcome.doc_type,
                "sha256": hashlib.sha256(outcome.body.encode("utf-8")).hexdigest(),
                "source_urls": sorted({e.source_url for e in excerpts if e.source_url}),
            }
        )
        # Scan the parsed text, not the raw body: a JSON body escapes the quotes of package.json.
        versions.append(sdk_major_versions("\n".join(f"{s.title}\n{s.description}\n{s.code}" for s in snippets)))
    result.sdk_versions = merge_versions(versions)
    result.warnings += [f"Context7 docs for {_areas(areas)} unavailable: {error}"
                        for error, areas in unavailable.items()]
    result.warnings += [f"Context7 docs for {_areas(areas)} are a stale cached copy, {why}"
                        for why, areas in stale.items()]
    return result


def _areas(areas: list[str]) -> str:
    return repr(areas[0]) if len(areas) == 1 else f"{len(areas)} areas ({', '.join(areas)})"


def _excerpts(snippets: list[Snippet], settings: DocsSettings) -> list[Excerpt]:
    excerpts: list[Excerpt] = []
    seen: set[tuple[str, str | None]] = set()
    for snippet in snippets:
        quote = quote_of(snippet.text, settings.quote_chars)
        key = (snippet.title, snippet.source_url)
        if not quote or key in seen:
            continue
        seen.add(key)
        excerpts.append(Excerpt(title=snippet.title or "(untitled)", source_url=snippet.source_url, quote=quote))
        if len(excerpts) >= settings.max_excerpts_per_area:
            break
    return excerpts


def quote_of(text: str, limit: int = 400) -> str:
    """`text` on one line, cut at a word boundary to at most `limit` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return re.sub(r"[\s,;:.-]+$", "", cut) + "…"


def _age(seconds: float) -> str:
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min"
    if seconds < 2 * 86400:
        return f"{round(seconds / 3600)} h"
    return f"{round(seconds / 86400)} days"


def _required_message(result: DocsResult, outcomes: dict[str, _Outcome]) -> str:
    missing = result.missing_areas
    lines = [f"Context7 docs are required, but {len(missing)} of {len(outcomes)} areas have none:"]
    by_error: dict[str, list[str]] = {}
    for area in missing:
        by_error.setdefault(str(outcomes[area].error), []).append(area)
    lines += [f"  {', '.join(areas)}: {error}" for error, areas in by_error.items()]
    return "\n".join(lines)
