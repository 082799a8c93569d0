"""Per-environment authorization server: discovery, JWKS, token, PAR and a minimal authorize.

Also client authentication (all five methods), client assertion verification and the
verification of the access tokens the management API accepts.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any
from urllib.parse import unquote_plus, urlsplit

import jwt
import requests
from flask import Blueprint, Response, request

from .context import base_url, issuer, issuers, sim
from .errors import ApiError, OAuthError, forbidden, invalid_token, json_response, new_id, not_found
from .keys import EC_ALGS, HMAC_ALGS, RSA_ALGS, check_jwks_document, key_fits_alg, load_public_key, parse_jwks
from .store import AppRecord, Environment, client_credentials_scope

bp = Blueprint("oauth", __name__)

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
FORM_TYPE = "application/x-www-form-urlencoded"
UNSUPPORTED = "Request denied: Unsupported authentication method"
LEEWAY = 30
MAX_ASSERTION_LIFETIME = 3600
JWKS_FETCH_TIMEOUT = 5
SECRET_PARAMS = ("client_secret", "client_assertion", "client_assertion_type")
CODE_CHALLENGE_RE = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")
RESPONSE_TYPE_MAP = {"code": "CODE", "token": "TOKEN", "id_token": "ID_TOKEN"}
NO_CHECKS = {"verify_exp": False, "verify_nbf": False, "verify_iat": False, "verify_aud": False, "verify_iss": False,
             "verify_sub": False, "verify_jti": False}
JWT_METHODS = ("CLIENT_SECRET_JWT", "PRIVATE_KEY_JWT")
# Authorization request parameters PingOne documents for /as/authorize and /as/par.
PROMPTS = ("login", "consent", "none")
RESPONSE_MODES = ("query", "fragment", "form_post", "pi.flow")
MAX_AGE_RE = re.compile(r"^[0-9]{1,10}$")
# Request objects (RFC 9101): the typ values accepted (none, PingOne's examples, RFC 9101 explicit typing), and the
# claims that describe the JWT rather than carry an authorization parameter.
REQUEST_OBJECT_TYPES = (None, "JWT", "oauth-authz-req+jwt")
JWT_ONLY_CLAIMS = ("iss", "aud", "exp", "iat", "nbf", "jti", "sub")


# ----- helpers ------------------------------------------------------------------------------
def load_env(env_id: str) -> Environment:
    """Environment or 404 (PingOne shape)."""
    env = sim().store.get_environment(env_id)
    if env is None:
        raise not_found()
    return env


def endpoint_url(env_id: str, name: str) -> str:
    """Absolute URL of an auth endpoint below {envId}/as/."""
    return f"{issuer(env_id)}/{name}"


def require_form() -> Any:
    """The form parameters; 400 invalid_request unless form-encoded with no repeated parameter."""
    if request.mimetype != FORM_TYPE:
        raise OAuthError(400, "invalid_request", f"The request must be sent as {FORM_TYPE}.")
    form = request.form
    repeated = sorted(key for key in form.keys() if len(form.getlist(key)) > 1)
    if repeated:
        raise OAuthError(400, "invalid_request", f"Parameters must not be repeated: {', '.join(repeated)}.")
    return form


def fetch_jwks(url: str) -> list[dict[str, Any]]:
    """Fetch an application's jwksUrl (https only, 5 s timeout); ValueError with a reason on failure."""
    if urlsplit(url).scheme.lower() != "https":
        raise ValueError("jwksUrl is not an https URL")
    try:
        response = requests.get(url, timeout=JWKS_FETCH_TIMEOUT, headers={"Accept": "application/json"})
    except requests.RequestException as exc:
        raise ValueError(f"fetching jwksUrl failed ({type(exc).__name__})") from exc
    if response.status_code != 200:
        raise ValueError(f"fetching jwksUrl returned HTTP {response.status_code}")
    try:
        return check_jwks_document(response.json())
    except ValueError as exc:
        raise ValueError(f"jwksUrl did not return a usable JWKS: {exc}") from exc


def verify_with_secret(record: AppRecord, token: str, alg: str, name: str) -> None:
    """Check the HMAC signature of ``token`` with the app's current or unexpired previous secret; ValueError saying why not."""
    store = sim().store
    for secret, is_previous in store.valid_secrets(record):
        try:
            jwt.decode(token, secret.encode("utf-8"), algorithms=[alg], options=NO_CHECKS)
        except jwt.InvalidSignatureError:
            continue
        except jwt.PyJWTError as exc:
            raise ValueError(f"{name} could not be verified") from exc
        if is_previous:
            store.mark_previous_used(record)
        return
    raise ValueError(f"{name} signature does not verify with the application's client secret")


def verify_with_jwks(record: AppRecord, token: str, alg: str, kid: Any, name: str) -> None:
    """Check the signature of ``token`` (called ``name`` in messages) with a key of the app's jwks or jwksUrl: the key
    with its ``kid``, or every key when it has none; ValueError saying why not."""
    try:
        if record.data.get("jwks"):
            keys = parse_jwks(record.data["jwks"])
        elif record.data.get("jwksUrl"):
            keys = fetch_jwks(record.data["jwksUrl"])
        else:
            raise ValueError("the application has neither jwks nor jwksUrl")
    except ValueError as exc:
        raise ValueError(f"cannot verify {name}: {exc}") from exc
    candidates = [key for key in keys if kid is None or key.get("kid") == kid]
    if not candidates:
        raise ValueError(f"{name} kid {kid!r} matches no key in the application's JWKS")
    candidates = [key for key in candidates if key_fits_alg(key, alg)]
    if not candidates:
        raise ValueError(f"no key in the application's JWKS fits {name} alg {alg}")
    for key in candidates:
        try:
            jwt.decode(token, load_public_key(key), algorithms=[alg], options=NO_CHECKS)
            return
        except (jwt.PyJWTError, ValueError):
            continue
    raise ValueError(f"{name} signature does not verify with the application's JWKS")


# ----- client authentication ----------------------------------------------------------------
class ClientAuthenticator:
    """Authenticates the client of one token/PAR request."""

    def __init__(self, env: Environment, endpoint: str) -> None:
        self.env = env
        self.endpoint = endpoint
        self.basic = False

    def fail(self, description: str, status: int = 401, error: str = "invalid_client") -> OAuthError:
        """The error to raise; adds WWW-Authenticate when Basic was used."""
        headers = {"WWW-Authenticate": 'Basic realm="PingOne"'} if self.basic and status == 401 else {}
        return OAuthError(status, error, description, headers)

    def find(self, client_id: str) -> AppRecord | None:
        """An OIDC application of this environment by client id."""
        record = sim().store.get_app(self.env.id, client_id)
        if record is None or record.data.get("protocol") != "OPENID_CONNECT":
            return None
        return record

    def authenticate(self, form: Any) -> AppRecord:
        """Detect the method from the request, check it against the app and verify the credentials."""
        header = request.headers.get("Authorization", "")
        self.basic = header[:6].lower() == "basic "
        uses_assertion = "client_assertion" in form or "client_assertion_type" in form
        uses_post = "client_secret" in form
        if self.basic + uses_assertion + uses_post > 1:
            raise OAuthError(400, "invalid_request", "More than one client authentication method was used; use exactly one.")
        if uses_assertion:
            record = self.verify_assertion(form)
        elif self.basic:
            client_id, secret = self.basic_credentials(header[6:].strip())
            record = self.check_secret(client_id, secret, "CLIENT_SECRET_BASIC")
            if form.get("client_id") and form["client_id"] != client_id:
                raise self.fail("Request denied: client_id does not match the authenticated client", 400, "invalid_request")
        elif uses_post:
            client_id = form.get("client_id")
            if not client_id:
                raise self.fail(f"{UNSUPPORTED} (client_secret was sent without client_id)")
            record = self.check_secret(client_id, form["client_secret"], "CLIENT_SECRET_POST")
        else:
            record = self.public_client(form.get("client_id"))
        if not record.data.get("enabled"):
            raise self.fail("Request denied: the application is disabled")
        return record

    def basic_credentials(self, encoded: str) -> tuple[str, str]:
        """Decode Basic credentials; both parts are form-urlencoded first (RFC 6749 section 2.3.1)."""
        try:
            decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise self.fail(f"{UNSUPPORTED} (malformed Basic credentials)") from exc
        if ":" not in decoded:
            raise self.fail(f"{UNSUPPORTED} (malformed Basic credentials)")
        client_id, secret = decoded.split(":", 1)
        return unquote_plus(client_id), unquote_plus(secret)

    def check_method(self, record: AppRecord, used: str) -> None:
        """The request's method must be the app's tokenEndpointAuthMethod."""
        configured = record.data.get("tokenEndpointAuthMethod")
        if configured != used:
            raise self.fail(f"{UNSUPPORTED} (the application's tokenEndpointAuthMethod is {configured}, the request used {used})")

    def check_secret(self, client_id: str, secret: str, used: str) -> AppRecord:
        """client_secret_basic / client_secret_post."""
        record = self.find(client_id)
        if record is None:
            raise self.fail(UNSUPPORTED)
        self.check_method(record, used)
        if not sim().store.match_secret(record, secret):
            raise self.fail(UNSUPPORTED)
        sim().store.record_canary("client_secrets", secret)
        return record

    def public_client(self, client_id: str | None) -> AppRecord:
        """No credentials: only applications with tokenEndpointAuthMethod NONE."""
        if not client_id:
            raise self.fail(f"{UNSUPPORTED} (no client authentication and no client_id)")
        record = self.find(client_id)
        if record is None:
            raise self.fail(UNSUPPORTED)
        self.check_method(record, "NONE")
        return record

    def verify_assertion(self, form: Any) -> AppRecord:
        """client_secret_jwt / private_key_jwt client assertions (RFC 7523), checked strictly."""
        if form.get("client_assertion_type") != ASSERTION_TYPE:
            raise self.fail(f"Request denied: client_assertion_type must be {ASSERTION_TYPE}")
        assertion = form.get("client_assertion")
        if not assertion:
            raise self.fail("Request denied: client_assertion is missing")
        try:
            header = jwt.get_unverified_header(assertion)
            claims = jwt.decode(assertion, options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            raise self.fail("Request denied: client_assertion is not a well-formed signed JWT") from exc
        iss, sub = claims.get("iss"), claims.get("sub")
        if not isinstance(iss, str) or not isinstance(sub, str) or not iss or not sub:
            raise self.fail("Request denied: client_assertion must contain iss and sub, both equal to the client id")
        if iss != sub:
            raise self.fail("Request denied: client_assertion iss and sub must both equal the client id")
        if form.get("client_id") and form["client_id"] != iss:
            raise self.fail("Request denied: client_id does not match the client_assertion iss/sub")
        record = self.find(iss)
        if record is None:
            raise self.fail("Request denied: client_assertion iss/sub does not name an application in this environment")
        method = str(record.data.get("tokenEndpointAuthMethod"))
        if method not in JWT_METHODS:
            raise self.fail(f"{UNSUPPORTED} (the application's tokenEndpointAuthMethod is {method}, the request used a client assertion)")
        alg = header.get("alg")
        if not isinstance(alg, str) or alg.lower() == "none":
            raise self.fail("Request denied: unsigned client assertions (alg none) are not accepted")
        allowed = HMAC_ALGS if method == "CLIENT_SECRET_JWT" else RSA_ALGS + EC_ALGS
        if alg not in allowed:
            raise self.fail(f"Request denied: client_assertion alg {alg} is not allowed for {method} (allowed: {', '.join(allowed)})")
        if method == "CLIENT_SECRET_JWT":
            self.verify_hmac(record, assertion, alg)
        else:
            self.verify_private_key(record, assertion, alg, header.get("kid"))
        self.check_claims(record, claims)
        sim().store.record_canary("client_assertions", assertion)
        return record

    def verify_hmac(self, record: AppRecord, assertion: str, alg: str) -> None:
        """Signature with the current or the unexpired previous secret."""
        try:
            verify_with_secret(record, assertion, alg, "client_assertion")
        except ValueError as exc:
            raise self.fail(f"Request denied: {exc}") from exc

    def verify_private_key(self, record: AppRecord, assertion: str, alg: str, kid: Any) -> None:
        """Signature with a key of the app's jwks or jwksUrl."""
        try:
            verify_with_jwks(record, assertion, alg, kid, "client_assertion")
        except ValueError as exc:
            raise self.fail(f"Request denied: {exc}") from exc

    def check_claims(self, record: AppRecord, claims: dict[str, Any]) -> None:
        """exp, nbf, aud and one-time jti."""
        store = sim().store
        now = store.now()
        exp = claims.get("exp")
        if isinstance(exp, bool) or not isinstance(exp, (int, float)):
            raise self.fail("Request denied: client_assertion exp is required (NumericDate)")
        if exp <= now - LEEWAY:
            raise self.fail("Request denied: client_assertion has expired (exp is in the past)")
        if exp > now + MAX_ASSERTION_LIFETIME + LEEWAY:
            raise self.fail("Request denied: client_assertion exp is more than one hour in the future")
        nbf = claims.get("nbf")
        if nbf is not None and (isinstance(nbf, bool) or not isinstance(nbf, (int, float)) or nbf > now + LEEWAY):
            raise self.fail("Request denied: client_assertion is not valid yet (nbf is in the future)")
        aud = claims.get("aud")
        audiences = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
        # the URLs of the PingOne domain or of an active custom domain (PingOne accepts both)
        accepted = {url for iss in issuers(self.env.id) for url in (iss, f"{iss}/token", f"{iss}/{self.endpoint}")} | {request.base_url}
        if not any(isinstance(item, str) and item.rstrip("/") in accepted for item in audiences):
            raise self.fail(f"Request denied: client_assertion aud must contain the issuer ({issuer(self.env.id)}), "
                            f"the token endpoint ({endpoint_url(self.env.id, 'token')}) or the URL of this endpoint")
        jti = claims.get("jti")
        if not isinstance(jti, str) or not jti:
            raise self.fail("Request denied: client_assertion jti is required")
        if not store.use_jti(self.env.id, record.id, jti, float(exp) + LEEWAY):
            raise self.fail("Request denied: client_assertion jti already used")


# ----- access tokens ------------------------------------------------------------------------
def custom_token_lifetime(env: Environment, app_id: str, scope: str | None) -> int | None:
    """The accessTokenValiditySeconds of the custom resource whose granted scopes a client_credentials token carries."""
    wanted = set((scope or "").split())
    for grant in env.grants.values():
        resource = env.resources.get(grant["resource"]["id"])
        if not wanted or grant["application"]["id"] != app_id or resource is None or resource["type"] != "CUSTOM":
            continue
        if wanted <= {resource["scopes"][item["id"]]["name"] for item in grant["scopes"] if item["id"] in resource["scopes"]}:
            return resource.get("accessTokenValiditySeconds")
    return None


def issue_token(env: Environment, record: AppRecord, scope: str | None, audience: str | None = None,
                lifetime: int | None = None) -> dict[str, Any]:
    """Sign an RS256 access token with the environment key and remember its jti (``lifetime`` defaults to the configured one)."""
    store = sim().store
    now = int(store.now())
    lifetime = lifetime or store.token_lifetime
    jti = new_id()
    claims: dict[str, Any] = {"client_id": record.id, "iss": issuer(env.id), "iat": now, "exp": now + lifetime,
                              "aud": [audience] if audience else [base_url()], "env": env.id, "sub": record.id, "jti": jti}
    if scope:
        claims["scope"] = scope
    token = jwt.encode(claims, env.key.private_key, algorithm="RS256", headers={"kid": env.key.kid})
    store.register_token(jti, now + lifetime)
    store.record_canary("access_tokens", token)
    body: dict[str, Any] = {"access_token": token, "token_type": "Bearer", "expires_in": lifetime}
    if scope:
        body["scope"] = scope
    return body


def verify_access_token(token: str) -> tuple[str, str]:
    """Check a management API bearer token; returns (environment id, worker app id)."""
    store = sim().store
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise invalid_token("The access token is malformed.") from exc
    env = store.get_environment(str(unverified.get("env")))
    if env is None or header.get("kid") != env.key.kid:
        raise invalid_token("The access token was not issued by this simulator.")
    try:
        claims = jwt.decode(token, env.key.private_key.public_key(), algorithms=["RS256"], options=NO_CHECKS)
    except jwt.PyJWTError as exc:
        raise invalid_token("The access token signature is invalid.") from exc
    if claims.get("iss") not in issuers(env.id):  # tokens from a custom domain carry its issuer
        raise invalid_token("The access token issuer is not valid for this API.")
    exp = claims.get("exp")
    if not isinstance(exp, (int, float)) or exp <= store.now():
        raise invalid_token("The access token has expired.")
    if claims.get("scope"):
        raise invalid_token(f"The access token was issued for a custom resource (audience {claims.get('aud')}), not for the PingOne API.")
    if not store.token_known(str(claims.get("jti"))):
        raise invalid_token("The access token has been revoked.")
    record = store.get_app(env.id, str(claims.get("client_id")))
    if record is None:
        raise invalid_token("The application the access token was issued to no longer exists.")
    if not record.data.get("enabled"):
        raise invalid_token("The application the access token was issued to is disabled.")
    if record.data.get("type") != "WORKER":
        raise forbidden("Only WORKER applications may call the management API.")
    return env.id, record.id


# ----- endpoints ----------------------------------------------------------------------------
@bp.get("/<env_id>/as/.well-known/openid-configuration")
def discovery(env_id: str) -> Response:
    """OpenID Provider metadata."""
    load_env(env_id)
    iss = issuer(env_id)
    signing_algs = list(HMAC_ALGS + RSA_ALGS + EC_ALGS)
    return json_response({
        "issuer": iss,
        "authorization_endpoint": f"{iss}/authorize",
        "pushed_authorization_request_endpoint": f"{iss}/par",
        "token_endpoint": f"{iss}/token",
        "userinfo_endpoint": f"{iss}/userinfo",
        "jwks_uri": f"{iss}/jwks",
        "end_session_endpoint": f"{iss}/signoff",
        "introspection_endpoint": f"{iss}/introspect",
        "revocation_endpoint": f"{iss}/revoke",
        "device_authorization_endpoint": f"{iss}/device_authorization",
        "claims_parameter_supported": False,
        "request_parameter_supported": True,
        "request_uri_parameter_supported": False,
        "require_pushed_authorization_requests": False,
        "scopes_supported": ["openid", "profile", "email", "address", "phone"],
        "response_types_supported": ["code", "id_token", "token id_token", "code id_token", "code token", "code token id_token"],
        "response_modes_supported": ["pi.flow", "query", "fragment", "form_post"],
        "grant_types_supported": ["authorization_code", "implicit", "client_credentials", "refresh_token",
                                  "urn:ietf:params:oauth:grant-type:device_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "userinfo_signing_alg_values_supported": ["none"],
        "request_object_signing_alg_values_supported": ["none"] + signing_algs,
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"],
        "token_endpoint_auth_signing_alg_values_supported": signing_algs,
        "claim_types_supported": ["normal"],
        "claims_supported": ["sub", "iss", "auth_time", "acr", "name", "given_name", "family_name", "email", "email_verified"],
        "code_challenge_methods_supported": ["plain", "S256"],
    })


@bp.get("/<env_id>/as/jwks")
def jwks(env_id: str) -> Response:
    """The environment's public signing key."""
    env = load_env(env_id)
    return json_response({"keys": [env.key.public_jwk()]})


@bp.post("/<env_id>/as/token")
def token_endpoint(env_id: str) -> Response:
    """client_credentials only."""
    env = load_env(env_id)
    form = require_form()
    auth = ClientAuthenticator(env, "token")
    record = auth.authenticate(form)
    grant = form.get("grant_type")
    if not grant:
        raise OAuthError(400, "invalid_request", "grant_type is required.")
    if grant != "client_credentials":
        raise OAuthError(400, "unsupported_grant_type", f"grant_type {grant} is not supported by the simulator (only client_credentials).")
    if record.data.get("tokenEndpointAuthMethod") == "NONE":
        raise auth.fail("Request denied: client_credentials requires client authentication (tokenEndpointAuthMethod is NONE)")
    if "CLIENT_CREDENTIALS" not in record.data.get("grantTypes", []):
        raise OAuthError(400, "unauthorized_client", "The application is not allowed to use client_credentials (grantTypes lacks CLIENT_CREDENTIALS).")
    try:
        scope, audience = client_credentials_scope(env, record.id, form.get("scope") or None)
    except ValueError as exc:
        raise OAuthError(400, "invalid_scope", str(exc)) from exc
    response = json_response(issue_token(env, record, scope, audience, custom_token_lifetime(env, record.id, scope)))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


def redirect_registered(uri: str, registered: list[str], wildcard: bool) -> bool:
    """Exact match, or '*' matching within one URI segment when wildcards are allowed."""
    for candidate in registered:
        if uri == candidate:
            return True
        if wildcard and "*" in candidate:
            pattern = "^" + "[^/?#]*".join(re.escape(part) for part in candidate.split("*")) + "$"
            if re.match(pattern, uri):
                return True
    return False


def _check_pkce(form: Any, enforcement: str) -> None:
    challenge = form.get("code_challenge")
    method = form.get("code_challenge_method")
    if challenge is None:
        if method is not None:
            raise OAuthError(400, "invalid_request", "code_challenge_method was sent without code_challenge.")
        if enforcement in ("REQUIRED", "S256_REQUIRED"):
            raise OAuthError(400, "invalid_request", f"code_challenge is required (pkceEnforcement is {enforcement}).")
        return
    if not CODE_CHALLENGE_RE.match(challenge):
        raise OAuthError(400, "invalid_request", "code_challenge must be 43-128 characters from [A-Za-z0-9-._~].")
    method = method or "plain"
    if method not in ("plain", "S256"):
        raise OAuthError(400, "invalid_request", "code_challenge_method must be plain or S256.")
    if enforcement == "S256_REQUIRED" and method != "S256":
        raise OAuthError(400, "invalid_request", "code_challenge_method must be S256 (pkceEnforcement is S256_REQUIRED).")


def _check_response_type(value: str | None, data: dict[str, Any]) -> None:
    if not value:
        raise OAuthError(400, "invalid_request", "response_type is required.")
    parts = value.split()
    unknown = [part for part in parts if part not in RESPONSE_TYPE_MAP]
    if unknown or not parts:
        raise OAuthError(400, "unsupported_response_type", f"response_type {value!r} is not supported.")
    allowed = data.get("responseTypes", [])
    missing = [RESPONSE_TYPE_MAP[part] for part in parts if RESPONSE_TYPE_MAP[part] not in allowed]
    if missing:
        raise OAuthError(400, "unauthorized_client",
                         f"response_type {value!r} is not allowed for this application (responseTypes: {', '.join(allowed) or 'none'}).")
    grants = data.get("grantTypes", [])
    if "code" in parts and "AUTHORIZATION_CODE" not in grants:
        raise OAuthError(400, "unauthorized_client", "response_type code needs the AUTHORIZATION_CODE grant type.")
    if "code" not in parts and "IMPLICIT" not in grants:
        raise OAuthError(400, "unauthorized_client", f"response_type {value!r} needs the IMPLICIT grant type.")


def _check_prompt(value: str | None) -> None:
    if value is None:
        return
    values = value.split(" ")
    unknown = [item for item in values if item not in PROMPTS]
    if unknown:
        raise OAuthError(400, "invalid_request", f"Invalid prompt value {unknown[0]!r}: use {', '.join(PROMPTS)} (space-separated).")
    if "none" in values and len(values) > 1:
        raise OAuthError(400, "invalid_request", "Invalid prompt value: none cannot be combined with other values.")


def _check_response_mode(value: str | None, response_type: str) -> None:
    if value is None:
        return
    if value not in RESPONSE_MODES:
        raise OAuthError(400, "invalid_request", f"Unsupported response_mode {value!r}: use {', '.join(RESPONSE_MODES)}.")
    # tokens never travel in a query string (OAuth 2.0 Multiple Response Type Encoding Practices, section 5)
    if value == "query" and set(response_type.split()) & {"token", "id_token"}:
        raise OAuthError(400, "invalid_request", f"response_mode query cannot be used with response_type {response_type!r}.")


def _check_max_age(value: str | None) -> None:
    if value is not None and not MAX_AGE_RE.match(value):
        raise OAuthError(400, "invalid_request", "max_age must be a non-negative integer number of seconds.")


def _claim_text(value: Any) -> str:
    """A request object claim as the form parameter it stands for (numbers such as max_age as their digits)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _bad_request_object(description: str) -> OAuthError:
    return OAuthError(400, "invalid_request_object", f"Invalid request object: {description}")


def _verify_request_object(env: Environment, record: AppRecord, token: str) -> dict[str, str]:
    """Check a request object (RFC 9101) pushed by ``record``; returns the authorization parameters it carries."""
    data = record.data
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise _bad_request_object("it is not a well-formed JWT.") from exc
    if not isinstance(claims, dict):
        raise _bad_request_object("its payload is not a JSON object.")
    if header.get("typ") not in REQUEST_OBJECT_TYPES:
        raise _bad_request_object(f"typ {header.get('typ')!r} is not accepted (use oauth-authz-req+jwt or JWT).")
    alg = header.get("alg")
    signed = isinstance(alg, str) and alg.lower() != "none"
    try:
        if not signed:
            if data.get("requireSignedRequestObject") or not data.get("supportUnsignedRequestObject"):
                raise ValueError("it is not signed (alg none) and the application does not allow unsigned request objects "
                                 f"(requireSignedRequestObject {bool(data.get('requireSignedRequestObject'))}, "
                                 f"supportUnsignedRequestObject {bool(data.get('supportUnsignedRequestObject'))}).")
        elif alg in HMAC_ALGS:
            verify_with_secret(record, token, alg, "the request object")
        elif alg in RSA_ALGS + EC_ALGS:
            verify_with_jwks(record, token, alg, header.get("kid"), "the request object")
        else:
            raise ValueError(f"alg {alg} is not supported (use {', '.join(HMAC_ALGS + RSA_ALGS + EC_ALGS)}).")
    except ValueError as exc:
        raise _bad_request_object(str(exc).rstrip(".") + ".") from exc
    _check_request_object_claims(env, record, claims, signed)
    return {key: _claim_text(value) for key, value in claims.items() if key not in JWT_ONLY_CLAIMS}


def _check_request_object_claims(env: Environment, record: AppRecord, claims: dict[str, Any], signed: bool) -> None:
    """iss = the client, aud = the issuer (both required when signed), exp/nbf against the clock, client_id, no nesting."""
    now = sim().store.now()
    if "request" in claims or "request_uri" in claims:
        raise _bad_request_object("it must not contain request or request_uri.")
    if (signed or "iss" in claims) and claims.get("iss") != record.id:
        raise _bad_request_object("iss must be the client ID of the application.")
    aud = claims.get("aud")
    audiences = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
    accepted = issuers(env.id)  # a custom domain's issuer too
    if (signed or "aud" in claims) and not {item.rstrip("/") for item in audiences if isinstance(item, str)} & set(accepted):
        raise _bad_request_object(f"aud must be the issuer ({' or '.join(accepted)}).")
    if "client_id" in claims and claims["client_id"] != record.id:
        raise _bad_request_object("client_id does not match the authenticated client.")
    for name in ("exp", "nbf", "iat"):
        if name in claims and (isinstance(claims[name], bool) or not isinstance(claims[name], (int, float))):
            raise _bad_request_object(f"{name} must be a NumericDate.")
    if "exp" in claims and claims["exp"] <= now - LEEWAY:
        raise _bad_request_object("it has expired (exp is in the past).")
    if "nbf" in claims and claims["nbf"] > now + LEEWAY:
        raise _bad_request_object("it is not valid yet (nbf is in the future).")


def _authorization_parameters(env: Environment, record: AppRecord, form: Any) -> dict[str, str]:
    """The parameters of a pushed request: the form's, and those of its request object, which must agree where both
    carry one (RFC 9101 section 5); the application's requireSignedRequestObject makes the request object mandatory."""
    params = {key: value for key, value in form.items() if key not in SECRET_PARAMS and key != "request"}
    token = form.get("request")
    if token is None:
        if record.data.get("requireSignedRequestObject"):
            raise OAuthError(400, "invalid_request", "A signed request object (request) is required: the application's "
                                                     "requireSignedRequestObject is true.")
        return params
    carried = _verify_request_object(env, record, token)
    differing = sorted(key for key, value in params.items() if key in carried and carried[key] != value)
    if differing:
        raise OAuthError(400, "invalid_request", f"{', '.join(differing)} differ between the request object and the form "
                                                 "parameters; send each once, or the same value in both.")
    params.update(carried)
    return params


@bp.post("/<env_id>/as/par")
def par(env_id: str) -> Response:
    """Pushed authorization request (RFC 9126), with an optional request object (RFC 9101)."""
    env = load_env(env_id)
    form = require_form()
    record = ClientAuthenticator(env, "par").authenticate(form)
    if "request_uri" in form:
        raise OAuthError(400, "invalid_request", "request_uri must not be sent to the PAR endpoint.")
    if form.get("client_id") and form["client_id"] != record.id:
        raise OAuthError(400, "invalid_request", "client_id does not match the authenticated client.")
    data = record.data
    grants = data.get("grantTypes", [])
    if "AUTHORIZATION_CODE" not in grants and "IMPLICIT" not in grants:
        raise OAuthError(400, "unauthorized_client",
                         "The application cannot use PAR: its grantTypes have neither AUTHORIZATION_CODE nor IMPLICIT "
                         "(a client credentials only application cannot send a pushed authorization request).")
    params = _authorization_parameters(env, record, form)
    _check_response_type(params.get("response_type"), data)
    redirect_uri = params.get("redirect_uri")
    if not redirect_uri:
        raise OAuthError(400, "invalid_request", "redirect_uri is required.")
    if not redirect_registered(redirect_uri, data.get("redirectUris", []), bool(data.get("allowWildcardInRedirectUris"))):
        raise OAuthError(400, "invalid_request", "redirect_uri not registered for this application.")
    _check_pkce(params, str(data.get("pkceEnforcement", "OPTIONAL")))
    _check_prompt(params.get("prompt"))
    _check_response_mode(params.get("response_mode"), str(params["response_type"]))
    _check_max_age(params.get("max_age"))
    params["client_id"] = record.id
    uri, expires_in = sim().store.push_request(env.id, record.id, params, int(data.get("parTimeout", 60)))
    response = json_response({"request_uri": uri, "expires_in": expires_in}, 201)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<env_id>/as/authorize", methods=["GET", "POST"])
def authorize(env_id: str) -> Response:
    """Simulator-only: consumes a pushed request_uri once and echoes the stored parameters as JSON."""
    env = load_env(env_id)
    params = request.args if request.method == "GET" else request.form
    client_id = params.get("client_id")
    uri = params.get("request_uri")
    if not client_id:
        raise OAuthError(400, "invalid_request", "client_id is required.")
    record = sim().store.get_app(env.id, client_id)
    if record is None:
        raise OAuthError(400, "invalid_client", "Unknown client_id.")
    if not uri:
        if record.data.get("parRequirement") == "REQUIRED":
            raise OAuthError(400, "invalid_request", "This application requires pushed authorization requests (parRequirement REQUIRED).")
        raise OAuthError(400, "invalid_request", "The simulator only supports /as/authorize with a request_uri obtained from /as/par.")
    item = sim().store.take_pushed(uri)
    if item is None or item["environment_id"] != env.id or item["client_id"] != client_id:
        raise OAuthError(400, "invalid_request_uri", "request_uri is unknown, expired, already used or belongs to another client.")
    return json_response({"client_id": client_id, "request_uri": uri, "parameters": item["parameters"]})


def oauth_error_handler(exc: OAuthError) -> Response:
    """Flask error handler for OAuthError."""
    return exc.response()


def api_error_handler(exc: ApiError) -> Response:
    """Flask error handler for ApiError."""
    return exc.response()
