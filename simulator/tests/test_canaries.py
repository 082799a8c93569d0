"""GET /_sim/canaries: the secret values a leak test must not find in logs."""

from __future__ import annotations

import json
import time
import uuid

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from sim_helpers import APPS, BASE, ENV, SECRET, WORKER, basic, get_token, web_app
from pingone_sim.app import create_app
from pingone_sim.config import SimConfig

TOKEN_URL = f"/{ENV}/as/token"
PAR_URL = f"/{ENV}/as/par"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
REDIRECT = "https://app.example.com/cb"
WRONG = "definitely-not-the-secret-0123456789"


def _canaries(client):
    resp = client.get("/_sim/canaries")
    assert resp.status_code == 200
    assert set(resp.json) == {"client_secrets", "access_tokens", "client_assertions"}
    return resp.json


def _assertion(client_id, key, alg="HS256", aud=TOKEN_URL, **headers):
    now = int(time.time())
    claims = {"iss": client_id, "sub": client_id, "aud": BASE + aud, "exp": now + 300, "iat": now, "jti": str(uuid.uuid4())}
    return jwt.encode(claims, key, algorithm=alg, headers=headers or None)


def _cc_app(api, method, **extra):
    body = {"name": "cc", "type": "WORKER", "protocol": "OPENID_CONNECT", "enabled": True, "grantTypes": ["CLIENT_CREDENTIALS"],
            "tokenEndpointAuthMethod": method}
    body.update(extra)
    return api.create(body)


def test_bootstrap_secret_and_issued_tokens_are_recorded(client):
    start = _canaries(client)
    assert SECRET in start["client_secrets"]
    assert start["access_tokens"] == [] and start["client_assertions"] == []
    first, second = get_token(client), get_token(client)
    assert _canaries(client)["access_tokens"] == [first, second]


def test_created_and_rotated_secrets_are_recorded(client, api):
    app = api.create(web_app())
    old = api.secret(app["id"])
    assert old in _canaries(client)["client_secrets"]
    resp = api.post(f"{APPS}/{app['id']}/secret", {"previous": {"expiresAt": time.strftime(
        "%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 600))}})
    assert resp.status_code == 200
    secrets = _canaries(client)["client_secrets"]
    assert resp.json["secret"] in secrets and resp.json["previous"]["secret"] == old and old in secrets
    assert len(secrets) == len(set(secrets))


def test_verified_assertions_are_recorded_wrong_values_are_not(client, api):
    app = _cc_app(api, "CLIENT_SECRET_JWT")
    secret = api.secret(app["id"]).encode()
    good = _assertion(app["id"], secret)
    resp = client.post(TOKEN_URL, data={"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
                                        "client_assertion": good})
    assert resp.status_code == 200
    forged = _assertion(app["id"], WRONG.encode())
    resp = client.post(TOKEN_URL, data={"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
                                        "client_assertion": forged})
    assert resp.status_code == 401
    assert client.post(TOKEN_URL, data={"grant_type": "client_credentials"}, headers=basic(WORKER, WRONG)).status_code == 401
    post_app = api.create(web_app(tokenEndpointAuthMethod="CLIENT_SECRET_POST"))
    par = {"client_id": post_app["id"], "client_secret": WRONG, "response_type": "code", "redirect_uri": REDIRECT}
    assert client.post(PAR_URL, data=par).status_code == 401
    found = _canaries(client)
    assert found["client_assertions"] == [good]
    everything = [value for values in found.values() for value in values]
    assert forged not in everything and WRONG not in everything


def test_private_key_jwt_assertion_and_par_secret(client, api):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = dict(RSAAlgorithm.to_jwk(key.public_key(), as_dict=True), kid="k1", use="sig")
    app = _cc_app(api, "PRIVATE_KEY_JWT", jwks=json.dumps({"keys": [jwk]}))
    assertion = _assertion(app["id"], key, "RS256", kid="k1")
    resp = client.post(TOKEN_URL, data={"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
                                        "client_assertion": assertion})
    assert resp.status_code == 200, resp.json
    post_app = api.create(web_app(tokenEndpointAuthMethod="CLIENT_SECRET_POST"))
    secret = api.secret(post_app["id"])
    par = {"client_id": post_app["id"], "client_secret": secret, "response_type": "code", "redirect_uri": REDIRECT}
    assert client.post(PAR_URL, data=par).status_code == 201
    found = _canaries(client)
    assert found["client_assertions"] == [assertion]
    assert resp.json["access_token"] in found["access_tokens"]
    assert secret in found["client_secrets"]


def test_canaries_not_counted_and_cleared_by_reset(client, api):
    api.create(web_app())
    client.delete("/_sim/stats")
    _canaries(client)
    assert client.get("/_sim/stats").json["total"] == 0
    before = _canaries(client)
    assert len(before["client_secrets"]) > 1 and before["access_tokens"]
    assert client.post("/_sim/reset").status_code == 200
    after = _canaries(client)
    assert after["access_tokens"] == [] and after["client_assertions"] == []
    assert SECRET in after["client_secrets"]
    assert (set(before["client_secrets"]) - set(after["client_secrets"])) and len(after["client_secrets"]) < len(before["client_secrets"])


def test_configured_worker_and_state_file_secrets(tmp_path):
    state = str(tmp_path / "state.json")
    worker_id, env_id = str(uuid.uuid4()), str(uuid.uuid4())
    worker_secret = "configured-worker-secret-" + "x" * 40
    workers = [{"environment_id": env_id, "client_id": worker_id, "client_secret": worker_secret}]
    client = create_app(SimConfig(quiet=True, state_path=state, workers=workers)).test_client()
    assert worker_secret in _canaries(client)["client_secrets"]
    token = get_token(client, worker_id, worker_secret, env_id)
    resp = client.post(f"/v1/environments/{env_id}/applications", json=web_app(), headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 201
    secret = _canaries(client)["client_secrets"][-1]
    reloaded = create_app(SimConfig(quiet=True, state_path=state)).test_client()
    found = _canaries(reloaded)
    assert worker_secret in found["client_secrets"] and secret in found["client_secrets"]
    assert found["access_tokens"] == []
