"""The /_sim control API: health, stats, faults, reset, environments, planted role assignments, token revocation, clock, canaries."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, request

from .access import plant_role_assignment
from .config import UUID_RE
from .context import sim
from .errors import ApiError, json_response
from .management import env_json
from .store import iso

bp = Blueprint("control", __name__, url_prefix="/_sim")
# An environment's type (sdk-v2 EnumEnvironmentType), given as {"type": ...} when creating one; SANDBOX by default.
ENVIRONMENT_TYPES = ("SANDBOX", "PRODUCTION")


class ControlError(Exception):
    """A bad control request: answered as {"error": message}."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status

    def response(self) -> Response:
        """JSON response."""
        return json_response({"error": str(self)}, self.status)


def _body() -> dict[str, Any]:
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ControlError("body is not valid JSON") from exc
    if not isinstance(doc, dict):
        raise ControlError("body must be a JSON object")
    return doc


@bp.get("/health")
def health() -> Response:
    """Liveness."""
    return json_response({"status": "ok"})


@bp.get("/stats")
def stats() -> Response:
    """Request counters (control requests are not counted)."""
    return json_response(sim().stats.snapshot())


@bp.delete("/stats")
def reset_stats() -> Response:
    """Zero the counters."""
    sim().stats.reset()
    return Response(status=204)


@bp.get("/faults")
def list_faults() -> Response:
    """Pending faults with their remaining counts."""
    return json_response({"faults": sim().faults.pending()})


@bp.post("/faults")
def add_fault() -> Response:
    """Queue a fault."""
    try:
        fault = sim().faults.add(_body())
    except ValueError as exc:
        raise ControlError(str(exc)) from exc
    return json_response(dict(fault.describe()), 201)


@bp.delete("/faults")
def clear_faults() -> Response:
    """Drop all pending faults."""
    sim().faults.clear()
    return Response(status=204)


@bp.post("/reset")
def reset() -> Response:
    """Back to the bootstrap state."""
    current = sim()
    current.store.reset()
    current.store.set_clock_offset(0)
    current.faults.clear()
    current.stats.reset()
    return json_response({"status": "reset"})


@bp.post("/environments")
def create_environment() -> Response:
    """Create an environment (seeded with the system applications)."""
    body = _body()
    env_id = body.get("id")
    name = body.get("name")
    forbidden = body.get("forbidden", False)
    env_type = body.get("type", "SANDBOX")
    if env_id is not None and (not isinstance(env_id, str) or not UUID_RE.match(env_id)):
        raise ControlError("id must be a lowercase UUID")
    if not isinstance(name, str) or not name.strip():
        raise ControlError("name is required")
    if not isinstance(forbidden, bool):
        raise ControlError("forbidden must be a boolean")
    if env_type not in ENVIRONMENT_TYPES:
        raise ControlError(f"type must be one of {', '.join(ENVIRONMENT_TYPES)}")
    try:
        env = sim().store.create_environment(name, env_id, forbidden, env_type=env_type)
    except KeyError as exc:
        raise ControlError(f"environment {env_id} already exists", 409) from exc
    response = json_response(env_json(env), 201)
    response.headers["Location"] = env_json(env)["_links"]["self"]["href"]
    return response


@bp.post("/environments/<env_id>/applications/<app_id>/roleAssignments")
def plant_assignment(env_id: str, app_id: str) -> Response:
    """Add a role assignment as PingOne or a more privileged admin would (``"readOnly": true`` for one workers cannot delete)."""
    try:
        body = plant_role_assignment(env_id, app_id, _body())
    except ApiError as exc:
        reasons = "; ".join(str(item.get("message")) for item in exc.details) or exc.message
        raise ControlError(reasons, 404 if exc.status == 404 else 400) from exc
    return json_response(body, 201)


@bp.post("/tokens/revoke")
def revoke_tokens() -> Response:
    """Invalidate every access token issued so far."""
    return json_response({"revoked": sim().store.revoke_tokens()})


@bp.get("/canaries")
def canaries() -> Response:
    """For leak tests: every client secret, access token and verified client assertion since start or reset."""
    return json_response(sim().store.canary_lists())


@bp.post("/paging")
def set_paging() -> Response:
    """Page the application collection {"page_size": n} at a time from now on (0: one page), as --page-size does."""
    size = _body().get("page_size")
    if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= 1000:
        raise ControlError("page_size (an integer from 0 to 1000) is required")
    sim().config.page_size = size
    return json_response({"page_size": size})


@bp.get("/clock")
def get_clock() -> Response:
    """Current offset and simulated time."""
    store = sim().store
    return json_response({"offset": store.clock_offset, "now": iso(store.now())})


@bp.post("/clock")
def set_clock() -> Response:
    """Shift the simulator clock by {"offset": seconds} (absolute offset from the wall clock)."""
    offset = _body().get("offset")
    if isinstance(offset, bool) or not isinstance(offset, (int, float)):
        raise ControlError("offset (seconds, a number) is required")
    store = sim().store
    store.set_clock_offset(offset)
    return json_response({"offset": store.clock_offset, "now": iso(store.now())})


def control_error_handler(exc: ControlError) -> Response:
    """Flask error handler for ControlError."""
    return exc.response()
