"""The Context7 HTTP client: GET /v2/libs/search and GET /v2/context, nothing else.

Async on httpx, with every wait bounded: a total deadline per request (slow drips), a
cap on the bytes read (huge bodies), bounded retries with exponential backoff for 5xx
and transport errors, bounded waits for 429 as Retry-After says (shared by every
concurrent request, so one 429 pauses them all), and library redirects (301 with a
`redirectUrl` holding the new library id) followed here, a few hops at most, because
httpx must not follow them.

This module imports httpx; import it only when a request is about to be made.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import random
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from advisor import __version__
from advisor.docs.errors import (
    AccessDeniedError,
    AuthenticationError,
    ConfigError,
    Context7HTTPError,
    DocsError,
    InvalidRequestError,
    LibraryNotFoundError,
    MalformedResponseError,
    NoDocsError,
    RateLimitError,
    RedirectError,
    ResponseTooLargeError,
    ServerError,
    TransportError,
)
from advisor.docs.libraries import Library, is_library_id, parse_search
from advisor.docs.settings import DocsSettings
from advisor.docs.snippets import parse_docs

log = logging.getLogger(__name__)

SEARCH_PATH = "v2/libs/search"
CONTEXT_PATH = "v2/context"
MAX_PARAM = 500  # Context7 limits query, libraryName and libraryId to 1-500 characters
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class ContextAnswer:
    """A docs body, with the library id it finally came from after any redirects."""

    library_id: str
    query: str
    doc_type: str
    body: str
    redirects: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Response:
    status: int
    reason: str
    headers: httpx.Headers
    body: bytes


class Context7Client:
    """One client per run; use it as `async with Context7Client(settings) as client:`."""

    def __init__(self, settings: DocsSettings) -> None:
        self._settings = settings
        self._key = settings.api_key
        headers = {
            "Accept": "application/json, text/plain;q=0.9, */*;q=0.1",
            "User-Agent": f"clerk-advisor/{__version__}",
            "X-Context7-Source": "clerk-advisor",
            "X-Context7-Client-Version": __version__,
        }
        if self._key:
            headers["Authorization"] = f"Bearer {self._key}"
        split = urlsplit(settings.base_url)
        self._host = split.hostname or settings.base_url.split("/")[0] or "?"
        if split.port:
            self._host = f"{self._host}:{split.port}"
        self._http = httpx.AsyncClient(
            base_url=settings.base_url + "/",
            headers=headers,
            timeout=httpx.Timeout(
                connect=settings.connect_timeout,
                read=settings.read_timeout,
                write=settings.read_timeout,
                pool=settings.request_deadline,
            ),
            limits=httpx.Limits(max_connections=settings.concurrency + 1,
                                max_keepalive_connections=settings.concurrency),
            follow_redirects=False,
        )
        self._not_before = 0.0  # monotonic time before which nobody sends (429 Retry-After)
        self._fatal: DocsError | None = None  # a 401/402/403 ends every other request too

    async def __aenter__(self) -> Context7Client:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- endpoints --------------------------------------------------------------------

    async def search(self, library_name: str, query: str) -> list[Library]:
        """Libraries matching `library_name`, as Context7 orders them; [] when none match."""
        response = await self._get(SEARCH_PATH, {"libraryName": library_name[:MAX_PARAM], "query": query[:MAX_PARAM]})
        if response.status == 200:
            return parse_search(response.body)
        if response.status == 404:  # no_libraries_found (newer servers); older ones send 200 []
            return []
        raise self._error(response)

    async def context(self, library_id: str, query: str, doc_type: str = "txt") -> ContextAnswer:
        """Docs for `query` in `library_id`, following library redirects.

        Raises NoDocsError (202, 404, empty answer), LibraryNotFoundError (the id is
        unknown), RedirectError, or another DocsError for failures.
        """
        if doc_type not in ("txt", "json"):
            raise ValueError(f"doc_type must be 'txt' or 'json', not {doc_type!r}")
        query = query[:MAX_PARAM]
        current = library_id
        seen = [library_id]
        while True:
            if not is_library_id(current):
                raise InvalidRequestError(f"{current!r} is not a Context7 library id", status=400)
            params = {"libraryId": current, "query": query, "type": doc_type}
            response = await self._get(CONTEXT_PATH, params)
            status = response.status
            if status == 200:
                body = response.body.decode("utf-8", errors="replace")
                if not body.strip():
                    raise NoDocsError(f"Context7 has no docs in {current} for this question (empty answer)",
                                      code="empty")
                if not parse_docs(body, doc_type):  # MalformedResponseError for bad JSON
                    raise NoDocsError(f"Context7 has no docs in {current} for this question (no snippets)",
                                      code="empty")
                return ContextAnswer(current, query, doc_type, body, tuple(seen[1:]))
            if status == 202:
                code, _message = self._error_info(response)
                raise NoDocsError(
                    f"Context7 has no docs for {current} yet "
                    f"(HTTP 202 {code or 'library_not_finalized'}: still indexing)",
                    code=code or "library_not_finalized",
                )
            if status in _REDIRECT_STATUSES:
                target = self._redirect_target(response)
                if target is None:
                    raise RedirectError(f"Context7 redirected {current} without naming a valid new library id")
                if target in seen:
                    raise RedirectError(f"Context7 library redirects loop: {' -> '.join([*seen, target])}")
                if len(seen) > self._settings.max_redirects:
                    raise RedirectError(
                        f"Context7 redirected {library_id} more than {self._settings.max_redirects} times "
                        f"({' -> '.join([*seen, target])})"
                    )
                log.debug("library %s redirected to %s", current, target)
                seen.append(target)
                current = target
                continue
            if status == 404:
                code, _message = self._error_info(response)
                if code == "library_not_found":
                    raise LibraryNotFoundError(f"Context7 does not know library {current} (HTTP 404 library_not_found)",
                                               code=code)
                detail = code or "not found"
                raise NoDocsError(f"Context7 has no docs in {current} for this question (HTTP 404 {detail})", code=code)
            raise self._error(response)

    # -- transport --------------------------------------------------------------------

    async def _get(self, path: str, params: dict[str, str]) -> _Response:
        """One GET with bounded retries. Returns any final status; raises on giving up."""
        s = self._settings
        failures = 0  # 5xx and transport errors
        limited = 0  # 429s
        while True:
            if self._fatal is not None:
                raise self._fatal
            await self._wait_for_gate()
            try:
                response = await self._attempt(path, params)
            except TransportError as exc:
                if failures >= s.max_retries:
                    attempts = failures + 1
                    raise TransportError(f"{exc.message} ({attempts} attempt{'s' if attempts > 1 else ''})") from None
                failures += 1
                delay = self._backoff(failures)
                log.debug("GET %s failed (%s); retry %d in %.2f s", path, exc.message, failures, delay)
                await asyncio.sleep(delay)
                continue
            status = response.status
            if status == 429:
                if limited >= s.max_rate_limit_retries:
                    raise self._error(response, attempts=limited + 1)
                limited += 1
                told = self._retry_after(response.headers)
                delay = min(told if told is not None else self._backoff(limited), s.retry_after_cap)
                loop_now = time.monotonic()
                self._not_before = max(self._not_before, loop_now + delay)
                log.debug("GET %s rate limited; waiting %.2f s (Retry-After %s)", path, delay, told)
                continue
            if 500 <= status < 600:
                if failures >= s.max_retries:
                    raise self._error(response, attempts=failures + 1)
                failures += 1
                delay = self._backoff(failures)
                log.debug("GET %s answered %d; retry %d in %.2f s", path, status, failures, delay)
                await asyncio.sleep(delay)
                continue
            if status in (401, 402, 403):
                error = self._error(response)
                self._fatal = error
                raise error
            return response

    async def _wait_for_gate(self) -> None:
        while (delay := self._not_before - time.monotonic()) > 0:
            await asyncio.sleep(delay)

    async def _attempt(self, path: str, params: dict[str, str]) -> _Response:
        s = self._settings
        cap = s.max_body_bytes
        started = time.monotonic()
        try:
            async with asyncio.timeout(s.request_deadline):
                async with self._http.stream("GET", path, params=params) as response:
                    declared = response.headers.get("content-length", "").strip()
                    if declared.isdigit() and int(declared) > cap:
                        raise ResponseTooLargeError(
                            f"Context7 answer is {int(declared)} bytes, more than the {cap} byte limit"
                        )
                    body = bytearray()
                    async for chunk in response.aiter_bytes():
                        body += chunk
                        if len(body) > cap:
                            raise ResponseTooLargeError(
                                f"Context7 answer exceeded the {cap} byte limit; stopped reading")
                    result = _Response(response.status_code, response.reason_phrase, response.headers, bytes(body))
        except TimeoutError:
            raise TransportError(
                f"Context7 at {self._host} did not answer completely within {s.request_deadline:g} s"
            ) from None
        except httpx.TimeoutException as exc:
            raise TransportError(f"Context7 at {self._host} timed out ({type(exc).__name__})") from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise ConfigError(f"CONTEXT7_API_URL is not a usable http(s) URL ({type(exc).__name__})") from None
        except httpx.HTTPError as exc:
            detail = self._redact(str(exc)) or type(exc).__name__
            raise TransportError(f"could not reach Context7 at {self._host}: {detail}") from None
        log.debug("GET %s -> %d (%d bytes, %.0f ms)", path, result.status, len(result.body),
                  (time.monotonic() - started) * 1000)
        return result

    def _backoff(self, attempt: int) -> float:
        s = self._settings
        base = min(s.backoff_max, s.backoff_base * (2.0 ** (attempt - 1)))
        return base * (1 + random.random() * 0.1)  # a little jitter so runs don't march in step

    @staticmethod
    def _retry_after(headers: httpx.Headers) -> float | None:
        """Seconds to wait, from Retry-After (seconds or HTTP date) or RateLimit-Reset."""
        for name in ("retry-after", "ratelimit-reset"):
            value = headers.get(name, "").strip()
            if not value:
                continue
            try:
                return max(0.0, float(value))
            except ValueError:
                pass
            if name == "retry-after":
                try:
                    when = email.utils.parsedate_to_datetime(value)
                except (TypeError, ValueError):
                    continue
                if when is not None:
                    return max(0.0, when.timestamp() - time.time())
        return None

    # -- errors -----------------------------------------------------------------------

    def _redact(self, text: str) -> str:
        if self._key and self._key in text:
            text = text.replace(self._key, "[redacted]")
        return text

    def _error_info(self, response: _Response) -> tuple[str | None, str]:
        """(code, message) from either error shape, or from the status line."""
        code: str | None = None
        message = ""
        text = response.body[:4096].decode("utf-8", errors="replace").strip()
        data: Any = None
        if text[:1] in ("{", "["):
            try:
                data = json.loads(text)
            except ValueError:
                data = None
        if isinstance(data, dict):
            error = data.get("error")
            if isinstance(error, str):
                code = error
            elif isinstance(error, dict):  # {"error": {"code": ..., "message": ...}}
                inner_code, inner_message = error.get("code"), error.get("message")
                code = inner_code if isinstance(inner_code, str) else None
                message = inner_message if isinstance(inner_message, str) else ""
            for field in ("message", "detail", "error_description"):
                if not message and isinstance(data.get(field), str):
                    message = data[field]
            if code is None and isinstance(data.get("code"), str):
                code = data["code"]
        elif text and not text.startswith("<") and data is None:
            message = text.splitlines()[0][:200]
        if code is not None and (not code.replace("_", "").replace("-", "").isalnum() or len(code) > 64):
            message = message or code
            code = None
        if not message:
            message = f"HTTP {response.status} {response.reason}".strip()
        return code, self._redact(" ".join(message.split())[:300])

    def _error(self, response: _Response, *, attempts: int | None = None) -> DocsError:
        status = response.status
        code, message = self._error_info(response)
        tag = f"HTTP {status}{' ' + code if code else ''}"
        tries = f" after {attempts} attempts" if attempts and attempts > 1 else ""
        if status == 400:
            return InvalidRequestError(f"Context7 rejected the request ({tag}): {message}", status=status, code=code)
        if status == 401:
            if self._key:
                hint = "check CONTEXT7_API_KEY: Context7 keys start with ctx7sk"
                if not self._key.startswith("ctx7sk"):
                    hint += " (the one set does not)"
            else:
                hint = "set CONTEXT7_API_KEY to a Context7 key (it starts with ctx7sk)"
            return AuthenticationError(f"Context7 refused the API key ({tag}): {message}; {hint}", status=status,
                                       code=code)
        if status == 402:
            return AccessDeniedError(f"Context7 spending limit reached ({tag}): {message}", status=status, code=code)
        if status == 403:
            return AccessDeniedError(f"Context7 denied access ({tag}): {message}", status=status, code=code)
        if status == 429:
            hint = "" if self._key else "; a CONTEXT7_API_KEY raises the quota"
            return RateLimitError(f"Context7 rate limit exceeded ({tag}){tries}{hint}", status=status, code=code)
        if 500 <= status < 600:
            return ServerError(f"Context7 server error ({tag}){tries}: {message}", status=status, code=code)
        if status == 200:
            return MalformedResponseError(f"Context7 answered 200 with an unexpected body: {message}")
        return Context7HTTPError(f"Context7 answered {tag}: {message}", status=status, code=code)

    @staticmethod
    def _redirect_target(response: _Response) -> str | None:
        candidates: list[str] = []
        try:
            data = json.loads(response.body.decode("utf-8", errors="replace") or "null")
        except ValueError:
            data = None
        if isinstance(data, dict):
            for field in ("redirectUrl", "redirectURL", "redirect_url", "libraryId"):
                if isinstance(data.get(field), str):
                    candidates.append(data[field])
        location = response.headers.get("location")
        if location:
            candidates.append(location)
        for candidate in candidates:
            candidate = candidate.strip()
            if candidate.lower().startswith(("http://", "https://")) or "?" in candidate:
                split = urlsplit(candidate)
                ids = parse_qs(split.query).get("libraryId")
                candidate = ids[0] if ids else split.path
            if is_library_id(candidate):
                return candidate
        return None
