import jwt
from fastapi import Request

PUBLIC_KEY = open("clerk.pem").read()


def current_claims(request: Request) -> dict:
    token = request.headers["authorization"].removeprefix("Bearer ")
    return jwt.decode(token, PUBLIC_KEY, algorithms=["RS256"], issuer="https://clerk.acme.com",
                      options={"require": ["exp", "nbf", "azp"]})
