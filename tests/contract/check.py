# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Contract test: recorded management API exchanges against PingOne's published OpenAPI descriptions.

Usage: python tests/contract/check.py RECORDING.jsonl [--specs DIR]

RECORDING is what the simulator writes with ``--record FILE`` (or ``PINGONE_SIM_RECORD=FILE``): one JSON line
per ``/v1/...`` request (see simulator/pingone_sim/recorder.py). DIR (default: the environment variable
PINGONE_OPENAPI_SPECS) holds ``pingone-management-sdk-v2.openapi.yaml`` (OpenAPI 3.0) and, optionally,
``pingone-platform-official.openapi.yaml`` (OpenAPI 3.1). The specs are reference data read in place, never
copied into the repository. Without PINGONE_OPENAPI_SPECS (and without --specs) this prints
"skipped: no specs" and exits 0.

Every exchange is checked against the sdk-v2 description:

* the path matches a path template and the method is an operation of it; path parameters match their schemas;
* every query parameter is declared by the operation and matches its schema;
* a request body is sent only when the operation has one, with a declared content type, and validates against
  its schema in *request* mode: ``readOnly`` members are not required, and sending one is a mismatch;
* the status is declared for the operation (a status forced by a simulator fault, ``action: status`` or
  ``redirect``, is the test's choice rather than the simulator's, so it is exempt from this one rule; its body is
  still checked, against the operation's error model when the status is not declared);
* the reply body validates against the declared response schema in *response* mode (``writeOnly`` members
  must not appear).

A request that breaks the spec and that the simulator itself refused with a 4xx is a negative test on which the
spec and the simulator agree: it is listed, not counted as a mismatch. The same request answered 2xx (or with a
fault's status) is a mismatch: a module sent it, or the simulator accepted what PingOne would not.

Schemas are checked strictly: an object schema that lists ``properties`` and says nothing about
``additionalProperties`` accepts no other member (``allOf`` parts are merged first, so composition still
works). A reply member the spec does not know is a mismatch: clients might come to rely on a member that
PingOne does not send. A ``oneOf`` is picked by its ``discriminator``, or for the application variants (which
have none in the spec) by protocol and type as PingOne's Go SDK does (IMPLIED_DISCRIMINATORS); the generator's
"known values or any string" idiom (oneOf a string enum and a plain string) is read as anyOf.

Error replies (4xx/5xx) are also validated against the official spec's error model for their status
(``com.pingidentity.ApiErrorResponse.<status>``) where it has one.

Where a spec is wrong or incomplete compared to PingOne's documented behaviour, an exception goes into
``allowlist.py`` beside this file, each with its reason; the checker itself stays strict.

Mismatches are reported grouped by operation with counts. Exit status: 0 no mismatch (or skipped), 1 at least
one mismatch, 2 the check could not run (recording missing or empty, specs unreadable).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# pylint: disable=wrong-import-position
from allowlist import ALLOWLIST  # noqa: E402

SPECS_ENV = "PINGONE_OPENAPI_SPECS"
SDK_FILE = "pingone-management-sdk-v2.openapi.yaml"
OFFICIAL_FILE = "pingone-platform-official.openapi.yaml"
API_PREFIX = "/v1"  # the sdk-v2 servers end in /v1
OFFICIAL_ERROR = "com.pingidentity.ApiErrorResponse.{status}"
# Faults whose status the test chose (see the module docstring).
STATUS_FAULTS = ("status", "redirect")
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
# Keywords copied unchanged from an OpenAPI 3.0 schema object (the rest are handled or dropped: example, xml,
# externalDocs, discriminator, deprecated, description, title, default).
PLAIN_KEYWORDS = ("type", "enum", "format", "pattern", "minLength", "maxLength", "minimum", "maximum", "multipleOf",
                  "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties")
# oneOf lists the spec gives without a discriminator, and how PingOne's Go SDK (generated from this spec) picks
# the variant: by protocol, then by type (management/model_read_one_application_200_response.go). Each is a list
# of ({member: value, ...}, component) tried in order; only the components a oneOf lists are used.
IMPLIED_DISCRIMINATORS: list[list[tuple[dict[str, str], str]]] = [
    [({"protocol": "OPENID_CONNECT", "type": "PING_ONE_PORTAL"}, "ApplicationPingOnePortal"),
     ({"protocol": "OPENID_CONNECT", "type": "PING_ONE_SELF_SERVICE"}, "ApplicationPingOneSelfService"),
     ({"protocol": "OPENID_CONNECT", "type": "PING_ONE_ADMIN_CONSOLE"}, "ApplicationPingOneAdminConsole"),
     ({"protocol": "OPENID_CONNECT"}, "ApplicationOIDC"),
     ({"protocol": "SAML"}, "ApplicationSAML"),
     ({"protocol": "WS_FED"}, "ApplicationWSFED"),
     ({"protocol": "EXTERNAL_LINK"}, "ApplicationExternalLink")],
]
MESSAGE_LIMIT = 300
EXAMPLES_SHOWN = 3


# ----- loading ------------------------------------------------------------------------------
class SpecLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # pylint: disable=too-many-ancestors
    """Safe YAML loader that keeps timestamps as strings and reads only true/false as booleans.

    YAML 1.1 would turn an enum member such as ``NO`` or ``ON`` into a boolean and a date into a datetime,
    which JSON values can never equal.
    """


SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
SpecLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def load_spec(path: str) -> dict[str, Any]:
    """Parse one OpenAPI YAML file."""
    with open(path, encoding="utf-8") as handle:
        document = yaml.load(handle, Loader=SpecLoader)  # nosec B506 - a safe loader
    if not isinstance(document, dict) or "paths" not in document:
        raise ValueError(f"{path} is not an OpenAPI description")
    return document


def pointer_get(document: dict[str, Any], ref: str) -> Any:
    """The value a local ``#/...`` reference names."""
    if not ref.startswith("#/"):
        raise ValueError(f"only local references are supported: {ref}")
    value: Any = document
    for part in ref[2:].split("/"):
        value = value[part.replace("~1", "/").replace("~0", "~")]
    return value


# ----- formats ------------------------------------------------------------------------------
DATE_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$")
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def is_date_time(value: Any) -> bool:
    """RFC 3339 date-time (``T``, seconds, a zone: Z or an offset)."""
    if not isinstance(value, str):
        return True
    if not DATE_TIME_RE.match(value):
        return False
    text = value[:-1] + "+00:00" if value[-1] in "Zz" else value
    datetime.fromisoformat(text.replace("t", "T"))
    return True


@FORMATS.checks("date", raises=ValueError)
def is_date(value: Any) -> bool:
    """RFC 3339 full-date."""
    if isinstance(value, str):
        datetime.strptime(value, "%Y-%m-%d")
    return True


@FORMATS.checks("uuid")
def is_uuid(value: Any) -> bool:
    """A UUID in its 8-4-4-4-12 hex form."""
    return not isinstance(value, str) or bool(UUID_RE.match(value))


# ----- OpenAPI 3.0 schema -> JSON Schema (2020-12) ------------------------------------------
class Converter:
    """Converts the schemas of one OpenAPI 3.0 document for one direction ("request" or "response").

    Component references become ``#/$defs/<name>`` (shared by every schema this converter returns, so
    recursive schemas work); ``nullable`` becomes a null alternative; boolean ``exclusiveMinimum``/``Maximum``
    become numbers; ``allOf`` parts that are plain objects are merged so that objects can be strict.
    """

    def __init__(self, document: dict[str, Any], direction: str) -> None:
        self.document = document
        self.direction = direction
        self.defs: dict[str, Any] = {}

    def resolve(self, schema: Any) -> Any:
        """Follow ``$ref`` until a schema that is not a reference."""
        seen = set()
        while isinstance(schema, dict) and "$ref" in schema:
            ref = schema["$ref"]
            if ref in seen:
                raise ValueError(f"reference loop at {ref}")
            seen.add(ref)
            schema = pointer_get(self.document, ref)
        return schema

    def root(self, schema: Any) -> dict[str, Any]:
        """A standalone JSON Schema for an OpenAPI schema (with every definition it may use)."""
        converted = self.convert(schema)
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", "allOf": [converted], "$defs": self.defs}

    def _flat(self, schema: Any) -> dict[str, Any] | None:
        """A plain object schema equal to ``schema`` (refs followed, allOf merged), or None if not that simple."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict) or any(key in schema for key in ("oneOf", "anyOf", "not")):
            return None
        if schema.get("type", "object") != "object":
            return None
        if "allOf" in schema:
            return self._merge(schema)
        return schema

    def _merge(self, schema: dict[str, Any]) -> dict[str, Any] | None:
        """Merge ``allOf`` parts that are all plain objects; None when one is not."""
        parts = []
        for raw in schema["allOf"]:
            part = self._flat(raw)
            if part is None:
                return None
            parts.append(part)
        merged: dict[str, Any] = {key: value for key, value in schema.items() if key != "allOf"}
        merged["type"] = "object"
        properties: dict[str, Any] = {}
        required: list[str] = list(schema.get("required", []))
        for part in parts:
            for name, prop in part.get("properties", {}).items():
                properties[name] = {"allOf": [properties[name], prop]} if name in properties else prop
            required.extend(name for name in part.get("required", []) if name not in required)
            if "additionalProperties" in part and "additionalProperties" not in merged:
                merged["additionalProperties"] = part["additionalProperties"]
        properties.update(schema.get("properties", {}))
        merged["properties"] = properties
        if required:
            merged["required"] = required
        return merged

    def _ref(self, ref: str, strict: bool) -> dict[str, Any]:
        name = ref.rsplit("/", 1)[-1] + ("" if strict else "~open")
        if name not in self.defs:
            self.defs[name] = {}  # placeholder while converting (recursion)
            self.defs[name] = self.convert(pointer_get(self.document, ref), strict)
        return {"$ref": "#/$defs/" + name.replace("~", "~0").replace("/", "~1")}

    def _extensible_enum(self, branches: list[Any]) -> bool:
        """The generator's "known values or any string" idiom: oneOf a plain ``{type: string}`` and string enums.

        Every known value is valid under both branches, so a literal oneOf would refuse exactly the known values;
        it means anyOf.
        """
        resolved = [self.resolve(part) for part in branches]
        plain = [part for part in resolved if isinstance(part, dict) and part.get("type") == "string"
                 and not set(part) - {"type", "description", "title"}]
        enums = [part for part in resolved if isinstance(part, dict) and part.get("type") == "string" and "enum" in part]
        return len(plain) == 1 and len(plain) + len(enums) == len(resolved)

    def _discriminated(self, schema: dict[str, Any], strict: bool) -> dict[str, Any] | None:
        """A oneOf chosen by member values (if/then chain) instead of by trying every branch.

        Uses the schema's own ``discriminator`` (propertyName + mapping) or, for a oneOf of application variants
        (which the spec leaves without one), IMPLIED_DISCRIMINATORS. The last ``else`` keeps the plain oneOf.
        """
        names = [part.get("$ref", "").rsplit("/", 1)[-1] for part in schema["oneOf"]]
        rules: list[tuple[dict[str, str], str]] = []
        discriminator = schema.get("discriminator") or {}
        if discriminator.get("mapping") and discriminator.get("propertyName"):
            rules = [({discriminator["propertyName"]: value}, ref.rsplit("/", 1)[-1]) for value, ref in discriminator["mapping"].items()]
        else:
            for implied in IMPLIED_DISCRIMINATORS:
                if all(name in {target for _when, target in implied} for name in names):
                    rules = list(implied)
                    break
        rules = [(when, target) for when, target in rules if target in names]
        if not rules:
            return None
        fallback: dict[str, Any] = {"oneOf": [self.convert(part, strict) for part in schema["oneOf"]]}
        for when, target in reversed(rules):
            condition = {"type": "object", "required": sorted(when), "properties": {key: {"const": value} for key, value in when.items()}}
            fallback = {"if": condition, "then": self._ref(f"#/components/schemas/{target}", strict), "else": fallback}
        return fallback

    def _hidden(self, prop: Any) -> str | None:
        """Why a property must not appear in this direction (readOnly in a request, writeOnly in a reply)."""
        flags = [prop] + ([self.resolve(prop)] if isinstance(prop, dict) and "$ref" in prop else [])
        if self.direction == "request" and any(isinstance(item, dict) and item.get("readOnly") for item in flags):
            return "readOnly member sent in a request"
        if self.direction == "response" and any(isinstance(item, dict) and item.get("writeOnly") for item in flags):
            return "writeOnly member returned in a reply"
        return None

    def convert(self, schema: Any, strict: bool = True) -> Any:  # pylint: disable=too-many-branches
        """One schema; ``strict``: objects with ``properties`` and no ``additionalProperties`` allow no other member."""
        if not isinstance(schema, dict):
            return schema
        if "$ref" in schema:
            return self._ref(schema["$ref"], strict)
        if "allOf" in schema:
            merged = self._merge(schema) if strict else None
            if merged is not None:
                schema = merged
        out: dict[str, Any] = {key: schema[key] for key in PLAIN_KEYWORDS if key in schema}
        for key in ("minimum", "maximum"):
            exclusive = "exclusive" + key.capitalize()
            if schema.get(exclusive) is True and key in schema:
                out[exclusive] = out.pop(key)
        if "items" in schema:
            out["items"] = self.convert(schema["items"], strict)
        if "allOf" in schema:  # not mergeable: each part open, else the parts would refuse each other's members
            out["allOf"] = [self.convert(part, False) for part in schema["allOf"]]
        if "oneOf" in schema:
            chain = self._discriminated(schema, strict)
            if chain is not None:
                out.update(chain)
            elif self._extensible_enum(schema["oneOf"]):
                out["anyOf"] = [self.convert(part, strict) for part in schema["oneOf"]]
            else:
                out["oneOf"] = [self.convert(part, strict) for part in schema["oneOf"]]
        if "anyOf" in schema:
            out["anyOf"] = [self.convert(part, strict) for part in schema["anyOf"]]
        if "not" in schema:
            out["not"] = self.convert(schema["not"], strict)
        if "properties" in schema:
            properties: dict[str, Any] = {}
            hidden = set()
            for name, prop in schema["properties"].items():
                reason = self._hidden(prop)
                if reason:
                    hidden.add(name)
                    properties[name] = {"not": {}, "x-contract": reason}
                else:
                    properties[name] = self.convert(prop, strict)
            out["properties"] = properties
            required = [name for name in schema.get("required", []) if name not in hidden]
            if required:
                out["required"] = required
        elif schema.get("required"):
            out["required"] = list(schema["required"])
        additional = schema.get("additionalProperties")
        if isinstance(additional, dict):
            out["additionalProperties"] = self.convert(additional, strict)
        elif isinstance(additional, bool):
            out["additionalProperties"] = additional
        elif strict and "properties" in schema and "allOf" not in schema:
            out["additionalProperties"] = False
        if schema.get("nullable"):
            return {"anyOf": [out, {"type": "null"}]}
        return out


# ----- the spec -----------------------------------------------------------------------------
@dataclass
class Operation:
    """One operation of the sdk-v2 description."""

    method: str
    template: str
    spec: dict[str, Any]
    parameters: dict[tuple[str, str], dict[str, Any]]

    @property
    def key(self) -> str:
        """``METHOD /template``, the name mismatches and allowlist entries use."""
        return f"{self.method.upper()} {self.template}"


def _escape(part: Any) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True)
class Mismatch:
    """One disagreement: the operation, where (``where`` then ``path`` inside the body, see allowlist.py), what."""

    operation: str
    where: tuple[str, ...]
    message: str
    path: tuple[Any, ...] = ()
    body: Any = field(default=None, compare=False, hash=False, repr=False)

    @property
    def pointer(self) -> str:
        """Concrete pointer, array indices included."""
        return "".join("/" + _escape(part) for part in self.where + self.path)

    @property
    def pattern(self) -> str:
        """Pointer with array indices written ``*`` (how mismatches are grouped)."""
        return "".join("/" + ("*" if isinstance(part, int) else _escape(part)) for part in self.where + self.path)


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^{}]+\})", template)
    pattern = "".join(f"(?P<p{index}>[^/]+)" if part.startswith("{") else re.escape(part) for index, part in enumerate(parts))
    return re.compile(f"^{pattern}/?$")


def _leaf_errors(error: ValidationError) -> Iterable[ValidationError]:
    """The errors to report for one validation error: inside a failed oneOf/anyOf, those of the closest branch."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        branches: dict[Any, list[ValidationError]] = defaultdict(list)
        for sub in error.context:
            branches[sub.relative_schema_path[0]].append(sub)
        for sub in min(branches.values(), key=len):
            yield from _leaf_errors(sub)
        return
    yield error


def _findings(error: ValidationError) -> Iterable[tuple[tuple[Any, ...], str]]:
    """(path, message) pairs for one leaf error; an unexpected or missing member gets a path of its own."""
    path = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties" and isinstance(error.instance, dict) and schema.get("additionalProperties") is False:
        for name in error.instance:
            if name not in schema.get("properties", {}):
                yield path + (name,), "member not declared by the schema"
        return
    if error.validator == "required" and isinstance(error.instance, dict):
        for name in error.validator_value:
            if name not in error.instance:
                yield path + (name,), "required member missing"
        return
    text = (schema.get("x-contract") if error.validator == "not" else None) or error.message
    yield path, text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT] + "..."


class Contract:
    """Checks recorded exchanges against the sdk-v2 description and the official error models."""

    def __init__(self, sdk: dict[str, Any], official: dict[str, Any] | None) -> None:
        self.sdk = sdk
        self.official = official
        self.converters = {direction: Converter(sdk, direction) for direction in ("request", "response")}
        self.validators: dict[tuple[str, ...], Draft202012Validator] = {}
        self.routes: list[tuple[int, re.Pattern[str], str, dict[str, Any]]] = []
        for template, item in sdk["paths"].items():
            literal = len([part for part in template.split("/") if part and not part.startswith("{")])
            self.routes.append((literal, _template_regex(template), template, item))
        # Prefer templates with more literal segments (/a/{id}/secret over /a/{id}/{other}).
        self.routes.sort(key=lambda route: -route[0])

    # ----- lookup ---------------------------------------------------------------------------
    def find(self, method: str, path: str) -> tuple[Operation | None, dict[str, str], str | None]:
        """The operation for a request, its path parameters, or why there is none."""
        if not (path == API_PREFIX or path.startswith(API_PREFIX + "/")):
            return None, {}, "path outside the management API"
        relative = path[len(API_PREFIX):] or "/"
        for _literal, regex, template, item in self.routes:
            match = regex.match(relative)
            if not match:
                continue
            names = re.findall(r"\{([^{}]+)\}", template)
            values = dict(zip(names, match.groups()))
            spec = item.get(method.lower())
            if spec is None:
                return None, values, f"{method} is not an operation of {template}"
            params: dict[tuple[str, str], dict[str, Any]] = {}
            for raw in item.get("parameters", []) + spec.get("parameters", []):
                param = self.converters["request"].resolve(raw)
                params[(param["in"], param["name"])] = param
            return Operation(method.lower(), template, spec, params), values, None
        return None, {}, "no path template of the spec matches"

    def _validator(self, key: tuple[str, ...], direction: str, schema: Any) -> Draft202012Validator:
        if key not in self.validators:
            self.validators[key] = Draft202012Validator(self.converters[direction].root(schema), format_checker=FORMATS)
        return self.validators[key]

    def _official_validator(self, status: int) -> Draft202012Validator | None:
        if self.official is None:
            return None
        key = ("official", str(status))
        if key not in self.validators:
            schema = self.official.get("components", {}).get("schemas", {}).get(OFFICIAL_ERROR.format(status=status))
            if schema is None:
                return None
            self.validators[key] = Draft202012Validator(schema, format_checker=FORMATS)
        return self.validators[key]

    # ----- checks ---------------------------------------------------------------------------
    @staticmethod
    def _validate(validator: Draft202012Validator, instance: Any, where: tuple[str, ...], operation: str) -> list[Mismatch]:
        found: dict[Mismatch, None] = {}
        for error in validator.iter_errors(instance):
            for leaf in _leaf_errors(error):
                for path, message in _findings(leaf):
                    found[Mismatch(operation, where, message, path, instance)] = None
        return list(found)

    def check(self, exchange: dict[str, Any]) -> tuple[str, list[Mismatch], list[Mismatch]]:
        """One recorded exchange: its operation name, its mismatches, and the request mismatches the simulator
        refused with a 4xx of its own (negative tests: the spec and the simulator agree, so not mismatches)."""
        method, path = exchange["method"], exchange["path"]
        operation, path_values, problem = self.find(method, path)
        if operation is None:
            name = f"{method} {path}"
            return name, [Mismatch(name, ("method",) if path_values else ("path",), problem or "unknown")], []
        status = exchange.get("status")
        requests = self._check_parameters(operation, path_values, exchange) + self._check_request(operation, exchange)
        replies = self._check_response(operation, exchange) if status is not None else []
        if requests and status is not None and 400 <= int(status) < 500 and exchange.get("fault") not in STATUS_FAULTS:
            return operation.key, replies, requests
        return operation.key, requests + replies, []

    def _check_parameters(self, operation: Operation, path_values: dict[str, str], exchange: dict[str, Any]) -> list[Mismatch]:
        found = []
        for name, value in path_values.items():
            param = operation.parameters.get(("path", name))
            if param is None:
                found.append(Mismatch(operation.key, ("path", name), "path parameter not declared"))
            elif "schema" in param:
                validator = self._validator(("param", operation.key, "path", name), "request", param["schema"])
                found.extend(self._validate(validator, value, ("path", name), operation.key))
        for name, values in (exchange.get("query") or {}).items():
            param = operation.parameters.get(("query", name))
            if param is None:
                found.append(Mismatch(operation.key, ("query", name), "query parameter not declared for the operation"))
                continue
            schema = self.converters["request"].resolve(param.get("schema", {}))
            validator = self._validator(("param", operation.key, "query", name), "request", param.get("schema", {}))
            for value in values:
                found.extend(self._validate(validator, _coerce(value, schema), ("query", name), operation.key))
        return found

    def _check_request(self, operation: Operation, exchange: dict[str, Any]) -> list[Mismatch]:
        body_spec = operation.spec.get("requestBody")
        if body_spec is not None and "$ref" in body_spec:
            body_spec = pointer_get(self.sdk, body_spec["$ref"])
        where = ("request",)
        if "request_json" not in exchange and "request_non_json_bytes" not in exchange:
            if body_spec is not None and body_spec.get("required"):
                return [Mismatch(operation.key, where, "the operation requires a request body; none was sent")]
            return []
        if body_spec is None:
            return [Mismatch(operation.key, where, "a request body was sent to an operation that takes none")]
        return self._check_body(operation, where, exchange, body_spec.get("content", {}), "request", ())

    def _check_response(self, operation: Operation, exchange: dict[str, Any]) -> list[Mismatch]:
        status = int(exchange["status"])
        responses = operation.spec.get("responses", {})
        declared = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
        found: list[Mismatch] = []
        if declared is None and exchange.get("fault") not in STATUS_FAULTS:
            found.append(Mismatch(operation.key, ("status", str(status)),
                                  f"status {status} is not declared for the operation (declared: {', '.join(sorted(responses))})"))
        if exchange.get("dropped"):
            return found  # the reply never reached the client; its body was not recorded
        if declared is None and status >= 400:
            # A forced status: the operation's error model (every sdk-v2 error response is a P1Error).
            declared = next((responses[code] for code in sorted(responses) if code[0] in "45" and responses[code].get("content")), None)
        if declared is not None and "$ref" in declared:
            declared = pointer_get(self.sdk, declared["$ref"])
        found.extend(self._check_reply_body(operation, exchange, status, declared))
        if status >= 400 and "response_json" in exchange:
            validator = self._official_validator(status)
            if validator is not None:
                found.extend(self._validate(validator, exchange["response_json"], ("official", str(status)), operation.key))
        return found

    def _check_reply_body(self, operation: Operation, exchange: dict[str, Any], status: int,
                          declared: dict[str, Any] | None) -> list[Mismatch]:
        where = ("response", str(status))
        has_body = "response_json" in exchange or "response_non_json_bytes" in exchange
        content = (declared or {}).get("content") or {}
        if not content:
            if has_body and declared is not None:
                return [Mismatch(operation.key, where, "a reply body was sent where the spec declares none")]
            return []
        if not has_body:
            return [Mismatch(operation.key, where, "the spec declares a reply body; none was sent")]
        return self._check_body(operation, where, exchange, content, "response", (str(status),))

    def _check_body(self, operation: Operation, where: str, exchange: dict[str, Any], content: dict[str, Any], side: str,
                    key: tuple[str, ...]) -> list[Mismatch]:
        """The body of one side ("request" or "response") against the media types the spec declares for it."""
        word = "request" if side == "request" else "reply"
        media = _media_type(exchange.get(side + "_content_type", ""))
        declared = _declared_media(media, content)
        if declared is None:
            return [Mismatch(operation.key, where, f"{word} content type {media or 'none'} is not one of {sorted(content)}")]
        schema = content[declared].get("schema")
        if side + "_json" not in exchange:
            if isinstance(schema, dict) and schema.get("type") == "string" and schema.get("format") == "binary":
                return []  # a file (an image upload): only its size is recorded
            return [Mismatch(operation.key, where, f"the {word} body is not JSON")]
        if schema is None:
            return []
        validator = self._validator((side, operation.key) + key + (declared,), side, schema)
        return self._validate(validator, exchange[side + "_json"], where, operation.key)


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _declared_media(media: str, content: dict[str, Any]) -> str | None:
    """The media type of ``content`` that ``media`` falls under: itself, or a range such as ``image/*``."""
    if not media:
        return None
    for declared in (media, media.split("/", 1)[0] + "/*", "*/*"):
        if declared in content:
            return declared
    return None


def _coerce(value: str, schema: Any) -> Any:
    """A query string value as the type its schema names (left as a string when it does not convert)."""
    kind = schema.get("type") if isinstance(schema, dict) else None
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
    except ValueError:
        return value
    if kind == "boolean" and value in ("true", "false"):
        return value == "true"
    return value


# ----- allowlist ----------------------------------------------------------------------------
SEGMENT_RE = re.compile(r"^(?P<name>[^\[\]]*)(?:\[(?P<key>[^=\]]+)=(?P<value>[^\]]*)\])?$")


def _node(body: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        if isinstance(body, dict):
            body = body.get(part)
        elif isinstance(body, list) and isinstance(part, int) and 0 <= part < len(body):
            body = body[part]
        else:
            return None
    return body


def pointer_matches(mismatch: Mismatch, pattern: str) -> bool:
    """Whether an allowlist pointer covers a mismatch.

    Segments are shell-style patterns (``*`` is one whole segment or part of one); ``**`` as the last segment
    matches any rest. A segment may end in ``[member=value]``: then the body value at that place must be an
    object whose member has that value (the segment that ends ``where`` stands for the body itself).
    """
    segments = pattern.split("/")[1:]
    concrete = [_escape(part) for part in mismatch.where + mismatch.path]
    if segments and segments[-1] == "**":
        segments = segments[:-1]
        if len(concrete) < len(segments):
            return False
        concrete = concrete[:len(segments)]
    if len(segments) != len(concrete):
        return False
    base = len(mismatch.where) - 1  # index of the segment that stands for the body root
    for index, (segment, actual) in enumerate(zip(segments, concrete)):
        parsed = SEGMENT_RE.match(segment)
        if parsed is None or not fnmatch.fnmatchcase(actual, parsed.group("name")):
            return False
        if parsed.group("key") is not None:
            if index < base:
                return False
            node = _node(mismatch.body, mismatch.path[:index - base])
            if not isinstance(node, dict) or str(node.get(parsed.group("key"))) != parsed.group("value"):
                return False
    return True


def allowed(mismatch: Mismatch, entries: list[tuple[str, str, str]]) -> int | None:
    """Index of the allowlist entry that covers a mismatch."""
    for index, (operation, pointer, _reason) in enumerate(entries):
        if fnmatch.fnmatchcase(mismatch.operation, operation) and pointer_matches(mismatch, pointer):
            return index
    return None


# ----- main ---------------------------------------------------------------------------------
def read_recording(path: str) -> list[dict[str, Any]]:
    """The recorded exchanges, one JSON object a line."""
    exchanges = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    exchanges.append(json.loads(line))
                except ValueError as exc:
                    raise ValueError(f"{path}:{number}: not JSON ({exc})") from exc
    return exchanges


Groups = dict[str, dict[tuple[str, str], list[str]]]


def _print_groups(groups: Groups, title: str) -> None:
    for operation in sorted(groups):
        count = sum(len(samples) for samples in groups[operation].values())
        print(f"\n{title} {operation}: {count}")
        for (pointer, message), samples in sorted(groups[operation].items()):
            print(f"  {pointer}: {message}  (x{len(samples)})")
            for sample in list(dict.fromkeys(samples))[:EXAMPLES_SHOWN]:
                print(f"      e.g. {sample}")


def report(exchanges: list[dict[str, Any]], contract: Contract, entries: list[tuple[str, str, str]]) -> int:
    """Check every exchange and print the result; returns the number of mismatches not allowlisted."""
    per_operation: Counter[str] = Counter()
    problems: Groups = defaultdict(lambda: defaultdict(list))
    refused: Groups = defaultdict(lambda: defaultdict(list))
    used: Counter[int] = Counter()
    for exchange in exchanges:
        operation, mismatches, negative = contract.check(exchange)
        per_operation[operation] += 1
        sample = f"{exchange['method']} {exchange['path']} -> {exchange.get('status')}" + (
            f" (fault {exchange['fault']})" if exchange.get("fault") else "")
        for mismatch in mismatches:
            index = allowed(mismatch, entries)
            if index is not None:
                used[index] += 1
            else:
                problems[operation][(mismatch.pattern, mismatch.message)].append(sample)
        for mismatch in negative:
            refused[operation][(mismatch.pattern, mismatch.message)].append(sample)
    total = sum(len(samples) for groups in problems.values() for samples in groups.values())
    print(f"contract: {len(exchanges)} exchanges, {len(per_operation)} operations: {total} mismatches, "
          f"{sum(used.values())} allowlisted, {sum(len(s) for g in refused.values() for s in g.values())} in invalid requests "
          "the simulator refused (negative tests)")
    for operation in sorted(per_operation):
        count = sum(len(samples) for samples in problems[operation].values()) if operation in problems else 0
        print(f"  {per_operation[operation]:5d}  {operation}" + (f"  <- {count} mismatches" if count else ""))
    _print_groups(refused, "refused invalid requests (not mismatches),")
    _print_groups(problems, "MISMATCHES")
    for index, (operation, pointer, _reason) in enumerate(entries):
        print(f"allowlist: {used[index]:5d}  {operation} {pointer}")
    return total


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n", 1)[0])
    parser.add_argument("recording", help="JSON lines written by the simulator's --record")
    parser.add_argument("--specs", default=os.environ.get(SPECS_ENV) or None,
                        help=f"folder holding {SDK_FILE} (default: ${SPECS_ENV})")
    args = parser.parse_args(argv)
    if not args.specs:
        print(f"skipped: no specs (set {SPECS_ENV} to a folder holding {SDK_FILE})")
        return 0
    sdk_path, official_path = os.path.join(args.specs, SDK_FILE), os.path.join(args.specs, OFFICIAL_FILE)
    try:
        sdk = load_spec(sdk_path)
        official = load_spec(official_path) if os.path.exists(official_path) else None
        exchanges = read_recording(args.recording)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if official is None:
        print(f"note: {official_path} not found; error replies are checked against the sdk-v2 spec only")
    if not exchanges:
        print(f"error: {args.recording} records no exchange (was the simulator started with --record?)", file=sys.stderr)
        return 2
    return 1 if report(exchanges, Contract(sdk, official), list(ALLOWLIST)) else 0


if __name__ == "__main__":
    sys.exit(main())
