"""SARIF against the official SARIF 2.1.0 JSON Schema.

The schema is not vendored: it is taken from Microsoft's `@microsoft/jest-sarif` npm
package (lib/schemas/sarif-2.1.0-rtm.5.json, the schema GitHub's code scanning documents),
fetched from the registry once and cached like the other slow tests' packages.
"""

from __future__ import annotations

import json
import subprocess
import tarfile

import jsonschema
import pytest
from audit_helpers import copy_case, run_case

from advisor.audit.render import render
from tests.generate.helpers_nextjs import NPM_CACHE, _npm_env

PACKAGE = "@microsoft/jest-sarif@1.0.0-beta.0"
SCHEMA_MEMBER = "package/lib/schemas/sarif-2.1.0-rtm.5.json"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    home = NPM_CACHE / "sarif-schema"
    schema_file = home / "sarif-2.1.0-rtm.5.json"
    if not schema_file.exists():
        home.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run(["npm", "pack", PACKAGE, "--pack-destination", str(home), "--silent"],
                              env=_npm_env(), capture_output=True, text=True, timeout=300, check=True)
        tarball = home / proc.stdout.strip().splitlines()[-1]
        with tarfile.open(tarball) as archive:
            member = archive.extractfile(SCHEMA_MEMBER)
            assert member is not None
            schema_file.write_bytes(member.read())
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


@pytest.mark.parametrize("case", ["acme-crm", "nx-mistakes", "suppressions-and-parse-errors"])
def test_sarif_is_valid_against_the_official_schema(validator, tmp_path, case):
    doc = json.loads(render(run_case(copy_case(case, tmp_path)), "sarif"))
    errors = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(doc)]
    assert errors == []
    assert doc["runs"][0]["results"], "a case with findings"
    # The check can fail: a wrong level is refused by the same schema.
    broken = json.loads(json.dumps(doc))
    broken["runs"][0]["results"][0]["level"] = "severe"
    assert not validator.is_valid(broken)
