"""Pushed authorization requests (RFC 9126) and the simulator's minimal authorize."""

from __future__ import annotations

import json
import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

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


# ----- typed authorization parameters ------------------------------------------------------------
def _stored(client, app_id, uri):
    resp = client.get(f"/{ENV}/as/authorize", query_string={"client_id": app_id, "request_uri": uri})
    assert resp.status_code == 200, resp.json
    return resp.json["parameters"]


def test_typed_parameters_are_accepted_and_stored(client, api):
    app, secret = _post_app(api)
    typed = {"prompt": "login consent", "response_mode": "form_post", "max_age": "0", "acr_values": "Single_Factor Multi_Factor",
             "login_hint": "someone@example.com"}
    resp = _par(client, _form(app["id"], secret, **typed))
    assert resp.status_code == 201, resp.json
    stored = _stored(client, app["id"], resp.json["request_uri"])
    assert {key: stored[key] for key in typed} == typed


@pytest.mark.parametrize("mode", ["query", "fragment", "form_post", "pi.flow"])
def test_every_response_mode_pingone_documents(client, api, mode):
    app, secret = _post_app(api)
    assert _par(client, _form(app["id"], secret, response_mode=mode)).status_code == 201


@pytest.mark.parametrize("change,fragment", [
    ({"prompt": "banana"}, "Invalid prompt value 'banana'"),
    ({"prompt": "login select_account"}, "Invalid prompt value 'select_account'"),
    ({"prompt": ""}, "Invalid prompt value ''"),
    ({"prompt": "none login"}, "none cannot be combined"),
    ({"response_mode": "jwt"}, "Unsupported response_mode 'jwt'"),
    ({"max_age": "-1"}, "max_age must be a non-negative integer"),
    ({"max_age": "ten"}, "max_age must be a non-negative integer"),
])
def test_invalid_typed_parameters(client, api, change, fragment):
    app, secret = _post_app(api)
    resp = _par(client, _form(app["id"], secret, **change))
    assert resp.status_code == 400, resp.json
    assert resp.json["error"] == "invalid_request"
    assert fragment in resp.json["error_description"]


def test_tokens_are_never_returned_in_the_query(client, api):
    app, secret = _post_app(api, grantTypes=["IMPLICIT"], responseTypes=["TOKEN", "ID_TOKEN"])
    resp = _par(client, _form(app["id"], secret, response_type="id_token", response_mode="query"))
    assert resp.status_code == 400 and "response_mode query" in resp.json["error_description"]
    assert _par(client, _form(app["id"], secret, response_type="id_token", response_mode="fragment")).status_code == 201


# ----- request objects (RFC 9101) ----------------------------------------------------------------
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())
ISSUER = f"{BASE}/{ENV}/as"


def _jwks_app(api, **extra):
    keys = [dict(RSAAlgorithm.to_jwk(RSA_KEY.public_key(), as_dict=True), kid="rsa1", use="sig"),
            dict(ECAlgorithm.to_jwk(EC_KEY.public_key(), as_dict=True), kid="ec1", use="sig")]
    return api.create(web_app(tokenEndpointAuthMethod="PRIVATE_KEY_JWT", jwks=json.dumps({"keys": keys}), **extra))


def _request_object(app_id, key, alg="HS256", headers=None, **claims):
    now = int(time.time())
    payload = {"iss": app_id, "aud": ISSUER, "client_id": app_id, "response_type": "code", "redirect_uri": REDIRECT,
               "scope": "openid", "iat": now, "nbf": now, "exp": now + 60, "jti": str(uuid.uuid4())}
    payload.update(claims)
    payload = {k: v for k, v in payload.items() if v is not None}
    return jwt.encode(payload, key, algorithm=alg, headers=dict({"typ": "oauth-authz-req+jwt"}, **(headers or {})))


def _assertion(app_id, key, alg):
    now = int(time.time())
    return jwt.encode({"iss": app_id, "sub": app_id, "aud": ISSUER, "exp": now + 60, "jti": str(uuid.uuid4())}, key, algorithm=alg,
                      headers={"kid": "rsa1"})


def test_signed_request_object_with_the_client_secret(client, api):
    app, secret = _post_app(api, requireSignedRequestObject=True)
    token = _request_object(app["id"], secret.encode(), login_hint="only-in-the-jwt", max_age=60)
    resp = _par(client, _form(app["id"], secret, request=token, max_age="60"))
    assert resp.status_code == 201, resp.json
    stored = _stored(client, app["id"], resp.json["request_uri"])
    assert stored["login_hint"] == "only-in-the-jwt" and stored["max_age"] == "60"
    assert "request" not in stored and "iss" not in stored and "client_secret" not in stored


@pytest.mark.parametrize("key, alg, kid", [(RSA_KEY, "RS256", "rsa1"), (RSA_KEY, "PS256", None), (EC_KEY, "ES256", "ec1")])
def test_signed_request_object_with_a_registered_key(client, api, key, alg, kid):
    app = _jwks_app(api, requireSignedRequestObject=True)
    token = _request_object(app["id"], key, alg, headers={"kid": kid} if kid else None, prompt="login")
    data = {"response_type": "code", "redirect_uri": REDIRECT, "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": _assertion(app["id"], RSA_KEY, "RS256"), "request": token}
    resp = _par(client, data)
    assert resp.status_code == 201, resp.json
    assert _stored(client, app["id"], resp.json["request_uri"])["prompt"] == "login"


def test_a_request_object_alone_carries_every_parameter(client, api):
    app, secret = _post_app(api)
    token = _request_object(app["id"], secret.encode(), state="s1")
    resp = _par(client, {"client_id": app["id"], "client_secret": secret, "request": token})
    assert resp.status_code == 201, resp.json
    assert _stored(client, app["id"], resp.json["request_uri"])["state"] == "s1"


def test_a_missing_request_object_is_refused_when_required(client, api):
    app, secret = _post_app(api, requireSignedRequestObject=True)
    resp = _par(client, _form(app["id"], secret))
    assert resp.status_code == 400 and resp.json["error"] == "invalid_request"
    assert "requireSignedRequestObject is true" in resp.json["error_description"]


def test_unsigned_request_objects_only_when_the_application_allows_them(client, api):
    def unsigned(app_id):
        return _request_object(app_id, None, "none")
    default, default_secret = _post_app(api)
    required, required_secret = _post_app(api, requireSignedRequestObject=True)
    allowed, allowed_secret = _post_app(api, supportUnsignedRequestObject=True)
    for app, secret in ((default, default_secret), (required, required_secret)):
        resp = _par(client, _form(app["id"], secret, request=unsigned(app["id"])))
        assert resp.status_code == 400 and resp.json["error"] == "invalid_request_object"
        assert "not signed" in resp.json["error_description"]
    assert _par(client, _form(allowed["id"], allowed_secret, request=unsigned(allowed["id"]))).status_code == 201


def _bad_claims(app_id):
    now = int(time.time())
    return [
        ({"iss": "someone-else"}, "iss must be the client ID"),
        ({"iss": None}, "iss must be the client ID"),
        ({"aud": "https://elsewhere.example.com/as"}, "aud must be the issuer"),
        ({"aud": None}, "aud must be the issuer"),
        ({"exp": now - 120}, "exp is in the past"),
        ({"exp": "tomorrow"}, "exp must be a NumericDate"),
        ({"nbf": now + 600}, "nbf is in the future"),
        ({"client_id": "someone-else"}, "client_id does not match"),
        ({"request_uri": "urn:x"}, "must not contain request or request_uri"),
        ({"iss": app_id, "aud": [ISSUER, "https://other.example.com"]}, None),
    ]


@pytest.mark.parametrize("case", range(10))
def test_request_object_claims(client, api, case):
    app, secret = _post_app(api)
    claims, fragment = _bad_claims(app["id"])[case]
    resp = _par(client, _form(app["id"], secret, request=_request_object(app["id"], secret.encode(), **claims)))
    if fragment is None:
        assert resp.status_code == 201, resp.json
        return
    assert resp.status_code == 400 and resp.json["error"] == "invalid_request_object", resp.json
    assert fragment in resp.json["error_description"]


@pytest.mark.parametrize("token_of, fragment", [
    (lambda app, secret: "not-a-jwt", "not a well-formed JWT"),
    (lambda app, secret: _request_object(app["id"], b"another-secret-of-enough-length-0123456789"), "does not verify with the application's client secret"),
    (lambda app, secret: _request_object(app["id"], secret.encode(), headers={"typ": "at+jwt"}), "typ 'at+jwt' is not accepted"),
    (lambda app, secret: _request_object(app["id"], RSA_KEY, "RS256"), "neither jwks nor jwksUrl"),
])
def test_request_object_signatures(client, api, token_of, fragment):
    app, secret = _post_app(api)
    resp = _par(client, _form(app["id"], secret, request=token_of(app, secret)))
    assert resp.status_code == 400 and resp.json["error"] == "invalid_request_object", resp.json
    assert fragment in resp.json["error_description"]


def test_a_request_object_from_another_key_is_refused(client, api):
    app = _jwks_app(api)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    data = {"response_type": "code", "redirect_uri": REDIRECT, "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": _assertion(app["id"], RSA_KEY, "RS256"),
            "request": _request_object(app["id"], other, "RS256", headers={"kid": "rsa1"})}
    resp = _par(client, data)
    assert resp.status_code == 400 and "signature does not verify with the application's JWKS" in resp.json["error_description"]


def test_duplicates_in_form_and_request_object_must_agree(client, api):
    app, secret = _post_app(api)
    token = _request_object(app["id"], secret.encode(), prompt="consent", state="a")
    resp = _par(client, _form(app["id"], secret, request=token, prompt="login", state="b"))
    assert resp.status_code == 400 and resp.json["error"] == "invalid_request"
    assert "prompt, state differ between the request object and the form parameters" in resp.json["error_description"]
    assert _par(client, _form(app["id"], secret, request=token, prompt="consent", state="a")).status_code == 201


def test_parameters_inside_the_request_object_are_validated(client, api):
    app, secret = _post_app(api)
    resp = _par(client, _form(app["id"], secret, request=_request_object(app["id"], secret.encode(), prompt="banana")))
    assert resp.status_code == 400 and "Invalid prompt value 'banana'" in resp.json["error_description"]
    token = _request_object(app["id"], secret.encode(), redirect_uri="https://evil.example.com/")
    resp = _par(client, {"client_id": app["id"], "client_secret": secret, "request": token})
    assert resp.status_code == 400 and "redirect_uri not registered" in resp.json["error_description"]
