"""Writing the requirements file: a new one documents itself; an edit keeps what the
user wrote (comments, order, quoting, list style) and touches only changed values."""

from __future__ import annotations

from textwrap import dedent

from advisor.ask.document import new_document, updated_document
from advisor.ask.questions import build_sections, with_value
from advisor.requirements import Requirements, parse_requirements

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
