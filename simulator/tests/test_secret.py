"""Application secret: read, rotate with/without a grace period, revoke the previous one."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from sim_helpers import APPS, BASE, ENV, WORKER, basic, web_app

SECRET_RE = re.compile(r"^[A-Za-z0-9._~-]{64,}$")


def _stamp(delta: timedelta) -> str:
    return (datetime.now(timezone.utc) + delta).isoformat()


def _worker(api, **extra):
    body = {"name": "w", "type": "WORKER", "protocol": "OPENID_CONNECT", "enabled": True, "grantTypes": ["CLIENT_CREDENTIALS"],
            "tokenEndpointAuthMethod": "CLIENT_SECRET_BASIC"}
    body.update(extra)
    return api.create(body)


def _token_status(client, app_id, secret):
    return client.post(f"/{ENV}/as/token", data={"grant_type": "client_credentials"}, headers=basic(app_id, secret)).status_code


def test_get_secret_shape(api):
    app = api.create(web_app())
    resp = api.get(f"{APPS}/{app['id']}/secret")
    assert resp.status_code == 200
    body = resp.json
    assert SECRET_RE.match(body["secret"])
    assert body["environment"] == {"id": ENV}
    assert body["_links"]["self"]["href"] == f"{BASE}{APPS}/{app['id']}/secret"
    assert body["_links"]["application"]["href"] == f"{BASE}{APPS}/{app['id']}"
    assert "previous" not in body


def test_rotate_without_body_expires_previous_immediately(api, client):
    app = _worker(api)
    old = api.secret(app["id"])
    resp = api.post(f"{APPS}/{app['id']}/secret")
    assert resp.status_code == 200
    new = resp.json["secret"]
    assert new != old and SECRET_RE.match(new)
    assert "previous" not in resp.json
    assert _token_status(client, app["id"], old) == 401
    assert _token_status(client, app["id"], new) == 200


def test_rotate_with_grace_period_then_revoke(api, client):
    app = _worker(api)
    old = api.secret(app["id"])
    resp = api.post(f"{APPS}/{app['id']}/secret", {"previous": {"expiresAt": _stamp(timedelta(hours=1))}})
    assert resp.status_code == 200
    assert resp.json["previous"]["secret"] == old
    assert resp.json["previous"]["expiresAt"].endswith("Z")
    assert "lastUsed" not in resp.json["previous"]
    assert _token_status(client, app["id"], old) == 200
    assert "lastUsed" in api.get(f"{APPS}/{app['id']}/secret").json["previous"]
    assert _token_status(client, app["id"], resp.json["secret"]) == 200
    assert api.delete(f"{APPS}/{app['id']}/secret").status_code == 204
    assert "previous" not in api.get(f"{APPS}/{app['id']}/secret").json
    assert _token_status(client, app["id"], old) == 401


def test_previous_expires_with_clock(api, client):
    app = _worker(api)
    old = api.secret(app["id"])
    api.post(f"{APPS}/{app['id']}/secret", {"previous": {"expiresAt": _stamp(timedelta(minutes=5))}})
    assert _token_status(client, app["id"], old) == 200
    client.post("/_sim/clock", json={"offset": 600})
    api.token = api.client.post(f"/{ENV}/as/token", data={"grant_type": "client_credentials"},
                                headers=basic(WORKER, "sim-default-worker-secret.local-test-fixture~0123456789abcdefghijklmnopqrstuvwxyz")).json["access_token"]
    assert _token_status(client, app["id"], old) == 401
    assert "previous" not in api.get(f"{APPS}/{app['id']}/secret").json


def test_rotate_window_limits(api):
    app = api.create(web_app())
    for delta in (timedelta(seconds=10), timedelta(days=31), timedelta(minutes=-5)):
        resp = api.post(f"{APPS}/{app['id']}/secret", {"previous": {"expiresAt": _stamp(delta)}})
        assert resp.status_code == 400
        assert resp.json["code"] == "INVALID_DATA"
        assert resp.json["details"][0]["code"] == "OUT_OF_RANGE"
        assert resp.json["details"][0]["target"] == "previous.expiresAt"
    bad = api.post(f"{APPS}/{app['id']}/secret", {"previous": {"expiresAt": "tomorrow"}})
    assert bad.status_code == 400 and bad.json["details"][0]["code"] == "INVALID_VALUE"
    ok = api.post(f"{APPS}/{app['id']}/secret", {"previous": {"expiresAt": _stamp(timedelta(days=29))}})
    assert ok.status_code == 200


def test_worker_cannot_read_or_rotate_own_secret(api):
    for resp in (api.get(f"{APPS}/{WORKER}/secret"), api.post(f"{APPS}/{WORKER}/secret")):
        assert resp.status_code == 403
        assert resp.json["code"] == "ACCESS_FAILED"
        assert resp.json["details"][0]["message"] == "The actor attempting to perform the request is not authorized."


def test_secret_of_unknown_app(api):
    assert api.get(f"{APPS}/00000000-0000-4000-8000-000000000000/secret").status_code == 404
