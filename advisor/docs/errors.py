"""What can go wrong when fetching docs. Each failure is one class with one message.

These stay inside the docs package: `fetch_docs` turns them into warnings, or into an
`advisor.errors.ServiceError` when docs are required. Messages never contain the API key.
"""

from __future__ import annotations


class DocsError(Exception):
    """Base of every docs failure."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NoDocsError(DocsError):
    """Context7 answered, but has no docs for this (202, 404, empty body, no snippets)."""

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class LibraryNotFoundError(NoDocsError):
    """The library id itself is unknown (404 library_not_found): another id may work."""


class Context7HTTPError(DocsError):
    """An HTTP error status from Context7, with its error code when the body had one."""

    def __init__(self, message: str, *, status: int, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class InvalidRequestError(Context7HTTPError):
    """400: the request itself was wrong (validation_error, invalid_library_id)."""


class AuthenticationError(Context7HTTPError):
    """401: the API key was refused."""


class AccessDeniedError(Context7HTTPError):
    """402 / 403: spending limit or access denied."""


class RateLimitError(Context7HTTPError):
    """429 more often than we are willing to wait for."""


class ServerError(Context7HTTPError):
    """5xx after every retry."""


class TransportError(DocsError):
    """No usable answer: connection refused, timeout, slow drip past the deadline."""


class ResponseTooLargeError(DocsError):
    """The body was larger than the configured cap; reading stopped there."""


class MalformedResponseError(DocsError):
    """The body was not what the endpoint promises (bad JSON, wrong shape)."""


class RedirectError(DocsError):
    """Too many library redirects, a loop, or a redirect without a usable target."""


class ConfigError(DocsError):
    """CONTEXT7_API_URL is not something an HTTP client can send a request to."""
