"""Rendering an architecture for people: a terminal summary and a markdown report.

Both are pure functions of the Architecture (and the pack's references, for links), so the
committed example reports can be checked for staleness byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping

from advisor.architecture import Architecture, DecisionRecord, Excerpt
from advisor.engine import Finding, Reference
from advisor.engine.decisions import area_of, display
from advisor.markdown import code, inline, link
from advisor.severity import rank
from advisor.terminal import SEVERITY_STYLE, styler
from advisor.wrap import hang

AREAS: dict[str, str] = {
    "assurance": "Assurance level",
    "auth": "Sign-in and authentication",
    "session": "Sessions",
    "orgs": "Organizations",
    "sso": "Enterprise SSO",
    "m2m": "Machine-to-machine",
    "api_keys": "API keys",
    "billing": "Billing",
    "webhooks": "Webhooks",
    "sdk": "SDK packages",
    "migration": "Migration plan",
}
def grouped(arch: Architecture) -> dict[str, list[tuple[str, DecisionRecord]]]:
    """Decisions by area, in the decision table's order."""
    out: dict[str, list[tuple[str, DecisionRecord]]] = {}
    for key, rec in arch.decisions.items():
        out.setdefault(area_of(key), []).append((key, rec))
    return out


def sorted_findings(arch: Architecture) -> list[Finding]:
    return sorted(arch.findings, key=lambda f: (-rank(f.severity), f.id))


# ---------------------------------------------------------------- terminal


def render_text(arch: Architecture, color: bool = False, width: int | None = None) -> str:
    """The terminal summary; with `width`, every line wrapped to it, indents kept."""
    style = styler(color)
    a = arch.assurance
    lines = [
        style(f"Clerk architecture for {arch.requirements.project.name}", "bold"),
        *hang("  ", f"{a.aal} (impact {a.impact}), OWASP ASVS level {a.asvs_level}; rules {arch.rules_version}",
              width),
        "",
    ]
    column = " " * (2 + _KEY_WIDTH + 1)
    for area, items in grouped(arch).items():
        if area == "assurance":
            continue
        lines.append(style(AREAS.get(area, area), "bold"))
        for key, rec in items:
            lines += hang(f"  {key:<{_KEY_WIDTH}} ", display(key, rec.value), width, len(column))
            if rec.rules:
                lines += [style(line, "dim") for line in hang(column, f"{rec.reason} [{rec.rules[0]}]", width)]
        lines.append("")
    findings = sorted_findings(arch)
    if findings:
        lines.append(style(f"Findings ({len(findings)})", "bold"))
        for f in findings:
            wrapped = hang(f"  {f.severity:<8} ", f"{f.message} [{f.rule}]", width)
            tag = style(f"{f.severity:<8}", SEVERITY_STYLE.get(f.severity, "dim"))
            lines += [f"  {tag}{wrapped[0][10:]}", *wrapped[1:]]
        lines.append("")
    lines += [style(line, "dim") for line in hang("", "`clerk-advisor explain KEY` shows every rule behind a "
                                                       "decision.", width)]
    return "\n".join(lines) + "\n"


_KEY_WIDTH = 36


# ---------------------------------------------------------------- markdown


def _ref_link(key: str, references: Mapping[str, Reference]) -> str:
    ref = references.get(key)
    return link(key, ref.url) if ref is not None else inline(key)


def mermaid(arch: Architecture) -> str:
    """A flowchart of who authenticates where; labels come from fixed vocabularies only."""
    plat = arch.requirements.platforms
    d = arch.value
    out = ["flowchart LR"]
    out.append('  user(["People"])')
    clients: list[str] = []
    if plat.web != "none":
        label = f"Next.js {plat.nextjs_version} app" if plat.web == "nextjs" else "React app"
        out.append(f'  web["{label}"]')
        clients.append("web")
    for m in plat.mobile:
        out.append(f'  mobile_{m}["{ {"expo": "Expo app", "ios": "iOS app", "android": "Android app"}[m] }"]')
        clients.append(f"mobile_{m}")
    if plat.chrome_extension:
        out.append('  ext["Chrome extension"]')
        clients.append("ext")
    factors = ", ".join(d("auth.first_factors")) or "none"
    mfa = d("auth.mfa.policy")
    out.append(f'  clerk{{{{"Clerk: sign-in ({factors}); MFA {mfa}"}}}}')
    for c in clients:
        out.append(f"  user --> {c}")
        out.append(f"  {c} -- session token --> clerk")
    if d("sso.enterprise"):
        who = "Company IdP" if arch.requirements.audience == "internal" else "Customer IdPs"
        out.append(f'  idp["{who} (SAML / OIDC)"]')
        out.append("  clerk -- enterprise SSO --> idp")
    if d("orgs.enabled"):
        roles = ", ".join(d("orgs.roles"))
        out.append(f'  orgs["Organizations: {roles}"]')
        out.append("  clerk --- orgs")
    backends: list[str] = list(plat.backends) or (["nextjs"] if plat.web == "nextjs" else [])
    for b in backends:
        name = "Next.js route handlers" if b == "nextjs" else f"{b} API"
        out.append(f'  api_{b}["{name}: verify token, authorized parties"]')
        for c in clients:
            out.append(f"  {c} -- Bearer / cookie --> api_{b}")
        if d("webhooks.events"):
            out.append(f"  clerk -- signed webhooks --> api_{b}")
    if d("m2m.enabled") and backends:
        out.append('  svc["Your services"]')
        out.append(f"  svc -- M2M token --> api_{backends[0]}")
    if d("api_keys.enabled") and backends:
        out.append('  ext_client["Customers\' scripts"]')
        out.append(f"  ext_client -- API key --> api_{backends[0]}")
    return "\n".join(out)


def render_markdown(arch: Architecture, references: Mapping[str, Reference]) -> str:
    a = arch.assurance
    lines = [
        f"# Clerk architecture: {arch.requirements.project.name}",
        "",
        f"Generated by clerk-advisor {inline(arch.tool_version)} with rule pack {inline(arch.rules_version)}. "
        f"Requirements digest `{arch.requirements_sha256[:12]}`.",
        "",
        f"**Assurance:** {inline(a.aal)} (NIST SP 800-63-4 impact: {inline(a.impact)}); "
        f"OWASP ASVS 5.0 level {inline(a.asvs_level)}.",
        "",
        "```mermaid",
        mermaid(arch),
        "```",
        "",
    ]
    findings = sorted_findings(arch)
    if findings:
        lines += ["## Findings", "", "| Severity | Finding | Rule |", "|---|---|---|"]
        for f in findings:
            lines.append(f"| {inline(f.severity)} | {inline(f.message)} | {code(f.rule)} |")
        lines.append("")
    docs_by_area = _docs_by_area(arch)
    for area, items in grouped(arch).items():
        lines += [f"## {inline(AREAS.get(area, area))}", "", "| Decision | Value | Why | Rules | Sources |",
                  "|---|---|---|---|---|"]
        for key, rec in items:
            rules = ", ".join(code(r) for r in rec.rules) or "-"
            refs = ", ".join(_ref_link(r, references) for r in rec.refs) or "-"
            lines.append(f"| {code(key)} | {inline(display(key, rec.value))} | {inline(rec.reason)} | {rules} "
                         f"| {refs} |")
        lines.append("")
        for excerpt in docs_by_area.get(area, []):
            lines.append(f"> **Current Clerk docs:** {link(excerpt.title, excerpt.source_url)}  ")
            lines.append(f"> {inline(excerpt.quote)}")
            lines.append("")
    cited = sorted({r for rec in arch.decisions.values() for r in rec.refs})
    if cited:
        lines += ["## References", ""]
        for key in cited:
            ref = references.get(key)
            lines.append(f"- {code(key)}: {link(ref.title, ref.url)}" if ref else f"- {code(key)}")
        lines.append("")
    lines.append("Ask `clerk-advisor explain KEY` for every rule that touched a decision, winners and losers.")
    return "\n".join(lines) + "\n"


def _docs_by_area(arch: Architecture) -> dict[str, list[Excerpt]]:
    out: dict[str, list[Excerpt]] = {}
    for record in arch.docs:
        out.setdefault(area_of(record.area), []).extend(record.excerpts)
    return out
