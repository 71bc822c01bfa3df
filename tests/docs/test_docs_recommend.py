"""`recommend --docs` end to end against the fake Context7: excerpts beside decisions,
faults that leave a correct recommendation and a warning, and --docs=required."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fake_context7 import FakeContext7

from advisor.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "b2b-saas" / "clerk-requirements.yaml"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([*map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


def test_docs_excerpts_appear_beside_decisions(fake, workdir, capsys):
    code, out, err = run(capsys, "recommend", EXAMPLE, "--docs", "--format", "markdown", "--no-save", "--quiet")
    assert code == 0, err
    assert "> **Current Clerk docs:**" in out
    # An excerpt sits under the section of its area.
    orgs_section = out.split("## Organizations", 1)[1].split("\n## ", 1)[0]
    assert "Current Clerk docs" in orgs_section
    # api_keys has no docs in the fixtures: said, but the recommendation is whole.
    assert "No current Clerk docs could be attached for: api\\_keys" in out  # markdown-escaped
    assert "`auth.mfa.policy` | required" in out


def test_snapshot_records_docs_and_diff_says_docs_changed(fake, workdir, capsys, monkeypatch):
    assert run(capsys, "recommend", EXAMPLE, "--docs", "--quiet")[0] == 0
    snapshot = json.loads(next((workdir / ".clerk-advisor" / "history").glob("*.json")).read_text())
    areas = {r["area"] for r in snapshot["docs"]}
    assert {"auth", "session", "orgs", "m2m", "webhooks", "sdk"} <= areas
    record = next(r for r in snapshot["docs"] if r["area"] == "m2m")
    assert record["library_id"].startswith("/") and len(record["sha256"]) == 64 and record["source_urls"]
    assert "CONTEXT7" not in json.dumps(snapshot)
    # The docs change on the server; the next run records the new digest and diff names it.
    monkeypatch.setattr(fake, "topics", [t for t in fake.topics if t["name"] != "m2m"])
    shutil.rmtree(workdir / "cache")
    assert run(capsys, "recommend", EXAMPLE, "--docs", "--quiet")[0] == 0
    code, out, _ = run(capsys, "diff")
    assert code == 0
    assert "Docs changed: m2m" in out


def test_server_down_is_a_warning_not_a_failure(fake, workdir, capsys):
    fake.server_errors = 1000
    code, out, err = run(capsys, "recommend", EXAMPLE, "--docs", "--no-save", "--quiet", "--format", "json")
    assert code == 0
    assert "warning:" in err
    data = json.loads(out)
    assert data["decisions"]["auth.mfa.policy"]["value"] == "required"
    missing = next(f for f in data["findings"] if f["id"] == "docs.missing")
    assert "auth" in missing["message"]


def test_docs_required_exits_3_when_docs_cannot_be_had(fake, workdir, capsys):
    fake.server_errors = 1000
    code, out, err = run(capsys, "recommend", EXAMPLE, "--docs=required", "--no-save", "--quiet")
    assert code == 3
    assert out == ""
    assert "Traceback" not in err


def test_offline_uses_the_cache_only(fake, workdir, capsys, network_guard):
    assert run(capsys, "recommend", EXAMPLE, "--docs", "--no-save", "--quiet")[0] == 0
    before = len(fake.requests)
    code, out, _ = run(capsys, "recommend", EXAMPLE, "--docs", "--offline", "--no-save", "--quiet",
                       "--format", "markdown")
    assert code == 0
    assert len(fake.requests) == before
    assert "Current Clerk docs" in out


def test_newer_sdk_major_in_docs_raises_a_finding(tmp_path, workdir, capsys, monkeypatch):
    fixtures = tmp_path / "fixtures"
    shutil.copytree(ROOT / "tests" / "fixtures" / "context7", fixtures)
    for name in ("sdk.txt", "sdk.json"):
        path = fixtures / "docs" / name
        path.write_text(path.read_text().replace("@clerk/nextjs@7.9.17", "@clerk/nextjs@8.0.1"))
    with FakeContext7(fixtures) as server:
        monkeypatch.setenv("CONTEXT7_API_URL", server.base_url)
        code, out, _ = run(capsys, "recommend", EXAMPLE, "--docs", "--no-save", "--quiet", "--format", "json")
    assert code == 0
    finding = next(f for f in json.loads(out)["findings"] if f["id"] == "docs.newer-major.@clerk/nextjs")
    assert "@clerk/nextjs 8.x" in finding["message"] and "target 7.x" in finding["message"]


def test_check_does_not_report_docs_findings_as_drift(fake, workdir, capsys):
    fake.server_errors = 1000
    assert run(capsys, "recommend", EXAMPLE, "--docs", "--quiet")[0] == 0
    code, out, _ = run(capsys, "recommend", "--check")
    assert code == 0, out


def test_generate_docs_puts_excerpts_in_clerk_setup(fake, workdir, capsys):
    code, _, err = run(capsys, "generate", EXAMPLE, "--stack", "fastapi", "--out", "api", "--docs", "--quiet")
    assert code == 0, err
    setup = (workdir / "api" / "CLERK_SETUP.md").read_text()
    assert "## Current Clerk docs" in setup
    assert "### m2m" in setup and "](https://" in setup
    plain = run(capsys, "generate", EXAMPLE, "--stack", "fastapi", "--out", "api2", "--quiet")
    assert plain[0] == 0
    assert "Current Clerk docs" not in (workdir / "api2" / "CLERK_SETUP.md").read_text()


def test_no_network_is_one_warning_for_every_area(workdir, capsys, monkeypatch):
    # Nothing listens on port 1: every area fails the same way, and says so once.
    monkeypatch.setenv("CONTEXT7_API_URL", "http://127.0.0.1:1/api")
    code, out, err = run(capsys, "recommend", EXAMPLE, "--docs", "--no-save", "--quiet", "--format", "json")
    assert code == 0
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, err
    assert warnings[0].startswith(
        "warning: Context7 docs for 8 areas (api_keys, auth, m2m, orgs, sdk, session, sso, webhooks) unavailable: ")
    assert "could not reach Context7 at 127.0.0.1:1" in warnings[0]
    assert json.loads(out)["decisions"]["auth.mfa.policy"]["value"] == "required"


@pytest.mark.parametrize("command", [["recommend", "--no-save"], ["generate", "--stack", "nextjs", "--out", "web"]],
                         ids=["recommend", "generate"])
def test_docs_before_the_file_is_a_flag_and_the_file_is_the_file(fake, workdir, capsys, command):
    # `--docs FILE`: FILE is the requirements file, not a value of --docs.
    code, _, err = run(capsys, command[0], "--docs", EXAMPLE, *command[1:], "--quiet")
    assert code == 0, err
    # The fake has no docs for api_keys, so required docs exit 3, after reading FILE.
    for spelling in ("--docs=required", "--docs-required"):
        code, _, err = run(capsys, command[0], spelling, EXAMPLE, *command[1:], "--quiet")
        assert code == 3, err
        assert "Context7 docs are required, but 1 of 8 areas have none:\n  api_keys: " in err


def test_docs_required_with_a_space_or_an_unknown_value_says_how_to_write_it(workdir, capsys):
    code, _, err = run(capsys, "recommend", "--docs", "required", "--no-save")
    assert code == 2
    assert "`required` after --docs was read as the requirements file" in err
    assert "hint: write --docs=required" in err
    code, _, err = run(capsys, "recommend", EXAMPLE, "--docs=always", "--no-save")
    assert code == 2
    assert "--docs=always: --docs takes no value; the only spelled forms are --docs=required" in err
