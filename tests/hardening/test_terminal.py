"""Issue 11 #7: terminal escape sequences (ESC, OSC, the C1 CSI byte 0x9b, BEL, bidi
overrides) from rule texts, snapshot values, docs text and Context7's error messages never
reach the terminal raw, in any command or format; JSON output stays valid and keeps them."""

from __future__ import annotations

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from harness import EXAMPLE, NASTY, assert_refused, clean_output, copy_pack, run, write
from test_injection import hostile_snapshot


def test_the_guard_escapes_everything_but_its_own_colours():
    from advisor.terminal import safe, sgr, styler

    assert safe(NASTY) == "\\x1b[2J\\x1b]0;pwned\\x07\\u009b31m\\u202eevil"
    assert safe(styler(True)("bold", "bold")) == "\x1b[1mbold\x1b[0m"
    assert safe("\x1b[1m" + sgr("0")) == "\\x1b[1m\x1b[0m", "data cannot pass as a colour"
    assert safe("a\tb\nc") == "a\tb\nc"
    assert json.loads(safe(json.dumps({"k": "\x9b\x7f\u202e"}, ensure_ascii=False))) == {"k": "\x9b\x7f\u202e"}


@pytest.fixture
def history_with_a_hostile_snapshot(tmp_path):
    write(tmp_path / "clerk-requirements.yaml", EXAMPLE.read_text())
    assert run(tmp_path, "recommend", "--quiet").code == 0
    snap = hostile_snapshot(tmp_path, "hostile.json", NASTY)
    data = json.loads(snap.read_text())
    data["requirements_file"] = "clerk-requirements.yaml"
    data["created_at"] = "2099-01-01T00:00:00Z"
    write(tmp_path / ".clerk-advisor" / "history" / "20990101T000000Z-aaaaaaaaaaaa.json", json.dumps(data))
    return tmp_path, snap


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_diff_of_a_hostile_snapshot(history_with_a_hostile_snapshot, fmt):
    tmp_path, snap = history_with_a_hostile_snapshot
    for args in (("diff", snap, EXAMPLE), ("diff", EXAMPLE, snap), ("diff",), ("diff", "1", "2")):
        result = run(tmp_path, *args, "--format", fmt)
        assert result.code == 0, result.err
        clean_output(result)
        if fmt == "json":
            assert NASTY in _strings(json.loads(result.out)), "JSON keeps the text itself"


def _strings(data: object) -> set[str]:
    if isinstance(data, dict):
        return {s for k, v in data.items() for s in {k} | _strings(v)}
    if isinstance(data, list):
        return {s for v in data for s in _strings(v)}
    return {data} if isinstance(data, str) else set()


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_history_and_check_with_a_hostile_snapshot(history_with_a_hostile_snapshot, fmt):
    tmp_path, _ = history_with_a_hostile_snapshot
    listed = run(tmp_path, "history", "--format", fmt)
    assert listed.code == 0, listed.err
    clean_output(listed)
    check = run(tmp_path, "recommend", "--check", "--format", fmt if fmt == "json" else "text")
    assert check.code in (0, 1), check.err
    clean_output(check)


def test_rule_conditions_shown_by_rules_show_and_explain(tmp_path):
    pack = copy_pack(tmp_path)
    rules = (pack / "rules.yaml").read_text().replace(
        "when: {fact: threat_model.privileged_users, eq: true}",
        "when: {any: [{fact: threat_model.privileged_users, eq: true}, {fact: project.name, eq: "
        + json.dumps(NASTY) + "}]}")
    (pack / "rules.yaml").write_text(rules)
    write(tmp_path / "clerk-requirements.yaml", "schema: 1\nthreat_model:\n  privileged_users: true\n")
    for args in (("rules", "show", "finding.privileged"), ("rules", "list"), ("rules", "validate"),
                 ("explain", "finding.privileged"), ("rules", "show", "finding.privileged", "--format", "json"),
                 ("rules", "test")):
        result = run(tmp_path, *args, "--rules", pack)
        assert result.code in (0, 1), (args, result.err)
        clean_output(result)


def test_rule_texts_with_control_characters_are_refused(tmp_path):
    pack = copy_pack(tmp_path)
    rules = (pack / "rules.yaml").read_text().replace("because: A baseline.", "because: " + json.dumps(NASTY))
    (pack / "rules.yaml").write_text(rules)
    assert_refused(run(tmp_path, "rules", "validate", pack), where=f"{pack}/rules.yaml:", message="control character")


def test_unknown_rule_ids_and_keys_in_messages(tmp_path):
    result = run(tmp_path, "rules", "show", NASTY)
    assert_refused(result)
    result = run(tmp_path, "explain", NASTY, EXAMPLE)
    assert_refused(result)
    result = run(tmp_path, "recommend", "--format", NASTY)
    assert_refused(result)
    result = run(tmp_path, NASTY)
    assert_refused(result)


def test_requirement_values_quoted_in_errors(tmp_path):
    write(tmp_path / "req.yaml", "schema: 1\n" + json.dumps(NASTY) + ": 1\naudience: " + json.dumps(NASTY) + "\n")
    result = run(tmp_path, "recommend", "req.yaml", "--no-save")
    assert_refused(result, where="req.yaml:")
    assert "\\x1b]0;pwned\\x07" in result.err, "the text is shown, escaped"


# -------------------------------------------------------------------------- the docs


@pytest.fixture
def hostile_docs(tmp_path):
    from fake_context7 import FIXTURES, FakeContext7

    fixtures = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, fixtures)
    body = (f"### Title {NASTY}\n\nSource: https://clerk.com/docs/a\n\nText {NASTY}\n\n--------------------------------"
            f"\n\n### Second\n\nSource: {NASTY}\n\n{NASTY}\n")
    for path in (fixtures / "docs").glob("*.txt"):
        path.write_text(body, encoding="utf-8")
    with FakeContext7(fixtures) as server:
        yield {"CONTEXT7_API_URL": server.base_url, "CONTEXT7_API_KEY": "ctx7sk-test-0000"}


def test_docs_text_on_the_terminal(tmp_path, hostile_docs):
    for fmt in ("text", "markdown", "json"):
        result = run(tmp_path, "recommend", EXAMPLE, "--docs", "--format", fmt, "--no-save", env=hostile_docs)
        assert result.code == 0, result.err
        clean_output(result)
    generated = run(tmp_path, "generate", EXAMPLE, "--stack", "fastapi", "--out", "out", "--docs", env=hostile_docs)
    assert generated.code == 0
    clean_output(generated)
    status = run(tmp_path, "docs", "status")
    clean_output(status)


class _Hostile(BaseHTTPRequestHandler):
    """A Context7 that answers every request with an error whose text is hostile."""

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):  # noqa: N802 - http.server's naming
        status = 500 if "search" in self.path else 404
        body = json.dumps({"error": NASTY, "message": f"boom {NASTY}"}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Reason", "\x1b]0;pwned")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def hostile_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"CONTEXT7_API_URL": f"http://127.0.0.1:{server.server_address[1]}/api",
               "CONTEXT7_API_KEY": "ctx7sk-test-0000"}
    finally:
        server.shutdown()
        server.server_close()


def test_context7_error_messages(tmp_path, hostile_server):
    warned = run(tmp_path, "recommend", EXAMPLE, "--docs", "--no-save", env=hostile_server)
    assert warned.code == 0, warned.err
    assert "warning:" in warned.err
    clean_output(warned)
    required = run(tmp_path, "recommend", EXAMPLE, "--docs=required", "--no-save", env=hostile_server)
    assert required.code == 3
    clean_output(required)


# ------------------------------------------------------------ what already held, kept


def test_an_api_key_a_server_quotes_back_is_never_printed(tmp_path):
    from fake_context7 import FakeContext7

    key = "ctx7sk-hardening-5f0c2b9e8d7a4c13"
    with FakeContext7() as server:
        server.required_key = "ctx7sk-the-right-one-000000000000"
        server.echo_key_in_errors = True
        env = {"CONTEXT7_API_URL": server.base_url, "CONTEXT7_API_KEY": key}
        for fmt in ("text", "json"):
            result = run(tmp_path, "recommend", EXAMPLE, "--docs", "--no-save", "--format", fmt, env=env)
            assert result.code == 0, result.err
            assert key not in result.out and key not in result.err
            clean_output(result)
        required = run(tmp_path, "recommend", EXAMPLE, "--docs=required", "--no-save", env=env)
        assert required.code == 3 and key not in required.err
    for path in (tmp_path / ".cache").rglob("*"):
        if path.is_file():
            assert key not in path.read_text(errors="replace")
