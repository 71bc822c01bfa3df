"""A fake Clerk Backend API: a real ThreadingHTTPServer on 127.0.0.1, port 0, in a thread.

It implements what a migration touches, the way Clerk's spec and error catalogue describe
it, written independently of advisor.migrate so the tests check one against the other:

    POST   /v1/users                      CreateUser: additionalProperties false
                                          (form_param_unknown), types, email and E.164
                                          formats, identification statuses, hasher and
                                          digest format (form_password_digest_invalid_code),
                                          uniqueness (form_identifier_exists), required
                                          password (form_data_missing), dev user cap (403
                                          user_quota_exceeded)
    GET    /v1/users                      external_id / email_address / phone_number /
                                          username / user_id / web3_wallet filters, up to 100
                                          values each; limit 1-500 (default 10!); offset
    GET    /v1/users/count, GET /v1/instance
    DELETE /v1/users/{id}
    POST   /v1/users/{id}/verify_password really checks the password for the hashers
                                          hashlib can compute (pbkdf2_sha256, its Django
                                          form, pbkdf2_sha512_hex, sha256, md5, md5_salted)

and the ways the real one misbehaves: 401 for a wrong key; a rate limit per key (fixed
windows, 429 with Retry-After); latency; queued or random faults (5xx, a dropped
connection before or after the create happened, a stalled answer); going down.
Tests set switches on the instance; `reset()` puts them back.
"""

from __future__ import annotations

import base64
import binascii
import collections
import hashlib
import itertools
import json
import math
import random
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.local_server import LocalServer

DEV_KEY = "sk_test_" + "F4keDevKeyForTests0123456789abcdefXYZ"
PROD_KEY = "sk_live_" + "F4keProdKeyForTests0123456789abcdefXYZ"

FIELDS = {
    "external_id": str, "first_name": str, "last_name": str, "locale": str, "email_address": list,
    "email_address_identification_status": list, "phone_number": list, "phone_number_identification_status": list,
    "web3_wallet": list, "username": str, "password": str, "password_digest": str, "password_hasher": str,
    "skip_password_checks": bool, "skip_password_requirement": bool, "totp_secret": str, "backup_codes": list,
    "public_metadata": dict, "private_metadata": dict, "unsafe_metadata": dict, "delete_self_enabled": bool,
    "legal_accepted_at": str, "skip_legal_checks": bool, "skip_user_requirement": bool,
    "create_organization_enabled": bool, "create_organizations_limit": int, "created_at": str,
    "bypass_client_trust": bool, "banned": bool, "locked": bool,
}
B64 = r"[A-Za-z0-9+/]+={0,2}"
BCRYPT = r"\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}"
DIGESTS = {  # the fake's own reading of Clerk's documented digest formats
    "bcrypt": BCRYPT, "bcrypt_sha256_django": r"bcrypt_sha256\$" + BCRYPT, "bcrypt_peppered": BCRYPT + r"\$.+",
    "md5": r"[0-9a-f]{32}", "md5_salted": r".+\$[0-9a-f]{32}", "sha256": r"[0-9a-f]{64}",
    "sha256_salted": r".+\$[0-9a-f]{64}", "pbkdf2_sha1": r"pbkdf2_sha1\$\d+\$[^$]+\$[0-9a-f]+(\$\d+)?",
    "pbkdf2_sha256": rf"pbkdf2_sha256\$\d+\${B64}\${B64}", "pbkdf2_sha256_django": rf"pbkdf2_sha256\$\d+\$[^$]+\${B64}",
    "pbkdf2_sha512": r"pbkdf2_sha512\$\d+\$[^$]+\$[0-9a-f]+",
    "pbkdf2_sha512_hex": r"pbkdf2_sha512_hex\$\d+\$[0-9a-f]+\$[0-9a-f]+", "phpass": r"\$P\$.{31}",
    "md5_phpass": r"\$[HP]\$.{31}", "ldap_ssha": r"\{SSHA\}.+",
    "scrypt_firebase": rf"{B64}\${B64}\${B64}\${B64}\$\d+\$\d+", "scrypt_werkzeug": r".+\$.+\$.+",
    "argon2i": r"\$argon2i\$v=\d+\$m=\d+,t=\d+,p=\d+\$[^$]+\$[^$]+",
    "argon2id": r"\$argon2id\$v=\d+\$m=\d+,t=\d+,p=\d+\$[^$]+\$[^$]+",
    "sha512_symfony": r"sha512_symfony\$\d+\$[^$]+\$.+", "awscognito": r"awscognito#[^#]+#[^#]+#.+",
    "hmac_sha256_utf16_b64": r".+",
}
FILTERS = ("external_id", "email_address", "phone_number", "username", "user_id", "web3_wallet")


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    status: int
    at: float  # monotonic time the request arrived

    @property
    def endpoint(self) -> str:
        if self.path.startswith("/v1/users/count"):
            return "count"
        if self.path.endswith("/verify_password"):
            return "verify_password"
        if self.path.startswith("/v1/users/"):
            return "delete" if self.method == "DELETE" else "user"
        if self.path.startswith("/v1/users"):
            return "create" if self.method == "POST" else "list"
        return "other"


class ClerkError(Exception):
    def __init__(self, status: int, code: str, message: str, **meta: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.meta = status, code, message, meta


class FakeClerk(LocalServer):
    thread_name = "fake-clerk"

    def __init__(self) -> None:
        self._lock = threading.RLock()
        super().__init__()
        self._ids = itertools.count(1)
        self.reset()

    # -- switches and state --------------------------------------------------------------

    def reset(self) -> None:
        with self._lock:
            self.keys = {DEV_KEY: "development", PROD_KEY: "production"}
            self.limits = {"development": (100, 10.0), "production": (1000, 10.0)}  # requests per window (s)
            self.send_retry_after = True
            self.user_cap = 100  # development instances only
            self.password_required = True  # the instance has passwords on: a user without one needs the skip flag
            self.latency = 0.0
            self.faults: collections.deque[str] = collections.deque()  # next creates: 500 502 503 drop_before ...
            self.fault_rate = 0.0  # random faults on creates, from fault_kinds
            self.fault_kinds = ("503", "drop_before", "drop_after")
            self.random = random.Random(7)
            self.stall_seconds = 30.0  # how long a "stall" fault holds the answer
            self.down = False  # close every connection at once, answer nothing
            self.echo_digest_in_errors = False  # a careless server quoting what it was sent
            self.ignore_identification_status = False  # a server that marks every address verified
            self.users: dict[str, dict[str, Any]] = {}
            self.secrets: dict[str, dict[str, Any]] = {}  # user id -> password material (never answered)
            self.index: dict[tuple[str, str], str] = {}  # (field, value) -> user id
            self.creations: collections.Counter[str] = collections.Counter()  # external_id -> successful creates
            self.deleted: list[str] = []
            self.requests: list[Request] = []
            self.windows: dict[tuple[str, int], int] = {}
            self.in_flight = 0
            self.max_in_flight = 0

    def seed(self, body: dict[str, Any], key: str = DEV_KEY) -> dict[str, Any]:
        """Put a user in the instance as if someone had created it before the migration."""
        with self._lock:
            user = self._create(dict(body), self.keys[key], count=False)
        return user

    def user_by_external_id(self, external_id: str) -> dict[str, Any] | None:
        with self._lock:
            user_id = self.index.get(("external_id", external_id))
            return self.users.get(user_id) if user_id else None

    def requests_to(self, endpoint: str) -> list[Request]:
        return [r for r in self.requests if r.endpoint == endpoint]

    def max_per_second(self, start: float | None = None) -> int:
        """The most requests that arrived in any one second (half-open windows)."""
        times = sorted(r.at for r in self.requests if start is None or r.at >= start)
        best, j = 0, 0
        for i, t in enumerate(times):
            while times[j] <= t - 1.0:
                j += 1
            best = max(best, i - j + 1)
        return best

    # -- lifecycle ----------------------------------------------------------------------

    def handler(self) -> type[BaseHTTPRequestHandler]:
        return _handler(self)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- the API ------------------------------------------------------------------------

    def handle(self, method: str, path: str, query: list[tuple[str, str]], body: bytes, auth: str,
               ) -> tuple[int, Any, dict[str, str], str | None]:
        """(status, JSON body, headers, fault to act out after answering state)."""
        now = time.monotonic()
        with self._lock:
            key = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else ""
            kind = self.keys.get(key)
            if kind is None:
                return _error(ClerkError(401, "authentication_invalid", "Unable to authenticate the request")) + (None,)
            limit, window = self.limits[kind]
            slot = (key, int(now // window))
            self.windows[slot] = self.windows.get(slot, 0) + 1
            if self.windows[slot] > limit:
                headers = {"Retry-After": str(max(1, math.ceil((slot[1] + 1) * window - now)))} \
                    if self.send_retry_after else {}
                status, payload, _ = _error(ClerkError(429, "too_many_requests", "Too many requests, retry later"))
                return status, payload, headers, None
            fault = None
            if method == "POST" and path == "/v1/users":
                if self.faults:
                    fault = self.faults.popleft()
                elif self.fault_rate and self.random.random() < self.fault_rate:
                    fault = self.random.choice(self.fault_kinds)
                if fault in ("500", "502", "503"):
                    failure = ClerkError(int(fault), "internal_clerk_error", "Oops, something went wrong")
                    return _error(failure) + (None,)
                if fault == "drop_before":
                    return 0, None, {}, "drop"
            try:
                status, payload = self._route(method, path, query, body, kind)
            except ClerkError as exc:
                return _error(exc) + (None,)
            after = {"drop_after": "drop", "stall": "stall", "slow_after": "slow"}.get(fault or "")
            return status, payload, {}, after

    def _route(self, method: str, path: str, query: list[tuple[str, str]], body: bytes, kind: str) -> tuple[int, Any]:
        parts = path.strip("/").split("/")
        if parts[:2] != ["v1", "users"] and parts != ["v1", "instance"]:
            raise ClerkError(404, "resource_not_found", "not found")
        if parts == ["v1", "instance"] and method == "GET":
            return 200, {"object": "instance", "id": f"ins_fake{kind}", "environment_type": kind,
                         "allowed_origins": None, "workspace_id": None}
        if len(parts) == 2 and method == "POST":
            return 200, self._create(_json_body(body), kind)
        if len(parts) == 2 and method == "GET":
            return 200, self._list(query)
        if parts[2:] == ["count"] and method == "GET":
            return 200, {"object": "total_count", "total_count": len(self._filter(query))}
        if len(parts) == 3 and method == "DELETE":
            user = self.users.pop(parts[2], None)
            if user is None:
                raise ClerkError(404, "resource_not_found", f"No user was found with id {parts[2]}")
            self.index = {k: v for k, v in self.index.items() if v != user["id"]}
            self.deleted.append(user["id"])
            return 200, {"object": "user", "id": user["id"], "deleted": True}
        if parts[3:] == ["verify_password"] and method == "POST":
            return self._verify(parts[2], _json_body(body))
        raise ClerkError(404, "resource_not_found", "not found")

    def _create(self, body: dict[str, Any], kind: str, count: bool = True) -> dict[str, Any]:
        for key, value in body.items():
            expected = FIELDS.get(key)
            if expected is None:
                raise ClerkError(422, "form_param_unknown", f"{key} is not a valid parameter for this request.",
                                 param_name=key)
            if value is not None and (type(value) is not expected or
                                      (expected is list and not all(isinstance(v, str) for v in value))):
                raise ClerkError(422, "form_param_value_invalid", f"{key} is invalid", param_name=key)
        emails, phones = body.get("email_address") or [], body.get("phone_number") or []
        for address in emails:
            if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", address):
                raise ClerkError(422, "form_param_format_invalid", "email_address must be a valid email address.",
                                 param_name="email_address")
        for number in phones:
            if not re.fullmatch(r"\+[1-9]\d{6,14}", number):
                raise ClerkError(422, "form_param_format_invalid", "phone_number must be a valid phone number "
                                 "according to E.164 international standard.", param_name="phone_number")
        for field, values in (("email_address", emails), ("phone_number", phones)):
            statuses = body.get(f"{field}_identification_status")
            if statuses and (len(statuses) != len(values) or set(statuses) - {"verified", "reserved"}):
                raise ClerkError(422, "form_param_value_invalid", f"{field}_identification_status is invalid",
                                 param_name=f"{field}_identification_status")
        username = body.get("username")
        if username and re.fullmatch(r"\+\d+", username):
            raise ClerkError(422, "form_param_format_invalid", "username cannot be a phone number",
                             param_name="username")
        if not (emails or phones or username or body.get("web3_wallet")):
            raise ClerkError(422, "form_data_missing", "identifier data doesn't match user requirements set for this "
                             "instance")
        digest, hasher = body.get("password_digest"), body.get("password_hasher")
        if (digest is None) != (hasher is None):
            raise ClerkError(422, "form_conditional_param_missing", "password_digest needs password_hasher",
                             param_name="password_hasher")
        if hasher is not None:
            if hasher not in DIGESTS:
                raise ClerkError(422, "form_param_value_invalid", f"{hasher} does not match one of the allowed values "
                                 "for parameter password_hasher", param_name="password_hasher")
            if not re.fullmatch(DIGESTS[hasher], str(digest)):
                echo = f": {digest}" if self.echo_digest_in_errors else ""
                raise ClerkError(422, "form_password_digest_invalid_code", f"password_digest is not valid for "
                                 f"{hasher}{echo}", param_name="password_digest")
        if (self.password_required and not digest and not body.get("password")
                and not body.get("skip_password_requirement")):
            raise ClerkError(422, "form_data_missing", '"password" data doesn\'t match user requirements set for '
                             "this instance", param_name="password")
        totp = body.get("totp_secret")
        if totp is not None and not re.fullmatch(r"[A-Z2-7]{16,}=*", totp):
            echo = f": {totp}" if self.echo_digest_in_errors else ""
            raise ClerkError(422, "form_param_format_invalid", f"totp_secret is invalid{echo}",
                             param_name="totp_secret")
        for key in ("public_metadata", "private_metadata", "unsafe_metadata"):
            if key in body and len(json.dumps(body[key])) > 8192:
                raise ClerkError(422, "form_param_value_invalid", f"{key} exceeds 8KB", param_name=key)
        claims = [("external_id", body["external_id"])] if body.get("external_id") else []
        claims += [("email_address", e.lower()) for e in emails] + [("phone_number", p) for p in phones]
        claims += [("username", username.lower())] if username else []
        claims += [("web3_wallet", w.lower()) for w in body.get("web3_wallet") or []]
        for claim in claims:
            if claim in self.index:  # the code for a duplicate external_id is UNVERIFIED in Clerk's docs
                raise ClerkError(422, "form_identifier_exists", f"That {claim[0].replace('_', ' ')} is taken. "
                                 "Please try another.", param_name=claim[0])
        if count and kind == "development" and len(self.users) >= self.user_cap:
            raise ClerkError(403, "user_quota_exceeded", f"You have reached your limit of {self.user_cap} users.")
        user_id = f"user_{next(self._ids):026d}"
        now_ms = int(time.time() * 1000)

        def idents(values: list[str], statuses: list[str] | None, prefix: str, field: str) -> list[dict[str, Any]]:
            out = []
            for i, value in enumerate(values):
                status = (statuses[i] if statuses else "verified")
                verified = status == "verified" or self.ignore_identification_status
                out.append({"object": field, "id": f"{prefix}_{user_id[5:]}{i}", field: value,
                            "verification": {"status": "verified" if verified else "unverified",
                                             "strategy": "admin"}, "reserved": not verified})
            return out

        user = {
            "object": "user", "id": user_id, "external_id": body.get("external_id"), "username": username,
            "first_name": body.get("first_name"), "last_name": body.get("last_name"),
            "email_addresses": idents(emails, body.get("email_address_identification_status"), "idn", "email_address"),
            "phone_numbers": idents(phones, body.get("phone_number_identification_status"), "idn", "phone_number"),
            "web3_wallets": [{"web3_wallet": w} for w in body.get("web3_wallet") or []],
            "password_enabled": bool(digest or body.get("password")), "totp_enabled": bool(totp),
            "backup_code_enabled": bool(body.get("backup_codes")), "two_factor_enabled": bool(totp),
            "banned": bool(body.get("banned")), "locked": bool(body.get("locked")),
            "public_metadata": body.get("public_metadata") or {},
            "private_metadata": body.get("private_metadata") or {},
            "unsafe_metadata": body.get("unsafe_metadata") or {}, "created_at": now_ms, "updated_at": now_ms,
        }
        user["primary_email_address_id"] = user["email_addresses"][0]["id"] if emails else None
        user["primary_phone_number_id"] = user["phone_numbers"][0]["id"] if phones else None
        self.users[user_id] = user
        self.secrets[user_id] = {k: body[k] for k in ("password", "password_digest", "password_hasher",
                                                      "totp_secret", "backup_codes") if k in body}
        for claim in claims:
            self.index[claim] = user_id
        if count and body.get("external_id"):
            self.creations[body["external_id"]] += 1
        return user

    def _filter(self, query: list[tuple[str, str]]) -> list[dict[str, Any]]:
        wanted: dict[str, list[str]] = {}
        for name, value in query:
            name = name.removesuffix("[]")
            if name in FILTERS:
                wanted.setdefault(name, []).append(value)
        users = list(self.users.values())
        for name, values in wanted.items():
            if len(values) > 100:
                raise ClerkError(422, "form_param_value_invalid", f"{name} accepts up to 100 values",
                                 param_name=name)
            if name == "user_id":
                ids = set(values)
            else:
                ids = {self.index[(name, v if name in ("external_id", "phone_number") else v.lower())]
                       for v in values if (name, v if name in ("external_id", "phone_number") else v.lower())
                       in self.index}
            users = [u for u in users if u["id"] in ids]
        return sorted(users, key=lambda u: u["id"], reverse=True)

    def _list(self, query: list[tuple[str, str]]) -> list[dict[str, Any]]:
        params = dict(query)
        limit = int(params.get("limit", "10"))
        if not 1 <= limit <= 500:
            raise ClerkError(422, "form_param_value_invalid", "limit must be between 1 and 500", param_name="limit")
        offset = int(params.get("offset", "0"))
        return self._filter(query)[offset:offset + limit]

    def _verify(self, user_id: str, body: dict[str, Any]) -> tuple[int, Any]:
        if user_id not in self.users:
            raise ClerkError(404, "resource_not_found", f"No user was found with id {user_id}")
        material = self.secrets.get(user_id, {})
        password = body.get("password")
        if set(body) != {"password"} or not isinstance(password, str):
            raise ClerkError(422, "form_param_missing", "password must be included.", param_name="password")
        if "password" in material:
            ok = material["password"] == password
        elif "password_digest" in material:
            ok = _check_password(material["password_hasher"], material["password_digest"], password)
        else:
            raise ClerkError(400, "password_not_set", "The user does not have a password set")
        if not ok:
            raise ClerkError(422, "incorrect_password", "The provided password is not the one the user has set")
        return 200, {"verified": True}


def _check_password(hasher: str, digest: str, password: str) -> bool:
    raw = password.encode()
    if hasher in ("pbkdf2_sha256", "pbkdf2_sha256_django"):
        _, iterations, salt, hashed = digest.split("$")
        salt_bytes = base64.b64decode(salt) if hasher == "pbkdf2_sha256" else salt.encode()
        expected = base64.b64decode(hashed)
        return hashlib.pbkdf2_hmac("sha256", raw, salt_bytes, int(iterations), len(expected)) == expected
    if hasher == "pbkdf2_sha512_hex":
        _, iterations, salt, hashed = digest.split("$")
        expected = binascii.unhexlify(hashed)
        return hashlib.pbkdf2_hmac("sha512", raw, binascii.unhexlify(salt), int(iterations), len(expected)) == expected
    if hasher == "sha256":
        return hashlib.sha256(raw).hexdigest() == digest.lower()
    if hasher == "md5":
        return hashlib.md5(raw).hexdigest() == digest.lower()
    if hasher == "md5_salted":
        salt, hashed = digest.rsplit("$", 1)
        return hashlib.md5(salt.encode() + raw).hexdigest() == hashed.lower()
    raise ClerkError(500, "fake_cannot_verify", f"the fake cannot compute {hasher}")


def _json_body(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        raise ClerkError(400, "malformed_request", "the body is not JSON") from None
    if not isinstance(data, dict):
        raise ClerkError(422, "form_param_value_invalid", "the body must be an object")
    return data


def _error(exc: ClerkError) -> tuple[int, Any, dict[str, str]]:
    return exc.status, {"errors": [{"message": exc.message, "long_message": exc.message, "code": exc.code,
                                    "meta": exc.meta}], "clerk_trace_id": "trace_fake"}, {}


def _handler(fake: FakeClerk) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _serve(self) -> None:
            arrived = time.monotonic()
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if fake.down:
                self.close_connection = True
                return
            split = urlsplit(self.path)
            with fake._lock:
                fake.in_flight += 1
                fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
            try:
                status, payload, headers, after = fake.handle(self.command, split.path,
                                                              parse_qsl(split.query, keep_blank_values=True), body,
                                                              self.headers.get("Authorization", ""))
                with fake._lock:
                    fake.requests.append(Request(self.command, split.path, status, arrived))
                if fake.latency:
                    time.sleep(fake.latency)
                if after == "drop":
                    self.close_connection = True
                    return
                if after == "stall":
                    time.sleep(fake.stall_seconds)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True
            finally:
                with fake._lock:
                    fake.in_flight -= 1

        do_GET = do_POST = do_DELETE = do_PATCH = _serve

    return Handler
