from fastapi import APIRouter, Depends, HTTPException

from app.auth import current_claims
from app.db import Project, audit_log, get_db

router = APIRouter()


@router.get("/projects")
def projects(claims: dict = Depends(current_claims), db=Depends(get_db)):
    # ruleid: authz.org-claims-v1
    if claims.get("org_role") != "org:admin":
        raise HTTPException(403)
    audit_log(org=claims["org_slug"])  # ruleid: authz.org-claims-v1
    # ruleid: authz.org-claims-v1
    return db.query(Project).filter(Project.org_id == claims["org_id"]).all()
