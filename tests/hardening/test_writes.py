"""Issue 11 #3, #10, #11 and the write paths of #8: nothing is written outside the folder
the user named, a killed run is finished by the next, bytes the user wrote are kept, and a
folder that cannot be written is one located message (exit 2), never a traceback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from harness import EXAMPLE, PERMISSIONS_HOLD, assert_refused, clean_output, run, write

needs_permissions = pytest.mark.skipif(not PERMISSIONS_HOLD, reason="root without setpriv: permissions do not hold")


def tree(root: Path) -> dict[str, bytes]:
    """Every file below root (links as their target text), for before/after comparisons."""
    out: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[rel] = b"-> " + os.readlink(path).encode()
        elif path.is_file():
            out[rel] = path.read_bytes()
    return out


@pytest.fixture
def generated(tmp_path):
    """A project generated from the example into tmp/out, and a folder outside it."""
    result = run(tmp_path, "generate", EXAMPLE, "--stack", "nextjs", "--out", "out")
    assert result.code == 0, result.err
    outside = tmp_path / "outside"
    outside.mkdir()
    return tmp_path / "out", outside


# ------------------------------------------------------------------------ #3 symlinks


def test_a_symlinked_state_folder_in_a_new_project_is_refused(tmp_path):
    out, outside = tmp_path / "out", tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    os.symlink(outside, out / ".clerk-advisor")
    for extra in ((), ("--force",)):
        result = run(tmp_path, "generate", EXAMPLE, "--stack", "nextjs", "--out", out, *extra)
        assert_refused(result, message="symbolic link")
        assert tree(outside) == {}, "something was written through the link"


@pytest.mark.parametrize("link", [".clerk-advisor", ".clerk-advisor/base", ".clerk-advisor/manifest.json",
                                  ".clerk-advisor/base/app", "app", "app/page.tsx", "README.md"])
@pytest.mark.parametrize("mode", ["--update", "--force"])
def test_no_write_follows_a_link_planted_in_a_project(generated, tmp_path, link, mode):
    out, outside = generated
    target = out / link
    if target.is_dir():
        (outside / "moved").mkdir()
        for child in list(target.iterdir()):
            child.rename(outside / "moved" / child.name)
        target.rmdir()
        os.symlink(outside / "moved", target)
    else:
        target.rename(outside / "moved")
        os.symlink(outside / "moved", target)
    before = tree(outside)
    # A changed requirement, so that the run has something to write everywhere.
    req = write(tmp_path / "req.yaml", EXAMPLE.read_text().replace("project:\n  name: b2b-saas",
                                                                    "project:\n  name: b2b-saas-two"))
    result = run(tmp_path, "generate", req, "--stack", "nextjs", "--out", out, mode)
    assert_refused(result, message="symbolic link")
    assert tree(outside) == before, f"a write followed {link}"


def test_the_history_folder_is_never_written_through_a_link(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    work = tmp_path / "work"
    (work / ".clerk-advisor").mkdir(parents=True)
    os.symlink(outside, work / ".clerk-advisor" / "history")
    write(work / "clerk-requirements.yaml", EXAMPLE.read_text())
    result = run(work, "recommend", "--quiet")
    assert_refused(result, message="symbolic link")
    assert result.out.startswith("Clerk architecture"), "the recommendation itself was printed"
    assert tree(outside) == {}
    for command in (("history",), ("diff",), ("recommend", "--check")):
        assert_refused(run(work, *command), message="symbolic link")


def test_a_symlinked_state_folder_is_refused_for_history_too(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    os.symlink(outside, work / ".clerk-advisor")
    write(work / "clerk-requirements.yaml", EXAMPLE.read_text())
    assert_refused(run(work, "recommend"), message="symbolic link")
    assert tree(outside) == {}


# ------------------------------------------------- #8: folders that cannot be written


@needs_permissions
def test_out_inside_a_read_only_folder(tmp_path):
    parent = tmp_path / "ro"
    parent.mkdir()
    os.chmod(parent, 0o555)
    try:
        result = run(tmp_path, "generate", EXAMPLE, "--stack", "nextjs", "--out", parent / "app")
        assert_refused(result, where=str(parent), message="permission denied")
        assert list(parent.iterdir()) == []
    finally:
        os.chmod(parent, 0o755)


def test_out_under_a_file(tmp_path):
    write(tmp_path / "file", "x")
    result = run(tmp_path, "generate", EXAMPLE, "--stack", "nextjs", "--out", tmp_path / "file" / "app")
    assert_refused(result, where=str(tmp_path / "file"))
    assert (tmp_path / "file").read_text() == "x"


def test_out_is_a_file(tmp_path):
    write(tmp_path / "file", "x")
    assert_refused(run(tmp_path, "generate", EXAMPLE, "--stack", "fastapi", "--out", "file"), where="file",
                   message="not a directory")


def test_recommend_output_at_a_folder(tmp_path):
    (tmp_path / "report").mkdir()
    assert_refused(run(tmp_path, "recommend", EXAMPLE, "-o", "report", "--no-save"), where="report",
                   message="directory")


@needs_permissions
def test_recommend_output_into_a_read_only_folder(tmp_path):
    (tmp_path / "ro").mkdir()
    os.chmod(tmp_path / "ro", 0o555)
    try:
        result = run(tmp_path, "recommend", EXAMPLE, "-o", "ro/ARCH.md", "--no-save")
        assert_refused(result, where="ro/ARCH.md", message="permission denied")
    finally:
        os.chmod(tmp_path / "ro", 0o755)


def test_recommend_output_under_a_file(tmp_path):
    write(tmp_path / "file", "x")
    assert_refused(run(tmp_path, "recommend", EXAMPLE, "-o", "file/ARCH.md", "--no-save"), where="file/ARCH.md")


@needs_permissions
@pytest.mark.parametrize("mode", [0o555, 0o000])
def test_a_history_folder_that_cannot_be_written(tmp_path, mode):
    write(tmp_path / "clerk-requirements.yaml", EXAMPLE.read_text())
    assert run(tmp_path, "recommend").code == 0
    history = tmp_path / ".clerk-advisor" / "history"
    write(tmp_path / "clerk-requirements.yaml", EXAMPLE.read_text().replace("m2m: true", "m2m: false"))
    os.chmod(history, mode)
    try:
        result = run(tmp_path, "recommend", "--quiet")
        assert_refused(result, where=".clerk-advisor/history", message="permission denied")
    finally:
        os.chmod(history, 0o755)


@needs_permissions
def test_an_unreadable_history_folder_is_an_error_not_an_empty_history(tmp_path):
    write(tmp_path / "clerk-requirements.yaml", EXAMPLE.read_text())
    assert run(tmp_path, "recommend").code == 0
    history = tmp_path / ".clerk-advisor" / "history"
    os.chmod(history, 0o000)
    try:
        for command in (("history",), ("diff",), ("recommend", "--check")):
            result = run(tmp_path, *command)
            assert_refused(result, where=".clerk-advisor/history", message="permission denied")
            assert "no snapshots yet" not in result.err
    finally:
        os.chmod(history, 0o755)


@needs_permissions
@pytest.mark.parametrize("mode", [0o444, 0o000])
def test_generated_files_that_cannot_be_read_or_written_during_update(generated, tmp_path, mode):
    out, _ = generated
    page = out / "lib" / "site.ts"  # it holds the project name, which changes below
    page.write_bytes(page.read_bytes() + b"// mine\n")
    os.chmod(page, mode)
    before = tree(out) if mode else None
    req = write(tmp_path / "req.yaml", EXAMPLE.read_text().replace("name: b2b-saas", "name: b2b-saas-two"))
    try:
        result = run(tmp_path, "generate", req, "--stack", "nextjs", "--out", out, "--update")
        assert_refused(result, where=str(page))
        if before is not None:
            assert tree(out) == before, "nothing is written when one file cannot be"
    finally:
        os.chmod(page, 0o644)


@needs_permissions
def test_a_read_only_project_folder_during_update(generated, tmp_path):
    out, _ = generated
    before = tree(out)
    os.chmod(out / "lib", 0o555)  # lib/site.ts holds the project name, which changes below
    req = write(tmp_path / "req.yaml", EXAMPLE.read_text().replace("name: b2b-saas", "name: b2b-saas-two"))
    try:
        result = run(tmp_path, "generate", req, "--stack", "nextjs", "--out", out, "--update")
        assert_refused(result, where=str(out / "lib"), message="permission denied")
        assert tree(out) == before, "nothing is written when one folder cannot be"
    finally:
        os.chmod(out / "lib", 0o755)
    again = run(tmp_path, "generate", req, "--stack", "nextjs", "--out", out, "--update")
    assert again.code == 0, again.err


# ------------------------------------------------------------- #10 kill -9, then re-run


def _generate_cmd(req: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "advisor", "generate", str(req), "--stack", "nextjs", "--out", str(out), *extra]


def test_a_first_generate_killed_at_any_moment_is_finished_by_the_same_command(tmp_path):
    """kill -9 at moments spread over the writing of the project (from the in-progress
    manifest on), then the same command again: it must succeed and leave exactly what a
    clean run leaves."""
    env = {**os.environ, "NO_COLOR": "1", "CLERK_ADVISOR_CACHE_DIR": str(tmp_path / ".cache")}
    reference = tmp_path / "reference"
    subprocess.run(_generate_cmd(EXAMPLE, reference), env=env, check=True, capture_output=True, timeout=60)
    expected = tree(reference)
    want_manifest = json.loads(expected.pop(".clerk-advisor/manifest.json"))
    killed_midway = 0
    for i in range(14):
        out = tmp_path / f"out-{i}"
        proc = subprocess.Popen(_generate_cmd(EXAMPLE, out), env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not (out / ".clerk-advisor" / "manifest.json").exists() and proc.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.0002)
        time.sleep(0.0015 * i)  # 0 to 20 ms into the writing
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        if proc.returncode == -signal.SIGKILL:
            killed_midway += 1
        rerun = subprocess.run(_generate_cmd(EXAMPLE, out), env=env, capture_output=True, text=True, timeout=60)
        assert rerun.returncode == 0, f"after a kill at step {i}: {rerun.stderr}"
        got = tree(out)
        manifest = json.loads(got.pop(".clerk-advisor/manifest.json"))
        assert got == expected, f"after a kill at step {i} the project differs from a clean run"
        assert manifest["files"] == want_manifest["files"] and "state" not in manifest
    assert killed_midway >= 7, "the kills did not land while the project was being written"


def test_a_killed_run_state_with_our_temp_files_is_cleaned_only_of_ours(tmp_path):
    """What a kill leaves (an in-progress manifest, some files, a temp file of the dead
    process, and a file of the user's that looks a little like one) is finished; only the
    temp file of the dead process goes."""
    out = tmp_path / "out"
    first = run(tmp_path, "generate", EXAMPLE, "--stack", "nextjs", "--out", out)
    assert first.code == 0
    manifest = json.loads((out / ".clerk-advisor" / "manifest.json").read_text())
    files = manifest.pop("files")
    manifest.update(state="in-progress", files={}, pending=files)
    (out / ".clerk-advisor" / "manifest.json").write_text(json.dumps(manifest))
    (out / "app" / "page.tsx").unlink()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    write(out / "app" / f".page.tsx.{dead.stdout.strip()}.0.tmp", "half a file")
    write(out / "app" / ".page.tsx.notes.tmp", "the user's")
    rerun = run(tmp_path, "generate", EXAMPLE, "--stack", "nextjs", "--out", out)
    assert rerun.code == 0, rerun.err
    assert (out / "app" / "page.tsx").exists()
    assert not (out / "app" / f".page.tsx.{dead.stdout.strip()}.0.tmp").exists()
    assert (out / "app" / ".page.tsx.notes.tmp").read_text() == "the user's"


# ----------------------------------------------------------- #11 bytes the user wrote


def test_update_keeps_every_byte_of_a_non_utf8_file(generated, tmp_path):
    out, _ = generated
    readme = out / "README.md"
    latin1 = "\n## Équipe\n\nRésumé: café, naïve, 100 \xb0C.\n".encode("latin-1")
    assert b"\xc9" in latin1 and b"\xe9" in latin1
    readme.write_bytes(readme.read_bytes() + latin1)
    req = write(tmp_path / "req.yaml", EXAMPLE.read_text().replace("    - user.deleted\n",
                                                                    "    - user.deleted\n    - session.created\n"))
    result = run(tmp_path, "generate", req, "--stack", "nextjs", "--out", out, "--update")
    assert result.code in (0, 1), result.err
    clean_output(result)
    merged = readme.read_bytes()
    assert latin1 in merged, "the user's Latin-1 bytes were changed"
    assert b"\xef\xbf\xbd" not in merged, "a byte became U+FFFD"
    assert b"session.created" in merged


def test_dry_run_of_a_non_utf8_file_shows_it_without_changing_it(generated, tmp_path):
    out, _ = generated
    page = out / "app" / "page.tsx"
    original = page.read_bytes() + b"// caf\xe9\n"
    page.write_bytes(original)
    req = write(tmp_path / "req.yaml", EXAMPLE.read_text().replace("name: b2b-saas", "name: b2b-saas-two"))
    result = run(tmp_path, "generate", req, "--stack", "nextjs", "--out", out, "--update", "--dry-run")
    assert result.code in (0, 1), result.err
    clean_output(result)
    assert page.read_bytes() == original
