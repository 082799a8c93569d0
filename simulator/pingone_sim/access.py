"""What an application may do: built-in roles, worker role assignments, resources with scopes, and grants."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, g

from .config import UUID_RE
from .context import api_url, sim
from .errors import MSG_INVALID_DATA, ApiError, detail, forbidden, invalid_data, invalid_request, json_response, new_id, not_found
from .management import authenticate, json_body, load_app, load_env
from .store import ORGANIZATION_ID, AppRecord, Environment, iso

bp = Blueprint("access", __name__, url_prefix="/v1")
bp.before_request(authenticate)

# The spec's EnumRoleAssignmentScopeType; the scope id is the id of that organization, environment, population or application.
SCOPE_TYPES = ("ORGANIZATION", "ENVIRONMENT", "POPULATION", "APPLICATION")
BROADER_SCOPE_MESSAGE = "Must have role at the same or broader scope to assign this role."
RESOURCE_TYPES = ("OPENID_CONNECT", "PINGONE_API", "CUSTOM")
SCOPE_NAME_RE = re.compile(r"^[A-Za-z0-9_:.\-/]{1,256}$")
MIN_VALIDITY, MAX_VALIDITY = 300, 2592000
# What a resource's audience must not contain (the spec's Resource.audience).
RESERVED_AUDIENCE_WORDS = ("pingone", "pingidentity")

# PingOne's built-in administrator roles. The ids are fixed simulator values (stable across runs and resets).
ROLES: list[dict[str, Any]] = [
    {"id": "a1000000-0000-4000-8000-000000000001", "name": "Environment Admin", "applicableTo": ["ORGANIZATION", "ENVIRONMENT"],
     "description": "Manage environments and everything in them."},
    {"id": "a1000000-0000-4000-8000-000000000002", "name": "Organization Admin", "applicableTo": ["ORGANIZATION"],
     "description": "Manage the organization, its environments and administrators."},
    {"id": "a1000000-0000-4000-8000-000000000003", "name": "Identity Data Admin", "applicableTo": ["ENVIRONMENT", "POPULATION"],
     "description": "Manage users, groups and populations."},
    {"id": "a1000000-0000-4000-8000-000000000004", "name": "Identity Data Read Only", "applicableTo": ["ENVIRONMENT", "POPULATION"],
     "description": "Read users, groups and populations."},
    {"id": "a1000000-0000-4000-8000-000000000005", "name": "Client Application Developer", "applicableTo": ["ENVIRONMENT"],
     "description": "Manage applications, their grants and secrets."},
    {"id": "a1000000-0000-4000-8000-000000000006", "name": "Configuration Read Only", "applicableTo": ["ENVIRONMENT"],
     "description": "Read the configuration of an environment."},
    # The spec names this role (EnumRoleName) but not its applicableTo; the simulator assumes APPLICATION only,
    # the scope PingOne's published examples assign it at (decision 23).
    {"id": "a1000000-0000-4000-8000-000000000007", "name": "Application Owner", "applicableTo": ["APPLICATION"],
     "description": "Manage the applications it is assigned for."},
]
ROLES_BY_ID = {role["id"]: role for role in ROLES}


# ----- representations ----------------------------------------------------------------------
def role_json(role: dict[str, Any]) -> dict[str, Any]:
    """A built-in role with its self link."""
    body: dict[str, Any] = {"_links": {"self": {"href": api_url(f"/roles/{role['id']}")}}}
    body.update(role)
    return body


def assignment_json(env_id: str, item: dict[str, Any]) -> dict[str, Any]:
    """A role assignment as PingOne returns it."""
    app_id = item["application"]["id"]
    base = f"/environments/{env_id}/applications/{app_id}"
    return {
        "_links": {"self": {"href": api_url(f"{base}/roleAssignments/{item['id']}")},
                   "environment": {"href": api_url(f"/environments/{env_id}")},
                   "application": {"href": api_url(base)},
                   "role": {"href": api_url(f"/roles/{item['role']['id']}")}},
        "id": item["id"], "role": dict(item["role"]), "scope": dict(item["scope"]), "environment": {"id": env_id},
        "readOnly": bool(item.get("readOnly")),
    }


def resource_json(env_id: str, resource: dict[str, Any]) -> dict[str, Any]:
    """A resource (its scopes are a sub-collection, not embedded)."""
    base = f"/environments/{env_id}/resources/{resource['id']}"
    body: dict[str, Any] = {
        "_links": {"self": {"href": api_url(base)}, "environment": {"href": api_url(f"/environments/{env_id}")},
                   "scopes": {"href": api_url(f"{base}/scopes")}},
        "environment": {"id": env_id},
    }
    body.update({k: v for k, v in resource.items() if k != "scopes"})
    return body


def scope_json(env_id: str, resource: dict[str, Any], scope: dict[str, Any]) -> dict[str, Any]:
    """One scope of a resource."""
    base = f"/environments/{env_id}/resources/{resource['id']}"
    body: dict[str, Any] = {
        "_links": {"self": {"href": api_url(f"{base}/scopes/{scope['id']}")}, "resource": {"href": api_url(base)},
                   "environment": {"href": api_url(f"/environments/{env_id}")}},
        "environment": {"id": env_id}, "resource": {"id": resource["id"]},
    }
    body.update(scope)
    return body


def grant_json(env_id: str, grant: dict[str, Any]) -> dict[str, Any]:
    """A grant of some of a resource's scopes to an application."""
    base = f"/environments/{env_id}/applications/{grant['application']['id']}"
    return {
        "_links": {"self": {"href": api_url(f"{base}/grants/{grant['id']}")},
                   "environment": {"href": api_url(f"/environments/{env_id}")},
                   "application": {"href": api_url(base)},
                   "resource": {"href": api_url(f"/environments/{env_id}/resources/{grant['resource']['id']}")}},
        "id": grant["id"], "application": dict(grant["application"]),
        "resource": dict(grant["resource"]), "scopes": [dict(scope) for scope in grant["scopes"]],
        "createdAt": grant["createdAt"], "updatedAt": grant["updatedAt"],
    }


def collection(path: str, name: str, items: list[dict[str, Any]]) -> Response:
    """A HAL collection envelope."""
    return json_response({"_links": {"self": {"href": api_url(path)}}, "_embedded": {name: items}, "count": len(items), "size": len(items)})


def created(body: dict[str, Any]) -> Response:
    """201 with a Location header."""
    response = json_response(body, 201)
    response.headers["Location"] = body["_links"]["self"]["href"]
    return response


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise invalid_request("The request body must be a JSON object.")
    return body


def _ref_id(body: dict[str, Any], key: str) -> str:
    """The id of a {"key": {"id": ...}} reference (400 when missing or not a UUID)."""
    ref = body.get(key)
    value = ref.get("id") if isinstance(ref, dict) else None
    if value is None:
        raise invalid_data([detail("REQUIRED_VALUE", f"{key}.id", f"{key}.id is required.")])
    if not isinstance(value, str) or not UUID_RE.match(value):
        raise invalid_data([detail("INVALID_VALUE", f"{key}.id", f"{key}.id must be a UUID.")])
    return value


# ----- roles --------------------------------------------------------------------------------
@bp.get("/roles")
def list_roles() -> Response:
    """GET /v1/roles: the built-in roles (global, not per environment)."""
    return collection("/roles", "roles", [role_json(role) for role in ROLES])


@bp.get("/roles/<role_id>")
def get_role(role_id: str) -> Response:
    """GET one built-in role."""
    role = ROLES_BY_ID.get(role_id)
    if role is None:
        raise not_found()
    return json_response(role_json(role))


# ----- role assignments ---------------------------------------------------------------------
def _worker(record: AppRecord) -> None:
    if record.data.get("type") != "WORKER":
        raise invalid_data([detail("INVALID_VALUE", "application", "Roles can only be assigned to WORKER applications; "
                                   f"this application is a {record.data.get('type')}.")])


def _covers(held: dict[str, Any], wanted: dict[str, Any], environment_of: dict[str, str]) -> bool:
    """Whether a held scope is the same as or broader than the wanted one (``environment_of`` maps a population or
    application scope id to its environment)."""
    if held["type"] == "ORGANIZATION":
        return True
    if held["type"] == "ENVIRONMENT":
        if wanted["type"] == "ENVIRONMENT":
            return held["id"] == wanted["id"]
        return wanted["type"] in ("POPULATION", "APPLICATION") and environment_of.get(wanted["id"]) == held["id"]
    return held == wanted


def _application_environment(app_id: str) -> str | None:
    """The environment that holds an application (application ids are unique across environments), or None."""
    store = sim().store
    return next((env.id for env in list(store.environments.values()) if app_id in env.apps), None)


def _may_assign(role_id: str, scope: dict[str, Any], env_id: str) -> None:
    """Bootstrap workers are implicit organization-level Environment Admins (anything goes); other workers
    must hold the same role at the same or a broader scope."""
    store = sim().store
    actor_env, actor_app = g.actor
    if any(worker["client_id"] == actor_app for worker in store.bootstrap.workers):
        return
    env = store.get_environment(actor_env)
    held = [item["scope"] for item in (env.role_assignments.values() if env else [])
            if item["application"]["id"] == actor_app and item["role"]["id"] == role_id]
    environment_of = {}
    if scope["type"] == "POPULATION":
        environment_of[scope["id"]] = env_id
    elif scope["type"] == "APPLICATION":
        environment_of[scope["id"]] = _application_environment(scope["id"])
    if not any(_covers(item, scope, environment_of) for item in held):
        raise forbidden(BROADER_SCOPE_MESSAGE)


def _validate_assignment(body: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    body = _object(body)
    role_id = _ref_id(body, "role")
    role = ROLES_BY_ID.get(role_id)
    if role is None:
        raise invalid_data([detail("INVALID_VALUE", "role.id", f"Role {role_id} does not exist.")])
    raw_scope = body.get("scope")
    if not isinstance(raw_scope, dict):
        raise invalid_data([detail("REQUIRED_VALUE", "scope", "scope is required ({\"id\": ..., \"type\": ...}).")])
    scope_type = raw_scope.get("type")
    if scope_type not in SCOPE_TYPES:
        raise invalid_data([detail("INVALID_VALUE", "scope.type", "scope.type must be one of " + ", ".join(SCOPE_TYPES) + ".",
                                   allowedValues=list(SCOPE_TYPES))])
    scope_id = _ref_id(body, "scope")
    if scope_type not in role["applicableTo"]:
        raise invalid_data([detail("INVALID_VALUE", "scope.type", f"Role {role['name']} cannot be assigned at {scope_type} scope.",
                                   allowedValues=list(role["applicableTo"]))])
    if scope_type == "ENVIRONMENT" and sim().store.get_environment(scope_id) is None:
        raise invalid_data([detail("INVALID_VALUE", "scope.id", f"Environment {scope_id} does not exist.")])
    if scope_type == "ORGANIZATION" and scope_id != ORGANIZATION_ID:
        raise invalid_data([detail("INVALID_VALUE", "scope.id", f"Organization {scope_id} does not exist.")])
    if scope_type == "APPLICATION" and _application_environment(scope_id) is None:
        raise invalid_data([detail("INVALID_VALUE", "scope.id", f"Application {scope_id} does not exist.")])
    return role, {"id": scope_id, "type": scope_type}


@bp.get("/environments/<env_id>/applications/<app_id>/roleAssignments")
def list_role_assignments(env_id: str, app_id: str) -> Response:
    """GET the role assignments of an application."""
    env, _record = load_app(env_id, app_id)
    items = [assignment_json(env_id, item) for item in env.role_assignments.values() if item["application"]["id"] == app_id]
    return collection(f"/environments/{env_id}/applications/{app_id}/roleAssignments", "roleAssignments", items)


def _add_assignment(env_id: str, app_id: str, body: Any, read_only: bool = False, check_actor: bool = True) -> dict[str, Any]:
    """Validate and store one role assignment (the caller holds the store lock); 400 for a duplicate."""
    store = sim().store
    env, record = load_app(env_id, app_id)
    _worker(record)
    role, scope = _validate_assignment(body)
    for item in env.role_assignments.values():
        if item["application"]["id"] == app_id and item["role"]["id"] == role["id"] and item["scope"] == scope:
            raise ApiError(400, "INVALID_DATA", MSG_INVALID_DATA, [detail("UNIQUENESS_VIOLATION", "role", "May not assign duplicate Role")])
    if check_actor:
        _may_assign(role["id"], scope, env_id)
    item = {"id": new_id(), "application": {"id": app_id}, "role": {"id": role["id"]}, "scope": scope, "readOnly": read_only,
            "createdAt": iso(store.now())}
    env.role_assignments[item["id"]] = item
    store.save()
    return item


@bp.post("/environments/<env_id>/applications/<app_id>/roleAssignments")
def create_role_assignment(env_id: str, app_id: str) -> Response:
    """POST: 201; WORKER apps only, one assignment per role and scope (the check and the insert are one step)."""
    store = sim().store
    body = json_body()
    with store.lock:
        return created(assignment_json(env_id, _add_assignment(env_id, app_id, body)))


def plant_role_assignment(env_id: str, app_id: str, body: Any) -> dict[str, Any]:
    """For the control API: an assignment made by someone else (PingOne itself, or a more privileged admin), with
    ``"readOnly": true`` when the workers may not delete it. Validated like a POST, without the actor check."""
    read_only = _object(body).get("readOnly", False)
    if not isinstance(read_only, bool):
        raise invalid_data([detail("INVALID_VALUE", "readOnly", "readOnly must be a boolean.")])
    store = sim().store
    with store.lock:
        return assignment_json(env_id, _add_assignment(env_id, app_id, body, read_only=read_only, check_actor=False))


def _assignment(env_id: str, app_id: str, assignment_id: str) -> tuple[Environment, dict[str, Any]]:
    env, _record = load_app(env_id, app_id)
    item = env.role_assignments.get(assignment_id)
    if item is None or item["application"]["id"] != app_id:
        raise not_found()
    return env, item


@bp.get("/environments/<env_id>/applications/<app_id>/roleAssignments/<assignment_id>")
def get_role_assignment(env_id: str, app_id: str, assignment_id: str) -> Response:
    """GET one role assignment."""
    _env, item = _assignment(env_id, app_id, assignment_id)
    return json_response(assignment_json(env_id, item))


@bp.delete("/environments/<env_id>/applications/<app_id>/roleAssignments/<assignment_id>")
def delete_role_assignment(env_id: str, app_id: str, assignment_id: str) -> Response:
    """DELETE: 204, then 404."""
    store = sim().store
    with store.lock:
        env, item = _assignment(env_id, app_id, assignment_id)
        if item.get("readOnly"):
            raise invalid_data([detail("CONSTRAINT_VIOLATION", "readOnly", "Role assignment cannot be deleted as it is read only.")])
        del env.role_assignments[assignment_id]
        store.save()
    return Response(status=204)


# ----- resources and scopes -----------------------------------------------------------------
def _resource(env: Environment, resource_id: str) -> dict[str, Any]:
    resource = env.resources.get(resource_id)
    if resource is None:
        raise not_found()
    return resource


def _validate_resource(body: Any, env: Environment, current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The stored properties of a CUSTOM resource from a POST body, or from a PUT body replacing ``current``."""
    body = _object(body)
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise invalid_data([detail("REQUIRED_VALUE", "name", "name is required.")])
    if any(res["name"].casefold() == name.casefold() for res in env.resources.values() if res is not current):
        raise invalid_data([detail("UNIQUENESS_VIOLATION", "name", f"A resource named {name} already exists.")])
    rtype = body.get("type", "CUSTOM")
    if rtype != "CUSTOM":
        message = "Only CUSTOM resources can be created." if current is None else "The type of a resource cannot change."
        raise invalid_data([detail("INVALID_VALUE", "type", message, allowedValues=["CUSTOM"])])
    props: dict[str, Any] = {"name": name, "type": "CUSTOM"}
    audience = body.get("audience", name)
    if not isinstance(audience, str) or not audience.strip():
        raise invalid_data([detail("INVALID_VALUE", "audience", "audience must be a non-empty string.")])
    if "#" in audience or any(word in audience.casefold() for word in RESERVED_AUDIENCE_WORDS):
        raise invalid_data([detail("INVALID_VALUE", "audience", "audience must be a URL without a fragment and must not contain "
                                   "pingone or pingidentity.")])
    props["audience"] = audience
    validity = body.get("accessTokenValiditySeconds", 3600)
    if isinstance(validity, bool) or not isinstance(validity, int) or not MIN_VALIDITY <= validity <= MAX_VALIDITY:
        raise invalid_data([detail("OUT_OF_RANGE", "accessTokenValiditySeconds",
                                   f"accessTokenValiditySeconds must be an integer from {MIN_VALIDITY} to {MAX_VALIDITY}.",
                                   rangeMinimumValue=MIN_VALIDITY, rangeMaximumValue=MAX_VALIDITY)])
    props["accessTokenValiditySeconds"] = validity
    description = body.get("description")
    if isinstance(description, str) and description:
        props["description"] = description
    return props


def _custom(resource: dict[str, Any], what: str) -> None:
    """400 unless the resource is CUSTOM: the built-in ones (and their scopes) are fixed here (decision 25)."""
    if resource["type"] != "CUSTOM":
        raise invalid_data([detail("CONSTRAINT_VIOLATION", "type", f"{what} of {resource['type']} resources cannot be changed "
                                   "in the simulator (only CUSTOM resources).")])


@bp.get("/environments/<env_id>/resources")
def list_resources(env_id: str) -> Response:
    """GET the resources of an environment (built-in ones first)."""
    env = load_env(env_id)
    return collection(f"/environments/{env_id}/resources", "resources", [resource_json(env_id, res) for res in env.resources.values()])


@bp.post("/environments/<env_id>/resources")
def create_resource(env_id: str) -> Response:
    """POST a CUSTOM resource: 201."""
    store = sim().store
    body = json_body()
    with store.lock:
        env = load_env(env_id)
        props = _validate_resource(body, env)
        stamp = iso(store.now())
        props.update({"id": new_id(), "createdAt": stamp, "updatedAt": stamp, "scopes": {}})
        env.resources[props["id"]] = props
        store.save()
        return created(resource_json(env_id, props))


@bp.get("/environments/<env_id>/resources/<resource_id>")
def get_resource(env_id: str, resource_id: str) -> Response:
    """GET one resource."""
    env = load_env(env_id)
    return json_response(resource_json(env_id, _resource(env, resource_id)))


@bp.put("/environments/<env_id>/resources/<resource_id>")
def replace_resource(env_id: str, resource_id: str) -> Response:
    """PUT: replace a CUSTOM resource (what the body leaves out gets its default or is removed); its scopes stay."""
    store = sim().store
    body = json_body()
    with store.lock:
        env = load_env(env_id)
        resource = _resource(env, resource_id)
        _custom(resource, "The settings")
        props = _validate_resource(body, env, current=resource)
        resource.pop("description", None)
        resource.update(props)
        resource["updatedAt"] = iso(store.now())
        store.save()
        return json_response(resource_json(env_id, resource))


@bp.delete("/environments/<env_id>/resources/<resource_id>")
def delete_resource(env_id: str, resource_id: str) -> Response:
    """DELETE a CUSTOM resource and every grant of it: 204."""
    store = sim().store
    with store.lock:
        env = load_env(env_id)
        resource = _resource(env, resource_id)
        if resource["type"] != "CUSTOM":
            raise invalid_data([detail("CONSTRAINT_VIOLATION", "type", f"{resource['type']} resources cannot be deleted.")])
        del env.resources[resource_id]
        for key in [k for k, v in env.grants.items() if v["resource"]["id"] == resource_id]:
            del env.grants[key]
        store.save()
    return Response(status=204)


@bp.get("/environments/<env_id>/resources/<resource_id>/scopes")
def list_scopes(env_id: str, resource_id: str) -> Response:
    """GET the scopes of a resource."""
    env = load_env(env_id)
    resource = _resource(env, resource_id)
    return collection(f"/environments/{env_id}/resources/{resource_id}/scopes", "scopes",
                      [scope_json(env_id, resource, scope) for scope in resource["scopes"].values()])


def _validate_scope(body: Any, resource: dict[str, Any], current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The stored properties of a scope from a POST body, or from a PUT body replacing ``current``."""
    body = _object(body)
    name = body.get("name")
    if not isinstance(name, str) or not SCOPE_NAME_RE.match(name):
        raise invalid_data([detail("INVALID_VALUE", "name", "name is required: 1 to 256 letters, digits and _ : . - /.",
                                   allowedPattern=SCOPE_NAME_RE.pattern)])
    if name in ("openid", "offline_access") or name.startswith("p1:"):
        raise invalid_data([detail("INVALID_VALUE", "name", f"The scope name {name} is reserved.")])
    if any(scope["name"] == name for scope in resource["scopes"].values() if scope is not current):
        raise invalid_data([detail("UNIQUENESS_VIOLATION", "name", f"The resource already has a scope named {name}.")])
    props: dict[str, Any] = {"name": name}
    if isinstance(body.get("description"), str) and body["description"]:
        props["description"] = body["description"]
    return props


@bp.post("/environments/<env_id>/resources/<resource_id>/scopes")
def create_scope(env_id: str, resource_id: str) -> Response:
    """POST a scope of a CUSTOM resource: 201; names unique within the resource."""
    store = sim().store
    body = _object(json_body())
    with store.lock:
        env = load_env(env_id)
        resource = _resource(env, resource_id)
        if resource["type"] != "CUSTOM":
            raise invalid_data([detail("INVALID_VALUE", "resource", f"Scopes cannot be added to a {resource['type']} resource "
                                       "in the simulator (only CUSTOM resources).")])
        props = _validate_scope(body, resource)
        stamp = iso(store.now())
        scope: dict[str, Any] = {"id": new_id(), **props, "createdAt": stamp, "updatedAt": stamp}
        resource["scopes"][scope["id"]] = scope
        store.save()
        return created(scope_json(env_id, resource, scope))


def _scope(env: Environment, resource_id: str, scope_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    resource = _resource(env, resource_id)
    scope = resource["scopes"].get(scope_id)
    if scope is None:
        raise not_found()
    return resource, scope


@bp.get("/environments/<env_id>/resources/<resource_id>/scopes/<scope_id>")
def get_scope(env_id: str, resource_id: str, scope_id: str) -> Response:
    """GET one scope."""
    env = load_env(env_id)
    resource, scope = _scope(env, resource_id, scope_id)
    return json_response(scope_json(env_id, resource, scope))


@bp.put("/environments/<env_id>/resources/<resource_id>/scopes/<scope_id>")
def replace_scope(env_id: str, resource_id: str, scope_id: str) -> Response:
    """PUT: replace a scope of a CUSTOM resource (a description the body leaves out is removed); grants keep it."""
    store = sim().store
    body = json_body()
    with store.lock:
        env = load_env(env_id)
        resource, scope = _scope(env, resource_id, scope_id)
        _custom(resource, "The scopes")
        props = _validate_scope(body, resource, current=scope)
        scope.pop("description", None)
        scope.update(props)
        scope["updatedAt"] = iso(store.now())
        store.save()
        return json_response(scope_json(env_id, resource, scope))


@bp.delete("/environments/<env_id>/resources/<resource_id>/scopes/<scope_id>")
def delete_scope(env_id: str, resource_id: str, scope_id: str) -> Response:
    """DELETE a custom scope; it leaves every grant (a grant left without scopes is deleted)."""
    store = sim().store
    with store.lock:
        env = load_env(env_id)
        resource, _scope_item = _scope(env, resource_id, scope_id)
        if resource["type"] != "CUSTOM":
            raise invalid_data([detail("CONSTRAINT_VIOLATION", "type", f"Scopes of {resource['type']} resources cannot be deleted.")])
        del resource["scopes"][scope_id]
        for key, grant in list(env.grants.items()):
            grant["scopes"] = [item for item in grant["scopes"] if item["id"] != scope_id]
            if not grant["scopes"]:
                del env.grants[key]
        store.save()
    return Response(status=204)


# ----- grants -------------------------------------------------------------------------------
def _validate_grant(body: Any, env: Environment, fixed_resource: str | None = None) -> tuple[str, list[dict[str, str]]]:
    body = _object(body)
    resource_id = _ref_id(body, "resource")
    if fixed_resource and resource_id != fixed_resource:
        raise invalid_data([detail("INVALID_VALUE", "resource.id", "The resource of a grant cannot be changed.")])
    resource = env.resources.get(resource_id)
    if resource is None:
        raise invalid_data([detail("INVALID_VALUE", "resource.id", f"Resource {resource_id} does not exist.")])
    scopes = body.get("scopes")
    if not isinstance(scopes, list) or not scopes:
        raise invalid_data([detail("REQUIRED_VALUE", "scopes", "scopes must list at least one scope ({\"id\": ...}).")])
    result: list[dict[str, str]] = []
    for index, item in enumerate(scopes):
        scope_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(scope_id, str) or scope_id not in resource["scopes"]:
            raise invalid_data([detail("INVALID_VALUE", f"scopes[{index}].id",
                                       f"Scope {scope_id} is not a scope of resource {resource['name']}.")])
        if {"id": scope_id} not in result:
            result.append({"id": scope_id})
    return resource_id, result


def _grant(env_id: str, app_id: str, grant_id: str) -> tuple[Environment, dict[str, Any]]:
    env, _record = load_app(env_id, app_id)
    grant = env.grants.get(grant_id)
    if grant is None or grant["application"]["id"] != app_id:
        raise not_found()
    return env, grant


@bp.get("/environments/<env_id>/applications/<app_id>/grants")
def list_grants(env_id: str, app_id: str) -> Response:
    """GET the grants of an application."""
    env, _record = load_app(env_id, app_id)
    items = [grant_json(env_id, grant) for grant in env.grants.values() if grant["application"]["id"] == app_id]
    return collection(f"/environments/{env_id}/applications/{app_id}/grants", "grants", items)


@bp.post("/environments/<env_id>/applications/<app_id>/grants")
def create_grant(env_id: str, app_id: str) -> Response:
    """POST: 201; one grant per resource and application."""
    store = sim().store
    body = json_body()
    with store.lock:
        env, _record = load_app(env_id, app_id)
        resource_id, scopes = _validate_grant(body, env)
        for grant in env.grants.values():
            if grant["application"]["id"] == app_id and grant["resource"]["id"] == resource_id:
                raise invalid_data([detail("UNIQUENESS_VIOLATION", "resource",
                                           "The application already has a grant for this resource; update that grant instead.")])
        stamp = iso(store.now())
        grant = {"id": new_id(), "application": {"id": app_id}, "resource": {"id": resource_id}, "scopes": scopes,
                 "createdAt": stamp, "updatedAt": stamp}
        env.grants[grant["id"]] = grant
        store.save()
        return created(grant_json(env_id, grant))


@bp.get("/environments/<env_id>/applications/<app_id>/grants/<grant_id>")
def get_grant(env_id: str, app_id: str, grant_id: str) -> Response:
    """GET one grant."""
    _env, grant = _grant(env_id, app_id, grant_id)
    return json_response(grant_json(env_id, grant))


@bp.put("/environments/<env_id>/applications/<app_id>/grants/<grant_id>")
def replace_grant(env_id: str, app_id: str, grant_id: str) -> Response:
    """PUT: replace the scopes of a grant (the resource cannot change)."""
    store = sim().store
    body = json_body()
    with store.lock:
        env, grant = _grant(env_id, app_id, grant_id)
        _resource_id, scopes = _validate_grant(body, env, fixed_resource=grant["resource"]["id"])
        grant["scopes"] = scopes
        grant["updatedAt"] = iso(store.now())
        store.save()
        return json_response(grant_json(env_id, grant))


@bp.delete("/environments/<env_id>/applications/<app_id>/grants/<grant_id>")
def delete_grant(env_id: str, app_id: str, grant_id: str) -> Response:
    """DELETE: 204, then 404."""
    store = sim().store
    with store.lock:
        env, _grant_item = _grant(env_id, app_id, grant_id)
        del env.grants[grant_id]
        store.save()
    return Response(status=204)
