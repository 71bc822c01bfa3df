import jwt
import requests
from fastapi import FastAPI, Header, HTTPException

app = FastAPI()
ISSUER = "https://clerk.acme.example.com"


def verify(authorization: str) -> dict:
    token = authorization.removeprefix("Bearer ")
    jwks = requests.get(f"{ISSUER}/.well-known/jwks.json", timeout=5).json()  # ruleid: python.jwks-per-request
    key = jwt.algorithms.RSAAlgorithm.from_jwk(jwks["keys"][0])
    return jwt.decode(token, key, algorithms=["RS256"], options={"verify_exp": False})  # ruleid: python.jwt-claims-unchecked


@app.get("/internal/invoices/{org_id}")
async def invoices(org_id: str, authorization: str = Header()):  # ruleid: authz.tenant-id-from-request
    claims = verify(authorization)
    if claims.get("org_role") != "org:admin":  # ruleid: authz.org-claims-v1
        raise HTTPException(403)
    return {"org": org_id, "invoices": []}
