import os

import httpx
from clerk_backend_api.security import authenticate_request
from clerk_backend_api.security.types import AuthenticateRequestOptions
from fastapi import HTTPException, Request


def session_options() -> AuthenticateRequestOptions:
    # ruleid: python.authorized-parties-missing, python.accepts-token-any, python.pending-session-accepted
    return AuthenticateRequestOptions(secret_key=os.environ["CLERK_SECRET_KEY"])


async def current_user(request: Request) -> dict:
    # ruleid: python.blocking-auth-in-async
    state = authenticate_request(httpx.Request("GET", str(request.url), headers=dict(request.headers)),
                                 session_options())
    if not state.is_signed_in:
        raise HTTPException(401)
    payload = state.payload or {}
    return {"user_id": payload["sub"], "org_id": payload.get("org_id"), "role": payload.get("org_role")}
