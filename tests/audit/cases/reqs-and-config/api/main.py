from typing import Annotated

from clerk_backend_api.security import authenticate_request_async
from clerk_backend_api.security.types import AuthenticateRequestOptions
from fastapi import Depends, FastAPI, Request

app = FastAPI()


def session_options() -> AuthenticateRequestOptions:
    # ruleid: requirements.pending-sessions-accepted
    return AuthenticateRequestOptions(authorized_parties=["https://ops.example.com"], accepts_token=["session_token"])


def machine_options() -> AuthenticateRequestOptions:
    # ok: requirements.pending-sessions-accepted
    return AuthenticateRequestOptions(accepts_token=["m2m_token"])


async def get_user(request: Request) -> dict:
    state = await authenticate_request_async(request, session_options())
    return state.payload or {}


async def get_machine(request: Request) -> dict:
    state = await authenticate_request_async(request, machine_options())
    return state.payload or {}


CurrentUser = Annotated[dict, Depends(get_user)]
CurrentMachine = Annotated[dict, Depends(get_machine)]


@app.post("/internal/reindex")
# ruleid: requirements.m2m-route-accepts-sessions
async def reindex(user: CurrentUser) -> dict:
    return {"by": user.get("sub")}


@app.post("/m2m/reindex")
# ok: requirements.m2m-route-accepts-sessions
async def machine_reindex(machine: CurrentMachine) -> dict:
    return {"by": machine.get("subject")}
