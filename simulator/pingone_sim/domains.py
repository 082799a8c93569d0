"""Custom domains: /v1/environments/{envId}/customDomains, and the authorization server served on an active one.

PingOne's way to an ACTIVE domain: create it (VERIFICATION_REQUIRED, with the ``canonicalName`` the customer's
CNAME record must point at), verify it (POST with the domainName.verify media type) -> SSL_CERTIFICATE_REQUIRED,
import its TLS certificate (POST with the certificate.import media type) -> ACTIVE. An environment has at most one
custom domain, and a domain name belongs to one environment. The simulator cannot look at DNS, so verifying
always succeeds; tests may skip the steps with ``POST /_sim/environments/{envId}/customDomains[/{id}]``.

An ACTIVE domain serves the environment's authorization server at ``https://<domain>/as/...`` (no environment ID in
the path): a request to ``/as/...`` whose Host header is the domain. Its issuer is ``https://<domain>/as``
(``context.issuer``). The standard ``/{envId}/as/...`` endpoints keep working, as on PingOne.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from flask import Blueprint, Response, request

from . import oauth
from .access import collection, created
from .context import api_url, sim
from .control import ControlError, _body as control_body
from .errors import MSG_METHOD, ApiError, detail, invalid_data, json_response, new_id, not_found
from .management import authenticate, json_body, load_env
from .store import Environment, iso

bp = Blueprint("domains", __name__, url_prefix="/v1")
bp.before_request(authenticate)
control_bp = Blueprint("domains_control", __name__, url_prefix="/_sim")
served_bp = Blueprint("domains_served", __name__)

STATUSES = ("ACTIVE", "VERIFICATION_REQUIRED", "SSL_CERTIFICATE_REQUIRED")
VERIFY_TYPE = "application/vnd.pingidentity.domainName.verify+json"
IMPORT_TYPE = "application/vnd.pingidentity.certificate.import+json"
DNS_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
# The certificate a domain activated through the control API is said to have.
CONTROL_CERTIFICATE_DAYS = 365


# ----- representation and validation --------------------------------------------------------
def domain_json(env_id: str, item: dict[str, Any]) -> dict[str, Any]:
    """A CustomDomain as PingOne returns it."""
    body: dict[str, Any] = {
        "_links": {"self": {"href": api_url(f"/environments/{env_id}/customDomains/{item['id']}")},
                   "environment": {"href": api_url(f"/environments/{env_id}")}},
        "id": item["id"], "environment": {"id": env_id}, "domainName": item["domainName"],
        "canonicalName": item["canonicalName"], "status": item["status"],
    }
    if item.get("certificate"):
        body["certificate"] = dict(item["certificate"])
    return body


def is_host_name(name: str) -> bool:
    """A DNS name of at least two labels (not an IP address)."""
    labels = name.lower().split(".")
    return (len(name) <= 253 and len(labels) >= 2 and all(DNS_LABEL.match(label) for label in labels)
            and not labels[-1].isdigit())


def new_domain(env: Environment, body: Any) -> dict[str, Any]:
    """A new custom domain of ``env`` from a create body (read-only members are ignored, as for applications)."""
    if not isinstance(body, dict):
        raise invalid_data([detail("INVALID_VALUE", None, "The request body must be a JSON object.")])
    name = body.get("domainName")
    if not isinstance(name, str) or not name.strip():
        raise invalid_data([detail("REQUIRED_VALUE", "domainName", "domainName is required.")])
    if not is_host_name(name):
        raise invalid_data([detail("INVALID_VALUE", "domainName", "domainName must be a DNS host name such as auth.example.com.")])
    if env.custom_domains:
        raise invalid_data([detail("CONSTRAINT_VIOLATION", "domainName", "The environment already has a custom domain; "
                                   "an environment can have one.")])
    if any(item["domainName"].lower() == name.lower() for other in sim().store.list_environments()
           for item in other.custom_domains.values()):
        raise invalid_data([detail("UNIQUENESS_VIOLATION", "domainName", f"The domain name {name} is already in use.")])
    token = new_id().replace("-", "")
    return {"id": new_id(), "domainName": name, "status": "VERIFICATION_REQUIRED",
            "canonicalName": f"{token[:4]}-{token[4:8]}-{token[8:12]}-{token[12:16]}.pingone.com"}


def _domain(env: Environment, domain_id: str) -> dict[str, Any]:
    item = env.custom_domains.get(domain_id)
    if item is None:
        raise not_found()
    return item


def _certificate_problem(item: dict[str, Any], body: Any, now: float) -> str | None:
    """Why the certificate import ``body`` is refused (PingOne's documented checks), None when it is accepted."""
    if not isinstance(body, dict) or not isinstance(body.get("certificate"), str) or not isinstance(body.get("privateKey"), str):
        return "certificate and privateKey (PEM strings) are required."
    try:
        certificate = x509.load_pem_x509_certificate(body["certificate"].encode("utf-8"))
        key = serialization.load_pem_private_key(body["privateKey"].encode("utf-8"), password=None)
    except (ValueError, TypeError):
        return "certificate must be a PEM certificate and privateKey an unencrypted PEM private key."
    moment = datetime.fromtimestamp(now, tz=timezone.utc)
    if not certificate.not_valid_before_utc <= moment < certificate.not_valid_after_utc:
        return "The certificate is expired or not valid yet."
    if certificate.issuer == certificate.subject:
        return "The certificate must not be self-signed."
    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName)
    except x509.ExtensionNotFound:
        names = []
    domain = item["domainName"].lower()
    wildcard = "*." + domain.split(".", 1)[1]
    if not any(name.lower() in (domain, wildcard) for name in names):
        return f"The domain name {item['domainName']} is not among the subject alternative names of the certificate."
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if (key.public_key().public_bytes(serialization.Encoding.DER, public)
            != certificate.public_key().public_bytes(serialization.Encoding.DER, public)):
        return "privateKey does not match the public key of the certificate."
    return None


def _activate(item: dict[str, Any], expires_at: float) -> None:
    item["status"] = "ACTIVE"
    item["certificate"] = {"expiresAt": iso(expires_at)}


# ----- management API -----------------------------------------------------------------------
@bp.get("/environments/<env_id>/customDomains")
def list_domains(env_id: str) -> Response:
    """GET the custom domains of an environment (zero or one)."""
    env = load_env(env_id)
    return collection(f"/environments/{env_id}/customDomains", "customDomains",
                      [domain_json(env_id, item) for item in env.custom_domains.values()])


@bp.post("/environments/<env_id>/customDomains")
def create_domain(env_id: str) -> Response:
    """POST a custom domain: 201, status VERIFICATION_REQUIRED."""
    store = sim().store
    body = json_body()
    with store.lock:
        env = load_env(env_id)
        item = new_domain(env, body)
        env.custom_domains[item["id"]] = item
        store.save()
        return created(domain_json(env_id, item))


@bp.get("/environments/<env_id>/customDomains/<domain_id>")
def get_domain(env_id: str, domain_id: str) -> Response:
    """GET one custom domain."""
    return json_response(domain_json(env_id, _domain(load_env(env_id), domain_id)))


@bp.post("/environments/<env_id>/customDomains/<domain_id>")
def update_domain(env_id: str, domain_id: str) -> Response:
    """POST with the verify media type (empty body) or the certificate import one: the next step towards ACTIVE."""
    store = sim().store
    kind = request.mimetype  # lower-cased, as media types compare
    if kind not in (VERIFY_TYPE.lower(), IMPORT_TYPE.lower()):
        # the operation declares 405, not 415: without one of its media types there is no such update
        raise ApiError(405, "INVALID_REQUEST", MSG_METHOD, [detail("INVALID_VALUE", "Content-Type",
                                                                   f"Content-Type must be {VERIFY_TYPE} or {IMPORT_TYPE}, got {kind or 'none'}.")])
    body = json_body(optional=True)
    with store.lock:
        env = load_env(env_id)
        item = _domain(env, domain_id)
        if kind == VERIFY_TYPE.lower():
            # verifying again what is verified changes nothing
            if item["status"] == "VERIFICATION_REQUIRED":
                item["status"] = "SSL_CERTIFICATE_REQUIRED"
        else:
            if item["status"] == "VERIFICATION_REQUIRED":
                raise invalid_data([detail("CONSTRAINT_VIOLATION", "status", "Verify the domain name before importing its certificate.")])
            problem = _certificate_problem(item, body, store.now())
            if problem:
                raise invalid_data([detail("INVALID_VALUE", "certificate", problem)])
            certificate = x509.load_pem_x509_certificate(body["certificate"].encode("utf-8"))
            _activate(item, certificate.not_valid_after_utc.timestamp())
        store.save()
        return json_response(domain_json(env_id, item))


@bp.delete("/environments/<env_id>/customDomains/<domain_id>")
def delete_domain(env_id: str, domain_id: str) -> Response:
    """DELETE: 204, then 404; the domain stops serving the environment at once."""
    store = sim().store
    with store.lock:
        env = load_env(env_id)
        _domain(env, domain_id)
        del env.custom_domains[domain_id]
        store.save()
    return Response(status=204)


# ----- control API --------------------------------------------------------------------------
def _control_env(env_id: str) -> Environment:
    env = sim().store.get_environment(env_id)
    if env is None:
        raise ControlError(f"environment {env_id} does not exist", 404)
    return env


def _control_status(body: dict[str, Any]) -> str:
    status = body.get("status", "ACTIVE")
    if status not in STATUSES:
        raise ControlError(f"status must be one of {', '.join(STATUSES)}")
    return status


def _set_status(item: dict[str, Any], status: str, now: float) -> None:
    if status == "ACTIVE":
        _activate(item, (datetime.fromtimestamp(now, tz=timezone.utc) + timedelta(days=CONTROL_CERTIFICATE_DAYS)).timestamp())
    else:
        item["status"] = status
        item.pop("certificate", None)


@control_bp.post("/environments/<env_id>/customDomains")
def plant_domain(env_id: str) -> Response:
    """Add a custom domain with {"domainName": ..., "status": ...} (ACTIVE by default), skipping DNS and certificate."""
    store = sim().store
    body = control_body()
    with store.lock:
        env = _control_env(env_id)
        status = _control_status(body)
        try:
            item = new_domain(env, body)
        except ApiError as exc:
            raise ControlError("; ".join(str(part.get("message")) for part in exc.details)) from exc
        _set_status(item, status, store.now())
        env.custom_domains[item["id"]] = item
        store.save()
        return json_response(domain_json(env_id, item), 201)


@control_bp.post("/environments/<env_id>/customDomains/<domain_id>")
def set_domain_status(env_id: str, domain_id: str) -> Response:
    """Set a custom domain's status with {"status": ...} (ACTIVE by default), as if DNS and certificate were done."""
    store = sim().store
    body = control_body()
    with store.lock:
        item = _control_env(env_id).custom_domains.get(domain_id)
        if item is None:
            raise ControlError(f"custom domain {domain_id} does not exist", 404)
        _set_status(item, _control_status(body), store.now())
        store.save()
        return json_response(domain_json(env_id, item))


# ----- the authorization server on an active custom domain ---------------------------------
def served_environment() -> str:
    """The environment whose ACTIVE custom domain the Host header names; 404 when none."""
    env = sim().store.environment_of_domain(request.host)
    if env is None:
        raise not_found()
    return env.id


# oauth.py's endpoints, for the environment whose active custom domain the Host header names.
SERVED = (("/as/.well-known/openid-configuration", "discovery", ["GET"]), ("/as/jwks", "jwks", ["GET"]),
          ("/as/token", "token_endpoint", ["POST"]), ("/as/par", "par", ["POST"]), ("/as/authorize", "authorize", ["GET", "POST"]))


def _on_custom_domain(name: str) -> Any:
    view = getattr(oauth, name)

    def serve() -> Response:
        return view(served_environment())
    serve.__doc__ = f"{view.__doc__} (on a custom domain)"
    return serve


for _rule, _name, _methods in SERVED:
    served_bp.add_url_rule(_rule, _name, _on_custom_domain(_name), methods=_methods)
