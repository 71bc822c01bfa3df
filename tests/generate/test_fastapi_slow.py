"""The generated fastapi project, for real: install its pinned dependencies from PyPI into a
fresh virtualenv, byte-compile it, run its own test suite against the real
clerk-backend-api, and serve it with uvicorn.

The virtualenv is cached under $CLERK_ADVISOR_TEST_CACHE (default ~/.cache/clerk-advisor-tests/), keyed by
the pinned requirements and the Python version, so only the first run downloads anything.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import itertools
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from helpers_fastapi import FULL_REQUIREMENTS, render_profile, render_with, variant_decisions, write_project

from advisor.requirements import validate_document

# (orgs, manage permission, m2m, webhooks, reverification): every pair of features meets in
# every on/off combination at least once (a pairwise covering array); the fast tests compile
# all 32 combinations.
PAIRWISE = [
    (True, True, True, True, True),
    (True, True, True, False, False),
    (True, False, False, True, True),
    (False, True, False, True, False),
    (False, False, True, False, True),
    (False, False, False, False, False),
]

pytestmark = pytest.mark.slow

FULL_REQ = validate_document(FULL_REQUIREMENTS)
CACHE = Path(os.environ.get("CLERK_ADVISOR_TEST_CACHE")
             or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "clerk-advisor-tests")


def cached_venv(requirements: dict[str, str]) -> Path:
    """A virtualenv with exactly these requirement files installed; built once per content."""
    digest = hashlib.sha256(sys.version.encode())
    for name in sorted(requirements):
        digest.update(f"\0{name}\0{requirements[name]}".encode())
    key = digest.hexdigest()[:16]
    root = CACHE / f"fastapi-venv-{key}"
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / f"fastapi-venv-{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (root / ".complete").is_file():
            return root
        shutil.rmtree(root, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(root)], check=True, timeout=300)
        reqdir = root / "requirements"
        write_project(reqdir, requirements)
        install = subprocess.run(
            [str(root / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q",
             "-r", str(reqdir / "requirements-dev.txt")],
            capture_output=True, text=True, timeout=900,
        )
        assert install.returncode == 0, install.stdout + install.stderr
        (root / ".complete").write_text(json.dumps(requirements, indent=1), encoding="utf-8")
    return root


def clean_env(**extra: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("CLERK_", "PYTEST_", "PYTHON"))}
    return {**env, **extra}


def run(args: list[str], cwd: Path, timeout: float = 300, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=clean_env(**env), capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def projects(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("fastapi-projects")
    return {name: write_project(root / name, render_profile(name)) for name in ("full", "minimal")}


@pytest.fixture(scope="module")
def python(projects) -> Path:
    full = projects["full"]
    requirements = {name: (full / name).read_text(encoding="utf-8")
                    for name in ("requirements.txt", "requirements-dev.txt")}
    return cached_venv(requirements) / "bin" / "python"


@pytest.mark.parametrize("profile", ["full", "minimal"])
def test_the_project_compiles(projects, python: Path, profile: str) -> None:
    result = run([str(python), "-m", "compileall", "-q", "."], projects[profile])
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("profile", ["full", "minimal"])
def test_the_projects_own_tests_pass(projects, python: Path, profile: str) -> None:
    result = run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error::DeprecationWarning"],
                 projects[profile])
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-4000:]
    assert " passed" in result.stdout and "failed" not in result.stdout


def test_the_feature_matrix_covers_every_pair() -> None:
    for i, j in itertools.combinations(range(5), 2):
        assert {(row[i], row[j]) for row in PAIRWISE} == set(itertools.product([True, False], repeat=2))


def test_feature_combinations_pass_their_own_tests(tmp_path: Path, python: Path) -> None:
    """Organizations, a manage permission, M2M, webhooks and reverification on and off, pairwise:
    each branch of the templates runs its own tests (in parallel, one process per project)."""
    projects = []
    for combo in PAIRWISE:
        name = "".join("1" if flag else "0" for flag in combo)
        projects.append((name, write_project(tmp_path / name, render_with(FULL_REQ, variant_decisions(*combo)))))

    def run_one(item: tuple[str, Path]) -> tuple[str, subprocess.CompletedProcess]:
        name, root = item
        return name, run([str(python), "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"], root)

    with ThreadPoolExecutor(max_workers=max(2, min(8, os.cpu_count() or 2))) as pool:
        results = list(pool.map(run_one, projects))
    failed = {name: result.stdout[-3000:] for name, result in results if result.returncode != 0}
    assert not failed, failed


def test_the_installed_clerk_sdk_is_the_pinned_one(python: Path, projects) -> None:
    result = run([str(python), "-c", "import importlib.metadata as m; print(m.version('clerk-backend-api'))"],
                 projects["full"])
    assert result.stdout.strip() == "7.0.0"


def test_startup_fails_fast_with_a_clear_message(projects, python: Path) -> None:
    """Issue 15 #14: the message alone, not a 30-line traceback ending in it, also under uvicorn."""
    result = run([str(python), "-c", "import app.main"], projects["full"], timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith("configuration error: Set CLERK_JWT_KEY") and "Traceback" not in result.stderr
    result = run([str(python), "-c", "import app.main"], projects["full"], timeout=60,
                 CLERK_SECRET_KEY="sk_test_placeholder")
    assert result.returncode == 1 and "CLERK_AUTHORIZED_PARTIES" in result.stderr
    served = run([str(python), "-m", "uvicorn", "app.main:app", "--port", str(_free_port())], projects["full"],
                 timeout=60, CLERK_SECRET_KEY="sk_test_placeholder")
    assert served.returncode == 1 and "Traceback" not in served.stderr
    assert "configuration error: CLERK_AUTHORIZED_PARTIES" in served.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_uvicorn_serves_the_app(projects, python: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [str(python), "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port)],
        cwd=projects["full"], env=clean_env(CLERK_SECRET_KEY="sk_test_placeholder",
                                            CLERK_AUTHORIZED_PARTIES="http://localhost:3000"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/api/health")
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None and time.monotonic() < deadline, "uvicorn did not start"
                time.sleep(0.2)
        assert (status, body) == (200, {"status": "ok"})
        assert _get(f"http://127.0.0.1:{port}/api/me") == (
            401, {"error": "unauthenticated", "reason": "session-token-missing"})
    finally:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=10)
        if server.poll() is None:
            server.kill()
            server.wait()
