"""Pushed authorization requests (RFC 9126) and the simulator's minimal authorize."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest

from sim_helpers import BASE, ENV, SECRET, WORKER, basic, web_app

PAR_URL = f"/{ENV}/as/par"
REDIRECT = "https://app.example.com/cb"
CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def _par(client, data, headers=None):
    return client.post(PAR_URL, data=data, headers=headers or {})


def _post_app(api, **extra):
    app = api.create(web_app(tokenEndpointAuthMethod="CLIENT_SECRET_POST", **extra))
    return app, api.secret(app["id"])


def _form(app_id, secret, **extra):
    data = {"client_id": app_id, "client_secret": secret, "response_type": "code", "redirect_uri": REDIRECT, "scope": "openid",
            "state": "xyz"}
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def test_par_client_secret_post(client, api):
    app, secret = _post_app(api, parTimeout=90)
    resp = _par(client, _form(app["id"], secret))
    assert resp.status_code == 201, resp.json
    assert resp.json["request_uri"].startswith("urn:ietf:params:oauth:request_uri:")
    uuid.UUID(resp.json["request_uri"].rsplit(":", 1)[1])
    assert resp.json["expires_in"] == 90


def test_par_basic_and_client_secret_jwt(client, api):
    app = api.create(web_app())
    secret = api.secret(app["id"])
    data = {"response_type": "code", "redirect_uri": REDIRECT}
    assert _par(client, data, basic(app["id"], secret)).status_code == 201
    jwt_app = api.create(web_app(tokenEndpointAuthMethod="CLIENT_SECRET_JWT"))
    now = int(time.time())
    for aud in (f"{BASE}/{ENV}/as/par", f"{BASE}/{ENV}/as/token", f"{BASE}/{ENV}/as"):
        assertion = jwt.encode({"iss": jwt_app["id"], "sub": jwt_app["id"], "aud": aud, "exp": now + 60, "jti": str(uuid.uuid4())},
                               api.secret(jwt_app["id"]).encode(), algorithm="HS256")
        resp = _par(client, dict(data, client_assertion_type=ASSERTION_TYPE, client_assertion=assertion))
        assert resp.status_code == 201, resp.json


def test_par_public_client_with_pkce(client, api):
    spa = api.create(web_app(type="SINGLE_PAGE_APP", tokenEndpointAuthMethod="NONE", pkceEnforcement="S256_REQUIRED"))
    base = {"client_id": spa["id"], "response_type": "code", "redirect_uri": REDIRECT}
    missing = _par(client, base)
    assert missing.status_code == 400 and missing.json["error"] == "invalid_request"
    plain = _par(client, dict(base, code_challenge=CHALLENGE))
    assert plain.status_code == 400 and "S256" in plain.json["error_description"]
    assert _par(client, dict(base, code_challenge=CHALLENGE, code_challenge_method="S256")).status_code == 201


def test_pkce_required_and_format(client, api):
    app, secret = _post_app(api, pkceEnforcement="REQUIRED")
    assert _par(client, _form(app["id"], secret)).status_code == 400
    assert _par(client, _form(app["id"], secret, code_challenge=CHALLENGE)).status_code == 201
    short = _par(client, _form(app["id"], secret, code_challenge="short", code_challenge_method="S256"))
    assert short.status_code == 400 and "43-128" in short.json["error_description"]
    method_only = _par(client, _form(app["id"], secret, code_challenge_method="S256"))
    assert method_only.status_code == 400


@pytest.mark.parametrize("change,error,fragment", [
    ({"redirect_uri": "https://evil.example.com/cb"}, "invalid_request", "redirect_uri not registered"),
    ({"redirect_uri": None}, "invalid_request", "redirect_uri is required"),
    ({"response_type": None}, "invalid_request", "response_type is required"),
    ({"response_type": "token"}, "unauthorized_client", "not allowed"),
    ({"response_type": "banana"}, "unsupported_response_type", "not supported"),
    ({"request_uri": "urn:ietf:params:oauth:request_uri:x"}, "invalid_request", "request_uri"),
])
def test_par_request_errors(client, api, change, error, fragment):
    app, secret = _post_app(api)
    resp = _par(client, _form(app["id"], secret, **change))
    assert resp.status_code == 400, resp.json
    assert resp.json["error"] == error
    assert fragment in resp.json["error_description"]
    assert "(Correlation ID: " in resp.json["error_description"]


def test_par_client_auth_errors(client, api):
    app, secret = _post_app(api)
    wrong = _par(client, _form(app["id"], "nope"))
    assert wrong.status_code == 401 and wrong.json["error"] == "invalid_client"
    wrong_method = _par(client, {"response_type": "code", "redirect_uri": REDIRECT}, basic(app["id"], secret))
    assert wrong_method.status_code == 401
    basic_app = api.create(web_app())
    mismatch = _par(client, {"client_id": app["id"], "response_type": "code", "redirect_uri": REDIRECT},
                    basic(basic_app["id"], api.secret(basic_app["id"])))
    assert mismatch.status_code == 400 and "client_id does not match" in mismatch.json["error_description"]
    disabled, disabled_secret = _post_app(api, enabled=False)
    assert _par(client, _form(disabled["id"], disabled_secret)).status_code == 401
    assert client.post(PAR_URL, json=_form(app["id"], secret)).status_code == 400


def test_client_credentials_only_worker_cannot_par(client):
    resp = _par(client, {"response_type": "code", "redirect_uri": REDIRECT}, basic(WORKER, SECRET))
    assert resp.status_code == 400
    assert resp.json["error"] == "unauthorized_client"
    assert "client credentials only" in resp.json["error_description"]


def test_wildcard_redirect_matching(client, api):
    app, secret = _post_app(api, redirectUris=["https://*.example.com/cb"], allowWildcardInRedirectUris=True)
    assert _par(client, _form(app["id"], secret, redirect_uri="https://tenant1.example.com/cb")).status_code == 201
    assert _par(client, _form(app["id"], secret, redirect_uri="https://evil.com/x.example.com/cb")).status_code == 400


def test_implicit_response_types(client, api):
    app, secret = _post_app(api, grantTypes=["IMPLICIT"], responseTypes=["TOKEN", "ID_TOKEN"])
    assert _par(client, _form(app["id"], secret, response_type="id_token token")).status_code == 201
    assert _par(client, _form(app["id"], secret, response_type="code")).status_code == 400


def test_request_uri_single_use_via_authorize(client, api):
    app, secret = _post_app(api)
    uri = _par(client, _form(app["id"], secret, nonce="n1")).json["request_uri"]
    first = client.get(f"/{ENV}/as/authorize", query_string={"client_id": app["id"], "request_uri": uri})
    assert first.status_code == 200
    assert first.json["parameters"]["nonce"] == "n1"
    assert "client_secret" not in first.json["parameters"]
    second = client.get(f"/{ENV}/as/authorize", query_string={"client_id": app["id"], "request_uri": uri})
    assert second.status_code == 400 and second.json["error"] == "invalid_request_uri"


def test_request_uri_expires(client, api):
    app, secret = _post_app(api, parTimeout=5)
    uri = _par(client, _form(app["id"], secret)).json["request_uri"]
    client.post("/_sim/clock", json={"offset": 10})
    resp = client.get(f"/{ENV}/as/authorize", query_string={"client_id": app["id"], "request_uri": uri})
    assert resp.status_code == 400


def test_authorize_without_request_uri_when_par_required(client, api):
    app, _secret = _post_app(api, parRequirement="REQUIRED")
    resp = client.get(f"/{ENV}/as/authorize", query_string={"client_id": app["id"], "response_type": "code"})
    assert resp.status_code == 400 and "parRequirement" in resp.json["error_description"]
