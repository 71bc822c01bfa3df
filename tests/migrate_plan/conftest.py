"""Fixtures for the migration plan tests: the fake Clerk Backend API of tests/migrate (its
fixtures, shared) for following the plan's commands to a real import."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_MIGRATE = Path(__file__).resolve().parent.parent / "migrate" / "conftest.py"
_spec = importlib.util.spec_from_file_location("migrate_conftest", _MIGRATE)
assert _spec is not None and _spec.loader is not None
_migrate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_migrate)  # also puts tests/migrate on sys.path (fake_clerk, migrate_helpers)

_clean_clerk_env = _migrate._clean_clerk_env
_fake_server = _migrate._fake_server
fake = _migrate.fake

