"""Shared test helpers: run the real CLI, in-process or as a process, and write inputs inline."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from advisor.cli import main

ROOT = Path(__file__).resolve().parent.parent
BASIC_PACK = ROOT / "tests" / "fixtures" / "packs" / "basic"


_THROWAWAY_CACHE: list[str] = []


def pytest_configure(config):
    """The docs cache goes to a throwaway directory, never the developer's home, and is
    removed at the end of the run; tests that care set their own."""
    import tempfile

    if "CLERK_ADVISOR_CACHE_DIR" not in os.environ:
        _THROWAWAY_CACHE.append(tempfile.mkdtemp(prefix="clerk-advisor-test-cache-"))
        os.environ["CLERK_ADVISOR_CACHE_DIR"] = _THROWAWAY_CACHE[-1]


def pytest_unconfigure(config):
    import shutil

    for path in _THROWAWAY_CACHE:
        shutil.rmtree(path, ignore_errors=True)


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys, monkeypatch, tmp_path):
    """Run `clerk-advisor ARGS` in-process with the current directory set to tmp_path."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")

    def run(*args: str) -> Result:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def run_process(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
                input: str | None = None, timeout: float = 60) -> Result:
    """Run the real command in a new interpreter (what a user's shell does)."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "advisor", *map(str, args)], cwd=cwd, env=full_env,
                          input=input, capture_output=True, text=True, timeout=timeout)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def build_tree(root: Path, files: dict[str, str]) -> Path:
    """Write {relative path: content} under root (copier's build_file_tree)."""
    for rel, content in files.items():
        write(root / rel, content)
    return root
