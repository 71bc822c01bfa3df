import os

from app.auth import current_user


def fake_login(request):
    # ok: auth.dev-bypass
    if os.environ.get("CI"):
        return {"user_id": "user_test"}
    return current_user(request)
