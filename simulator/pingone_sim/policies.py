"""Sign-on policies, DaVinci flow policies (read-only) and the two kinds of application policy assignments."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, request

from .config import UUID_RE
from .context import api_url, sim
from .access import collection, created
from .control import ControlError
from .control import _body as control_body  # pylint: disable=protected-access
from .errors import MSG_INVALID_DATA, MSG_NOT_FOUND, ApiError, detail, invalid_data, invalid_request, json_response, new_id, not_found
from .management import authenticate, json_body, load_app, load_env
from .store import Environment, iso

bp = Blueprint("policies", __name__, url_prefix="/v1")
bp.before_request(authenticate)
# Flow policies are DaVinci objects, made in DaVinci, not through this API: tests plant them here.
control_bp = Blueprint("policies_control", __name__, url_prefix="/_sim")

# The spec's SignOnPolicy.name: letters, digits, underscore, hyphen, period and space, or an absolute URI when it has a ':'.
POLICY_NAME_RE = re.compile(r"^[a-zA-Z0-9_. -]+$")
URI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
# DaVinci IDs are 32 lowercase hex digits, not UUIDs.
DAVINCI_ID_RE = re.compile(r"^[a-f0-9]{32}$")
# The one filter the spec's flow policy list documents in its examples.
FLOW_POLICY_FILTER = 'trigger.type eq "AUTHENTICATION"'


class Kind:  # pylint: disable=too-few-public-methods
    """One kind of policy assignment: its URL segment, the body member naming the policy, and its store tables."""

    def __init__(self, collection_name: str, member: str, label: str, policies: str, id_pattern: re.Pattern[str]) -> None:
        self.collection = collection_name  # URL segment and _embedded key of the assignments
        self.member = member  # the body member {"id": ...} naming the policy
        self.label = label
        self.policies = policies  # URL segment of the policies
        self.id_pattern = id_pattern  # what the policy IDs look like

    def assignments(self, env: Environment) -> dict[str, dict[str, Any]]:
        """The environment's assignments of this kind."""
        return env.sign_on_policy_assignments if self is SIGN_ON else env.flow_policy_assignments

    def policy_table(self, env: Environment) -> dict[str, dict[str, Any]]:
        """The environment's policies of this kind."""
        return env.sign_on_policies if self is SIGN_ON else env.flow_policies


SIGN_ON = Kind("signOnPolicyAssignments", "signOnPolicy", "sign-on policy", "signOnPolicies", UUID_RE)
FLOW = Kind("flowPolicyAssignments", "flowPolicy", "flow policy", "flowPolicies", DAVINCI_ID_RE)


# ----- representations ----------------------------------------------------------------------


def sign_on_policy_json(env_id: str, policy: dict[str, Any]) -> dict[str, Any]:
    """A sign-on policy (the members of the spec's SignOnPolicy)."""
    base = f"/environments/{env_id}/signOnPolicies/{policy['id']}"
    body: dict[str, Any] = {"_links": {"self": {"href": api_url(base)}, "environment": {"href": api_url(f"/environments/{env_id}")},
                                       "actions": {"href": api_url(f"{base}/actions")}},
                            "environment": {"id": env_id}}
    body.update(policy)
    return body


def flow_policy_json(env_id: str, policy: dict[str, Any]) -> dict[str, Any]:
    """A DaVinci flow policy (the members of the spec's FlowPolicy)."""
    body: dict[str, Any] = {"_links": {"self": {"href": api_url(f"/environments/{env_id}/flowPolicies/{policy['id']}")},
                                       "environment": {"href": api_url(f"/environments/{env_id}")}},
                            "environment": {"id": env_id}}
    body.update(policy)
    return body


def assignment_json(kind: Kind, env_id: str, item: dict[str, Any]) -> dict[str, Any]:
    """An assignment as PingOne returns it."""
    app_id = item["application"]["id"]
    base = f"/environments/{env_id}/applications/{app_id}"
    policy_id = item[kind.member]["id"]
    return {
        "_links": {"self": {"href": api_url(f"{base}/{kind.collection}/{item['id']}")},
                   "environment": {"href": api_url(f"/environments/{env_id}")},
                   "application": {"href": api_url(base)},
                   kind.member: {"href": api_url(f"/environments/{env_id}/{kind.policies}/{policy_id}")}},
        "id": item["id"], "environment": {"id": env_id}, "application": {"id": app_id},
        kind.member: {"id": policy_id}, "priority": item["priority"],
    }


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise invalid_request("The request body must be a JSON object.")
    return body


# ----- sign-on policies ---------------------------------------------------------------------
def _sign_on_policy(env: Environment, policy_id: str) -> dict[str, Any]:
    policy = env.sign_on_policies.get(policy_id)
    if policy is None:
        raise not_found()
    return policy


@bp.get("/environments/<env_id>/signOnPolicies")
def list_sign_on_policies(env_id: str) -> Response:
    """GET the sign-on policies of an environment, in creation order."""
    env = load_env(env_id)
    items = [sign_on_policy_json(env_id, policy) for policy in env.sign_on_policies.values()]
    return collection(f"/environments/{env_id}/signOnPolicies", "signOnPolicies", items)


@bp.post("/environments/<env_id>/signOnPolicies")
def create_sign_on_policy(env_id: str) -> Response:
    """POST: 201; names unique in the environment (ignoring case); ``default: true`` takes the flag from every other one."""
    store = sim().store
    body = _object(json_body())
    with store.lock:
        env = load_env(env_id)
        name = body.get("name")
        if not isinstance(name, str) or not name.strip():
            raise invalid_data([detail("REQUIRED_VALUE", "name", "name is required.")])
        if not (URI_RE.match(name) if ":" in name else POLICY_NAME_RE.match(name)):
            raise invalid_data([detail("INVALID_VALUE", "name", "name may hold letters, digits, _ . - and spaces, or be an absolute URI.",
                                       allowedPattern=POLICY_NAME_RE.pattern)])
        if any(policy["name"].casefold() == name.casefold() for policy in env.sign_on_policies.values()):
            raise invalid_data([detail("UNIQUENESS_VIOLATION", "name", f"A sign-on policy named {name} already exists.")])
        default = body.get("default", False)
        if not isinstance(default, bool):
            raise invalid_data([detail("INVALID_VALUE", "default", "default must be a boolean.")])
        description = body.get("description")
        if description is not None and not isinstance(description, str):
            raise invalid_data([detail("INVALID_VALUE", "description", "description must be a string.")])
        stamp = iso(store.now())
        policy: dict[str, Any] = {"id": new_id(), "name": name, "default": default, "createdAt": stamp, "updatedAt": stamp}
        if description:
            policy["description"] = description
        if default:
            for other in env.sign_on_policies.values():
                other["default"] = False
        env.sign_on_policies[policy["id"]] = policy
        store.save()
        return created(sign_on_policy_json(env_id, policy))


@bp.get("/environments/<env_id>/signOnPolicies/<policy_id>")
def get_sign_on_policy(env_id: str, policy_id: str) -> Response:
    """GET one sign-on policy."""
    env = load_env(env_id)
    return json_response(sign_on_policy_json(env_id, _sign_on_policy(env, policy_id)))


@bp.delete("/environments/<env_id>/signOnPolicies/<policy_id>")
def delete_sign_on_policy(env_id: str, policy_id: str) -> Response:
    """DELETE: 204 and every assignment of the policy goes with it; the environment's default policy stays (400)."""
    store = sim().store
    with store.lock:
        env = load_env(env_id)
        policy = _sign_on_policy(env, policy_id)
        if policy.get("default"):
            raise invalid_data([detail("CONSTRAINT_VIOLATION", "default", "The environment's default sign-on policy cannot be deleted.")])
        del env.sign_on_policies[policy_id]
        for key in [k for k, v in env.sign_on_policy_assignments.items() if v["signOnPolicy"]["id"] == policy_id]:
            del env.sign_on_policy_assignments[key]
        store.save()
    return Response(status=204)


# ----- flow policies (read-only) ------------------------------------------------------------
@bp.get("/environments/<env_id>/flowPolicies")
def list_flow_policies(env_id: str) -> Response:
    """GET the DaVinci flow policies of an environment; ``filter`` takes the one expression the spec shows."""
    env = load_env(env_id)
    wanted = request.args.get("filter")
    if wanted is not None and " ".join(wanted.split()) != FLOW_POLICY_FILTER:
        raise ApiError(400, "INVALID_DATA", MSG_INVALID_DATA,
                       [detail("INVALID_FILTER", "filter", f"Only the filter {FLOW_POLICY_FILTER} is supported.")])
    items = [flow_policy_json(env_id, policy) for policy in env.flow_policies.values()
             if wanted is None or policy["trigger"]["type"] == "AUTHENTICATION"]
    return collection(f"/environments/{env_id}/flowPolicies", "flowPolicies", items)


@bp.get("/environments/<env_id>/flowPolicies/<flow_policy_id>")
def get_flow_policy(env_id: str, flow_policy_id: str) -> Response:
    """GET one flow policy."""
    env = load_env(env_id)
    policy = env.flow_policies.get(flow_policy_id)
    if policy is None:
        raise not_found()
    return json_response(flow_policy_json(env_id, policy))


@control_bp.post("/environments/<env_id>/flowPolicies")
def plant_flow_policy(env_id: str) -> Response:
    """Add a flow policy as DaVinci would: {"name", "id"?: 32 hex digits, "enabled"?: bool, "application"?: {"id", "name"}}."""
    body = control_body()
    name = body.get("name")
    policy_id = body.get("id") or new_id().replace("-", "")
    enabled = body.get("enabled", True)
    application = body.get("application") or {"id": new_id().replace("-", ""), "name": "PingOne DaVinci Connection"}
    if not isinstance(name, str) or not name.strip():
        raise ControlError("name is required")
    if not isinstance(policy_id, str) or not DAVINCI_ID_RE.match(policy_id):
        raise ControlError("id must be 32 lowercase hex digits (a DaVinci ID)")
    if not isinstance(enabled, bool):
        raise ControlError("enabled must be a boolean")
    if not isinstance(application, dict) or not isinstance(application.get("id"), str) or not isinstance(application.get("name"), str):
        raise ControlError("application must be {\"id\": ..., \"name\": ...}")
    store = sim().store
    with store.lock:
        env = store.get_environment(env_id)
        if env is None:
            raise ControlError(f"environment {env_id} does not exist", 404)
        if policy_id in env.flow_policies:
            raise ControlError(f"flow policy {policy_id} already exists", 409)
        policy = {"id": policy_id, "name": name, "enabled": enabled, "trigger": {"type": "AUTHENTICATION"},
                  "application": {"id": application["id"], "name": application["name"]}}
        env.flow_policies[policy_id] = policy
        store.save()
        return json_response(flow_policy_json(env_id, policy), 201)


# ----- assignments --------------------------------------------------------------------------
def _validate_assignment(kind: Kind, env: Environment, body: Any, fixed_policy: str | None = None) -> tuple[str, int]:
    """(policy id, priority) of a POST or PUT body; 400 for a malformed one, 404 for a policy the environment does not have."""
    body = _object(body)
    ref = body.get(kind.member)
    policy_id = ref.get("id") if isinstance(ref, dict) else None
    if policy_id is None:
        raise invalid_data([detail("REQUIRED_VALUE", f"{kind.member}.id", f"{kind.member}.id is required.")])
    if not isinstance(policy_id, str) or not kind.id_pattern.match(policy_id):
        raise invalid_data([detail("INVALID_VALUE", f"{kind.member}.id", f"{kind.member}.id is not a valid ID.")])
    if fixed_policy is not None and policy_id != fixed_policy:
        raise invalid_data([detail("INVALID_VALUE", f"{kind.member}.id", f"The {kind.label} of an assignment cannot be changed.")])
    if "priority" not in body:
        raise invalid_data([detail("REQUIRED_VALUE", "priority", "priority is required.")])
    priority = body["priority"]
    if isinstance(priority, bool) or not isinstance(priority, int):
        raise invalid_data([detail("INVALID_VALUE", "priority", "priority must be an integer.")])
    if priority < 1:
        raise invalid_data([detail("OUT_OF_RANGE", "priority", "priority must be at least 1.", rangeMinimumValue=1)])
    if policy_id not in kind.policy_table(env):
        raise ApiError(404, "NOT_FOUND", MSG_NOT_FOUND, [detail("NOT_FOUND", None, f"The {kind.label} {policy_id} does not exist.")])
    return policy_id, priority


def _assignment(kind: Kind, env_id: str, app_id: str, assignment_id: str) -> tuple[Environment, dict[str, Any]]:
    env, _record = load_app(env_id, app_id)
    item = kind.assignments(env).get(assignment_id)
    if item is None or item["application"]["id"] != app_id:
        raise not_found()
    return env, item


def _list(kind: Kind, env_id: str, app_id: str) -> Response:
    env, _record = load_app(env_id, app_id)
    items = [assignment_json(kind, env_id, item) for item in kind.assignments(env).values() if item["application"]["id"] == app_id]
    return collection(f"/environments/{env_id}/applications/{app_id}/{kind.collection}", kind.collection, items)


def _create(kind: Kind, env_id: str, app_id: str) -> Response:
    """POST: 201; one assignment per policy and application (the check and the insert are one step)."""
    store = sim().store
    body = json_body()
    with store.lock:
        env, _record = load_app(env_id, app_id)
        policy_id, priority = _validate_assignment(kind, env, body)
        for item in kind.assignments(env).values():
            if item["application"]["id"] == app_id and item[kind.member]["id"] == policy_id:
                raise invalid_data([detail("UNIQUENESS_VIOLATION", f"{kind.member}.id",
                                           f"The {kind.label} is already assigned to the application; update that assignment instead.")])
        stamp = iso(store.now())
        item = {"id": new_id(), "application": {"id": app_id}, kind.member: {"id": policy_id}, "priority": priority,
                "createdAt": stamp, "updatedAt": stamp}
        kind.assignments(env)[item["id"]] = item
        store.save()
        return created(assignment_json(kind, env_id, item))


def _replace(kind: Kind, env_id: str, app_id: str, assignment_id: str) -> Response:
    """PUT: a new priority (the policy cannot change)."""
    store = sim().store
    body = json_body()
    with store.lock:
        env, item = _assignment(kind, env_id, app_id, assignment_id)
        _policy_id, priority = _validate_assignment(kind, env, body, fixed_policy=item[kind.member]["id"])
        item["priority"] = priority
        item["updatedAt"] = iso(store.now())
        store.save()
        return json_response(assignment_json(kind, env_id, item))


def _delete(kind: Kind, env_id: str, app_id: str, assignment_id: str) -> Response:
    """DELETE: 204, then 404."""
    store = sim().store
    with store.lock:
        env, _item = _assignment(kind, env_id, app_id, assignment_id)
        del kind.assignments(env)[assignment_id]
        store.save()
    return Response(status=204)


def _get(kind: Kind, env_id: str, app_id: str, assignment_id: str) -> Response:
    """GET one assignment."""
    _env, item = _assignment(kind, env_id, app_id, assignment_id)
    return json_response(assignment_json(kind, env_id, item))


def _register(kind: Kind, variable: str) -> None:
    """The five assignment routes of one kind (``variable``: the URL variable of one assignment, as app.ROUTE_NAMES knows it)."""
    path = f"/environments/<env_id>/applications/<app_id>/{kind.collection}"

    def of_one(handler: Any) -> Any:
        return lambda env_id, app_id, **rest: handler(kind, env_id, app_id, rest[variable])

    bp.add_url_rule(path, f"list_{kind.collection}", lambda env_id, app_id: _list(kind, env_id, app_id), methods=["GET"])
    bp.add_url_rule(path, f"create_{kind.collection}", lambda env_id, app_id: _create(kind, env_id, app_id), methods=["POST"])
    bp.add_url_rule(f"{path}/<{variable}>", f"get_{kind.collection}", of_one(_get), methods=["GET"])
    bp.add_url_rule(f"{path}/<{variable}>", f"replace_{kind.collection}", of_one(_replace), methods=["PUT"])
    bp.add_url_rule(f"{path}/<{variable}>", f"delete_{kind.collection}", of_one(_delete), methods=["DELETE"])


_register(SIGN_ON, "sop_assignment_id")
_register(FLOW, "flow_policy_assignment_id")
