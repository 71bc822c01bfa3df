import logging
import os

import jwt
from clerk_backend_api.security import authenticate_request
from clerk_backend_api.security.types import AuthenticateRequestOptions
from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse
from flask import Flask, g
from flask import request as flask_request

from app.settings import settings

log = logging.getLogger(__name__)
app = Flask(__name__)
FAKE_USER = {"user_id": "user_dev", "org_id": None}
DEBUG = os.environ.get("DEBUG") == "1"


def options() -> AuthenticateRequestOptions:
    # ok: auth.dev-bypass
    if settings.debug:
        parties = ["http://localhost:3000"]
    else:
        parties = ["https://app.example.com"]
    return AuthenticateRequestOptions(authorized_parties=parties, accepts_token=["session_token"])


def current_user(request: Request) -> dict:
    # ruleid: auth.dev-bypass
    if settings.debug:
        return FAKE_USER
    state = authenticate_request(request, options())
    if not state.is_signed_in:
        raise HTTPException(401)
    return {"user_id": state.payload["sub"]}


def header_user(request: Request) -> dict:
    # ruleid: auth.dev-bypass
    if os.environ.get("DEV_AUTH") == "1":
        return {"user_id": request.headers.get("x-user-id")}
    return current_user(request)


def production_only(request: Request) -> dict | None:
    # ruleid: auth.dev-bypass
    if os.getenv("APP_ENV") == "production":
        return current_user(request)
    return None


@app.before_request
def load_user() -> None:
    # ruleid: auth.dev-bypass
    if DEBUG and flask_request.headers.get("X-Debug-User"):
        g.user_id = flask_request.headers["X-Debug-User"]
        return
    token = flask_request.headers.get("authorization", "").removeprefix("Bearer ")
    g.user_id = jwt.decode(token, settings.jwt_key, algorithms=["RS256"], issuer=settings.issuer)["sub"]


async def strict_user(request: Request):
    # ok: auth.dev-bypass
    if settings.debug:
        log.info("verifying %s", request.url)
    # ok: auth.dev-bypass
    if not os.environ.get("CLERK_SECRET_KEY"):
        raise HTTPException(500, "CLERK_SECRET_KEY is not set")
    # ok: auth.dev-bypass
    if os.environ.get("MAINTENANCE") == "1":
        return JSONResponse({"error": "maintenance"}, status_code=503)
    # ok: auth.dev-bypass
    if settings.environment == "production":
        log.info("production request")
    return current_user(request)


async def auth_middleware(request: Request, call_next):
    # ruleid: auth.dev-bypass
    if os.environ.get("SKIP_AUTH"):
        return await call_next(request)
    current_user(request)
    return await call_next(request)


def list_invoices(request: Request) -> list[dict]:
    user = current_user(request)
    # ok: auth.dev-bypass
    if settings.reports_disabled:
        return []
    return [user]


async def tracing_middleware(request: Request, call_next):
    response = await call_next(request)
    current_user(request)
    # ok: auth.dev-bypass
    if settings.debug:
        response.headers["x-debug-user"] = "traced"
    return response
