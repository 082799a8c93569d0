# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The contract checker on a small synthetic spec (no reference spec needed): python -m pytest tests/contract."""

from __future__ import annotations

import json
import os
import sys

import pytest
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# pylint: disable=wrong-import-position
import check  # noqa: E402

ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/P1Error"}}}, "description": "error"}
THING = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}, "description": "ok"}
SDK = {
    "openapi": "3.0.0",
    "paths": {
        "/environments/{environmentID}/things": {
            "parameters": [{"in": "path", "name": "environmentID", "required": True, "schema": {"type": "string"}}],
            "get": {"parameters": [{"$ref": "#/components/parameters/limit"}],
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Things"}}}},
                                  "400": ERROR, "429": ERROR}},
            "post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                     "responses": {"201": THING, "400": ERROR}},
        },
        "/environments/{environmentID}/things/{thingID}": {
            "get": {"parameters": [{"in": "path", "name": "environmentID", "required": True, "schema": {"type": "string"}},
                                   {"in": "path", "name": "thingID", "required": True, "schema": {"type": "string", "format": "uuid"}}],
                    "responses": {"200": THING, "404": ERROR}},
            "delete": {"parameters": [{"in": "path", "name": "environmentID", "required": True, "schema": {"type": "string"}},
                                      {"in": "path", "name": "thingID", "required": True, "schema": {"type": "string"}}],
                       "responses": {"204": {"description": "gone"}, "404": ERROR}},
        },
        "/environments/{environmentID}/things/special": {
            "get": {"parameters": [{"in": "path", "name": "environmentID", "required": True, "schema": {"type": "string"}}],
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}}},
        },
    },
    "components": {
        "parameters": {"limit": {"in": "query", "name": "limit", "schema": {"type": "integer", "minimum": 1}}},
        "schemas": {
            "Base": {"type": "object", "required": ["id", "name"],
                     "properties": {"id": {"type": "string", "readOnly": True}, "name": {"type": "string"},
                                    "createdAt": {"type": "string", "format": "date-time", "readOnly": True}}},
            "Thing": {"allOf": [{"$ref": "#/components/schemas/Base"},
                                {"type": "object", "required": ["size"],
                                 "properties": {"size": {"type": "integer", "nullable": True, "minimum": 0, "exclusiveMinimum": True},
                                                "color": {"$ref": "#/components/schemas/Color"},
                                                "password": {"type": "string", "writeOnly": True}}}]},
            "Color": {"oneOf": [{"$ref": "#/components/schemas/ColorCode"}, {"type": "string"}]},
            "ColorCode": {"type": "string", "enum": ["RED", "NO"]},
            "Things": {"type": "object", "properties": {"_embedded": {"type": "object", "properties": {
                "things": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}}}}},
            "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                    "discriminator": {"propertyName": "kind", "mapping": {"CAT": "#/components/schemas/Cat",
                                                                          "DOG": "#/components/schemas/Dog"}}},
            "Cat": {"type": "object", "properties": {"kind": {"type": "string"}, "lives": {"type": "integer"}}},
            "Dog": {"type": "object", "properties": {"kind": {"type": "string"}, "lives": {"type": "integer"}, "bark": {"type": "string"}}},
            "P1Error": {"type": "object", "properties": {"id": {"type": "string"}, "code": {"type": "string"}, "message": {"type": "string"},
                                                         "details": {"type": "array", "items": {"type": "object", "properties": {
                                                             "code": {"type": "string"}, "innerError": {"type": "object", "properties": {
                                                                 "rangeMinimumValue": {"type": "integer"}}}}}}}},
        },
    },
}
OFFICIAL = {
    "openapi": "3.1.0", "paths": {},
    "components": {"schemas": {"com.pingidentity.ApiErrorResponse.429": {
        "type": "object", "required": ["code", "message"],
        "properties": {"code": {"enum": ["REQUEST_LIMITED"]}, "message": {"type": "string"}, "id": {"type": "string", "format": "uuid"},
                       "details": {"type": "array", "items": {"type": "object", "properties": {"innerError": {
                           "type": "object", "properties": {"retryAfter": {"type": "string", "format": "date-time"}}}}}}}}}},
}
THINGS = "/v1/environments/e1/things"
ID = "0b9d4a5e-2f0c-4c55-9a8e-6c1d2b3a4f50"


def exchange(method, path, status, request=None, response=None, **extra):
    """A recorded exchange as the simulator's recorder writes it."""
    entry = {"method": method, "path": path, "query": extra.pop("query", {}), "status": status,
             "request_content_type": "application/json" if request is not None else "",
             "response_content_type": "application/json" if response is not None else ""}
    if request is not None:
        entry["request_json"] = request
    if response is not None:
        entry["response_json"] = response
    entry.update(extra)
    return entry


def thing(**extra):
    body = {"id": ID, "name": "a", "size": 1, "createdAt": "2026-01-02T03:04:05.678Z"}
    body.update(extra)
    return body


@pytest.fixture(name="contract")
def fixture_contract():
    return check.Contract(SDK, OFFICIAL)


def findings(contract, entry):
    _operation, mismatches, negative = contract.check(entry)
    return {(m.pattern, m.message) for m in mismatches}, {(m.pattern, m.message) for m in negative}


def test_a_valid_exchange_passes(contract):
    assert findings(contract, exchange("POST", THINGS, 201, {"name": "a", "size": None, "color": "NO"}, thing(color="GREEN"))) == (set(), set())
    assert findings(contract, exchange("GET", f"{THINGS}/{ID}", 200, None, thing())) == (set(), set())
    assert findings(contract, exchange("DELETE", f"{THINGS}/{ID}", 204)) == (set(), set())
    assert findings(contract, exchange("GET", THINGS, 200, None, {"_embedded": {"things": [thing()]}}, query={"limit": ["5"]})) == (set(), set())


def test_read_only_members_in_requests(contract):
    found = findings(contract, exchange("POST", THINGS, 201, {"id": ID, "name": "a", "size": 2}, thing()))[0]
    assert found == {("/request/id", "readOnly member sent in a request")}


def test_replies_are_strict(contract):
    found = findings(contract, exchange("GET", f"{THINGS}/{ID}", 200, None, {"name": "a", "size": 0, "extra": 1, "password": "p"}))[0]
    assert found == {("/response/200/id", "required member missing"), ("/response/200/extra", "member not declared by the schema"),
                     ("/response/200/password", "writeOnly member returned in a reply"),
                     ("/response/200/size", "0 is less than or equal to the minimum of 0")}
    found = findings(contract, exchange("GET", THINGS, 200, None, {"_embedded": {"things": [thing(), thing(createdAt="yesterday")]}}))[0]
    assert found == {("/response/200/_embedded/things/*/createdAt", "'yesterday' is not a 'date-time'")}


def test_paths_methods_parameters(contract):
    found = findings(contract, exchange("GET", "/v1/environments/e1/widgets", 200, None, {}))[0]
    assert found == {("/path", "no path template of the spec matches")}
    found = findings(contract, exchange("PATCH", THINGS, 200, {}, {}))[0]
    assert found == {("/method", "PATCH is not an operation of /environments/{environmentID}/things")}
    found = findings(contract, exchange("GET", THINGS, 200, None, {}, query={"limit": ["0"], "cursor": ["x"]}))[0]
    assert found == {("/query/limit", "0 is less than the minimum of 1"), ("/query/cursor", "query parameter not declared for the operation")}
    found = findings(contract, exchange("GET", f"{THINGS}/not-a-uuid", 200, None, thing()))[0]
    assert found == {("/path/thingID", "'not-a-uuid' is not a 'uuid'")}
    assert findings(contract, exchange("GET", f"{THINGS}/not-a-uuid", 404, None, {"code": "NOT_FOUND"}))[1] == {
        ("/path/thingID", "'not-a-uuid' is not a 'uuid'")}
    mismatches = contract.check(exchange("GET", f"{THINGS}/special", 200, None, {"kind": "CAT"}))[1]
    assert not mismatches  # the literal template wins over {thingID}


def test_statuses_and_bodies(contract):
    found = findings(contract, exchange("GET", f"{THINGS}/{ID}", 503, None, {"code": "SERVICE_UNAVAILABLE"}))[0]
    assert found == {("/status/503", "status 503 is not declared for the operation (declared: 200, 404)")}
    # A status a fault forced is the test's choice: only its body is checked (against the error model).
    assert findings(contract, exchange("GET", f"{THINGS}/{ID}", 503, None, {"code": "X"}, fault="status")) == (set(), set())
    found = findings(contract, exchange("GET", f"{THINGS}/{ID}", 503, None, {"code": 5}, fault="status"))[0]
    assert found == {("/response/503/code", "5 is not of type 'string'")}
    found = findings(contract, exchange("DELETE", f"{THINGS}/{ID}", 204, None, {"unexpected": True}))[0]
    assert found == {("/response/204", "a reply body was sent where the spec declares none")}
    found = findings(contract, exchange("GET", f"{THINGS}/{ID}", 200))[0]
    assert found == {("/response/200", "the spec declares a reply body; none was sent")}
    assert findings(contract, exchange("POST", THINGS, None, {"name": "a", "size": 1}, dropped=True, fault="drop")) == (set(), set())


def test_invalid_requests_refused_by_the_simulator_are_negative_tests(contract):
    refused = exchange("POST", THINGS, 400, {"name": "a", "size": -1}, {"code": "INVALID_DATA"})
    assert findings(contract, refused) == (set(), {("/request/size", "-1 is less than or equal to the minimum of 0")})
    accepted = exchange("POST", THINGS, 201, {"name": "a", "size": -1}, thing())
    assert findings(contract, accepted)[0] == {("/request/size", "-1 is less than or equal to the minimum of 0")}
    forced = exchange("POST", THINGS, 400, {"name": "a", "size": -1}, {"code": "INVALID_DATA"}, fault="status")
    assert findings(contract, forced)[0] == {("/request/size", "-1 is less than or equal to the minimum of 0")}
    found = findings(contract, exchange("POST", THINGS, 201, None, thing()))[0]
    assert found == set()  # the spec does not require this body
    found = findings(contract, exchange("DELETE", f"{THINGS}/{ID}", 204, {"why": "x"}))[0]
    assert found == {("/request", "a request body was sent to an operation that takes none")}


def test_official_error_models(contract):
    good = {"code": "REQUEST_LIMITED", "message": "m", "id": ID, "details": [{"code": "LIMIT_EXCEEDED",
                                                                              "innerError": {"retryAfter": "2026-01-01T00:00:02.000Z"}}]}
    # Like the real sdk-v2 P1Error, the synthetic one lacks retryAfter (allowlist.py covers that in real runs).
    sdk_only = ("/response/429/details/*/innerError/retryAfter", "member not declared by the schema")
    assert findings(contract, exchange("GET", THINGS, 429, None, good, fault="status")) == ({sdk_only}, set())
    bad = json.loads(json.dumps(good))
    bad["details"][0]["innerError"]["retryAfter"] = 2
    found = findings(contract, exchange("GET", THINGS, 429, None, bad, fault="status"))[0]
    assert found == {sdk_only, ("/official/429/details/*/innerError/retryAfter", "2 is not of type 'string'")}
    bad["details"][0]["innerError"]["retryAfter"] = "in 2 seconds"
    found = findings(contract, exchange("GET", THINGS, 429, None, bad, fault="status"))[0]
    assert ("/official/429/details/*/innerError/retryAfter", "'in 2 seconds' is not a 'date-time'") in found


def test_discriminators(contract):
    found = findings(contract, exchange("GET", f"{THINGS}/special", 200, None, {"kind": "CAT", "bark": "woof"}))[0]
    assert found == {("/response/200/bark", "member not declared by the schema")}
    assert findings(contract, exchange("GET", f"{THINGS}/special", 200, None, {"kind": "DOG", "bark": "woof"})) == (set(), set())


def test_implied_application_discriminator():
    spec = {"openapi": "3.0.0", "paths": {}, "components": {"schemas": {
        "Apps": {"oneOf": [{"$ref": "#/components/schemas/ApplicationOIDC"}, {"$ref": "#/components/schemas/ApplicationPingOnePortal"}]},
        "ApplicationOIDC": {"type": "object", "properties": {"protocol": {"type": "string"}, "type": {"type": "string"},
                                                             "grantTypes": {"type": "array"}}},
        "ApplicationPingOnePortal": {"type": "object", "properties": {"protocol": {"type": "string"}, "type": {"type": "string"}}},
    }}}
    converter = check.Converter(spec, "response")
    validator = check.Draft202012Validator(converter.root({"$ref": "#/components/schemas/Apps"}))
    assert validator.is_valid({"protocol": "OPENID_CONNECT", "type": "PING_ONE_PORTAL"})  # valid under both: not a oneOf failure
    assert not validator.is_valid({"protocol": "OPENID_CONNECT", "type": "PING_ONE_PORTAL", "grantTypes": []})
    assert validator.is_valid({"protocol": "OPENID_CONNECT", "type": "WEB_APP", "grantTypes": []})


def test_allowlist_pointers_and_predicates(contract):
    body = {"_embedded": {"things": [thing(name="admin", extra=1), thing(name="other", extra=2)]}}
    mismatches = contract.check(exchange("GET", THINGS, 200, None, body))[1]
    assert len(mismatches) == 2
    entries = [("GET /environments/*/things", "/response/200/_embedded/things/*[name=admin]/*", "reason")]
    assert [check.allowed(m, entries) for m in mismatches] == [0, None]
    assert [check.allowed(m, [("GET *", "/response/**", "r")]) for m in mismatches] == [0, 0]
    assert [check.allowed(m, [("POST *", "/response/**", "r")]) for m in mismatches] == [None, None]
    assert [check.allowed(m, [("*", "/response/200/_embedded/things/*", "r")]) for m in mismatches] == [None, None]
    root = contract.check(exchange("GET", f"{THINGS}/{ID}", 200, None, thing(name="admin", extra=1)))[1]
    assert check.allowed(root[0], [("*", "/response/200[name=admin]/extra", "r")]) == 0
    assert check.allowed(root[0], [("*", "/response/200[name=other]/extra", "r")]) is None


def test_the_allowlist_is_well_formed():
    for operation, pointer, reason in check.ALLOWLIST:
        assert operation == "*" or operation.split(" ", 1)[0] in ("GET", "POST", "PUT", "DELETE", "PATCH")
        assert pointer.startswith("/") and reason.strip()


def test_yaml_loader_keeps_strings():
    loaded = yaml.load("enum: [NO, ON, yes, true]\nwhen: 2020-01-01\nstamp: 2020-01-01T00:00:00Z\n", Loader=check.SpecLoader)
    assert loaded == {"enum": ["NO", "ON", "yes", True], "when": "2020-01-01", "stamp": "2020-01-01T00:00:00Z"}


def test_main(tmp_path, monkeypatch, capsys):
    recording = tmp_path / "exchanges.jsonl"
    recording.write_text(json.dumps(exchange("GET", f"{THINGS}/{ID}", 200, None, thing())) + "\n", encoding="utf-8")
    monkeypatch.delenv(check.SPECS_ENV, raising=False)
    assert check.main([str(recording)]) == 0
    assert capsys.readouterr().out.startswith("skipped: no specs")
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / check.SDK_FILE).write_text(yaml.safe_dump(SDK), encoding="utf-8")
    monkeypatch.setenv(check.SPECS_ENV, str(specs))
    assert check.main([str(recording)]) == 0
    assert "0 mismatches" in capsys.readouterr().out
    with recording.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(exchange("GET", f"{THINGS}/{ID}", 200, None, thing(extra=1))) + "\n")
    assert check.main([str(recording)]) == 1
    out = capsys.readouterr().out
    assert "MISMATCHES GET /environments/{environmentID}/things/{thingID}: 1" in out and "/response/200/extra" in out
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert check.main([str(empty)]) == 2
    assert check.main([str(tmp_path / "missing.jsonl")]) == 2


def test_a_file_body_matches_a_media_range_and_a_binary_schema():
    upload = {"requestBody": {"content": {"image/*": {"schema": {"type": "string", "format": "binary"}}}},
              "responses": {"201": THING, "400": ERROR}}
    contract = check.Contract(dict(SDK, paths=dict(SDK["paths"], **{"/environments/{environmentID}/pictures": {
        "parameters": [{"in": "path", "name": "environmentID", "required": True, "schema": {"type": "string"}}], "post": upload}})),
        OFFICIAL)
    picture = exchange("POST", "/v1/environments/e1/pictures", 201, None, thing(), request_content_type="image/png",
                       request_non_json_bytes=71)
    assert findings(contract, picture) == (set(), set())
    wrong = dict(picture, request_content_type="application/octet-stream")
    assert findings(contract, wrong)[0] == {("/request", "request content type application/octet-stream is not one of ['image/*']")}
    assert findings(contract, dict(picture, request_content_type=""))[0] == {("/request", "request content type none is not one of ['image/*']")}
    posted_json = exchange("POST", THINGS, 201, None, thing(), request_content_type="application/json", request_non_json_bytes=3)
    assert findings(contract, posted_json)[0] == {("/request", "the request body is not JSON")}
