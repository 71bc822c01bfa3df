"""Checks on requirement values that a type and a pattern cannot say, shared by the
pydantic model (its validators) and the fast loader, so both refuse the same input with
the same words."""

from __future__ import annotations

import re

ROLE_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
DEFAULT_ROLES = ("admin", "member")
MAX_CUSTOM_ROLES = 50
MAX_MAU = 10_000_000_000  # more people than there are


def no_duplicates(items: list[object]) -> list[object]:
    """Linear: a file's list can be long, and a quadratic check was the slow part."""
    seen: set[tuple[type, object]] = set()
    for item in items:
        try:
            key = (type(item), item)
            if key in seen:
                raise ValueError(f"{item!r} is listed twice")
            seen.add(key)
        except TypeError:  # a list or mapping inside a list: the type check reports it
            continue
    return items


def check_regions(regions: list[str]) -> list[str]:
    if "global" in regions and len(regions) > 1:
        raise ValueError("global already covers every region: list only global, or only the regions your users are in")
    return regions


def role_keys(roles: list[str]) -> list[str]:
    """Custom role keys, `org:` prefix removed; raises ValueError naming the bad one."""
    out: list[str] = []
    if len(roles) > MAX_CUSTOM_ROLES:
        raise ValueError(f"{len(roles)} custom roles; at most {MAX_CUSTOM_ROLES} (Clerk allows 10 per instance "
                         "without contacting support)")
    for role in roles:
        key = role.removeprefix("org:")
        if not ROLE_KEY.fullmatch(key):
            raise ValueError(f"role key {role!r} must be 1-40 characters of a-z, 0-9 and _, starting with a letter")
        if key in DEFAULT_ROLES:
            raise ValueError(f"role {key!r} is one of Clerk's default roles; list only custom roles")
        if key in out:
            raise ValueError(f"role {key!r} is listed twice")
        out.append(key)
    return out


CHECKS = {"role_keys": role_keys, "regions": check_regions}
# Values that span the language a check accepts (shortest, typical, digits and underscore,
# longest): a rule that prefixes them must still produce valid decision values.
SAMPLES: dict[str, tuple[str, ...]] = {"role_keys": ("a", "billing", "viewer_2", "r" + "x" * 39)}
