"""The migration plan through the real CLI: `recommend` for every source, the estimate and
its arithmetic, `explain` on the new keys, CLERK_SETUP.md, and the questionnaire."""

from __future__ import annotations

import io
import json
import re

import pytest
from plan_helpers import requirements_file

from advisor.architecture.migration import ImportEstimate, production_rate

SOURCES = {
    # from: (migration fields, strategy, passwords, findings that must be there)
    "auth0": ({"password_hashes": "bcrypt"}, "big_bang", "digest", {"migration.auth0-hashes"}),
    "firebase": ({"password_hashes": "scrypt_firebase"}, "big_bang", "digest", {"migration.firebase-hash-parameters"}),
    "supabase": ({"password_hashes": "bcrypt"}, "big_bang", "digest", {"migration.supabase-export"}),
    "cognito": ({}, "big_bang", "awscognito", {"migration.passwords-cognito"}),
    "authjs": ({}, "big_bang", "reset", {"migration.authjs-accounts", "migration.hashes-unknown",
                                         "migration.passwords-reset"}),
    "django": ({"password_hashes": "pbkdf2_sha256_django"}, "big_bang", "digest", {"migration.django-emails"}),
    "keycloak": ({"password_hashes": "pbkdf2_sha256"}, "big_bang", "digest", {"migration.keycloak-key-length"}),
    "custom": ({"password_hashes": "scrypt_werkzeug"}, "big_bang", "digest",
               {"migration.custom-source", "migration.hasher-unverified"}),
}
EVERY_MIGRATION = {"migration.external-id", "migration.rate-budget",
                   "migration.cutover-sessions", "migration.import-duration"}


def _snapshot(cli, name: str = "r.yaml") -> dict:
    result = cli("recommend", name, "--format", "json", "--no-save")
    assert result.code == 0, result.err
    return json.loads(result.out)


def _findings(snapshot: dict) -> dict[str, dict]:
    return {f["id"]: f for f in snapshot["findings"]}


@pytest.mark.parametrize("source", list(SOURCES))
def test_recommend_plans_a_migration_from_each_source(cli, tmp_path, source):
    fields, strategy, passwords, findings = SOURCES[source]
    requirements_file(tmp_path / "r.yaml", {"from": source, "users": 5000, **fields})
    snapshot = _snapshot(cli)
    decisions = {k: v["value"] for k, v in snapshot["decisions"].items() if k.startswith("migration.")}
    assert decisions == {"migration.strategy": strategy, "migration.passwords": passwords,
                         "migration.external_id_claim": True}
    for key in decisions:
        assert snapshot["decisions"][key]["refs"], f"{key} cites no source"
    assert EVERY_MIGRATION | findings <= set(_findings(snapshot))
    text = cli("recommend", "r.yaml", "--no-save").out
    assert "\nMigration plan\n" in text
    assert re.search(rf"migration\.strategy +{strategy}\n", text)
    assert re.search(rf"migration\.passwords +{passwords}\n", text)


def test_the_report_has_the_migration_area_with_linked_sources(cli, tmp_path):
    requirements_file(tmp_path / "r.yaml", {"from": "firebase", "users": 5000, "password_hashes": "scrypt_firebase"})
    report = cli("recommend", "r.yaml", "--format", "markdown", "--no-save").out
    area = report.split("## Migration plan\n", 1)[1].split("\n## ", 1)[0]
    assert "| `migration.passwords` | digest |" in area
    assert "[clerk:bapi-create-user](https://clerk.com/docs/reference/backend-api/tag/users/POST/users)" in area
    assert "- `clerk:migration-overview`: [Clerk docs, Migrating" in report


@pytest.mark.parametrize(("migration", "preferences", "expected"), [
    ({"users": 400_000, "password_hashes": "bcrypt"}, {}, ("import_then_trickle", "digest")),
    ({"users": 400_000, "password_hashes": "bcrypt", "cutover": "big_bang"}, {}, ("big_bang", "digest")),
    ({"users": 4000, "password_hashes": "bcrypt", "cutover": "trickle"}, {}, ("trickle", "digest")),
    ({"users": 4000, "password_hashes": "none"}, {}, ("trickle", "on_sign_in")),
    ({"users": 4000, "password_hashes": "none", "cutover": "big_bang"}, {}, ("big_bang", "reset")),
    ({"users": 4000, "password_hashes": "unknown"}, {}, ("big_bang", "reset")),
    ({"users": 4000, "password_hashes": "unknown", "cutover": "trickle"}, {}, ("trickle", "on_sign_in")),
    ({"users": 4000, "password_hashes": "bcrypt"}, {"passwords": "avoid"}, ("big_bang", "dropped")),
])
def test_strategy_and_passwords(cli, tmp_path, migration, preferences, expected):
    requirements_file(tmp_path / "r.yaml", {"from": "auth0", **migration}, preferences=preferences)
    decisions = _snapshot(cli)["decisions"]
    assert (decisions["migration.strategy"]["value"], decisions["migration.passwords"]["value"]) == expected


def test_mfa_moves_or_is_enrolled_again_behind_device_trust(cli, tmp_path):
    requirements_file(tmp_path / "r.yaml", {"from": "supabase", "users": 900, "password_hashes": "bcrypt",
                                            "mfa_enrolled": True})
    snapshot = _snapshot(cli)
    assert snapshot["decisions"]["migration.mfa"]["value"] == "totp_secrets"
    assert "totp_secret" in _findings(snapshot)["migration.mfa-totp"]["message"]
    requirements_file(tmp_path / "r.yaml", {"from": "firebase", "users": 900, "password_hashes": "scrypt_firebase",
                                            "mfa_enrolled": True})
    snapshot = _snapshot(cli)
    assert snapshot["decisions"]["migration.mfa"]["value"] == "re_enroll"
    assert snapshot["decisions"]["auth.device_trust"]["value"] is True
    assert snapshot["decisions"]["auth.device_trust"]["rules"][0] == "migration.mfa-gap"
    assert {"migration.firebase-mfa", "migration.mfa-gap"} <= set(_findings(snapshot))


def test_social_accounts_relink_by_verified_email(cli, tmp_path):
    requirements_file(tmp_path / "r.yaml", {"from": "auth0", "users": 900, "social_accounts": True})
    findings = _findings(_snapshot(cli))
    assert "reserved" in findings["migration.social-relink"]["message"]
    assert findings["migration.social-providers-missing"]["severity"] == "high"
    requirements_file(tmp_path / "r.yaml", {"from": "auth0", "users": 900, "social_accounts": True},
                      preferences={"social_providers": ["google"]})
    assert "migration.social-providers-missing" not in _findings(_snapshot(cli))


def test_the_import_estimate_shows_its_arithmetic(cli, tmp_path):
    requirements_file(tmp_path / "r.yaml", {"from": "auth0", "users": 250_000, "password_hashes": "bcrypt"})
    finding = _findings(_snapshot(cli))["migration.import-duration"]
    assert finding["rule"] == "migration.rate-budget" and finding["severity"] == "info"
    assert ("250,000 creates + 2,500 look-ups (100 external_ids per request) + 2 checks = 252,502 requests / 80 per "
            "second = about 53 minutes") in finding["message"]
    assert "`--rate 50` (more room for the live app) it is about 84 minutes" in finding["message"]
    requirements_file(tmp_path / "r.yaml", {"from": "auth0"})
    findings = _findings(_snapshot(cli))
    assert "migration.import-duration" not in findings and "migration.users-unknown" in findings
    assert "migration.dev-instance-cap" not in findings


def test_the_dev_cap_finding_says_the_docs_changed(cli, tmp_path):
    requirements_file(tmp_path / "r.yaml", {"from": "django", "users": 101})
    message = _findings(_snapshot(cli))["migration.dev-instance-cap"]["message"]
    assert "100 users" in message and "500" in message and "--dev-user-cap" in message
    requirements_file(tmp_path / "r.yaml", {"from": "django", "users": 100})
    assert "migration.dev-instance-cap" not in _findings(_snapshot(cli))


def test_the_large_import_threshold_is_past_an_hour():
    assert ImportEstimate(300_000, production_rate()).seconds > 3600
    assert production_rate() == 80


def test_the_estimate_counts_what_the_importer_sends(cli, tmp_path, fake, monkeypatch):
    """The plan's request count is the importer's: 250 users, production key, a fresh state."""
    from fake_clerk import PROD_KEY
    from migrate_helpers import users_jsonl

    users_jsonl(tmp_path / "users.jsonl", 250)
    monkeypatch.setenv("CLERK_SECRET_KEY", PROD_KEY)
    # A few connections at a time: the estimate does not depend on them, and the fake's
    # small listen backlog would otherwise drop connections (retried, so counted twice).
    result = cli("migrate", "import", "users.jsonl", "--yes", "--rate", "200", "--concurrency", "4", "--quiet",
                 "--format", "json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["retries"] == 0 and report["throttled"] == 0
    assert len(fake.requests) == report["requests"] == ImportEstimate(250, production_rate()).requests == 255


def test_explain_the_new_keys(cli, tmp_path):
    requirements_file(tmp_path / "r.yaml", {"from": "supabase", "users": 7000, "password_hashes": "none"})
    result = cli("explain", "migration.passwords", "r.yaml")
    assert result.code == 0, result.err
    assert result.out.startswith("migration.passwords = on_sign_in\n")
    assert re.search(r"lost +migration\.passwords-reset", result.out)
    assert re.search(r"won +migration\.passwords-on-sign-in", result.out)
    assert "https://clerk.com/docs/guides/development/migrating/overview" in result.out
    data = json.loads(cli("explain", "migration.strategy", "r.yaml", "--format", "json").out)
    assert (data["value"], data["winner"]) == ("trickle", "migration.trickle-without-hashes")
    requirements_file(tmp_path / "none.yaml")
    result = cli("explain", "migration.strategy", "none.yaml")
    assert result.code == 0
    assert result.out.startswith("migration.strategy = not applicable\n")
    assert "No rule set this key" in result.out
    result = cli("explain", "migration.import-then-trickle", "none.yaml")
    assert result.code == 0 and "migration.users >= 300000" in result.out


def _setup_guide(cli, tmp_path, migration: dict | None, **sections) -> str:
    requirements_file(tmp_path / "r.yaml", migration, **sections)
    result = cli("generate", "r.yaml", "--stack", "fastapi", "--out", "app")
    assert result.code == 0, result.err
    return (tmp_path / "app" / "CLERK_SETUP.md").read_text(encoding="utf-8")


def test_clerk_setup_lists_the_migrate_commands_in_order(cli, tmp_path):
    guide = _setup_guide(cli, tmp_path, {"from": "auth0", "users": 250_000, "password_hashes": "bcrypt",
                                         "mfa_enrolled": True}, audience="b2b", tenancy={"organizations": "required"})
    titles = re.findall(r"^## \d+\. (Migration: .*)$", guide, flags=re.M)
    assert titles == ["Migration: return the old user id in the session token",
                      "Migration: convert the export and rehearse in development",
                      "Migration: import the users into production",
                      "Migration: create the organizations and memberships",
                      "Migration: switch sign-in to Clerk"]
    order = ["migrate convert --from auth0 users-export.json --hashes auth0-hashes.json -o users.jsonl",
             "migrate import users.jsonl --dry-run --spot-check spot-check.jsonl --state .clerk-advisor/migrations/"
             "development",
             "migrate import rehearsal.jsonl", "migrate status --state .clerk-advisor/migrations/development",
             "migrate rollback --state .clerk-advisor/migrations/development --yes",
             "migrate import users.jsonl --dry-run --spot-check spot-check.jsonl --state .clerk-advisor/migrations/"
             "production --yes",
             "migrate import users.jsonl --state .clerk-advisor/migrations/production --yes",
             "migrate status --state .clerk-advisor/migrations/production",
             "migrate rollback --state .clerk-advisor/migrations/production --yes"]
    positions = [guide.index(step) for step in order]
    assert positions == sorted(positions)
    assert "250,000 users take about 53 minutes" in guide
    assert "`{\"userId\": \"{{user.external_id || user.id}}\"}`" in guide
    assert "those who had a second factor set it up again" in guide


@pytest.mark.parametrize(("migration", "preferences", "present", "absent"), [
    ({"from": "cognito", "users": 50}, {}, ["--from cognito list-users.json --hash-config cognito.json",
                                            "migrate import users.jsonl --state", "keep the user pool"],
     ["rehearsal.jsonl", "Migration: move users"]),
    ({"from": "supabase", "users": 500, "password_hashes": "none"}, {},
     ["--from supabase auth-users.json --no-passwords", "Migration: move users as they sign in",
      "the password just checked"], ["--spot-check"]),
    ({"from": "supabase", "users": 500, "password_hashes": "bcrypt", "cutover": "trickle"}, {},
     ["Migration: move users as they sign in", "the password digest with its hasher", "POST /v1/sign_in_tokens"],
     ["--no-passwords"]),
    ({"from": "firebase", "users": 900_000, "password_hashes": "scrypt_firebase"}, {},
     ["--hash-config firebase-hash-config.json", "Migration: mirror changes until the switch"], []),
    ({"from": "django", "users": 500, "password_hashes": "pbkdf2_sha256_django"}, {"passwords": "avoid"},
     ["--from django auth_user.json --no-passwords", "the new methods under the same email"], ["--spot-check"]),
])
def test_clerk_setup_follows_the_plan(cli, tmp_path, migration, preferences, present, absent):
    guide = _setup_guide(cli, tmp_path, migration, preferences=preferences)
    for text in present:
        assert text in guide
    for text in absent:
        assert text not in guide


def test_clerk_setup_without_a_migration_has_no_migration_steps(cli, tmp_path):
    guide = _setup_guide(cli, tmp_path, None)
    assert "Migration:" not in guide and "migrate " not in guide


# ---------------------------------------------------------------- ask


def _asked(start: dict, answers: dict) -> list[str]:
    from advisor.ask.questions import build_sections
    from advisor.ask.session import questionnaire

    asked: list[str] = []

    def prompt(question, current, check):
        asked.append(question.key)
        answer = answers.get(question.key, current)
        assert check(answer) is None, question.key
        return answer

    questionnaire(start, build_sections(), out=io.StringIO(), prompt=prompt)
    return [key for key in asked if key.startswith("migration.")]


def test_ask_has_a_migration_section_asked_only_when_users_move():
    from advisor.ask.questions import build_sections
    from advisor.requirements import Requirements

    sections = build_sections()
    migration = sections[-1]
    assert (migration.key, migration.title) == ("migration", "Migration")
    assert migration.explanation.startswith("Moving existing users from another auth system into Clerk")
    first = migration.questions[0]
    assert (first.key, first.when) == ("migration.from", {})
    assert first.text.startswith("Do existing users move from another auth system?")
    start = Requirements().to_data()
    assert _asked(start, {}) == ["migration.from"]
    assert _asked(start, {"migration.from": "auth0"}) == [
        "migration.from", "migration.users", "migration.password_hashes", "migration.mfa_enrolled",
        "migration.social_accounts", "migration.cutover"]
    assert "migration.password_hashes" not in _asked(start, {"migration.from": "cognito"})


def test_ask_defaults_writes_a_file_whose_digest_is_unchanged(cli, tmp_path):
    from advisor.requirements import Requirements, load_requirements

    assert cli("ask", "--defaults", "-o", "r.yaml").code == 0
    text = (tmp_path / "r.yaml").read_text(encoding="utf-8")
    assert "\nmigration:\n  from: none" in text
    assert load_requirements(tmp_path / "r.yaml").sha256 == Requirements().sha256
