"""Validation and normalisation of application bodies (POST and PUT).

The rules are those PingOne applies to applications. ``validate_application`` returns the stored
form of an application (without id, environment, timestamps and links) or raises an
``ApiError`` (400 INVALID_DATA) that lists every problem found.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from .errors import ApiError, detail, invalid_data
from .keys import parse_jwks

PROTOCOLS = ["OPENID_CONNECT", "SAML", "WS_FED", "EXTERNAL_LINK"]
TYPES = ["WEB_APP", "NATIVE_APP", "SINGLE_PAGE_APP", "WORKER", "SERVICE", "CUSTOM_APP", "PING_ONE_SELF_SERVICE",
         "PING_ONE_ADMIN_CONSOLE", "PING_ONE_PORTAL", "TEMPLATE_APP", "PORTAL_LINK_APP"]
SYSTEM_TYPES = ["PING_ONE_SELF_SERVICE", "PING_ONE_ADMIN_CONSOLE", "PING_ONE_PORTAL"]
CREATABLE_TYPES = [name for name in TYPES if name not in SYSTEM_TYPES]
AUTH_METHODS = ["NONE", "CLIENT_SECRET_BASIC", "CLIENT_SECRET_POST", "CLIENT_SECRET_JWT", "PRIVATE_KEY_JWT"]
GRANT_TYPES = ["AUTHORIZATION_CODE", "IMPLICIT", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "DEVICE_CODE", "TOKEN_EXCHANGE", "CIBA"]
RESPONSE_TYPES = ["CODE", "TOKEN", "ID_TOKEN"]
PKCE = ["OPTIONAL", "REQUIRED", "S256_REQUIRED"]
PAR_REQUIREMENT = ["REQUIRED", "OPTIONAL"]
REFRESH_TOKEN_TYPES = ["JSON_WEB_TOKEN", "OPAQUE_TOKEN"]
CORS_BEHAVIORS = ["ALLOW_NO_ORIGINS", "ALLOW_SPECIFIC_ORIGINS"]
GROUP_TYPES = ["ANY_GROUP", "ALL_GROUPS"]
ROLE_TYPES = ["ADMIN_USERS_ONLY"]
TAGS = ["PING_FED_CONNECTION_INTEGRATION"]
# The sdk-v2 OpenAPI description says 20; Ping Identity's Terraform provider raised its limit to 40 in 2026 to
# match the PingOne API (decision 11).
MAX_CORS_ORIGINS = 40
INT32_MAX = 2147483647

READ_ONLY = ("id", "environment", "_links", "_embedded", "createdAt", "updatedAt", "clientId", "clientSecret")

# Order in which properties are returned (unknown pass-through properties of non-OIDC apps follow).
FIELD_ORDER = [
    "name", "description", "enabled", "type", "protocol", "createdAt", "updatedAt", "clientId", "assignActorRoles",
    "loginPageUrl", "icon", "accessControl", "hiddenFromAppPortal", "tags", "homePageUrl", "initiateLoginUri", "targetLinkUri",
    "responseTypes", "grantTypes", "redirectUris", "allowWildcardInRedirectUris", "postLogoutRedirectUris",
    "tokenEndpointAuthMethod", "jwks", "jwksUrl", "pkceEnforcement", "refreshTokenDuration", "refreshTokenRollingDuration",
    "refreshTokenRollingGracePeriodDuration", "refreshTokenType", "additionalRefreshTokenReplayProtectionEnabled",
    "requireSignedRequestObject", "supportUnsignedRequestObject", "includeX5t", "opSessionCheckEnabled", "idpSignoff",
    "requestScopesForMultipleResourcesEnabled", "parRequirement", "parTimeout", "devicePathId", "deviceCustomVerificationUri",
    "devicePollingInterval", "deviceTimeout", "corsSettings", "signing", "kerberos", "mobile", "template",
    "applyDefaultTheme", "enableDefaultThemeFooter",
]

# Matched whole (fullmatch): a pattern ending in "$" would let a trailing newline through.
ORIGIN_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
ORIGIN_RE = re.compile(rf"https?://(?:\*\.)?{ORIGIN_LABEL}(?:\.{ORIGIN_LABEL})*(?::\d{{1,5}})?")
DEVICE_PATH_RE = re.compile(r"[a-zA-Z0-9_-]{1,50}")
SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
# Hosts where http is allowed (decision 10): PingOne's "Redirect URIs" page allows a loopback IP address or localhost
# and refers to RFC 8252 section 7.3, whose loopback literals are 127.0.0.1 and [::1] (urlsplit drops the brackets).
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
LOCAL_HOSTS_TEXT = "localhost, 127.0.0.1 and [::1]"
WILDCARD_MESSAGE = "Wildcards are not allowed in redirect URIs. Set allowWildcardInRedirectUris to true to use them."


class _Checker:
    """Collects validation details while copying accepted values to ``out``."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body
        self.details: list[dict[str, Any]] = []
        self.out: dict[str, Any] = {}

    def error(self, code: str, target: str, message: str, **inner: Any) -> None:
        """Record one problem."""
        self.details.append(detail(code, target, message, **inner))

    def present(self, name: str) -> bool:
        """Whether the body holds a non-null value for ``name``."""
        return self.body.get(name) is not None

    def string(self, name: str, required: bool = False) -> str | None:
        """A string property; empty strings count as absent."""
        value = self.body.get(name)
        if value is None or value == "":
            if required:
                self.error("REQUIRED_VALUE", name, f"{name} is required.")
            return None
        if not isinstance(value, str):
            self.error("INVALID_VALUE", name, f"{name} must be a string.")
            return None
        if required and not value.strip():
            self.error("REQUIRED_VALUE", name, f"{name} must not be blank.")
            return None
        self.out[name] = value
        return value

    def boolean(self, name: str, default: bool | None = None) -> bool | None:
        """A boolean property."""
        value = self.body.get(name)
        if value is None:
            if default is not None:
                self.out[name] = default
            return default
        if not isinstance(value, bool):
            self.error("INVALID_VALUE", name, f"{name} must be a boolean.")
            return None
        self.out[name] = value
        return value

    def integer(self, name: str, low: int, high: int, default: int | None = None) -> int | None:
        """An integer property within [low, high]."""
        value = self.body.get(name)
        if value is None:
            if default is not None:
                self.out[name] = default
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error("INVALID_VALUE", name, f"{name} must be an integer.")
            return None
        if not low <= value <= high:
            self.error("OUT_OF_RANGE", name, f"{name} must be between {low} and {high}.", rangeMinimumValue=low, rangeMaximumValue=high)
            return None
        self.out[name] = value
        return value

    def enum(self, name: str, allowed: list[str], required: bool = False, default: str | None = None) -> str | None:
        """A string enum property."""
        value = self.body.get(name)
        if value is None or value == "":
            if required:
                self.error("REQUIRED_VALUE", name, f"{name} is required.", allowedValues=allowed)
            elif default is not None:
                self.out[name] = default
            return None if required else default
        if value not in allowed:
            self.error("INVALID_VALUE", name, f"{name} must be one of: {', '.join(allowed)}.", allowedValues=allowed)
            return None
        self.out[name] = value
        return value

    def string_list(self, name: str, allowed: list[str] | None = None) -> list[str]:
        """An array of strings (optionally of enum values); duplicates are dropped, empty arrays omitted."""
        value = self.body.get(name)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.error("INVALID_VALUE", name, f"{name} must be an array of strings.")
            return []
        result: list[str] = []
        for item in value:
            if allowed is not None and item not in allowed:
                self.error("INVALID_VALUE", name, f"{name} contains {item!r}; allowed values are: {', '.join(allowed)}.", allowedValues=allowed)
                return []
            if item not in result:
                result.append(item)
        if result:
            self.out[name] = result
        return result

    def obj(self, name: str) -> dict[str, Any] | None:
        """An object property (returned for further checks, not copied)."""
        value = self.body.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.error("INVALID_VALUE", name, f"{name} must be an object.")
            return None
        return value


def _split(uri: str) -> Any:
    """urlsplit, or None when the URI cannot be parsed (an unbalanced or invalid [IPv6] host)."""
    try:
        return urlsplit(uri)
    except ValueError:
        return None


def check_redirect_uri(uri: str, allow_wildcard: bool) -> str | None:
    """Return a reason when ``uri`` may not be registered as a redirect URI."""
    if "#" in uri:
        return f"Redirect URI {uri!r} must not contain a fragment."
    if "*" in uri and not allow_wildcard:
        return f"{WILDCARD_MESSAGE} Offending URI: {uri!r}."
    parts = _split(uri)
    if parts is None or not parts.scheme or not SCHEME_RE.fullmatch(parts.scheme):
        return f"Redirect URI {uri!r} must be an absolute URI with a scheme."
    scheme = parts.scheme.lower()
    if scheme in ("http", "https") and not parts.hostname:
        return f"Redirect URI {uri!r} must include a host."
    if scheme == "http" and parts.hostname not in LOCAL_HOSTS:
        return f"Redirect URI {uri!r} uses http; http is only allowed for {LOCAL_HOSTS_TEXT}, use https."
    return None


def check_web_url(uri: str, local_http_only: bool) -> str | None:
    """Return a reason when ``uri`` is not an absolute http(s) URL."""
    parts = _split(uri)
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "must be an absolute http or https URL."
    if local_http_only and parts.scheme.lower() == "http" and parts.hostname not in LOCAL_HOSTS:
        return f"must use https (http is only allowed for {LOCAL_HOSTS_TEXT})."
    return None


def check_any_url(uri: str) -> str | None:
    """Return a reason when ``uri`` has no scheme (custom schemes allowed)."""
    parts = _split(uri)
    if parts is None or not parts.scheme or not SCHEME_RE.fullmatch(parts.scheme):
        return "must be an absolute URI with a scheme."
    if "#" in uri:
        return "must not contain a fragment."
    return None


def _base(chk: _Checker, existing: dict[str, Any] | None) -> tuple[str | None, str | None]:
    """Properties common to every protocol; returns (type, protocol)."""
    chk.string("name", required=True)
    chk.string("description")
    chk.boolean("enabled", default=False)
    app_type = chk.enum("type", TYPES, required=True)
    protocol = chk.enum("protocol", PROTOCOLS, required=True)
    if existing is None and app_type in SYSTEM_TYPES:
        chk.error("INVALID_VALUE", "type", f"Applications of type {app_type} cannot be created.", allowedValues=CREATABLE_TYPES)
    if existing is not None:
        for field, value in (("type", app_type), ("protocol", protocol)):
            if value is not None and value != existing.get(field):
                chk.error("INVALID_VALUE", field, f"The application {field} cannot be changed from {existing.get(field)} to {value}.")
    url = chk.string("loginPageUrl")
    if url is not None:
        reason = check_web_url(url, local_http_only=True)
        if reason:
            chk.error("INVALID_VALUE", "loginPageUrl", f"loginPageUrl {reason}")
    _icon(chk)
    _access_control(chk, app_type)
    chk.boolean("hiddenFromAppPortal")
    return app_type, protocol


def _icon(chk: _Checker) -> None:
    icon = chk.obj("icon")
    if icon is None:
        return
    ok = True
    for member in ("id", "href"):
        if not isinstance(icon.get(member), str) or not icon.get(member):
            chk.error("REQUIRED_VALUE", f"icon.{member}", f"icon.{member} is required.")
            ok = False
    if ok:
        chk.out["icon"] = {"id": icon["id"], "href": icon["href"]}


def _access_control(chk: _Checker, app_type: str | None) -> None:
    control = chk.obj("accessControl")
    result: dict[str, Any] = {}
    if control is not None:
        role = control.get("role")
        if role is not None:
            if not isinstance(role, dict) or role.get("type") not in ROLE_TYPES:
                chk.error("INVALID_VALUE", "accessControl.role.type", "accessControl.role.type must be ADMIN_USERS_ONLY.", allowedValues=ROLE_TYPES)
            else:
                result["role"] = {"type": role["type"]}
        group = control.get("group")
        if group is not None:
            if not isinstance(group, dict) or group.get("type") not in GROUP_TYPES:
                chk.error("INVALID_VALUE", "accessControl.group.type", "accessControl.group.type must be ANY_GROUP or ALL_GROUPS.",
                          allowedValues=GROUP_TYPES)
            else:
                groups = group.get("groups")
                if not isinstance(groups, list) or not groups or not all(isinstance(g, dict) and isinstance(g.get("id"), str) for g in groups):
                    chk.error("REQUIRED_VALUE", "accessControl.group.groups", "accessControl.group.groups must be a non-empty array of {\"id\": ...}.")
                else:
                    result["group"] = {"type": group["type"], "groups": [{"id": g["id"]} for g in groups]}
    if app_type == "WORKER" and "role" not in result:
        result["role"] = {"type": "ADMIN_USERS_ONLY"}
    if result:
        chk.out["accessControl"] = result


def _uris(chk: _Checker) -> None:
    wildcard = chk.boolean("allowWildcardInRedirectUris") is True
    for uri in chk.string_list("redirectUris"):
        reason = check_redirect_uri(uri, wildcard)
        if reason:
            chk.error("INVALID_VALUE", "redirectUris", reason)
    for uri in chk.string_list("postLogoutRedirectUris"):
        reason = check_redirect_uri(uri, wildcard)
        if reason:
            chk.error("INVALID_VALUE", "postLogoutRedirectUris", reason.replace("Redirect URI", "Post-logout redirect URI"))
    for name in ("initiateLoginUri", "homePageUrl", "deviceCustomVerificationUri"):
        value = chk.string(name)
        if value is not None:
            reason = check_web_url(value, local_http_only=False)
            if reason:
                chk.error("INVALID_VALUE", name, f"{name} {reason}")
    for name in ("targetLinkUri",):
        value = chk.string(name)
        if value is not None:
            reason = check_any_url(value)
            if reason:
                chk.error("INVALID_VALUE", name, f"{name} {reason}")


def _keys(chk: _Checker, method: str | None) -> None:
    jwks = chk.string("jwks")
    if jwks is not None:
        try:
            parse_jwks(jwks)
        except ValueError as exc:
            chk.error("INVALID_VALUE", "jwks", str(exc))
    jwks_url = chk.string("jwksUrl")
    if jwks_url is not None:
        parts = _split(jwks_url)
        if parts is None or parts.scheme.lower() != "https" or not parts.hostname:
            chk.error("INVALID_VALUE", "jwksUrl", "jwksUrl must be an absolute https URL.")
    if jwks is not None and jwks_url is not None:
        chk.error("CONSTRAINT_VIOLATION", "jwksUrl", "jwks and jwksUrl are mutually exclusive; set only one of them.")
    if method == "PRIVATE_KEY_JWT" and jwks is None and jwks_url is None:
        chk.error("REQUIRED_VALUE", "jwks", "jwks or jwksUrl is required when tokenEndpointAuthMethod is PRIVATE_KEY_JWT.")


def _refresh(chk: _Checker, grants: list[str]) -> None:
    has_refresh = "REFRESH_TOKEN" in grants
    duration = chk.integer("refreshTokenDuration", 60, INT32_MAX, default=2592000 if has_refresh else None)
    rolling = chk.integer("refreshTokenRollingDuration", 60, INT32_MAX)
    chk.integer("refreshTokenRollingGracePeriodDuration", 0, 86400)
    chk.enum("refreshTokenType", REFRESH_TOKEN_TYPES)
    chk.boolean("additionalRefreshTokenReplayProtectionEnabled", default=True if has_refresh else None)
    if duration is not None and rolling is not None and duration > rolling:
        chk.error("CONSTRAINT_VIOLATION", "refreshTokenDuration",
                  f"refreshTokenDuration ({duration}) must be less than or equal to refreshTokenRollingDuration ({rolling}).")


def _cors(chk: _Checker) -> None:
    cors = chk.obj("corsSettings")
    if cors is None:
        return
    behavior = cors.get("behavior")
    origins = cors.get("origins") or []
    problem = _cors_problem(behavior, origins)
    if problem is not None:
        code, target, message, inner = problem
        chk.error(code, target, message, **inner)
    elif behavior == "ALLOW_NO_ORIGINS":
        chk.out["corsSettings"] = {"behavior": behavior}
    else:
        chk.out["corsSettings"] = {"behavior": behavior, "origins": list(dict.fromkeys(origins))}


def _cors_problem(behavior: Any, origins: Any) -> tuple[str, str, str, dict[str, Any]] | None:
    """The first corsSettings problem as (code, target, message, innerError), or None."""
    problem: tuple[str, str, str, dict[str, Any]] | None = None
    allowed = {"allowedValues": CORS_BEHAVIORS}
    if behavior is None:
        problem = ("REQUIRED_VALUE", "corsSettings.behavior", "corsSettings.behavior is required.", allowed)
    elif behavior not in CORS_BEHAVIORS:
        problem = ("INVALID_VALUE", "corsSettings.behavior", f"corsSettings.behavior must be one of: {', '.join(CORS_BEHAVIORS)}.", allowed)
    elif not isinstance(origins, list) or not all(isinstance(item, str) for item in origins):
        problem = ("INVALID_VALUE", "corsSettings.origins", "corsSettings.origins must be an array of strings.", {})
    elif behavior == "ALLOW_NO_ORIGINS" and origins:
        problem = ("CONSTRAINT_VIOLATION", "corsSettings.origins", "corsSettings.origins must be empty when behavior is ALLOW_NO_ORIGINS.", {})
    elif behavior == "ALLOW_SPECIFIC_ORIGINS" and not origins:
        problem = ("REQUIRED_VALUE", "corsSettings.origins", "corsSettings.origins must not be empty when behavior is ALLOW_SPECIFIC_ORIGINS.", {})
    elif len(origins) > MAX_CORS_ORIGINS:
        problem = ("OUT_OF_RANGE", "corsSettings.origins", f"corsSettings.origins may hold at most {MAX_CORS_ORIGINS} origins.",
                   {"maximumValue": MAX_CORS_ORIGINS})
    else:
        bad = [origin for origin in origins if not ORIGIN_RE.fullmatch(origin)]
        if bad:
            problem = ("INVALID_VALUE", "corsSettings.origins",
                       f"Invalid origin {bad[0]!r}: an origin is http(s)://host[:port] without a path; '*.' is allowed as a subdomain wildcard.", {})
    return problem


def _nested_id(chk: _Checker, name: str, member: str) -> None:
    """Objects of the form {member: {"id": ...}} (signing.keyRotationPolicy, kerberos.key)."""
    value = chk.obj(name)
    if value is None:
        return
    inner = value.get(member)
    if not isinstance(inner, dict) or not isinstance(inner.get("id"), str) or not inner["id"]:
        chk.error("REQUIRED_VALUE", f"{name}.{member}.id", f"{name}.{member}.id is required.")
        return
    chk.out[name] = {member: {"id": inner["id"]}}


def _oidc(chk: _Checker) -> None:
    method = chk.enum("tokenEndpointAuthMethod", AUTH_METHODS, required=True)
    grants = chk.string_list("grantTypes", GRANT_TYPES)
    chk.string_list("responseTypes", RESPONSE_TYPES)
    chk.string_list("tags", TAGS)
    _uris(chk)
    _keys(chk, method)
    chk.enum("pkceEnforcement", PKCE, default="OPTIONAL")
    chk.enum("parRequirement", PAR_REQUIREMENT, default="OPTIONAL")
    chk.integer("parTimeout", 1, 600, default=60)
    chk.integer("deviceTimeout", 1, 3600, default=600)
    chk.integer("devicePollingInterval", 1, 60, default=5)
    _refresh(chk, grants)
    signed = chk.boolean("requireSignedRequestObject")
    unsigned = chk.boolean("supportUnsignedRequestObject")
    if signed and unsigned:
        chk.error("CONSTRAINT_VIOLATION", "supportUnsignedRequestObject",
                  "requireSignedRequestObject and supportUnsignedRequestObject cannot both be true.")
    for name in ("includeX5t", "opSessionCheckEnabled", "idpSignoff"):
        chk.boolean(name)
    chk.boolean("requestScopesForMultipleResourcesEnabled", default=False)
    path_id = chk.string("devicePathId")
    if path_id is not None and not DEVICE_PATH_RE.fullmatch(path_id):
        chk.error("INVALID_VALUE", "devicePathId", "devicePathId must match ^[a-zA-Z0-9_-]{1,50}$.", allowedPattern=f"^{DEVICE_PATH_RE.pattern}$")
    _cors(chk)
    _nested_id(chk, "signing", "keyRotationPolicy")
    _nested_id(chk, "kerberos", "key")
    for name in ("mobile", "template"):
        value = chk.obj(name)
        if value:
            chk.out[name] = value


def _system_app_update(chk: _Checker, existing: dict[str, Any]) -> None:
    """PUT on PING_ONE_PORTAL / PING_ONE_SELF_SERVICE: only a few properties can change."""
    chk.boolean("enabled", default=False)
    app_type = chk.enum("type", TYPES, required=True)
    if app_type is not None and app_type != existing["type"]:
        chk.error("INVALID_VALUE", "type", f"The application type cannot be changed from {existing['type']} to {app_type}.")
    _access_control(chk, existing["type"])
    chk.enum("pkceEnforcement", PKCE, default="OPTIONAL")
    chk.enum("tokenEndpointAuthMethod", AUTH_METHODS, default=existing.get("tokenEndpointAuthMethod"))
    if not chk.present("applyDefaultTheme"):
        chk.error("REQUIRED_VALUE", "applyDefaultTheme", "applyDefaultTheme is required.")
    chk.boolean("applyDefaultTheme")
    chk.boolean("enableDefaultThemeFooter")
    for name in ("name", "protocol", "description"):
        if name in existing:
            chk.out[name] = existing[name]
    chk.out["type"] = existing["type"]


def validate_application(body: Any, existing: dict[str, Any] | None = None) -> dict[str, Any]:
    """Validate a POST (existing is None) or PUT body and return the stored properties."""
    if not isinstance(body, dict):
        raise ApiError(400, "INVALID_REQUEST", "The request could not be completed.",
                       [detail("INVALID_VALUE", None, "The request body must be a JSON object.")])
    chk = _Checker(body)
    if existing is not None and existing.get("type") == "PING_ONE_ADMIN_CONSOLE":
        raise invalid_data([detail("INVALID_VALUE", "type", "The PING_ONE_ADMIN_CONSOLE application is read-only.")])
    if existing is not None and existing.get("type") in SYSTEM_TYPES:
        _system_app_update(chk, existing)
    else:
        _app_type, protocol = _base(chk, existing)
        if protocol == "OPENID_CONNECT":
            _oidc(chk)
            chk.out["assignActorRoles"] = False
        elif protocol is not None:
            # Non-OIDC apps are modelled shallowly: base properties are validated, everything else is kept verbatim.
            for key, value in body.items():
                if key not in chk.out and key not in READ_ONLY and key != "assignActorRoles" and value is not None:
                    chk.out[key] = value
    if chk.details:
        raise invalid_data(chk.details)
    return chk.out


def ordered(app: dict[str, Any]) -> dict[str, Any]:
    """Return the stored properties in response order."""
    result = {key: app[key] for key in FIELD_ORDER if key in app}
    for key, value in app.items():
        if key not in result:
            result[key] = value
    return result
