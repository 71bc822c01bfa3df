"""Every check fires on its positive examples and stays silent on its negatives."""

from __future__ import annotations

import pytest
from audit_helpers import CASES, copy_case, expectations, run_case, verify

from advisor.audit.registry import BUILTIN, load_checks

CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())
# Findings the runner makes only when the machine refuses a read (we run as root in CI) or a
# check crashes; test_audit_robustness.py covers both directly.
NOT_EXAMPLE_DRIVEN = {"audit.unreadable-file", "audit.check-error"}


@pytest.mark.parametrize("name", CASE_NAMES)
def test_case(name, tmp_path):
    root = copy_case(name, tmp_path)
    expected = expectations(root)
    assert expected, f"case {name} marks nothing"
    report = run_case(root)
    assert not [f for f in report.findings if f.check_id == "audit.check-error"], report.findings
    assert verify(report, expected) == []


def test_every_check_has_positive_and_negative_examples(tmp_path):
    kinds: dict[str, set[str]] = {}
    for name in CASE_NAMES:
        for e in expectations(copy_case(name, tmp_path)):
            kinds.setdefault(e.check, set()).add(e.kind)
    registry = load_checks()
    unknown = sorted(set(kinds) - set(registry) - set(BUILTIN))
    assert unknown == [], f"markers name checks that do not exist: {unknown}"
    missing = {check: sorted({"ruleid", "ok"} - kinds.get(check, set()))
               for check in sorted(set(registry) | set(BUILTIN)) if check not in NOT_EXAMPLE_DRIVEN}
    missing = {k: v for k, v in missing.items() if v}
    assert missing == {}, f"checks without examples: {missing}"
