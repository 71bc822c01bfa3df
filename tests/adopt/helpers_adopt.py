"""Shared helpers for the adopt tests: the fixture apps (real file trees under fixtures/),
copies of them to adopt into, and the check that nothing the person wrote was lost."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from advisor.architecture import Architecture
from tests.architectures import fixed_architecture
from tests.generate.helpers_nextjs import FULL_DECISIONS, REQ_NEXT16_FULL, requirements

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NEXT_APPS = ("next16-app", "next16-src", "next15-middleware", "next-js")
TS_APPS = ("next16-app", "next16-src", "next15-middleware")

# Through the CLI and the shipped rule pack: what a user runs.
_APP = """\
schema: 1
project:
  name: my-app
platforms:
  web: nextjs
  nextjs_version: 16
  backends: [fastapi]
"""
REQ_B2C = _APP + "audience: b2c\n"
REQ_B2B = _APP + """\
audience: b2b
tenancy:
  organizations: required
  custom_roles: [billing]
threat_model:
  data_sensitivity: confidential
  privileged_users: true
integrations:
  m2m: true
  api_keys: true
  webhooks: [user.created, user.deleted]
"""


def copy_fixture(name: str, dest: Path) -> Path:
    shutil.copytree(FIXTURES / name, dest)
    return dest


def run_adopt(cli, tmp_path: Path, stack: str, fixture: str, req: str, *extra: str):
    """`generate --stack STACK --out DIR --adopt` on a copy of the fixture (made on the first run)."""
    from tests.conftest import write

    out = "web" if stack == "nextjs" else "api"
    app = tmp_path / out
    if not app.exists():
        copy_fixture(fixture, app)
    write(tmp_path / "clerk-requirements.yaml", req)
    return app, cli("generate", "--stack", stack, "--out", out, "--adopt", *extra)


def adopted(cli, tmp_path: Path, stack: str, fixture: str, req: str):
    """A fresh copy of the fixture, adopted: exit 0 and nothing the app had lost. Returns the
    app, its files as they were, and the CLI's result."""
    app = copy_fixture(fixture, tmp_path / ("web" if stack == "nextjs" else "api"))
    before = tree_of(app)
    _, result = run_adopt(cli, tmp_path, stack, fixture, req)
    assert result.code == 0, result.err
    assert_nothing_lost(before, app)
    return app, before, result


def tree_of(root: Path) -> dict[str, bytes]:
    """Every file below root, but the advisor's state and installed packages."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not path.is_symlink() and not rel.startswith((".clerk-advisor/", "node_modules/")):
            out[rel] = path.read_bytes()
    return out


def lines_kept_in_order(old: bytes, new: bytes) -> list[str]:
    """The lines of `old` that do not appear, in order, in `new` (empty: all there)."""
    new_lines = new.decode("utf-8").splitlines()
    lost, at = [], 0
    for line in old.decode("utf-8").splitlines():
        try:
            at = new_lines.index(line, at) + 1
        except ValueError:
            lost.append(line)
    return lost


def assert_nothing_lost(before: dict[str, bytes], root: Path) -> None:
    """Every file the app had is still there, with every one of its lines, in order."""
    after = tree_of(root)
    missing = sorted(set(before) - set(after))
    assert not missing, f"files gone: {missing}"
    lost = {rel: lines_kept_in_order(data, after[rel]) for rel, data in before.items()}
    lost = {rel: lines for rel, lines in lost.items() if lines}
    assert not lost, f"lines gone: {lost}"


def changed(before: dict[str, bytes], root: Path) -> set[str]:
    after = tree_of(root)
    return {rel for rel in before if after.get(rel) != before[rel]}


def full_architecture() -> Architecture:
    """Every feature of the starter on (organizations required, MFA, idle timeout, webhooks,
    M2M, API keys, passkeys, waitlist), whatever the shipped rule pack decides today."""
    return fixed_architecture(requirements(REQ_NEXT16_FULL), FULL_DECISIONS)


def architecture(decisions: dict[str, Any], req_text: str = REQ_NEXT16_FULL) -> Architecture:
    return fixed_architecture(requirements(req_text), decisions)


def package_json(root: Path) -> dict[str, Any]:
    return json.loads((root / "package.json").read_text(encoding="utf-8"))


def versions(stack: str = "nextjs") -> dict[str, str]:
    root = Path(__file__).resolve().parents[2] / "templates" / stack / "versions.json"
    return json.loads(root.read_text(encoding="utf-8"))
