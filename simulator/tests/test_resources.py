"""Replacing (PUT) and deleting custom resources and their scopes, as the spec defines them."""

from __future__ import annotations

from typing import Any

import jwt

from sim_helpers import APPS, ENV, Api, basic

RESOURCES = f"/v1/environments/{ENV}/resources"
# The members of the spec's Resource and ResourceScope schemas (pingone-management-sdk-v2 openapi.yaml): what a reply may carry.
SPEC_RESOURCE = {"_links", "accessTokenValiditySeconds", "applicationPermissionsSettings", "audience", "clientId", "clientSecret",
                 "createdAt", "description", "environment", "resource", "id", "name", "introspectEndpointAuthMethod", "type",
                 "updatedAt"}
SPEC_SCOPE = {"_links", "id", "resource", "name", "description", "environment", "schemaAttributes", "mappedClaims", "createdAt",
              "updatedAt"}


def create(api: Api, name: str = "Orders API", **extra: Any) -> dict[str, Any]:
    """A CUSTOM resource."""
    resp = api.post(RESOURCES, {"name": name, "type": "CUSTOM", **extra})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    return resp.json


def add_scope(api: Api, resource: dict[str, Any], name: str, **extra: Any) -> dict[str, Any]:
    """A scope of a resource."""
    resp = api.post(f"{RESOURCES}/{resource['id']}/scopes", {"name": name, **extra})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    return resp.json


def builtin(api: Api, name: str) -> dict[str, Any]:
    """A built-in resource of the default environment."""
    return next(res for res in api.get(RESOURCES).json["_embedded"]["resources"] if res["name"] == name)


def test_put_replaces_a_custom_resource_and_keeps_its_id_and_scopes(api):
    res = create(api, audience="https://orders.example.com", description="Orders", accessTokenValiditySeconds=600)
    scope = add_scope(api, res, "orders:read")
    resp = api.put(f"{RESOURCES}/{res['id']}", {"name": "Orders API v2", "type": "CUSTOM", "audience": "https://orders2.example.com",
                                                "accessTokenValiditySeconds": 7200})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.json
    assert set(body) <= SPEC_RESOURCE
    assert body["id"] == res["id"] and body["name"] == "Orders API v2" and body["audience"] == "https://orders2.example.com"
    assert body["accessTokenValiditySeconds"] == 7200 and "description" not in body  # PUT replaces: left out is removed
    assert body["createdAt"] == res["createdAt"]
    assert api.get(f"{RESOURCES}/{res['id']}").json == body
    assert api.get(f"{RESOURCES}/{res['id']}/scopes/{scope['id']}").status_code == 200
    defaults = api.put(f"{RESOURCES}/{res['id']}", {"name": "Orders API v2"}).json
    assert defaults["audience"] == "Orders API v2" and defaults["accessTokenValiditySeconds"] == 3600


def test_put_on_a_resource_validates_like_post(api):
    res = create(api)
    create(api, "Billing API")
    path = f"{RESOURCES}/{res['id']}"
    cases = [
        ({"name": "billing api"}, "UNIQUENESS_VIOLATION", "name"),
        ({}, "REQUIRED_VALUE", "name"),
        ({"name": "Orders API", "type": "PINGONE_API"}, "INVALID_VALUE", "type"),
        ({"name": "Orders API", "accessTokenValiditySeconds": 299}, "OUT_OF_RANGE", "accessTokenValiditySeconds"),
        ({"name": "Orders API", "accessTokenValiditySeconds": 2592001}, "OUT_OF_RANGE", "accessTokenValiditySeconds"),
        ({"name": "Orders API", "audience": "https://api.pingone.com/x"}, "INVALID_VALUE", "audience"),
        ({"name": "Orders API", "audience": "https://orders.example.com/#top"}, "INVALID_VALUE", "audience"),
    ]
    for body, code, target in cases:
        resp = api.put(path, body)
        assert resp.status_code == 400, (body, resp.json)
        assert resp.json["details"][0]["code"] == code and resp.json["details"][0]["target"] == target, (body, resp.json)
    same = api.put(path, {"name": "ORDERS API"})  # its own name, in another case, is no conflict
    assert same.status_code == 200 and same.json["name"] == "ORDERS API"
    assert api.post(RESOURCES, {"name": "Shop", "audience": "https://pingidentity.example.com"}).status_code == 400
    assert api.put(f"{RESOURCES}/00000000-0000-4000-8000-000000000000", {"name": "X"}).status_code == 404


def test_builtin_resources_and_their_scopes_cannot_be_replaced(api):
    for name in ("openid", "PingOne API"):
        res = builtin(api, name)
        resp = api.put(f"{RESOURCES}/{res['id']}", {"name": name, "description": "changed"})
        assert resp.status_code == 400 and resp.json["details"][0]["code"] == "CONSTRAINT_VIOLATION", resp.json
        scope = api.get(f"{RESOURCES}/{res['id']}/scopes").json["_embedded"]["scopes"][0]
        put = api.put(f"{RESOURCES}/{res['id']}/scopes/{scope['id']}", {"name": scope["name"], "description": "changed"})
        assert put.status_code == 400 and put.json["details"][0]["code"] == "CONSTRAINT_VIOLATION"
        assert api.delete(f"{RESOURCES}/{res['id']}/scopes/{scope['id']}").status_code == 400
        assert api.get(f"{RESOURCES}/{res['id']}").json["description"] == res["description"]


def test_put_replaces_a_scope_and_grants_keep_it(api):
    res = create(api)
    read = add_scope(api, res, "orders:read", description="Read orders")
    add_scope(api, res, "orders:write")
    app = api.create({"name": "Svc", "enabled": True, "type": "WORKER", "protocol": "OPENID_CONNECT",
                      "grantTypes": ["CLIENT_CREDENTIALS"], "tokenEndpointAuthMethod": "CLIENT_SECRET_BASIC"})
    grant = api.post(f"{APPS}/{app['id']}/grants", {"resource": {"id": res["id"]}, "scopes": [{"id": read["id"]}]}).json
    path = f"{RESOURCES}/{res['id']}/scopes/{read['id']}"
    resp = api.put(path, {"name": "orders:read", "description": "Read every order"})
    assert resp.status_code == 200 and set(resp.json) <= SPEC_SCOPE
    assert resp.json["description"] == "Read every order" and resp.json["resource"] == {"id": res["id"]}
    assert "description" not in api.put(path, {"name": "orders:read"}).json
    assert api.put(path, {"name": "orders:write"}).json["details"][0]["code"] == "UNIQUENESS_VIOLATION"
    assert api.put(path, {"name": "has space"}).json["details"][0]["target"] == "name"
    assert api.put(path, {"name": "openid"}).status_code == 400
    renamed = api.put(path, {"name": "orders:list"})
    assert renamed.status_code == 200 and renamed.json["id"] == read["id"]
    assert api.get(f"{APPS}/{app['id']}/grants/{grant['id']}").json["scopes"] == [{"id": read["id"]}]
    secret = api.secret(app["id"])
    token = api.client.post(f"/{ENV}/as/token", data={"grant_type": "client_credentials"}, headers=basic(app["id"], secret))
    assert token.json["scope"] == "orders:list"
    assert api.put(f"{RESOURCES}/{res['id']}/scopes/00000000-0000-4000-8000-000000000000", {"name": "x:y"}).status_code == 404


def test_delete_a_scope_then_the_resource_twice(api):
    res = create(api)
    scope = add_scope(api, res, "orders:read")
    path = f"{RESOURCES}/{res['id']}/scopes/{scope['id']}"
    assert api.delete(path).status_code == 204
    assert api.delete(path).status_code == 404
    assert api.delete(f"{RESOURCES}/{res['id']}").status_code == 204
    assert api.delete(f"{RESOURCES}/{res['id']}").status_code == 404
    assert api.get(f"{RESOURCES}/{res['id']}/scopes").status_code == 404


def test_routes_are_counted_with_names(api, client):
    res = create(api)
    scope = add_scope(api, res, "orders:read")
    client.delete("/_sim/stats")
    api.put(f"{RESOURCES}/{res['id']}", {"name": "Orders API"})
    api.put(f"{RESOURCES}/{res['id']}/scopes/{scope['id']}", {"name": "orders:read"})
    by_route = client.get("/_sim/stats").json["by_route"]
    assert by_route["PUT /v1/environments/{envId}/resources/{resourceId}"] == 1
    assert by_route["PUT /v1/environments/{envId}/resources/{resourceId}/scopes/{scopeId}"] == 1


def test_a_token_for_custom_scopes_lives_as_long_as_the_resource_says(api):
    res = create(api, audience="https://orders.example.com", accessTokenValiditySeconds=900)
    read = add_scope(api, res, "orders:read")
    app = api.create({"name": "Svc", "enabled": True, "type": "WORKER", "protocol": "OPENID_CONNECT",
                      "grantTypes": ["CLIENT_CREDENTIALS"], "tokenEndpointAuthMethod": "CLIENT_SECRET_BASIC"})
    secret = api.secret(app["id"])

    def token() -> Any:
        resp = api.client.post(f"/{ENV}/as/token", data={"grant_type": "client_credentials"}, headers=basic(app["id"], secret))
        assert resp.status_code == 200, resp.get_data(as_text=True)
        return resp.json

    assert token()["expires_in"] == 3600 and "scope" not in token()  # no custom scopes: the configured lifetime
    api.post(f"{APPS}/{app['id']}/grants", {"resource": {"id": res["id"]}, "scopes": [{"id": read["id"]}]})
    first = token()
    claims = jwt.decode(first["access_token"], options={"verify_signature": False})
    assert first["expires_in"] == 900 and claims["exp"] - claims["iat"] == 900
    api.put(f"{RESOURCES}/{res['id']}", {"name": "Orders API", "audience": "https://orders.example.com", "accessTokenValiditySeconds": 1200})
    assert token()["expires_in"] == 1200
