"""Opt-in exchange recorder: one JSON line per management API request (for the contract test, tests/contract).

Enabled with ``--record FILE`` or ``PINGONE_SIM_RECORD=FILE``. Only ``/v1/...`` requests are recorded (never the
auth server's ``/{envId}/as/...`` nor the control API), and no headers at all (so no ``Authorization``). Each line
holds the method, path, query, request content type and JSON body, status, response content type and JSON body,
and the simulator fault applied, if any. The management bodies carry no secret except the application secret
(``secret``, ``previous.secret``): every string member named like a secret is replaced by a placeholder of the
same length, so the file never holds one. A body that is not JSON is recorded as its size only.
"""

from __future__ import annotations

import io
import json
import os
import threading
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs

from werkzeug.wsgi import get_input_stream

from .faults import FAULT_KEY, read_body

# Member names whose string values are replaced (at any depth, in requests and replies).
SECRET_KEYS = frozenset({"secret", "clientSecret", "client_secret"})
PLACEHOLDER_CHAR = "x"
MANAGEMENT_PREFIX = "/v1"


def redact(value: Any) -> Any:
    """A copy of a JSON value with every secret-named string member replaced by a same-length placeholder."""
    if isinstance(value, dict):
        return {key: (PLACEHOLDER_CHAR * len(item) if key in SECRET_KEYS and isinstance(item, str) else redact(item))
                for key, item in value.items()}
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


def _body(raw: bytes) -> dict[str, Any]:
    """The recorded form of a body: {"json": value}, {"non_json_bytes": n}, or {} when empty."""
    if not raw:
        return {}
    try:
        return {"json": redact(json.loads(raw.decode("utf-8")))}
    except (UnicodeDecodeError, ValueError):
        return {"non_json_bytes": len(raw)}


class ExchangeRecorder:  # pylint: disable=too-few-public-methods
    """WSGI middleware (outermost) that appends one JSON line per /v1 request to a file (mode 0600)."""

    def __init__(self, app: Callable[..., Iterable[bytes]], path: str) -> None:
        self.app = app
        self.path = path
        self._lock = threading.Lock()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self._file = os.fdopen(fd, "a", encoding="utf-8")

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._file.close()

    def _write(self, entry: dict[str, Any]) -> None:
        line = json.dumps(entry, separators=(",", ":"), sort_keys=False)
        with self._lock:
            if not self._file.closed:
                self._file.write(line + "\n")
                self._file.flush()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "") or "/"
        if path != MANAGEMENT_PREFIX and not path.startswith(MANAGEMENT_PREFIX + "/"):
            return self.app(environ, start_response)
        raw = get_input_stream(environ).read()
        environ["wsgi.input"] = io.BytesIO(raw)
        environ["CONTENT_LENGTH"] = str(len(raw))
        request_type = environ.get("CONTENT_TYPE", "")
        entry: dict[str, Any] = {"method": environ.get("REQUEST_METHOD", "GET").upper(), "path": path,
                                 "query": parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True),
                                 "request_content_type": request_type}
        entry.update({"request_" + key: value for key, value in _body(raw).items()})
        seen: dict[str, Any] = {}

        def recording_start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["status"] = int(status.split(" ", 1)[0])
            seen["content_type"] = next((value for key, value in headers if key.lower() == "content-type"), "")
            return start_response(status, headers, exc_info)

        try:
            body = read_body(self.app(environ, recording_start))
        except ConnectionError:
            # A drop fault: no reply reached the client (commit_then_drop may have produced a status first).
            entry.update({"status": seen.get("status"), "dropped": True, "fault": environ.get(FAULT_KEY)})
            self._write(entry)
            raise
        entry.update({"status": seen.get("status"), "response_content_type": seen.get("content_type", "")})
        entry.update({"response_" + key: value for key, value in _body(body).items()})
        if environ.get(FAULT_KEY):
            entry["fault"] = environ[FAULT_KEY]
        self._write(entry)
        return [body]
