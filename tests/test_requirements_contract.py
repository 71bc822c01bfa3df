"""The requirements contract: one source (the pydantic model), a generated table for the
fast path, and proof that the two accept exactly the same documents."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from advisor.requirements import FIELDS, SECTIONS, Requirements, validate_document
from advisor.requirements.codegen import render
from advisor.requirements.model import RequirementsModel
from advisor.requirements.validate import check
from tests.conftest import ROOT

CONTRACT = ROOT / "advisor" / "requirements" / "contract.py"


def test_the_generated_contract_is_current():
    assert CONTRACT.read_text(encoding="utf-8") == render(), "run `python -m advisor.requirements.codegen`"


def test_the_value_has_the_models_defaults():
    assert Requirements().to_data() == RequirementsModel().model_dump(mode="json", by_alias=True)


ODD_VALUES = st.sampled_from([None, True, False, 0, -1, 1, 15, 16, 10**11, 1.5, "", "x", "global", "eu", "org:x",
                              "billing", "billing\n", "admin", "acme", "Acme", "a" * 70, [], {}, ["eu"]])


def _value(path: str) -> st.SearchStrategy:
    spec = FIELDS[path]
    items = st.sampled_from(spec.choices) if spec.choices else ODD_VALUES
    if spec.is_list:
        good = st.lists(items, max_size=4)
        return st.one_of(good, st.lists(ODD_VALUES, max_size=3), ODD_VALUES)
    return st.one_of(items, ODD_VALUES)


@st.composite
def documents(draw) -> dict:
    doc: dict = {"schema": draw(st.sampled_from([1, 1, 1, "1", 2, True]))}
    for section in SECTIONS:
        if section.key == "schema" or not draw(st.booleans()):
            continue
        if not section.fields:
            doc[section.key] = draw(_value(section.key))
            continue
        if draw(st.integers(0, 9)) == 0:
            doc[section.key] = draw(ODD_VALUES)
            continue
        body = {name: draw(_value(f"{section.key}.{name}")) for name in section.fields if draw(st.booleans())}
        if draw(st.integers(0, 9)) == 0:
            body["unknown_key"] = 1
        doc[section.key] = body
    return doc


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_the_table_and_the_model_accept_the_same_documents(doc):
    fast = check(doc)
    try:
        model = RequirementsModel.model_validate(doc, strict=True)
    except ValidationError:
        assert fast is None, f"the table accepts what the model refuses: {doc}"
        return
    assert fast == model.model_dump(mode="json", by_alias=True), f"the table refuses or changes {doc}"


def test_a_valid_file_is_read_without_pydantic(tmp_path):
    """Start-up: recommend on a valid file never builds (or imports) a pydantic model."""
    (tmp_path / "clerk-requirements.yaml").write_text(
        (ROOT / "examples" / "b2b-saas" / "clerk-requirements.yaml").read_text(encoding="utf-8"))
    code = ("import sys, runpy; sys.argv = ['clerk-advisor', 'recommend', '--format', 'json', '--no-save'];"
            "from advisor.cli import main; code = main(sys.argv[1:]);"
            "assert code == 0, code; bad = [m for m in sys.modules if m.split('.')[0] in "
            "('pydantic', 'questionary', 'prompt_toolkit', 'httpx', 'jinja2')];"
            "assert not bad, bad")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_problem_still_gets_the_models_message():
    doc = {"schema": 1, "users": {"regions": ["eu", "global"], "expected_mau": -1}}
    try:
        validate_document(doc, "app.yaml")
    except Exception as exc:  # noqa: BLE001 - the message is what is checked
        text = str(exc)
    assert "users.expected_mau" in text and "users.regions" in text and "global already covers" in text
