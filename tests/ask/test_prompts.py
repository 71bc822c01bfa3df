"""Keystrokes through prompt_toolkit's pipe input: what a person types, what ask keeps."""

from __future__ import annotations

import io

import pytest
from ask_terminal import CTRL_C, CTRL_D, CTRL_U, DOWN, ENTER, SPACE, UP

from advisor.ask import prompts
from advisor.ask.questions import all_questions, build_sections, get_path, with_value
from advisor.ask.session import questionnaire
from advisor.ask.validation import problem
from advisor.errors import Interrupted

SECTIONS = build_sections()
QUESTIONS = {q.key: q for q in all_questions(SECTIONS)}


def ask(key: str, data: dict):
    question = QUESTIONS[key]
    return prompts.ask(question, get_path(data, question.path), lambda c: problem(question, data, c))


def section(key: str):
    return tuple(s for s in SECTIONS if s.key == key)


def test_select_moves_with_arrows_from_the_current_value(terminal, defaults):
    terminal.send(DOWN + ENTER)
    assert ask("platforms.web", defaults) == "react"
    terminal.send(DOWN + DOWN + UP + ENTER)  # starts on nextjs; none, then back to react
    assert ask("platforms.web", defaults) == "react"


def test_select_keeps_int_choices_as_ints(terminal, defaults):
    terminal.send(UP + ENTER)
    assert ask("platforms.nextjs_version", defaults) == 15


def test_checkbox_ticks_with_space(terminal, defaults):
    terminal.send(SPACE + DOWN + DOWN + SPACE + ENTER)
    assert ask("platforms.mobile", defaults) == ["expo", "android"]


def test_checkbox_starts_from_the_current_list_and_keeps_the_model_order(terminal, defaults):
    data = with_value(defaults, ("platforms", "backends"), ["django"])
    terminal.send(DOWN + DOWN + DOWN + SPACE + UP + SPACE + UP + UP + SPACE + ENTER)  # +express -django +fastapi
    assert ask("platforms.backends", data) == ["fastapi", "express"]


def test_long_checkbox_lists_filter_as_you_type(terminal, defaults):
    terminal.send("user.del" + SPACE + ENTER)
    assert ask("integrations.webhooks", defaults) == ["user.deleted"]


def test_confirm_takes_y_n_or_enter_for_the_current_value(terminal, defaults):
    terminal.send("y")
    assert ask("integrations.m2m", defaults) is True
    terminal.send(ENTER)
    assert ask("preferences.passkeys", defaults) is True
    terminal.send("n")
    assert ask("preferences.passkeys", defaults) is False


def test_validation_error_is_shown_then_corrected(terminal, defaults):
    terminal.script(
        ("What is the project called?", CTRL_U + "Acme Corp" + ENTER),
        ('project name "Acme Corp" is not valid', CTRL_U + "acme-corp" + ENTER),
    )
    assert ask("project.name", defaults) == "acme-corp"
    assert "allowed: 1-64 characters of a-z, 0-9 and -, starting with a letter" in terminal.text


def test_integer_answers_are_checked_like_the_file(terminal, defaults):
    terminal.script(
        ("How many monthly active users", CTRL_U + "lots" + ENTER),
        ('expected a whole number, got "lots"', CTRL_U + "25000" + ENTER),
    )
    assert ask("users.expected_mau", defaults) == 25000


def test_thousands_may_be_grouped(terminal, defaults):
    terminal.script(("How many monthly active users", CTRL_U + "5,000" + ENTER))
    assert ask("users.expected_mau", defaults) == 5000


def test_the_message_is_right_under_the_question_and_the_answer_is_asked_again(terminal, defaults):
    data = with_value(defaults, ("tenancy", "organizations"), "required")
    terminal.script(
        ("Which roles beyond admin and member", "billing, Finance" + ENTER),
        ("role key 'Finance' must be", ENTER),  # the typed text is there again: fix it, or not
        ("role key 'Finance' must be", CTRL_U + "billing, viewer" + ENTER),
    )
    assert ask("tenancy.custom_roles", data) == ["billing", "viewer"]
    # The line after the answer, not the terminal's last row.
    assert "Finance\n  role key 'Finance' must be 1-40 characters of a-z, 0-9 and _, starting with a letter\n" \
        in terminal.text


def test_empty_means_empty_not_null(terminal, defaults):
    terminal.script(
        ("Longest a session may last", CTRL_U + "0" + ENTER),
        ("greater than or equal to 1", CTRL_U + ENTER),
    )
    assert ask("preferences.session_max_lifetime_hours", defaults) is None
    assert "or empty)" in terminal.text and "null" not in terminal.text


def test_a_multi_select_echoes_the_values_chosen(terminal, defaults):
    terminal.send(SPACE + DOWN + DOWN + SPACE + ENTER)
    assert ask("platforms.mobile", defaults) == ["expo", "android"]
    # The screen is a log of every redraw (one may show questionary's "done (2 selections)"
    # before the prompt erases itself): what stays is the last line with the question.
    last = terminal.text.rindex("? Which mobile apps sign users in?")
    assert terminal.text[last:].startswith("? Which mobile apps sign users in? expo, android\n")


def test_regions_global_and_another_are_refused_together(terminal, defaults):
    terminal.script(
        ("Where are your users?", DOWN + SPACE + ENTER),  # eu, with global still ticked
        ("global already covers every region", DOWN * 5 + SPACE + ENTER),  # untick global
    )
    assert ask("users.regions", defaults) == ["eu"]


def test_free_lists_are_comma_separated_and_checked(terminal, defaults):
    data = with_value(defaults, ("tenancy", "organizations"), "required")
    terminal.script(
        ("Which roles beyond admin and member", "billing, Admin" + ENTER),
        ("role key 'Admin' must be 1-40 characters", CTRL_U + "billing, viewer" + ENTER),
    )
    assert ask("tenancy.custom_roles", data) == ["billing", "viewer"]


def test_empty_multi_select_is_refused_when_the_model_needs_one(terminal, defaults):
    terminal.script(
        ("Where are your users?", DOWN * 5 + SPACE + ENTER),  # untick global: nothing left
        ("needs at least 1 item", DOWN + SPACE + ENTER),  # asked again from the top: eu
    )
    assert ask("users.regions", defaults) == ["eu"]


@pytest.mark.parametrize("key", ["platforms.web", "platforms.mobile", "integrations.m2m", "project.name"])
@pytest.mark.parametrize("keys", [CTRL_C, CTRL_D], ids=["ctrl-c", "ctrl-d"])
def test_ctrl_c_and_ctrl_d_interrupt_every_kind_of_prompt(terminal, defaults, key, keys):
    terminal.send(keys)
    with pytest.raises(Interrupted, match="interrupted; nothing was written"):
        ask(key, defaults)


def recording(asked: list[str]):
    def prompt(question, current, check):
        asked.append(question.key)
        return prompts.ask(question, current, check)

    return prompt


def test_no_organizations_skips_every_organization_question(terminal, defaults):
    start = with_value(defaults, ("tenancy", "enterprise_sso"), True)  # left over from an earlier answer
    asked: list[str] = []
    terminal.send(ENTER)  # organizations: none
    out = io.StringIO()
    data = questionnaire(start, section("tenancy"), out=out, prompt=recording(asked))
    assert asked == ["tenancy.organizations"]
    assert data["tenancy"] == start["tenancy"]  # skipped questions keep their value
    assert "Section 1 of 1: Tenancy" in out.getvalue()
    assert "how those are managed" in out.getvalue()


def test_organizations_bring_their_questions(terminal, defaults):
    asked: list[str] = []
    terminal.send(DOWN + DOWN + ENTER + "y" + "y" + "n" + "billing" + ENTER)
    data = questionnaire(defaults, section("tenancy"), out=io.StringIO(), prompt=recording(asked))
    assert asked == ["tenancy.organizations", "tenancy.users_in_many_orgs", "tenancy.enterprise_sso",
                     "tenancy.domain_auto_join", "tenancy.custom_roles"]
    assert data["tenancy"] == {"organizations": "required", "users_in_many_orgs": True, "enterprise_sso": True,
                               "domain_auto_join": False, "custom_roles": ["billing"]}


def test_nextjs_version_is_asked_only_for_nextjs(terminal, defaults):
    asked: list[str] = []
    terminal.send(DOWN + ENTER + ENTER + "n" + ENTER)  # react; mobile none; no extension; no backends
    data = questionnaire(defaults, section("platforms"), out=io.StringIO(), prompt=recording(asked))
    assert "platforms.nextjs_version" not in asked
    assert data["platforms"]["web"] == "react"
    assert data["platforms"]["nextjs_version"] == 16


def test_headers_number_the_sections(terminal, defaults):
    out = io.StringIO()
    terminal.send(ENTER * 4)  # name, audience, monthly users, regions
    questionnaire(defaults, section("project") + section("users"), out=out)
    assert "Section 1 of 2: Project" in out.getvalue()
    assert "Section 2 of 2: Audience and users" in out.getvalue()
