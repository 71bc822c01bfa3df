"""One adapter per system people leave for Clerk. Each module has `read(run) -> Items`
and maps its export's fields onto Drafts; the shared rules live in draft.py."""

from __future__ import annotations

import importlib
from types import ModuleType

SOURCES: dict[str, str] = {
    "auth0": "auth0",
    "firebase": "firebase",
    "supabase": "supabase",
    "cognito": "cognito",
    "authjs": "authjs",
    "django": "django",
    "keycloak": "keycloak",
    "clerk-json": "clerk_json",
}


def load(name: str) -> ModuleType:
    return importlib.import_module(f"advisor.migrate.sources.{SOURCES[name]}")
