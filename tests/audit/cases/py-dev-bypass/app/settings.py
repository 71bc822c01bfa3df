import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    debug: bool
    environment: str
    jwt_key: str
    issuer: str


settings = Settings(debug=os.environ.get("DEBUG") == "1", environment=os.environ.get("APP_ENV", "development"),
                    jwt_key=os.environ.get("CLERK_JWT_KEY", ""), issuer=os.environ.get("CLERK_ISSUER", ""))
