"""The figures of issue 11: malformed requirements files (at least 90 kinds) and hostile
rule packs (at least 50), every one answered with exit 2 and a message at its location
where it has one, no traceback, within 1 s of CPU and 200 MB. The inputs and the checks
are benchmarks/attack_inputs.py, which prints the same figures:

    python benchmarks/attack_inputs.py
"""

from __future__ import annotations

import dataclasses

import pytest
from harness import EXAMPLE

from benchmarks.attack_inputs import (
    CPU_LIMIT_SECONDS,
    RSS_LIMIT_MB,
    figures,
    hostile_packs,
    malformed_requirements,
    run_all,
)

REQUIREMENTS = malformed_requirements()
PACKS = hostile_packs()


def _report(verdicts) -> str:
    return "\n".join(f"{v.case.name}: {'; '.join(v.problems)}" for v in verdicts if not v.ok)


def test_there_are_enough_kinds_and_each_is_distinct():
    assert len(REQUIREMENTS) >= 90 and len(PACKS) >= 50
    for cases in (REQUIREMENTS, PACKS):
        names = [c.name for c in cases]
        assert len(names) == len(set(names))


@pytest.mark.parametrize("label,cases", [("requirements", REQUIREMENTS), ("packs", PACKS)])
def test_every_attack_is_one_located_message_and_exit_2(label, cases):
    verdicts = run_all(cases)
    figs = figures(verdicts)
    assert _report(verdicts) == "", f"{label}: the attacks that failed"
    assert figs["exit 2"] == figs["ran"] == figs["passed"]
    assert figs["located where a location exists"] == figs["with a location to name"]
    assert figs["tracebacks"] == 0
    assert figs["max CPU s"] < CPU_LIMIT_SECONDS and figs["max RSS MB"] < RSS_LIMIT_MB


def test_hostile_packs_are_refused_by_recommend_too():
    """The same packs, given to recommend with --rules: the same refusal at the same place."""
    recommending = [dataclasses.replace(c, args=["recommend", str(EXAMPLE), "--rules", c.args[2], "--no-save"])
                    for c in PACKS if c.args[:2] == ["rules", "validate"]]
    verdicts = run_all(recommending)
    assert _report(verdicts) == ""
