"""Issue 11 #8: where exit 2 was promised, a traceback came instead. Each input below gets
one located message and exit 2 (or the exit code the contract gives it).

The write paths of the list (--out inside a read-only folder or under a file, -o at a
folder, read-only or unreadable history folders, read-only or chmod-000 files during
--update) are in test_writes.py; requirements files and rule packs of every kind in
test_figures.py. Here: huge integers and deep nesting wherever JSON or YAML is read,
snapshots of the wrong shape, manifests that lie, and a stdout that is closed or full.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from harness import EXAMPLE, assert_refused, clean_output, copy_pack, run, write

BIG = "9" * 5000
DEEP = "[" * 3000 + "]" * 3000


# ----------------------------------------------------------------- huge ints, nesting


def test_huge_integers_and_deep_nesting_in_requirements(tmp_path):
    for text, where in ((f"schema: 1\nusers:\n  expected_mau: {BIG}\n", "req.yaml:3:17"),
                        (f"schema: {BIG}\n", "req.yaml:1:9"),
                        (f"schema: 1\nproject: {DEEP}\n", "req.yaml:2:")):
        write(tmp_path / "req.yaml", text)
        assert_refused(run(tmp_path, "recommend", "req.yaml", "--no-save"), where=where)


@pytest.mark.parametrize("field,value,line", [
    ("version", BIG, 2),
    ("when", "{fact: users.expected_mau, gte: " + BIG + "}", 4),
    ("when", "{not: " * 3000 + "{fact: audience, eq: b2b}" + "}" * 3000, 4),
    ("refs", DEEP, 8),
    ("refs", "[{a: 1}]", 8),
    ("priority", BIG, 9),
])
def test_huge_integers_and_deep_nesting_in_a_rule(tmp_path, field, value, line):
    from benchmarks.attack_inputs import _rule

    pack = copy_pack(tmp_path)
    write(pack / "z.yaml", _rule(**{field: value}))
    for command in (("rules", "validate", pack), ("recommend", EXAMPLE, "--rules", pack, "--no-save"),
                    ("rules", "list", "--rules", pack)):
        assert_refused(run(tmp_path, *command), where=f"{pack}/z.yaml:{line}:")


def _snapshot(tmp: Path) -> dict:
    result = run(tmp, "recommend", EXAMPLE, "--format", "json", "--no-save")
    assert result.code == 0
    return json.loads(result.out)


def _set(data: dict, path: str, value: object) -> dict:
    data = copy.deepcopy(data)
    *parents, last = path.split("/")
    node = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is _DELETE:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return data


_DELETE = object()

# (what, JSON pointer-ish path, new value): a valid snapshot with one thing wrong.
SHAPES = [
    ("schema 2", "schema", 2),
    ("schema a string", "schema", "1"),
    ("schema true", "schema", True),
    ("decisions a list", "decisions", []),
    ("a decision a string", "decisions/auth.mfa.policy", "required"),
    ("a decision without value", "decisions/auth.mfa.policy/value", _DELETE),
    ("a boolean decision a list", "decisions/orgs.enabled/value", [1]),
    ("a list decision a mapping", "decisions/auth.first_factors/value", {"a": 1}),
    ("a list decision of numbers", "decisions/orgs.roles/value", [1, 2]),
    ("an integer decision a string", "decisions/session.max_lifetime_seconds/value", "a week"),
    ("a map decision a list", "decisions/sdk.packages/value", ["@clerk/nextjs"]),
    ("an enum decision a mapping", "decisions/auth.mfa.policy/value", {"required": True}),
    ("a reason a number", "decisions/auth.mfa.policy/reason", 7),
    ("rules a string", "decisions/auth.mfa.policy/rules", "mfa.x"),
    ("rules of numbers", "decisions/auth.mfa.policy/rules", [1]),
    ("refs a mapping", "decisions/auth.mfa.policy/refs", {"a": 1}),
    ("no assurance level", "decisions/assurance.aal", _DELETE),
    ("findings a mapping", "findings", {}),
    ("a finding a string", "findings/0", "x"),
    ("a finding of unknown severity", "findings/0/severity", "apocalyptic"),
    ("a finding id a number", "findings/0/id", 3),
    ("clerk_config a list", "clerk_config", []),
    ("docs a mapping", "docs", {}),
    ("a docs record a list", "docs", [[]]),
    ("excerpts a string", "docs", [{"area": "auth", "excerpts": "x"}]),
    ("an excerpt quote a number", "docs", [{"area": "auth", "excerpts": [{"title": "t", "quote": 1}]}]),
    ("source urls of numbers", "docs", [{"area": "auth", "source_urls": [1]}]),
    ("rule_versions a list", "rule_versions", []),
    ("rule versions strings", "rule_versions", {"a.b": "1"}),
    ("rule versions booleans", "rule_versions", {"a.b": True}),
    ("requirements missing", "requirements", _DELETE),
    ("requirements a list", "requirements", []),
    ("requirements no longer valid", "requirements/audience", "aliens"),
    ("requirements of a wrong type", "requirements/users/expected_mau", "many"),
    ("rules_version a number", "rules_version", 2026),
    ("created_at a number", "created_at", 1),
    ("requirements_file a number", "requirements_file", 1),
    ("requirements_file empty", "requirements_file", ""),
    ("created_at not a date", "created_at", "2026-13-45T99:00:00Z"),
    ("created_at free text", "created_at", "yesterday"),
]
TEXT_SHAPES = [
    ("top-level list", "[]"),
    ("top-level string", '"snapshot"'),
    ("top-level null", "null"),
    ("NaN", '{"schema": NaN}'),
    ("Infinity", '{"schema": 1, "x": Infinity}'),
    ("5,000-digit integer", '{"schema": ' + BIG + "}"),
    ("3,000-deep nesting", '{"schema": 1, "decisions": ' + DEEP + "}"),
    ("truncated", '{"schema": 1, "decisions": {'),
    ("empty", ""),
    ("not UTF-8", '{"schema": "\xff"}'),
]


@pytest.mark.parametrize("what,path,value", SHAPES, ids=[s[0] for s in SHAPES])
def test_a_snapshot_of_the_wrong_shape(tmp_path, what, path, value):
    history_only = path in ("created_at", "requirements_file")
    data = _set(_snapshot(tmp_path), path, value)
    write(tmp_path / "snap.json", json.dumps(data))
    if not history_only:
        assert_refused(run(tmp_path, "diff", "snap.json", EXAMPLE), where="snap.json", message="snapshot")
    write(tmp_path / "clerk-requirements.yaml", EXAMPLE.read_text())
    data.setdefault("requirements_file", "clerk-requirements.yaml") if not history_only else None
    write(tmp_path / ".clerk-advisor" / "history" / "20260101T000000Z-000000000000.json", json.dumps(data))
    for command in (("history",), ("recommend", "--check"), ("diff", "-1", "clerk-requirements.yaml")):
        assert_refused(run(tmp_path, *command), where=".clerk-advisor/history/20260101T000000Z-000000000000.json")


@pytest.mark.parametrize("what,text", TEXT_SHAPES, ids=[s[0] for s in TEXT_SHAPES])
def test_a_snapshot_file_that_is_not_a_snapshot(tmp_path, what, text):
    write(tmp_path / "snap.json", text.encode("latin-1") if what == "not UTF-8" else text)
    assert_refused(run(tmp_path, "diff", "snap.json", EXAMPLE), where="snap.json")
    write(tmp_path / ".clerk-advisor" / "history" / "20260101T000000Z-000000000000.json",
          text.encode("latin-1") if what == "not UTF-8" else text)
    assert_refused(run(tmp_path, "history"), where=".clerk-advisor/history/20260101T000000Z-000000000000.json")


# ----------------------------------------------------------------------- manifests


@pytest.mark.parametrize("what,manifest", [
    ("a list", "[]"),
    ("5,000-digit schema", '{"schema": ' + BIG + ', "files": {}}'),
    ("3,000-deep nesting", '{"files": ' + DEEP + "}"),
    ("files a list", '{"schema": 1, "stack": "nextjs", "files": []}'),
    ("a path that leaves", '{"schema": 1, "stack": "nextjs", "files": {"../../etc/cron.d/x": "' + "0" * 64 + '"}}'),
    ("an absolute path", '{"schema": 1, "stack": "nextjs", "files": {"/etc/passwd": "' + "0" * 64 + '"}}'),
    ("a digest that is not one", '{"schema": 1, "stack": "nextjs", "files": {"README.md": 7}}'),
    ("pending paths that leave", '{"schema": 1, "stack": "nextjs", "files": {}, "pending": {"../x": "'
     + "0" * 64 + '"}}'),
    ("no files", '{"schema": 1, "stack": "nextjs"}'),
    ("not UTF-8", b'{"schema": 1, "stack": "\xff", "files": {}}'),
    ("NaN", '{"schema": NaN, "files": {}}'),
])
def test_a_manifest_that_lies(tmp_path, what, manifest):
    assert run(tmp_path, "generate", EXAMPLE, "--stack", "nextjs", "--out", "out").code == 0
    write(tmp_path / "out" / ".clerk-advisor" / "manifest.json", manifest)
    outside = sorted(p.name for p in tmp_path.iterdir())
    for extra in ((), ("--update",), ("--dry-run",)):
        result = run(tmp_path, "generate", EXAMPLE, "--stack", "nextjs", "--out", "out", *extra)
        assert_refused(result, where="out/.clerk-advisor/manifest.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == outside


# -------------------------------------------------------------- stdout closed or full


COMMANDS = [
    ("recommend", EXAMPLE, "--no-save"),
    ("recommend", EXAMPLE, "--no-save", "--format", "json"),
    ("recommend", EXAMPLE, "--no-save", "--format", "markdown"),
    ("rules", "list"),
    ("rules", "schema"),
    ("explain", "auth.mfa.policy", EXAMPLE),
    ("generate", EXAMPLE, "--stack", "nextjs", "--out", "out", "--dry-run"),
    ("docs", "status"),
    ("--help",),
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(map(str, a[:2])) for a in COMMANDS])
def test_stdout_full(tmp_path, args):
    with open("/dev/full", "w") as full:
        result = run(tmp_path, *args, stdout=full.fileno())
    if args == ("--help",):  # argparse prints help and exits on its own: no traceback is what counts
        clean_output(result)
        return
    assert_refused(result, message="cannot write to standard output: No space left on device")


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(map(str, a[:2])) for a in COMMANDS])
def test_stdout_closed(tmp_path, args):
    env = {**os.environ, "NO_COLOR": "1", "CLERK_ADVISOR_CACHE_DIR": str(tmp_path / ".cache")}
    proc = subprocess.run([sys.executable, "-m", "advisor", *map(str, args)], cwd=tmp_path, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=60,
                          pass_fds=(), preexec_fn=lambda: os.close(1))
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr, proc.stderr
    if args != ("--help",):
        assert proc.returncode == 2 and "cannot write to standard output" in proc.stderr, proc.stderr


@pytest.mark.parametrize("args", COMMANDS[:7], ids=[" ".join(map(str, a[:2])) for a in COMMANDS[:7]])
def test_a_reader_that_goes_away(tmp_path, args):
    env = {**os.environ, "NO_COLOR": "1", "CLERK_ADVISOR_CACHE_DIR": str(tmp_path / ".cache")}
    shell = " ".join(f"'{a}'" for a in [sys.executable, "-m", "advisor", *map(str, args)]) + " | head -c 20"
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", shell], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60)
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr, proc.stderr
    assert proc.returncode == 0 and len(proc.stdout) == 20


def test_stderr_closed_too_is_a_quiet_exit_2(tmp_path):
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "advisor", "recommend", "nope.yaml"], cwd=tmp_path, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60,
                          preexec_fn=lambda: (os.close(1), os.close(2)))
    assert proc.returncode == 2


def test_the_json_of_a_full_run_is_unchanged_by_the_guard(tmp_path):
    result = run(tmp_path, "recommend", EXAMPLE, "--no-save", "--format", "json")
    clean_output(result)
    assert json.loads(result.out)["decisions"]["auth.mfa.policy"]["value"] == "required"


def test_ctrl_c_is_exit_130_and_one_line(tmp_path):
    """Interrupted while waiting on a server that never answers: 130, no traceback."""
    import signal
    import socket
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # accepts connections, never answers
    env = {**os.environ, "NO_COLOR": "1", "CLERK_ADVISOR_CACHE_DIR": str(tmp_path / ".cache"),
           "CONTEXT7_API_URL": f"http://127.0.0.1:{listener.getsockname()[1]}/api"}
    try:
        proc = subprocess.Popen([sys.executable, "-m", "advisor", "recommend", str(EXAMPLE), "--docs", "--quiet"],
                                cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2.0)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        listener.close()
    assert proc.returncode == 130, err
    assert "Traceback" not in err and err.strip().splitlines()[-1].startswith("interrupted")
    assert not (tmp_path / ".clerk-advisor").exists(), "nothing was saved"
