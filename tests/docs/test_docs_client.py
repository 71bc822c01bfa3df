"""Every switch of the fake Context7, seen through the client and through fetch_docs."""

from __future__ import annotations

import asyncio
import json
import socket
import time

import httpx
import pytest
from docs_helpers import TEST_KEY
from fake_context7 import FakeContext7

from advisor.docs.cache import DocsCache
from advisor.docs.client import Context7Client, _Response
from advisor.docs.errors import (
    AccessDeniedError,
    AuthenticationError,
    InvalidRequestError,
    LibraryNotFoundError,
    MalformedResponseError,
    NoDocsError,
    RateLimitError,
    RedirectError,
    ResponseTooLargeError,
    ServerError,
    TransportError,
)
from advisor.docs.fetch import fetch_docs
from advisor.docs.settings import DocsSettings

M2M = "How do I create and verify M2M tokens between services?"


def context(settings: DocsSettings, library_id: str = "/clerk/clerk-docs", query: str = M2M, doc_type: str = "txt"):
    async def go():
        async with Context7Client(settings) as client:
            return await client.context(library_id, query, doc_type)

    return asyncio.run(go())


def search(settings: DocsSettings, name: str = "clerk"):
    async def go():
        async with Context7Client(settings) as client:
            return await client.search(name, "Clerk authentication")

    return asyncio.run(go())


def one_area(settings: DocsSettings, **kwargs):
    return fetch_docs({"m2m": M2M}, settings=settings, **kwargs)


# -- the happy path and what goes over the wire --------------------------------------


def test_search_then_context_requests_are_v2_shaped(fake: FakeContext7, settings: DocsSettings) -> None:
    result = one_area(settings)
    assert result.missing_areas == [] and result.warnings == []
    [found] = fake.requests_to("search")
    assert found.path == "/api/v2/libs/search"
    assert found.query["libraryName"] == "clerk" and found.query["query"]
    [ctx] = fake.requests_to("context")
    assert ctx.path == "/api/v2/context"
    assert ctx.query == {"libraryId": "/clerk/clerk-docs", "query": M2M, "type": "txt"}
    assert "libraryId=%2Fclerk%2Fclerk-docs" in ctx.raw_query  # the id travels URL-encoded
    assert ctx.headers["x-context7-source"] == "clerk-advisor"
    assert "authorization" not in ctx.headers and "authorization" not in found.headers


def test_json_type_is_requested_and_parsed(fake: FakeContext7, settings: DocsSettings) -> None:
    result = one_area(settings.with_(doc_type="json"))
    assert [r.query["type"] for r in fake.requests_to("context")] == ["json"]
    assert result.excerpts["m2m"][0].title == "Create and verify M2M tokens"
    assert result.records[0]["type"] == "json"


def test_api_key_is_sent_as_bearer_only_when_set(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.required_key = TEST_KEY
    result = one_area(settings.with_(api_key=TEST_KEY))
    assert result.warnings == []
    assert {r.headers["authorization"] for r in fake.requests} == {f"Bearer {TEST_KEY}"}


# -- latency and concurrency ----------------------------------------------------------


def test_areas_are_fetched_concurrently_after_one_search(
    fake: FakeContext7, settings: DocsSettings, queries: dict[str, str]
) -> None:
    fake.latency = 0.2
    started = time.perf_counter()
    result = fetch_docs(queries, settings=settings)
    elapsed = time.perf_counter() - started
    assert result.missing_areas == []
    assert len(fake.requests_to("search")) == 1 and len(fake.requests_to("context")) == 6
    # search + one parallel round is ~0.4 s; one round per area would be 1.4 s.
    assert 0.4 <= elapsed < 1.0, f"expected ~2 round trips (search + one parallel round), took {elapsed:.2f}s"


def test_concurrency_is_bounded(fake: FakeContext7, settings: DocsSettings, queries: dict[str, str]) -> None:
    fake.latency = 0.1
    started = time.perf_counter()
    result = fetch_docs(queries, settings=settings.with_(concurrency=2))
    elapsed = time.perf_counter() - started
    assert result.missing_areas == []
    assert fake.max_in_flight == 2
    assert elapsed >= 0.1 + 3 * 0.1  # search, then three rounds of two


# -- redirects ------------------------------------------------------------------------


def test_redirect_is_followed_and_remembered(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.redirects = {"/clerk/clerk-docs": "/clerk/clerk-docs-next"}
    result = one_area(settings)
    assert result.warnings == []
    assert result.records[0]["library_id"] == "/clerk/clerk-docs-next" and result.library_id == "/clerk/clerk-docs-next"
    assert [r.query["libraryId"] for r in fake.requests_to("context")] == ["/clerk/clerk-docs", "/clerk/clerk-docs-next"]
    cache = DocsCache(settings.docs_cache_dir, ttl_seconds=3600)
    assert DocsCache.library_ids(cache.get_library("clerk"))[0] == "/clerk/clerk-docs-next"  # type: ignore[arg-type]
    fake.reset()
    fake.redirects = {"/clerk/clerk-docs": "/clerk/clerk-docs-next"}
    assert one_area(settings).records == result.records and fake.requests == []  # cached, nothing asked


def test_redirect_with_location_header_only() -> None:
    response = _Response(301, "Moved Permanently", httpx.Headers({"Location": "/api/v2/context?libraryId=/clerk/new&type=txt"}), b"")
    assert Context7Client._redirect_target(response) == "/clerk/new"
    body = json.dumps({"error": "library_redirected", "redirectUrl": "https://context7.com/clerk/moved"}).encode()
    assert Context7Client._redirect_target(_Response(301, "", httpx.Headers(), body)) == "/clerk/moved"
    assert Context7Client._redirect_target(_Response(301, "", httpx.Headers(), b'{"redirectUrl": "nonsense"}')) is None


def test_redirect_hop_limit(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.redirects = {"/clerk/clerk-docs": "/clerk/a", "/clerk/a": "/clerk/b", "/clerk/b": "/clerk/c", "/clerk/c": "/clerk/d"}
    with pytest.raises(RedirectError, match="more than 3 times"):
        context(settings)
    assert len(fake.requests_to("context")) == 4
    fake.reset()
    fake.redirects = {"/clerk/clerk-docs": "/clerk/a", "/clerk/a": "/clerk/b"}
    assert context(settings).library_id == "/clerk/b"


def test_redirect_loop(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.redirects = {"/clerk/clerk-docs": "/clerk/a", "/clerk/a": "/clerk/clerk-docs"}
    with pytest.raises(RedirectError, match="loop"):
        context(settings)
    result = one_area(settings)
    assert result.missing_areas == ["m2m"] and "loop" in result.warnings[0]


def test_httpx_never_follows_redirects_itself(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.redirects = {"/clerk/clerk-docs": "/clerk/a"}
    fake.redirect_with_location = True
    assert context(settings).redirects == ("/clerk/a",)
    # Exactly two requests: ours. httpx following Location as well would add a third.
    assert len(fake.requests_to("context")) == 2


# -- 202 and 404 ----------------------------------------------------------------------


def test_202_means_no_docs_yet(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.not_finalized = {"/clerk/clerk-docs"}
    with pytest.raises(NoDocsError, match="202"):
        context(settings)
    result = one_area(settings)
    assert result.missing_areas == ["m2m"] and "still indexing" in result.warnings[0]
    assert len(fake.requests_to("context")) == 2  # one per call: no retry


def test_404_no_libraries_found_new_shape(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.search_mode = "no_libraries_found"
    assert search(settings) == []
    result = one_area(settings)
    assert result.missing_areas == ["m2m"] and "no library matching 'clerk'" in result.warnings[0]
    assert fake.requests_to("context") == []


def test_200_empty_results_old_shape(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.search_mode = "empty_results"
    result = one_area(settings)
    assert result.missing_areas == ["m2m"] and "no library matching" in result.warnings[0]


def test_404_library_not_found_falls_back_to_next_candidate(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.missing_libraries = {"/clerk/clerk-docs"}
    with pytest.raises(LibraryNotFoundError):
        context(settings)
    result = one_area(settings)
    assert result.warnings == [] and result.records[0]["library_id"] == "/websites/clerk"
    cache = DocsCache(settings.docs_cache_dir, ttl_seconds=3600)
    assert DocsCache.library_ids(cache.get_library("clerk")) == ["/websites/clerk", "/clerk/javascript"]  # type: ignore[arg-type]


def test_404_for_every_candidate_forgets_the_resolution(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.missing_libraries = {"/clerk/clerk-docs", "/websites/clerk", "/clerk/javascript"}
    result = one_area(settings)
    assert result.missing_areas == ["m2m"] and "library_not_found" in result.warnings[0]
    assert DocsCache(settings.docs_cache_dir, ttl_seconds=3600).get_library("clerk") is None


def test_404_no_snippets_found(fake: FakeContext7, settings: DocsSettings) -> None:
    with pytest.raises(NoDocsError, match="no_snippets_found"):
        context(settings, query="How do I bake bread?")


# -- 429 ------------------------------------------------------------------------------


def test_429_retries_after_a_capped_wait(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.fault_endpoints = {"context"}
    fake.rate_limit = 2
    fake.retry_after = "30"  # capped to settings.retry_after_cap (0.05 s)
    started = time.perf_counter()
    answer = context(settings)
    assert answer.body and len(fake.requests_to("context")) == 3
    assert time.perf_counter() - started < 1.0


def test_429_honours_retry_after_below_the_cap(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.fault_endpoints = {"context"}
    fake.rate_limit = 1
    fake.retry_after = "0.3"
    started = time.perf_counter()
    context(settings.with_(retry_after_cap=5.0))
    assert time.perf_counter() - started >= 0.3


def test_429_without_retry_after_backs_off(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.fault_endpoints = {"context"}
    fake.rate_limit = 1
    fake.retry_after = None
    assert context(settings).body


def test_429_gives_up_after_bounded_retries(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.fault_endpoints = {"context"}
    fake.rate_limit = 100
    with pytest.raises(RateLimitError, match=r"HTTP 429 rate_limit_exceeded\) after 3 attempts.*CONTEXT7_API_KEY"):
        context(settings)
    assert len(fake.requests_to("context")) == 1 + settings.max_rate_limit_retries


def test_one_429_pauses_every_concurrent_request(
    fake: FakeContext7, settings: DocsSettings, queries: dict[str, str]
) -> None:
    fake.fault_endpoints = {"search"}
    fake.rate_limit = 1
    fake.retry_after = "0.3"
    started = time.perf_counter()
    result = fetch_docs(queries, settings=settings.with_(retry_after_cap=1.0))
    assert result.missing_areas == []
    assert time.perf_counter() - started >= 0.3
    assert len(fake.requests_to("search")) == 2


# -- 5xx, timeouts, connection errors -------------------------------------------------


def test_500_n_times_then_success(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.fault_endpoints = {"context"}
    fake.server_errors = 2
    assert context(settings).body
    assert len(fake.requests_to("context")) == 3


def test_500_more_often_than_the_retry_budget(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.fault_endpoints = {"context"}
    fake.server_errors = 3
    with pytest.raises(ServerError, match=r"HTTP 500 internal_server_error\) after 3 attempts"):
        context(settings)
    assert len(fake.requests_to("context")) == 3


def test_503_with_an_html_body(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.fault_endpoints = {"context"}
    fake.server_errors = 10
    fake.server_error_status = 503
    fake.error_shape = "html"
    with pytest.raises(ServerError, match=r"HTTP 503.*Service Unavailable"):
        context(settings.with_(max_retries=0))


def test_connection_refused_is_retried_then_reported(settings: DocsSettings) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    closed = settings.with_(base_url=f"http://127.0.0.1:{port}/api")
    with pytest.raises(TransportError, match=r"could not reach Context7 at 127\.0\.0\.1.*\(3 attempts\)"):
        context(closed)
    result = one_area(closed)
    assert result.missing_areas == ["m2m"] and "could not reach Context7" in result.warnings[0]


def test_slow_drip_hits_the_request_deadline(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.fault_endpoints = {"context"}
    fake.drip_interval = 0.05  # 16 bytes every 50 ms: every read is quick, the whole is not
    quick = settings.with_(request_deadline=0.3, max_retries=1)
    started = time.perf_counter()
    with pytest.raises(TransportError, match=r"did not answer completely within 0\.3 s \(2 attempts\)"):
        context(quick)
    assert time.perf_counter() - started < 2 * 0.3 + 0.5


def test_latency_beyond_the_read_timeout(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.latency = 0.5
    with pytest.raises(TransportError, match="timed out"):
        context(settings.with_(read_timeout=0.1, max_retries=0))


def test_overall_deadline_bounds_the_whole_fetch(
    fake: FakeContext7, settings: DocsSettings, queries: dict[str, str]
) -> None:
    DocsCache(settings.docs_cache_dir, ttl_seconds=3600).put_library("clerk", ["/clerk/clerk-docs"])
    fake.latency = 1.0
    started = time.perf_counter()
    result = fetch_docs(queries, settings=settings.with_(overall_deadline=0.3))
    assert time.perf_counter() - started < 0.9
    assert sorted(result.missing_areas) == sorted(queries)
    assert all("no answer within 0.3 s" in w for w in result.warnings)


# -- bodies ---------------------------------------------------------------------------


def test_malformed_search_json(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.malformed_json = True
    with pytest.raises(MalformedResponseError):
        search(settings)
    result = one_area(settings)
    assert result.missing_areas == ["m2m"] and "library search failed" in result.warnings[0]


def test_malformed_docs_json(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.fault_endpoints = {"context"}
    fake.malformed_json = True
    with pytest.raises(MalformedResponseError):
        context(settings, doc_type="json")
    result = one_area(settings.with_(doc_type="json"))
    assert result.missing_areas == ["m2m"] and "could not be parsed" in result.warnings[0]
    assert DocsCache(settings.docs_cache_dir, ttl_seconds=3600).status().entries == 1  # only the resolution


def test_empty_body_means_no_docs(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.fault_endpoints = {"context"}
    fake.empty_body = True
    with pytest.raises(NoDocsError, match="empty answer"):
        context(settings)
    assert len(fake.requests_to("context")) == 1


def test_empty_search_body_means_no_library(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.fault_endpoints = {"search"}
    fake.empty_body = True
    assert search(settings) == []


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_huge_body_is_cut_off(fake: FakeContext7, settings: DocsSettings, declared: bool) -> None:
    fake.fault_endpoints = {"context"}
    fake.huge_body = 3 * 1024 * 1024
    fake.huge_declared = declared
    with pytest.raises(ResponseTooLargeError, match="2097152 byte limit"):
        context(settings)
    assert len(fake.requests_to("context")) == 1  # not retried
    result = one_area(settings)
    assert result.missing_areas == ["m2m"]


def test_body_just_under_the_cap_is_read(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.fault_endpoints = {"context"}
    fake.huge_body = 100_000
    fake.huge_declared = False
    assert len(context(settings.with_(max_body_bytes=100_000)).body) == 100_000


# -- 400, 401, 402, 403 and error shapes ----------------------------------------------


def test_401_without_a_key(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.required_key = TEST_KEY
    result = one_area(settings)
    assert result.missing_areas == ["m2m"]
    assert "set CONTEXT7_API_KEY" in result.warnings[0] and "ctx7sk" in result.warnings[0]
    assert len(fake.requests) == 1  # the search; no retry, and no context request after a 401


def test_401_with_a_wrong_key(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.required_key = TEST_KEY
    with pytest.raises(AuthenticationError, match=r"invalid_api_key.*start with ctx7sk \(the one set does not\)"):
        context(settings.with_(api_key="sk-not-a-context7-key"))
    assert len(fake.requests) == 1


def test_401_stops_every_other_request(fake: FakeContext7, settings: DocsSettings, queries: dict[str, str]) -> None:
    DocsCache(settings.docs_cache_dir, ttl_seconds=3600).put_library("clerk", ["/clerk/clerk-docs"])
    fake.required_key = TEST_KEY
    result = fetch_docs(queries, settings=settings.with_(concurrency=1))
    assert sorted(result.missing_areas) == sorted(queries)
    assert len(fake.requests) == 1


@pytest.mark.parametrize(("status", "error", "text"), [(402, AccessDeniedError, "spending limit"), (403, AccessDeniedError, "denied access")])
def test_402_and_403_are_reported_without_retry(fake: FakeContext7, settings: DocsSettings, status, error, text) -> None:
    fake.status_override = {"context": status}
    with pytest.raises(error, match=text):
        context(settings)
    assert len(fake.requests_to("context")) == 1


def test_400_is_reported_without_retry(fake: FakeContext7, settings: DocsSettings) -> None:
    fake.status_override = {"context": 400}
    with pytest.raises(InvalidRequestError, match=r"HTTP 400 validation_error\): Invalid request parameters"):
        context(settings)
    assert len(fake.requests_to("context")) == 1


def test_invalid_library_id_is_refused_before_sending(fake: FakeContext7, settings: DocsSettings) -> None:
    with pytest.raises(InvalidRequestError, match="not a Context7 library id"):
        context(settings, library_id="clerk-docs")
    assert fake.requests == []


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        ("new", "Context7 denied access (HTTP 403 access_denied): You do not have access to this library."),
        ("old", "Context7 denied access (HTTP 403): You do not have access to this library."),
        ("text", "Context7 denied access (HTTP 403): You do not have access to this library."),
        ("html", "Context7 denied access (HTTP 403): HTTP 403 Forbidden"),
    ],
)
def test_old_and_new_error_shapes(fake: FakeContext7, settings: DocsSettings, shape: str, expected: str) -> None:
    fake.status_override = {"context": 403}
    fake.error_shape = shape
    with pytest.raises(AccessDeniedError) as caught:
        context(settings)
    assert str(caught.value) == expected


def test_long_queries_are_cut_to_the_api_limit(fake: FakeContext7, settings: DocsSettings) -> None:
    result = fetch_docs({"m2m": "M2M " + "tokens " * 200}, settings=settings)
    assert result.missing_areas == []
    assert len(fake.requests_to("context")[0].query["query"]) == 500
