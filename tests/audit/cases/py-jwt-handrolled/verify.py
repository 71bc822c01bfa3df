from functools import lru_cache

import jwt
import requests
from jwt import PyJWKClient

ISSUER = "https://clerk.example.com"
_jwks = PyJWKClient(f"{ISSUER}/.well-known/jwks.json")


def peek(token: str) -> dict:
    # ruleid: python.jwt-signature-unverified
    return jwt.decode(token, options={"verify_signature": False})


def loose(token: str, key: str) -> dict:
    # ruleid: python.jwt-algorithms-unpinned, python.jwt-claims-unchecked
    return jwt.decode(token, key, algorithms=["RS256", "HS256"])


def from_header(token: str, key: str) -> dict:
    header = jwt.get_unverified_header(token)
    # ruleid: python.jwt-algorithms-unpinned, python.jwt-claims-unchecked
    return jwt.decode(token, key, algorithms=[header["alg"]], issuer=ISSUER)


def strict(token: str) -> dict:
    key = _jwks.get_signing_key_from_jwt(token).key
    # ok: python.jwt-signature-unverified, python.jwt-algorithms-unpinned, python.jwt-claims-unchecked
    claims = jwt.decode(token, key, algorithms=["RS256"], issuer=ISSUER)
    if claims.get("azp") not in ("https://app.example.com",):
        raise PermissionError("azp")
    return claims


def per_request(token: str) -> dict:
    # ruleid: python.jwks-per-request
    client = PyJWKClient(f"{ISSUER}/.well-known/jwks.json")
    return {"key": client.get_signing_key_from_jwt(token).key}


def download(token: str) -> dict:
    # ruleid: python.jwks-per-request
    return requests.get(f"{ISSUER}/.well-known/jwks.json", timeout=5).json()


@lru_cache(maxsize=1)
def cached_jwks() -> dict:
    # ok: python.jwks-per-request
    return requests.get(f"{ISSUER}/.well-known/jwks.json", timeout=5).json()


async def handler(token: str) -> dict:
    # ruleid: python.blocking-auth-in-async
    key = _jwks.get_signing_key_from_jwt(token).key
    return {"key": key}
