"""Answers that contradict each other are said, not passed over: organization answers
while organizations are off are reported as ignored (and really are), customers' IdPs
without organizations are a finding, and more custom roles than Clerk holds names the
number listed. Refusing such files would break files that were valid before."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.ask.questions import all_questions, build_sections
from advisor.engine import Evaluation, evaluate
from advisor.engine.conditions import Compiler, RuleError, describe
from advisor.engine.pack import RulePack, default_pack_dir, load_pack
from advisor.requirements import Requirements, validate_document
from tests.conftest import write


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack(default_pack_dir())


def run(pack: RulePack, **sections: Any) -> Evaluation:
    return evaluate(pack, validate_document({"schema": 1, **sections}))


def messages(ev: Evaluation) -> dict[str, str]:
    return {f.id: f.message for f in ev.findings}


@pytest.mark.parametrize("answer, rule, said", [
    ({"custom_roles": ["billing", "viewer"]}, "orgs.roles-without-orgs",
     "tenancy.custom_roles lists [billing, viewer], but tenancy.organizations is none"),
    ({"domain_auto_join": True}, "orgs.domains-without-orgs",
     "tenancy.domain_auto_join is true, but tenancy.organizations is none"),
    ({"users_in_many_orgs": True}, "orgs.many-orgs-without-orgs",
     "tenancy.users_in_many_orgs is true, but tenancy.organizations is none, so it is ignored"),
])
def test_organization_answers_without_organizations_are_reported_and_really_ignored(pack, answer, rule, said):
    ev = run(pack, audience="b2b", tenancy=answer)
    assert messages(ev)[rule].startswith(said)
    plain = run(pack, audience="b2b")
    # "Ignored" is true: every decision is what it is without the answer.
    assert {k: d.value for k, d in ev.decisions.items()} == {k: d.value for k, d in plain.decisions.items()}
    assert set(messages(ev)) - set(messages(plain)) == {rule}


def test_customers_idps_without_organizations_are_a_finding_but_staff_sso_is_not(pack):
    b2b = run(pack, audience="b2b", tenancy={"enterprise_sso": True})
    assert b2b.value("sso.enterprise") is True  # not ignored: the connections are set up
    assert "nothing keeps one customer's users and data apart" in messages(b2b)["sso.without-orgs"]
    staff = run(pack, audience="internal", tenancy={"enterprise_sso": True})
    assert "sso.without-orgs" not in messages(staff)


def test_more_custom_roles_than_clerk_holds_names_the_number_listed(pack):
    roles = [f"role{i}" for i in range(14)]
    ev = run(pack, audience="b2b", tenancy={"organizations": "required", "custom_roles": roles})
    assert messages(ev)["orgs.custom-roles-over-limit"].startswith(
        "tenancy.custom_roles lists 14 roles, and a Clerk instance holds up to 10 custom roles")
    ten = run(pack, audience="b2b", tenancy={"organizations": "required", "custom_roles": roles[:10]})
    assert "orgs.custom-roles-over-limit" not in messages(ten)


def test_organization_webhook_events_without_organizations_are_reported(pack):
    ev = run(pack, integrations={"webhooks": ["user.created", "organizationMembership.created"]})
    assert "([user.created, organizationMembership.created]), but tenancy.organizations is none" \
        in messages(ev)["webhooks.org-events-without-orgs"]


def test_the_report_says_it_too(cli, tmp_path):
    write(tmp_path / "clerk-requirements.yaml",
          "schema: 1\naudience: b2b\ntenancy:\n  custom_roles: [billing]\n")
    out = " ".join(cli("recommend", "--no-save").out.split())
    assert "tenancy.custom_roles lists [billing], but tenancy.organizations is none: Clerk roles belong to " \
           "organization memberships, so these roles are ignored." in out


# ------------------------------------------------------------ count_gte / count_lte


@pytest.mark.parametrize("op, bound, holds", [("count_gte", 2, True), ("count_gte", 3, False),
                                              ("count_lte", 2, True), ("count_lte", 1, False),
                                              ("count_gte", 0, True)])
def test_count_operators_compare_a_lists_length(op, bound, holds):
    leaf = {"fact": "tenancy.custom_roles", op: bound}
    predicate = Compiler().condition(leaf, ("when",), set())
    assert predicate({"tenancy.custom_roles": ("a", "b")}) is holds
    assert describe(leaf) == f"count of tenancy.custom_roles {'>=' if op == 'count_gte' else '<='} {bound}"


@pytest.mark.parametrize("leaf, message", [
    ({"fact": "audience", "count_gte": 1}, "count_gte on fact audience needs a list fact"),
    ({"fact": "tenancy.custom_roles", "count_lte": -1}, "needs a whole number >= 0; got -1"),
    ({"fact": "tenancy.custom_roles", "count_gte": True}, "needs a whole number >= 0; got True"),
])
def test_count_operators_refuse_what_they_cannot_count(leaf, message):
    with pytest.raises(RuleError, match=message):
        Compiler().condition(leaf, ("when",), set())


# ------------------------------------------------------------ the questionnaire


def test_staff_of_an_internal_tool_are_asked_about_their_companys_idp():
    sso = next(q for q in all_questions(build_sections()) if q.key == "tenancy.enterprise_sso")
    data = Requirements().to_data()
    assert not sso.applies(data)  # b2c without organizations
    assert sso.applies({**data, "audience": "internal"})
    assert sso.applies({**data, "tenancy": {**data["tenancy"], "organizations": "optional"}})
