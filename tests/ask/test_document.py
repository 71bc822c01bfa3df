"""Writing the requirements file: a new one documents itself; an edit keeps what the
user wrote (comments, order, quoting, list style) and touches only changed values."""

from __future__ import annotations

from textwrap import dedent

import pytest

from advisor.ask.document import new_document, updated_document
from advisor.ask.questions import build_sections, get_path, with_value
from advisor.requirements import Requirements, parse_requirements
from tests.conftest import ROOT

SECTIONS = build_sections()


def load(text: str) -> dict:
    return parse_requirements(text, "clerk-requirements.yaml")[0].to_data()


def edit(text: str, *changes: tuple[str, object]) -> str:
    data = load(text)
    for key, value in changes:
        data = with_value(data, tuple(key.split(".")), value)
    out = updated_document(text, data, Requirements().to_data(), SECTIONS)
    assert load(out) == data  # the loader reads back exactly the answers
    return out


def test_new_file_holds_every_field_and_explains_each_section(defaults):
    text = new_document(defaults, SECTIONS)
    assert load(text) == defaults
    assert text.splitlines()[0].startswith("# clerk-advisor requirements, schema 1.")
    assert "\nschema: 1\n" in text
    for section in SECTIONS:
        assert f"# {section.title}: {section.explanation}\n" in text
    assert "\n# Audience and users: Who signs in, how many, and where.\naudience: b2c" in text
    assert "  web: nextjs" in text and "# nextjs | react | none" in text
    assert "  session_max_lifetime_hours: null\n" in text


def test_new_file_with_answers(defaults):
    data = with_value(defaults, ("tenancy", "custom_roles"), ["billing", "viewer"])
    data = with_value(data, ("audience",), "b2b")
    text = new_document(data, SECTIONS)
    assert load(text) == data
    assert "  custom_roles: [billing, viewer]\n" in text


def test_nothing_changed_means_the_same_bytes():
    text = dedent("""\
        # ours
        schema: 1
        project: {name: "shop"}   # quoted on purpose
        platforms:
            web: react
            backends:
              - fastapi  # the API
        """)
    assert updated_document(text, load(text), Requirements().to_data(), SECTIONS) == text


def test_changed_values_keep_comments_order_and_quoting():
    # An end-of-line comment keeps its column while the value leaves room for it.
    text = dedent("""\
        # Requirements for the shop. Reviewed by security 2026-11.
        schema: 1
        audience: b2b     # we sell to companies
        project:
          name: "shop"    # brand name, do not change
        tenancy:
          organizations: optional   # personal accounts too
        """)
    out = edit(text, ("tenancy.organizations", "required"), ("audience", "internal"))
    assert out == dedent("""\
        # Requirements for the shop. Reviewed by security 2026-11.
        schema: 1
        audience: internal # we sell to companies
        project:
          name: "shop"    # brand name, do not change
        tenancy:
          organizations: required   # personal accounts too
        """)


def test_keys_the_user_wrote_stay_even_at_their_default():
    text = "schema: 1\nintegrations:\n  m2m: true\n  billing: false\n"
    out = edit(text, ("integrations.m2m", False))
    assert out == "schema: 1\nintegrations:\n  m2m: false\n  billing: false\n"


def test_new_keys_only_for_answers_that_differ_from_the_default():
    text = "schema: 1\ntenancy:\n  organizations: required\n"
    out = edit(text, ("tenancy.enterprise_sso", True), ("tenancy.domain_auto_join", False))
    assert out == "schema: 1\ntenancy:\n  organizations: required\n  enterprise_sso: true\n"


def test_new_keys_go_to_their_place_in_the_model_order_before_the_next_comment():
    text = dedent("""\
        schema: 1
        platforms:
          web: react
          backends:
          - fastapi   # the API

        # Security signed this off.
        threat_model:
          impact: high
        """)
    out = edit(text, ("platforms.mobile", ["ios"]), ("tenancy.organizations", "required"),
               ("integrations.webhooks", ["user.created"]))
    assert out == dedent("""\
        schema: 1
        platforms:
          web: react
          mobile: [ios]
          backends:
          - fastapi   # the API

        # Tenancy: Whether users belong to organizations (teams, customers) and how those are managed.
        tenancy:
          organizations: required

        # Security signed this off.
        threat_model:
          impact: high

        # Integrations: How other software talks to your app through Clerk.
        integrations:
          webhooks: [user.created]
        """)


def test_lists_keep_their_style_and_item_comments():
    text = dedent("""\
        schema: 1
        platforms:
            backends:
              - fastapi   # public API
              - django    # admin
              - flask
        # users next
        users:
            regions: [eu, us]
        """)
    out = edit(text, ("platforms.backends", ["fastapi", "express"]), ("users.regions", ["eu"]))
    assert out == dedent("""\
        schema: 1
        platforms:
            backends:
              - fastapi   # public API
              - express
        # users next
        users:
            regions: [eu]
        """)


def test_emptied_block_list_becomes_flow_and_the_next_comment_stays():
    text = "schema: 1\nplatforms:\n  mobile:\n  - ios\n  - android\n\n# audience below\naudience: b2b\n"
    out = edit(text, ("platforms.mobile", []))
    assert out == "schema: 1\nplatforms:\n  mobile: []\n\n# audience below\naudience: b2b\n"


def test_windows_line_ends_stay():
    text = "schema: 1\r\naudience: b2b  # companies\r\n"
    assert edit(text, ("audience", "internal")) == "schema: 1\r\naudience: internal # companies\r\n"


# ---------------------------------------------------------------- hand-written styles
# Each file below is written the way people write YAML by hand. Only the lines of
# changed values may differ, and added keys follow the file's own indentation.


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """(lines only in `before`, lines only in `after`), line ends kept."""
    import difflib

    diff = list(difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True)))
    return [d[2:] for d in diff if d.startswith("- ")], [d[2:] for d in diff if d.startswith("+ ")]


def test_two_space_mappings_with_four_space_block_lists():
    text = dedent("""\
        schema: 1
        project:
          name: shop            # the brand
        audience: b2b
        tenancy:
          organizations: required
          custom_roles:
            - billing           # finance team
            - viewer
        threat_model:
          compliance:
            - soc2
        """)
    out = edit(text, ("tenancy.custom_roles", ["billing", "support"]), ("users.expected_mau", 20000),
               ("threat_model.compliance", ["soc2", "gdpr"]))
    assert out == dedent("""\
        schema: 1
        project:
          name: shop            # the brand
        audience: b2b

        # Audience and users: Who signs in, how many, and where.
        users:
          expected_mau: 20000
        tenancy:
          organizations: required
          custom_roles:
            - billing           # finance team
            - support
        threat_model:
          compliance:
            - soc2
            - gdpr
        """)


def test_four_space_mappings_with_lists_at_the_keys_column():
    text = dedent("""\
        schema: 1
        platforms:
            web: react
            backends:
            - fastapi
            - django
        users:
            expected_mau: 5000
        """)
    out = edit(text, ("users.expected_mau", 20000), ("users.regions", ["eu"]),
               ("platforms.backends", ["django"]), ("tenancy.organizations", "optional"))
    assert out == dedent("""\
        schema: 1
        platforms:
            web: react
            backends:
            - django
        users:
            expected_mau: 20000
            regions: [eu]

        # Tenancy: Whether users belong to organizations (teams, customers) and how those are managed.
        tenancy:
            organizations: optional
        """)


def test_flow_style_file_with_comments_at_their_own_columns():
    text = dedent("""\
        schema: 1
        project: {name: shop}                            # brand
        users: {expected_mau: 1000, regions: [eu, us]}   # where
        preferences: { social_providers: [ google, github ] }
        """)
    out = edit(text, ("users.regions", ["eu"]), ("users.expected_mau", 250000),
               ("preferences.social_providers", ["google", "github", "apple"]), ("preferences.mfa", "required"))
    assert out == dedent("""\
        schema: 1
        project: {name: shop}                            # brand
        users: {expected_mau: 250000, regions: [eu]}     # where
        preferences: { social_providers: [ google, github, apple ], mfa: required }
        """)


def test_crlf_line_ends_and_a_byte_order_mark_stay():
    text = "\ufeffschema: 1\r\naudience: b2b   # who\r\ntenancy:\r\n  organizations: required\r\n" \
           "  custom_roles:\r\n  - billing\r\n"
    out = edit(text, ("tenancy.custom_roles", ["billing", "viewer"]), ("audience", "internal"),
               ("threat_model.compliance", ["hipaa"]))
    assert out == "\ufeffschema: 1\r\naudience: internal # who\r\ntenancy:\r\n  organizations: required\r\n" \
                  "  custom_roles:\r\n  - billing\r\n  - viewer\r\n\r\n" \
                  "# Threat model: How bad a stolen account would be, and which attacks you expect.\r\n" \
                  "threat_model:\r\n  compliance: [hipaa]\r\n"


def test_quotes_document_start_and_an_empty_value():
    text = dedent("""\
        ---
        schema: 1
        project:
          name: 'shop'
        preferences:
          session_max_lifetime_hours:   # decide later
          passwordless: ["email_code"]
        """)
    out = edit(text, ("project.name", "shop-eu"), ("preferences.session_max_lifetime_hours", 12),
               ("preferences.passwordless", ["email_code", "email_link"]))
    assert out == dedent("""\
        ---
        schema: 1
        project:
          name: 'shop-eu'
        preferences:
          session_max_lifetime_hours: 12 # decide later
          passwordless: ["email_code", "email_link"]
        """)


def test_a_file_without_a_final_line_end_gets_new_keys_on_lines_of_their_own():
    text = "schema: 1\naudience: b2b\nintegrations:\n  m2m: true"
    out = edit(text, ("integrations.api_keys", True), ("integrations.m2m", False))
    assert out == "schema: 1\naudience: b2b\nintegrations:\n  m2m: false\n  api_keys: true\n"


def test_a_value_that_reads_as_another_type_is_quoted():
    text = "schema: 1\nproject:\n  name: shop\n"
    out = edit(text, ("integrations.webhooks", ["user.created"]))
    assert out.endswith("\nintegrations:\n  webhooks: [user.created]\n")


@pytest.mark.parametrize("style", [
    "schema: 1\naudience: b2b\ntenancy:\n  organizations: optional\n  custom_roles:\n  - billing  # a\n  - viewer\n",
    "schema: 1\naudience: b2b\ntenancy:\n    organizations: optional\n    custom_roles:\n        - billing  # a\n"
    "        - viewer\n",
    "schema: 1\naudience: b2b\ntenancy: {organizations: optional, custom_roles: [billing, viewer]}  # a\n",
    "schema: 1\r\naudience: b2b\r\ntenancy:\r\n  organizations: optional\r\n  custom_roles: [billing, viewer]\r\n",
], ids=["2-space", "4-space-indented-lists", "flow", "crlf"])
@pytest.mark.parametrize("key, value", [
    ("tenancy.organizations", "required"), ("audience", "internal"),
    ("tenancy.custom_roles", ["viewer", "support"]), ("tenancy.custom_roles", []),
])
def test_only_the_lines_of_changed_values_differ(style, key, value):
    out = edit(style, (key, value))
    removed, added = changed_lines(style, out)
    name = key.split(".")[-1]
    # Every line that went is the changed key's line or an item of the changed list, and
    # every line that came holds the new value.
    items = value if isinstance(value, list) else []
    assert all(name in line or any(f"- {i}" in line for i in ["billing", "viewer"]) for line in removed), removed
    assert all(name in line or any(f"- {i}" in line for i in items) for line in added), added
    assert len(removed) <= 2 + (name == "custom_roles") and added  # nothing else moved


def _alternative(question, value):
    """Another valid-looking answer to `question` than `value`."""
    if question.kind == "select":
        return next(c for c in reversed(question.choices) if c != value)
    if question.kind == "checkbox":
        missing = [c for c in question.choices if c not in value]
        return value[1:] if value and not missing else [*value, missing[0]]
    if question.kind == "confirm":
        return not value
    if question.kind == "integer":
        return 12 if value != 12 else 24
    if question.kind == "list":
        return [*value, "support"] if "support" not in value else []
    return "another-name"


@pytest.mark.parametrize("example", sorted(p.parent.name for p in
                                           (ROOT / "examples").glob("*/clerk-requirements.yaml")))
def test_any_single_answer_changes_only_its_own_lines_in_every_example(example):
    from advisor.ask.questions import all_questions
    from advisor.ask.validation import problem

    text = (ROOT / "examples" / example / "clerk-requirements.yaml").read_text()
    data = load(text)
    for question in all_questions(SECTIONS):
        value = _alternative(question, get_path(data, question.path))
        if problem(question, data, value) is not None:
            continue
        out = edit(text, (question.key, value))
        removed, added = changed_lines(text, out)
        name = question.path[-1]
        assert all(name in line or line.lstrip().startswith("- ") for line in removed), (question.key, removed)
        assert all(name in line or line.lstrip().startswith(("- ", "#", question.path[0])) or not line.strip()
                   for line in added), (question.key, added)
