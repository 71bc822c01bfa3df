"""The Clerk Backend API, as much of it as a migration needs, on httpx directly.

Not clerk-backend-api: it raises a 429 as a generic error and retries blindly. Here every
request waits for the shared rate limiter; a 429 pauses the whole run for Retry-After;
5xx answers, timeouts and dropped connections are retried with jittered backoff where
that is safe (look-ups, deletes, password checks) and handed back as Uncertain for a
create, whose caller must look the user up before trying again; 401/403, an API that has
given no good answer for `unreachable_after` seconds, or endless 429s stop the run
(Stop, exit 3). Nothing here logs or repeats the secret key.

This module imports httpx; it is loaded only by the commands that talk to Clerk.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from typing import Any

import httpx

from advisor import __version__
from advisor.migrate.api import API_VERSION, LOOKUP_MAX, Answer, Stop, Timing, Uncertain
from advisor.migrate.instance import Instance
from advisor.migrate.ratelimit import RateLimiter


class ClerkClient:
    def __init__(self, instance: Instance, limiter: RateLimiter, timing: Timing, *, concurrency: int,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.instance = instance
        self.limiter = limiter
        self.timing = timing
        self.requests = 0
        self.retries = 0
        self._started = time.monotonic()
        self._last_good = self._started
        self._http = httpx.AsyncClient(
            base_url=instance.api_url,
            headers={"Authorization": f"Bearer {instance.key}", "Clerk-API-Version": API_VERSION,
                     "User-Agent": f"clerk-advisor/{__version__} (migrate)", "Accept": "application/json"},
            timeout=httpx.Timeout(connect=timing.connect, read=timing.read, write=timing.read, pool=None),
            limits=httpx.Limits(max_connections=concurrency + 4, max_keepalive_connections=concurrency + 4),
            transport=transport,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- endpoints ----------------------------------------------------------------------

    async def find(self, field: str, values: list[str]) -> list[dict[str, Any]]:
        """Users whose `field` (external_id, email_address, phone_number, username, ...) is one of `values`."""
        found: list[dict[str, Any]] = []
        for start in range(0, len(values), LOOKUP_MAX):
            part = values[start:start + LOOKUP_MAX]
            params = [(field, v) for v in part] + [("limit", str(LOOKUP_MAX))]
            answer = await self._sure("GET", "/v1/users", params=params, what="looking users up")
            if not isinstance(answer.body, list):
                raise Stop(f"Clerk answered a user look-up with {type(answer.body).__name__}, not a list")
            found += answer.body
        return found

    async def count(self) -> int:
        answer = await self._sure("GET", "/v1/users/count", what="counting users")
        return int(answer.body.get("total_count", 0)) if isinstance(answer.body, dict) else 0

    async def get_instance(self) -> dict[str, Any] | None:
        """The instance's settings, or None when this key may not read them."""
        answer = await self._send("GET", "/v1/instance", retry=True)
        if isinstance(answer, Uncertain):
            raise Stop(f"Clerk's API failed while reading the instance ({answer.code}: {answer.message}) after "
                       f"{self.timing.attempts} tries; nothing was sent, run the same command again later")
        return answer.body if answer.ok and isinstance(answer.body, dict) else None

    async def create(self, body: dict[str, Any]) -> Answer | Uncertain:
        return await self._send("POST", "/v1/users", json=body, retry=False)

    async def delete(self, user_id: str) -> Answer | Uncertain:
        return await self._send("DELETE", f"/v1/users/{user_id}", retry=True)

    async def verify_password(self, user_id: str, password: str) -> Answer | Uncertain:
        return await self._send("POST", f"/v1/users/{user_id}/verify_password", json={"password": password},
                                retry=True)

    # -- the one request loop -----------------------------------------------------------

    async def _sure(self, method: str, path: str, *, what: str, params: Any = None) -> Answer:
        answer = await self._send(method, path, params=params, retry=True)
        if isinstance(answer, Uncertain):
            raise Stop(f"Clerk's API failed while {what} ({answer.code}: {answer.message}) after "
                       f"{self.timing.attempts} tries; nothing is lost, run the same command again to resume")
        if not answer.ok:
            raise Stop(f"Clerk refused {method} {path} while {what} ({answer.status} {answer.code}: "
                       f"{answer.message})")
        return answer

    async def _send(self, method: str, path: str, *, params: Any = None, json: Any = None,
                    retry: bool) -> Answer | Uncertain:
        attempt = 0
        throttled = 0.0
        while True:
            await self.limiter.acquire()
            self.requests += 1
            try:
                response = await self._http.request(method, path, params=params, json=json)
            except httpx.TimeoutException as exc:
                failure = Uncertain("timeout", f"no answer in time ({type(exc).__name__})")
            except httpx.TransportError as exc:
                failure = Uncertain("connection_error", f"{type(exc).__name__}: {exc}" if str(exc) else
                                    type(exc).__name__)
            else:
                status = response.status_code
                if status < 500:
                    self._last_good = time.monotonic()
                    answer = Answer(status, _json(response))
                    if status == 429:
                        wait = self._retry_after(response)
                        throttled += wait
                        if throttled > self.timing.throttle_patience:
                            raise Stop(f"Clerk kept answering 429 (rate limited) for {throttled:.0f} s; lower "
                                       "--rate or wait, then run the same command again")
                        self.limiter.throttle(wait)
                        continue
                    if status in (401, 403):
                        raise Stop(_refused(answer))
                    return answer
                failure = Uncertain(f"http_{status}", Answer(status, _json(response)).message, status)
            self._check_reachable(failure)
            attempt += 1
            if not retry or attempt >= self.timing.attempts:
                return failure
            self.retries += 1
            await asyncio.sleep(self.backoff(attempt))

    def backoff(self, attempt: int) -> float:
        ceiling = min(self.timing.backoff_cap, self.timing.backoff * 2 ** (attempt - 1))
        return random.uniform(ceiling / 2, ceiling)

    def _check_reachable(self, failure: Uncertain) -> None:
        silent = time.monotonic() - self._last_good
        if silent > self.timing.unreachable_after:
            raise Stop(f"cannot reach Clerk's API at {self.instance.api_url}: no good answer for {silent:.0f} s "
                       f"(last: {failure.code}, {failure.message}); nothing is lost, run the same command again "
                       "to resume")

    def _retry_after(self, response: httpx.Response) -> float:
        value = response.headers.get("Retry-After", "").strip()
        seconds: float | None = None
        if value.replace(".", "", 1).isdigit():
            seconds = float(value)
        elif value:
            try:
                seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
            except (TypeError, ValueError):
                seconds = None
        if seconds is None or seconds < 0:
            seconds = self.timing.retry_after_default
        return min(seconds, self.timing.retry_after_cap)


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _refused(answer: Answer) -> str:
    if answer.code == "user_quota_exceeded":
        return (f"the development instance is full ({answer.message}); delete users or import into production "
                "(403 user_quota_exceeded)")
    if answer.status == 401:
        return f"Clerk refused the secret key (401 {answer.code}: {answer.message}); check CLERK_SECRET_KEY"
    return f"Clerk refused the request (403 {answer.code}: {answer.message})"
