"""`history` as text: one line per saved recommendation."""

from __future__ import annotations

from advisor.architecture import Architecture
from advisor.severity import RANK


def summary(arch: Architecture) -> str:
    value = arch.value
    bits = [arch.assurance.aal, f"MFA {value('auth.mfa.policy')}"]
    for key, label in (("orgs.enabled", "orgs"), ("sso.enterprise", "SSO"), ("m2m.enabled", "M2M")):
        if value(key):
            bits.append(label)
    high = sum(1 for f in arch.findings if RANK.get(f.severity, 0) >= RANK["high"])
    bits.append(f"{len(arch.findings)} findings ({high} high)")
    return f"{arch.requirements.project.name}: " + ", ".join(bits)
