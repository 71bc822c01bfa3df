"""What a user installs: build the wheel, install it into a fresh venv, run it from
another directory. The rule pack and templates must come from inside the wheel."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def run(cmd: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def test_wheel_installs_and_runs_from_anywhere(tmp_path):
    dist = tmp_path / "dist"
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)], tmp_path)
    assert built.returncode == 0, built.stderr
    wheel = next(dist.glob("clerk_advisor-*.whl"))
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "advisor/_data/rules/pack.yaml" in names
    assert "advisor/engine/parsed_pack.json" in names  # the shipped pack's parse, for start-up
    assert any(n.startswith("advisor/_data/templates/nextjs/") for n in names)
    assert any(n.startswith("advisor/_data/templates/fastapi/") for n in names)

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    installed = run([str(py), "-m", "pip", "install", "-q", str(wheel)], tmp_path)
    assert installed.returncode == 0, installed.stderr

    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "clerk-requirements.yaml").write_text(
        (ROOT / "examples" / "b2b-saas" / "clerk-requirements.yaml").read_text())
    exe = str(env_dir / "bin" / "clerk-advisor")
    result = run([exe, "recommend", "--format", "json"], work)
    assert result.returncode == 0, result.stderr
    snapshot = json.loads(result.stdout)
    assert snapshot["assurance"]["aal"] == "AAL2"
    assert list((work / ".clerk-advisor" / "history").glob("*.json"))
    assert run([exe, "rules", "validate"], work).returncode == 0
    for stack in ("nextjs", "fastapi"):
        gen = run([exe, "generate", "--stack", stack, "--out", f"out-{stack}"], work)
        assert gen.returncode == 0, gen.stderr
        assert (work / f"out-{stack}" / "clerk-config.json").exists()
    module = run([str(py), "-m", "advisor", "--version"], work)
    assert module.stdout.startswith("clerk-advisor ")
    # Nothing was imported from the source checkout.
    where = run([str(py), "-c", "import advisor, sys; print(advisor.__file__)"], work)
    assert str(env_dir) in where.stdout
