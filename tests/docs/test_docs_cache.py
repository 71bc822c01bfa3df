"""The docs cache: hits, expiry, corruption, concurrent writers, status and clear."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from advisor.docs.cache import DocsCache
from advisor.docs.settings import DocsSettings, default_cache_dir

ROOT = Path(__file__).resolve().parents[2]


def make_cache(tmp_path: Path, ttl: float = 3600) -> DocsCache:
    return DocsCache(tmp_path / "context7", ttl_seconds=ttl, library_ttl_seconds=ttl * 2)


def only_entry(cache: DocsCache) -> Path:
    [path] = [p for p in cache.directory.iterdir() if p.suffix == ".json"]
    return path


# -- cache directory ------------------------------------------------------------------


def test_cache_dir_override_wins(tmp_path: Path) -> None:
    env = {"CLERK_ADVISOR_CACHE_DIR": str(tmp_path / "x"), "XDG_CACHE_HOME": "/xdg"}
    assert default_cache_dir(env) == tmp_path / "x"


def test_cache_dir_follows_the_platform_convention(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from platformdirs import user_cache_path

    assert default_cache_dir({}) == user_cache_path("clerk-advisor", appauthor=False)
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        assert default_cache_dir({}) == tmp_path / "xdg" / "clerk-advisor"


def test_settings_read_the_environment(docs_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTEXT7_API_URL", "http://127.0.0.1:9/api/")
    monkeypatch.setenv("CONTEXT7_API_KEY", "ctx7sk-secret-value")
    settings = DocsSettings.from_env()
    assert settings.base_url == "http://127.0.0.1:9/api"
    assert settings.api_key == "ctx7sk-secret-value"
    assert settings.docs_cache_dir == docs_env / "context7"
    assert "ctx7sk-secret-value" not in repr(settings) and "ctx7sk-secret-value" not in str(settings)


def test_settings_defaults_without_environment() -> None:
    settings = DocsSettings.from_env({"CLERK_ADVISOR_CACHE_DIR": "/tmp/c"})
    assert settings.base_url == "https://context7.com/api" and settings.api_key is None
    assert settings.ttl_seconds == 24 * 3600


# -- hits, misses, expiry -------------------------------------------------------------


def test_put_then_get_round_trips(tmp_path: Path) -> None:
    cache = make_cache(tmp_path)
    assert cache.get_context("/clerk/clerk-docs", "q", "txt") is None
    assert cache.put_context("/clerk/clerk-docs", "q", "txt", "### body", meta={"library_id": "/clerk/clerk-docs"})
    entry = cache.get_context("/clerk/clerk-docs", "q", "txt")
    assert entry is not None and entry.body == "### body" and not entry.stale
    assert entry.meta == {"library_id": "/clerk/clerk-docs"}
    # The key is the triple: another query, type or library is another entry.
    assert cache.get_context("/clerk/clerk-docs", "q", "json") is None
    assert cache.get_context("/clerk/clerk-docs", "other", "txt") is None
    assert cache.get_context("/websites/clerk", "q", "txt") is None


def test_entry_file_name_is_a_hash_not_the_query(tmp_path: Path) -> None:
    cache = make_cache(tmp_path)
    cache.put_context("/clerk/clerk-docs", "How do I require MFA?", "txt", "x", meta={})
    name = only_entry(cache).name
    assert len(name) == len("0" * 64 + ".json") and "MFA" not in name


def test_expired_entry_is_stale(tmp_path: Path) -> None:
    cache = make_cache(tmp_path, ttl=60)
    cache.put_context("/clerk/clerk-docs", "q", "txt", "body", meta={})
    path = only_entry(cache)
    data = json.loads(path.read_text())
    data["created_at"] -= 61
    path.write_text(json.dumps(data))
    entry = cache.get_context("/clerk/clerk-docs", "q", "txt")
    assert entry is not None and entry.stale and entry.age_seconds >= 61


def test_ttl_is_settable(tmp_path: Path) -> None:
    cache = DocsCache(tmp_path, ttl_seconds=0)
    cache.put_context("/clerk/clerk-docs", "q", "txt", "body", meta={})
    time.sleep(0.01)
    assert cache.get_context("/clerk/clerk-docs", "q", "txt").stale  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # truncated mid-write by a crash
        lambda raw: b"",
        lambda raw: b"\x00\xff garbage",
        lambda raw: raw.replace(b"### body", b"### BODY"),  # body no longer matches its checksum
        lambda raw: json.dumps({"format": "something else"}).encode(),
        lambda raw: json.dumps([1, 2, 3]).encode(),
    ],
    ids=["truncated", "empty", "binary", "checksum", "foreign-format", "not-an-object"],
)
def test_corrupt_entry_is_a_miss_and_is_replaced(tmp_path: Path, damage) -> None:
    cache = make_cache(tmp_path)
    cache.put_context("/clerk/clerk-docs", "q", "txt", "### body", meta={})
    path = only_entry(cache)
    path.write_bytes(damage(path.read_bytes()))
    assert cache.get_context("/clerk/clerk-docs", "q", "txt") is None
    assert cache.status().unreadable_entries == 1
    cache.put_context("/clerk/clerk-docs", "q", "txt", "### fresh", meta={})
    assert cache.get_context("/clerk/clerk-docs", "q", "txt").body == "### fresh"  # type: ignore[union-attr]


def test_entry_under_the_wrong_name_is_a_miss(tmp_path: Path) -> None:
    cache = make_cache(tmp_path)
    cache.put_context("/clerk/clerk-docs", "a", "txt", "A", meta={})
    path_a = only_entry(cache)
    digest_b, _ = cache.context_key("/clerk/clerk-docs", "b", "txt")
    os.replace(path_a, cache.directory / f"{digest_b}.json")
    assert cache.get_context("/clerk/clerk-docs", "b", "txt") is None


def test_unwritable_cache_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory should be")
    cache = DocsCache(blocker / "context7", ttl_seconds=60)
    assert cache.put_context("/clerk/clerk-docs", "q", "txt", "x", meta={}) is False
    assert cache.get_context("/clerk/clerk-docs", "q", "txt") is None
    assert cache.status().entries == 0 and cache.clear() == (0, 0)


def test_library_resolution_entry(tmp_path: Path) -> None:
    cache = make_cache(tmp_path)
    assert cache.get_library("clerk") is None
    cache.put_library("clerk", ["/clerk/clerk-docs", "/websites/clerk"])
    entry = cache.get_library("Clerk")
    assert entry is not None and DocsCache.library_ids(entry) == ["/clerk/clerk-docs", "/websites/clerk"]
    cache.forget_library("clerk")
    assert cache.get_library("clerk") is None


# -- concurrency ----------------------------------------------------------------------


def test_concurrent_writers_and_readers_never_see_a_partial_entry(tmp_path: Path) -> None:
    cache = make_cache(tmp_path)
    bodies = {f"### writer {i}\n\n" + ("x" * 20000) for i in range(6)}
    errors: list[str] = []
    stop = threading.Event()

    def write(body: str) -> None:
        for _ in range(40):
            cache.put_context("/clerk/clerk-docs", "q", "txt", body, meta={})

    def read() -> None:
        while not stop.is_set():
            entry = cache.get_context("/clerk/clerk-docs", "q", "txt")
            if entry is not None and entry.body not in bodies:
                errors.append("read a body nobody wrote")

    readers = [threading.Thread(target=read) for _ in range(3)]
    writers = [threading.Thread(target=write, args=(body,)) for body in bodies]
    for t in readers + writers:
        t.start()
    for t in writers:
        t.join()
    stop.set()
    for t in readers:
        t.join()
    assert errors == []
    assert cache.get_context("/clerk/clerk-docs", "q", "txt").body in bodies  # type: ignore[union-attr]
    assert [p.name for p in cache.directory.iterdir() if p.name.endswith(".tmp")] == []


def test_concurrent_processes_share_one_cache(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from advisor.docs import DocsCache\n"
        "cache = DocsCache(Path(sys.argv[1]), ttl_seconds=3600)\n"
        "body = '### process ' + sys.argv[2] + '\\n' + 'y' * 50000\n"
        "for i in range(100):\n"
        "    cache.put_context('/clerk/clerk-docs', 'shared', 'txt', body, meta={})\n"
        "    cache.put_context('/clerk/clerk-docs', 'own ' + sys.argv[2], 'txt', body, meta={})\n"
        "    entry = cache.get_context('/clerk/clerk-docs', 'shared', 'txt')\n"
        "    assert entry is not None and entry.body.startswith('### process '), 'partial read'\n"
    )
    directory = tmp_path / "context7"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(directory), str(i)], env=env, stderr=subprocess.PIPE)
        for i in range(4)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err.decode()
    cache = DocsCache(directory, ttl_seconds=3600)
    status = cache.status()
    assert status.entries == 5 and status.unreadable_entries == 0
    assert [p for p in directory.iterdir() if p.name.endswith(".tmp")] == []


# -- status and clear -----------------------------------------------------------------


def test_status_reports_entries_sizes_ages_and_library(tmp_path: Path) -> None:
    cache = make_cache(tmp_path)
    empty = cache.status()
    assert (empty.entries, empty.total_bytes, empty.oldest, empty.library_id) == (0, 0, None, None)
    cache.put_library("clerk", ["/clerk/clerk-docs"])
    cache.put_context("/clerk/clerk-docs", "a", "txt", "A", meta={})
    cache.put_context("/clerk/clerk-docs", "b", "txt", "B", meta={})
    status = cache.status()
    assert status.entries == 3
    assert status.total_bytes == sum(p.stat().st_size for p in cache.directory.iterdir())
    assert status.library_id == "/clerk/clerk-docs"
    assert status.oldest is not None and status.newest is not None and status.oldest <= status.newest
    assert set(status.to_dict()) >= {"cache_dir", "entries", "total_bytes", "oldest", "newest", "library_id"}


def test_clear_removes_only_what_the_cache_owns(tmp_path: Path) -> None:
    cache = make_cache(tmp_path)
    cache.put_context("/clerk/clerk-docs", "a", "txt", "A", meta={})
    cache.put_library("clerk", ["/clerk/clerk-docs"])
    digest, _ = cache.context_key("/clerk/clerk-docs", "a", "txt")
    leftover = cache.directory / f".{digest}.json.abc123.tmp"
    leftover.write_text("half a write from a crashed run")
    foreign = cache.directory / "notes.txt"
    foreign.write_text("mine")
    lookalike = cache.directory / "deadbeef.json"
    lookalike.write_text("{}")
    removed, freed = cache.clear()
    assert removed == 3 and freed > 0
    assert sorted(p.name for p in cache.directory.iterdir()) == ["deadbeef.json", "notes.txt"]


def test_clear_removes_the_empty_directory(tmp_path: Path) -> None:
    cache = make_cache(tmp_path)
    cache.put_context("/clerk/clerk-docs", "a", "txt", "A", meta={})
    cache.clear()
    assert not cache.directory.exists()
    assert cache.clear() == (0, 0)
