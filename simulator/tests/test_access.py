"""Roles, worker role assignments, resources with scopes, grants, and the scopes of client_credentials tokens."""

from __future__ import annotations

import threading
from typing import Any

import jwt

from sim_helpers import APPS, BASE, ENV, Api, basic, web_app
from pingone_sim.access import BROADER_SCOPE_MESSAGE, ROLES
from pingone_sim.store import ORGANIZATION_ID

RESOURCES = f"/v1/environments/{ENV}/resources"
ROLE_IDS = {role["name"]: role["id"] for role in ROLES}
# The members of the spec's schemas (pingone-management-sdk-v2 openapi.yaml, components.schemas): what a reply may carry.
SPEC_ROLE_ASSIGNMENT = {"_links", "environment", "gateway", "group", "id", "readOnly", "role", "scope"}
SPEC_GRANT = {"_links", "application", "createdAt", "id", "resource", "scopes", "updatedAt"}
SPEC_ERROR_DETAIL = {"code", "target", "message", "innerError"}
SPEC_INNER_ERROR = {"rangeMinimumValue", "rangeMaximumValue", "allowedPattern", "allowedValues", "maximumValue", "referencedValues"}


def assert_spec_error(body: dict[str, Any]) -> None:
    """A P1Error: id, code, message, details whose members and innerError members the spec lists."""
    assert {"id", "code", "message"} <= set(body) <= {"id", "code", "message", "details"}
    for item in body.get("details", []):
        assert set(item) <= SPEC_ERROR_DETAIL and set(item.get("innerError", {})) <= SPEC_INNER_ERROR, item


def worker(api: Api, name: str = "W") -> dict[str, Any]:
    """A client_credentials worker application."""
    return api.create({"name": name, "enabled": True, "type": "WORKER", "protocol": "OPENID_CONNECT", "grantTypes": ["CLIENT_CREDENTIALS"],
                       "tokenEndpointAuthMethod": "CLIENT_SECRET_BASIC"})


def assignment(role: str, scope_id: str = ENV, scope_type: str = "ENVIRONMENT") -> dict[str, Any]:
    """A role assignment body."""
    return {"role": {"id": ROLE_IDS[role]}, "scope": {"id": scope_id, "type": scope_type}}


def resource_by_name(api: Api, name: str) -> dict[str, Any]:
    """A resource of the default environment."""
    return next(res for res in api.get(RESOURCES).json["_embedded"]["resources"] if res["name"] == name)


def scope_ids(api: Api, resource: dict[str, Any], *names: str) -> list[dict[str, str]]:
    """[{"id": ...}] of the named scopes of a resource."""
    scopes = api.get(f"{RESOURCES}/{resource['id']}/scopes").json["_embedded"]["scopes"]
    by_name = {scope["name"]: scope["id"] for scope in scopes}
    return [{"id": by_name[name]} for name in names]


def custom_resource(api: Api, name: str = "Orders API", scopes: tuple[str, ...] = ("orders:read", "orders:write")) -> dict[str, Any]:
    """A CUSTOM resource with scopes."""
    resp = api.post(RESOURCES, {"name": name, "type": "CUSTOM", "audience": f"https://{name.split()[0].lower()}.example.com"})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    for scope in scopes:
        created = api.post(f"{RESOURCES}/{resp.json['id']}/scopes", {"name": scope, "description": scope})
        assert created.status_code == 201, created.get_data(as_text=True)
    return resp.json


def test_roles_are_global_with_fixed_ids(api):
    body = api.get("/v1/roles").json
    names = {role["name"]: role for role in body["_embedded"]["roles"]}
    assert {"Environment Admin", "Organization Admin", "Identity Data Admin", "Identity Data Read Only", "Client Application Developer",
            "Configuration Read Only", "Application Owner"} == set(names)
    assert names["Environment Admin"]["applicableTo"] == ["ORGANIZATION", "ENVIRONMENT"]
    assert [name for name, role in names.items() if "APPLICATION" in role["applicableTo"]] == ["Application Owner"]
    one = api.get(f"/v1/roles/{ROLE_IDS['Client Application Developer']}")
    assert one.status_code == 200 and one.json["_links"]["self"]["href"].endswith(ROLE_IDS["Client Application Developer"])
    assert api.get("/v1/roles/00000000-0000-4000-8000-000000000000").status_code == 404
    assert api.get(f"/v1/environments/{ENV}").json["organization"] == {"id": ORGANIZATION_ID}
    assert api.client.get("/v1/roles").status_code == 401
    assert api.client.get(RESOURCES).status_code == 401


def test_role_assignment_lifecycle(api):
    app = worker(api)
    base = f"{APPS}/{app['id']}/roleAssignments"
    assert api.get(base).json["_embedded"]["roleAssignments"] == []
    resp = api.post(base, assignment("Identity Data Admin"))
    assert resp.status_code == 201
    body = resp.json
    assert body["role"] == {"id": ROLE_IDS["Identity Data Admin"]} and body["scope"] == {"id": ENV, "type": "ENVIRONMENT"}
    assert body["readOnly"] is False and body["environment"] == {"id": ENV} and set(body) <= SPEC_ROLE_ASSIGNMENT
    assert resp.headers["Location"] == body["_links"]["self"]["href"] == f"{BASE}{base}/{body['id']}"
    assert api.get(f"{base}/{body['id']}").json == body
    assert [item["id"] for item in api.get(base).json["_embedded"]["roleAssignments"]] == [body["id"]]
    dup = api.post(base, assignment("Identity Data Admin"))
    assert dup.status_code == 400 and dup.json["code"] == "INVALID_DATA"
    assert dup.json["details"][0]["code"] == "UNIQUENESS_VIOLATION" and dup.json["details"][0]["message"] == "May not assign duplicate Role"
    assert_spec_error(dup.json)
    org = api.post(base, assignment("Environment Admin", ORGANIZATION_ID, "ORGANIZATION"))
    assert org.status_code == 201
    assert api.delete(f"{base}/{body['id']}").status_code == 204
    assert api.delete(f"{base}/{body['id']}").status_code == 404
    assert [item["id"] for item in api.get(base).json["_embedded"]["roleAssignments"]] == [org.json["id"]]


def test_role_assignment_validation(api):
    app = worker(api)
    base = f"{APPS}/{app['id']}/roleAssignments"
    web = api.create(web_app())
    refused = api.post(f"{APPS}/{web['id']}/roleAssignments", assignment("Identity Data Admin"))
    assert refused.status_code == 400 and "WORKER" in refused.json["details"][0]["message"]
    unknown = api.post(base, {"role": {"id": "00000000-0000-4000-8000-000000000000"}, "scope": {"id": ENV, "type": "ENVIRONMENT"}})
    assert unknown.status_code == 400 and unknown.json["details"][0]["target"] == "role.id"
    wrong_type = api.post(base, assignment("Client Application Developer", ORGANIZATION_ID, "ORGANIZATION"))
    assert wrong_type.status_code == 400 and wrong_type.json["details"][0]["innerError"]["allowedValues"] == ["ENVIRONMENT"]
    bad_scope = api.post(base, {"role": {"id": ROLE_IDS["Identity Data Admin"]}, "scope": {"id": ENV, "type": "TENANT"}})
    assert bad_scope.status_code == 400 and bad_scope.json["details"][0]["target"] == "scope.type"
    no_env = api.post(base, assignment("Identity Data Admin", "00000000-0000-4000-8000-000000000000"))
    assert no_env.status_code == 400 and no_env.json["details"][0]["target"] == "scope.id"
    population = api.post(base, assignment("Identity Data Read Only", "3f0e9a4c-0000-4000-8000-000000000001", "POPULATION"))
    assert population.status_code == 201


def test_application_scope_names_an_existing_application(api, client):
    app = worker(api)
    base = f"{APPS}/{app['id']}/roleAssignments"
    target = api.create(web_app(name="Owned"))
    owner = api.post(base, assignment("Application Owner", target["id"], "APPLICATION"))
    assert owner.status_code == 201 and owner.json["scope"] == {"id": target["id"], "type": "APPLICATION"}
    assert set(owner.json) <= SPEC_ROLE_ASSIGNMENT
    dup = api.post(base, assignment("Application Owner", target["id"], "APPLICATION"))
    assert dup.status_code == 400 and dup.json["details"][0]["code"] == "UNIQUENESS_VIOLATION"
    missing = api.post(base, assignment("Application Owner", "00000000-0000-4000-8000-000000000000", "APPLICATION"))
    assert missing.status_code == 400 and missing.json["details"][0]["target"] == "scope.id"
    assert missing.json["details"][0]["code"] == "INVALID_VALUE"
    assert_spec_error(missing.json)
    not_a_uuid = api.post(base, {"role": {"id": ROLE_IDS["Application Owner"]}, "scope": {"id": "Owned", "type": "APPLICATION"}})
    assert not_a_uuid.status_code == 400 and not_a_uuid.json["details"][0]["target"] == "scope.id"
    for role in ("Environment Admin", "Identity Data Admin", "Client Application Developer"):
        wrong = api.post(base, assignment(role, target["id"], "APPLICATION"))
        assert wrong.status_code == 400 and wrong.json["details"][0]["target"] == "scope.type", role
        assert "APPLICATION" not in wrong.json["details"][0]["innerError"]["allowedValues"]
    at_environment = api.post(base, assignment("Application Owner"))
    assert at_environment.status_code == 400 and at_environment.json["details"][0]["innerError"]["allowedValues"] == ["APPLICATION"]
    other_env = client.post("/_sim/environments", json={"name": "elsewhere"}).json["id"]
    foreign = api.post(f"/v1/environments/{other_env}/applications", web_app(name="Foreign"))
    assert foreign.status_code == 201
    # an application of another environment of the organization is a valid scope too (decision 24)
    assert api.post(base, assignment("Application Owner", foreign.json["id"], "APPLICATION")).status_code == 201
    assert api.delete(f"{APPS}/{target['id']}").status_code == 204
    left = api.get(base).json["_embedded"]["roleAssignments"]
    assert target["id"] not in [item["scope"]["id"] for item in left]


def test_application_scope_is_covered_by_the_environment_or_the_same_application(api, client):
    """Who may assign at APPLICATION scope: the same role at that application, or at its environment or organization."""
    delegate = worker(api, "Owner Delegate")
    owned, other = api.create(web_app(name="Owned")), api.create(web_app(name="Other"))
    assert api.post(f"{APPS}/{delegate['id']}/roleAssignments", assignment("Application Owner", owned["id"], "APPLICATION")).status_code == 201
    token = client.post(f"/{ENV}/as/token", data={"grant_type": "client_credentials"},
                        headers=basic(delegate["id"], api.secret(delegate["id"]))).json["access_token"]
    delegated = Api.__new__(Api)
    delegated.client, delegated.token = client, token
    target = worker(api, "Target")
    target_base = f"{APPS}/{target['id']}/roleAssignments"
    assert delegated.post(target_base, assignment("Application Owner", owned["id"], "APPLICATION")).status_code == 201
    refused = delegated.post(target_base, assignment("Application Owner", other["id"], "APPLICATION"))
    assert refused.status_code == 403 and refused.json["details"][0]["message"] == BROADER_SCOPE_MESSAGE


def test_read_only_assignments_are_planted_through_the_control_api_and_cannot_be_deleted(api, client):
    app = worker(api)
    base = f"{APPS}/{app['id']}/roleAssignments"
    planted = client.post(f"/_sim/environments/{ENV}/applications/{app['id']}/roleAssignments",
                          json=dict(assignment("Identity Data Admin"), readOnly=True))
    assert planted.status_code == 201 and planted.json["readOnly"] is True and "read_only" not in planted.json
    listed = api.get(base).json["_embedded"]["roleAssignments"]
    assert [(item["id"], item["readOnly"]) for item in listed] == [(planted.json["id"], True)]
    refused = api.delete(f"{base}/{planted.json['id']}")
    assert refused.status_code == 400 and refused.json["details"][0]["target"] == "readOnly"
    assert_spec_error(refused.json)
    assert api.get(f"{base}/{planted.json['id']}").json["readOnly"] is True
    dup = api.post(base, assignment("Identity Data Admin"))
    assert dup.status_code == 400 and dup.json["details"][0]["message"] == "May not assign duplicate Role"
    bad = client.post(f"/_sim/environments/{ENV}/applications/{app['id']}/roleAssignments",
                      json=dict(assignment("Identity Data Admin", scope_type="POPULATION"), readOnly="yes"))
    assert bad.status_code == 400 and bad.json == {"error": "readOnly must be a boolean."}
    missing = client.post(f"/_sim/environments/{ENV}/applications/00000000-0000-4000-8000-000000000000/roleAssignments",
                          json=assignment("Identity Data Admin"))
    assert missing.status_code == 404


def test_a_duplicate_assignment_or_grant_is_refused_atomically_under_concurrent_posts(make_app):
    """Two POSTs at once (threads through the Flask app): exactly one is created, the other gets PingOne's 400."""
    app = make_app()
    api = Api(app.test_client())
    target = worker(api)
    openid = resource_by_name(api, "openid")
    cases = [(f"{APPS}/{target['id']}/roleAssignments", assignment("Identity Data Admin"), "role"),
             (f"{APPS}/{target['id']}/grants", {"resource": {"id": openid["id"]}, "scopes": scope_ids(api, openid, "openid")}, "resource")]
    for path, body, target_field in cases:
        barrier = threading.Barrier(4)
        replies: list[Any] = []

        def post(path: str, body: dict[str, Any], barrier: threading.Barrier, replies: list[Any]) -> None:
            own = Api.__new__(Api)
            own.client, own.token = app.test_client(), api.token
            barrier.wait()
            replies.append(own.post(path, body))

        threads = [threading.Thread(target=post, args=(path, body, barrier, replies)) for dummy in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert sorted(reply.status_code for reply in replies) == [201, 400, 400, 400]
        for reply in replies:
            if reply.status_code == 400:
                assert reply.json["details"][0]["code"] == "UNIQUENESS_VIOLATION" and reply.json["details"][0]["target"] == target_field
        assert [len(items) for items in api.get(path).json["_embedded"].values()] == [1]


def test_other_workers_need_the_role_at_the_same_or_broader_scope(api, client):
    admin = worker(api, "Delegated")
    base = f"{APPS}/{admin['id']}/roleAssignments"
    assert api.post(base, assignment("Identity Data Admin")).status_code == 201
    secret = api.secret(admin["id"])
    token = client.post(f"/{ENV}/as/token", data={"grant_type": "client_credentials"}, headers=basic(admin["id"], secret)).json["access_token"]
    delegated = Api.__new__(Api)
    delegated.client, delegated.token = client, token
    target = worker(api, "Target")
    target_base = f"{APPS}/{target['id']}/roleAssignments"
    same = delegated.post(target_base, assignment("Identity Data Admin"))
    assert same.status_code == 201
    narrower = delegated.post(target_base, assignment("Identity Data Admin", "3f0e9a4c-0000-4000-8000-000000000002", "POPULATION"))
    assert narrower.status_code == 201
    other_role = delegated.post(target_base, assignment("Client Application Developer"))
    assert other_role.status_code == 403 and other_role.json["details"][0]["message"] == BROADER_SCOPE_MESSAGE


def test_deleting_an_application_removes_its_assignments_and_grants(api):
    app = worker(api)
    api.post(f"{APPS}/{app['id']}/roleAssignments", assignment("Identity Data Admin"))
    openid = resource_by_name(api, "openid")
    api.post(f"{APPS}/{app['id']}/grants", {"resource": {"id": openid["id"]}, "scopes": scope_ids(api, openid, "openid")})
    assert api.delete(f"{APPS}/{app['id']}").status_code == 204
    again = worker(api)
    assert api.get(f"{APPS}/{again['id']}/grants").json["_embedded"]["grants"] == []


def test_builtin_resources_are_seeded(api, client):
    resources = {res["name"]: res for res in api.get(RESOURCES).json["_embedded"]["resources"]}
    assert resources["openid"]["type"] == "OPENID_CONNECT" and resources["PingOne API"]["type"] == "PINGONE_API"
    scopes = api.get(f"{RESOURCES}/{resources['openid']['id']}/scopes").json["_embedded"]["scopes"]
    assert [scope["name"] for scope in scopes] == ["openid", "profile", "email", "address", "phone", "offline_access"]
    assert scopes[0]["resource"] == {"id": resources["openid"]["id"]}
    p1 = [s["name"] for s in api.get(f"{RESOURCES}/{resources['PingOne API']['id']}/scopes").json["_embedded"]["scopes"]]
    assert {"p1:read:user", "p1:update:user"} <= set(p1)
    assert api.delete(f"{RESOURCES}/{resources['openid']['id']}").status_code == 400
    other = client.post("/_sim/environments", json={"name": "second"}).json["id"]
    other_ids = {res["id"] for res in api.get(f"/v1/environments/{other}/resources").json["_embedded"]["resources"]}
    assert len(other_ids) == 2 and not other_ids & {res["id"] for res in resources.values()}


def test_custom_resources_and_scopes(api):
    res = custom_resource(api)
    assert res["type"] == "CUSTOM" and res["audience"] == "https://orders.example.com" and res["accessTokenValiditySeconds"] == 3600
    assert api.get(f"{RESOURCES}/{res['id']}").json["name"] == "Orders API"
    dup = api.post(RESOURCES, {"name": "orders api"})
    assert dup.status_code == 400 and dup.json["details"][0]["code"] == "UNIQUENESS_VIOLATION"
    assert api.post(RESOURCES, {"name": "X", "type": "PINGONE_API"}).status_code == 400
    assert api.post(RESOURCES, {"name": "Y", "accessTokenValiditySeconds": 10}).json["details"][0]["code"] == "OUT_OF_RANGE"
    scopes = f"{RESOURCES}/{res['id']}/scopes"
    assert api.post(scopes, {"name": "orders:read"}).json["details"][0]["code"] == "UNIQUENESS_VIOLATION"
    assert api.post(scopes, {"name": "has space"}).status_code == 400
    openid = resource_by_name(api, "openid")
    assert api.post(f"{RESOURCES}/{openid['id']}/scopes", {"name": "extra"}).status_code == 400
    one = scope_ids(api, res, "orders:write")[0]["id"]
    assert api.get(f"{scopes}/{one}").json["name"] == "orders:write"
    assert api.delete(f"{scopes}/{one}").status_code == 204
    assert api.get(f"{scopes}/{one}").status_code == 404
    assert api.delete(f"{RESOURCES}/{res['id']}").status_code == 204
    assert api.get(f"{RESOURCES}/{res['id']}").status_code == 404


def test_grant_lifecycle(api):
    app = api.create(web_app())
    openid = resource_by_name(api, "openid")
    base = f"{APPS}/{app['id']}/grants"
    resp = api.post(base, {"resource": {"id": openid["id"]}, "scopes": scope_ids(api, openid, "openid", "profile")})
    assert resp.status_code == 201
    grant = resp.json
    assert grant["resource"] == {"id": openid["id"]} and grant["application"] == {"id": app["id"]} and set(grant) <= SPEC_GRANT
    assert grant["scopes"] == scope_ids(api, openid, "openid", "profile") and resp.headers["Location"] == grant["_links"]["self"]["href"]
    again = api.post(base, {"resource": {"id": openid["id"]}, "scopes": scope_ids(api, openid, "email")})
    assert again.status_code == 400 and again.json["details"][0]["code"] == "UNIQUENESS_VIOLATION"
    assert again.json["details"][0]["target"] == "resource"
    assert_spec_error(again.json)
    updated = api.put(f"{base}/{grant['id']}", {"resource": {"id": openid["id"]}, "scopes": scope_ids(api, openid, "openid", "offline_access")})
    assert updated.status_code == 200 and updated.json["scopes"] == scope_ids(api, openid, "openid", "offline_access")
    assert api.get(f"{base}/{grant['id']}").json["scopes"] == updated.json["scopes"]
    p1 = resource_by_name(api, "PingOne API")
    moved = api.put(f"{base}/{grant['id']}", {"resource": {"id": p1["id"]}, "scopes": scope_ids(api, p1, "p1:read:user")})
    assert moved.status_code == 400 and moved.json["details"][0]["target"] == "resource.id"
    foreign = api.post(base, {"resource": {"id": p1["id"]}, "scopes": scope_ids(api, openid, "email")})
    assert foreign.status_code == 400 and foreign.json["details"][0]["target"] == "scopes[0].id"
    assert api.post(base, {"resource": {"id": p1["id"]}, "scopes": []}).json["details"][0]["code"] == "REQUIRED_VALUE"
    assert api.delete(f"{base}/{grant['id']}").status_code == 204
    assert api.delete(f"{base}/{grant['id']}").status_code == 404
    assert api.get(base).json["_embedded"]["grants"] == []


def test_client_credentials_tokens_carry_only_granted_custom_scopes(api, client):
    app = worker(api, "Scoped")
    secret = api.secret(app["id"])
    token_url = f"/{ENV}/as/token"

    def token(scope: str | None = None) -> Any:
        data = {"grant_type": "client_credentials"}
        if scope:
            data["scope"] = scope
        return client.post(token_url, data=data, headers=basic(app["id"], secret))

    assert "scope" not in token().json
    orders = custom_resource(api)
    base = f"{APPS}/{app['id']}/grants"
    api.post(base, {"resource": {"id": orders["id"]}, "scopes": scope_ids(api, orders, "orders:read", "orders:write")})
    openid = resource_by_name(api, "openid")
    api.post(base, {"resource": {"id": openid["id"]}, "scopes": scope_ids(api, openid, "openid")})
    full = token()
    assert full.status_code == 200 and full.json["scope"] == "orders:read orders:write"
    claims = jwt.decode(full.json["access_token"], options={"verify_signature": False})
    assert claims["aud"] == ["https://orders.example.com"] and claims["scope"] == "orders:read orders:write"
    management = client.get(f"/v1/environments/{ENV}", headers={"Authorization": f"Bearer {full.json['access_token']}"})
    assert management.status_code == 401
    assert token("orders:read").json["scope"] == "orders:read"
    assert token("openid").json["error"] == "invalid_scope"
    assert token("orders:delete").json["error"] == "invalid_scope"
    billing = custom_resource(api, "Billing API", ("billing:read",))
    api.post(base, {"resource": {"id": billing["id"]}, "scopes": scope_ids(api, billing, "billing:read")})
    assert token().json["error"] == "invalid_scope"
    assert token("orders:read billing:read").json["error"] == "invalid_scope"
    assert token("billing:read").json["scope"] == "billing:read"


def test_routes_are_counted_with_names(api, client):
    client.delete("/_sim/stats")
    app = worker(api)
    api.get(f"{APPS}/{app['id']}/roleAssignments")
    api.get("/v1/roles")
    by_route = client.get("/_sim/stats").json["by_route"]
    assert by_route["GET /v1/environments/{envId}/applications/{appId}/roleAssignments"] == 1
    assert by_route["GET /v1/roles"] == 1


def test_state_file_keeps_resources_grants_and_assignments(make_app, tmp_path):
    path = str(tmp_path / "state.json")
    first = make_app(state_path=path)
    api = Api(first.test_client())
    app = worker(api)
    api.post(f"{APPS}/{app['id']}/roleAssignments", assignment("Identity Data Admin"))
    orders = custom_resource(api)
    api.post(f"{APPS}/{app['id']}/grants", {"resource": {"id": orders["id"]}, "scopes": scope_ids(api, orders, "orders:read")})
    second = Api(make_app(state_path=path).test_client())
    assert len(second.get(f"{APPS}/{app['id']}/roleAssignments").json["_embedded"]["roleAssignments"]) == 1
    assert second.get(f"{APPS}/{app['id']}/grants").json["_embedded"]["grants"][0]["resource"] == {"id": orders["id"]}
    assert second.get(f"{RESOURCES}/{orders['id']}").json["name"] == "Orders API"
