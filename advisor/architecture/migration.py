"""The migration plan's arithmetic: how long `migrate import` needs for `migration.users`.

A rule cannot compute, so the pack's `migration.rate-budget` rule says what the budget is
and why, and this module adds the estimate beside it, with its arithmetic, whenever that
rule applies. The numbers are the importer's own (advisor/migrate): its default rate
(80% of the production limit), one look-up request per 100 users, one create per user
and two checks before the first create, so the plan and the tool cannot disagree.
"""

from __future__ import annotations

from typing import NamedTuple

from advisor.engine.evaluate import Evaluation, Finding
from advisor.requirements import Requirements
from advisor.severity import RANK

RATE_RULE = "migration.rate-budget"
DURATION_FINDING = "migration.import-duration"
PREFLIGHT_REQUESTS = 2  # GET /v1/instance and GET /v1/users/count, before the first create
QUIETER_RATE = 50  # a --rate that leaves half of production's limit to the live app


class ImportEstimate(NamedTuple):
    users: int
    rate: float  # requests per second

    @property
    def lookups(self) -> int:
        return -(-self.users // lookup_batch())

    @property
    def requests(self) -> int:
        return self.users + self.lookups + PREFLIGHT_REQUESTS

    @property
    def seconds(self) -> float:
        return self.requests / self.rate


# The importer's numbers are read only when a migration is planned: its modules stay off
# the start-up path of every other recommendation.

def production_rate() -> float:
    from advisor.migrate.instance import HEADROOM, LIMITS

    return LIMITS["production"] * HEADROOM


def lookup_batch() -> int:
    from advisor.migrate.api import LOOKUP_MAX

    return LOOKUP_MAX


def about(seconds: float) -> str:
    """A duration as a person plans with it: about 53 minutes, about 3.5 hours."""
    if seconds < 90:
        return f"about {max(1, round(seconds))} seconds"
    minutes = seconds / 60
    if minutes < 90:
        return f"about {round(minutes)} minutes"
    hours = minutes / 60
    if hours < 36:
        return f"about {hours:.1f} hours"
    return f"about {hours / 24:.1f} days"


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def duration_message(users: int) -> str:
    default = ImportEstimate(users, production_rate())
    quieter = ImportEstimate(users, QUIETER_RATE)
    return (
        f"Import time for {users:,} users into production at the importer's default of "
        f"{_number(default.rate)} requests/s: {users:,} creates + {default.lookups:,} look-ups "
        f"({lookup_batch()} external_ids per request) + {PREFLIGHT_REQUESTS} checks = {default.requests:,} requests "
        f"/ {_number(default.rate)} per second = {about(default.seconds)}, before any 429 or retry. With "
        f"`--rate {QUIETER_RATE}` (more room for the live app) it is {about(quieter.seconds)}. A stopped import "
        "resumes where it was, so it can run in several sittings."
    )


def plan_findings(req: Requirements, ev: Evaluation) -> tuple[Finding, ...]:
    """The evaluation's findings with the import estimate added where the pack's rate rule
    applied, in the engine's order (most severe first, then by id)."""
    rule = next((r for r in ev.fired if r.id == RATE_RULE), None)
    findings = list(ev.findings)
    if rule is not None and req.migration.users > 0:
        findings.append(Finding(DURATION_FINDING, "info", duration_message(req.migration.users), rule.id))
        findings.sort(key=lambda f: (-RANK[f.severity], f.id))
    return tuple(findings)
