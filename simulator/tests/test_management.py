"""Management API: environments, application CRUD, envelope, links, errors."""

from __future__ import annotations

import re
import uuid

from sim_helpers import APPS, BASE, ENV, WORKER, web_app

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
STAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def _no_nulls(value):
    if isinstance(value, dict):
        return all(v is not None and _no_nulls(v) for v in value.values())
    if isinstance(value, list):
        return all(v is not None and _no_nulls(v) for v in value)
    return True


def test_environments(api):
    resp = api.get("/v1/environments")
    assert resp.status_code == 200
    assert resp.json["_links"]["self"]["href"] == f"{BASE}/v1/environments"
    envs = resp.json["_embedded"]["environments"]
    assert [env["id"] for env in envs] == [ENV]
    one = api.get(f"/v1/environments/{ENV}")
    assert one.status_code == 200
    assert one.json["name"] == "Administrators"
    assert one.json["_links"]["self"]["href"] == f"{BASE}/v1/environments/{ENV}"
    assert api.get(f"/v1/environments/{uuid.uuid4()}").json["code"] == "NOT_FOUND"


def test_list_envelope_contains_system_apps_and_worker(api):
    resp = api.get(APPS)
    assert resp.status_code == 200
    body = resp.json
    assert body["_links"]["self"]["href"] == f"{BASE}{APPS}"
    apps = body["_embedded"]["applications"]
    assert body["count"] == body["size"] == len(apps) == 4
    types = {app["type"] for app in apps}
    assert types == {"PING_ONE_ADMIN_CONSOLE", "PING_ONE_SELF_SERVICE", "PING_ONE_PORTAL", "WORKER"}
    console = next(app for app in apps if app["type"] == "PING_ONE_ADMIN_CONSOLE")
    assert console["tokenEndpointAuthMethod"] == "NONE"
    assert console["pkceEnforcement"] == "OPTIONAL"
    assert console["accessControl"] == {"role": {"type": "ADMIN_USERS_ONLY"}}
    worker = next(app for app in apps if app["type"] == "WORKER")
    assert worker["id"] == worker["clientId"] == WORKER
    assert worker["grantTypes"] == ["CLIENT_CREDENTIALS"]
    assert worker["enabled"] is True
    assert "roleAssignments" in worker["_links"]
    assert _no_nulls(body)


def test_create_applies_server_defaults_and_links(api):
    resp = api.post(APPS, web_app(description=""))
    assert resp.status_code == 201
    app = resp.json
    assert UUID_RE.match(app["id"]) and app["clientId"] == app["id"]
    assert resp.headers["Location"] == f"{BASE}{APPS}/{app['id']}"
    assert app["environment"] == {"id": ENV}
    assert STAMP_RE.match(app["createdAt"]) and STAMP_RE.match(app["updatedAt"])
    for key, value in {"pkceEnforcement": "OPTIONAL", "parRequirement": "OPTIONAL", "parTimeout": 60, "devicePollingInterval": 5,
                       "deviceTimeout": 600, "requestScopesForMultipleResourcesEnabled": False, "assignActorRoles": False}.items():
        assert app[key] == value, key
    assert "description" not in app
    assert "refreshTokenDuration" not in app
    links = app["_links"]
    assert set(links) == {"self", "environment", "attributes", "secret", "grants"}
    assert links["secret"]["href"] == f"{BASE}{APPS}/{app['id']}/secret"
    assert links["environment"]["href"] == f"{BASE}/v1/environments/{ENV}"
    assert _no_nulls(app)
    assert list(app)[:3] == ["_links", "environment", "id"]


def test_create_defaults_enabled_false_worker_access_control_and_refresh(api):
    app = api.create({"name": "W", "type": "WORKER", "protocol": "OPENID_CONNECT", "tokenEndpointAuthMethod": "CLIENT_SECRET_BASIC",
                      "grantTypes": ["CLIENT_CREDENTIALS", "REFRESH_TOKEN"]})
    assert app["enabled"] is False
    assert app["accessControl"] == {"role": {"type": "ADMIN_USERS_ONLY"}}
    assert app["refreshTokenDuration"] == 2592000
    assert app["additionalRefreshTokenReplayProtectionEnabled"] is True
    other = api.create(web_app(grantTypes=["AUTHORIZATION_CODE", "REFRESH_TOKEN"], refreshTokenDuration=3600,
                               additionalRefreshTokenReplayProtectionEnabled=False))
    assert other["refreshTokenDuration"] == 3600
    assert other["additionalRefreshTokenReplayProtectionEnabled"] is False


def test_unknown_and_read_only_properties_are_ignored(api):
    app = api.create(web_app(id="00000000-0000-4000-8000-000000000000", clientId="mine", createdAt="2000-01-01T00:00:00.000Z",
                             bogusProperty=1))
    assert app["id"] != "00000000-0000-4000-8000-000000000000"
    assert app["clientId"] == app["id"]
    assert not app["createdAt"].startswith("2000")
    assert "bogusProperty" not in app


def test_duplicate_names_allowed(api):
    first = api.create(web_app(name="Same"))
    second = api.create(web_app(name="Same"))
    assert first["id"] != second["id"]
    names = [a["name"] for a in api.get(APPS).json["_embedded"]["applications"]]
    assert names.count("Same") == 2


def test_get_put_full_replacement(api):
    app = api.create(web_app(description="d", pkceEnforcement="S256_REQUIRED", postLogoutRedirectUris=["https://app.example.com/out"],
                             parTimeout=120))
    got = api.get(f"{APPS}/{app['id']}")
    assert got.status_code == 200 and got.json == app
    body = web_app(name="Renamed", assignActorRoles=True, id="ignored", createdAt="1999-01-01T00:00:00.000Z", tokenEndpointAuthMethod="CLIENT_SECRET_POST")
    body.pop("enabled")
    resp = api.put(f"{APPS}/{app['id']}", body)
    assert resp.status_code == 200, resp.json
    new = resp.json
    assert new["name"] == "Renamed"
    assert new["id"] == app["id"] and new["createdAt"] == app["createdAt"]
    assert new["enabled"] is False
    assert "description" not in new and "postLogoutRedirectUris" not in new
    assert new["pkceEnforcement"] == "OPTIONAL" and new["parTimeout"] == 60
    assert new["assignActorRoles"] is False
    assert new["tokenEndpointAuthMethod"] == "CLIENT_SECRET_POST"
    assert api.get(f"{APPS}/{app['id']}").json == new


def test_put_cannot_change_type_or_protocol(api):
    app = api.create(web_app())
    resp = api.put(f"{APPS}/{app['id']}", web_app(type="NATIVE_APP"))
    assert resp.status_code == 400
    assert resp.json["code"] == "INVALID_DATA"
    assert [d["target"] for d in resp.json["details"]] == ["type"]
    resp = api.put(f"{APPS}/{app['id']}", {"name": "x", "type": "WEB_APP", "protocol": "SAML"})
    assert resp.status_code == 400
    assert "protocol" in [d["target"] for d in resp.json["details"]]


def test_put_requires_token_endpoint_auth_method(api):
    app = api.create(web_app())
    body = web_app()
    body.pop("tokenEndpointAuthMethod")
    resp = api.put(f"{APPS}/{app['id']}", body)
    assert resp.status_code == 400
    assert resp.json["details"][0] == {"code": "REQUIRED_VALUE", "target": "tokenEndpointAuthMethod",
                                       "message": "tokenEndpointAuthMethod is required.",
                                       "innerError": {"allowedValues": ["NONE", "CLIENT_SECRET_BASIC", "CLIENT_SECRET_POST",
                                                                        "CLIENT_SECRET_JWT", "PRIVATE_KEY_JWT"]}}


def test_delete_then_404(api):
    app = api.create(web_app())
    first = api.delete(f"{APPS}/{app['id']}")
    assert first.status_code == 204 and first.get_data() == b""
    again = api.delete(f"{APPS}/{app['id']}")
    assert again.status_code == 404
    assert again.json["code"] == "NOT_FOUND"
    assert again.json["message"] == "The requested resource was not found."
    assert UUID_RE.match(again.json["id"])
    assert api.get(f"{APPS}/{app['id']}").status_code == 404


def test_system_apps(api):
    apps = api.get(APPS).json["_embedded"]["applications"]
    console = next(app for app in apps if app["type"] == "PING_ONE_ADMIN_CONSOLE")
    portal = next(app for app in apps if app["type"] == "PING_ONE_PORTAL")
    assert api.delete(f"{APPS}/{console['id']}").status_code == 400
    assert api.put(f"{APPS}/{console['id']}", {"name": "x", "type": "PING_ONE_ADMIN_CONSOLE", "protocol": "OPENID_CONNECT"}).status_code == 400
    portal_body = {"type": "PING_ONE_PORTAL", "enabled": False, "applyDefaultTheme": False, "pkceEnforcement": "S256_REQUIRED"}
    resp = api.put(f"{APPS}/{portal['id']}", portal_body)
    assert resp.status_code == 200, resp.json
    assert resp.json["enabled"] is False and resp.json["pkceEnforcement"] == "S256_REQUIRED"
    assert resp.json["name"] == portal["name"]
    missing = api.put(f"{APPS}/{portal['id']}", {"type": "PING_ONE_PORTAL", "enabled": True})
    assert missing.status_code == 400 and missing.json["details"][0]["target"] == "applyDefaultTheme"
    created = api.post(APPS, {"name": "p", "type": "PING_ONE_PORTAL", "protocol": "OPENID_CONNECT", "tokenEndpointAuthMethod": "NONE"})
    assert created.status_code == 400


def test_non_oidc_minimal_support(api):
    app = api.create({"name": "Saml", "type": "WEB_APP", "protocol": "SAML", "enabled": True, "spEntityId": "urn:sp",
                      "acsUrls": ["https://sp.example.com/acs"]})
    assert app["protocol"] == "SAML" and app["spEntityId"] == "urn:sp"
    assert "clientId" not in app and "secret" not in app["_links"]
    assert api.get(f"{APPS}/{app['id']}/secret").status_code == 400


def test_not_found_and_method_errors(api, client):
    unknown_env = api.get(f"/v1/environments/{uuid.uuid4()}/applications")
    assert unknown_env.status_code == 404 and unknown_env.json["code"] == "NOT_FOUND"
    assert api.get(f"{APPS}/{uuid.uuid4()}").status_code == 404
    route = client.get("/v1/nothing-here")
    assert route.status_code == 404 and route.json["code"] == "NOT_FOUND"
    method = api.client.patch(APPS, headers=api.headers(), json={})
    assert method.status_code == 405
    assert set(method.headers["Allow"].split(", ")) >= {"GET", "POST"}
    assert UUID_RE.match(method.json["id"])


def test_content_type_and_malformed_json(api):
    wrong = api.client.post(APPS, headers=api.headers(), data="name=x", content_type="application/x-www-form-urlencoded")
    assert wrong.status_code == 415 and wrong.json["code"] == "INVALID_REQUEST"
    bad = api.client.post(APPS, headers=api.headers(), data="{not json", content_type="application/json")
    assert bad.status_code == 400 and bad.json["code"] == "INVALID_REQUEST"
    array = api.client.post(APPS, headers=api.headers(), data="[]", content_type="application/json")
    assert array.status_code == 400 and array.json["code"] == "INVALID_REQUEST"


def test_forbidden_environment(make_app):
    env_id = str(uuid.uuid4())
    app = make_app(environments=[{"id": env_id, "name": "Locked", "forbidden": True}])
    client = app.test_client()
    from sim_helpers import Api  # pylint: disable=import-outside-toplevel
    api = Api(client)
    for resp in (api.get(f"/v1/environments/{env_id}"), api.get(f"/v1/environments/{env_id}/applications"),
                 api.post(f"/v1/environments/{env_id}/applications", web_app())):
        assert resp.status_code == 403
        assert resp.json["code"] == "ACCESS_FAILED"
        assert resp.json["details"][0]["code"] == "INSUFFICIENT_PERMISSIONS"


def test_paging(make_app):
    from sim_helpers import Api  # pylint: disable=import-outside-toplevel
    api = Api(make_app(page_size=3).test_client())
    for index in range(4):
        api.create(web_app(name=f"app{index}"))
    seen = []
    url = APPS
    pages = 0
    while url:
        resp = api.get(url)
        assert resp.status_code == 200
        assert resp.json["count"] == 8
        assert resp.json["size"] == len(resp.json["_embedded"]["applications"]) <= 3
        seen += [a["id"] for a in resp.json["_embedded"]["applications"]]
        nxt = resp.json["_links"].get("next")
        url = nxt["href"][len(BASE):] if nxt else None
        if nxt:
            assert nxt["href"].startswith(f"{BASE}{APPS}?")
        pages += 1
    assert pages == 3 and len(seen) == len(set(seen)) == 8
    limited = api.get(f"{APPS}?limit=5")
    assert limited.json["size"] == 5
    assert api.get(f"{APPS}?cursor=garbage!").status_code == 400
    assert api.get(f"{APPS}?limit=0").status_code == 400


def test_no_paging_by_default_ignores_limit(api):
    resp = api.get(f"{APPS}?limit=1")
    assert resp.json["size"] == 4 and "next" not in resp.json["_links"]
