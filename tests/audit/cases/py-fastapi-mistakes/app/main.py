import json
import os

from fastapi import Depends, FastAPI, Request
from svix.webhooks import Webhook

from app.auth import current_user
from app.db import db

app = FastAPI()


@app.get("/api/orgs/{org_id}/projects")
# ruleid: authz.tenant-id-from-request
async def projects(org_id: str, user: dict = Depends(current_user)):
    return db.projects_for(org_id)


@app.get("/api/orgs/{org_id}/members")
# ok: authz.tenant-id-from-request
async def members(org_id: str, user: dict = Depends(current_user)):
    if org_id != user["org_id"]:
        return {"error": "forbidden"}
    return db.members_for(org_id)


@app.get("/api/admin")
async def admin(user: dict = Depends(current_user)):
    profile = db.user(user["user_id"])
    # ruleid: authz.unsafe-metadata-role
    if profile.unsafe_metadata.get("role") != "admin":
        return {"error": "forbidden"}
    # ok: authz.unsafe-metadata-role
    return {"plan": profile.public_metadata.get("plan")}


@app.post("/api/webhooks/clerk")
async def clerk_webhook(request: Request):
    # ruleid: webhook.parsed-before-verify
    payload = await request.json()
    Webhook(os.environ["CLERK_WEBHOOK_SIGNING_SECRET"]).verify(json.dumps(payload), dict(request.headers))
    db.upsert_user(payload["data"])
    return {"ok": True}


@app.post("/api/webhooks/billing")
# ruleid: webhook.unverified
async def billing_webhook(request: Request):
    event = await request.json()
    db.record_payment(event)
    return {"ok": True}
