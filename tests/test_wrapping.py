"""Text output fits the terminal: wrapped to its width (COLUMNS, or the terminal's own, or 80
when the output is not a terminal), words whole, each paragraph's hanging indent kept."""

from __future__ import annotations

import os
import sys

import pytest

from advisor.wrap import hang, wrap_lines
from tests.conftest import ROOT, run_process

B2B = ROOT / "examples" / "b2b-saas" / "clerk-requirements.yaml"
REASON_COLUMN = 39  # "  " + the 36 columns of the decision key + " "


def words(text: str) -> list[str]:
    return text.split()


def fits(lines: list[str], columns: int) -> bool:
    """Every line within `columns`, but for a single word longer than a line (a URL)."""
    return all(len(line) <= columns or len(line.split()) == 1 for line in lines)


@pytest.mark.parametrize("columns", [100, 80, 60])
def test_recommend_wraps_to_columns_with_the_reasons_column_kept(tmp_path, columns):
    wrapped = run_process("recommend", B2B, "--no-save", cwd=tmp_path, env={"COLUMNS": str(columns)})
    assert wrapped.code == 0, wrapped.err
    lines = wrapped.out.splitlines()
    assert fits(lines, columns)
    # Nothing is lost or broken: the same words as a very wide terminal shows.
    wide = run_process("recommend", B2B, "--no-save", cwd=tmp_path, env={"COLUMNS": "10000"})
    assert words(wrapped.out) == words(wide.out)
    # A reason continues in the reasons column; a finding under its text, not at column 0.
    # Too narrow for the reasons column (fewer than 30 columns left), reasons go under the key.
    at = REASON_COLUMN if columns - REASON_COLUMN >= 30 else 4
    reason = lines.index(next(line for line in lines if line.lstrip().startswith("Email is not an authenticator")))
    assert lines[reason].startswith(" " * at + "Email")
    assert lines[reason + 1].startswith(" " * at) and lines[reason + 1][at] != " "
    finding = next(i for i, line in enumerate(lines) if line.startswith("  high     clerk-backend-api 7"))
    assert lines[finding + 1].startswith(" " * 11) and lines[finding + 1][11] != " "


def test_not_a_terminal_and_no_columns_is_80(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    import subprocess

    done = subprocess.run([sys.executable, "-m", "advisor", "recommend", str(B2B), "--no-save"], cwd=tmp_path,
                          env={**env, "NO_COLOR": "1"}, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert max(map(len, done.stdout.splitlines())) == 80


def test_a_real_terminal_is_measured(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    child = pexpect.spawn(sys.executable, ["-m", "advisor", "recommend", str(B2B), "--no-save"], cwd=str(tmp_path),
                          env={**env, "NO_COLOR": "1"}, dimensions=(40, 100), encoding="utf-8", timeout=60)
    child.expect(pexpect.EOF)
    child.close()
    lines = child.before.replace("\r\n", "\n").splitlines()
    assert child.exitstatus == 0
    assert 90 < max(map(len, lines)) <= 100


@pytest.mark.parametrize("args", [["explain", "auth.mfa.policy", B2B], ["explain", "mfa.aal2-required", B2B],
                                  ["rules", "show", "m2m.python-receivers"], ["rules", "list"]])
def test_explain_and_rules_wrap_too(tmp_path, args):
    wrapped = run_process(*args, cwd=tmp_path, env={"COLUMNS": "72"})
    assert wrapped.code == 0, wrapped.err
    assert fits(wrapped.out.splitlines(), 72)
    wide = run_process(*args, cwd=tmp_path, env={"COLUMNS": "10000"})
    assert words(wrapped.out) == words(wide.out)


def test_diff_wraps_but_keeps_the_snapshot_names_whole(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    for profile in ("b2b-saas", "consumer-app"):
        src = (ROOT / "examples" / profile / "clerk-requirements.yaml").read_text()
        (tmp_path / f"{profile}.yaml").write_text(src)
        assert cli("recommend", f"{profile}.yaml", "--format", "json", "-o", f"{profile}.json", "--no-save").code == 0
    out = cli("diff", "b2b-saas.json", "consumer-app.json").out.splitlines()
    assert out[0] == "b2b-saas.json -> consumer-app.json"
    assert fits(out[1:], 60)
    because = next(i for i, line in enumerate(out) if line.startswith("      because"))
    assert out[because].startswith("      because ")


def test_hang_never_breaks_a_word_and_keeps_the_indent():
    assert hang("  high     ", "a b " + "x" * 40 + " c", 45) == ["  high     a b", " " * 11 + "x" * 40, " " * 11 + "c"]
    assert hang("  ", "short", None) == ["  short"]
    # Too narrow for the indent: it shrinks rather than leave no room for words.
    assert hang(" " * 39, "one two three", 50) == ["    one two three"]
    assert hang("  label ", "one two three four", 20) == ["  label one two", "    three four"]
    lines = wrap_lines(["short", "      because " + "word " * 20], 44, 2)
    assert lines[0] == "short" and lines[1].startswith("      because word")
    assert all(line.startswith("        word") and len(line) <= 44 for line in lines[2:])
