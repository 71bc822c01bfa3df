"""The generated Next.js projects type-check against the real, pinned packages.

Installs templates/nextjs/versions.json from the npm registry once per dependency set
(cached under ~/.cache/clerk-advisor-tests, keyed by a hash of the dependencies, and
symlinked into each project), then runs the pinned `tsc --noEmit` on each generated
project. A type check does not catch removed Core 3 components (<SignedIn> is typed to
return `never` and only throws when rendered), so the files on disk are also scanned.
"""

from __future__ import annotations

import json

import pytest

from tests.generate.helpers_nextjs import (
    EXAMPLES,
    PROFILES,
    is_next15,
    link_node_modules,
    profile_files,
    read_tree,
    removed_api_uses,
    secrets_in,
    tsc,
    webhook_problems,
    write_plan,
)

# No skip when node or npm is missing: a type check that silently did not run would pass CI.
pytestmark = pytest.mark.slow

TYPECHECKED = ["cli-next16-full", "cli-next15-b2c", "fixed-next16-full", "fixed-next15-full",
               "fixed-next16-orgs-no-permissions", "fixed-next15-minimal", *EXAMPLES]


@pytest.mark.parametrize("name", TYPECHECKED)
def test_generated_project_type_checks(name, tmp_path):
    assert name in PROFILES
    files = profile_files(name, tmp_path / "gen")
    project = write_plan(tmp_path / "web", files)
    modules = link_node_modules(project)

    installed = json.loads((modules / "@clerk" / "nextjs" / "package.json").read_text(encoding="utf-8"))
    assert installed["version"] == json.loads(files["package.json"])["dependencies"]["@clerk/nextjs"]

    result = tsc(project)
    assert result.returncode == 0, result.stdout + result.stderr

    on_disk = read_tree(project)
    assert removed_api_uses(on_disk) == []
    assert secrets_in(on_disk) == []
    next16 = not is_next15(name)
    assert (project / "proxy.ts").is_file() is next16
    assert (project / "middleware.ts").is_file() is not next16
    if (project / "app/api/webhooks/route.ts").is_file():
        assert webhook_problems(on_disk["app/api/webhooks/route.ts"]) == []


def test_a_misspelt_permission_fails_the_type_check(tmp_path):
    """types/clerk.d.ts makes Clerk's helpers reject permissions the app does not define."""
    files = profile_files("fixed-next16-full", tmp_path / "gen")
    files["lib/authz.ts"] = files["lib/authz.ts"].replace('"org:invoices:manage"', '"org:invoice:manage"')
    project = write_plan(tmp_path / "web", files)
    link_node_modules(project)
    result = tsc(project)
    assert result.returncode != 0
    assert "org:invoice:manage" in result.stdout
