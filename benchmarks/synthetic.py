"""Synthetic rule packs of any size, shaped like real rules (nested conditions, every operator)."""

from __future__ import annotations

import random
from pathlib import Path

LEAVES = [
    "{fact: threat_model.compliance, contains: pci-dss}",
    "{fact: threat_model.compliance, contains_any: [hipaa, soc2]}",
    "{fact: threat_model.data_sensitivity, gte: confidential}",
    "{fact: audience, in: [b2b, internal]}",
    "{fact: tenancy.organizations, ne: none}",
    "{fact: users.expected_mau, gte: 100000}",
    "{fact: preferences.mfa, eq: required}",
    "{fact: threat_model.threats, contains_all: [phishing, bots]}",
    "{fact: tenancy.custom_roles, exists: true}",
    "{fact: assurance.aal, gte: AAL2}",
    "{fact: platforms.web, not_in: [none]}",
    "{fact: integrations.m2m, eq: true}",
]
SETS = [
    "{auth.mfa.policy: required}",
    "{auth.mfa.methods: [totp, backup_code]}",
    "{session.max_lifetime_seconds: 43200, session.inactivity_timeout_seconds: 900}",
    "{auth.lockout.max_attempts: 10, auth.lockout.duration_minutes: 30}",
    "{auth.first_factors: [email_code, passkey]}",
    '{orgs.enabled: true, orgs.roles: ["org:admin", "org:member"]}',
    "{auth.bot_protection: true}",
    "{auth.passwords.min_length: 12, auth.passwords.breach_check: true}",
]


def write_pack(directory: Path, n: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "pack.yaml").write_text("name: synthetic\nversion: 2026.1.0\n")
    (directory / "references.yaml").write_text(
        "nist-800-63b-4:2.2.1:\n  title: NIST SP 800-63B-4\n  url: https://pages.nist.gov/800-63-4/sp800-63b.html\n")
    per_file = 500
    for f in range(0, n, per_file):
        lines = []
        for i in range(f, min(n, f + per_file)):
            # A threshold that differs from rule to rule keeps most conditions distinct, as in
            # a real pack (identical conditions are tested once per evaluation).
            leaves = LEAVES + [f"{{fact: users.expected_mau, lte: {rng.randrange(1000, 10**7)}}}"]
            a, b, c = rng.sample(leaves, 3)
            when = f"{{all: [{a}, {{any: [{b}, {{not: {c}}}]}}]}}"
            lines.append(
                f"- id: synthetic.rule-{i}\n  version: 1\n  title: Synthetic rule {i}\n  when: {when}\n"
                f"  set: {rng.choice(SETS)}\n  severity: medium\n  because: Synthetic rule {i} for benchmarks.\n"
                f"  refs: [\"nist-800-63b-4:2.2.1\"]\n"
            )
        (directory / f"rules-{f // per_file:03d}.yaml").write_text("".join(lines))
    return directory
