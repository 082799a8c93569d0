"""Attribute mappings of an application: the claims PingOne puts in its ID tokens and userinfo replies.

Decisions where PingOne's documentation is silent (the spec's ApplicationAttributeMapping is the source otherwise):

* Every OPENID_CONNECT application starts with its CORE mapping ``sub`` -> ``${user.id}``, required (store.py seeds
  it); other protocols start with none. CORE and SCOPE mappings cannot be deleted (400 INVALID_DATA /
  CONSTRAINT_VIOLATION, target ``mappingType``); a PUT may change their ``value`` only: their name, type and
  ``required: true`` stay, and ``oidcScopes`` or a false ``idToken``/``userInfo`` is refused (``sub`` is always in the
  ID token and the userinfo reply, OpenID Connect Core 1.0 sections 2 and 5.3.2). A POST makes CUSTOM mappings only.
* Names are compared exactly, as JWT claim names are: ``Email`` and ``email`` are two mappings, and only the exact
  reserved names of the spec (``acr`` ... ``sub``) are refused for OPENID_CONNECT applications, with the text PingOne
  gives ("Attribute name 'aud' is not valid for the 'OPENID_CONNECT' application"). A second mapping of the same name
  -> 400 UNIQUENESS_VIOLATION (checked and inserted in one step).
* ``value`` must be a non-empty string whose ``${`` expressions are closed; what they refer to is not checked.
* ``idToken`` and ``userInfo`` (OIDC only) default to true and are returned for every CUSTOM mapping; both false ->
  400. ``oidcScopes``: null or absent means none; otherwise a non-empty list of IDs of scopes granted to the
  application (the spec: an empty set is invalid). Other protocols keep none of the three.
* At most 100 mappings per application (PingOne's documented limit): one more -> 400 SIZE_LIMIT_EXCEEDED.
* Read-only members in a body (``id``, ``application``, ``createdAt``, ``updatedAt``, ``_links``) are ignored.
  Replies carry the spec's members only (no ``environment``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from .context import api_url, sim
from .errors import ApiError, MSG_INVALID_DATA, detail, invalid_data, invalid_request, json_response, new_id, not_found
from .management import authenticate, json_body, load_app
from .store import AppRecord, Environment, iso

bp = Blueprint("attributes", __name__, url_prefix="/v1")
bp.before_request(authenticate)

OIDC = "OPENID_CONNECT"
CUSTOM = "CUSTOM"
MAPPING_TYPES = ("CORE", "SCOPE", CUSTOM)
# The names the spec's ApplicationAttributeMapping.name reserves for OpenID Connect applications.
RESERVED_OIDC_NAMES = ("acr", "amr", "at_hash", "aud", "auth_time", "azp", "client_id", "exp", "iat", "iss", "jti", "nbf",
                       "nonce", "org", "scope", "sid", "sub")
MAX_MAPPINGS = 100
OIDC_ONLY = ("idToken", "userInfo", "oidcScopes")
# Reply order of the stored members (the spec's ApplicationAttributeMapping).
FIELD_ORDER = ("id", "name", "value", "required", "mappingType", "nameFormat", "idToken", "userInfo", "oidcScopes",
               "createdAt", "updatedAt")


def mapping_json(env_id: str, app_id: str, mapping: dict[str, Any]) -> dict[str, Any]:
    """A mapping as PingOne returns it."""
    base = f"/environments/{env_id}/applications/{app_id}"
    body: dict[str, Any] = {"_links": {"self": {"href": api_url(f"{base}/attributes/{mapping['id']}")},
                                       "application": {"href": api_url(base)}},
                            "application": {"id": app_id}}
    body.update((key, mapping[key]) for key in FIELD_ORDER if key in mapping)
    return body


def _invalid(code: str, target: str, message: str) -> ApiError:
    return invalid_data([detail(code, target, message)])


def _unclosed_expression(value: str) -> bool:
    """Whether a ``${`` is left open (the last one has no ``}`` after it)."""
    start = value.rfind("${")
    return start >= 0 and value.find("}", start) < 0


def _granted_scope_ids(env: Environment, app_id: str) -> set[str]:
    return {scope["id"] for grant in env.grants.values() if grant["application"]["id"] == app_id for scope in grant["scopes"]}


def _boolean(body: dict[str, Any], key: str, default: bool | None = None) -> bool | None:
    value = body.get(key, default)
    if value is not None and not isinstance(value, bool):
        raise _invalid("INVALID_VALUE", key, f"{key} must be a boolean.")
    return value


def _oidc_members(body: dict[str, Any], env: Environment, app_id: str) -> dict[str, Any]:
    """idToken, userInfo (default true) and oidcScopes of a CUSTOM mapping of an OIDC application."""
    id_token, user_info = _boolean(body, "idToken", True), _boolean(body, "userInfo", True)
    if not id_token and not user_info:
        raise _invalid("INVALID_VALUE", "idToken", "idToken and userInfo cannot both be false: at least one of them must be true.")
    props: dict[str, Any] = {"idToken": id_token, "userInfo": user_info}
    scopes = body.get("oidcScopes")
    if scopes is None:
        return props
    if not isinstance(scopes, list) or not scopes:
        raise _invalid("INVALID_VALUE", "oidcScopes", "oidcScopes must be null or a list of at least one scope ID.")
    granted = _granted_scope_ids(env, app_id)
    for index, scope_id in enumerate(scopes):
        if not isinstance(scope_id, str) or scope_id not in granted:
            raise _invalid("INVALID_VALUE", f"oidcScopes[{index}]",
                           f"Scope {scope_id} is not granted to the application through its grants.")
    props["oidcScopes"] = list(dict.fromkeys(scopes))
    return props


def _validate(body: Any, env: Environment, record: AppRecord, current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The stored members of a mapping from a POST body, or from a PUT body replacing ``current``."""
    if not isinstance(body, dict):
        raise invalid_request("The request body must be a JSON object.")
    protocol = record.data.get("protocol")
    kind = current["mappingType"] if current else CUSTOM
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _invalid("REQUIRED_VALUE", "name", "name is required.")
    mapping_type = body.get("mappingType", kind)
    if mapping_type != kind:
        message = ("Only CUSTOM attribute mappings can be created." if current is None
                   else f"The mappingType of an attribute mapping cannot change (it is {kind}).")
        raise invalid_data([detail("INVALID_VALUE", "mappingType", message, allowedValues=[kind])])
    if kind != CUSTOM and name != current["name"]:
        raise _invalid("INVALID_VALUE", "name", f"The name of a {kind} attribute mapping cannot change (it is {current['name']}).")
    if kind == CUSTOM and protocol == OIDC and name in RESERVED_OIDC_NAMES:
        raise _invalid("INVALID_VALUE", "name", f"Attribute name '{name}' is not valid for the '{protocol}' application")
    if any(item["name"] == name for item in record.attributes.values() if item is not current):
        raise _invalid("UNIQUENESS_VIOLATION", "name", f"The application already has an attribute mapping named {name}.")
    value = body.get("value")
    if value is None:
        raise _invalid("REQUIRED_VALUE", "value", "value is required.")
    if not isinstance(value, str) or not value.strip():
        raise _invalid("EMPTY_VALUE", "value", "value must be a non-empty string: a constant or an expression such as ${user.email}.")
    if _unclosed_expression(value):
        raise _invalid("INVALID_VALUE", "value", "value has an expression ${ without its closing }.")
    if body.get("required") is None:
        raise _invalid("REQUIRED_VALUE", "required", "required is required.")
    required = _boolean(body, "required")
    props: dict[str, Any] = {"name": name, "value": value, "required": required, "mappingType": kind}
    if kind != CUSTOM:
        if not required:
            raise _invalid("INVALID_VALUE", "required", f"A {kind} attribute mapping is always required.")
        if body.get("oidcScopes") is not None or body.get("idToken") is False or body.get("userInfo") is False:
            raise _invalid("INVALID_VALUE", "oidcScopes" if body.get("oidcScopes") is not None else "idToken",
                           f"oidcScopes, idToken and userInfo do not apply to the {kind} attribute mapping {name}.")
    elif protocol == OIDC:
        props.update(_oidc_members(body, env, record.id))
    name_format = body.get("nameFormat")
    if name_format is not None and not isinstance(name_format, str):
        raise _invalid("INVALID_VALUE", "nameFormat", "nameFormat must be a string.")
    if name_format:
        props["nameFormat"] = name_format
    return props


def _mapping(record: AppRecord, mapping_id: str) -> dict[str, Any]:
    mapping = record.attributes.get(mapping_id)
    if mapping is None:
        raise not_found()
    return mapping


@bp.get("/environments/<env_id>/applications/<app_id>/attributes")
def list_mappings(env_id: str, app_id: str) -> Response:
    """GET the attribute mappings of an application, in creation order (the core ones first)."""
    _env, record = load_app(env_id, app_id)
    items = [mapping_json(env_id, app_id, mapping) for mapping in record.attributes.values()]
    return json_response({"_links": {"self": {"href": api_url(f"/environments/{env_id}/applications/{app_id}/attributes")}},
                          "_embedded": {"attributes": items}, "count": len(items), "size": len(items)})


@bp.post("/environments/<env_id>/applications/<app_id>/attributes")
def create_mapping(env_id: str, app_id: str) -> Response:
    """POST a CUSTOM mapping: 201 with a Location header."""
    store = sim().store
    body = json_body()
    with store.lock:
        env, record = load_app(env_id, app_id)
        props = _validate(body, env, record)
        if len(record.attributes) >= MAX_MAPPINGS:
            raise ApiError(400, "INVALID_DATA", MSG_INVALID_DATA, [detail(
                "SIZE_LIMIT_EXCEEDED", "attributes", f"An application can have at most {MAX_MAPPINGS} attribute mappings.")])
        stamp = iso(store.now())
        mapping = {"id": new_id(), **props, "createdAt": stamp, "updatedAt": stamp}
        record.attributes[mapping["id"]] = mapping
        store.save()
        reply = mapping_json(env_id, app_id, mapping)
    response = json_response(reply, 201)
    response.headers["Location"] = reply["_links"]["self"]["href"]
    return response


@bp.get("/environments/<env_id>/applications/<app_id>/attributes/<attr_mapping_id>")
def get_mapping(env_id: str, app_id: str, attr_mapping_id: str) -> Response:
    """GET one mapping."""
    _env, record = load_app(env_id, app_id)
    return json_response(mapping_json(env_id, app_id, _mapping(record, attr_mapping_id)))


@bp.put("/environments/<env_id>/applications/<app_id>/attributes/<attr_mapping_id>")
def replace_mapping(env_id: str, app_id: str, attr_mapping_id: str) -> Response:
    """PUT: replace a mapping (what the body leaves out gets its default or is removed); a core one changes its value only."""
    store = sim().store
    body = json_body()
    with store.lock:
        env, record = load_app(env_id, app_id)
        mapping = _mapping(record, attr_mapping_id)
        props = _validate(body, env, record, current=mapping)
        for key in ("nameFormat",) + OIDC_ONLY:
            mapping.pop(key, None)
        mapping.update(props, updatedAt=iso(store.now()))
        store.save()
        return json_response(mapping_json(env_id, app_id, mapping))


@bp.delete("/environments/<env_id>/applications/<app_id>/attributes/<attr_mapping_id>")
def delete_mapping(env_id: str, app_id: str, attr_mapping_id: str) -> Response:
    """DELETE a CUSTOM mapping: 204, then 404; CORE and SCOPE mappings stay (400)."""
    store = sim().store
    with store.lock:
        _env, record = load_app(env_id, app_id)
        mapping = _mapping(record, attr_mapping_id)
        if mapping["mappingType"] != CUSTOM:
            raise _invalid("CONSTRAINT_VIOLATION", "mappingType",
                           f"{mapping['mappingType']} attribute mappings cannot be deleted ({mapping['name']}).")
        del record.attributes[attr_mapping_id]
        store.save()
    return Response(status=204)
