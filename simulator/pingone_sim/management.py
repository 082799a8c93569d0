"""Management API under /v1: environments, applications and application secrets."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from flask import Blueprint, Response, g, request

from .context import api_url, sim
from .errors import (MSG_INVALID_DATA, MSG_INVALID_REQUEST, ApiError, detail, forbidden, invalid_data, invalid_request, json_response,
                     not_found, unsupported_media_type)
from .oauth import verify_access_token
from .store import LICENSE_ID, ORGANIZATION_ID, AppRecord, Environment, iso, parse_rfc3339
from .validation import SYSTEM_TYPES, ordered, validate_application

bp = Blueprint("management", __name__, url_prefix="/v1")

JSON_TYPES = ("application/json", "application/hal+json")
MIN_PREVIOUS_WINDOW = 60
MAX_PREVIOUS_WINDOW = 30 * 24 * 3600
MAX_LIMIT = 1000
WINDOW_TOLERANCE = 5
OWN_SECRET_MESSAGE = "The actor attempting to perform the request is not authorized."


@bp.before_request
def authenticate() -> None:
    """Every management call needs a valid worker bearer token (g.actor = (environment id, app id))."""
    header = request.headers.get("Authorization", "")
    scheme, token = (header.split(" ", 1) + [""])[:2]
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "ACCESS_FAILED", "The request could not be completed. You do not have access to this resource.",
                       [detail("INVALID_TOKEN", None, "A bearer access token is required.")])
    g.actor = verify_access_token(token.strip())


# ----- helpers ------------------------------------------------------------------------------
def load_env(env_id: str) -> Environment:
    """Environment or 404; 403 for environments configured as forbidden."""
    env = sim().store.get_environment(env_id)
    if env is None:
        raise not_found()
    if env.forbidden:
        raise forbidden("The actor does not have permission to access this environment.")
    return env


def load_app(env_id: str, app_id: str) -> tuple[Environment, AppRecord]:
    """Environment and application or 404."""
    env = load_env(env_id)
    record = sim().store.get_app(env_id, app_id)
    if record is None:
        raise not_found()
    return env, record


def json_body(optional: bool = False) -> Any:
    """Parse the JSON request body (415 for other content types, 400 for malformed JSON)."""
    raw = request.get_data(cache=True)
    if optional and not raw.strip():
        return None
    mimetype = request.mimetype or ""
    if mimetype not in JSON_TYPES and not mimetype.endswith("+json"):
        raise unsupported_media_type(f"Content-Type must be application/json, got {mimetype or 'none'}.")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise invalid_request("The request body is not valid JSON.") from exc


def env_json(env: Environment) -> dict[str, Any]:
    """Minimal environment representation."""
    return {
        "_links": {"self": {"href": api_url(f"/environments/{env.id}")},
                   "applications": {"href": api_url(f"/environments/{env.id}/applications")}},
        "id": env.id, "name": env.name, "type": env.type, "region": "NA", "organization": {"id": ORGANIZATION_ID},
        "license": {"id": LICENSE_ID}, "createdAt": env.created_at, "updatedAt": env.updated_at,
    }


def app_json(env_id: str, record: AppRecord) -> dict[str, Any]:
    """Application representation with HAL links."""
    data = record.data
    base = f"/environments/{env_id}/applications/{record.id}"
    links = {"self": {"href": api_url(base)}, "environment": {"href": api_url(f"/environments/{env_id}")},
             "attributes": {"href": api_url(f"{base}/attributes")}}
    if data.get("protocol") == "OPENID_CONNECT":
        links["secret"] = {"href": api_url(f"{base}/secret")}
    links["grants"] = {"href": api_url(f"{base}/grants")}
    if data.get("type") == "WORKER":
        links["roleAssignments"] = {"href": api_url(f"{base}/roleAssignments")}
    body: dict[str, Any] = {"_links": links, "environment": {"id": env_id}, "id": record.id}
    # The spec's system application schemas (ApplicationPingOnePortal, ...SelfService, ...AdminConsole) have no
    # clientId (their id is the client id).
    hidden = ("id", "clientId") if data.get("type") in SYSTEM_TYPES else ("id",)
    body.update(ordered({k: v for k, v in data.items() if k not in hidden}))
    return body


def secret_json(env_id: str, record: AppRecord) -> dict[str, Any]:
    """Secret representation; ``previous`` only while the previous secret is unexpired."""
    base = f"/environments/{env_id}/applications/{record.id}"
    body: dict[str, Any] = {
        "_links": {"self": {"href": api_url(f"{base}/secret")}, "environment": {"href": api_url(f"/environments/{env_id}")},
                   "application": {"href": api_url(base)}},
        "environment": {"id": env_id},
        "secret": record.secret,
    }
    if sim().store.previous_valid(record):
        previous: dict[str, Any] = {"secret": record.previous_secret, "expiresAt": iso(float(record.previous_expires_at or 0))}
        if record.previous_last_used:
            previous["lastUsed"] = iso(record.previous_last_used)
        body["previous"] = previous
    return body


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode("ascii")).decode("ascii").rstrip("=")


def _offset(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        prefix, number = (text.split(":", 1) + [""])[:2]
        if prefix != "offset" or not number.isdigit():
            raise ValueError(cursor)
        return int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise invalid_request("The cursor query parameter is invalid.") from exc


def _oidc_only(record: AppRecord) -> None:
    if record.data.get("protocol") != "OPENID_CONNECT":
        raise ApiError(400, "INVALID_REQUEST", MSG_INVALID_REQUEST,
                       [detail("INVALID_VALUE", "protocol", "Secrets are only available for OPENID_CONNECT applications.")])


def _not_own_secret(env_id: str, app_id: str) -> None:
    actor_env, actor_app = g.actor
    if actor_env == env_id and actor_app == app_id:
        raise forbidden(OWN_SECRET_MESSAGE)


# ----- environments -------------------------------------------------------------------------
@bp.get("/environments")
def list_environments() -> Response:
    """GET /v1/environments."""
    envs = [env_json(env) for env in sim().store.list_environments()]
    return json_response({"_links": {"self": {"href": api_url("/environments")}}, "_embedded": {"environments": envs},
                          "count": len(envs), "size": len(envs)})


@bp.get("/environments/<env_id>")
def get_environment(env_id: str) -> Response:
    """GET /v1/environments/{envId}."""
    return json_response(env_json(load_env(env_id)))


# ----- applications -------------------------------------------------------------------------
@bp.get("/environments/<env_id>/applications")
def list_applications(env_id: str) -> Response:
    """GET the collection, paged with cursor/limit when page_size > 0."""
    load_env(env_id)
    records = sim().store.list_apps(env_id)
    total = len(records)
    links: dict[str, Any] = {}
    self_url = api_url(f"/environments/{env_id}/applications")
    page_size = sim().config.page_size
    if page_size > 0:
        limit = page_size
        raw_limit = request.args.get("limit")
        if raw_limit is not None:
            if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT:
                raise invalid_data([detail("OUT_OF_RANGE", "limit", f"limit must be an integer between 1 and {MAX_LIMIT}.",
                                           rangeMinimumValue=1, rangeMaximumValue=MAX_LIMIT)])
            limit = int(raw_limit)
        cursor = request.args.get("cursor")
        offset = _offset(cursor) if cursor else 0
        page = records[offset:offset + limit]
        query = [f"limit={raw_limit}"] if raw_limit is not None else []
        if cursor:
            query.append(f"cursor={cursor}")
        links["self"] = {"href": self_url + ("?" + "&".join(query) if query else "")}
        if offset + limit < total:
            links["next"] = {"href": f"{self_url}?limit={limit}&cursor={_cursor(offset + limit)}"}
    else:
        page = records
        links["self"] = {"href": self_url}
    apps = [app_json(env_id, record) for record in page]
    return json_response({"_links": links, "_embedded": {"applications": apps}, "count": total, "size": len(apps)})


@bp.post("/environments/<env_id>/applications")
def create_application(env_id: str) -> Response:
    """POST: 201 with the created application and a Location header."""
    load_env(env_id)
    props = validate_application(json_body())
    record = sim().store.create_app(env_id, props)
    body = app_json(env_id, record)
    response = json_response(body, 201)
    response.headers["Location"] = body["_links"]["self"]["href"]
    return response


@bp.get("/environments/<env_id>/applications/<app_id>")
def get_application(env_id: str, app_id: str) -> Response:
    """GET one application."""
    _env, record = load_app(env_id, app_id)
    return json_response(app_json(env_id, record))


@bp.put("/environments/<env_id>/applications/<app_id>")
def replace_application(env_id: str, app_id: str) -> Response:
    """PUT: full replacement."""
    store = sim().store
    load_env(env_id)
    body = json_body()
    with store.lock:
        record = store.get_app(env_id, app_id)
        if record is None:
            raise not_found()
        props = validate_application(body, existing=record.data)
        record = store.replace_app(env_id, app_id, props)
        return json_response(app_json(env_id, record))


@bp.delete("/environments/<env_id>/applications/<app_id>")
def delete_application(env_id: str, app_id: str) -> Response:
    """DELETE: 204, then 404."""
    store = sim().store
    with store.lock:
        _env, record = load_app(env_id, app_id)
        if record.data.get("type") in SYSTEM_TYPES:
            raise ApiError(400, "INVALID_REQUEST", MSG_INVALID_REQUEST,
                           [detail("CONSTRAINT_VIOLATION", "type", f"{record.data['type']} system applications cannot be deleted.")])
        store.delete_app(env_id, app_id)
    return Response(status=204)


# ----- secret -------------------------------------------------------------------------------
@bp.get("/environments/<env_id>/applications/<app_id>/secret")
def get_secret(env_id: str, app_id: str) -> Response:
    """GET the current (and unexpired previous) secret."""
    _env, record = load_app(env_id, app_id)
    _oidc_only(record)
    _not_own_secret(env_id, app_id)
    return json_response(secret_json(env_id, record))


@bp.post("/environments/<env_id>/applications/<app_id>/secret")
def rotate_secret(env_id: str, app_id: str) -> Response:
    """POST: new secret; optional {"previous": {"expiresAt": ...}} keeps the old one valid for 1 min to 30 days."""
    store = sim().store
    _env, record = load_app(env_id, app_id)
    _oidc_only(record)
    _not_own_secret(env_id, app_id)
    body = json_body(optional=True)
    expires_at = None
    if body is not None:
        if not isinstance(body, dict):
            raise invalid_request("The request body must be a JSON object.")
        previous = body.get("previous")
        if previous is not None:
            expires_at = _previous_expiry(previous, store.now())
    with store.lock:
        store.rotate_secret(record, expires_at)
        return json_response(secret_json(env_id, record))


def _previous_expiry(previous: Any, now: float) -> float:
    target = "previous.expiresAt"
    if not isinstance(previous, dict) or not isinstance(previous.get("expiresAt"), str):
        raise invalid_data([detail("REQUIRED_VALUE", target, "previous.expiresAt is required (an RFC 3339 timestamp).")])
    try:
        expires_at = parse_rfc3339(previous["expiresAt"])
    except ValueError as exc:
        raise invalid_data([detail("INVALID_VALUE", target, "previous.expiresAt must be an RFC 3339 timestamp with a time zone.")]) from exc
    low, high = now + MIN_PREVIOUS_WINDOW, now + MAX_PREVIOUS_WINDOW
    if not low - WINDOW_TOLERANCE <= expires_at <= high + WINDOW_TOLERANCE:
        # Both specs type the range bounds as numbers: the window in seconds from now; the instants go in the message.
        raise ApiError(400, "INVALID_DATA", MSG_INVALID_DATA, [detail(
            "OUT_OF_RANGE", target, f"previous.expiresAt must be between 1 minute and 30 days from now ({iso(low)} to {iso(high)}).",
            rangeMinimumValue=MIN_PREVIOUS_WINDOW, rangeMaximumValue=MAX_PREVIOUS_WINDOW)])
    return expires_at


@bp.delete("/environments/<env_id>/applications/<app_id>/secret")
def revoke_previous_secret(env_id: str, app_id: str) -> Response:
    """DELETE: the previous secret stops working; 204."""
    _env, record = load_app(env_id, app_id)
    _oidc_only(record)
    sim().store.revoke_previous_secret(record)
    return Response(status=204)
