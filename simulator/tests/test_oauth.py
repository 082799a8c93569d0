"""Token endpoint, client authentication, assertions, discovery, JWKS and management tokens."""

from __future__ import annotations

import base64
import json
import time
import uuid
from urllib.parse import quote_plus

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from sim_helpers import APPS, BASE, ENV, SECRET, WORKER, Api, basic, web_app
from pingone_sim import oauth

TOKEN_URL = f"/{ENV}/as/token"
ISSUER = f"{BASE}/{ENV}/as"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())


def _jwks(*keys):
    return json.dumps({"keys": list(keys)})


def _rsa_jwk(kid="rsa1"):
    return dict(RSAAlgorithm.to_jwk(RSA_KEY.public_key(), as_dict=True), kid=kid, use="sig")


def _ec_jwk(kid="ec1"):
    return dict(ECAlgorithm.to_jwk(EC_KEY.public_key(), as_dict=True), kid=kid, use="sig")


def _cc_app(api, method, **extra):
    body = {"name": "cc", "type": "WORKER", "protocol": "OPENID_CONNECT", "enabled": True, "grantTypes": ["CLIENT_CREDENTIALS"],
            "tokenEndpointAuthMethod": method}
    body.update(extra)
    return api.create(body)


def _assertion(client_id, key, alg, aud=TOKEN_URL, headers=None, **claims):
    now = int(time.time())
    payload = {"iss": client_id, "sub": client_id, "aud": BASE + aud if isinstance(aud, str) and aud.startswith("/") else aud, "exp": now + 300,
               "iat": now, "jti": str(uuid.uuid4())}
    payload.update(claims)
    payload = {k: v for k, v in payload.items() if v is not None}
    return jwt.encode(payload, key, algorithm=alg, headers=headers)


def _jwt_token(client, assertion, **form):
    data = {"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE, "client_assertion": assertion}
    data.update(form)
    return client.post(TOKEN_URL, data=data)


def _description(resp):
    return resp.json["error_description"]


def test_basic_token_and_claims(client):
    resp = client.post(TOKEN_URL, data={"grant_type": "client_credentials"}, headers=basic(WORKER, SECRET))
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "no-store"
    body = resp.json
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600 and "scope" not in body
    jwks = client.get(f"/{ENV}/as/jwks").json
    key = jwks["keys"][0]
    assert {"kty", "e", "n", "kid", "use", "alg"} <= set(key) and key["alg"] == "RS256" and key["use"] == "sig"
    assert jwt.get_unverified_header(body["access_token"])["kid"] == key["kid"]
    claims = jwt.decode(body["access_token"], RSAAlgorithm.from_jwk(key), algorithms=["RS256"], audience=BASE)
    assert claims["iss"] == ISSUER and claims["client_id"] == claims["sub"] == WORKER and claims["env"] == ENV
    assert claims["exp"] - claims["iat"] == 3600 and claims["jti"]


def test_ungranted_scope_is_refused(client):
    # Only granted scopes of custom resources apply to client_credentials (see test_access.py for granted ones).
    resp = client.post(TOKEN_URL, data={"grant_type": "client_credentials", "scope": "p1:read:user"}, headers=basic(WORKER, SECRET))
    assert resp.status_code == 400 and resp.json["error"] == "invalid_scope" and "p1:read:user" in _description(resp)


def test_wrong_secret_uses_pingone_wording(client):
    resp = client.post(TOKEN_URL, data={"grant_type": "client_credentials"}, headers=basic(WORKER, "wrong"))
    assert resp.status_code == 401
    assert resp.json["error"] == "invalid_client"
    assert _description(resp).startswith("Request denied: Unsupported authentication method (Correlation ID: ")
    assert resp.headers["WWW-Authenticate"].startswith("Basic")
    unknown = client.post(TOKEN_URL, data={"grant_type": "client_credentials"}, headers=basic(str(uuid.uuid4()), SECRET))
    assert unknown.status_code == 401 and _description(unknown).startswith("Request denied: Unsupported authentication method")
    assert "wrong" not in resp.get_data(as_text=True)


def test_method_must_match(client, api):
    post = client.post(TOKEN_URL, data={"grant_type": "client_credentials", "client_id": WORKER, "client_secret": SECRET})
    assert post.status_code == 401 and "CLIENT_SECRET_BASIC" in _description(post)
    assert "WWW-Authenticate" not in post.headers
    app = _cc_app(api, "CLIENT_SECRET_POST")
    secret = api.secret(app["id"])
    ok = client.post(TOKEN_URL, data={"grant_type": "client_credentials", "client_id": app["id"], "client_secret": secret})
    assert ok.status_code == 200
    as_basic = client.post(TOKEN_URL, data={"grant_type": "client_credentials"}, headers=basic(app["id"], secret))
    assert as_basic.status_code == 401


def test_basic_credentials_are_form_urlencoded(make_app):
    env_id, client_id, secret = str(uuid.uuid4()), str(uuid.uuid4()), "s3cret+with:odd%chars/and spaces"
    client = make_app(workers=[{"environment_id": env_id, "client_id": client_id, "client_secret": secret,
                                "token_endpoint_auth_method": "CLIENT_SECRET_BASIC"}]).test_client()
    encoded = base64.b64encode(f"{quote_plus(client_id)}:{quote_plus(secret)}".encode()).decode()
    resp = client.post(f"/{env_id}/as/token", data={"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {encoded}"})
    assert resp.status_code == 200, resp.json


def test_form_encoding_required_and_grant_checks(client, api):
    as_json = client.post(TOKEN_URL, json={"grant_type": "client_credentials"}, headers=basic(WORKER, SECRET))
    assert as_json.status_code == 400 and as_json.json["error"] == "invalid_request"
    missing = client.post(TOKEN_URL, data={}, headers=basic(WORKER, SECRET))
    assert missing.status_code == 400 and missing.json["error"] == "invalid_request"
    other = client.post(TOKEN_URL, data={"grant_type": "password"}, headers=basic(WORKER, SECRET))
    assert other.status_code == 400 and other.json["error"] == "unsupported_grant_type"
    web = api.create(web_app())
    no_cc = client.post(TOKEN_URL, data={"grant_type": "client_credentials"}, headers=basic(web["id"], api.secret(web["id"])))
    assert no_cc.status_code == 400 and no_cc.json["error"] == "unauthorized_client"
    both = client.post(TOKEN_URL, data={"grant_type": "client_credentials", "client_secret": SECRET}, headers=basic(WORKER, SECRET))
    assert both.status_code == 400 and both.json["error"] == "invalid_request"
    assert client.get(TOKEN_URL).status_code == 405


def test_none_and_disabled_clients(client, api):
    spa = api.create(web_app(type="SINGLE_PAGE_APP", tokenEndpointAuthMethod="NONE", grantTypes=["AUTHORIZATION_CODE", "CLIENT_CREDENTIALS"]))
    resp = client.post(TOKEN_URL, data={"grant_type": "client_credentials", "client_id": spa["id"]})
    assert resp.status_code == 401 and resp.json["error"] == "invalid_client"
    disabled = _cc_app(api, "CLIENT_SECRET_BASIC", enabled=False)
    resp = client.post(TOKEN_URL, data={"grant_type": "client_credentials"}, headers=basic(disabled["id"], api.secret(disabled["id"])))
    assert resp.status_code == 401 and "disabled" in _description(resp)


def test_client_secret_jwt(client, api):
    app = _cc_app(api, "CLIENT_SECRET_JWT")
    secret = api.secret(app["id"]).encode()
    for alg in ("HS256", "HS384", "HS512"):
        resp = _jwt_token(client, _assertion(app["id"], secret, alg))
        assert resp.status_code == 200, resp.json
    for aud in (ISSUER, [f"{BASE}/other", ISSUER + "/token"]):
        assert _jwt_token(client, _assertion(app["id"], secret, "HS256", aud=aud)).status_code == 200


def test_client_secret_jwt_accepts_unexpired_previous_secret(client, api):
    app = _cc_app(api, "CLIENT_SECRET_JWT")
    old = api.secret(app["id"]).encode()
    assert api.post(f"{APPS}/{app['id']}/secret", {"previous": {"expiresAt": "2999-01-01T00:00:00Z"}}).status_code == 400
    assert api.post(f"{APPS}/{app['id']}/secret").status_code == 200
    resp = api.post(f"{APPS}/{app['id']}/secret", {"previous": {"expiresAt": _in(600)}})
    assert resp.status_code == 200
    fresh = resp.json["secret"].encode()
    previous = resp.json["previous"]["secret"].encode()
    assert previous != old
    assert _jwt_token(client, _assertion(app["id"], previous, "HS256")).status_code == 200
    assert _jwt_token(client, _assertion(app["id"], fresh, "HS256")).status_code == 200
    assert _jwt_token(client, _assertion(app["id"], old, "HS256")).status_code == 401


def _in(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + seconds))


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"])
def test_private_key_jwt_rsa(client, api, alg):
    app = _cc_app(api, "PRIVATE_KEY_JWT", jwks=_jwks(_rsa_jwk()))
    resp = _jwt_token(client, _assertion(app["id"], RSA_KEY, alg, headers={"kid": "rsa1"}))
    assert resp.status_code == 200, resp.json


def test_private_key_jwt_ec_without_kid(client, api):
    app = _cc_app(api, "PRIVATE_KEY_JWT", jwks=_jwks(_rsa_jwk(), _ec_jwk()))
    assert _jwt_token(client, _assertion(app["id"], EC_KEY, "ES256")).status_code == 200


def test_private_key_jwt_jwks_url(client, api, monkeypatch):
    calls = []

    def fake_fetch(url):
        calls.append(url)
        return [_rsa_jwk()]
    monkeypatch.setattr(oauth, "fetch_jwks", fake_fetch)
    app = _cc_app(api, "PRIVATE_KEY_JWT", jwksUrl="https://keys.example.com/jwks.json")
    assert _jwt_token(client, _assertion(app["id"], RSA_KEY, "RS256")).status_code == 200
    assert calls == ["https://keys.example.com/jwks.json"]


def test_fetch_jwks_refuses_http():
    with pytest.raises(ValueError, match="https"):
        oauth.fetch_jwks("http://keys.example.com/jwks")


ASSERTION_FAILURES = [
    ("wrong type", {"form": {"client_assertion_type": "urn:other"}}, "client_assertion_type"),
    ("alg none", {"none": True}, "alg none"),
    ("hmac for pkjwt", {"hmac": True}, "not allowed for PRIVATE_KEY_JWT"),
    ("iss != sub", {"claims": {"sub": "someone-else"}}, "iss and sub"),
    ("no sub", {"claims": {"sub": None}}, "iss and sub"),
    ("bad aud", {"claims": {"aud": "https://elsewhere.example.com/token"}}, "aud must contain"),
    ("expired", {"claims": {"exp": int(time.time()) - 120}}, "expired"),
    ("too far", {"claims": {"exp": int(time.time()) + 7200}}, "more than one hour"),
    ("no exp", {"claims": {"exp": None}}, "exp is required"),
    ("nbf future", {"claims": {"nbf": int(time.time()) + 600}}, "nbf"),
    ("no jti", {"claims": {"jti": None}}, "jti is required"),
    ("kid unknown", {"headers": {"kid": "nope"}}, "kid 'nope'"),
    ("wrong key", {"other_key": True}, "signature does not verify"),
    ("garbage", {"raw": "not.a.jwt"}, "well-formed"),
    ("client_id mismatch", {"form": {"client_id": "someone"}}, "client_id does not match"),
]


@pytest.mark.parametrize("case,spec,expected", ASSERTION_FAILURES, ids=[c[0] for c in ASSERTION_FAILURES])
def test_private_key_jwt_failures(client, api, case, spec, expected):  # pylint: disable=unused-argument
    app = _cc_app(api, "PRIVATE_KEY_JWT", jwks=_jwks(_rsa_jwk()))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048) if spec.get("other_key") else RSA_KEY
    if spec.get("none"):
        token = _assertion(app["id"], None, "none", **spec.get("claims", {}))
    elif spec.get("hmac"):
        token = _assertion(app["id"], b"x" * 64, "HS256")
    elif spec.get("raw"):
        token = spec["raw"]
    else:
        token = _assertion(app["id"], key, "RS256", headers=spec.get("headers"), **spec.get("claims", {}))
    resp = _jwt_token(client, token, **spec.get("form", {}))
    assert resp.status_code == 401, resp.json
    assert resp.json["error"] == "invalid_client"
    assert expected in _description(resp)
    assert token not in resp.get_data(as_text=True)


def test_jti_replay_rejected(client, api):
    app = _cc_app(api, "PRIVATE_KEY_JWT", jwks=_jwks(_rsa_jwk()))
    token = _assertion(app["id"], RSA_KEY, "RS256")
    assert _jwt_token(client, token).status_code == 200
    again = _jwt_token(client, token)
    assert again.status_code == 401 and "jti already used" in _description(again)


def test_assertion_method_mismatch(client, api):
    app = _cc_app(api, "CLIENT_SECRET_BASIC")
    resp = _jwt_token(client, _assertion(app["id"], api.secret(app["id"]).encode(), "HS256"))
    assert resp.status_code == 401 and "Unsupported authentication method" in _description(resp)


def test_discovery(client):
    doc = client.get(f"/{ENV}/as/.well-known/openid-configuration").json
    assert doc["issuer"] == ISSUER
    assert doc["token_endpoint"] == f"{ISSUER}/token"
    assert doc["pushed_authorization_request_endpoint"] == f"{ISSUER}/par"
    assert doc["jwks_uri"] == f"{ISSUER}/jwks"
    assert doc["token_endpoint_auth_methods_supported"] == ["client_secret_basic", "client_secret_post", "client_secret_jwt",
                                                            "private_key_jwt", "none"]
    assert doc["code_challenge_methods_supported"] == ["plain", "S256"]
    assert doc["require_pushed_authorization_requests"] is False
    assert client.get(f"/{uuid.uuid4()}/as/.well-known/openid-configuration").status_code == 404


def test_public_url_used_for_issuer_and_links(make_app):
    client = make_app(public_url="https://sim.example.test").test_client()
    doc = client.get(f"/{ENV}/as/.well-known/openid-configuration").json
    assert doc["issuer"] == f"https://sim.example.test/{ENV}/as"
    api = Api(client)
    assert api.get(APPS).json["_links"]["self"]["href"] == f"https://sim.example.test{APPS}"


def test_management_requires_valid_worker_token(client, api):
    missing = client.get(APPS)
    assert missing.status_code == 401
    assert missing.json["code"] == "ACCESS_FAILED"
    assert missing.json["message"] == "The request could not be completed. You do not have access to this resource."
    assert missing.json["details"][0]["code"] == "INVALID_TOKEN"
    assert client.get(APPS, headers={"Authorization": "Bearer garbage"}).status_code == 401
    forged = jwt.encode({"env": ENV, "client_id": WORKER}, RSA_KEY, algorithm="RS256")
    assert client.get(APPS, headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    assert api.get(APPS).status_code == 200


def test_expired_and_revoked_tokens(client, api):
    assert api.get(APPS).status_code == 200
    client.post("/_sim/clock", json={"offset": 3601})
    expired = api.get(APPS)
    assert expired.status_code == 401 and "expired" in expired.json["details"][0]["message"]
    client.post("/_sim/clock", json={"offset": 0})
    assert api.get(APPS).status_code == 200
    assert client.post("/_sim/tokens/revoke").json["revoked"] >= 1
    revoked = api.get(APPS)
    assert revoked.status_code == 401 and "revoked" in revoked.json["details"][0]["message"]
    fresh = Api(client)
    assert fresh.get(APPS).status_code == 200


def test_non_worker_token_forbidden_and_disabled_worker(client, api):
    custom = _cc_app(api, "CLIENT_SECRET_BASIC", type="CUSTOM_APP")
    token = client.post(TOKEN_URL, data={"grant_type": "client_credentials"}, headers=basic(custom["id"], api.secret(custom["id"]))).json
    resp = client.get(APPS, headers={"Authorization": f"Bearer {token['access_token']}"})
    assert resp.status_code == 403 and resp.json["code"] == "ACCESS_FAILED"
    worker = _cc_app(api, "CLIENT_SECRET_BASIC")
    other = Api.__new__(Api)
    other.client = client
    other.token = client.post(TOKEN_URL, data={"grant_type": "client_credentials"}, headers=basic(worker["id"], api.secret(worker["id"]))).json["access_token"]
    assert other.get(APPS).status_code == 200
    body = {k: v for k, v in worker.items() if k not in ("_links", "environment")}
    body["enabled"] = False
    assert api.put(f"{APPS}/{worker['id']}", body).status_code == 200
    assert other.get(APPS).status_code == 401
