"""`history` as text: one line per saved recommendation."""

from __future__ import annotations

from advisor.architecture import Architecture
from advisor.severity import RANK
from advisor.values import show


def summary(arch: Architecture) -> str:
    def value(key: str) -> object:  # a snapshot of another version may lack a key
        return arch.decisions[key].value if key in arch.decisions else None

    bits = [str(value("assurance.aal")), f"MFA {show(value('auth.mfa.policy'))}"]
    for key, label in (("orgs.enabled", "orgs"), ("sso.enterprise", "SSO"), ("m2m.enabled", "M2M")):
        if value(key) is True:
            bits.append(label)
    high = sum(1 for f in arch.findings if RANK.get(f.severity, 0) >= RANK["high"])
    bits.append(f"{len(arch.findings)} findings ({high} high)")
    return f"{arch.requirements.project.name}: " + ", ".join(bits)
