"""PingOne-shaped error bodies for the management API and the OAuth endpoints."""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from flask import Response

MSG_INVALID_DATA = "The request could not be completed. One or more validation errors were in the request."
MSG_INVALID_REQUEST = "The request could not be completed."
MSG_ACCESS_FAILED = "The request could not be completed. You do not have access to this resource."
MSG_FORBIDDEN = "You do not have permissions or are not licensed to make this request."
MSG_NOT_FOUND = "The requested resource was not found."
MSG_LIMITED = "The request could not be completed. Too many requests were made."
MSG_UNEXPECTED = "An unexpected error occurred."
MSG_METHOD = "The request could not be completed. The request method is not supported for this resource."
MSG_MEDIA_TYPE = "The request could not be completed. The content type of the request is not supported."

# Top-level code and message used for a bare status (faults, generic HTTP errors).
STATUS_BODIES: dict[int, tuple[str, str]] = {
    400: ("INVALID_REQUEST", MSG_INVALID_REQUEST),
    401: ("ACCESS_FAILED", MSG_ACCESS_FAILED),
    403: ("ACCESS_FAILED", MSG_FORBIDDEN),
    404: ("NOT_FOUND", MSG_NOT_FOUND),
    405: ("INVALID_REQUEST", MSG_METHOD),
    409: ("REQUEST_FAILED", "The request could not be completed. The request conflicts with the current state."),
    415: ("INVALID_REQUEST", MSG_MEDIA_TYPE),
    429: ("REQUEST_LIMITED", MSG_LIMITED),
    500: ("UNEXPECTED_ERROR", MSG_UNEXPECTED),
    502: ("BAD_GATEWAY", "The request could not be completed. An upstream service returned an invalid response."),
    503: ("SERVICE_UNAVAILABLE", "The service is temporarily unavailable. Try again later."),
    504: ("GATEWAY_TIMEOUT", "The request could not be completed. An upstream service timed out."),
}


def new_id() -> str:
    """Return a fresh lowercase UUID string."""
    return str(uuid.uuid4())


def json_response(body: Any, status: int = 200) -> Response:
    """A JSON response that needs no application context (usable from WSGI middleware)."""
    return Response(json.dumps(body, separators=(",", ":")), status=status, mimetype="application/json")


def detail(code: str, target: str | None, message: str, **inner: Any) -> dict[str, Any]:
    """Build one entry of an error's ``details`` list."""
    item: dict[str, Any] = {"code": code}
    if target:
        item["target"] = target
    item["message"] = message
    if inner:
        item["innerError"] = inner
    return item


class ApiError(Exception):
    """A management API error that handlers raise and the app turns into a response."""

    def __init__(self, status: int, code: str, message: str, details: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """Return the JSON body."""
        body: dict[str, Any] = {"id": new_id(), "code": self.code, "message": self.message}
        if self.details:
            body["details"] = self.details
        return body

    def response(self) -> Response:
        """Return a Flask response."""
        resp = json_response(self.body(), self.status)
        for key, value in self.headers.items():
            resp.headers[key] = value
        return resp


def invalid_data(details: list[dict[str, Any]]) -> ApiError:
    """400 INVALID_DATA with validation details."""
    return ApiError(400, "INVALID_DATA", MSG_INVALID_DATA, details)


def invalid_request(message: str) -> ApiError:
    """400 INVALID_REQUEST (malformed body, bad query parameter...)."""
    return ApiError(400, "INVALID_REQUEST", MSG_INVALID_REQUEST, [detail("INVALID_VALUE", None, message)])


def unsupported_media_type(message: str) -> ApiError:
    """415 INVALID_REQUEST."""
    return ApiError(415, "INVALID_REQUEST", MSG_MEDIA_TYPE, [detail("INVALID_VALUE", "Content-Type", message)])


def invalid_token(message: str) -> ApiError:
    """401 ACCESS_FAILED / INVALID_TOKEN."""
    return ApiError(401, "ACCESS_FAILED", MSG_ACCESS_FAILED, [detail("INVALID_TOKEN", None, message)])


def forbidden(message: str) -> ApiError:
    """403 ACCESS_FAILED / INSUFFICIENT_PERMISSIONS."""
    return ApiError(403, "ACCESS_FAILED", MSG_FORBIDDEN, [detail("INSUFFICIENT_PERMISSIONS", None, message)])


def not_found() -> ApiError:
    """404 NOT_FOUND."""
    return ApiError(404, "NOT_FOUND", MSG_NOT_FOUND)


def retry_after_instant(retry_after: str, now: float) -> str | None:
    """A Retry-After value (delay-seconds or an HTTP-date) as the RFC 3339 UTC date-time it names; None if unparsable."""
    value = retry_after.strip()
    if value.isdigit():
        moment = datetime.fromtimestamp(now + int(value), tz=timezone.utc)
    else:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def status_error(status: int, retry_after: str | None = None, now: float | None = None) -> ApiError:
    """A bare error for an HTTP status (used by faults and generic HTTP exceptions).

    A 429 has a ``LIMIT_EXCEEDED`` detail; with ``retry_after`` (the Retry-After header: seconds or an HTTP-date)
    its ``innerError.retryAfter`` is the instant to retry at, an RFC 3339 date-time string as Ping Identity's
    official ``ApiErrorResponse.429`` schema types it (``now``: the simulator clock, default the wall clock).
    """
    fallback = ("UNEXPECTED_ERROR", MSG_UNEXPECTED) if status >= 500 else ("INVALID_REQUEST", MSG_INVALID_REQUEST)
    code, message = STATUS_BODIES.get(status, fallback)
    details: list[dict[str, Any]] = []
    headers: dict[str, str] = {}
    if retry_after is not None:
        headers["Retry-After"] = retry_after
    if status == 429:
        inner: dict[str, Any] = {}
        instant = retry_after_instant(retry_after, time.time() if now is None else now) if retry_after is not None else None
        if instant is not None:
            inner["retryAfter"] = instant
        details.append(detail("LIMIT_EXCEEDED", None, "The rate limit was exceeded.", **inner))
    return ApiError(status, code, message, details, headers)


class OAuthError(Exception):
    """An RFC 6749 style error of the auth server endpoints."""

    def __init__(self, status: int, error: str, description: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description
        self.headers = headers or {}

    def response(self) -> Response:
        """Return a Flask response; the description carries a fresh correlation id like PingOne's."""
        resp = json_response({"error": self.error, "error_description": f"{self.description} (Correlation ID: {new_id()})"}, self.status)
        resp.headers["Cache-Control"] = "no-store"
        resp.headers["Pragma"] = "no-cache"
        for key, value in self.headers.items():
            resp.headers[key] = value
        return resp
