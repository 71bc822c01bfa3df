"""Hostile and odd projects: never a traceback, always a report."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from advisor.audit import AuditOptions, audit
from advisor.audit.files import list_files
from advisor.audit.registry import REGISTRY, load_checks
from tests.conftest import build_tree

UNGUARDED = ("import { db } from '@/lib/db'\n"
             "export async function GET() {\n  return Response.json(await db.x.findMany())\n}\n")
PACKAGE = '{"dependencies": {"@clerk/nextjs": "7.9.17", "next": "16.4.6"}}'


def _ids(report) -> set[str]:
    return {f.check_id for f in report.findings}


def test_binary_non_utf8_and_huge_files_are_skipped_or_read_safely(tmp_path):
    build_tree(tmp_path, {"package.json": PACKAGE})
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0IHDR" + os.urandom(256))
    (tmp_path / "latin1.ts").write_bytes("export const caf\xe9 = 'sk_live_'\n".encode("latin-1"))
    (tmp_path / "big.js").write_bytes(b"//" + b"x" * (2 * 1024 * 1024))
    report = audit(tmp_path)
    assert "logo.png" not in {f.path for f in report.findings}
    assert report.stats.files_skipped == 1


def test_symlink_loops_and_links_out_of_the_root_are_not_followed(tmp_path):
    root = build_tree(tmp_path / "app", {"package.json": PACKAGE, "app/page.tsx": "export default () => null\n"})
    outside = build_tree(tmp_path / "outside", {"secret.ts": "export const k = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'\n"})
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "app" / "again").symlink_to(root / "app", target_is_directory=True)
    (root / "out").symlink_to(outside, target_is_directory=True)
    (root / "dangling.ts").symlink_to(root / "missing.ts")
    report = audit(root)
    assert not [f for f in report.findings if f.check_id == "secrets.hardcoded-key"]
    assert list_files(root).files.count("app/page.tsx") == 1


def test_dependencies_build_output_and_gitignored_files_are_skipped(tmp_path):
    build_tree(tmp_path, {
        "package.json": PACKAGE,
        ".gitignore": "generated/\n*.local.ts\n!keep.local.ts\n",
        "node_modules/pkg/route.ts": UNGUARDED,
        ".next/server/app/route.js": UNGUARDED,
        "dist/app/api/x/route.ts": UNGUARDED,
        "vendor/lib/route.ts": UNGUARDED,
        "generated/route.ts": UNGUARDED,
        "notes.local.ts": UNGUARDED,
        "keep.local.ts": UNGUARDED,
        "public/app.min.js": UNGUARDED,
    })
    files = list_files(tmp_path).files
    assert "keep.local.ts" in files
    assert not [f for f in files if f.startswith(("node_modules", ".next", "dist", "vendor", "generated"))]
    assert "notes.local.ts" not in files and "public/app.min.js" not in files


def test_files_git_tracks_are_read_even_when_ignored(tmp_path):
    if subprocess.run(["git", "--version"], capture_output=True).returncode != 0:
        pytest.skip("git is not installed")
    build_tree(tmp_path, {"package.json": PACKAGE, ".gitignore": ".env\n", ".env": "CLERK_SECRET_KEY=abc123\n",
                          "proxy.ts": "export default function proxy() {}\n"})
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    for args in (["init", "-q"], ["add", "-f", ".env", "package.json", ".gitignore"]):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, env=env)
    fileset = list_files(tmp_path)
    assert fileset.tracked == {".env", "package.json", ".gitignore"}
    assert ".env" in fileset.files
    committed = [f for f in audit(tmp_path).findings if f.check_id == "secrets.env-file-committed"]
    assert committed and "tracked by git" in committed[0].message


def test_unreadable_files_become_findings(tmp_path, monkeypatch):
    build_tree(tmp_path, {"package.json": PACKAGE, "app/api/x/route.ts": UNGUARDED})
    real = Path.read_bytes

    def refuse(self):
        if self.name == "route.ts":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    report = audit(tmp_path)
    unreadable = [f for f in report.findings if f.check_id == "audit.unreadable-file"]
    assert [(f.path, f.message) for f in unreadable] == [("app/api/x/route.ts", "could not read: Permission denied")]


def test_a_crashing_check_is_reported_and_the_others_still_run(tmp_path, monkeypatch):
    build_tree(tmp_path, {"package.json": PACKAGE, "app/api/x/route.ts": UNGUARDED})
    load_checks()
    broken = REGISTRY["nextjs.auth-not-awaited"]

    def explode(ctx):
        raise RuntimeError("boom")

    monkeypatch.setitem(REGISTRY, "nextjs.auth-not-awaited", type(broken)(broken.info, explode))
    report = audit(tmp_path)
    errors = [f for f in report.findings if f.check_id == "audit.check-error"]
    assert errors and "nextjs.auth-not-awaited failed: RuntimeError: boom" in errors[0].message
    assert "nextjs.unguarded-route-handler" in _ids(report)


def test_unparseable_files_do_not_stop_the_audit(tmp_path):
    build_tree(tmp_path, {"package.json": PACKAGE, "a.py": "def (:\n", "b.tsx": "export default <div><span></div>\n",
                          "app/api/x/route.ts": UNGUARDED})
    report = audit(tmp_path)
    assert {f.path for f in report.findings if f.check_id == "audit.parse-error"} == {"a.py", "b.tsx"}
    assert report.stats.parse_errors == 2
    assert "nextjs.unguarded-route-handler" in _ids(report)


def test_any_bytes_give_valid_json_and_sarif(tmp_path):
    import json

    from advisor.audit.render import render

    payload = "export const k = 'sk_live_4eC39HqLyjWDarjtT1zdp7dcQ9nM' // \x1b[31m \ud800 \u202e\n"
    (tmp_path / "package.json").write_text("{}")
    (tmp_path / "weird name [x].ts").write_bytes(payload.encode("utf-8", "surrogatepass") + b"\xff\xfe")
    report = audit(tmp_path)
    assert report.findings
    for fmt in ("json", "sarif"):
        text = render(report, fmt)
        json.loads(text)
        assert "\x1b" not in text
    sarif = json.loads(render(report, "sarif"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert "weird%20name%20%5Bx%5D.ts" in uris
    text = render(report, "text")
    assert "\x1b" not in text and "\u202e" not in text


def test_options_are_validated_before_reading_the_project(tmp_path):
    from advisor.errors import UserError

    build_tree(tmp_path, {"package.json": "{}"})
    with pytest.raises(UserError, match="at most two"):
        audit(tmp_path, AuditOptions(instance_configs=(tmp_path,) * 3))
