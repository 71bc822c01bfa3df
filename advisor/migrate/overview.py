"""`migrate status`: what the journal of a migration says, without touching the network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from advisor.migrate import outputs
from advisor.migrate.journal import Journal
from advisor.migrate.state import existing


def status(state: Path | None) -> dict[str, Any]:
    """What the journal says, without the network."""
    where = existing(state)
    with Journal(where, create=False, lock=False) as journal:
        counts = journal.counts()
        spot = journal.counts("spot_check")
        return {
            "state": str(where),
            "users_file": journal.meta("users_file"),
            "instance": {"kind": journal.meta("instance_kind"), "api_url": journal.meta("api_url")},
            "users": sum(counts.values()),
            "journal": counts,
            "failures_by_code": journal.failure_codes(),
            "failures": [outputs.failure(row) for row in journal.rows("failed")],
            "spot_check_users_left": spot.get("created", 0) + spot.get("pending", 0),
            "spot_checks_passed": sorted(key.split(":", 1)[1] for (key,) in journal.db.execute(
                "SELECT key FROM meta WHERE key LIKE 'spot_check:%' AND value='passed'")),
        }
