"""Issue 11 #12, #13 and issue 15 #13, #14: the security fixes in the generated starters.

The fast tests read the generated code (what a reviewer reads); the slow ones run it: the
FastAPI project's own tests for these attacks against the real clerk-backend-api, and a
production build of the Next.js project (`next build`, `next start`) answering real
requests. Both reuse the package caches of tests/generate.
"""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from harness import EXAMPLE, ROOT, run

sys.path.insert(0, str(ROOT / "tests" / "generate"))


@pytest.fixture(scope="module")
def fastapi(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("fastapi")
    assert run(tmp, "generate", EXAMPLE, "--stack", "fastapi", "--out", "api").code == 0
    return tmp / "api"


@pytest.fixture(scope="module")
def nextjs(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("nextjs")
    assert run(tmp, "generate", ROOT / "examples" / "consumer-app" / "clerk-requirements.yaml", "--stack", "nextjs",
               "--out", "web").code == 0
    return tmp / "web"


# ------------------------------------------------------------------ FastAPI (#12, 15 #14)


def test_fastapi_session_tokens_need_their_times(fastapi):
    auth = (fastapi / "app" / "auth.py").read_text()
    assert ('"""Checks the SDK does not make, then the Principal. Raises AuthError(401)."""\n'
            '    check_token_times(payload)\n') in auth, "checked before anything else"
    checks = auth.split("def check_token_times", 1)[1].split("\ndef ", 1)[0]
    for reason in ("token-missing-exp", "token-missing-iat", "token-invalid-times"):
        assert reason in checks


def test_fastapi_cookie_writes_need_an_allowed_origin_and_the_readme_says_so(fastapi):
    auth = (fastapi / "app" / "auth.py").read_text()
    guard = auth.split("def check_cookie_origin", 1)[1].split("\nasync def ", 1)[0]
    assert 'if origin is None:\n        raise forbidden("origin-missing")' in guard
    assert 'if origin not in settings.authorized_parties:\n        raise forbidden("origin-not-allowed")' in guard
    readme = (fastapi / "README.md").read_text()
    assert "A cookie request without `Origin` is refused" in readme
    assert "python3 -m venv .venv" in readme and "python -m venv" not in readme


def test_fastapi_webhooks_answer_401_and_recognise_a_replay(fastapi):
    hooks = (fastapi / "app" / "webhooks.py").read_text()
    assert 'return _error(401, "signature-invalid"' in hooks and "_error(400, \"signature" not in hooks
    handler = hooks.split("async def clerk_webhook", 1)[1]
    assert handler.index("verify_delivery(") < handler.index("json.loads(body)"), "verified before parsed"
    assert handler.index("DELIVERIES.seen(") < handler.index("run_in_threadpool(handler")
    assert handler.index("run_in_threadpool(handler") < handler.index("DELIVERIES.record("), "recorded after success"
    assert "`401`" in (fastapi / "README.md").read_text()


def test_fastapi_without_settings_prints_the_message_alone(fastapi):
    main = (fastapi / "app" / "main.py").read_text()
    assert "except ConfigError as exc:" in main and "raise SystemExit(1) from None" in main


# --------------------------------------------------------------- Next.js (#13, 15 #13)


def test_nextjs_authorized_parties_are_required_in_production(nextjs):
    proxy = (nextjs / "proxy.ts").read_text()
    # Self-contained (generate --adopt copies its declarations into an app's own middleware).
    declaration = proxy.split("const authorizedParties = ", 1)[1].split("export default", 1)[0]
    assert "process.env.NODE_ENV === 'production'" in declaration and "throw new Error(" in declaration
    assert "process.env.CLERK_AUTHORIZED_PARTIES" in declaration
    assert re.search(r"clerkMiddleware\(\{\s*\.\.\.\(authorizedParties\.length > 0 \? \{ authorizedParties \}", proxy)


def test_nextjs_sensitive_action_checks_origin_for_cookie_requests(nextjs):
    route = (nextjs / "app" / "api" / "sensitive-action" / "route.ts").read_text()
    assert route.index("originAllowed(req)") < route.index("await auth()")
    security = (nextjs / "lib" / "security.ts").read_text()
    assert "if (origin === null) {\n    return false" in security
    assert "req.headers.get('authorization')" in security


def test_nextjs_sign_in_urls_need_no_env_file(nextjs):
    proxy = (nextjs / "proxy.ts").read_text()
    assert "signInUrl: '/sign-in'," in proxy and "signUpUrl: '/sign-up'," in proxy
    layout = (nextjs / "app" / "layout.tsx").read_text()
    assert 'signInUrl="/sign-in"' in layout and 'signUpUrl="/sign-up"' in layout


def test_nextjs_webhooks_answer_401(tmp_path):
    assert run(tmp_path, "generate", EXAMPLE, "--stack", "nextjs", "--out", "web").code == 0
    route = (tmp_path / "web" / "app" / "api" / "webhooks" / "route.ts").read_text()
    assert "{ status: 401 }" in route and "{ status: 400 }" not in route


# ------------------------------------------------------------------------- running


@pytest.mark.slow
def test_fastapi_attacks_against_the_real_sdk(fastapi):
    """The generated project's own tests for #12 and 15 #14, run for real."""
    from test_fastapi_slow import cached_venv, clean_env

    requirements = {n: (fastapi / n).read_text() for n in ("requirements.txt", "requirements-dev.txt")}
    python = cached_venv(requirements) / "bin" / "python"
    selected = ("without_its_times or expires_before or cookie_post or replayed or handler_failed or "
                "missing_header or no_headers or malformed_signature or another_secret or tampered or "
                "without_settings")
    result = subprocess.run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", selected],
                            cwd=fastapi, env=clean_env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    passed = int(re.search(r"(\d+) passed", result.stdout).group(1))
    assert passed >= 20 and "failed" not in result.stdout
    started = subprocess.run([str(python), "-m", "uvicorn", "app.main:app", "--port", "0"], cwd=fastapi,
                             env=clean_env(), capture_output=True, text=True, timeout=60)
    assert started.returncode == 1 and started.stderr.startswith("configuration error: Set CLERK_JWT_KEY")
    assert "Traceback" not in started.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(url: str, method: str = "GET", headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, response.headers.get("Location", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", ""), error.read().decode()


@contextlib.contextmanager
def _next_start(project: Path, env: dict[str, str], port: int):
    server = subprocess.Popen(["node", "node_modules/next/dist/bin/next", "start", "-p", str(port), "-H", "localhost"],
                              cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("localhost", port), timeout=1):
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "next start did not start"
                time.sleep(0.2)
        yield f"http://localhost:{port}", server
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.mark.slow
def test_nextjs_production_build_answers_as_reviewed(nextjs):
    """`next build` with only the two keys set (no .env.local): /dashboard sends a signed-out
    visitor to /sign-in, not to the Account Portal; cookie writes need an allowed Origin;
    without CLERK_AUTHORIZED_PARTIES every request fails, naming the variable."""
    from helpers_nextjs import _npm_env, link_node_modules

    link_node_modules(nextjs)
    keys = {"NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY": "pk_test_ZXhhbXBsZS5jbGVyay5hY2NvdW50cy5kZXYk",
            "CLERK_SECRET_KEY": "sk_test_" + "x" * 24, "CLERK_TELEMETRY_DISABLED": "1"}
    env = {k: v for k, v in _npm_env().items() if not k.startswith(("CLERK_", "NEXT_PUBLIC_CLERK_"))}
    env.update(keys)
    assert not (nextjs / ".env.local").exists()
    # Turbopack refuses a symlinked node_modules; webpack builds the same app.
    built = subprocess.run(["node", "node_modules/next/dist/bin/next", "build", "--webpack"], cwd=nextjs,
                           env={**env, "CLERK_AUTHORIZED_PARTIES": "http://localhost:1"}, capture_output=True,
                           text=True, timeout=900)
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]

    port = _free_port()
    origin = f"http://localhost:{port}"
    with _next_start(nextjs, {**env, "CLERK_AUTHORIZED_PARTIES": origin}, port) as (base, _):
        status, location, _ = _request(f"{base}/dashboard")
        assert status == 307 and location.startswith(f"{base}/sign-in?redirect_url="), (status, location)
        action = f"{base}/api/sensitive-action"
        assert _request(action, "POST")[0] == 403, "a cookie POST without Origin"
        assert _request(action, "POST", {"Origin": "https://evil.example"})[0] == 403
        assert _request(action, "POST", {"Origin": origin})[0] == 401, "an allowed Origin, then auth: signed out"
        assert _request(action, "POST", {"Authorization": "Bearer not-a-token"})[0] == 401
    with _next_start(nextjs, env, _free_port()) as (base, server):
        assert _request(f"{base}/dashboard")[0] == 500
        assert _request(f"{base}/")[0] == 500
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert "CLERK_AUTHORIZED_PARTIES is not set" in output

