"""`clerk-advisor docs status|clear`, driven through advisor.cli.main."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fake_context7 import FakeContext7

from advisor.cli import main
from advisor.docs.fetch import fetch_docs
from advisor.docs.settings import DocsSettings

ROOT = Path(__file__).resolve().parents[2]


def test_status_of_an_empty_cache(docs_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs", "status"]) == 0
    out, err = capsys.readouterr()
    lines = dict(line.split(":", 1) for line in out.strip().splitlines())
    assert lines["cache dir"].strip() == str(docs_env / "context7")
    assert lines["entries"].strip().startswith("0")
    assert lines["total size"].strip() == "0 B"
    assert lines["library id"].strip() == "- (not resolved yet)"
    assert err == ""


def test_status_after_a_fetch(
    fake: FakeContext7, settings: DocsSettings, queries: dict[str, str], capsys: pytest.CaptureFixture[str], docs_env: Path
) -> None:
    fetch_docs(queries, settings=settings)
    assert main(["docs", "status", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cache_dir"] == str(docs_env / "context7")
    assert data["entries"] == 7 and data["library_id"] == "/clerk/clerk-docs"
    assert data["total_bytes"] > 0 and data["oldest"] <= data["newest"]
    assert data["oldest"].endswith("Z") and data["ttl_seconds"] == 86400
    assert main(["docs", "status"]) == 0
    text = capsys.readouterr().out
    assert "entries:    7 (0 older than their TTL)" in text and "library id: /clerk/clerk-docs" in text


def test_clear_removes_entries_and_keeps_foreign_files(
    fake: FakeContext7, settings: DocsSettings, queries: dict[str, str], capsys: pytest.CaptureFixture[str], docs_env: Path
) -> None:
    fetch_docs(queries, settings=settings)
    foreign = docs_env / "context7" / "README.txt"
    foreign.write_text("not the cache's")
    assert main(["docs", "clear"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("removed 7 cache files (") and str(docs_env / "context7") in err
    assert foreign.exists() and [p.name for p in foreign.parent.iterdir()] == ["README.txt"]
    assert main(["docs", "status", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["entries"] == 0


def test_clear_on_an_empty_cache(docs_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs", "clear"]) == 0
    assert capsys.readouterr().err.startswith("removed 0 cache files (0 B)")


def test_status_reports_unreadable_entries(docs_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = docs_env / "context7"
    directory.mkdir(parents=True)
    (directory / ("a" * 64 + ".json")).write_text('{"format": "clerk-advisor/context7-cache", "vers')
    assert main(["docs", "status"]) == 0
    assert "entries:    1 (0 older than their TTL, 1 unreadable)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["docs"], "error: docs needs a subcommand\n  allowed: status, clear"),
        (["docs", "status", "--format", "yaml"], "invalid choice: 'yaml'"),
        (["docs", "purge"], "invalid choice: 'purge'"),
    ],
)
def test_usage_errors_exit_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["docs", "--help"], ["status", "clear", "CLERK_ADVISOR_CACHE_DIR", "CONTEXT7_API_KEY", "--offline"]),
        (["docs", "status", "--help"], ["--format {text,json}", "library id"]),
        (["docs", "clear", "--help"], ["Files in the cache directory that the cache did not write are left alone"]),
    ],
)
def test_help_texts(argv: list[str], expected: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    for text in expected:
        assert " ".join(text.split()) in out


def test_docs_command_imports_no_httpx(docs_env: Path) -> None:
    code = (
        "import sys\n"
        "from advisor.cli import main\n"
        "assert main(['docs', 'status']) == 0\n"
        "assert 'httpx' not in sys.modules, 'docs status imported httpx'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "cache dir:" in done.stdout
