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
