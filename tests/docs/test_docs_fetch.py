"""fetch_docs as the rest of the app sees it: cache first, offline, required, progress, secrets."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import sys
from pathlib import Path

import pytest
from docs_helpers import TEST_KEY, NetworkGuard
from fake_context7 import FakeContext7

from advisor.docs.cache import DocsCache
from advisor.docs.fetch import DocsResult, fetch_docs
from advisor.docs.settings import DocsSettings
from advisor.errors import EXIT_SERVICE, ServiceError
from advisor.terminal import safe


def expire_everything(settings: DocsSettings, seconds: float = 10 * 86400) -> None:
    for path in settings.docs_cache_dir.glob("*.json"):
        data = json.loads(path.read_text())
        data["created_at"] -= seconds
        path.write_text(json.dumps(data))


class TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


# -- result shape ---------------------------------------------------------------------


def test_cold_fetch_result(fake: FakeContext7, settings: DocsSettings, queries: dict[str, str]) -> None:
    result = fetch_docs(queries, settings=settings)
    assert isinstance(result, DocsResult)
    assert result.missing_areas == [] and result.warnings == [] and result.stale_areas == []
    assert result.library_id == "/clerk/clerk-docs"
    assert sorted(result.excerpts) == sorted(queries)
    for area, excerpts in result.excerpts.items():
        assert 1 <= len(excerpts) <= settings.max_excerpts_per_area, area
        for excerpt in excerpts:
            assert excerpt.title and excerpt.quote and len(excerpt.quote) <= 400
            assert "\n" not in excerpt.quote
    assert result.excerpts["m2m"][0].source_url == (
        "https://github.com/clerk/clerk-docs/blob/main/docs/guides/development/machine-auth/m2m-tokens.mdx#_snippet_2"
    )
    assert "M2M" in result.excerpts["m2m"][0].quote
    assert result.sdk_versions == {"@clerk/nextjs": 7, "@clerk/ui": 1, "clerk-backend-api": 7}


def test_records_are_json_ready_sorted_and_deterministic(
    fake: FakeContext7, settings: DocsSettings, queries: dict[str, str]
) -> None:
    first = fetch_docs(queries, settings=settings)
    DocsCache(settings.docs_cache_dir, ttl_seconds=1).clear()
    second = fetch_docs(dict(reversed(list(queries.items()))), settings=settings)
    assert json.dumps(first.records) == json.dumps(second.records)
    assert [r["area"] for r in first.records] == sorted(queries)
    record = next(r for r in first.records if r["area"] == "m2m")
    assert set(record) == {"area", "library_id", "query", "type", "sha256", "source_urls"}
    assert record["library_id"] == "/clerk/clerk-docs" and record["query"] == queries["m2m"]
    assert len(record["sha256"]) == 64 and record["source_urls"] == sorted(record["source_urls"])
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "context7" / "docs" / "m2m.txt"
    import hashlib

    assert record["sha256"] == hashlib.sha256(fixture.read_bytes()).hexdigest()


def test_empty_question_is_a_missing_area(fake: FakeContext7, settings: DocsSettings) -> None:
    result = fetch_docs({"m2m": "How do I verify M2M tokens?", "sdk": "   "}, settings=settings)
    assert result.missing_areas == ["sdk"] and "question is empty" in result.warnings[0]
    assert len(fake.requests_to("context")) == 1


def test_no_queries_no_requests(fake: FakeContext7, settings: DocsSettings) -> None:
    result = fetch_docs({}, settings=settings)
    assert result.records == [] and result.missing_areas == [] and fake.requests == []


def test_settings_default_to_the_environment(fake: FakeContext7, queries: dict[str, str]) -> None:
    result = fetch_docs({"m2m": queries["m2m"]})  # CONTEXT7_API_URL and the cache dir from the env
    assert result.missing_areas == [] and len(fake.requests) == 2


def test_pinned_library_id_skips_the_search(fake: FakeContext7, settings: DocsSettings, queries: dict[str, str]) -> None:
    result = fetch_docs(queries, settings=settings.with_(library_id="/websites/clerk"))
    assert fake.requests_to("search") == [] and result.library_id == "/websites/clerk"
    assert {r.query["libraryId"] for r in fake.requests_to("context")} == {"/websites/clerk"}


def test_works_inside_a_running_event_loop(fake: FakeContext7, settings: DocsSettings, queries: dict[str, str]) -> None:
    async def caller() -> DocsResult:
        return fetch_docs(queries, settings=settings)

    assert asyncio.run(caller()).missing_areas == []


# -- cache ----------------------------------------------------------------------------


def test_second_run_is_served_from_the_cache(fake: FakeContext7, settings: DocsSettings, queries: dict[str, str]) -> None:
    first = fetch_docs(queries, settings=settings)
    fake.reset()
    second = fetch_docs(queries, settings=settings)
    assert fake.requests == []
    assert second.records == first.records and second.excerpts == first.excerpts
    assert DocsCache(settings.docs_cache_dir, ttl_seconds=3600).status().entries == 1 + len(queries)


def test_only_uncached_areas_are_fetched(fake: FakeContext7, settings: DocsSettings, queries: dict[str, str]) -> None:
    fetch_docs({"m2m": queries["m2m"]}, settings=settings)
    fake.reset()
    fetch_docs(queries, settings=settings)
    assert fake.requests_to("search") == []
    assert sorted(r.query["query"] for r in fake.requests_to("context")) == sorted(
        q for area, q in queries.items() if area != "m2m"
    )


def test_expired_entries_are_fetched_again(fake: FakeContext7, settings: DocsSettings, queries: dict[str, str]) -> None:
    fetch_docs(queries, settings=settings)
    expire_everything(settings)
    fake.reset()
    result = fetch_docs(queries, settings=settings)
    assert result.stale_areas == [] and result.warnings == []
    assert len(fake.requests_to("search")) == 1 and len(fake.requests_to("context")) == len(queries)


def test_corrupt_entries_are_fetched_again_and_replaced(
    fake: FakeContext7, settings: DocsSettings, queries: dict[str, str]
) -> None:
    first = fetch_docs(queries, settings=settings)
    for path in settings.docs_cache_dir.glob("*.json"):
        path.write_bytes(path.read_bytes()[:50])
    fake.reset()
    second = fetch_docs(queries, settings=settings)
    assert second.records == first.records and second.warnings == []
    assert DocsCache(settings.docs_cache_dir, ttl_seconds=3600).status().unreadable_entries == 0


def test_stale_entry_is_used_when_a_refresh_fails(
    fake: FakeContext7, settings: DocsSettings, queries: dict[str, str]
) -> None:
    first = fetch_docs(queries, settings=settings)
    expire_everything(settings, seconds=3 * 86400)
    fake.reset()
    fake.status_override = {"context": 503, "search": 503}
    result = fetch_docs(queries, settings=settings)
    assert result.missing_areas == [] and result.records == first.records
    assert sorted(result.stale_areas) == sorted(queries)
    assert all("stale cached copy, 3 days old (refresh failed: Context7 server error (HTTP 503" in w for w in result.warnings)


# -- offline --------------------------------------------------------------------------


def test_offline_hit_opens_no_socket(
    fake: FakeContext7, settings: DocsSettings, queries: dict[str, str], network_guard: NetworkGuard
) -> None:
    online = fetch_docs(queries, settings=settings)
    fake.reset()
    network_guard.allow_loopback = False
    offline = fetch_docs(queries, offline=True, settings=settings)
    assert fake.requests == [] and network_guard.refused == []
    assert offline.records == online.records and offline.warnings == []


def test_offline_miss(fake: FakeContext7, settings: DocsSettings, queries: dict[str, str], network_guard: NetworkGuard) -> None:
    network_guard.allow_loopback = False
    result = fetch_docs(queries, offline=True, settings=settings)
    assert sorted(result.missing_areas) == sorted(queries) and result.records == []
    assert all("offline, and no Clerk library id is cached" in w for w in result.warnings)
    assert fake.requests == []


def test_offline_partial_miss(fake: FakeContext7, settings: DocsSettings, queries: dict[str, str], network_guard: NetworkGuard) -> None:
    fetch_docs({"m2m": queries["m2m"]}, settings=settings)
    network_guard.allow_loopback = False
    result = fetch_docs(queries, offline=True, settings=settings)
    assert sorted(result.missing_areas) == sorted(a for a in queries if a != "m2m")
    assert any("not in the docs cache" in w for w in result.warnings)


def test_offline_uses_stale_entries_and_flags_them(
    fake: FakeContext7, settings: DocsSettings, queries: dict[str, str], network_guard: NetworkGuard
) -> None:
    fetch_docs(queries, settings=settings)
    expire_everything(settings, seconds=30 * 3600)
    network_guard.allow_loopback = False
    result = fetch_docs(queries, offline=True, settings=settings)
    assert result.missing_areas == [] and sorted(result.stale_areas) == sorted(queries)
    assert all("stale cached copy, 30 h old (offline)" in w for w in result.warnings)


def test_offline_does_not_import_httpx(docs_env: Path) -> None:
    import subprocess

    code = (
        "import sys\n"
        "from advisor.docs import fetch_docs\n"
        "r = fetch_docs({'m2m': 'How do I verify M2M tokens?'}, offline=True)\n"
        "assert r.missing_areas == ['m2m'], r\n"
        "assert 'httpx' not in sys.modules and 'advisor.docs.client' not in sys.modules\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


# -- required -------------------------------------------------------------------------


def test_required_failure_raises_service_error(fake: FakeContext7, settings: DocsSettings, queries: dict[str, str]) -> None:
    fake.status_override = {"context": 500}
    with pytest.raises(ServiceError) as caught:
        fetch_docs(queries, required=True, settings=settings)
    assert caught.value.exit_code == EXIT_SERVICE == 3
    message = str(caught.value)
    assert message.startswith("Context7 docs are required, but 6 of 6 areas have none:")
    # Every area failed the same way: one line for all of them.
    assert "\n  auth.mfa, m2m, orgs, sdk, session, webhooks: Context7 server error (HTTP 500" in message
    assert message.count("Context7 server error") == 1


def test_required_partial_failure_raises(fake: FakeContext7, settings: DocsSettings) -> None:
    queries = {"m2m": "How do I verify M2M tokens?", "bread": "How do I bake bread?"}
    with pytest.raises(ServiceError, match=r"1 of 2 areas have none:\n  bread: .*no_snippets_found"):
        fetch_docs(queries, required=True, settings=settings)


def test_not_required_failure_never_raises(fake: FakeContext7, settings: DocsSettings, queries: dict[str, str]) -> None:
    fake.status_override = {"context": 500, "search": 500}
    result = fetch_docs(queries, settings=settings)
    assert sorted(result.missing_areas) == sorted(queries)
    assert len(result.warnings) == 1  # one cause, one warning naming every area
    assert result.warnings[0].startswith(f"Context7 docs for {len(queries)} areas ({', '.join(sorted(queries))}) ")


def test_required_success(fake: FakeContext7, settings: DocsSettings, queries: dict[str, str]) -> None:
    assert fetch_docs(queries, required=True, settings=settings).complete


def test_required_does_not_accept_a_stale_fallback_online(
    fake: FakeContext7, settings: DocsSettings, queries: dict[str, str]
) -> None:
    fetch_docs(queries, settings=settings)
    expire_everything(settings)
    fake.reset()
    fake.status_override = {"context": 503}
    with pytest.raises(ServiceError):
        fetch_docs(queries, required=True, settings=settings)


def test_required_offline_miss_raises(settings: DocsSettings, queries: dict[str, str], network_guard: NetworkGuard) -> None:
    network_guard.allow_loopback = False
    with pytest.raises(ServiceError, match="offline"):
        fetch_docs(queries, offline=True, required=True, settings=settings)


# -- progress -------------------------------------------------------------------------


def test_progress_on_a_tty(fake: FakeContext7, settings: DocsSettings, queries: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    stream = TTY()
    monkeypatch.setattr(sys, "stderr", stream)
    fetch_docs(queries, settings=settings)
    shown = safe(stream.getvalue())  # what the CLI's guarded stderr sends to the terminal
    assert "\rfetching Clerk docs 0/6 ..." in shown and "fetching Clerk docs 6/6 ..." in shown
    assert shown.endswith("\r")  # the line is wiped when done


def test_progress_counts_cached_areas_as_done(
    fake: FakeContext7, settings: DocsSettings, queries: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fetch_docs({"m2m": queries["m2m"]}, settings=settings)
    stream = TTY()
    monkeypatch.setattr(sys, "stderr", stream)
    fetch_docs(queries, settings=settings)
    assert "fetching Clerk docs 1/6" in stream.getvalue()


@pytest.mark.parametrize("tty", [True, False])
def test_no_progress_when_quiet_or_not_a_tty(
    fake: FakeContext7, settings: DocsSettings, queries: dict[str, str], monkeypatch: pytest.MonkeyPatch, tty: bool
) -> None:
    stream = TTY() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    fetch_docs(queries, quiet=tty, settings=settings)
    assert stream.getvalue() == ""


def test_no_progress_when_everything_is_cached(
    fake: FakeContext7, settings: DocsSettings, queries: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fetch_docs(queries, settings=settings)
    stream = TTY()
    monkeypatch.setattr(sys, "stderr", stream)
    fetch_docs(queries, settings=settings)
    assert stream.getvalue() == ""


# -- the key stays secret -------------------------------------------------------------


def test_key_never_reaches_cache_logs_or_output(
    fake: FakeContext7,
    queries: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    docs_env: Path,
) -> None:
    monkeypatch.setenv("CONTEXT7_API_KEY", TEST_KEY)
    fake.required_key = TEST_KEY
    fake.fault_endpoints = {"context"}
    fake.server_errors = 1  # exercise the retry logging as well
    caplog.set_level(logging.DEBUG)
    settings = DocsSettings.from_env(backoff_base=0.001, backoff_max=0.005)
    result = fetch_docs(queries, settings=settings)
    assert result.missing_areas == []
    assert all(r.headers.get("authorization") == f"Bearer {TEST_KEY}" for r in fake.requests)
    assert caplog.records, "expected debug logging to inspect"
    out, err = capsys.readouterr()
    texts = [caplog.text, out, err, repr(result), json.dumps(result.records), repr(settings)]
    assert not any(TEST_KEY in text for text in texts)
    files = list(docs_env.rglob("*"))
    assert files and not any(TEST_KEY.encode() in f.read_bytes() for f in files if f.is_file())


def test_key_echoed_by_the_server_is_redacted(
    fake: FakeContext7, settings: DocsSettings, queries: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    wrong = "ctx7sk-wrong-0000-1111"
    fake.required_key = TEST_KEY
    fake.echo_key_in_errors = True
    caplog.set_level(logging.DEBUG)
    result = fetch_docs(queries, settings=settings.with_(api_key=wrong))
    assert result.missing_areas and "[redacted]" in result.warnings[0]
    assert not any(wrong in w for w in result.warnings) and wrong not in caplog.text
    with pytest.raises(ServiceError) as caught:
        fetch_docs(queries, required=True, settings=settings.with_(api_key=wrong))
    assert wrong not in str(caught.value)
