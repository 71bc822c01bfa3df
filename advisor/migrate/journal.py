"""The journal of one migration: a SQLite file in the state folder, mode 0600.

One row per user: pending (a create is about to be sent, or was sent and not answered),
created (by this state, with its Clerk id), existed (in Clerk before we created it),
failed (with Clerk's error code), rolled_back. A pending mark is committed before each
create, so after a kill at any instant the journal says which users might exist without
its knowing; the next import or rollback looks them up by external_id. Only ids, codes
and Clerk's messages are stored, never a digest, TOTP secret, backup code or the key.
WAL mode keeps every commit cheap and durable across a killed process.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from advisor.errors import Location, UserError
from advisor.migrate.files import FILE_MODE, private_dir

NAME = "journal.sqlite3"
SCHEMA = 1
FINAL = ("created", "existed")  # nothing more to do for these users
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users(
    external_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT 'user',          -- user | spot_check
    line INTEGER,
    status TEXT NOT NULL,                       -- pending | created | existed | failed | rolled_back
    clerk_user_id TEXT,
    error_code TEXT,
    error_status INTEGER,
    error_message TEXT,
    conflict_user_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS users_by_status ON users(status);
"""


@dataclass(frozen=True)
class Row:
    external_id: str
    kind: str
    line: int | None
    status: str
    clerk_user_id: str | None
    error_code: str | None
    error_status: int | None
    error_message: str | None
    conflict_user_id: str | None


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Journal:
    def __init__(self, state: Path, *, create: bool = True, lock: bool = True) -> None:
        self.state = state
        self.path = state / NAME
        if not self.path.exists():
            if not create:
                raise UserError("has no migration journal", location=Location(str(state)),
                                hint="run `clerk-advisor migrate import USERS.jsonl` first, or pass --state DIR")
            private_dir(state)
            os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE))
        self._lock_fd: int | None = None
        if lock:
            self._lock()
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        if self.meta("schema") is None:
            self.set_meta("schema", str(SCHEMA))
        self.private()

    def private(self) -> None:
        """SQLite makes its -wal and -shm files with the database's mode; make sure of it."""
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.chmod(f"{self.path}{suffix}", FILE_MODE)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.close()
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _lock(self) -> None:
        fd = os.open(self.state / "lock", os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise UserError("another import or rollback is running on this state", location=Location(str(self.state)),
                            hint="wait for it to finish (or stop it); two runs on one journal would race") from None
        self._lock_fd = fd

    # -- meta ---------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT INTO meta(key, value) VALUES (?, ?)"
                        " ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, value))

    def bind(self, kind: str, api_url: str) -> None:
        """Tie the state to one instance; another key or API URL is refused, so a resume or a
        rollback never acts on users of a different instance."""
        for key, value in (("api_url", api_url), ("instance_kind", kind)):
            before = self.meta(key)
            if before is None:
                self.set_meta(key, value)
            elif before != value:
                raise UserError(f"this state belongs to the {before} {key.replace('_', ' ')}, not {value}",
                                location=Location(str(self.state)),
                                hint="use the CLERK_SECRET_KEY and CLERK_API_URL of that import, or another --state")

    # -- users --------------------------------------------------------------------------

    def statuses(self, external_ids: list[str]) -> dict[str, str]:
        marks = ",".join("?" * len(external_ids))
        return dict(self.db.execute(f"SELECT external_id, status FROM users WHERE external_id IN ({marks})",
                                    external_ids).fetchall())

    def pending(self, external_id: str, line: int | None, kind: str = "user") -> None:
        self.db.execute(
            "INSERT INTO users(external_id, kind, line, status, attempts, updated_at) VALUES (?, ?, ?, 'pending', 1, ?)"
            " ON CONFLICT(external_id) DO UPDATE SET status='pending', line=excluded.line, attempts=attempts+1,"
            " error_code=NULL, error_status=NULL, error_message=NULL, conflict_user_id=NULL,"
            " updated_at=excluded.updated_at", (external_id, kind, line, now()))

    def found(self, external_id: str, clerk_user_id: str, line: int | None = None) -> str:
        """The user is in Clerk: created by us if we had marked it pending, else it existed before."""
        row = self.db.execute("SELECT status FROM users WHERE external_id=?", (external_id,)).fetchone()
        status = "created" if row is not None and row[0] in ("pending", "created") else "existed"
        self._set(external_id, status, line, clerk_user_id=clerk_user_id)
        return status

    def created(self, external_id: str, clerk_user_id: str) -> None:
        self._set(external_id, "created", None, clerk_user_id=clerk_user_id)

    def failed(self, external_id: str, line: int | None, code: str, message: str, *, http_status: int | None = None,
               conflict_user_id: str | None = None) -> None:
        self._set(external_id, "failed", line, error_code=code, error_status=http_status, error_message=message,
                  conflict_user_id=conflict_user_id)

    def rolled_back(self, external_id: str) -> None:
        self._set(external_id, "rolled_back", None)

    def delete_failed(self, external_id: str, code: str, message: str) -> None:
        """A rollback could not delete this user: it stays `created`, with the reason."""
        self.db.execute("UPDATE users SET error_code=?, error_message=?, updated_at=? WHERE external_id=?",
                        (code, message, now(), external_id))

    def _set(self, external_id: str, status: str, line: int | None, **fields: Any) -> None:
        values = {"clerk_user_id": None, "error_code": None, "error_status": None, "error_message": None,
                  "conflict_user_id": None, **fields}
        self.db.execute(
            "INSERT INTO users(external_id, line, status, clerk_user_id, error_code, error_status, error_message,"
            " conflict_user_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(external_id) DO UPDATE SET status=excluded.status, line=coalesce(excluded.line, line),"
            " clerk_user_id=coalesce(excluded.clerk_user_id, clerk_user_id), error_code=excluded.error_code,"
            " error_status=excluded.error_status, error_message=excluded.error_message,"
            " conflict_user_id=excluded.conflict_user_id, updated_at=excluded.updated_at",
            (external_id, line, status, values["clerk_user_id"], values["error_code"], values["error_status"],
             values["error_message"], values["conflict_user_id"], now()))

    def rows(self, *statuses: str, kind: str | None = "user") -> Iterator[Row]:
        where: list[str] = []
        args: list[str] = []
        if statuses:
            where.append(f"status IN ({','.join('?' * len(statuses))})")
            args += statuses
        if kind is not None:
            where.append("kind=?")
            args.append(kind)
        sql = ("SELECT external_id, kind, line, status, clerk_user_id, error_code, error_status, error_message,"
               " conflict_user_id FROM users" + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY coalesce(line, 0), external_id")
        for values in self.db.execute(sql, args):
            yield Row(*values)

    def page(self, statuses: tuple[str, ...], after: str, limit: int) -> list[Row]:
        """Users (and spot-check copies) in `statuses`, in external_id order after `after`:
        a stable walk while the walker changes their status."""
        marks = ",".join("?" * len(statuses))
        return [Row(*values) for values in self.db.execute(
            "SELECT external_id, kind, line, status, clerk_user_id, error_code, error_status, error_message,"
            f" conflict_user_id FROM users WHERE status IN ({marks}) AND external_id > ? ORDER BY external_id LIMIT ?",
            (*statuses, after, limit))]

    def counts(self, kind: str = "user") -> dict[str, int]:
        return dict(self.db.execute("SELECT status, count(*) FROM users WHERE kind=? GROUP BY status",
                                    (kind,)).fetchall())

    def failure_codes(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT error_code, count(*) FROM users WHERE status='failed' AND kind='user'"
                                    " GROUP BY error_code ORDER BY count(*) DESC").fetchall())
