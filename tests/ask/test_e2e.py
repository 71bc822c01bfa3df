"""The real `clerk-advisor ask` in a pseudo-terminal, driven by pexpect like a person:
arrows, space and enter, each sent once its question is on the screen.

PROMPT_TOOLKIT_NO_CPR=1: pexpect does not answer the cursor position request that a
real terminal answers, and prompt_toolkit would wait for it on every prompt.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ask_terminal import CTRL_C, CTRL_D, CTRL_U, DOWN, ENTER, SPACE, answers_script

from advisor.ask.questions import with_value
from advisor.requirements import Requirements, load_requirements

pexpect = pytest.importorskip("pexpect")

ADVISOR = [sys.executable, "-m", "advisor"]
ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1", "NO_COLOR": "1",
       "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}

B2B_KEYS = {
    "project.name": CTRL_U + "acme-b2b" + ENTER,
    "platforms.chrome_extension": "n",
    "platforms.backends": SPACE + ENTER,                        # fastapi
    "audience": DOWN + ENTER,                                   # b2b
    "users.expected_mau": CTRL_U + "20000" + ENTER,
    "users.regions": DOWN + SPACE + DOWN * 4 + SPACE + ENTER,   # tick eu, untick global
    "tenancy.organizations": DOWN + DOWN + ENTER,               # required
    "tenancy.users_in_many_orgs": "y",
    "tenancy.enterprise_sso": "y",
    "tenancy.domain_auto_join": "y",
    "tenancy.custom_roles": "billing, viewer" + ENTER,
    "threat_model.data_sensitivity": DOWN + ENTER,              # internal -> confidential
    "threat_model.compliance": DOWN + DOWN + SPACE + ENTER,     # soc2
    "threat_model.privileged_users": "y",
    "preferences.social_providers": SPACE + ENTER,              # google
    "preferences.multi_session": "n",
    "integrations.m2m": "y",
    "integrations.api_keys": "n",
    "integrations.webhooks": SPACE + DOWN + SPACE + ENTER,      # user.created, user.updated
    "integrations.billing": "n",
}


def b2b_answers() -> dict:
    data = Requirements().to_data()
    for key, value in {
        "project.name": "acme-b2b", "platforms.backends": ["fastapi"], "audience": "b2b",
        "users.expected_mau": 20000, "users.regions": ["eu"], "tenancy.organizations": "required",
        "tenancy.users_in_many_orgs": True, "tenancy.enterprise_sso": True, "tenancy.domain_auto_join": True,
        "tenancy.custom_roles": ["billing", "viewer"], "threat_model.data_sensitivity": "confidential",
        "threat_model.compliance": ["soc2"], "threat_model.privileged_users": True,
        "preferences.social_providers": ["google"], "integrations.m2m": True,
        "integrations.webhooks": ["user.created", "user.updated"],
    }.items():
        data = with_value(data, tuple(key.split(".")), value)
    return data


def spawn(cwd: Path, *args: str):
    child = pexpect.spawn(ADVISOR[0], [*ADVISOR[1:], *args], cwd=str(cwd), env=ENV,
                          dimensions=(40, 120), encoding="utf-8", timeout=15)
    return child


def play(child, steps) -> None:
    for text, keys in steps:
        child.expect_exact(text)
        child.send(keys)


def finish(child) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


@pytest.fixture(scope="module")
def b2b_questionnaire(tmp_path_factory) -> Path:
    """(a) a whole B2B questionnaire, answered with arrows, space, enter and y/n."""
    workdir = tmp_path_factory.mktemp("b2b")
    target = workdir / "clerk-requirements.yaml"
    child = spawn(workdir, "ask", "-o", target.name)
    play(child, answers_script(b2b_answers(), B2B_KEYS))
    child.expect_exact("Summary: answers that differ from the defaults")
    play(child, [(f"Write {target.name}?", "y"), (f"wrote {target.name}", ""), ("Show the recommendation now?", "n")])
    assert finish(child) == 0
    return target


@pytest.fixture
def b2b_file(b2b_questionnaire, tmp_path) -> Path:
    """A fresh copy of the file the B2B questionnaire wrote."""
    copy = tmp_path / b2b_questionnaire.name
    copy.write_bytes(b2b_questionnaire.read_bytes())
    return copy


def test_a_whole_b2b_questionnaire(b2b_file, tmp_path):
    assert load_requirements(b2b_file).to_data() == b2b_answers()
    text = b2b_file.read_text()
    assert "# Tenancy: Whether users belong to organizations" in text
    assert "  custom_roles: [billing, viewer]\n" in text
    done = subprocess.run([*ADVISOR, "recommend", str(b2b_file), "--no-save", "--format", "json"],
                          capture_output=True, text=True, cwd=tmp_path, env=ENV, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    snapshot = json.loads(done.stdout)["requirements"]
    assert "migration" not in snapshot, "an optional section at its defaults is left out of the snapshot"
    assert {**snapshot, "migration": Requirements().to_data()["migration"]} == b2b_answers()


def test_b_editing_keeps_a_hand_written_comment(b2b_file, tmp_path):
    text = b2b_file.read_text().replace(
        "tenancy:\n", "# Enterprise customers (Okta, Entra) since 2026-10.\ntenancy:\n", 1
    ).replace("  m2m: true\n", "  m2m: true   # billing service -> ledger\n", 1)
    b2b_file.write_text(text)
    final = with_value(b2b_answers(), ("preferences", "mfa"), "required")
    child = spawn(tmp_path, "ask", "-o", b2b_file.name)
    child.expect_exact("every answer starts from its current value")
    play(child, answers_script(final, {"preferences.mfa": DOWN * 3 + ENTER}))
    child.expect_exact("preferences.mfa")  # the summary marks the change
    play(child, [(f"Write {b2b_file.name}?", "y"), ("Show the recommendation now?", "y")])
    child.expect_exact("Clerk architecture for acme-b2b")
    assert finish(child) == 0
    assert load_requirements(b2b_file).to_data() == final
    edited = b2b_file.read_text()
    # only the value changed; its end-of-line comment keeps its column
    assert edited == re.sub(r"\n  mfa: auto {4}", "\n  mfa: required", text, count=1)
    assert "# Enterprise customers (Okta, Entra) since 2026-10.\ntenancy:\n" in edited
    assert "  m2m: true   # billing service -> ledger\n" in edited


@pytest.mark.parametrize("key", [CTRL_C, CTRL_D], ids=["ctrl-c", "ctrl-d"])
def test_c_interrupting_midway_writes_nothing(b2b_file, tmp_path, key):
    before = b2b_file.read_bytes()
    final = with_value(b2b_answers(), ("audience", ), "internal")
    steps = answers_script(final, {"audience": DOWN + ENTER})
    midway = next(i for i, (text, _) in enumerate(steps) if text.startswith("Do users work inside organizations"))
    child = spawn(tmp_path, "ask", "-o", b2b_file.name)
    play(child, steps[:midway])  # the audience has changed by now
    child.expect_exact(steps[midway][0])
    child.send(key)
    child.expect_exact("interrupted; nothing was written")
    assert finish(child) == 130
    assert b2b_file.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".clerk-advisor")) == [b2b_file.name]


def test_d_without_a_terminal_it_exits_2_at_once(tmp_path):
    start = time.monotonic()
    done = subprocess.run([*ADVISOR, "ask", "-o", "r.yaml"], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, cwd=tmp_path, env=ENV, timeout=30, check=False)
    assert done.returncode == 2
    assert "needs an interactive terminal" in done.stderr
    assert "clerk-advisor ask --help" in done.stderr
    assert time.monotonic() - start < 10
    assert not (tmp_path / "r.yaml").exists()


def test_d_stdout_to_a_pipe_is_no_terminal_either(tmp_path):
    child = pexpect.spawn("/bin/sh", ["-c", f"{' '.join(ADVISOR)} ask -o r.yaml | cat"], cwd=str(tmp_path),
                          env=ENV, encoding="utf-8", timeout=15)
    child.expect_exact("stdout is not one")
    assert finish(child) == 0  # the exit status of `cat`; the message is what matters


def test_e_a_hand_written_file_keeps_every_byte_but_the_changed_value(tmp_path):
    # A byte order mark, Windows line ends, 4-space mappings with indented block lists, and
    # comments at columns of the author's choosing.
    text = ("\ufeff# Shop, reviewed 2026-11\r\nschema: 1\r\naudience: b2b        # companies\r\n"
            "tenancy:\r\n    organizations: required\r\n    custom_roles:\r\n        - billing   # finance\r\n"
            "        - viewer\r\n")
    target = tmp_path / "shop.yaml"
    target.write_bytes(text.encode("utf-8"))
    final = with_value(load_requirements(target).to_data(), ("audience",), "internal")
    child = spawn(tmp_path, "ask", "-o", target.name)
    play(child, answers_script(final, {"audience": DOWN + ENTER}))
    play(child, [(f"Write {target.name}?", "y"), ("Show the recommendation now?", "n")])
    assert finish(child) == 0
    assert target.read_bytes() == text.replace("audience: b2b        #", "audience: internal   #").encode("utf-8")


def test_f_a_bad_value_is_repaired_in_a_real_terminal(tmp_path):
    target = tmp_path / "r.yaml"
    target.write_text("schema: 1\naudience: b2b\nusers:\n  expected_mau: 5,000   # from sales\n")
    final = with_value(with_value(Requirements().to_data(), ("audience",), "b2b"), ("users", "expected_mau"), 5000)
    child = spawn(tmp_path, "ask", "-o", target.name)
    child.expect_exact("it has 1 problem; its question comes first")
    child.expect_exact('users.expected_mau: line 4: expected a whole number, got "5,000"')
    child.expect_exact("How many monthly active users")
    child.send(ENTER)  # the bad value is in the field; as typed, 5,000 now reads as 5000
    steps = [s for s in answers_script(final) if not s[0].startswith("How many monthly active users")]
    play(child, steps)
    play(child, [(f"Write {target.name}?", "y"), ("Show the recommendation now?", "n")])
    assert finish(child) == 0
    assert target.read_text() == "schema: 1\naudience: b2b\nusers:\n  expected_mau: 5000    # from sales\n"
