"""Every example the documentation shows runs, as written, and does what it says.

The commands are read from the documentation itself, never copied here: each `examples:`
line of every command's `--help`, and every `clerk-advisor` line in a code block of
README.md (a transcript's `$ ` lines, a CI recipe's `run:` lines, commands continued with
a backslash). Each runs in a copy of a workspace that holds what the examples name (the
example requirements files, snapshots in history, a generated project, a rule pack, users
exports, a Clerk Backend API on the loopback: the migrate tests' fake). A synopsis
(`recommend [FILE] [--format text|markdown|json]`) is checked against the command's own
`--help`: every option and choice it names must exist; its shortest form runs too.

What needs a terminal or a Clerk account is listed in EXCEPTIONS with the reason, and a
test keeps that list to lines the documentation still shows. The README's ask transcript,
requirements file and rule are checked against the questionnaire, the loader and the pack.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.cli import main
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tests" / "migrate"))  # the fake Clerk and the export builders

README = ROOT / "README.md"

# Documented command -> why no test here runs it.
EXCEPTIONS = {
    "clerk-advisor ask": "needs a terminal; tests/ask/test_e2e.py drives it in a pseudo-terminal",
    "clerk-advisor ask -o app.yaml": "needs a terminal; tests/ask/test_e2e.py edits a file through it",
    "clerk-advisor ask -o services/billing.yaml": "needs a terminal, as `ask -o app.yaml`",
    "clerk-advisor migrate rollback": "asks for a typed yes on a terminal; `migrate rollback --yes` runs here",
    "python3 -m venv .venv && .venv/bin/pip install .": "installs from PyPI; tests/test_wheel.py builds and "
                                                         "installs the wheel (the command after it runs here)",
}

# How the documentation may end, by command: exit 1 is documented for these.
MAY_FIND = ("clerk-advisor check", "clerk-advisor migrate convert", "clerk-advisor migrate import")


# ---------------------------------------------------------------- reading the docs


def code_blocks(text: str) -> Iterator[tuple[int, str, list[str]]]:
    """(line number of the first line, language or "indented", lines) of each code block."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        fence = re.match(r"^(```+)\s*(\S*)", lines[i])
        if fence:
            start, body = i + 2, []
            i += 1
            while i < len(lines) and not lines[i].startswith(fence.group(1)):
                body.append(lines[i])
                i += 1
            yield start, fence.group(2) or "text", body
        elif lines[i].startswith("    ") and lines[i].strip() and (i == 0 or not lines[i - 1].strip()):
            start, body = i + 1, []
            while i < len(lines) and (lines[i].startswith("    ") or not lines[i].strip()):
                body.append(lines[i][4:])
                i += 1
            yield start, "indented", body
            continue
        i += 1


def _commands(lines: list[str]) -> list[str]:
    """Command lines: `$ ` and `run: ` prefixes gone, backslash continuations and a
    synopsis's indented continuation lines joined, comments after two spaces dropped."""
    joined: list[str] = []
    for line in lines:
        if joined and (joined[-1].endswith("\\") or (line.startswith(" ") and line.strip().startswith(("[", "--"))
                                                     and "clerk-advisor" in joined[-1])):
            joined[-1] = joined[-1].rstrip("\\").rstrip() + " " + line.strip()
        else:
            joined.append(line.strip())
    out = []
    for line in joined:
        line = re.sub(r"^(\$ |- run: )", "", line)
        line = re.sub(r"\s{2,}#.*$|\s+#\s.*$", "", line).strip()
        if re.match(r"^([A-Z_]+=\S+ )?clerk-advisor |^python3 -m venv .*clerk-advisor ", line):
            out.append(line)
    return out


def readme_commands() -> list[str]:
    return [c for _, lang, body in code_blocks(README.read_text(encoding="utf-8")) if lang != "yaml" or body
            for c in _commands(body)]


def _help(words: list[str]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        main([*words, "--help"])
    return out.getvalue()


def _subcommands() -> list[list[str]]:
    from advisor.commands import COMMANDS

    found: list[list[str]] = []
    for name in COMMANDS:
        found.append([name])
        text = _help([name])
        positional = text.split("positional arguments:\n", 1)[1].split("\n\n", 1)[0] if \
            "positional arguments:\n" in text else ""
        found += [[name, sub] for sub in re.findall(r"^    ([a-z][a-z-]*)\s{2,}", positional, re.M)]
    return found


def help_examples() -> list[str]:
    out: list[str] = []
    for words in _subcommands():
        text = _help(words)
        if "\nexamples:\n" not in text:
            continue
        block = text.split("\nexamples:\n", 1)[1].split("\n\n", 1)[0]
        out += _commands([line[2:] for line in block.splitlines() if line.startswith("  ")])
    return out


def documented() -> list[str]:
    return list(dict.fromkeys(readme_commands() + help_examples()))


_PLACEHOLDER = re.compile(r"^[A-Z][A-Z_]*(\.\.\.|\.json)?$")


def is_synopsis(command: str) -> bool:
    words = command.split()
    return any(("[" in w or re.search(r"\w\|\w", w) or _PLACEHOLDER.match(w)) for w in words[1:]
               if "=" not in w or w.startswith("-"))


def shortest_form(command: str) -> str | None:
    """A synopsis without its optional parts, when what is left names nothing to fill in."""
    previous = None
    while previous != command:
        previous, command = command, re.sub(r"\s*\[[^\[\]]*\]", "", command)
    return None if is_synopsis(command) else command


# ---------------------------------------------------------------- the workspace


@pytest.fixture(scope="module")
def clerk_api():
    from fake_clerk import DEV_KEY, FakeClerk

    with FakeClerk() as server:
        server.limits = {"development": (100_000, 10.0), "production": (100_000, 10.0)}
        yield server.base_url, DEV_KEY


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, clerk_api) -> Path:
    """What the examples name, made by the commands a user would run."""
    from migrate_helpers import auth0_hash, auth0_user, write_json, write_jsonl
    from test_migrate_convert_sources import FIREBASE_CONFIG, FIREBASE_EXPORT, _cognito, _supabase_rows
    from test_migrate_spotcheck_rollback import PASSWORD, _django

    ws = tmp_path_factory.mktemp("documented")
    examples = ROOT / "examples"
    shutil.copytree(examples, ws / "examples")
    # An app someone already has, for the `generate --adopt` examples (which run inside it).
    shutil.copytree(ROOT / "tests" / "adopt" / "fixtures" / "next16-app", ws / "my-app")
    for profile, name in [("b2b-saas", "clerk-requirements.yaml"), ("consumer-app", "app.yaml"),
                          ("healthcare", "healthcare.yaml")]:
        shutil.copy(examples / profile / "clerk-requirements.yaml", ws / name)
    shutil.copytree(ROOT / "rules", ws / "my-pack")
    (ws / "clerk-config.schema.json").write_text(json.dumps({"type": "object"}))
    # Auth0, Firebase, Supabase and Cognito exports, as the migrate examples name them.
    for export, hashes in [("export.json", "hashes.json"), ("users-export.json", "auth0-hashes.json")]:
        write_jsonl(ws / export, [auth0_user("auth0|5f7c8ec7c33c6c004bbafe82", "ada@example.com"),
                                  auth0_user("google-oauth2|1080912", "grace@gmail.com")])
        write_jsonl(ws / hashes, [auth0_hash("5f7c8ec7c33c6c004bbafe82")])
    write_json(ws / "users.json", FIREBASE_EXPORT)
    write_json(ws / "firebase-hash.json", FIREBASE_CONFIG)
    write_json(ws / "auth_users.json", _supabase_rows())
    write_json(ws / "mfa_factors.json", [])
    write_json(ws / "page-1.json", {"Users": [_cognito("ada", "a-1", email="ada@example.com")]})
    write_json(ws / "page-2.json", {"Users": [_cognito("bob", "b-2", email="bob@example.com")]})
    write_json(ws / "cognito.json", {"user_pool_id": "us-east-1_AbC123", "client_id": "7abcd1234efgh",
                                     "sign_in_attribute": "email"})
    write_jsonl(ws / "users.jsonl", [{"external_id": f"dj-{i}", "email_address": [f"dj{i}@example.com"],
                                      "password_hasher": "pbkdf2_sha256_django",
                                      "password_digest": _django(PASSWORD if i == 0 else f"other {i}")}
                                     for i in range(3)])
    write_jsonl(ws / "spot-check.jsonl", [{"external_id": "dj-0", "password": PASSWORD}])
    with _env(ws, clerk_api):
        # Five snapshots in history, a generated project (web/, app/) and its config as the
        # pulled instance configs, a migration state.
        for source in ("clerk-requirements.yaml", "app.yaml", "healthcare.yaml"):
            assert main(["recommend", source]) == 0
        for profile in ("internal-tool", "payment-admin"):
            assert main(["recommend", str(examples / profile / "clerk-requirements.yaml")]) == 0
        # The file saved last has a change behind it (a role dropped, then brought back), so
        # a plain `diff` has two snapshots of it to compare.
        mine = ws / "clerk-requirements.yaml"
        text = mine.read_text()
        mine.write_text(text.replace("custom_roles: [billing, viewer]", "custom_roles: [billing]"))
        assert main(["recommend", "clerk-requirements.yaml"]) == 0
        mine.write_text(text)
        assert main(["recommend", "clerk-requirements.yaml"]) == 0
        assert main(["generate", "--stack", "nextjs", "--out", "web", "--quiet"]) == 0
        shutil.copytree(ws / "web", ws / "app")
        shutil.copy(ws / "web" / "clerk-config.json", ws / "dev.json")
        shutil.copy(ws / "web" / "clerk-config.json", ws / "prod.json")
        assert main(["migrate", "import", "users.jsonl", "--quiet"]) == 0
    return ws


@contextlib.contextmanager
def _env(cwd: Path, clerk_api: tuple[str, str]) -> Iterator[dict[str, str]]:
    url, key = clerk_api
    env = {"CLERK_API_URL": url, "CLERK_SECRET_KEY": key, "NO_COLOR": "1",
           "CLERK_ADVISOR_CACHE_DIR": str(cwd / ".cache"), "COLUMNS": "100"}
    saved = {k: os.environ.get(k) for k in env}
    here = Path.cwd()
    os.environ.update(env)
    os.chdir(cwd)
    try:
        yield env
    finally:
        os.chdir(here)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _shims(directory: Path) -> Path:
    """`clerk-advisor` (and `jq`, where none is installed) for the shell examples."""
    directory.mkdir(exist_ok=True)
    shim = directory / "clerk-advisor"
    shim.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -m advisor \"$@\"\n")
    shim.chmod(0o755)
    if shutil.which("jq") is None:
        jq = directory / "jq"
        jq.write_text(f"#!{sys.executable}\nimport json, sys\nvalue = json.load(sys.stdin)\n"
                      "for key in sys.argv[1].strip('.').split('.'):\n    value = value[key] if key else value\n"
                      "print(json.dumps(value, indent=2))\n")
        jq.chmod(0o755)
    return directory


def run_documented(command: str, cwd: Path, clerk_api: tuple[str, str]) -> tuple[int, str, str]:
    if re.search(r"[|>&;]|^[A-Z_]+=", command):
        with _env(cwd, clerk_api) as env:
            shell_env = {**os.environ, **env, "PYTHONPATH": str(ROOT),
                         "PATH": f"{_shims(cwd / '.bin')}{os.pathsep}{os.environ['PATH']}"}
        # `sk_test_...` stands for the reader's own development key.
        done = subprocess.run(["bash", "-c", command.replace("sk_test_...", clerk_api[1])], cwd=cwd, env=shell_env,
                              capture_output=True, text=True, timeout=120, check=False)
        return done.returncode, done.stdout, done.stderr
    out, err = io.StringIO(), io.StringIO()
    with _env(cwd, clerk_api), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(shlex.split(command)[1:])
    return code, out.getvalue(), err.getvalue()


def _prepare(command: str, ws: Path) -> Path:
    """What a reader of that example starts from, where it differs from the workspace; and
    the directory the example runs in."""
    if re.fullmatch(r"clerk-advisor ask --defaults", command):
        (ws / "clerk-requirements.yaml").unlink()  # `ask --defaults` writes a new file
    if "--adopt" in command and "--out ." in command:
        # Run inside the existing app; `../clerk-requirements.yaml` is the workspace's file.
        app = ws / "my-app"
        if "../" not in command:
            shutil.copy(ws / "clerk-requirements.yaml", app / "clerk-requirements.yaml")
        return app
    return ws


# ---------------------------------------------------------------- the tests


COMMANDS = documented()


def test_the_documentation_shows_examples_to_run():
    assert len([c for c in COMMANDS if not is_synopsis(c)]) > 30
    assert any(c.startswith("clerk-advisor migrate convert") for c in readme_commands())
    assert "clerk-advisor explain mfa.aal2-required --format json" in help_examples()


def split_setup(command: str) -> tuple[str, str]:
    """(the set-up a chain starts with, the clerk-advisor commands after it)."""
    parts = command.split(" && ")
    first = next(i for i, part in enumerate(parts) if "clerk-advisor" in part)
    return " && ".join(parts[:first]), " && ".join(p.removeprefix(".venv/bin/") for p in parts[first:])


def test_every_exception_is_still_documented():
    shown = COMMANDS + [split_setup(c)[0] for c in COMMANDS]
    assert [e for e in EXCEPTIONS if e not in shown] == []


@pytest.mark.parametrize("command", [c for c in COMMANDS if not is_synopsis(c) and c not in EXCEPTIONS])
def test_each_documented_command_runs(command, workspace, clerk_api, tmp_path):
    setup, rest = split_setup(command)
    if setup:  # installing first, then the command itself
        assert setup in EXCEPTIONS, f"{setup!r} is neither run nor listed as an exception"
        command = rest
        shutil.copytree(ROOT / "examples", tmp_path / "ws" / "examples")
    ws = tmp_path / "ws"
    shutil.copytree(workspace, ws, dirs_exist_ok=True, symlinks=True)
    cwd = _prepare(command, ws)
    code, out, err = run_documented(command, cwd, clerk_api)
    allowed = {0, 1} if command.startswith(MAY_FIND) else {0}
    assert code in allowed, f"{command}\nexit {code}\n{err[-3000:]}"
    assert "Traceback" not in err
    if "| jq .decisions" in command:
        assert "auth.mfa.policy" in json.loads(out)


@pytest.mark.parametrize("command", [c for c in COMMANDS if is_synopsis(c)])
def test_each_synopsis_names_options_the_command_has(command, workspace, clerk_api, tmp_path):
    words = command.split()
    name = words[1:3] if words[2:3] and re.fullmatch(r"[a-z]+", words[2]) and words[1] in ("rules", "migrate",
                                                                                           "docs") else words[1:2]
    text = _help(name)
    for option, values in re.findall(r"(?:^|(?<=[\s\[]))(--?[a-z][a-z-]*)(?:[= ]((?:[a-z0-9-]+\|)+[a-z0-9-]+))?",
                                     command):
        assert re.search(rf"(^|[\s\[,]){re.escape(option)}([\s\]=,]|$)", text, re.M), (command, option)
        for value in values.split("|") if values else []:
            assert value in text, (command, option, value)
    short = shortest_form(command)
    if short is not None and short not in EXCEPTIONS:
        ws = tmp_path / "ws"
        shutil.copytree(workspace, ws, symlinks=True)
        code, _, err = run_documented(short, ws, clerk_api)
        assert code in ({0, 1} if short.startswith(MAY_FIND) else {0}), f"{short}\n{err[-3000:]}"


# ---------------------------------------------------------------- README blocks


def _block_after(heading: str, lang: str, starts: str = "") -> list[str]:
    text = README.read_text(encoding="utf-8")
    offset = text.index(heading)
    first_line = text[:offset].count("\n") + 1
    return next(body for start, kind, body in code_blocks(text)
                if start > first_line and kind == lang and "\n".join(body).lstrip().startswith(starts))


def test_the_ask_transcript_is_what_ask_says():
    from advisor.ask.questions import all_questions, build_sections, get_path, with_value
    from advisor.ask.validation import problem
    from advisor.requirements import Requirements
    from advisor.values import as_yaml

    sections = build_sections()
    questions = all_questions(sections)
    transcript = _block_after("### ask: the questionnaire", "text", "$ clerk-advisor ask")
    assert transcript[1] == (f"Answers go to clerk-requirements.yaml (a new file). {len(sections)} sections, at "
                             f"most {len(questions)} questions; <enter> keeps the value shown, Ctrl-C stops "
                             "without writing anything.")
    data = Requirements().to_data()
    asked = 0
    for i, line in enumerate(transcript):
        header = re.match(r"Section (\d+) of (\d+): (.+)", line)
        if header:
            section = sections[int(header.group(1)) - 1]
            assert (int(header.group(2)), header.group(3)) == (len(sections), section.title)
            if transcript[i + 1].startswith("  ") and transcript[i + 1].strip() != "...":
                assert transcript[i + 1].strip() == section.explanation
        if not line.startswith("? ") or line.startswith(("? Write", "? Show")):
            continue
        question = next(q for q in questions if line[2:].startswith(q.text))
        typed = line[2 + len(question.text):]
        typed = typed.replace("(comma-separated, empty for none)", "").replace("(a whole number)", "").strip()
        answer = question.parse(typed) if question.kind in ("text", "list", "integer") else (
            [c for c in question.choices if c in typed.split(", ")] if question.kind == "checkbox"
            else next(c for c in question.choices if str(c) == typed))
        said = problem(question, data, answer)
        following = transcript[i + 1] if i + 1 < len(transcript) else ""
        if following.startswith("  ") and not following.strip().startswith("..."):
            assert said == following.strip(), line
        else:
            assert said is None, (line, said)
            data = with_value(data, question.path, answer)
        asked += 1
    assert asked >= 8
    # The summary: real keys, their defaults, and what the transcript answered.
    defaults = Requirements().to_data()
    answered = {q.key for q in questions if get_path(data, q.path) != get_path(defaults, q.path)}
    summary = transcript[transcript.index("Summary: answers that differ from the defaults") + 1:]
    rows = [row for row in summary[:next(i for i, r in enumerate(summary) if not r.startswith("   "))]]
    for row in rows:
        key, rest = row.split(None, 1)
        value, default = rest.split("(default ")
        path = tuple(key.split("."))
        assert default.rstrip(")") == as_yaml(get_path(defaults, path)), row
        if key in answered:
            assert value.strip() == as_yaml(get_path(data, path)), row
    assert answered <= {row.split()[0] for row in rows}


def test_the_requirements_file_shown_is_every_default():
    from advisor.requirements import Requirements, parse_requirements

    block = "\n".join(_block_after("## The requirements file", "yaml"))
    assert parse_requirements(block, "README.md")[0] == Requirements()


def test_the_rule_shown_is_the_shipped_rule():
    from advisor.yamlio import load_fast

    block = load_fast("\n".join(_block_after("## The rule pack", "yaml")), "README.md")
    [rule] = block
    shipped = next(r for path in sorted((ROOT / "rules").glob("*.yaml")) if path.name not in
                   ("pack.yaml", "references.yaml") for r in load_fast(path.read_text(), path.name)
                   if r["id"] == rule["id"])
    assert rule == shipped
