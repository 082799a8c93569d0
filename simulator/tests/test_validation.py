"""Application validation rules: what the PingOne console and API refuse."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from sim_helpers import APPS, web_app

PUBLIC_JWK = RSAAlgorithm.to_jwk(rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key(), as_dict=True)
PUBLIC_JWKS = json.dumps({"keys": [dict(PUBLIC_JWK, kid="k1", use="sig", alg="RS256")]})

INVALID = [
    ({"name": None}, "REQUIRED_VALUE", "name"),
    ({"name": "   "}, "REQUIRED_VALUE", "name"),
    ({"type": None}, "REQUIRED_VALUE", "type"),
    ({"type": "ROBOT"}, "INVALID_VALUE", "type"),
    ({"protocol": None}, "REQUIRED_VALUE", "protocol"),
    ({"protocol": "OAUTH1"}, "INVALID_VALUE", "protocol"),
    ({"tokenEndpointAuthMethod": None}, "REQUIRED_VALUE", "tokenEndpointAuthMethod"),
    ({"tokenEndpointAuthMethod": "MAGIC"}, "INVALID_VALUE", "tokenEndpointAuthMethod"),
    ({"grantTypes": ["PASSWORD"]}, "INVALID_VALUE", "grantTypes"),
    ({"grantTypes": "AUTHORIZATION_CODE"}, "INVALID_VALUE", "grantTypes"),
    ({"responseTypes": ["CODE", "NOPE"]}, "INVALID_VALUE", "responseTypes"),
    ({"pkceEnforcement": "ALWAYS"}, "INVALID_VALUE", "pkceEnforcement"),
    ({"parRequirement": "SOMETIMES"}, "INVALID_VALUE", "parRequirement"),
    ({"enabled": "yes"}, "INVALID_VALUE", "enabled"),
    ({"parTimeout": 0}, "OUT_OF_RANGE", "parTimeout"),
    ({"parTimeout": 601}, "OUT_OF_RANGE", "parTimeout"),
    ({"parTimeout": "60"}, "INVALID_VALUE", "parTimeout"),
    ({"deviceTimeout": 3601}, "OUT_OF_RANGE", "deviceTimeout"),
    ({"devicePollingInterval": 61}, "OUT_OF_RANGE", "devicePollingInterval"),
    ({"refreshTokenDuration": 59}, "OUT_OF_RANGE", "refreshTokenDuration"),
    ({"refreshTokenRollingDuration": 2147483648}, "OUT_OF_RANGE", "refreshTokenRollingDuration"),
    ({"refreshTokenRollingGracePeriodDuration": 86401}, "OUT_OF_RANGE", "refreshTokenRollingGracePeriodDuration"),
    ({"refreshTokenDuration": 7200, "refreshTokenRollingDuration": 3600}, "CONSTRAINT_VIOLATION", "refreshTokenDuration"),
    ({"grantTypes": ["AUTHORIZATION_CODE", "REFRESH_TOKEN"], "refreshTokenRollingDuration": 3600}, "CONSTRAINT_VIOLATION", "refreshTokenDuration"),
    ({"requireSignedRequestObject": True, "supportUnsignedRequestObject": True}, "CONSTRAINT_VIOLATION", "supportUnsignedRequestObject"),
    ({"tokenEndpointAuthMethod": "PRIVATE_KEY_JWT"}, "REQUIRED_VALUE", "jwks"),
    ({"jwks": PUBLIC_JWKS, "jwksUrl": "https://keys.example.com/jwks"}, "CONSTRAINT_VIOLATION", "jwksUrl"),
    ({"jwksUrl": "http://keys.example.com/jwks"}, "INVALID_VALUE", "jwksUrl"),
    ({"jwks": {"keys": [PUBLIC_JWK]}}, "INVALID_VALUE", "jwks"),
    ({"jwks": "{not json"}, "INVALID_VALUE", "jwks"),
    ({"jwks": json.dumps({"keys": []})}, "INVALID_VALUE", "jwks"),
    ({"jwks": json.dumps({"keys": [dict(PUBLIC_JWK, d="secret")]})}, "INVALID_VALUE", "jwks"),
    ({"jwks": json.dumps({"keys": [{"kty": "oct", "k": "c2VjcmV0"}]})}, "INVALID_VALUE", "jwks"),
    ({"jwks": json.dumps({"keys": [{"kty": "RSA", "n": "x"}]})}, "INVALID_VALUE", "jwks"),
    ({"redirectUris": ["https://app.example.com/cb#frag"]}, "INVALID_VALUE", "redirectUris"),
    ({"redirectUris": ["https://*.example.com/cb"]}, "INVALID_VALUE", "redirectUris"),
    ({"redirectUris": ["http://app.example.com/cb"]}, "INVALID_VALUE", "redirectUris"),
    ({"redirectUris": ["app.example.com/cb"]}, "INVALID_VALUE", "redirectUris"),
    ({"redirectUris": ["http://[::2]/cb"]}, "INVALID_VALUE", "redirectUris"),
    ({"redirectUris": ["http://[::1/cb"]}, "INVALID_VALUE", "redirectUris"),
    ({"postLogoutRedirectUris": ["https://*.example.com/out"]}, "INVALID_VALUE", "postLogoutRedirectUris"),
    ({"deviceCustomVerificationUri": "com.example.tv://activate"}, "INVALID_VALUE", "deviceCustomVerificationUri"),
    ({"jwksUrl": "https://[zz]/jwks"}, "INVALID_VALUE", "jwksUrl"),
    ({"postLogoutRedirectUris": ["https://app.example.com/#x"]}, "INVALID_VALUE", "postLogoutRedirectUris"),
    ({"loginPageUrl": "http://login.example.com"}, "INVALID_VALUE", "loginPageUrl"),
    ({"corsSettings": {"origins": ["https://a.example.com"]}}, "REQUIRED_VALUE", "corsSettings.behavior"),
    ({"corsSettings": {"behavior": "ALLOW_ALL"}}, "INVALID_VALUE", "corsSettings.behavior"),
    ({"corsSettings": {"behavior": "ALLOW_SPECIFIC_ORIGINS"}}, "REQUIRED_VALUE", "corsSettings.origins"),
    ({"corsSettings": {"behavior": "ALLOW_NO_ORIGINS", "origins": ["https://a.example.com"]}}, "CONSTRAINT_VIOLATION", "corsSettings.origins"),
    ({"corsSettings": {"behavior": "ALLOW_SPECIFIC_ORIGINS", "origins": ["https://a.example.com/path"]}}, "INVALID_VALUE", "corsSettings.origins"),
    ({"corsSettings": {"behavior": "ALLOW_SPECIFIC_ORIGINS", "origins": ["ftp://a.example.com"]}}, "INVALID_VALUE", "corsSettings.origins"),
    ({"corsSettings": {"behavior": "ALLOW_SPECIFIC_ORIGINS", "origins": [f"https://a{i}.example.com" for i in range(41)]}},
     "OUT_OF_RANGE", "corsSettings.origins"),
    ({"devicePathId": "has space"}, "INVALID_VALUE", "devicePathId"),
    ({"devicePathId": "x" * 51}, "INVALID_VALUE", "devicePathId"),
    ({"devicePathId": "device\n"}, "INVALID_VALUE", "devicePathId"),
    ({"corsSettings": {"behavior": "ALLOW_SPECIFIC_ORIGINS", "origins": ["https://a.example.com\n"]}}, "INVALID_VALUE", "corsSettings.origins"),
    ({"accessControl": {"role": {"type": "EVERYONE"}}}, "INVALID_VALUE", "accessControl.role.type"),
    ({"accessControl": {"group": {"type": "ANY_GROUP", "groups": []}}}, "REQUIRED_VALUE", "accessControl.group.groups"),
    ({"icon": {"id": "x"}}, "REQUIRED_VALUE", "icon.href"),
    ({"tags": ["OTHER"]}, "INVALID_VALUE", "tags"),
]


@pytest.mark.parametrize("change,code,target", INVALID, ids=[f"{case[2]}-{case[1]}-{i}" for i, case in enumerate(INVALID)])
def test_invalid_bodies(api, change, code, target):
    body = web_app()
    for key, value in change.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    resp = api.post(APPS, body)
    assert resp.status_code == 400, resp.json
    assert resp.json["code"] == "INVALID_DATA"
    assert resp.json["message"] == "The request could not be completed. One or more validation errors were in the request."
    assert {"code": code, "target": target} in [{"code": d["code"], "target": d.get("target")} for d in resp.json["details"]], resp.json


def test_detail_inner_errors(api):
    resp = api.post(APPS, web_app(parTimeout=9999, pkceEnforcement="NO"))
    details = {d["target"]: d for d in resp.json["details"]}
    assert details["parTimeout"]["innerError"] == {"rangeMinimumValue": 1, "rangeMaximumValue": 600}
    assert details["pkceEnforcement"]["innerError"]["allowedValues"] == ["OPTIONAL", "REQUIRED", "S256_REQUIRED"]


RANGES = {"parTimeout": (1, 600), "deviceTimeout": (1, 3600), "devicePollingInterval": (1, 60),
          "refreshTokenDuration": (60, 2147483647), "refreshTokenRollingDuration": (60, 2147483647),
          "refreshTokenRollingGracePeriodDuration": (0, 86400)}


def test_range_errors_give_their_bounds_as_numbers(api):
    """The spec's P1Error innerError has rangeMinimumValue/rangeMaximumValue of type integer (never strings)."""
    resp = api.post(APPS, web_app(**{name: high + 1 for name, (low, high) in RANGES.items()}))
    details = {d["target"]: d for d in resp.json["details"]}
    for name, (low, high) in RANGES.items():
        inner = details[name]["innerError"]
        assert details[name]["code"] == "OUT_OF_RANGE"
        assert inner == {"rangeMinimumValue": low, "rangeMaximumValue": high}, name
        assert all(isinstance(inner[key], int) and not isinstance(inner[key], bool) for key in inner), inner  # not "1", 1.0, true
    raw = resp.get_data(as_text=True)
    assert '"rangeMaximumValue": "' not in raw and '"rangeMaximumValue":"' not in raw


def test_wildcard_message_prefix(api):
    resp = api.post(APPS, web_app(redirectUris=["https://*.example.com/cb"]))
    assert resp.json["details"][0]["message"].startswith("Wildcards are not allowed in redirect URIs.")


VALID = [
    {"redirectUris": ["https://*.example.com/cb"], "allowWildcardInRedirectUris": True},
    {"redirectUris": ["http://localhost:3000/cb", "http://127.0.0.1/cb", "org.example.app://callback", "com.example:/oauth"]},
    {"redirectUris": ["http://[::1]:8080/cb"], "postLogoutRedirectUris": ["http://[::1]/out"], "loginPageUrl": "http://[::1]:3000/login"},
    {"postLogoutRedirectUris": ["https://*.example.com/out"], "allowWildcardInRedirectUris": True},
    {"deviceCustomVerificationUri": "https://tv.example.com/activate"},
    {"corsSettings": {"behavior": "ALLOW_SPECIFIC_ORIGINS", "origins": [f"https://a{i}.example.com" for i in range(40)]}},
    {"tokenEndpointAuthMethod": "PRIVATE_KEY_JWT", "jwks": PUBLIC_JWKS},
    {"tokenEndpointAuthMethod": "PRIVATE_KEY_JWT", "jwksUrl": "https://keys.example.com/jwks"},
    {"corsSettings": {"behavior": "ALLOW_SPECIFIC_ORIGINS", "origins": ["https://*.example.com", "http://localhost:8080", "https://10.0.0.1"]}},
    {"corsSettings": {"behavior": "ALLOW_NO_ORIGINS", "origins": []}},
    {"devicePathId": "my-device_1"},
    {"refreshTokenDuration": 3600, "refreshTokenRollingDuration": 3600, "grantTypes": ["AUTHORIZATION_CODE", "REFRESH_TOKEN"]},
    {"requireSignedRequestObject": True, "supportUnsignedRequestObject": False},
    {"type": "NATIVE_APP", "grantTypes": ["CLIENT_CREDENTIALS"]},
    {"type": "SINGLE_PAGE_APP", "tokenEndpointAuthMethod": "NONE", "pkceEnforcement": "S256_REQUIRED"},
]


@pytest.mark.parametrize("change", VALID)
def test_valid_bodies(api, change):
    resp = api.post(APPS, web_app(**change))
    assert resp.status_code == 201, resp.json
    for key, value in change.items():
        if key == "corsSettings" and not value.get("origins"):
            assert resp.json[key] == {"behavior": value["behavior"]}
        else:
            assert resp.json[key] == value


def test_jwks_string_kept_verbatim(api):
    pretty = json.dumps(json.loads(PUBLIC_JWKS), indent=2)
    app = api.create(web_app(tokenEndpointAuthMethod="PRIVATE_KEY_JWT", jwks=pretty))
    assert app["jwks"] == pretty


def test_duplicate_enum_values_are_dropped(api):
    app = api.create(web_app(grantTypes=["AUTHORIZATION_CODE", "AUTHORIZATION_CODE", "REFRESH_TOKEN"]))
    assert app["grantTypes"] == ["AUTHORIZATION_CODE", "REFRESH_TOKEN"]


def test_all_problems_reported_at_once(api):
    resp = api.post(APPS, {"type": "WEB_APP", "protocol": "OPENID_CONNECT", "parTimeout": 0})
    targets = {d["target"] for d in resp.json["details"]}
    assert {"name", "tokenEndpointAuthMethod", "parTimeout"} <= targets
