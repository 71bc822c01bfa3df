"""SARIF 2.1.0 as GitHub code scanning requires it.

The structure below is what GitHub's upload (github/codeql-action/upload-sarif) reads and
what the SARIF 2.1.0 schema requires of it: version and $schema; runs[].tool.driver with
name and rules (id, shortDescription, helpUri, help); results with ruleId, a valid level,
message.text, physical locations with a relative artifact URI and a 1-based region, and
partialFingerprints.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from audit_helpers import copy_case, run_case

from advisor.audit.render import render

LEVELS = {"none", "note", "warning", "error"}
_URI_CHARS = re.compile(r"^[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*$")


def _check_message(message):
    assert isinstance(message, dict) and isinstance(message.get("text"), str) and message["text"]


def validate_sarif(doc: dict) -> None:
    assert doc["version"] == "2.1.0"
    assert doc["$schema"].startswith("https://") and "sarif-2.1.0" in doc["$schema"]
    assert isinstance(doc["runs"], list) and len(doc["runs"]) == 1
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "clerk-advisor" and driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids)), "rule ids are unique"
    for rule in rules:
        assert re.fullmatch(r"[a-z0-9]+(\.[a-z0-9-]+)+", rule["id"])
        _check_message(rule["shortDescription"])
        _check_message(rule["fullDescription"])
        assert urlsplit(rule["helpUri"]).scheme == "https"
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in LEVELS
        assert re.fullmatch(r"\d+\.\d", rule["properties"]["security-severity"])
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base.startswith("file:///") and base.endswith("/")
    for result in run["results"]:
        assert result["ruleId"] in ids and ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in LEVELS
        _check_message(result["message"])
        [location] = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        uri = artifact["uri"]
        assert not uri.startswith("/") and "://" not in uri and ".." not in uri.split("/")
        assert _URI_CHARS.match(uri), uri
        region = location["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        if "endLine" in region:
            assert region["endLine"] >= region["startLine"]
        fingerprints = result["partialFingerprints"]
        assert fingerprints and all(isinstance(v, str) and v for v in fingerprints.values())
        for suppression in result.get("suppressions", []):
            assert suppression["kind"] in {"inSource", "external"} and suppression["justification"]


def test_sarif_of_a_realistic_app_has_the_structure_github_needs(tmp_path):
    root = copy_case("acme-crm", tmp_path)
    doc = json.loads(render(run_case(root), "sarif"))
    validate_sarif(doc)
    results = doc["runs"][0]["results"]
    assert len(results) >= 15
    fingerprints = [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]
    assert len(fingerprints) == len(set(fingerprints))


def test_sarif_routes_with_brackets_are_percent_encoded(tmp_path):
    root = copy_case("nx-mistakes", tmp_path)
    doc = json.loads(render(run_case(root), "sarif"))
    validate_sarif(doc)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
    assert "app/api/projects/%5BorgId%5D/route.ts" in uris


def test_sarif_keeps_suppressed_results_as_suppressed(tmp_path):
    root = copy_case("suppressions-and-parse-errors", tmp_path)
    doc = json.loads(render(run_case(root), "sarif"))
    validate_sarif(doc)
    suppressed = [r for r in doc["runs"][0]["results"] if r.get("suppressions")]
    assert [s["suppressions"][0]["justification"] for s in suppressed] == \
        ["the public product catalogue, no user data"]


def test_fingerprints_survive_lines_moving(tmp_path):
    root = copy_case("nx-mistakes", tmp_path)
    before = json.loads(render(run_case(root), "sarif"))["runs"][0]["results"]
    page = root / "app" / "reports" / "page.tsx"
    page.write_text("// a new first line\n" + page.read_text())
    after = json.loads(render(run_case(root), "sarif"))["runs"][0]["results"]

    def prints(results):
        return {r["partialFingerprints"]["primaryLocationLineHash"] for r in results
                if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/reports/page.tsx"}

    assert prints(before) and prints(before) == prints(after)
