"""Where a migration keeps its state: `.clerk-advisor/migrations/<users file name>/` by
default, or `--state DIR`. `status` and `rollback` find it without the users file when
there is exactly one."""

from __future__ import annotations

from pathlib import Path

from advisor.errors import Location, UserError
from advisor.migrate.journal import NAME

ROOT = Path(".clerk-advisor") / "migrations"
FAILURES = "failures.jsonl"
ID_MAP = "id-map.csv"
SUMMARY = "summary.json"


def for_users_file(users_file: Path, state: Path | None) -> Path:
    return state if state is not None else ROOT / users_file.name


def existing(state: Path | None) -> Path:
    """The state to read: --state, or the only one under .clerk-advisor/migrations/."""
    if state is not None:
        if not (state / NAME).exists():
            raise UserError("has no migration journal", location=Location(str(state)),
                            hint="pass the --state DIR that `migrate import` used")
        return state
    found = sorted(p.parent for p in ROOT.glob(f"*/{NAME}"))
    if not found:
        raise UserError(f"no migration state in {ROOT}/", hint="run `clerk-advisor migrate import USERS.jsonl` first, "
                        "or pass --state DIR")
    if len(found) > 1:
        raise UserError(f"{len(found)} migrations in {ROOT}/; say which with --state",
                        allowed=", ".join(str(p) for p in found))
    return found[0]
