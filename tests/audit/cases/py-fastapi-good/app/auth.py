import os

from clerk_backend_api.security import authenticate_request_async
from clerk_backend_api.security.types import AuthenticateRequestOptions
from fastapi import HTTPException, Request

SESSION = "session_token"
M2M = "m2m_token"


def session_options() -> AuthenticateRequestOptions:
    # ok: python.authorized-parties-missing, python.accepts-token-any, python.pending-session-accepted
    return AuthenticateRequestOptions(
        jwt_key=os.environ["CLERK_JWT_KEY"],
        authorized_parties=["https://app.example.com"],
        accepts_token=[SESSION],
    )


def machine_options() -> AuthenticateRequestOptions:
    # ok: python.authorized-parties-missing
    return AuthenticateRequestOptions(machine_secret_key=os.environ["CLERK_MACHINE_SECRET_KEY"], accepts_token=[M2M])


async def current_user(request: Request) -> dict:
    # ok: python.blocking-auth-in-async
    state = await authenticate_request_async(request, session_options())
    payload = state.payload or {}
    if not state.is_signed_in or payload.get("sts") == "pending":
        raise HTTPException(401)
    return {"user_id": payload["sub"], "org_id": payload.get("org_id")}


def require_custom_permission(user: dict, permissions: list[str]) -> bool:
    # ok: authz.system-permission-check
    return "org:projects:manage" in permissions


def require_system_permission(permissions: list[str]) -> bool:
    # ruleid: authz.system-permission-check
    return "org:sys_billing:manage" in permissions
