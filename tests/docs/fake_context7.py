"""A fake Context7 API: a real ThreadingHTTPServer on 127.0.0.1, port 0, in a thread.

It serves GET /api/v2/libs/search and GET /api/v2/context from the fixture files in
tests/fixtures/context7/, validates parameters the way the v2 API does, records every
request, and has switches for each way the real service can misbehave. Tests (and the
benchmark) set switches on the instance; `reset()` puts them back.

    with FakeContext7() as server:
        server.latency = 0.3
        settings = DocsSettings(base_url=server.base_url, ...)
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.local_server import LocalServer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "context7"
LIBRARY_ID = re.compile(r"^/[^/]+/[^/]+([/@][^/]+)?$")
V1_PARAMS = frozenset({"tokens", "topic", "page", "folders"})


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-cased names
    raw_query: str = ""  # as sent, still percent-encoded

    @property
    def endpoint(self) -> str:
        if self.path.endswith("/libs/search"):
            return "search"
        return "context" if self.path.endswith("/context") else "other"


class FakeContext7(LocalServer):
    thread_name = "fake-context7"

    def __init__(self, fixtures: Path = FIXTURES) -> None:
        self.fixtures = fixtures
        self.search_body = (fixtures / "search_clerk.json").read_text(encoding="utf-8")
        self.topics = json.loads((fixtures / "topics.json").read_text(encoding="utf-8"))["topics"]
        self.known_ids = {r["id"] for r in json.loads(self.search_body)["results"]}
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        super().__init__()
        self.reset()

    # -- switches ---------------------------------------------------------------------

    def reset(self) -> None:
        """Back to a well-behaved server, and forget recorded requests."""
        with self._lock:
            self.latency = 0.0  # seconds before every answer
            self.fault_endpoints: set[str] = {"search", "context"}  # where count/body faults apply
            self.redirects: dict[str, str] = {}  # library id -> new id: 301 library_redirected
            self.redirect_with_location = False  # also send a Location header (real ones may not)
            self.not_finalized: set[str] = set()  # library ids answering 202 library_not_finalized
            self.missing_libraries: set[str] = set()  # library ids answering 404 library_not_found
            self.search_mode = "ok"  # ok | no_libraries_found (404) | empty_results (old: 200 [])
            self.rate_limit = 0  # answer this many requests with 429
            self.retry_after: str | None = "1"
            self.server_errors = 0  # answer this many requests with server_error_status
            self.server_error_status = 500
            self.malformed_json = False  # JSON answers cut in half
            self.empty_body = False  # 200 with an empty body
            self.huge_body = 0  # bytes of 200 body to send instead of the fixture (0: off)
            self.huge_declared = True  # send Content-Length with the huge body (else chunked)
            self.drip_interval = 0.0  # seconds between 16-byte chunks of the answer (0: off)
            self.required_key: str | None = None  # 401 unless "Authorization: Bearer <key>"
            self.echo_key_in_errors = False  # a careless server quoting the key back
            self.error_shape = "new"  # new: {"error","message"} | old: {"message"} | text | html
            self.status_override: dict[str, int] = {}  # endpoint -> status with its standard error code
            self.requests = []
            self.in_flight = 0
            self.max_in_flight = 0  # the most requests answered at the same time

    # -- lifecycle --------------------------------------------------------------------

    def handler(self) -> type[BaseHTTPRequestHandler]:
        return _handler_for(self)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    # -- helpers for tests ------------------------------------------------------------

    def requests_to(self, endpoint: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.endpoint == endpoint]

    def _take(self, counter: str) -> bool:
        with self._lock:
            left = getattr(self, counter)
            if left > 0:
                setattr(self, counter, left - 1)
                return True
            return False

    def topic_for(self, query: str) -> str | None:
        lowered = query.lower()
        for topic in self.topics:
            if any(word in lowered for word in topic["keywords"]):
                return topic["name"]
        return None


_ERROR_MESSAGES = {
    202: ("library_not_finalized", "Library is still being processed. Please try again later."),
    400: ("validation_error", "Invalid request parameters."),
    401: ("invalid_api_key", "Invalid API key. API keys should start with 'ctx7sk' prefix."),
    402: ("spending_limit_exceeded", "Monthly spending limit reached."),
    403: ("access_denied", "You do not have access to this library."),
    404: ("library_not_found", "Library not found."),
    429: ("rate_limit_exceeded", "Rate limit exceeded. Please try again later."),
    500: ("internal_server_error", "Something went wrong."),
    502: ("bad_gateway", "Bad gateway."),
    503: ("service_unavailable", "Service unavailable."),
}


def _handler_for(fake: FakeContext7) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "FakeContext7/1.0"

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:  # http.server's naming
            split = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
            headers = {k.lower(): v for k, v in self.headers.items()}
            record = RecordedRequest(split.path, query, headers, split.query)
            with fake._lock:
                fake.requests.append(record)
                fake.in_flight += 1
                fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
            try:
                if fake.latency:
                    time.sleep(fake.latency)
                self._route(record)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (deadline, size cap): nothing to answer
            finally:
                with fake._lock:
                    fake.in_flight -= 1

        # -- routing ------------------------------------------------------------------

        def _route(self, req: RecordedRequest) -> None:
            endpoint = req.endpoint
            if endpoint == "other":
                return self._error(404, "not_found", "No such endpoint.")
            if fake.required_key is not None and req.headers.get("authorization") != f"Bearer {fake.required_key}":
                message = _ERROR_MESSAGES[401][1]
                if fake.echo_key_in_errors and "authorization" in req.headers:
                    message += f" Received: {req.headers['authorization']}"
                return self._error(401, "invalid_api_key", message)
            faulty = endpoint in fake.fault_endpoints
            if endpoint in fake.status_override:
                status = fake.status_override[endpoint]
                code, message = _ERROR_MESSAGES.get(status, ("error", "Error."))
                return self._error(status, code, message)
            if faulty and fake._take("rate_limit"):
                headers = {"RateLimit-Limit": "60", "RateLimit-Remaining": "0"}
                if fake.retry_after is not None:
                    headers["Retry-After"] = fake.retry_after
                    headers["RateLimit-Reset"] = fake.retry_after
                return self._error(429, *_ERROR_MESSAGES[429], headers=headers)
            if faulty and fake._take("server_errors"):
                status = fake.server_error_status
                return self._error(status, *_ERROR_MESSAGES.get(status, ("server_error", "Server error.")))
            bad = [p for p in req.query if p in V1_PARAMS]
            if bad:
                return self._error(400, "validation_error", f"Unknown parameter(s) for v2: {', '.join(bad)}")
            if endpoint == "search":
                return self._search(req, faulty)
            return self._context(req, faulty)

        def _search(self, req: RecordedRequest, faulty: bool) -> None:
            for name in ("libraryName", "query"):
                if not 1 <= len(req.query.get(name, "")) <= 500:
                    return self._error(400, "validation_error", f"{name} must be 1-500 characters.")
            if fake.search_mode == "no_libraries_found":
                return self._error(404, "no_libraries_found", "No libraries found matching your query.")
            if fake.search_mode == "empty_results":
                return self._send(200, json.dumps({"results": []}).encode(), "application/json")
            body = fake.search_body.encode("utf-8")
            if faulty and fake.malformed_json:
                body = body[: len(body) // 2]
            return self._body(200, body, "application/json", faulty)

        def _context(self, req: RecordedRequest, faulty: bool) -> None:
            library_id = req.query.get("libraryId", "")
            query = req.query.get("query", "")
            doc_type = req.query.get("type")
            if not LIBRARY_ID.match(library_id) or len(library_id) > 500:
                return self._error(400, "invalid_library_id", "Invalid library ID format.")
            if not 1 <= len(query) <= 500:
                return self._error(400, "validation_error", "query must be 1-500 characters.")
            if doc_type not in ("txt", "json"):
                return self._error(400, "validation_error", "type must be txt or json.")
            if library_id in fake.redirects:
                target = fake.redirects[library_id]
                headers = {"Location": f"/api/v2/context?libraryId={target}"} if fake.redirect_with_location else {}
                moved = {"error": "library_redirected", "message": f"Library moved to {target}.", "redirectUrl": target}
                return self._send(301, json.dumps(moved).encode(), "application/json", headers)
            if library_id in fake.not_finalized:
                return self._error(202, *_ERROR_MESSAGES[202])
            known = fake.known_ids | set(fake.redirects.values())
            if library_id in fake.missing_libraries or library_id not in known:
                return self._error(404, "library_not_found", f"Library {library_id} not found.")
            topic = fake.topic_for(query)
            if topic is None:
                return self._error(404, "no_snippets_found", "No snippets found for this query.")
            path = fake.fixtures / "docs" / f"{topic}.{doc_type}"
            body = path.read_bytes()
            if faulty and fake.malformed_json and doc_type == "json":
                body = body[: len(body) // 2]
            content_type = "application/json" if doc_type == "json" else "text/plain; charset=utf-8"
            return self._body(200, body, content_type, faulty)

        # -- answers ------------------------------------------------------------------

        def _body(self, status: int, body: bytes, content_type: str, faulty: bool) -> None:
            if faulty and fake.empty_body:
                return self._send(status, b"", content_type)
            if faulty and fake.huge_body:
                chunk = (b"### filler\n\n" + b"x" * 1000 + b"\n\n" + b"-" * 32 + b"\n\n")
                huge = (chunk * (fake.huge_body // len(chunk) + 1))[: fake.huge_body]
                if fake.huge_declared:
                    return self._send(status, huge, content_type)
                return self._chunked(status, huge, content_type, interval=0.0)
            if faulty and fake.drip_interval:
                return self._chunked(status, body, content_type, interval=fake.drip_interval, size=16)
            return self._send(status, body, content_type)

        def _error(self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None) -> None:
            shape = fake.error_shape
            if shape == "old":
                body, ctype = json.dumps({"message": message}).encode(), "application/json"
            elif shape == "text":
                body, ctype = message.encode(), "text/plain; charset=utf-8"
            elif shape == "html":
                body, ctype = f"<html><body><h1>{status}</h1></body></html>".encode(), "text/html"
            else:
                body, ctype = json.dumps({"error": code, "message": message}).encode(), "application/json"
            return self._send(status, body, ctype, headers)

        def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()

        def _chunked(self, status: int, body: bytes, content_type: str, *, interval: float, size: int = 65536) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, len(body), size):
                piece = body[start : start + size]
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                self.wfile.flush()
                if interval:
                    time.sleep(interval)
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

    return Handler


if __name__ == "__main__":  # run it by hand: python tests/docs/fake_context7.py
    with FakeContext7() as server:
        print(f"fake Context7 at {server.base_url} (Ctrl-C to stop)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
