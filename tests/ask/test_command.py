"""`clerk-advisor ask` as a command, in process: files, messages, exit codes.

The questionnaire runs on the in-process terminal (conftest.py); `ask` is told that
it has a terminal, which is the one thing this process cannot give it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from ask_terminal import CTRL_C, DOWN, ENTER, answers_script

from advisor.ask.document import new_document
from advisor.ask.questions import build_sections, with_value
from advisor.cli import main
from advisor.requirements import Requirements, load_requirements

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tty(monkeypatch):
    import advisor.ask.interview as command

    monkeypatch.setattr(command, "_require_terminal", lambda: None)
    monkeypatch.setattr(command, "_is_terminal", lambda: True)


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # recommend keeps its history in the current directory
    return tmp_path


def test_defaults_writes_every_field_without_a_terminal(tmp_path, capsys):
    target = tmp_path / "conf" / "app.yaml"
    assert main(["ask", "--defaults", "-o", str(target)]) == 0
    assert load_requirements(target) == Requirements()
    assert target.read_text() == new_document(Requirements().to_data(), build_sections())
    assert f"wrote {target}" in capsys.readouterr().err


def test_defaults_goes_to_the_default_file_name(tmp_path):
    assert main(["ask", "--defaults"]) == 0
    assert load_requirements(tmp_path / "clerk-requirements.yaml") == Requirements()


def test_defaults_refuses_to_overwrite_without_force(tmp_path, capsys):
    target = tmp_path / "clerk-requirements.yaml"
    target.write_text("schema: 1  # mine\n")
    assert main(["ask", "--defaults", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"{target} already exists; nothing was written" in err
    assert "--force" in err
    assert target.read_text() == "schema: 1  # mine\n"
    assert main(["ask", "--defaults", "--force", "-o", str(target)]) == 0
    assert load_requirements(target) == Requirements()


def test_force_belongs_to_defaults(capsys):
    assert main(["ask", "--force"]) == 2
    assert "--force only applies to --defaults" in capsys.readouterr().err


def test_without_a_terminal_it_explains_what_to_do(tmp_path, capsys):
    # pytest's stdin is not a terminal
    assert main(["ask", "-o", str(tmp_path / "r.yaml")]) == 2
    err = capsys.readouterr().err
    assert "needs an interactive terminal" in err
    assert "clerk-advisor ask --defaults" in err and "clerk-advisor ask --help" in err
    assert not (tmp_path / "r.yaml").exists()


def test_a_bad_existing_file_gets_the_loaders_message(tmp_path, capsys, tty):
    target = tmp_path / "r.yaml"
    target.write_text("schema: 1\ntenancy:\n  organisations: required\n")
    assert main(["ask", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"error: {target}:3:3: tenancy.organisations: unknown key 'organisations'" in err
    assert "did you mean 'organizations'?" in err


def test_help_describes_the_command_with_examples(capsys):
    with pytest.raises(SystemExit) as done:
        main(["ask", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "clerk-advisor ask --defaults" in out
    assert "Ctrl-C" in out and "edited in" in out  # the keys, and what happens to an existing file
    for flag in ("-o FILE", "--defaults", "--force"):
        assert flag in out


def test_new_file_from_the_questionnaire(terminal, tty, tmp_path, capsys):
    target = tmp_path / "r.yaml"
    final = with_value(Requirements().to_data(), ("audience",), "b2b")
    terminal.script(*answers_script(final, {"audience": DOWN + ENTER}),
                    ("Write", "y"), ("Show the recommendation now?", "n"))
    assert main(["ask", "-o", str(target)]) == 0
    assert load_requirements(target).to_data() == final
    assert target.read_text() == new_document(final, build_sections())
    out = capsys.readouterr()
    assert "Section 3 of 8: Audience and users" in out.out
    assert "Summary: answers that differ from the defaults" in out.out
    assert re.search(r"\n   audience +b2b +\(default b2c\)\n", out.out)
    assert f"wrote {target}" in out.err


def test_editing_keeps_comments_and_changes_one_value(terminal, tty, tmp_path, capsys):
    target = tmp_path / "r.yaml"
    original = ("# Shop requirements; ask security before changing the threat model.\n"
                "schema: 1\n"
                "project:\n  name: shop   # the brand\n"
                "tenancy:\n  organizations: required\n  custom_roles: [billing]   # finance team\n")
    target.write_text(original)
    before = load_requirements(target).to_data()
    final = with_value(before, ("preferences", "mfa"), "required")
    terminal.script(*answers_script(final, {"preferences.mfa": DOWN * 3 + ENTER}),
                    ("Write", "y"), ("Show the recommendation now?", "n"))
    assert main(["ask", "-o", str(target)]) == 0
    assert load_requirements(target).to_data() == final
    assert target.read_text() == original + "\n# Preferences: Your wishes. Rules may override them when a " \
        "standard requires it, and say so.\npreferences:\n  mfa: required\n"
    out = capsys.readouterr().out
    assert "* preferences.mfa" in out and "was auto" in out
    assert "Editing" in out and "every answer starts from its current value" in out


def test_no_change_leaves_the_file_alone(terminal, tty, tmp_path, capsys):
    target = tmp_path / "r.yaml"
    target.write_text("schema: 1\naudience: internal   # staff only\n")
    before = target.stat().st_mtime_ns
    terminal.script(*answers_script(load_requirements(target).to_data()), ("Show the recommendation now?", "n"))
    assert main(["ask", "-o", str(target)]) == 0
    assert target.read_text() == "schema: 1\naudience: internal   # staff only\n"
    assert target.stat().st_mtime_ns == before
    assert "Nothing changed" in capsys.readouterr().out


def test_declining_to_write_writes_nothing(terminal, tty, tmp_path, capsys):
    target = tmp_path / "r.yaml"
    terminal.script(*answers_script(Requirements().to_data()), ("Write", "n"))
    assert main(["ask", "-o", str(target)]) == 0
    assert not target.exists()
    assert "was not written" in capsys.readouterr().err


def test_ctrl_c_at_the_last_moment_leaves_the_file_as_it_was(terminal, tty, tmp_path, capsys):
    target = tmp_path / "r.yaml"
    target.write_bytes(b"schema: 1\r\naudience: b2b\r\n")
    final = with_value(load_requirements(target).to_data(), ("integrations", "m2m"), True)
    terminal.script(*answers_script(final, {"integrations.m2m": "y"}), ("Write", CTRL_C))
    assert main(["ask", "-o", str(target)]) == 130
    assert target.read_bytes() == b"schema: 1\r\naudience: b2b\r\n"
    assert capsys.readouterr().err.strip() == "interrupted; nothing was written"
    assert [p.name for p in tmp_path.iterdir()] == ["r.yaml"]  # no temporary file left


def test_the_recommendation_follows_on_request(terminal, tty, tmp_path, capsys):
    target = tmp_path / "r.yaml"
    terminal.script(*answers_script(Requirements().to_data()), ("Write", "y"), ("Show the recommendation now?", "y"))
    assert main(["ask", "-o", str(target)]) == 0
    out = capsys.readouterr()
    assert "Clerk architecture for acme" in out.out
    assert (tmp_path / ".clerk-advisor" / "history").is_dir()  # as `recommend FILE` does


def _modules_after(code: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


HEAVY = {"questionary", "prompt_toolkit"}


def test_recommend_never_imports_the_questionnaire(tmp_path):
    req = tmp_path / "req.yaml"
    req.write_text("schema: 1\naudience: b2b\ntenancy:\n  organizations: required\n")
    loaded = _modules_after(
        f"from advisor.cli import main\nassert main(['recommend', {str(req)!r}, '--no-save']) == 0")
    assert not {m.split(".")[0] for m in loaded} & HEAVY


def test_ask_help_and_the_command_module_do_not_import_the_questionnaire():
    loaded = _modules_after(
        "import advisor.commands.ask, advisor.ask, advisor.ask.prompts\n"
        "from advisor.cli import build_parser\nbuild_parser()")
    assert not {m.split(".")[0] for m in loaded} & HEAVY


def test_a_file_with_windows_line_ends_is_edited(terminal, tty, tmp_path):
    target = tmp_path / "r.yaml"
    target.write_bytes(b"schema: 1\r\naudience: b2b   # companies\r\n")
    final = with_value(load_requirements(target).to_data(), ("integrations", "billing"), True)
    terminal.script(*answers_script(final, {"integrations.billing": "y"}),
                    ("Write", "y"), ("Show the recommendation now?", "n"))
    assert main(["ask", "-o", str(target)]) == 0
    assert target.read_bytes().startswith(b"schema: 1\r\naudience: b2b   # companies\r\n")
    assert load_requirements(target).to_data() == final


def test_a_file_changed_by_someone_else_meanwhile_is_not_overwritten(terminal, tty, tmp_path, capsys, monkeypatch):
    from advisor.ask import prompts

    target = tmp_path / "r.yaml"
    target.write_text("schema: 1\n")
    real_ask = prompts.ask

    def ask_while_an_editor_saves(question, current, check):
        if question.key == "integrations.billing":
            target.write_text("schema: 1\naudience: internal  # saved from the editor\n")
        return real_ask(question, current, check)

    monkeypatch.setattr(prompts, "ask", ask_while_an_editor_saves)
    final = with_value(Requirements().to_data(), ("integrations", "billing"), True)
    terminal.script(*answers_script(final, {"integrations.billing": "y"}), ("Write", "y"))
    assert main(["ask", "-o", str(target)]) == 2
    assert "changed on disk while you were answering; nothing was written" in capsys.readouterr().err
    assert target.read_text() == "schema: 1\naudience: internal  # saved from the editor\n"


# ---------------------------------------------------------------- repairing a bad file

BROKEN = ("schema: 1\n"
          "users:\n"
          "    expected_mau: lots      # a guess\n"
          "tenancy:\n"
          "    organizations: required\n"
          "    custom_roles:\n"
          "        - billing\n"
          "        - Finance         # the finance team\n")


def repair_script(final: dict, repairs: dict[str, str], keys: dict[str, str] | None = None):
    """The repair questions first (their keys), then every other question of `final`."""
    from advisor.ask.questions import all_questions
    from ask_terminal import prompt_text

    questions = {q.key: q for q in all_questions(build_sections())}
    first = [(prompt_text(questions[key]), typed) for key, typed in repairs.items()]
    rest = [step for step in answers_script(final, keys)
            if step[0] not in {prompt_text(questions[key]) for key in repairs}]
    return first + rest


def test_a_file_with_bad_values_is_repaired_by_asking_those_questions_first(terminal, tty, tmp_path, capsys):
    from ask_terminal import CTRL_U

    target = tmp_path / "r.yaml"
    target.write_text(BROKEN)
    final = with_value(with_value(Requirements().to_data(), ("users", "expected_mau"), 5000),
                       ("tenancy", "organizations"), "required")
    final = with_value(final, ("tenancy", "custom_roles"), ["billing", "finance"])
    terminal.script(*repair_script(final, {"users.expected_mau": CTRL_U + "5,000" + ENTER,
                                           "tenancy.custom_roles": CTRL_U + "billing, finance" + ENTER}),
                    ("Write", "y"), ("Show the recommendation now?", "n"))
    assert main(["ask", "-o", str(target)]) == 0
    out = capsys.readouterr().out
    assert f"Editing {target}: it has 2 problems; their questions come first" in out
    assert "Problems in the file first\n" \
           '  users.expected_mau: line 3: expected a whole number, got "lots"' in out
    assert "  tenancy.custom_roles: line 6: role key 'Finance' must be 1-40 characters" in out
    # The bad value is where the person types: the roles prompt starts from it.
    assert "illing, Finance" in terminal.text  # (the screen wraps the long question)
    assert load_requirements(target).to_data() == final
    assert target.read_text() == BROKEN.replace("lots     ", "5000     ").replace("Finance ", "finance ")
    assert "Section 1 of 8" in out  # then the rest of the questionnaire


def test_a_bad_file_without_a_terminal_exits_2_with_every_problem(tmp_path, capsys):
    target = tmp_path / "r.yaml"
    target.write_text(BROKEN)
    assert main(["ask", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"error: {target}:3:19: users.expected_mau: expected a whole number" in err
    assert f"error: {target}:6:5: tenancy.custom_roles: role key 'Finance'" in err
    assert target.read_text() == BROKEN


def test_stopping_a_repair_midway_leaves_the_file_as_it_was(terminal, tty, tmp_path, capsys):
    from ask_terminal import CTRL_U

    target = tmp_path / "r.yaml"
    target.write_text(BROKEN)
    terminal.script(("How many monthly active users", CTRL_U + "5000" + ENTER),
                    ("Which roles beyond admin and member", CTRL_C))
    assert main(["ask", "-o", str(target)]) == 130
    assert target.read_text() == BROKEN


def test_a_problem_no_question_answers_is_reported_as_before(tmp_path, capsys, tty):
    target = tmp_path / "r.yaml"
    target.write_text(BROKEN + "extra: 1\n")
    assert main(["ask", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert "unknown key 'extra'" in err and "expected a whole number" in err


def test_webhook_events_for_organizations_are_offered_only_with_organizations(terminal, tty, tmp_path, capsys):
    from advisor.ask import prompts

    offered: dict[str, tuple] = {}
    real_ask = prompts.ask

    def recording(question, current, check):
        offered[question.key] = question.choices
        return real_ask(question, current, check)

    import pytest as _pytest
    with _pytest.MonkeyPatch.context() as patch:
        patch.setattr(prompts, "ask", recording)
        target = tmp_path / "r.yaml"
        terminal.script(*answers_script(Requirements().to_data()), ("Write", "n"))
        assert main(["ask", "-o", str(target)]) == 0
    events = offered["integrations.webhooks"]
    assert "user.created" in events
    assert not [e for e in events if e.startswith(("organization", "role.", "permission."))]
