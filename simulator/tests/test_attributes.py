"""Attribute mappings of applications, as the spec's ApplicationAttributeMapping and its operations define them."""

from __future__ import annotations

import threading
from typing import Any

from sim_helpers import APPS, ENV, Api, web_app

RESOURCES = f"/v1/environments/{ENV}/resources"
# The members of the spec's ApplicationAttributeMapping: what a reply may carry.
SPEC_MAPPING = {"_links", "id", "application", "createdAt", "mappingType", "name", "required", "updatedAt", "value", "nameFormat",
                "idToken", "userInfo", "oidcScopes"}
EMAIL = {"name": "email", "value": "${user.email}", "required": False}


def attributes(app: dict[str, Any]) -> str:
    return f"{APPS}/{app['id']}/attributes"


def listed(api: Api, app: dict[str, Any]) -> list[dict[str, Any]]:
    resp = api.get(attributes(app))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.json["_embedded"]["attributes"]


def add(api: Api, app: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    resp = api.post(attributes(app), body)
    assert resp.status_code == 201, resp.get_data(as_text=True)
    return resp.json


def refusal(resp: Any) -> tuple[int, str, str]:
    """(status, first detail code, its target) of an error reply."""
    item = resp.json["details"][0]
    return resp.status_code, item["code"], item.get("target")


def granted_scope(api: Api, app: dict[str, Any], name: str) -> str:
    """Grant one scope of the openid resource to the app; its ID."""
    openid = next(res for res in api.get(RESOURCES).json["_embedded"]["resources"] if res["name"] == "openid")
    scope = next(item for item in api.get(f"{RESOURCES}/{openid['id']}/scopes").json["_embedded"]["scopes"] if item["name"] == name)
    resp = api.post(f"{APPS}/{app['id']}/grants", {"resource": {"id": openid["id"]}, "scopes": [{"id": scope["id"]}]})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    return scope["id"]


def test_a_new_oidc_application_has_its_core_sub_mapping(api):
    app = api.create(web_app())
    (sub,) = listed(api, app)
    assert set(sub) <= SPEC_MAPPING
    assert {key: sub[key] for key in ("name", "value", "required", "mappingType")} == {
        "name": "sub", "value": "${user.id}", "required": True, "mappingType": "CORE"}
    assert sub["application"] == {"id": app["id"]} and sub["_links"]["self"]["href"].endswith(f"/attributes/{sub['id']}")
    assert api.get(f"{attributes(app)}/{sub['id']}").json == sub
    assert app["_links"]["attributes"]["href"].endswith(f"/applications/{app['id']}/attributes")
    saml = api.create({"name": "Saml", "type": "WEB_APP", "protocol": "SAML", "enabled": True, "spEntityId": "urn:sp",
                       "acsUrls": ["https://sp.example.com/acs"], "assertionDuration": 60})
    assert listed(api, saml) == []


def test_create_read_replace_and_delete_a_custom_mapping(api):
    app = api.create(web_app())
    created = add(api, app, EMAIL)
    assert set(created) <= SPEC_MAPPING
    assert (created["mappingType"], created["idToken"], created["userInfo"], created["required"]) == ("CUSTOM", True, True, False)
    assert "oidcScopes" not in created and "environment" not in created
    path = f"{attributes(app)}/{created['id']}"
    assert api.get(path).json == created
    assert [item["name"] for item in listed(api, app)] == ["sub", "email"]

    scope_id = granted_scope(api, app, "email")
    replaced = api.put(path, {"name": "mail", "value": "${user.email}", "required": True, "idToken": False, "oidcScopes": [scope_id],
                              "id": "ignored", "createdAt": "ignored", "application": {"id": "ignored"}})
    assert replaced.status_code == 200, replaced.json
    body = replaced.json
    assert body["id"] == created["id"] and body["createdAt"] == created["createdAt"] and body["application"] == {"id": app["id"]}
    assert (body["name"], body["required"], body["idToken"], body["userInfo"], body["oidcScopes"]) == ("mail", True, False, True, [scope_id])
    again = api.put(path, {"name": "mail", "value": "${user.email}", "required": True}).json
    assert again["idToken"] is True and "oidcScopes" not in again  # PUT replaces: what is left out gets its default

    assert api.delete(path).status_code == 204
    assert api.delete(path).status_code == 404 and api.get(path).status_code == 404
    assert api.put(path, EMAIL).status_code == 404
    assert [item["name"] for item in listed(api, app)] == ["sub"]


def test_bodies_are_validated_as_the_spec_says(api):
    app = api.create(web_app())
    add(api, app, EMAIL)
    cases = [
        ({"value": "x", "required": False}, "REQUIRED_VALUE", "name"),
        ({"name": " ", "value": "x", "required": False}, "REQUIRED_VALUE", "name"),
        ({"name": "aud", "value": "x", "required": False}, "INVALID_VALUE", "name"),
        ({"name": "sub", "value": "${user.email}", "required": True}, "INVALID_VALUE", "name"),
        ({"name": "email", "value": "${user.email}", "required": False}, "UNIQUENESS_VIOLATION", "name"),
        ({"name": "x", "required": False}, "REQUIRED_VALUE", "value"),
        ({"name": "x", "value": "", "required": False}, "EMPTY_VALUE", "value"),
        ({"name": "x", "value": 5, "required": False}, "EMPTY_VALUE", "value"),
        ({"name": "x", "value": "${user.email", "required": False}, "INVALID_VALUE", "value"),
        ({"name": "x", "value": "x"}, "REQUIRED_VALUE", "required"),
        ({"name": "x", "value": "x", "required": "yes"}, "INVALID_VALUE", "required"),
        ({"name": "x", "value": "x", "required": False, "mappingType": "CORE"}, "INVALID_VALUE", "mappingType"),
        ({"name": "x", "value": "x", "required": False, "idToken": False, "userInfo": False}, "INVALID_VALUE", "idToken"),
        ({"name": "x", "value": "x", "required": False, "oidcScopes": []}, "INVALID_VALUE", "oidcScopes"),
        ({"name": "x", "value": "x", "required": False, "oidcScopes": ["00000000-0000-4000-8000-000000000000"]},
         "INVALID_VALUE", "oidcScopes[0]"),
    ]
    for body, code, target in cases:
        resp = api.post(attributes(app), body)
        assert refusal(resp) == (400, code, target), (body, resp.json)
    reserved = api.post(attributes(app), {"name": "nonce", "value": "x", "required": False}).json["details"][0]["message"]
    assert reserved == "Attribute name 'nonce' is not valid for the 'OPENID_CONNECT' application"
    other_case = add(api, app, {"name": "Email", "value": "${user.email}", "required": False})  # claim names are case-sensitive
    assert other_case["name"] == "Email"
    assert add(api, app, {"name": "AUD", "value": "x", "required": False})["name"] == "AUD"
    assert api.post(f"{APPS}/00000000-0000-4000-8000-000000000000/attributes", EMAIL).status_code == 404
    assert api.post(attributes(app), ["not", "an", "object"]).status_code == 400


def test_the_core_mapping_changes_its_value_only_and_is_never_deleted(api):
    app = api.create(web_app())
    (sub,) = listed(api, app)
    path = f"{attributes(app)}/{sub['id']}"
    resp = api.put(path, {"name": "sub", "value": "${user.email}", "required": True, "mappingType": "CORE", "idToken": True})
    assert resp.status_code == 200 and resp.json["value"] == "${user.email}" and resp.json["mappingType"] == "CORE", resp.json
    assert "idToken" not in resp.json
    without_type = api.put(path, {"name": "sub", "value": "${user.username}", "required": True})
    assert without_type.status_code == 200 and without_type.json["mappingType"] == "CORE"
    cases = [
        ({"name": "subject", "value": "${user.id}", "required": True}, "INVALID_VALUE", "name"),
        ({"name": "sub", "value": "${user.id}", "required": False}, "INVALID_VALUE", "required"),
        ({"name": "sub", "value": "${user.id}", "required": True, "mappingType": "CUSTOM"}, "INVALID_VALUE", "mappingType"),
        ({"name": "sub", "value": "${user.id}", "required": True, "userInfo": False}, "INVALID_VALUE", "idToken"),
        ({"name": "sub", "value": "${user.id}", "required": True, "oidcScopes": ["x"]}, "INVALID_VALUE", "oidcScopes"),
    ]
    for body, code, target in cases:
        assert refusal(api.put(path, body)) == (400, code, target), body
    assert refusal(api.delete(path)) == (400, "CONSTRAINT_VIOLATION", "mappingType")
    assert api.get(path).json["value"] == "${user.username}"


def test_an_application_holds_at_most_100_mappings(api):
    app = api.create(web_app())
    for index in range(99):
        add(api, app, {"name": f"claim{index}", "value": "x", "required": False})
    resp = api.post(attributes(app), {"name": "one_more", "value": "x", "required": False})
    assert refusal(resp) == (400, "SIZE_LIMIT_EXCEEDED", "attributes")
    assert len(listed(api, app)) == 100


def test_a_duplicate_name_is_refused_atomically_under_concurrent_posts(make_app):
    flask_app = make_app()
    api = Api(flask_app.test_client())
    app = api.create(web_app())
    barrier = threading.Barrier(4)
    replies: list[Any] = []

    def post() -> None:
        own = Api.__new__(Api)
        own.client, own.token = flask_app.test_client(), api.token
        barrier.wait()
        replies.append(own.post(attributes(app), EMAIL))

    threads = [threading.Thread(target=post) for dummy in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(reply.status_code for reply in replies) == [201, 400, 400, 400]
    assert [item["name"] for item in listed(api, app)] == ["sub", "email"]


def test_routes_are_counted_with_names_and_mappings_go_with_the_application(api, client):
    app = api.create(web_app())
    created = add(api, app, EMAIL)
    client.delete("/_sim/stats")
    api.put(f"{attributes(app)}/{created['id']}", EMAIL)
    by_route = client.get("/_sim/stats").json["by_route"]
    assert by_route["PUT /v1/environments/{envId}/applications/{appId}/attributes/{attrMappingId}"] == 1
    assert api.delete(f"{APPS}/{app['id']}").status_code == 204
    assert api.get(attributes(app)).status_code == 404


def test_state_file_keeps_mappings(make_app, tmp_path):
    path = str(tmp_path / "state.json")
    api = Api(make_app(state_path=path).test_client())
    app = api.create(web_app())
    add(api, app, EMAIL)
    second = Api(make_app(state_path=path).test_client())
    assert [(item["name"], item["mappingType"]) for item in listed(second, app)] == [("sub", "CORE"), ("email", "CUSTOM")]
