"""Semantic diff of two snapshots, naming the cause of every change. Pure.

A decision that changed is explained by what changed underneath it: requirement fields
that the rules behind it read, rules added, removed or re-versioned among those rules,
a different winning rule, and changed docs for its area.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from advisor.architecture import Architecture
from advisor.engine.decisions import DERIVED, area_of
from advisor.values import as_yaml, plain


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(data, dict):
        for k, v in data.items():
            out.update(_flatten(v, f"{prefix}{k}."))
    else:
        out[prefix[:-1]] = data
    return out


@dataclass
class DecisionChange:
    key: str
    old: Any
    new: Any
    causes: list[str] = field(default_factory=list)
    old_rule: str | None = None
    new_rule: str | None = None

    def to_data(self) -> dict[str, Any]:
        return {"key": self.key, "old": self.old, "new": self.new, "old_rule": self.old_rule,
                "new_rule": self.new_rule, "causes": self.causes}


@dataclass
class SnapshotDiff:
    old_label: str
    new_label: str
    requirements: list[dict[str, Any]]
    rules_version: tuple[str, str] | None
    rules_added: list[str]
    rules_removed: list[str]
    rules_changed: list[dict[str, Any]]
    docs_changed: list[str]
    decisions: list[DecisionChange]
    findings_added: list[dict[str, Any]]
    findings_removed: list[dict[str, Any]]
    findings_changed: list[dict[str, Any]]
    config_changed: bool

    @property
    def has_changes(self) -> bool:
        """What --exit-code and --check report: a different recommendation."""
        return bool(self.decisions or self.findings_added or self.findings_removed
                    or self.findings_changed or self.config_changed)

    @property
    def has_any(self) -> bool:
        return self.has_changes or bool(self.requirements or self.rules_version or self.rules_added
                                        or self.rules_removed or self.rules_changed or self.docs_changed)

    def to_data(self) -> dict[str, Any]:
        return {
            "old": self.old_label,
            "new": self.new_label,
            "changed": self.has_changes,
            "requirements": self.requirements,
            "rules_version": list(self.rules_version) if self.rules_version else None,
            "rules": {"added": self.rules_added, "removed": self.rules_removed, "changed": self.rules_changed},
            "docs_changed": self.docs_changed,
            "decisions": [d.to_data() for d in self.decisions],
            "findings": {"added": self.findings_added, "removed": self.findings_removed,
                         "changed": self.findings_changed},
            "clerk_config_changed": self.config_changed,
        }


def diff_snapshots(old: Architecture, new: Architecture, *, old_label: str = "old",
                   new_label: str = "new", reads: dict[str, frozenset[str]] | None = None) -> SnapshotDiff:
    """Compare two architectures. `reads` maps rule id -> facts its condition reads (from the pack)."""
    reads = reads or {}
    old_req, new_req = _flatten(old.requirements.to_data()), _flatten(new.requirements.to_data())
    req_changes: list[dict[str, Any]] = [
        {"field": k, "old": old_req.get(k), "new": new_req.get(k)}
        for k in sorted(set(old_req) | set(new_req)) if old_req.get(k) != new_req.get(k)
    ]
    # Derived facts (assurance.*) are read by rules too: a change there is a cause as well.
    derived_changes = [
        {"field": k, "old": old.value(k), "new": new.value(k)} for k in DERIVED if old.value(k) != new.value(k)
    ]
    fact_changes = req_changes + derived_changes
    changed_fields = {c["field"] for c in fact_changes}
    old_rules, new_rules = old.rule_versions, new.rule_versions
    added = sorted(set(new_rules) - set(old_rules))
    removed = sorted(set(old_rules) - set(new_rules))
    rechanged: list[dict[str, Any]] = [
        {"rule": r, "old_version": old_rules[r], "new_version": new_rules[r]}
        for r in sorted(set(old_rules) & set(new_rules)) if old_rules[r] != new_rules[r]
    ]
    rule_events = {r: f"rule {r} added" for r in added}
    rule_events.update({r: f"rule {r} removed" for r in removed})
    rule_events.update({c["rule"]: f"rule {c['rule']} changed v{c['old_version']} -> v{c['new_version']}"
                        for c in rechanged})
    old_docs = {d.area: d.sha256 for d in old.docs}
    new_docs = {d.area: d.sha256 for d in new.docs}
    docs_changed = sorted(a for a in set(old_docs) | set(new_docs) if old_docs.get(a) != new_docs.get(a))

    decisions: list[DecisionChange] = []
    for key in [*new.decisions, *(k for k in old.decisions if k not in new.decisions)]:
        o = old.decisions[key] if key in old.decisions else None
        n = new.decisions[key] if key in new.decisions else None
        ov = plain(o.value) if o else None
        nv = plain(n.value) if n else None
        if ov == nv:
            continue
        orules = list(o.rules) if o else []
        nrules = list(n.rules) if n else []
        change = DecisionChange(key, ov, nv, old_rule=orules[0] if orules else None,
                                new_rule=nrules[0] if nrules else None)
        touched = list(dict.fromkeys(nrules + orules))
        fields = sorted({f for r in touched for f in reads.get(r, ()) if f in changed_fields})
        for label, group in (("requirements changed", req_changes), ("assurance changed", derived_changes)):
            hits = [c for c in group if c["field"] in fields]
            if hits:
                change.causes.append(f"{label}: " + ", ".join(
                    f"{c['field']} {as_yaml(c['old'])} -> {as_yaml(c['new'])}" for c in hits))
        for r in touched:
            if r in rule_events:
                change.causes.append(rule_events[r])
        newly = [r for r in nrules if r not in orules]
        gone = [r for r in orules if r not in nrules]
        if newly and not any(r in rule_events for r in newly):
            change.causes.append("now applies: " + ", ".join(newly))
        if gone and not any(r in rule_events for r in gone):
            change.causes.append("no longer applies: " + ", ".join(gone))
        if change.old_rule != change.new_rule and change.new_rule and change.new_rule not in newly:
            change.causes.append(f"decided by {change.new_rule} (was {change.old_rule or 'no rule'})")
        area_docs = [a for a in docs_changed if area_of(a) == area_of(key)]
        if area_docs:
            change.causes.append("docs changed for " + ", ".join(area_docs))
        if not change.causes and req_changes:
            change.causes.append("requirements changed: " + ", ".join(c["field"] for c in req_changes))
        if not change.causes:
            change.causes.append("rule pack changed" if old.rules_version != new.rules_version
                                 else "cause not recorded in the snapshots")
        decisions.append(change)

    ofind = {f.id: f.to_data() for f in old.findings}
    nfind = {f.id: f.to_data() for f in new.findings}
    f_added = [nfind[i] for i in sorted(set(nfind) - set(ofind))]
    f_removed = [ofind[i] for i in sorted(set(ofind) - set(nfind))]
    f_changed = [
        {"id": i, "old": ofind[i], "new": nfind[i]}
        for i in sorted(set(ofind) & set(nfind)) if ofind[i] != nfind[i]
    ]
    rv = (old.rules_version, new.rules_version)
    return SnapshotDiff(
        old_label=old_label, new_label=new_label, requirements=req_changes,
        rules_version=rv if rv[0] != rv[1] else None,
        rules_added=added, rules_removed=removed, rules_changed=rechanged, docs_changed=docs_changed,
        decisions=decisions, findings_added=f_added, findings_removed=f_removed, findings_changed=f_changed,
        config_changed=plain(old.clerk_config) != plain(new.clerk_config),
    )
