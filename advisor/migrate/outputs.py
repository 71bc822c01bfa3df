"""The reports a run leaves in the state folder, rebuilt from the journal after every run:
failures.jsonl (each failed external_id with Clerk's error code), id-map.csv (old id ->
Clerk user id, for re-keying your own tables) and summary.json (the run's result). All
0600, written atomically; none holds a secret."""

from __future__ import annotations

import csv
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_SERVICE
from advisor.migrate.files import atomic_text, write_json, write_jsonl
from advisor.migrate.journal import Journal, Row
from advisor.migrate.state import FAILURES, ID_MAP, SUMMARY

INTERRUPTED = "interrupted; nothing is lost: run the same command again to resume"


@dataclass(kw_only=True)
class RunResult:
    """What every run that talks to Clerk reports, besides its own counts."""

    requests: int = 0
    throttled: int = 0  # 429 answers
    seconds: float = 0.0
    stopped: str | None = None  # why the run ended early (exit 3, or 130 when interrupted)
    exit_code: int = EXIT_OK
    files: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def drive(self, coroutine: Coroutine[Any, Any, None]) -> None:
        """Run the part that talks to Clerk; a Stop or Ctrl-C ends it with its reason kept."""
        import asyncio

        from advisor.migrate.api import Stop

        try:
            asyncio.run(coroutine)
        except Stop as stop:
            self.stopped = str(stop)
        except KeyboardInterrupt:
            self.stopped = INTERRUPTED

    def stop_code(self) -> int | None:
        if self.stopped is None:
            return None
        return EXIT_INTERRUPTED if self.stopped == INTERRUPTED else EXIT_SERVICE


def failure(row: Row) -> dict[str, Any]:
    return {"external_id": row.external_id, "line": row.line, "code": row.error_code, "http_status": row.error_status,
            "message": row.error_message, "conflict_user_id": row.conflict_user_id}


def write(journal: Journal, state: Path, summary: dict[str, Any]) -> dict[str, str]:
    files = {"failures": str(state / FAILURES), "id_map": str(state / ID_MAP), "summary": str(state / SUMMARY)}
    write_jsonl(state / FAILURES, (failure(row) for row in journal.rows("failed")))
    with atomic_text(state / ID_MAP) as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["external_id", "clerk_user_id", "status"])
        for row in journal.rows("created", "existed"):
            out.writerow([row.external_id, row.clerk_user_id, row.status])
    write_json(state / SUMMARY, {**summary, "files": files})
    journal.private()
    return files
