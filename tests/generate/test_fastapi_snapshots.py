"""The fastapi stack's rendered files, pinned by one snapshot of hand-built decisions.

Update after an intended template change with `pytest tests/generate/test_fastapi_snapshots.py
--snapshot-update` and review the diff. The shared files (clerk-config.json, CLERK_SETUP.md)
come from templates/common and the decisions; they are checked here, not snapshotted, so a
change there does not churn these snapshots.
"""

from __future__ import annotations

import json

import pytest
from helpers_fastapi import PROFILES, render_profile

COMMON = ("clerk-config.json", "CLERK_SETUP.md")


def test_rendered_files(snapshot) -> None:
    files = render_profile("full")
    for name in COMMON:
        assert name in files
    assert {name: text for name, text in files.items() if name not in COMMON} == snapshot


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_rendering_is_deterministic(profile: str) -> None:
    assert render_profile(profile) == render_profile(profile)


def test_the_full_profile_has_every_part() -> None:
    files = render_profile("full")
    assert {"app/webhooks.py", "tests/test_webhooks.py", "tests/test_m2m.py"} <= set(files)
    assert '"/org/manage"' in files["app/main.py"]
    assert "require_reverification(REVERIFICATION)" in files["app/main.py"]
    assert json.loads(files["clerk-config.json"])["organization_settings"]["enabled"] is True


def test_the_minimal_profile_has_none_of_them() -> None:
    files = render_profile("minimal")
    assert not {"app/webhooks.py", "tests/test_webhooks.py", "tests/test_m2m.py"} & set(files)
    main = files["app/main.py"]
    for absent in ('"/org/manage"', '"/org"', "m2m", "webhooks", "REVERIFICATION"):
        assert absent not in main
    assert "CLERK_MACHINE_SECRET_KEY" not in files[".env.example"]
    assert "standardwebhooks" not in files["requirements.txt"]
