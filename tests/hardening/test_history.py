"""Issue 11 #9 and issue 15 #4: history is ordered by what the snapshots say, not by their
file names, and kept per requirements file: `recommend --check FILE` checks FILE's own
past, `diff` compares a file with itself and says what it compares. Old history folders
(snapshots that do not name their file) stay readable. An unreadable history folder is an
error (test_writes.py)."""

from __future__ import annotations

import json
from pathlib import Path

from harness import BASIC_PACK, assert_refused, clean_output, run, write

PCI = "schema: 1\nproject:\n  name: {name}\nthreat_model:\n  compliance: [pci-dss]\n"
PLAIN = "schema: 1\nproject:\n  name: {name}\n"
HISTORY = Path(".clerk-advisor") / "history"


def snapshots(tmp: Path) -> list[Path]:
    return sorted((tmp / HISTORY).glob("*.json"))


def recommend(tmp: Path, file: str = "clerk-requirements.yaml", *extra: str):
    result = run(tmp, "recommend", file, "--rules", BASIC_PACK, *extra)
    assert result.code == 0, result.err
    return result


def test_a_snapshot_renamed_into_the_future_does_not_reorder_history(tmp_path):
    write(tmp_path / "clerk-requirements.yaml", PCI.format(name="acme"))
    recommend(tmp_path)
    [old] = snapshots(tmp_path)
    write(tmp_path / "clerk-requirements.yaml", PLAIN.format(name="acme"))
    recommend(tmp_path)
    [new] = [p for p in snapshots(tmp_path) if p != old]
    future = old.rename(old.with_name("20991231T235959Z-" + old.name.split("-", 1)[1]))

    diff = run(tmp_path, "diff", "--rules", BASIC_PACK)
    assert diff.code == 0, diff.err
    assert diff.out.startswith(f"{future.name} (clerk-requirements.yaml) -> {new.name} (clerk-requirements.yaml)")
    assert "auth.mfa.policy: required -> none" in diff.out, "old -> new, not backwards"
    assert f"{future.name} is named for 20991231T235959Z but was created at" in diff.err

    listed = run(tmp_path, "history", "--format", "json")
    assert [Path(r["file"]).name for r in listed_rows(listed)] == [future.name, new.name]
    again = recommend(tmp_path)  # the same recommendation as the newest: nothing to save
    assert f"unchanged since {new.name}" in again.err
    assert len(snapshots(tmp_path)) == 2


def listed_rows(result):
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_a_snapshot_dated_in_the_future_is_reported(tmp_path):
    write(tmp_path / "clerk-requirements.yaml", PCI.format(name="acme"))
    recommend(tmp_path)
    [path] = snapshots(tmp_path)
    data = json.loads(path.read_text())
    data["created_at"] = "2099-01-01T00:00:00Z"
    path.write_text(json.dumps(data))
    listed = run(tmp_path, "history")
    assert listed.code == 0
    assert "says it was created at 2099-01-01T00:00:00Z, in the future" in listed.err


def test_check_and_diff_keep_to_one_requirements_file(tmp_path):
    write(tmp_path / "a.yaml", PCI.format(name="alpha"))
    write(tmp_path / "b.yaml", PLAIN.format(name="beta"))
    recommend(tmp_path, "a.yaml")
    recommend(tmp_path, "b.yaml")  # the latest snapshot overall is b's

    check_a = run(tmp_path, "recommend", "--check", "a.yaml", "--rules", BASIC_PACK)
    assert check_a.code == 0, check_a.err
    assert "(a.yaml)" in check_a.out and "the latest of the snapshots of a.yaml" in check_a.err
    check_b = run(tmp_path, "recommend", "--check", "b.yaml", "--rules", BASIC_PACK, "--format", "json")
    assert json.loads(check_b.out)["old"].endswith("(b.yaml)")

    # diff with no arguments: the last two snapshots of one file, and it says which.
    only_one_each = run(tmp_path, "diff", "--rules", BASIC_PACK)
    assert_refused(only_one_each, message="diff needs two snapshots of b.yaml")
    write(tmp_path / "a.yaml", PLAIN.format(name="alpha"))
    recommend(tmp_path, "a.yaml")
    diff = run(tmp_path, "diff", "--rules", BASIC_PACK)
    assert diff.code == 0
    assert "comparing the two latest snapshots of a.yaml (history also holds b.yaml)" in diff.err
    assert "(a.yaml) ->" in diff.out and "(b.yaml)" not in diff.out

    # diff X: the latest snapshot of X's own file.
    against_b = run(tmp_path, "diff", "b.yaml", "--rules", BASIC_PACK)
    assert against_b.code == 0 and "(b.yaml) -> b.yaml (evaluated now)" in against_b.out
    assert "no differences" in against_b.out

    # Naming two snapshots of different projects works, with a warning.
    mixed = run(tmp_path, "diff", "1", "2", "--rules", BASIC_PACK)
    assert mixed.code == 0
    assert ("these are recommendations for different requirements: a.yaml (project alpha) and b.yaml "
            "(project beta)") in mixed.err
    clean_output(mixed)


def test_check_names_a_file_without_history(tmp_path):
    write(tmp_path / "a.yaml", PCI.format(name="alpha"))
    write(tmp_path / "b.yaml", PLAIN.format(name="beta"))
    recommend(tmp_path, "a.yaml")
    result = run(tmp_path, "recommend", "--check", "b.yaml", "--rules", BASIC_PACK)
    assert_refused(result, where=".clerk-advisor/history", message="no saved recommendation of b.yaml")


def test_check_says_when_the_file_changed_since_its_snapshot(tmp_path):
    write(tmp_path / "a.yaml", PCI.format(name="alpha"))
    recommend(tmp_path, "a.yaml")
    write(tmp_path / "a.yaml", PLAIN.format(name="alpha"))
    result = run(tmp_path, "recommend", "--check", "a.yaml", "--rules", BASIC_PACK)
    assert result.code == 0
    assert "a.yaml has changed since that snapshot; --check re-evaluates the requirements saved in it" in result.err


def test_unchanged_since_looks_at_the_same_file_only(tmp_path):
    write(tmp_path / "a.yaml", PCI.format(name="alpha"))
    write(tmp_path / "b.yaml", PLAIN.format(name="beta"))
    first = recommend(tmp_path, "a.yaml")
    recommend(tmp_path, "b.yaml")
    again = recommend(tmp_path, "a.yaml")
    saved = first.err.split("saved ", 1)[1].strip()
    assert f"unchanged since {Path(saved).name}" in again.err
    assert len(snapshots(tmp_path)) == 2


def test_an_old_history_folder_is_still_read(tmp_path):
    """Snapshots from before they named their file belong to the requirements of the same
    project."""
    write(tmp_path / "clerk-requirements.yaml", PCI.format(name="acme"))
    recommend(tmp_path)
    write(tmp_path / "clerk-requirements.yaml", PLAIN.format(name="acme"))
    recommend(tmp_path)
    ordered = sorted(snapshots(tmp_path), key=lambda p: json.loads(p.read_text())["created_at"])
    for second, path in enumerate(ordered):
        data = json.loads(path.read_text())
        del data["requirements_file"]
        data["created_at"] = f"2026-01-01T00:00:0{second}Z"  # and times to the second, as then
        path.write_text(json.dumps(data))
    listed = run(tmp_path, "history")
    assert listed.code == 0 and listed.out.count("acme:") == 2
    diff = run(tmp_path, "diff", "--rules", BASIC_PACK)
    assert diff.code == 0 and "auth.mfa.policy: required -> none" in diff.out
    assert "comparing the two latest snapshots of project acme" in diff.err
    check = run(tmp_path, "recommend", "--check", "--rules", BASIC_PACK)
    assert check.code == 0 and "saved before snapshots named their file" in check.err


def test_two_saves_within_a_second_keep_their_order(tmp_path):
    for i in range(4):
        write(tmp_path / "clerk-requirements.yaml", (PCI if i % 2 == 0 else PLAIN).format(name="acme"))
        recommend(tmp_path)
    rows = listed_rows(run(tmp_path, "history", "--format", "json"))
    policies = [r["summary"].split("MFA ")[1].split(",")[0] for r in rows]
    assert policies == ["required", "none", "required", "none"]
