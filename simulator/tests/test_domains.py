"""Custom domains: the management API's lifecycle, the control shortcut, and the authorization server on a domain."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from sim_helpers import ENV, SECRET, WORKER, Api, basic, web_app
from pingone_sim.app import create_app
from pingone_sim.config import SimConfig

DOMAINS = f"/v1/environments/{ENV}/customDomains"
VERIFY = "application/vnd.pingidentity.domainName.verify+json"
IMPORT = "application/vnd.pingidentity.certificate.import+json"
HOST = "auth.example.com"


def _pem(key: Any) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()


def certificate(names: list[str], self_signed: bool = False, days: int = 30) -> dict[str, str]:
    """A certificate import body: a leaf for ``names`` signed by a throwaway CA (or by itself)."""
    now = datetime.now(timezone.utc)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    issuer = subject if self_signed else x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test CA")])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1 + max(0, -days)))
            .not_valid_after(now + timedelta(days=days))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name) for name in names]), critical=False)
            .sign(key if self_signed else ca_key, hashes.SHA256()))
    return {"certificate": cert.public_bytes(serialization.Encoding.PEM).decode(), "privateKey": _pem(key)}


def create(api: Any, name: str = HOST) -> dict[str, Any]:
    resp = api.post(DOMAINS, {"domainName": name})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    return resp.json


def step(api: Any, domain_id: str, kind: str, body: Any = None) -> Any:
    """A POST to the domain with one of the update media types (verify: no body)."""
    return api.client.post(f"{DOMAINS}/{domain_id}", headers=dict(api.headers(), **{"Content-Type": kind}),
                           data=None if body is None else json.dumps(body))


def activate(client: Any, name: str = HOST, env: str = ENV) -> dict[str, Any]:
    resp = client.post(f"/_sim/environments/{env}/customDomains", json={"domainName": name})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    return resp.json


# ----- management API -------------------------------------------------------------------------
def test_create_list_get_delete(api):
    item = create(api)
    assert item["status"] == "VERIFICATION_REQUIRED" and item["domainName"] == HOST
    assert item["canonicalName"].endswith(".pingone.com") and item["environment"] == {"id": ENV}
    assert "certificate" not in item
    listed = api.get(DOMAINS).json
    assert listed["count"] == 1 and listed["_embedded"]["customDomains"] == [item]
    assert api.get(f"{DOMAINS}/{item['id']}").json == item
    assert api.delete(f"{DOMAINS}/{item['id']}").status_code == 204
    assert api.get(f"{DOMAINS}/{item['id']}").status_code == 404
    assert api.delete(f"{DOMAINS}/{item['id']}").status_code == 404
    assert api.get(DOMAINS).json["_embedded"]["customDomains"] == []


def test_verify_then_import_makes_it_active(api):
    item = create(api)
    assert step(api, item["id"], IMPORT, certificate([HOST])).status_code == 400  # not verified yet
    verified = step(api, item["id"], VERIFY)
    assert verified.status_code == 200 and verified.json["status"] == "SSL_CERTIFICATE_REQUIRED"
    assert step(api, item["id"], VERIFY).json["status"] == "SSL_CERTIFICATE_REQUIRED"
    active = step(api, item["id"], IMPORT, certificate(["*.example.com"]))
    assert active.status_code == 200, active.get_data(as_text=True)
    assert active.json["status"] == "ACTIVE" and active.json["certificate"]["expiresAt"].endswith("Z")


@pytest.mark.parametrize("body, reason", [
    (certificate([HOST], self_signed=True), "self-signed"),
    (certificate(["other.example.com"]), "subject alternative names"),
    (certificate([HOST], days=-2), "expired"),
    ({"certificate": certificate([HOST])["certificate"], "privateKey": certificate([HOST])["privateKey"]}, "does not match"),
    ({"certificate": "not a pem", "privateKey": "nor this"}, "PEM"),
    ({"certificate": certificate([HOST])["certificate"]}, "required"),
])
def test_a_certificate_import_is_checked(api, body, reason):
    item = create(api)
    step(api, item["id"], VERIFY)
    resp = step(api, item["id"], IMPORT, body)
    assert resp.status_code == 400 and resp.json["code"] == "INVALID_DATA"
    assert reason in resp.json["details"][0]["message"]
    assert api.get(f"{DOMAINS}/{item['id']}").json["status"] == "SSL_CERTIFICATE_REQUIRED"


def test_an_update_needs_one_of_the_two_media_types(api):
    item = create(api)
    resp = api.post(f"{DOMAINS}/{item['id']}", {})
    assert resp.status_code == 405 and resp.json["details"][0]["target"] == "Content-Type"


@pytest.mark.parametrize("body, code", [
    ({}, "REQUIRED_VALUE"), ({"domainName": "https://auth.example.com"}, "INVALID_VALUE"),
    ({"domainName": "localhost"}, "INVALID_VALUE"), ({"domainName": "10.0.0.1"}, "INVALID_VALUE"),
    ({"domainName": "auth..example.com"}, "INVALID_VALUE"),
])
def test_a_create_is_validated(api, body, code):
    resp = api.post(DOMAINS, body)
    assert resp.status_code == 400 and resp.json["details"][0]["code"] == code


def test_one_domain_per_environment_and_one_environment_per_domain(client, api):
    create(api)
    second = api.post(DOMAINS, {"domainName": "login.example.com"})
    assert second.status_code == 400 and second.json["details"][0]["code"] == "CONSTRAINT_VIOLATION"
    other = client.post("/_sim/environments", json={"name": "Other"}).json["id"]
    taken = client.post(f"/_sim/environments/{other}/customDomains", json={"domainName": HOST.upper()})
    assert taken.status_code == 400 and "already in use" in taken.json["error"]


def test_unknown_environment_and_no_token(client, api):
    assert api.get("/v1/environments/99999999-9999-4999-8999-999999999999/customDomains").status_code == 404
    assert client.get(DOMAINS).status_code == 401


# ----- control API --------------------------------------------------------------------------
def test_control_plants_and_sets_the_status(client, api):
    item = activate(client)
    assert item["status"] == "ACTIVE" and item["certificate"]["expiresAt"]
    back = client.post(f"/_sim/environments/{ENV}/customDomains/{item['id']}", json={"status": "SSL_CERTIFICATE_REQUIRED"})
    assert back.json["status"] == "SSL_CERTIFICATE_REQUIRED" and "certificate" not in back.json
    assert api.get(f"{DOMAINS}/{item['id']}").json["status"] == "SSL_CERTIFICATE_REQUIRED"
    again = client.post(f"/_sim/environments/{ENV}/customDomains/{item['id']}")
    assert again.json["status"] == "ACTIVE"
    assert client.post(f"/_sim/environments/{ENV}/customDomains/{item['id']}", json={"status": "GONE"}).status_code == 400
    assert client.post(f"/_sim/environments/{ENV}/customDomains/nope", json={}).status_code == 404


def test_custom_domains_survive_a_restart(tmp_path):
    state = str(tmp_path / "state.json")
    first = create_app(SimConfig(quiet=True, state_path=state)).test_client()
    item = activate(first)
    second = create_app(SimConfig(quiet=True, state_path=state)).test_client()
    token = second.post(f"/{ENV}/as/token", data={"grant_type": "client_credentials"}, headers=basic(WORKER, SECRET)).json
    listed = second.get(DOMAINS, headers={"Authorization": "Bearer " + token["access_token"]}).json
    assert listed["_embedded"]["customDomains"] == [item]


# ----- the authorization server on the domain -------------------------------------------------
def test_an_active_domain_serves_the_authorization_server(client):
    activate(client)
    doc = client.get("/as/.well-known/openid-configuration", headers={"Host": HOST}).json
    issuer = f"https://{HOST}/as"
    assert doc["issuer"] == issuer and doc["token_endpoint"] == issuer + "/token"
    assert doc["pushed_authorization_request_endpoint"] == issuer + "/par"
    resp = client.post("/as/token", data={"grant_type": "client_credentials"}, headers=dict(basic(WORKER, SECRET), Host=HOST))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    token = resp.json["access_token"]
    assert jwt.decode(token, options={"verify_signature": False})["iss"] == issuer
    # the management API takes tokens of either issuer, as PingOne does
    assert client.get(DOMAINS, headers={"Authorization": "Bearer " + token}).status_code == 200
    assert client.get("/as/jwks", headers={"Host": HOST + ":443"}).json["keys"]
    # the standard endpoints keep their issuer
    assert client.get(f"/{ENV}/as/.well-known/openid-configuration").json["issuer"].endswith(f"/{ENV}/as")


def test_a_domain_that_is_not_active_serves_nothing(client, api):
    item = create(api)
    assert client.get("/as/.well-known/openid-configuration", headers={"Host": HOST}).status_code == 404
    client.post(f"/_sim/environments/{ENV}/customDomains/{item['id']}")
    assert client.get("/as/.well-known/openid-configuration", headers={"Host": HOST}).status_code == 200
    assert client.get("/as/.well-known/openid-configuration", headers={"Host": "other.example.com"}).status_code == 404
    api.delete(f"{DOMAINS}/{item['id']}")
    assert client.get("/as/.well-known/openid-configuration", headers={"Host": HOST}).status_code == 404


def test_a_pushed_request_on_the_domain_takes_an_assertion_for_either_domain(make_app):
    client = make_app(public_url="http://127.0.0.1:8080").test_client()
    api = Api(client)
    activate(client)
    app = api.create(web_app(tokenEndpointAuthMethod="CLIENT_SECRET_JWT"))
    secret = api.secret(app["id"])
    now = int(datetime.now(timezone.utc).timestamp())

    def assertion(audience: str, jti: str) -> str:
        return jwt.encode({"iss": app["id"], "sub": app["id"], "aud": audience, "exp": now + 60, "jti": jti}, secret, "HS256")

    form = {"client_id": app["id"], "response_type": "code", "redirect_uri": "https://app.example.com/cb",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}
    ok = client.post("/as/par", headers={"Host": HOST},
                     data=dict(form, client_assertion=assertion(f"https://{HOST}/as/token", "one")))
    assert ok.status_code == 201, ok.get_data(as_text=True)
    # PingOne accepts the URLs of its own domain too
    standard = client.post("/as/par", headers={"Host": HOST},
                           data=dict(form, client_assertion=assertion(f"http://127.0.0.1:8080/{ENV}/as/token", "two")))
    assert standard.status_code == 201, standard.get_data(as_text=True)
    elsewhere = client.post("/as/par", headers={"Host": HOST},
                            data=dict(form, client_assertion=assertion("https://auth.example.org/as/token", "three")))
    assert elsewhere.status_code == 401 and "aud" in elsewhere.json["error_description"]
    authorize = client.get("/as/authorize", headers={"Host": HOST},
                           query_string={"client_id": app["id"], "request_uri": ok.json["request_uri"]})
    assert authorize.status_code == 200
