"""Rendering a snapshot for people: a terminal summary and a markdown report.

Both are pure functions of the snapshot (and the pack's references, for links), so the
committed example reports can be checked for staleness byte for byte.
"""

from __future__ import annotations

import os
from typing import Any, Callable

from advisor.decisions import DECISIONS
from advisor.markdown import inline, url

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
}
SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")


def area_of(key: str) -> str:
    return key.split(".", 1)[0]


def show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(map(str, value)) if value else "(none)"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items()) if value else "(none)"
    return str(value)


def show_decision(key: str, value: Any) -> str:
    if value is None and key in DECISIONS:
        return DECISIONS[key].null_label  # "none" (no limit) or "not applicable"
    if key.endswith("_seconds") and isinstance(value, int) and not isinstance(value, bool):
        return f"{_duration(value)} ({value} s)"
    if key.endswith("_minutes") and isinstance(value, int) and not isinstance(value, bool):
        return f"{value} min"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return show(value)


def _duration(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"


def grouped(snapshot: dict[str, Any]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    out: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for key in DECISIONS:
        if key in snapshot["decisions"]:
            out.setdefault(area_of(key), []).append((key, snapshot["decisions"][key]))
    for key, rec in snapshot["decisions"].items():  # keys from a newer tool version
        if key not in DECISIONS:
            out.setdefault(area_of(key), []).append((key, rec))
    return out


def sorted_findings(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    return sorted(snapshot["findings"], key=lambda f: (rank.get(f["severity"], 9), f["id"]))


# ---------------------------------------------------------------- terminal


def wants_color(stream) -> bool:
    return bool(hasattr(stream, "isatty") and stream.isatty() and not os.environ.get("NO_COLOR"))


def styler(use: bool) -> Callable[[str, str], str]:
    codes = {"bold": "1", "dim": "2", "red": "31", "yellow": "33", "green": "32", "cyan": "36"}

    def style(text: str, name: str) -> str:
        return f"\033[{codes[name]}m{text}\033[0m" if use else text
    return style


SEVERITY_STYLE = {"critical": "red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}


def render_text(snapshot: dict[str, Any], color: bool = False) -> str:
    style = styler(color)
    req = snapshot["requirements"]
    a = snapshot["assurance"]
    lines = [
        style(f"Clerk architecture for {req['project']['name']}", "bold"),
        f"  {a['aal']} (impact {a['impact']}), OWASP ASVS level {a['asvs_level']}; "
        f"rules {snapshot['rules_version']}",
        "",
    ]
    for area, items in grouped(snapshot).items():
        if area == "assurance":
            continue
        lines.append(style(AREAS.get(area, area), "bold"))
        for key, rec in items:
            lines.append(f"  {key:<36} {show_decision(key, rec['value'])}")
            if rec["rules"]:
                lines.append(style(f"  {'':<36} {rec['reason']} [{rec['rules'][0]}]", "dim"))
        lines.append("")
    findings = sorted_findings(snapshot)
    if findings:
        lines.append(style(f"Findings ({len(findings)})", "bold"))
        for f in findings:
            tag = style(f"{f['severity']:<8}", SEVERITY_STYLE.get(f["severity"], "dim"))
            lines.append(f"  {tag} {f['message']} [{f['rule']}]")
        lines.append("")
    lines.append(style("`clerk-advisor explain KEY` shows every rule behind a decision.", "dim"))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- markdown


def _ref_link(key: str, references: dict[str, Any]) -> str:
    ref = references.get(key)
    return f"[{inline(key)}]({url(ref.url)})" if ref is not None else inline(key)


def mermaid(snapshot: dict[str, Any]) -> str:
    """A flowchart of who authenticates where; labels come from fixed vocabularies only."""
    req = snapshot["requirements"]
    d = {k: v["value"] for k, v in snapshot["decisions"].items()}
    plat = req["platforms"]
    out = ["flowchart LR"]
    out.append('  user(["People"])')
    clients: list[str] = []
    if plat["web"] != "none":
        label = f"Next.js {plat['nextjs_version']} app" if plat["web"] == "nextjs" else "React app"
        out.append(f'  web["{label}"]')
        clients.append("web")
    for m in plat["mobile"]:
        out.append(f'  mobile_{m}["{ {"expo": "Expo app", "ios": "iOS app", "android": "Android app"}[m] }"]')
        clients.append(f"mobile_{m}")
    if plat["chrome_extension"]:
        out.append('  ext["Chrome extension"]')
        clients.append("ext")
    factors = ", ".join(d.get("auth.first_factors") or []) or "none"
    mfa = d.get("auth.mfa.policy", "off")
    out.append(f'  clerk{{{{"Clerk: sign-in ({factors}); MFA {mfa}"}}}}')
    for c in clients:
        out.append(f"  user --> {c}")
        out.append(f"  {c} -- session token --> clerk")
    if d.get("sso.enterprise"):
        who = "Company IdP" if req["audience"] == "internal" else "Customer IdPs"
        out.append(f'  idp["{who} (SAML / OIDC)"]')
        out.append("  clerk -- enterprise SSO --> idp")
    if d.get("orgs.enabled"):
        roles = ", ".join(d.get("orgs.roles") or [])
        out.append(f'  orgs["Organizations: {roles}"]')
        out.append("  clerk --- orgs")
    backends = plat["backends"] or (["nextjs"] if plat["web"] == "nextjs" else [])
    for b in backends:
        name = "Next.js route handlers" if b == "nextjs" else f"{b} API"
        out.append(f'  api_{b}["{name}: verify token, authorized parties"]')
        for c in clients:
            out.append(f"  {c} -- Bearer / cookie --> api_{b}")
        if d.get("webhooks.events"):
            out.append(f"  clerk -- signed webhooks --> api_{b}")
    if d.get("m2m.enabled") and backends:
        out.append('  svc["Your services"]')
        out.append(f"  svc -- M2M token --> api_{backends[0]}")
    if d.get("api_keys.enabled") and backends:
        out.append('  ext_client["Customers\' scripts"]')
        out.append(f"  ext_client -- API key --> api_{backends[0]}")
    return "\n".join(out)


def render_markdown(snapshot: dict[str, Any], references: dict[str, Any]) -> str:
    req = snapshot["requirements"]
    a = snapshot["assurance"]
    name = req["project"]["name"]
    lines = [
        f"# Clerk architecture: {name}",
        "",
        f"Generated by clerk-advisor {snapshot['tool_version']} with rule pack {snapshot['rules_version']}. "
        f"Requirements digest `{snapshot['requirements_sha256'][:12]}`.",
        "",
        f"**Assurance:** {a['aal']} (NIST SP 800-63-4 impact: {a['impact']}); OWASP ASVS 5.0 level {a['asvs_level']}.",
        "",
        "```mermaid",
        mermaid(snapshot),
        "```",
        "",
    ]
    findings = sorted_findings(snapshot)
    if findings:
        lines += ["## Findings", "", "| Severity | Finding | Rule |", "|---|---|---|"]
        for f in findings:
            lines.append(f"| {f['severity']} | {inline(f['message'])} | `{f['rule']}` |")
        lines.append("")
    docs_by_area = _docs_by_area(snapshot)
    for area, items in grouped(snapshot).items():
        lines += [f"## {AREAS.get(area, area)}", "", "| Decision | Value | Why | Rules | Sources |", "|---|---|---|---|---|"]
        for key, rec in items:
            rules = ", ".join(f"`{r}`" for r in rec["rules"]) or "-"
            refs = ", ".join(_ref_link(r, references) for r in rec["refs"]) or "-"
            lines.append(f"| `{key}` | {inline(show_decision(key, rec['value']))} | {inline(rec['reason'])} | {rules} | {refs} |")
        lines.append("")
        for excerpt in docs_by_area.get(area, []):
            title = inline(excerpt["title"])
            link = f"[{title}]({url(excerpt['source_url'])})" if excerpt.get("source_url") else title
            lines.append(f"> **Current Clerk docs:** {link}  ")
            lines.append(f"> {inline(excerpt['quote'])}")
            lines.append("")
    cited = sorted({r for rec in snapshot["decisions"].values() for r in rec["refs"]})
    if cited:
        lines += ["## References", ""]
        for key in cited:
            ref = references.get(key)
            lines.append(f"- `{key}`: [{inline(ref.title)}]({url(ref.url)})" if ref else f"- `{key}`")
        lines.append("")
    lines.append("Ask `clerk-advisor explain KEY` for every rule that touched a decision, winners and losers.")
    return "\n".join(lines) + "\n"


def _docs_by_area(snapshot: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for record in snapshot.get("docs") or []:
        for excerpt in record.get("excerpts", []):
            out.setdefault(area_of(record.get("area", "")), []).append(excerpt)
    return out


def render_json(snapshot: dict[str, Any]) -> str:
    from advisor.history import dumps  # the snapshot file format is the json report

    return dumps(snapshot)
