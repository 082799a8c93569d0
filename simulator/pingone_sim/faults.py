"""Fault injection, the request counter and the access log, as WSGI middleware."""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from .errors import new_id, status_error

ACTIONS = ("status", "delay", "drop", "commit_then_drop", "redirect", "foreign_next")
MAX_DELAY = 120.0
CONTROL_PREFIX = "/_sim"
# The WSGI environ key under which the middleware notes the fault it applied (read by the exchange recorder).
FAULT_KEY = "pingone_sim.fault"
LOG = logging.getLogger("pingone_sim")


class SimulatedDrop(ConnectionAbortedError):
    """Raised to make the WSGI server abandon the connection without a reply."""


@dataclass
class Fault:  # pylint: disable=too-many-instance-attributes
    """One pending fault."""

    id: str  # pylint: disable=invalid-name
    action: str
    remaining: int
    status: int | None = None
    retry_after: str | None = None
    delay: float | None = None
    method: str | None = None
    path_regex: str | None = None
    location: str | None = None
    pattern: re.Pattern[str] | None = field(default=None, repr=False)

    def matches(self, method: str, path: str) -> bool:
        """Whether this fault applies to a request."""
        if self.method and self.method != method.upper():
            return False
        return self.pattern is None or self.pattern.search(path) is not None

    def describe(self) -> dict[str, Any]:
        """JSON view for GET /_sim/faults."""
        item: dict[str, Any] = {"id": self.id, "action": self.action, "count": self.remaining}
        for key in ("status", "retry_after", "delay", "method", "path_regex", "location"):
            value = getattr(self, key)
            if value is not None:
                item[key] = value
        return item


def _parse_status(fault: Fault, spec: dict[str, Any]) -> None:
    status = spec.get("status")
    if fault.action == "status":
        if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
            raise ValueError("status must be an integer between 400 and 599")
        fault.status = status
    retry_after = spec.get("retry_after")
    if retry_after is not None:
        if isinstance(retry_after, bool) or not isinstance(retry_after, (str, int)) or not str(retry_after).strip():
            raise ValueError("retry_after must be a string (seconds or an HTTP-date)")
        fault.retry_after = str(retry_after).strip()


def _parse_delay(fault: Fault, spec: dict[str, Any]) -> None:
    delay = spec.get("delay")
    if fault.action == "delay" and delay is None:
        raise ValueError("delay (seconds) is required for action delay")
    if delay is not None:
        if isinstance(delay, bool) or not isinstance(delay, (int, float)) or not 0 <= delay <= MAX_DELAY:
            raise ValueError(f"delay must be a number of seconds between 0 and {MAX_DELAY:g}")
        fault.delay = float(delay)


def _parse_location(fault: Fault, spec: dict[str, Any]) -> None:
    location = spec.get("location")
    if fault.action in ("redirect", "foreign_next"):
        if not isinstance(location, str) or not location.startswith(("http://", "https://")):
            raise ValueError(f"location (an absolute http(s) URL) is required for action {fault.action}")
        fault.location = location
        if fault.action == "redirect":
            status = spec.get("status", 307)
            if status not in (301, 302, 303, 307, 308):
                raise ValueError("status of a redirect must be 301, 302, 303, 307 or 308")
            fault.status = status


def _parse_filters(fault: Fault, spec: dict[str, Any]) -> None:
    method = spec.get("method")
    if method is not None:
        if not isinstance(method, str) or not method.isalpha():
            raise ValueError("method must be an HTTP method name")
        fault.method = method.upper()
    path_regex = spec.get("path_regex")
    if path_regex is not None:
        if not isinstance(path_regex, str):
            raise ValueError("path_regex must be a string")
        try:
            fault.pattern = re.compile(path_regex)
        except re.error as exc:
            raise ValueError(f"path_regex does not compile: {exc}") from exc
        fault.path_regex = path_regex


class FaultRegistry:
    """Pending faults, consumed in creation order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, spec: Any) -> Fault:
        """Validate a POST /_sim/faults body and queue the fault (ValueError with a reason if invalid)."""
        if not isinstance(spec, dict):
            raise ValueError("body must be a JSON object")
        action = spec.get("action")
        if action not in ACTIONS:
            raise ValueError(f"action must be one of {', '.join(ACTIONS)}")
        count = spec.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError("count must be a positive integer")
        fault = Fault(id=new_id(), action=action, remaining=count)
        if action not in ("redirect", "foreign_next"):
            _parse_status(fault, spec)
        _parse_location(fault, spec)
        _parse_delay(fault, spec)
        _parse_filters(fault, spec)
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        """Consume one use of the first matching fault."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def pending(self) -> list[dict[str, Any]]:
        """Describe the pending faults."""
        with self._lock:
            return [fault.describe() for fault in self._faults]

    def clear(self) -> int:
        """Drop every pending fault; returns how many were pending."""
        with self._lock:
            count = len(self._faults)
            self._faults.clear()
            return count


class Stats:
    """Counts of served (non-control) requests by method and route template, and the bytes of their response bodies."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.total = 0
        self.response_bytes = 0
        self.by_method: dict[str, int] = {}
        self.by_route: dict[str, int] = {}

    def count(self, method: str, route: str) -> None:
        """Count one request."""
        with self._lock:
            self.total += 1
            self.by_method[method] = self.by_method.get(method, 0) + 1
            key = f"{method} {route}"
            self.by_route[key] = self.by_route.get(key, 0) + 1

    def add_bytes(self, size: int) -> None:
        """Count bytes of a response body, as the server sends them."""
        with self._lock:
            self.response_bytes += size

    def snapshot(self) -> dict[str, Any]:
        """JSON view for GET /_sim/stats."""
        with self._lock:
            return {"total": self.total, "by_method": dict(self.by_method), "by_route": dict(self.by_route),
                    "response_bytes": self.response_bytes}

    def reset(self) -> None:
        """Zero the counters."""
        with self._lock:
            self.total = 0
            self.response_bytes = 0
            self.by_method.clear()
            self.by_route.clear()


class CountedBody:  # pylint: disable=too-few-public-methods
    """A WSGI response body that adds the size of each chunk to the stats as the server takes it."""

    def __init__(self, body: Iterable[bytes], stats: Stats) -> None:
        self._body = body
        self._stats = stats

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._body:
            self._stats.add_bytes(len(chunk))
            yield chunk

    def close(self) -> None:
        """Close the wrapped body (WSGI requires the server to call it)."""
        close = getattr(self._body, "close", None)
        if close is not None:
            close()


def _drain_body(environ: dict[str, Any]) -> None:
    """Read the unread request body so that closing the socket sends FIN rather than RST."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    stream = environ.get("wsgi.input")
    if stream is not None and 0 < length <= 10_000_000:
        try:
            stream.read(length)
        except OSError:
            pass


def read_body(result: Iterable[bytes]) -> bytes:
    """The whole body a WSGI application returned, closing it as a server would."""
    try:
        return b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()


def drop_connection(environ: dict[str, Any]) -> None:
    """Close the client connection without a reply, then abort the WSGI call.

    The socket is shut down (not closed) so that Werkzeug's own cleanup still works;
    raising a ConnectionError subclass makes Werkzeug treat the request as a dropped
    connection and send nothing.  Under Flask's test client the exception propagates
    to the caller.
    """
    sock = environ.get("werkzeug.socket")
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    raise SimulatedDrop("connection dropped by simulator fault")


class SimMiddleware:  # pylint: disable=too-few-public-methods
    """Counts requests, applies faults and writes the access log."""

    def __init__(self, app: Callable[..., Iterable[bytes]], faults: FaultRegistry, stats: Stats,
                 route_of: Callable[[dict[str, Any]], str], quiet: bool = False,
                 clock: Callable[[], float] = time.time) -> None:
        self.app = app
        self.clock = clock
        self.faults = faults
        self.stats = stats
        self.route_of = route_of
        self.quiet = quiet

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "") or "/"
        body = self._serve(environ, start_response)
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            return body
        return CountedBody(body, self.stats)

    def _serve(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.monotonic()
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = environ.get("PATH_INFO", "") or "/"
        seen: dict[str, str] = {}

        def recording_start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["status"] = status.split(" ", 1)[0]
            return start_response(status, headers, exc_info)

        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            result = self.app(environ, recording_start)
            self._log(method, path, seen.get("status", "-"), started, "")
            return result
        self.stats.count(method, self.route_of(environ))
        fault = self.faults.take(method, path)
        if fault is None:
            result = self.app(environ, recording_start)
            self._log(method, path, seen.get("status", "-"), started, "")
            return result
        environ[FAULT_KEY] = fault.action
        if fault.delay:
            time.sleep(fault.delay)
        note = f" fault={fault.action}"
        if fault.action == "status":
            response = status_error(int(fault.status or 500), fault.retry_after, self.clock()).response()
            self._log(method, path, str(fault.status), started, note)
            return response(environ, start_response)
        if fault.action == "drop":
            _drain_body(environ)
            self._log(method, path, "dropped", started, note)
            drop_connection(environ)
        if fault.action == "commit_then_drop":
            read_body(self.app(environ, recording_start))
            self._log(method, path, f"{seen.get('status', '-')}->dropped", started, note)
            drop_connection(environ)
        if fault.action == "redirect":
            _drain_body(environ)
            self._log(method, path, str(fault.status), started, note)
            start_response(f"{fault.status} Redirect", [("Location", fault.location or ""), ("Content-Length", "0")])
            return [b""]
        if fault.action == "foreign_next":
            return self._foreign_next(environ, start_response, fault, (method, path, started, note))
        result = self.app(environ, recording_start)
        self._log(method, path, seen.get("status", "-"), started, note)
        return result

    def _foreign_next(self, environ: dict[str, Any], start_response: Callable[..., Any], fault: Fault,
                      request: tuple[str, str, float, str]) -> Iterable[bytes]:
        """Process the request, then make the reply's ``_links.next`` point at ``location``."""
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        raw = read_body(self.app(environ, capture))
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        if isinstance(body, dict):
            body.setdefault("_links", {})["next"] = {"href": fault.location}
            raw = json.dumps(body).encode()
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(raw))))
        method, path, started, note = request
        self._log(method, path, captured["status"].split(" ", 1)[0], started, note)
        start_response(captured["status"], headers)
        return [raw]

    def _log(self, method: str, path: str, status: str, started: float, note: str) -> None:
        # Only method, path (never the query string), status and timing: no headers, bodies or tokens.
        if not self.quiet:
            LOG.info("%s %s %s %.1fms%s", method, path, status, (time.monotonic() - started) * 1000, note)
