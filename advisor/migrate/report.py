"""What people read: the text summaries of convert, import, status and rollback.

Data documents (`--format json`) are the result objects' own dictionaries; this module
only words them. Nothing here sees a secret: results carry counts, ids and error codes.
"""

from __future__ import annotations

from typing import Any


def _n(value: int) -> str:
    return f"{value:,}"


def _table(counts: dict[str, int], indent: str = "  ") -> list[str]:
    width = max((len(k) for k in counts), default=0)
    return [f"{indent}{key:<{width}}  {_n(n)}" for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def convert_text(s: Any) -> str:
    lines = [f"converted {_n(s.users)} users from {s.source} into {s.output} ({s.seconds:.1f} s)"]
    hashers = "; ".join(f"{k} {_n(v)}" for k, v in sorted(s.hashers.items()))
    lines.append(f"  passwords: {hashers + '; ' if hashers else ''}none {_n(s.without_password)}"
                 " (imported with skip_password_requirement)")
    lines.append(f"  TOTP secrets {_n(s.with_totp)}, backup codes {_n(s.with_backup_codes)}, banned {_n(s.banned)}")
    lines.append(f"  reserved (not verified in {s.source}): {_n(s.reserved_emails)} emails, "
                 f"{_n(s.reserved_phones)} phones")
    rejected = sum(s.rejected.values())
    skipped = sum(s.skipped.values())
    if rejected or skipped:
        lines.append(f"not converted: {_n(rejected)} rejected, {_n(skipped)} skipped; each with its reason in "
                     f"{s.rejects_file}")
        lines += _table({f"rejected {k}": v for k, v in s.rejected.items()})
        lines += _table({f"skipped {k}": v for k, v in s.skipped.items()})
    if s.notes or s.counts:
        lines.append("notes:")
        lines += [f"  - {note}" for note in s.notes]
        lines += [f"  - {label}: {_n(n)}" for label, n in sorted(s.counts.items())]
    for hasher, entry in sorted(s.unverified.items()):
        lines.append(f"UNVERIFIED: {_n(entry['users'])} users use {hasher}: {entry['reason']}. `migrate import` "
                     "imports them only after a spot check (--spot-check) passes for this hasher.")
    lines.append(f"next: clerk-advisor migrate import {s.output} --dry-run")
    return "\n".join(lines)


def _where(instance: dict[str, Any] | None) -> str:
    if not instance:
        return "no instance (no CLERK_SECRET_KEY)"
    ident = f" ({instance['id']})" if instance.get("id") else ""
    return f"the {instance['kind']} instance at {instance['api_url']}{ident}"


def _failures(failures: list[dict[str, Any]], by_code: dict[str, int], shown: int = 5) -> list[str]:
    lines = []
    for code, count in sorted(by_code.items(), key=lambda kv: (-kv[1], str(kv[0]))):
        ids = [f["external_id"] for f in failures if f["code"] == code][:shown]
        more = f", ... ({_n(count - len(ids))} more)" if count > len(ids) else ""
        lines.append(f"    {code:<36} {_n(count):>7}  {', '.join(ids)}{more}")
    return lines


def _spot_checks(checks: list[dict[str, Any]]) -> list[str]:
    return [f"  spot check {c['hasher']} (user {c['external_id']}): "
            + ("passed: Clerk verified the known password" if c["passed"] else f"FAILED ({c['code']})") for c in checks]


def import_text(r: Any) -> str:
    if r.dry_run:
        return _dry_run_text(r)
    journal = r.journal
    in_clerk = journal.get("created", 0) + journal.get("existed", 0)
    lines = [f"imported {r.users_file} into {_where(r.instance)}",
             f"  {_n(r.total)} users: {_n(in_clerk)} in Clerk ({_n(journal.get('created', 0))} created by this "
             f"migration, {_n(journal.get('existed', 0))} were there already), {_n(journal.get('failed', 0))} failed"
             + (f", {_n(journal['pending'])} pending" if journal.get("pending") else ""),
             f"  this run: {_n(r.created)} created, {_n(r.existed)} found already in Clerk, {_n(r.failed)} failed, "
             f"{_n(r.already_done)} done by an earlier run"]
    if r.failures_by_code:
        lines.append("  failed, by Clerk's error code (external_ids):")
        lines += _failures(r.failures, r.failures_by_code)
    lines += _spot_checks(r.spot_checks)
    lines += [f"  note: {note}" for note in r.notes]
    speed = (r.created + r.existed + r.failed) / r.seconds if r.seconds else 0.0
    lines.append(f"  {_n(r.requests)} requests at up to {r.rate:g}/s ({_n(r.throttled)} answered 429, "
                 f"{_n(r.retries)} retried), {r.seconds:.1f} s, {speed:,.1f} users/s")
    if r.files:
        lines.append(f"  failures: {r.files['failures']}")
        lines.append(f"  id map:   {r.files['id_map']}")
    lines.append("next: clerk-advisor migrate status" + (f" --state {r.state}" if r.state else "")
                 + "   (or migrate rollback to undo)")
    return "\n".join(lines)


def _dry_run_text(r: Any) -> str:
    lines = [f"dry run of {r.users_file} against {_where(r.instance)}: nothing was imported",
             f"  {_n(r.total)} users: every line is a valid CreateUser body, no identifier is used twice"]
    hashers = "; ".join(f"{k} {_n(v)}" for k, v in sorted(r.hashers.items()))
    lines.append(f"  passwords: {hashers or 'none'}")
    if r.instance:
        if "user_count" in r.instance:
            cap = f" (development cap {_n(r.instance['user_cap'])})" if "user_cap" in r.instance else ""
            lines.append(f"  the instance has {_n(r.instance['user_count'])} users{cap}")
        lines.append(f"  already in Clerk (same external_id): {_n(r.existed)}; would be created: {_n(r.would_create)}")
        if r.would_conflict:
            lines.append(f"  would fail with form_identifier_exists (taken by another Clerk user): "
                         f"{_n(len(r.would_conflict))}")
            lines += [f"    {c['external_id']}: {c['field']} belongs to {c['clerk_user_id']}"
                      for c in r.would_conflict[:10]]
    lines += _spot_checks(r.spot_checks)
    if r.problems:
        lines.append("problems:")
        lines += [f"  - {p}" for p in r.problems]
    lines += [f"note: {note}" for note in r.notes]
    lines.append("UNVERIFIED by a dry run: Clerk's own checks at create time (instance settings such as required "
                 "fields, username rules, per-country phone plans); they show up per user at import, with their code")
    return "\n".join(lines)


def status_text(s: dict[str, Any]) -> str:
    journal = s["journal"]
    lines = [f"migration state {s['state']} (users file {s['users_file']})",
             f"  {_where(s['instance'])}",
             f"  {_n(s['users'])} users in the journal: " + ", ".join(
                 f"{_n(journal.get(k, 0))} {k.replace('_', ' ')}"
                 for k in ("created", "existed", "failed", "pending", "rolled_back") if journal.get(k))]
    if journal.get("pending"):
        lines.append("  pending: a run was interrupted; run import again to resolve them (or rollback)")
    if s["failures_by_code"]:
        lines.append("  failed, by Clerk's error code (external_ids):")
        lines += _failures(s["failures"], s["failures_by_code"])
    if s["spot_checks_passed"]:
        lines.append(f"  spot checks passed: {', '.join(s['spot_checks_passed'])}")
    if s["spot_check_users_left"]:
        lines.append(f"  {s['spot_check_users_left']} spot-check test users may be left; rollback deletes them")
    return "\n".join(lines)


def rollback_text(r: Any) -> str:
    lines = [f"rolled back {r.state} in {_where(r.instance)}",
             f"  deleted {_n(r.deleted)}; already gone {_n(r.already_gone)}; pending marks never created "
             f"{_n(r.never_created)}; could not delete {_n(len(r.failed))}",
             f"  {_n(r.requests)} requests ({_n(r.throttled)} answered 429), {r.seconds:.1f} s"]
    lines += [f"    {f['external_id']} ({f['clerk_user_id']}): {f['code']} {f['message']}" for f in r.failed[:20]]
    return "\n".join(lines)
