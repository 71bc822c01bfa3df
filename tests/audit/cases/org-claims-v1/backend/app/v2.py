def is_admin(claims: dict) -> bool:
    # ruleid: authz.org-claims-v1
    return claims["o"]["rol"] == "org:admin"


def org_id(claims: dict) -> str | None:
    # ok: authz.org-claims-v1
    return (claims.get("o") or {}).get("id") or claims.get("org_id")


def is_member(claims: dict) -> bool:
    # ok: authz.org-claims-v1
    return claims["o"]["rol"] in ("admin", "member")
