"""Generating into a project over time: nothing a user wrote is lost, conflicts are never
success, deletions stand, renames carry edits, and the same inputs give the same result."""

from __future__ import annotations

import os
import shutil

import pytest

from advisor.errors import UserError
from advisor.generate.merge import MARK_OURS, MARK_THEIRS, merge3
from advisor.generate.plan import BASE_DIR, MANIFEST, make_plan
from advisor.generate.render import safe_relpath
from advisor.generate.writer import apply, unified_diff

META = {"tool_version": "test", "rules_version": "2026.1.0", "requirements_sha256": "x"}
APP_V1 = "import a\n\ndef main():\n    setup()\n    run()\n\nfooter = 1\n"


def generate(out, files, **kw):
    plan = make_plan(out, "nextjs", files, META, **kw)
    apply(plan)
    return plan


def actions(plan):
    return {f.path: f.action for f in plan.files}


def test_fresh_generation_writes_files_manifest_and_bases(tmp_path):
    out = tmp_path / "app"
    plan = generate(out, {"app.py": APP_V1, "lib/util.py": "x = 1\n"})
    assert actions(plan) == {"app.py": "create", "lib/util.py": "create"}
    assert (out / "lib/util.py").read_text() == "x = 1\n"
    assert (out / BASE_DIR / "app.py").read_text() == APP_V1
    assert '"stack": "nextjs"' in (out / MANIFEST).read_text()


def test_unchanged_rerun_writes_nothing(tmp_path):
    out = tmp_path / "app"
    generate(out, {"app.py": APP_V1})
    stamp = os.stat(out / "app.py").st_mtime_ns
    plan = generate(out, {"app.py": APP_V1})
    assert actions(plan) == {"app.py": "unchanged"}
    assert os.stat(out / "app.py").st_mtime_ns == stamp


def test_untouched_file_follows_the_generator(tmp_path):
    out = tmp_path / "app"
    generate(out, {"app.py": APP_V1})
    plan = generate(out, {"app.py": APP_V1.replace("footer = 1", "footer = 2")})
    assert actions(plan) == {"app.py": "update"}
    assert "footer = 2" in (out / "app.py").read_text()


def test_user_edit_is_kept_without_update_and_merged_with_it(tmp_path):
    out = tmp_path / "app"
    generate(out, {"app.py": APP_V1})
    (out / "app.py").write_text(APP_V1.replace("import a\n", "import a\nimport mine  # my line\n"))
    v2 = {"app.py": APP_V1.replace("footer = 1", "footer = 2")}
    kept = generate(out, v2)
    assert actions(kept) == {"app.py": "keep"}
    assert "--update merges" in kept.files[0].note
    assert "footer = 1" in (out / "app.py").read_text()
    merged = generate(out, v2, update=True)
    assert actions(merged) == {"app.py": "merge"}
    text = (out / "app.py").read_text()
    assert "import mine  # my line" in text and "footer = 2" in text
    assert not merged.conflicts


def test_collision_gets_git_conflict_markers_and_is_never_success(tmp_path):
    out = tmp_path / "app"
    generate(out, {"app.py": APP_V1})
    (out / "app.py").write_text(APP_V1.replace("footer = 1", "footer = 'mine'"))
    plan = generate(out, {"app.py": APP_V1.replace("footer = 1", "footer = 'theirs'")}, update=True)
    assert [f.path for f in plan.conflicts] == ["app.py"]
    text = (out / "app.py").read_text()
    assert MARK_OURS.decode() in text and "footer = 'mine'" in text and "footer = 'theirs'" in text
    assert MARK_THEIRS.decode() in text
    # Running again without resolving still reports the conflict.
    again = generate(out, {"app.py": APP_V1.replace("footer = 1", "footer = 'theirs'")}, update=True)
    assert [f.path for f in again.conflicts] == ["app.py"]
    assert (out / "app.py").read_text() == text
    # Resolved by the user: clean from then on.
    (out / "app.py").write_text(APP_V1.replace("footer = 1", "footer = 'both'"))
    resolved = generate(out, {"app.py": APP_V1.replace("footer = 1", "footer = 'theirs'")}, update=True)
    assert not resolved.conflicts


def test_deleted_files_stay_deleted_and_are_reported(tmp_path):
    out = tmp_path / "app"
    generate(out, {"app.py": APP_V1, "extra.py": "e = 1\n"})
    (out / "extra.py").unlink()
    plan = generate(out, {"app.py": APP_V1, "extra.py": "e = 2\n"}, update=True)
    assert actions(plan)["extra.py"] == "deleted"
    assert not (out / "extra.py").exists()
    assert actions(generate(out, {"app.py": APP_V1, "extra.py": "e = 3\n"}))["extra.py"] == "deleted"
    assert actions(generate(out, {"app.py": APP_V1, "extra.py": "e = 3\n"}, force=True))["extra.py"] == "create"


def test_files_no_longer_generated_are_reported_not_deleted(tmp_path):
    out = tmp_path / "app"
    generate(out, {"app.py": APP_V1, "old.py": "o = 1\n"})
    plan = generate(out, {"app.py": APP_V1}, update=True)
    assert actions(plan)["old.py"] == "orphan"
    assert (out / "old.py").exists()


def test_renamed_file_carries_user_edits(tmp_path):
    """Next 15 -> 16: middleware.ts becomes proxy.ts; both must not remain."""
    out = tmp_path / "app"
    mw = "import { clerkMiddleware } from '@clerk/nextjs/server'\n\nexport default clerkMiddleware()\n\nexport const config = {}\n"
    generate(out, {"middleware.ts": mw})
    edited = mw.replace("export default", "// my note\nexport default")
    (out / "middleware.ts").write_text(edited)
    proxy = mw.replace("export const config = {}", "export const config = { matcher: [] }")
    kept = generate(out, {"proxy.ts": proxy}, replaces={"proxy.ts": ["middleware.ts"]})
    assert actions(kept) == {"proxy.ts": "keep", "middleware.ts": "keep"}
    assert not (out / "proxy.ts").exists()
    plan = generate(out, {"proxy.ts": proxy}, update=True, replaces={"proxy.ts": ["middleware.ts"]})
    assert actions(plan) == {"proxy.ts": "merge", "middleware.ts": "remove"}
    text = (out / "proxy.ts").read_text()
    assert "// my note" in text and "matcher: []" in text
    assert not (out / "middleware.ts").exists()
    assert "middleware.ts" not in (out / MANIFEST).read_text()


def test_unchanged_renamed_file_is_simply_replaced(tmp_path):
    out = tmp_path / "app"
    generate(out, {"middleware.ts": "a\n"})
    plan = generate(out, {"proxy.ts": "b\n"}, replaces={"proxy.ts": ["middleware.ts"]})
    assert actions(plan) == {"proxy.ts": "create", "middleware.ts": "remove"}
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["proxy.ts"]


def test_update_twice_is_update_once(tmp_path):
    out = tmp_path / "app"
    generate(out, {"app.py": APP_V1})
    (out / "app.py").write_text("# mine\n" + APP_V1)
    v2 = {"app.py": APP_V1.replace("footer = 1", "footer = 2"), "new.py": "n\n"}
    generate(out, v2, update=True)
    snapshot = {p: (out / p).read_text() for p in ("app.py", "new.py")}
    second = generate(out, v2, update=True)
    assert {p: (out / p).read_text() for p in snapshot} == snapshot
    assert set(actions(second).values()) == {"unchanged"}


def test_same_inputs_same_merge(tmp_path):
    base = "".join(f"line {i}\n" for i in range(50))
    ours = base.replace("line 3\n", "line 3 mine\n").replace("line 40\n", "")
    theirs = base.replace("line 20\n", "line 20 new\n").replace("line 3\n", "line 3 theirs\n")
    results = {merge3(base.encode(), ours.encode(), theirs.encode()) for _ in range(5)}
    assert len(results) == 1
    merged, conflicts = results.pop()
    text = merged.decode()
    assert conflicts == 1 and "line 20 new" in text and "line 40" not in text


def test_non_empty_foreign_directory_is_refused(tmp_path):
    out = tmp_path / "existing"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(UserError, match="not empty and was not generated by clerk-advisor"):
        make_plan(out, "nextjs", {"app.py": APP_V1}, META)
    plan = generate(out, {"app.py": APP_V1, "notes.txt": "theirs"}, force=True)
    assert actions(plan) == {"app.py": "create", "notes.txt": "overwrite"}


def test_paths_cannot_escape_the_output_directory(tmp_path):
    for bad in ("../evil.py", "/etc/passwd", "a/../../b", ".clerk-advisor/manifest.json", "", "a\\b"):
        with pytest.raises(UserError):
            safe_relpath(bad)
    out = tmp_path / "app"
    generate(out, {"app.py": APP_V1})
    outside = tmp_path / "outside"
    outside.mkdir()
    (out / "lib").symlink_to(outside)
    with pytest.raises(UserError, match="symbolic link"):
        make_plan(out, "nextjs", {"app.py": APP_V1, "lib/x.py": "x\n"}, META)
    (out / "link.py").symlink_to(outside / "target.py")
    with pytest.raises(UserError, match="resolves outside|symbolic link"):
        make_plan(out, "nextjs", {"app.py": APP_V1, "link.py": "x\n"}, META)
    assert list(outside.iterdir()) == []


def test_dry_run_is_a_diff_and_writes_nothing(tmp_path):
    out = tmp_path / "app"
    generate(out, {"app.py": APP_V1})
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    plan = make_plan(out, "nextjs", {"app.py": APP_V1.replace("footer = 1", "footer = 2"), "new.py": "n\n"}, META)
    diff = "".join(unified_diff(plan))
    assert "--- a/app.py\n+++ b/app.py\n" in diff and "-footer = 1\n+footer = 2\n" in diff
    assert "--- /dev/null\n+++ b/new.py\n" in diff
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("stop_at", range(1, 7))
def test_an_interrupted_update_is_finished_by_the_next_run(tmp_path, monkeypatch, stop_at):
    """Stopped before any one of its writes, the next run recognises the directory as its own,
    keeps the user's edit and ends in the same state as an uninterrupted run."""
    from advisor.fsutil import SafeTree

    out = tmp_path / "app"
    generate(out, {"app.py": APP_V1, "mine.py": "m = 1\n"})
    (out / "mine.py").write_text("m = 'edited by me'\n")
    v2 = {"app.py": APP_V1 + "# v2\n", "b.py": "b\n", "mine.py": "m = 2\n"}
    calls = {"n": 0}
    real = SafeTree.write

    def failing(self, rel, data, **kw):
        calls["n"] += 1
        if calls["n"] == stop_at:
            raise KeyboardInterrupt
        return real(self, rel, data, **kw)

    monkeypatch.setattr(SafeTree, "write", failing)
    with pytest.raises(KeyboardInterrupt):
        apply(make_plan(out, "nextjs", v2, META))
    monkeypatch.setattr(SafeTree, "write", real)
    assert not [p for p in out.rglob("*.tmp")]
    plan = generate(out, v2)
    assert actions(plan)["mine.py"] == "keep"
    assert (out / "app.py").read_text() == v2["app.py"] and (out / "b.py").read_text() == "b\n"
    assert (out / "mine.py").read_text() == "m = 'edited by me'\n"
    assert set(actions(generate(out, v2)).values()) <= {"unchanged", "keep"}
    assert '"state"' not in (out / MANIFEST).read_text()

