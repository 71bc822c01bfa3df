"""One audit: read the project once, run every check, apply suppressions, build the report."""

from __future__ import annotations

import os
from pathlib import Path

from advisor.audit.context import AuditOptions, Context
from advisor.audit.instance import load_pulled
from advisor.audit.model import Finding, Report, Stats
from advisor.audit.project import Project
from advisor.audit.registry import BUILTIN, REGISTRY, all_infos, load_checks
from advisor.audit.suppress import apply, collect
from advisor.errors import Location, UserError

_PROJECT_MARKERS = ("package.json", "pyproject.toml", "Pipfile", "setup.py", "manage.py")


def _check_root(root: Path) -> None:
    shown = str(root)
    if not root.exists():
        raise UserError("no such directory", location=Location(shown), field="DIR")
    if not root.is_dir():
        raise UserError("not a directory: check audits a project folder", location=Location(shown), field="DIR",
                        hint="give the folder that holds package.json or your Python code")
    if not os.access(root, os.R_OK | os.X_OK):
        raise UserError("cannot read this directory (permission denied)", location=Location(shown), field="DIR")


def _is_project(project: Project) -> bool:
    if project.js or project.py or project.problems:
        return True
    return any(rel.rsplit("/", 1)[-1] in _PROJECT_MARKERS or rel.rsplit("/", 1)[-1].startswith("requirements")
               for rel in project.sources)


def audit(root: Path | str, options: AuditOptions | None = None) -> Report:
    """Audit the project at `root`. Bad input (no such folder, not a project, a bad
    requirements or pulled config file) raises UserError; a file that cannot be read or
    parsed becomes a finding and the audit goes on."""
    options = options or AuditOptions()
    root = Path(root)
    _check_root(root)
    recommendation = None
    if options.requirements is not None:
        from advisor.audit.recommendation import load_recommendation

        recommendation = load_recommendation(options.requirements, options.rules)
    if len(options.instance_configs) > 2:
        raise UserError("at most two --instance-config files (development and production)",
                        field="--instance-config")
    pulled = [load_pulled(path, root) for path in options.instance_configs]
    project = Project.load(root)
    if not _is_project(project) and not pulled:
        raise UserError("not a project: no package.json, pyproject.toml, requirements file or JS/TS/Python source "
                        "here", location=Location(str(root)), field="DIR")
    ctx = Context(project=project, recommendation=recommendation, pulled=pulled)
    findings = _run_checks(ctx)
    findings += [ctx.at("audit.parse-error" if p.reason.startswith("could not parse") else "audit.unreadable-file",
                        p.rel, p.line, p.column, p.reason) for p in project.problems]
    suppressions, invalid = collect(project, lambda i: i in REGISTRY or i in BUILTIN)
    findings += [ctx.at("audit.suppression-invalid", rel, line, 1, message) for rel, line, message in invalid]
    kept, silenced = apply(_dedupe(findings), suppressions)
    kept = sorted((_with_snippet(project, f) for f in kept), key=Finding.sort_key)
    stats = Stats(files_scanned=len(project.sources), files_parsed=len(project.js) + len(project.py),
                  files_skipped=project.fileset.skipped, parse_errors=sum(
                      1 for p in project.problems if p.reason.startswith("could not parse")))
    return Report(root=str(project.root), findings=kept, suppressed=silenced, checks=all_infos(), stats=stats)


def _run_checks(ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    for check_id, check in sorted(load_checks().items()):
        try:
            findings.extend(check.run(ctx))
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others' findings
            findings.append(ctx.at("audit.check-error", ".", 1, 1,
                                   f"{check_id} failed: {type(exc).__name__}: {exc}"))
            if os.environ.get("CLERK_ADVISOR_DEBUG"):
                raise
    return findings


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple] = set()
    unique = []
    for finding in findings:
        key = (finding.check_id, finding.path, finding.line, finding.column, finding.message)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


def _with_snippet(project: Project, finding: Finding) -> Finding:
    """The finding's line as context, with any secret key on it cut to its prefix."""
    from advisor.audit.checks.secrets import redact_keys

    source = project.sources.get(finding.path)
    return finding.with_snippet(redact_keys(source.line_text(finding.line))) if source is not None else finding



