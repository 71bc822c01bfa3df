"""Inputs for the migration plan tests."""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML


def requirements_file(path: Path, migration: dict | None = None, **sections: object) -> Path:
    """A requirements file with the given sections (and `migration:` when given)."""
    doc: dict = {"schema": 1, **sections}
    if migration is not None:
        doc["migration"] = migration
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        YAML(typ="safe", pure=True).dump(doc, handle)
    return path
