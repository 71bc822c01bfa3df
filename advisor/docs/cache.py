"""The docs cache: one JSON file per (kind, library id, query, type), named by a hash.

Writes are atomic (a temp file in the same directory, then os.replace), so a reader
sees the old entry or the new one, never half of either, whatever other runs do at the
same time. An entry that does not parse, or whose body does not match its checksum, is
a miss. So is one that cannot be trusted or read safely: not a regular file (a FIFO, a
link to /dev/zero), larger than MAX_ENTRY_BYTES (never more is read), owned by another
user, or writable by group or others (a shared cache someone else could have filled).
Entries are JSON read with the bounded reader: nothing in a cache is ever executed.
Only files named like entries (or our temp files) are ever deleted.

Entries hold what Context7 answered and when; never a request header, never the key.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FORMAT = "clerk-advisor/context7-cache"
VERSION = 1
_ENTRY_NAME = re.compile(r"^[0-9a-f]{64}\.json$")
MAX_ENTRY_BYTES = 4 * 1024 * 1024  # a Context7 answer is tens of kilobytes
_LATEST_TIME = 4102444800.0  # 2100-01-01: a created_at beyond it is not a time this cache wrote
_TEMP_NAME = re.compile(r"^\.[0-9a-f]{64}\.json\.[A-Za-z0-9_]+\.tmp$")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_key(kind: str, **parts: str) -> str:
    """The file-name hash of a key. Parts are the identity, sorted, as JSON."""
    return _digest(json.dumps({"kind": kind, **parts}, sort_keys=True, ensure_ascii=False))


@dataclass(frozen=True)
class CacheEntry:
    """A stored answer. `stale` is true when it is older than the TTL it was read with."""

    kind: str
    key: dict[str, str]
    created_at: float
    body: str
    sha256: str
    meta: dict[str, Any]
    stale: bool = False

    @property
    def age_seconds(self) -> float:
        return max(0.0, time.time() - self.created_at)


@dataclass(frozen=True)
class CacheStatus:
    cache_dir: str
    entries: int
    total_bytes: int
    oldest: str | None
    newest: str | None
    stale_entries: int
    unreadable_entries: int
    library_id: str | None
    library_resolved_at: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "cache_dir": self.cache_dir,
            "entries": self.entries,
            "total_bytes": self.total_bytes,
            "oldest": self.oldest,
            "newest": self.newest,
            "stale_entries": self.stale_entries,
            "unreadable_entries": self.unreadable_entries,
            "library_id": self.library_id,
            "library_resolved_at": self.library_resolved_at,
        }


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class DocsCache:
    """A directory of cache entries. Every method is safe to call when it does not exist."""

    def __init__(self, directory: Path, *, ttl_seconds: float, library_ttl_seconds: float | None = None) -> None:
        self.directory = Path(directory)
        self.ttl_seconds = ttl_seconds
        self.library_ttl_seconds = ttl_seconds if library_ttl_seconds is None else library_ttl_seconds

    # -- keys -------------------------------------------------------------------------

    @staticmethod
    def context_key(library_id: str, query: str, doc_type: str) -> tuple[str, dict[str, str]]:
        parts = {"library_id": library_id, "query": query, "type": doc_type}
        return entry_key("context", **parts), parts

    @staticmethod
    def library_key(library_name: str) -> tuple[str, dict[str, str]]:
        parts = {"library_name": library_name.lower()}
        return entry_key("library", **parts), parts

    def _path(self, digest: str) -> Path:
        return self.directory / f"{digest}.json"

    # -- read -------------------------------------------------------------------------

    def _read(self, path: Path, kind: str, key: dict[str, str], ttl: float) -> CacheEntry | None:
        raw = _read_entry(path)
        if raw is None:
            return None
        entry = self._decode(raw)
        if entry is None:
            log.debug("cache entry %s is corrupt; treating it as a miss", path.name)
            return None
        if entry.kind != kind or entry.key != key:
            log.debug("cache entry %s belongs to another key; treating it as a miss", path.name)
            return None
        stale = entry.age_seconds > ttl or entry.created_at > time.time() + 300
        return CacheEntry(**{**entry.__dict__, "stale": stale})

    @staticmethod
    def _decode(raw: bytes) -> CacheEntry | None:
        from advisor.errors import UserError
        from advisor.jsonio import load_json

        try:
            data = load_json(raw.decode("utf-8"), "cache entry")
        except (UnicodeDecodeError, UserError):
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION:
            return None
        body, digest, created = data.get("body"), data.get("sha256"), data.get("created_at")
        key, kind, meta = data.get("key"), data.get("kind"), data.get("meta", {})
        if not (isinstance(body, str) and isinstance(digest, str) and isinstance(kind, str)):
            return None
        if not isinstance(created, (int, float)) or isinstance(created, bool) or not 0 <= created <= _LATEST_TIME:
            return None
        if not isinstance(key, dict) or not isinstance(meta, dict):
            return None
        if _digest(body) != digest:
            return None
        return CacheEntry(kind=kind, key=key, created_at=float(created), body=body, sha256=digest, meta=meta)

    def get_context(self, library_id: str, query: str, doc_type: str) -> CacheEntry | None:
        digest, key = self.context_key(library_id, query, doc_type)
        return self._read(self._path(digest), "context", key, self.ttl_seconds)

    def get_library(self, library_name: str) -> CacheEntry | None:
        digest, key = self.library_key(library_name)
        return self._read(self._path(digest), "library", key, self.library_ttl_seconds)

    # -- write ------------------------------------------------------------------------

    def _write(self, digest: str, kind: str, key: dict[str, str], body: str, meta: dict[str, Any]) -> bool:
        """Write an entry atomically. A cache that cannot be written is not an error."""
        document = {
            "format": FORMAT,
            "version": VERSION,
            "kind": kind,
            "key": key,
            "created_at": time.time(),
            "sha256": _digest(body),
            "meta": meta,
            "body": body,
        }
        data = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
        tmp_name: str | None = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=self.directory, prefix=f".{digest}.json.", suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp_name, self._path(digest))
            tmp_name = None
            return True
        except OSError as exc:
            # Read-only home, full disk, or (on Windows) a reader holding the file open.
            log.debug("could not write cache entry %s: %s", digest[:12], exc)
            return False
        finally:
            if tmp_name is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)

    def put_context(self, library_id: str, query: str, doc_type: str, body: str, *, meta: dict[str, Any]) -> bool:
        digest, key = self.context_key(library_id, query, doc_type)
        return self._write(digest, "context", key, body, meta)

    def put_library(self, library_name: str, library_ids: list[str]) -> bool:
        digest, key = self.library_key(library_name)
        return self._write(digest, "library", key, json.dumps(library_ids), {})

    def forget_library(self, library_name: str) -> None:
        digest, _ = self.library_key(library_name)
        with contextlib.suppress(OSError):
            self._path(digest).unlink()

    @staticmethod
    def library_ids(entry: CacheEntry) -> list[str]:
        try:
            ids = json.loads(entry.body)
        except ValueError:
            return []
        return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []

    # -- housekeeping -----------------------------------------------------------------

    def _owned(self) -> list[Path]:
        try:
            names = os.listdir(self.directory)
        except OSError:
            return []
        return [self.directory / n for n in sorted(names) if _ENTRY_NAME.match(n) or _TEMP_NAME.match(n)]

    def status(self, library_name: str = "clerk") -> CacheStatus:
        entries = total = stale = unreadable = 0
        oldest: float | None = None
        newest: float | None = None
        library_id: str | None = None
        resolved_at: str | None = None
        for path in self._owned():
            if not _ENTRY_NAME.match(path.name):
                continue
            raw = _read_entry(path)
            if raw is None:
                if (path.is_symlink() or path.exists()) and not path.is_dir():  # a FIFO, a link: there, unusable
                    entries += 1
                    unreadable += 1
                continue
            entries += 1
            total += len(raw)
            entry = self._decode(raw)
            if entry is None:
                unreadable += 1
                continue
            oldest = entry.created_at if oldest is None else min(oldest, entry.created_at)
            newest = entry.created_at if newest is None else max(newest, entry.created_at)
            ttl = self.library_ttl_seconds if entry.kind == "library" else self.ttl_seconds
            if entry.age_seconds > ttl:
                stale += 1
        library = self.get_library(library_name)
        if library is not None:
            ids = self.library_ids(library)
            library_id = ids[0] if ids else None
            resolved_at = _iso(library.created_at)
        return CacheStatus(
            cache_dir=str(self.directory),
            entries=entries,
            total_bytes=total,
            oldest=_iso(oldest) if oldest is not None else None,
            newest=_iso(newest) if newest is not None else None,
            stale_entries=stale,
            unreadable_entries=unreadable,
            library_id=library_id,
            library_resolved_at=resolved_at,
        )

    def clear(self) -> tuple[int, int]:
        """Delete every entry and leftover temp file; returns (files removed, bytes freed)."""
        removed = freed = 0
        for path in self._owned():
            try:
                size = path.stat().st_size
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                log.debug("could not remove %s: %s", path.name, exc)
                continue
            removed += 1
            freed += size
        with contextlib.suppress(OSError):
            self.directory.rmdir()  # only if now empty: foreign files keep it
        return removed, freed


def _read_entry(path: Path) -> bytes | None:
    """An entry's bytes, or None when it is missing or cannot be trusted (see the module)."""
    from advisor.errors import UserError
    from advisor.fsutil import read_limited

    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.debug("cache entry %s unreadable: %s", path.name, exc)
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
        log.debug("cache entry %s is not ours alone (owner or permissions); ignored", path.name)
        return None
    try:
        return read_limited(path, MAX_ENTRY_BYTES, what="cache entry", follow=False)
    except UserError as exc:
        log.debug("cache entry %s ignored: %s", path.name, exc.message)
        return None
