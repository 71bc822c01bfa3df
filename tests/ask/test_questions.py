"""The questionnaire is read from the Requirements model: sections, kinds, conditions,
and validation messages identical to the file loader's."""

from __future__ import annotations

from typing import Literal

import pytest
from pydantic import Field

from advisor.ask.questions import all_questions, build_sections, with_value
from advisor.ask.validation import problem
from advisor.errors import UserError
from advisor.requirements import parse_requirements
from advisor.requirements.model import SECTIONS, Integrations, RequirementsModel, when

SECTIONS_ = build_sections()
QUESTIONS = {q.key: q for q in all_questions(SECTIONS_)}


def test_sections_follow_the_model_order_with_audience_joining_users():
    assert [s.title for s in SECTIONS_] == [
        "Project", "Platforms", "Audience and users", "Tenancy", "Threat model", "Preferences", "Integrations",
        "Migration",
    ]
    assert [s.key for s in SECTIONS_] == [k for k in SECTIONS if k != "audience"]
    users = SECTIONS_[2]
    assert [q.key for q in users.questions] == ["audience", "users.expected_mau", "users.regions"]
    assert users.explanation == "Who signs in, how many, and where."


def test_every_field_of_the_model_is_asked_except_the_schema_version():
    leaves = {f"{s}.{i.alias or k}" for s, f in RequirementsModel.model_fields.items()
              if hasattr(f.annotation, "model_fields") for k, i in f.annotation.model_fields.items()} | {"audience"}
    assert set(QUESTIONS) == leaves


def test_question_text_and_kind_come_from_the_field():
    web = QUESTIONS["platforms.web"]
    assert (web.kind, web.choices, web.text) == ("select", ("nextjs", "react", "none"),
                                                 "Which web front end does the app have?")
    assert QUESTIONS["platforms.nextjs_version"].choices == (15, 16)
    assert QUESTIONS["platforms.mobile"].kind == "checkbox"
    assert QUESTIONS["platforms.chrome_extension"].kind == "confirm"
    assert QUESTIONS["users.expected_mau"].kind == "integer"
    assert QUESTIONS["tenancy.custom_roles"].kind == "list"
    hours = QUESTIONS["preferences.session_max_lifetime_hours"]
    assert (hours.kind, hours.nullable) == ("integer", True)
    assert QUESTIONS["project.name"].kind == "text"


def test_a_new_field_in_the_model_is_a_new_question():
    class MoreIntegrations(Integrations):
        """How other software talks to your app through Clerk."""

        sms_provider: Literal["twilio", "clerk"] = Field(
            "clerk", title="SMS provider", description="Who sends the SMS codes?",
            json_schema_extra=when(**{"integrations.m2m": True}))

    class MoreRequirements(RequirementsModel):
        integrations: MoreIntegrations = MoreIntegrations()

    questions = {q.key: q for q in all_questions(build_sections(MoreRequirements))}
    sms = questions["integrations.sms_provider"]
    assert (sms.kind, sms.choices, sms.text) == ("select", ("twilio", "clerk"), "Who sends the SMS codes?")
    data = MoreRequirements().model_dump(mode="json", by_alias=True)
    assert not sms.applies(data)
    assert sms.applies(with_value(data, ("integrations", "m2m"), True))


@pytest.mark.parametrize(("key", "condition_path", "off", "on"), [
    ("tenancy.enterprise_sso", ("tenancy", "organizations"), "none", "required"),
    ("tenancy.domain_auto_join", ("tenancy", "organizations"), "none", "optional"),
    ("tenancy.users_in_many_orgs", ("tenancy", "organizations"), "none", "optional"),
    ("tenancy.custom_roles", ("tenancy", "organizations"), "none", "required"),
    ("platforms.nextjs_version", ("platforms", "web"), "react", "nextjs"),
])
def test_conditions_come_from_the_when_metadata(defaults, key, condition_path, off, on):
    question = QUESTIONS[key]
    assert not question.applies(with_value(defaults, condition_path, off))
    assert question.applies(with_value(defaults, condition_path, on))


@pytest.mark.parametrize(("key", "typed", "value"), [
    ("users.expected_mau", " 5000 ", 5000),
    ("users.expected_mau", "lots", "lots"),  # refused by validation, with the loader's words
    ("preferences.session_max_lifetime_hours", "", None),
    ("preferences.session_max_lifetime_hours", "12", 12),
    ("tenancy.custom_roles", "billing, viewer,, ", ["billing", "viewer"]),
    ("tenancy.custom_roles", "", []),
])
def test_typed_text_becomes_the_candidate_value(key, typed, value):
    assert QUESTIONS[key].parse(typed) == value


@pytest.mark.parametrize(("key", "typed"), [
    ("project.name", "Acme Corp"),
    ("users.expected_mau", "lots"),
    ("users.expected_mau", "-3"),
    ("tenancy.custom_roles", "billing, Billing-Team"),
    ("tenancy.custom_roles", "admin"),
    ("tenancy.custom_roles", "viewer, viewer"),
    ("preferences.session_max_lifetime_hours", "0"),
])
def test_prompt_validation_says_what_the_file_loader_says(defaults, key, typed):
    question = QUESTIONS[key]
    candidate = question.parse(typed)
    message = problem(question, defaults, candidate)
    assert message is not None
    section, field = question.path
    text = f"schema: 1\n{section}:\n  {field}: {_yaml_value(candidate)}\n"
    with pytest.raises(UserError) as loaded:
        parse_requirements(text, "clerk-requirements.yaml")
    assert loaded.value.field.startswith(key)
    assert message.startswith(loaded.value.message)


def test_empty_region_list_is_refused_like_in_the_file(defaults):
    message = problem(QUESTIONS["users.regions"], defaults, [])
    assert message and "at least 1 item" in message


def test_valid_answers_pass(defaults):
    assert problem(QUESTIONS["project.name"], defaults, "acme-b2b") is None
    assert problem(QUESTIONS["tenancy.custom_roles"], defaults, ["billing", "viewer"]) is None
    assert problem(QUESTIONS["preferences.session_max_lifetime_hours"], defaults, None) is None


def _yaml_value(value) -> str:
    import json

    return json.dumps(value)


def test_when_conditions_support_not_and_in(defaults):
    from advisor.ask.questions import Question

    question = Question(("x",), "X", "x?", "confirm", when={"audience": {"in": ["b2b", "internal"]},
                                                           "tenancy.organizations": {"not": "none"}})
    data = with_value(defaults, ("tenancy", "organizations"), "optional")
    assert not question.applies(data)
    assert question.applies(with_value(data, ("audience",), "b2b"))
    with pytest.raises(ValueError, match="unknown `when` operator"):
        Question(("x",), "X", "x?", "confirm", when={"audience": {"gt": 1}}).applies(defaults)
