"""A throwaway on-disk index for one convert or import run.

Finding duplicates inside a source, and joining a second file (Auth0's password hashes,
Supabase's MFA factors) to the users, needs a lookup table as large as the source. It
lives in SQLite next to the output, with a bounded page cache, so memory stays flat at a
million users; the file is deleted when the run ends. Keys are hashed to 64 bits
(Python's hash, good within one run, which is all this index lives) to keep the table
small: a collision (about one in 10^7 at a million users) can only report a false
duplicate, with its reason, never merge two users.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path


class Index:
    def __init__(self, directory: Path) -> None:
        self.path = directory / f".clerk-advisor-index-{os.getpid()}-{id(self):x}.sqlite3"
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._batch = 0
        self._db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-16000;"
            "PRAGMA temp_store=FILE; BEGIN;"
            "CREATE TABLE seen(k INTEGER PRIMARY KEY, owner TEXT NOT NULL, batch INTEGER NOT NULL);"
            "CREATE TABLE side(k INTEGER PRIMARY KEY, value TEXT NOT NULL, rank TEXT NOT NULL DEFAULT '');"
        )

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._db.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def claim(self, entries: list[tuple[str, list[tuple[str, str]]]]) -> list[tuple[str, str] | None]:
        """For each (owner, keys), in order: None when every key is new (they are recorded
        for the owner), else (field, earlier owner) of the first key already taken, and
        nothing is recorded for it.

        The usual batch has no key seen before: one INSERT OR IGNORE proves it. Otherwise
        that insert is undone and the batch is decided again against the keys on disk."""
        self._batch += 1
        hashed = [[(_h(field, value), field) for field, value in keys] for _, keys in entries]
        results, rows = self._decide(entries, hashed, {})
        before = self._db.total_changes
        self._db.executemany("INSERT OR IGNORE INTO seen(k, owner, batch) VALUES (?, ?, ?)", rows)
        if self._db.total_changes - before == len(rows):
            return results
        taken: dict[int, str] = {}
        for part in _chunks([k for k, _, _ in rows]):
            self._db.execute(f"DELETE FROM seen WHERE batch=? AND k IN ({','.join('?' * len(part))})",
                             [self._batch, *part])
        for part in _chunks([k for keys in hashed for k, _ in keys]):
            taken.update(self._db.execute(f"SELECT k, owner FROM seen WHERE k IN ({','.join('?' * len(part))})",
                                          part).fetchall())
        results, rows = self._decide(entries, hashed, taken)
        self._db.executemany("INSERT INTO seen(k, owner, batch) VALUES (?, ?, ?)", rows)
        return results

    def _decide(self, entries: list[tuple[str, list[tuple[str, str]]]], hashed: list[list[tuple[int, str]]],
                taken: dict[int, str]) -> tuple[list[tuple[str, str] | None], list[tuple[int, str, int]]]:
        """First claimant wins, in order; `taken` starts with the keys recorded earlier."""
        results: list[tuple[str, str] | None] = []
        rows: list[tuple[int, str, int]] = []
        for (owner, _), keys in zip(entries, hashed, strict=True):
            clash = next(((field, taken[k]) for k, field in keys if k in taken), None)
            if clash is None and len({k for k, _ in keys}) != len(keys):
                clash = (keys[0][1], owner)  # the same key twice within one user
            if clash is None:
                for k, _ in keys:
                    taken[k] = owner
                    rows.append((k, owner, self._batch))
            results.append(clash)
        return results, rows

    def put(self, kind: str, key: str, value: str, rank: str = "") -> bool:
        """Keep `value` for (kind, key), replacing an earlier one only when `rank` sorts higher.
        False when a value was there already."""
        k = _h(kind, key)
        row = self._db.execute("SELECT rank FROM side WHERE k=?", (k,)).fetchone()
        if row is None:
            self._db.execute("INSERT INTO side(k, value, rank) VALUES (?, ?, ?)", (k, value, rank))
            return True
        if rank > row[0]:
            self._db.execute("UPDATE side SET value=?, rank=? WHERE k=?", (value, rank, k))
        return False

    def get(self, kind: str, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM side WHERE k=?", (_h(kind, key),)).fetchone()
        return None if row is None else row[0]


def _chunks(keys: list[int], size: int = 500) -> list[list[int]]:
    return [keys[i:i + size] for i in range(0, len(keys), size)]


def _h(kind: str, value: str) -> int:
    # Python's own 64-bit string hash: randomised per process, which is all a per-run index needs.
    return hash((kind, value))
