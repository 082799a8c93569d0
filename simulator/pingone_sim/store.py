"""In-memory simulator state guarded by one RLock, with optional JSON persistence."""

from __future__ import annotations

import base64
import hmac
import json
import os
import secrets
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from .errors import new_id
from .keys import SigningKey
from .validation import validate_application

SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_~"
SECRET_LENGTH = 64
STATE_VERSION = 1
# Kinds of secret values recorded for leak tests (GET /_sim/canaries).
CANARY_KINDS = ("client_secrets", "access_tokens", "client_assertions")
# The one organization every simulated environment belongs to (returned as environment.organization.id).
ORGANIZATION_ID = "0a0a0a0a-0000-4000-8000-00000000000a"
# The organization's one license, which every simulated environment uses (environment.license.id; the sdk-v2
# Environment schema requires license).
LICENSE_ID = "1c1c1c1c-0000-4000-8000-00000000001c"


def iso(epoch: float) -> str:
    """ISO-8601 UTC with milliseconds and Z, e.g. 2020-11-02T19:59:21.760Z."""
    stamp = datetime.fromtimestamp(epoch, tz=timezone.utc)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"


def parse_rfc3339(value: str) -> float:
    """Parse an RFC 3339 timestamp (Z or offset required) to epoch seconds; ValueError if invalid."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    stamp = datetime.fromisoformat(text)
    if stamp.tzinfo is None:
        raise ValueError("timestamp needs a time zone offset or Z")
    return stamp.timestamp()


def generate_secret() -> str:
    """A PingOne-like client secret: 64 characters from [A-Za-z0-9.-_~]."""
    return "".join(secrets.choice(SECRET_ALPHABET) for _index in range(SECRET_LENGTH))


@dataclass
class AppRecord:
    """One application: its stored properties plus secret material (never in ``data``)."""

    data: dict[str, Any]
    secret: str | None = None
    previous_secret: str | None = None
    previous_expires_at: float | None = None
    previous_last_used: float | None = None
    # attributes.py: the application's attribute mappings, keyed by id
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def id(self) -> str:  # pylint: disable=invalid-name
        """Application id (= client id)."""
        return self.data["id"]


@dataclass
class Environment:
    """A simulated environment with its signing key and applications."""

    id: str  # pylint: disable=invalid-name
    name: str
    key: SigningKey
    created_at: str
    updated_at: str
    forbidden: bool = False
    # PRODUCTION or SANDBOX (sdk-v2 EnumEnvironmentType); set through the control API.
    type: str = "SANDBOX"  # pylint: disable=invalid-name
    apps: dict[str, AppRecord] = field(default_factory=dict)
    # access.py: resources (each with a "scopes" dict), grants and role assignments, keyed by id
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    grants: dict[str, dict[str, Any]] = field(default_factory=dict)
    role_assignments: dict[str, dict[str, Any]] = field(default_factory=dict)
    # domains.py: custom domains (CustomDomain members) keyed by id
    custom_domains: dict[str, dict[str, Any]] = field(default_factory=dict)
    # policies.py: sign-on policies, DaVinci flow policies and the applications' assignments of each, keyed by id
    sign_on_policies: dict[str, dict[str, Any]] = field(default_factory=dict)
    flow_policies: dict[str, dict[str, Any]] = field(default_factory=dict)
    sign_on_policy_assignments: dict[str, dict[str, Any]] = field(default_factory=dict)
    flow_policy_assignments: dict[str, dict[str, Any]] = field(default_factory=dict)
    # images.py: uploaded images (their bytes under "data") keyed by id
    images: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Bootstrap:
    """What /_sim/reset returns to: environments and worker applications."""

    environments: list[dict[str, Any]] = field(default_factory=list)
    workers: list[dict[str, Any]] = field(default_factory=list)


# Built-in resources of every environment (PingOne's names, types and scopes; ids are random per environment).
BUILTIN_RESOURCES = [
    {"name": "openid", "type": "OPENID_CONNECT", "description": "OpenID Connect scopes and claims.",
     "scopes": [("openid", "Signals an OpenID Connect request."), ("profile", "Basic profile claims."),
                ("email", "The email and email_verified claims."), ("address", "The address claim."),
                ("phone", "The phone_number and phone_number_verified claims."),
                ("offline_access", "Issue a refresh token.")]},
    {"name": "PingOne API", "type": "PINGONE_API", "audience": "https://api.pingone.com",
     "description": "The PingOne platform API, for the signed-on user.",
     "scopes": [("p1:read:user", "Read the user's own profile."), ("p1:update:user", "Update the user's own profile."),
                ("p1:read:sessions", "Read the user's sessions."), ("p1:delete:sessions", "End the user's sessions."),
                ("p1:read:device", "Read the user's MFA devices."), ("p1:update:device", "Update the user's MFA devices."),
                ("p1:reset:userPassword", "Reset the user's password."), ("p1:validate:userPassword", "Check the user's password.")]},
]


# The attribute mappings PingOne gives every new application of a protocol: (name, value), CORE and required.
CORE_ATTRIBUTES = {"OPENID_CONNECT": (("sub", "${user.id}"),)}


def seed_core_attributes(record: AppRecord, stamp: str) -> None:
    """Give an application the CORE attribute mappings of its protocol (random ids)."""
    for name, value in CORE_ATTRIBUTES.get(record.data.get("protocol"), ()):
        mapping_id = new_id()
        record.attributes[mapping_id] = {"id": mapping_id, "name": name, "value": value, "required": True, "mappingType": "CORE",
                                         "createdAt": stamp, "updatedAt": stamp}


def seed_resources(env: Environment, stamp: str) -> None:
    """Give an environment PingOne's built-in resources and their scopes (random ids)."""
    for spec in BUILTIN_RESOURCES:
        res_id = new_id()
        resource: dict[str, Any] = {"id": res_id, "name": spec["name"], "type": spec["type"], "description": spec["description"],
                                    "accessTokenValiditySeconds": 3600, "createdAt": stamp, "updatedAt": stamp, "scopes": {}}
        if spec.get("audience"):
            resource["audience"] = spec["audience"]
        for name, description in spec["scopes"]:
            scope_id = new_id()
            resource["scopes"][scope_id] = {"id": scope_id, "name": name, "description": description, "createdAt": stamp,
                                            "updatedAt": stamp}
        env.resources[res_id] = resource


def seed_sign_on_policies(env: Environment, stamp: str) -> None:
    """Give an environment the sign-on policy PingOne makes its default (random id)."""
    policy_id = new_id()
    env.sign_on_policies[policy_id] = {"id": policy_id, "name": "Single_Factor", "default": True,
                                       "description": "Sign-on with a username and password.", "createdAt": stamp, "updatedAt": stamp}


def client_credentials_scope(env: Environment, app_id: str, requested: str | None) -> tuple[str | None, str | None]:
    """The scope string and audience of a client_credentials token, by PingOne's rule.

    Only scopes of CUSTOM resources apply. Without ``requested``: all granted scopes when they come from
    one custom resource, none when there are none. With ``requested``: each must be granted, and all must
    belong to one custom resource. Raises ValueError with an invalid_scope description.
    """
    granted: dict[str, list[str]] = {}
    for grant in env.grants.values():
        resource = env.resources.get(grant["resource"]["id"])
        if grant["application"]["id"] != app_id or resource is None or resource["type"] != "CUSTOM":
            continue
        granted[resource["id"]] = [resource["scopes"][s["id"]]["name"] for s in grant["scopes"] if s["id"] in resource["scopes"]]
    if not requested:
        if not granted:
            return None, None
        if len(granted) > 1:
            raise ValueError("The application has scopes of several custom resources; request the scopes of one resource")
        resource_id, names = next(iter(granted.items()))
        return " ".join(names), env.resources[resource_id]["audience"]
    wanted = list(dict.fromkeys(requested.split()))
    owners: set[str] = set()
    for name in wanted:
        matches = [rid for rid, names in granted.items() if name in names]
        if not matches:
            raise ValueError(f"The scope {name} is not granted to the application or does not apply to client_credentials "
                             "(only scopes of custom resources do)")
        owners.add(matches[0])
    if len(owners) > 1:
        raise ValueError("The requested scopes belong to more than one resource")
    return " ".join(wanted), env.resources[owners.pop()]["audience"]


SYSTEM_APPS = [
    {"name": "PingOne Admin Console", "type": "PING_ONE_ADMIN_CONSOLE",
     "accessControl": {"role": {"type": "ADMIN_USERS_ONLY"}}},
    {"name": "PingOne Self-Service - MyAccount", "type": "PING_ONE_SELF_SERVICE", "applyDefaultTheme": True},
    {"name": "PingOne Application Portal", "type": "PING_ONE_PORTAL", "applyDefaultTheme": True},
]


class Store:  # pylint: disable=too-many-instance-attributes,too-many-public-methods
    """All mutable simulator state. Every public method takes the lock."""

    def __init__(self, bootstrap: Bootstrap | None = None, state_path: str | None = None, token_lifetime: int = 3600) -> None:
        self.lock = threading.RLock()
        self.bootstrap = bootstrap or Bootstrap()
        self.state_path = state_path
        self.token_lifetime = token_lifetime
        self.clock_offset = 0.0
        self.environments: dict[str, Environment] = {}
        self.tokens: dict[str, float] = {}
        self.used_jtis: dict[tuple[str, str, str], float] = {}
        self.pushed: dict[str, dict[str, Any]] = {}
        self._key_cache: dict[str, SigningKey] = {}
        # For leak tests only: every secret value issued or successfully verified (dicts as ordered sets).
        self.canaries: dict[str, dict[str, None]] = {kind: {} for kind in CANARY_KINDS}

    # ----- clock -------------------------------------------------------------------------
    def now(self) -> float:
        """The simulator clock (wall clock plus the /_sim/clock offset)."""
        return time.time() + self.clock_offset

    def set_clock_offset(self, offset: float) -> None:
        """Shift the simulator clock."""
        with self.lock:
            self.clock_offset = float(offset)

    # ----- bootstrap / reset ---------------------------------------------------------------
    def reset(self) -> None:
        """Return to the bootstrap state (environments, workers, system apps); clears tokens, jtis, PARs."""
        with self.lock:
            self.environments = {}
            self.tokens.clear()
            self.used_jtis.clear()
            self.pushed.clear()
            for values in self.canaries.values():
                values.clear()
            for env in self.bootstrap.environments:
                if env["id"] not in self.environments:
                    self.create_environment(env.get("name") or "Environment", env["id"], bool(env.get("forbidden")), save=False)
            for worker in self.bootstrap.workers:
                env_id = worker["environment_id"]
                if env_id not in self.environments:
                    self.create_environment(f"Environment {env_id[:8]}", env_id, save=False)
                body = {"name": worker.get("name") or "Bootstrap Worker", "enabled": True, "type": "WORKER",
                        "protocol": "OPENID_CONNECT", "grantTypes": ["CLIENT_CREDENTIALS"],
                        "tokenEndpointAuthMethod": worker.get("token_endpoint_auth_method") or "CLIENT_SECRET_BASIC"}
                for key in ("jwks", "jwksUrl"):
                    if worker.get(key):
                        body[key] = worker[key]
                props = validate_application(body)
                self.create_app(env_id, props, app_id=worker["client_id"], secret=worker["client_secret"], save=False)
            self.save()

    def start(self) -> None:
        """Load the state file when it exists, else build the bootstrap state."""
        with self.lock:
            if self.state_path and os.path.exists(self.state_path):
                self.load()
            else:
                self.reset()

    # ----- environments ---------------------------------------------------------------------
    def create_environment(self, name: str, env_id: str | None = None, forbidden: bool = False, save: bool = True,
                           env_type: str = "SANDBOX") -> Environment:
        """Create an environment seeded with the system applications."""
        with self.lock:
            env_id = env_id or new_id()
            if env_id in self.environments:
                raise KeyError(env_id)
            key = self._key_cache.get(env_id)
            if key is None:
                key = SigningKey.generate()
                self._key_cache[env_id] = key
            stamp = iso(self.now())
            env = Environment(id=env_id, name=name, key=key, created_at=stamp, updated_at=stamp, forbidden=forbidden,
                              type=env_type)
            self.environments[env_id] = env
            seed_resources(env, stamp)
            seed_sign_on_policies(env, stamp)
            for system in SYSTEM_APPS:
                props = dict(system)
                props.update({"enabled": True, "protocol": "OPENID_CONNECT", "tokenEndpointAuthMethod": "NONE",
                              "pkceEnforcement": "OPTIONAL"})
                self.create_app(env_id, props, save=False)
            if save:
                self.save()
            return env

    def get_environment(self, env_id: str) -> Environment | None:
        """Environment by id (None when unknown)."""
        with self.lock:
            return self.environments.get(env_id)

    def list_environments(self) -> list[Environment]:
        """All environments in creation order."""
        with self.lock:
            return list(self.environments.values())

    def environment_of_domain(self, host: str) -> Environment | None:
        """The environment whose ACTIVE custom domain is ``host`` (a Host header; port 443 may be named), else None."""
        name = host.lower().removesuffix(":443")
        with self.lock:
            for env in self.environments.values():
                if any(item["domainName"].lower() == name and item["status"] == "ACTIVE" for item in env.custom_domains.values()):
                    return env
            return None

    # ----- applications ---------------------------------------------------------------------
    def create_app(self, env_id: str, props: dict[str, Any], app_id: str | None = None, secret: str | None = None,
                   save: bool = True) -> AppRecord:
        """Store a validated application; OIDC apps get a client secret."""
        with self.lock:
            env = self.environments[env_id]
            app_id = app_id or new_id()
            stamp = iso(self.now())
            data = dict(props)
            data.update({"id": app_id, "createdAt": stamp, "updatedAt": stamp})
            if data.get("protocol") == "OPENID_CONNECT":
                data["clientId"] = app_id
                secret = secret or generate_secret()
                self.record_canary("client_secrets", secret)
            else:
                secret = None
            record = AppRecord(data=data, secret=secret)
            seed_core_attributes(record, stamp)
            env.apps[app_id] = record
            if save:
                self.save()
            return record

    def get_app(self, env_id: str, app_id: str) -> AppRecord | None:
        """Application by id within an environment."""
        with self.lock:
            env = self.environments.get(env_id)
            return env.apps.get(app_id) if env else None

    def list_apps(self, env_id: str) -> list[AppRecord]:
        """Applications of an environment in creation order."""
        with self.lock:
            return list(self.environments[env_id].apps.values())

    def replace_app(self, env_id: str, app_id: str, props: dict[str, Any]) -> AppRecord:
        """Full replacement (PUT): keep id, clientId, createdAt and the secret."""
        with self.lock:
            record = self.environments[env_id].apps[app_id]
            data = dict(props)
            for key in ("id", "clientId", "createdAt"):
                if key in record.data:
                    data[key] = record.data[key]
            data["updatedAt"] = iso(self.now())
            record.data = data
            self.save()
            return record

    def delete_app(self, env_id: str, app_id: str) -> bool:
        """Delete an application; False when it did not exist."""
        with self.lock:
            env = self.environments.get(env_id)
            if env is None or app_id not in env.apps:
                return False
            del env.apps[app_id]
            for table in (env.grants, env.role_assignments, env.sign_on_policy_assignments, env.flow_policy_assignments):
                for key in [k for k, v in table.items() if v["application"]["id"] == app_id]:
                    del table[key]
            # role assignments scoped to this application go with it, whoever holds them (decision 24)
            for other in self.environments.values():
                for key in [k for k, v in other.role_assignments.items() if v["scope"] == {"id": app_id, "type": "APPLICATION"}]:
                    del other.role_assignments[key]
            self.save()
            return True

    # ----- secrets --------------------------------------------------------------------------
    def previous_valid(self, record: AppRecord) -> bool:
        """Whether the previous secret is still accepted."""
        with self.lock:
            return bool(record.previous_secret) and record.previous_expires_at is not None and record.previous_expires_at > self.now()

    def rotate_secret(self, record: AppRecord, previous_expires_at: float | None) -> None:
        """New current secret; the old one stays valid until previous_expires_at (None: expires now)."""
        with self.lock:
            if previous_expires_at is None:
                record.previous_secret = None
                record.previous_expires_at = None
            else:
                record.previous_secret = record.secret
                record.previous_expires_at = previous_expires_at
            record.previous_last_used = None
            record.secret = generate_secret()
            self.record_canary("client_secrets", record.secret)
            self.save()

    def revoke_previous_secret(self, record: AppRecord) -> None:
        """DELETE /secret: the previous secret stops working now."""
        with self.lock:
            record.previous_secret = None
            record.previous_expires_at = None
            record.previous_last_used = None
            self.save()

    def match_secret(self, record: AppRecord, candidate: str) -> bool:
        """Compare a presented secret with the current and the unexpired previous secret."""
        with self.lock:
            supplied = candidate.encode("utf-8")
            if record.secret and hmac.compare_digest(record.secret.encode("utf-8"), supplied):
                return True
            if self.previous_valid(record) and hmac.compare_digest(str(record.previous_secret).encode("utf-8"), supplied):
                self.mark_previous_used(record)
                return True
            return False

    def valid_secrets(self, record: AppRecord) -> list[tuple[str, bool]]:
        """(secret, is_previous) pairs that currently authenticate the client."""
        with self.lock:
            result = [(record.secret, False)] if record.secret else []
            if self.previous_valid(record):
                result.append((str(record.previous_secret), True))
            return result

    def mark_previous_used(self, record: AppRecord) -> None:
        """Record that the previous secret was just used."""
        with self.lock:
            record.previous_last_used = self.now()
            self.save()

    # ----- canaries (leak tests) ------------------------------------------------------------
    def record_canary(self, kind: str, value: str | None) -> None:
        """Remember a secret value that was issued or verified, for /_sim/canaries (never persisted)."""
        if kind not in self.canaries:
            raise ValueError(f"unknown canary kind {kind!r}")
        if value:
            with self.lock:
                self.canaries[kind][value] = None

    def canary_lists(self) -> dict[str, list[str]]:
        """The recorded canaries by kind, in the order they were first seen."""
        with self.lock:
            return {kind: list(values) for kind, values in self.canaries.items()}

    # ----- access tokens, assertion jtis, pushed requests ------------------------------------
    def register_token(self, jti: str, exp: float) -> None:
        """Remember an issued access token (so /_sim/tokens/revoke can invalidate it)."""
        with self.lock:
            now = self.now()
            for key in [k for k, v in self.tokens.items() if v < now - 3600]:
                del self.tokens[key]
            self.tokens[jti] = exp

    def token_known(self, jti: str) -> bool:
        """Whether the token was issued by this run and not revoked."""
        with self.lock:
            return jti in self.tokens

    def revoke_tokens(self) -> int:
        """Invalidate every access token issued so far; returns how many were live."""
        with self.lock:
            count = len(self.tokens)
            self.tokens.clear()
            return count

    def use_jti(self, env_id: str, client_id: str, jti: str, exp: float) -> bool:
        """Record a client assertion jti; False when it was already used and has not expired."""
        with self.lock:
            now = self.now()
            for key in [k for k, v in self.used_jtis.items() if v < now]:
                del self.used_jtis[key]
            key = (env_id, client_id, jti)
            if key in self.used_jtis:
                return False
            self.used_jtis[key] = exp
            return True

    def push_request(self, env_id: str, client_id: str, params: dict[str, str], lifetime: int) -> tuple[str, int]:
        """Store a pushed authorization request; returns (request_uri, expires_in)."""
        with self.lock:
            now = self.now()
            for key in [k for k, v in self.pushed.items() if v["expires_at"] < now]:
                del self.pushed[key]
            uri = f"urn:ietf:params:oauth:request_uri:{new_id()}"
            self.pushed[uri] = {"environment_id": env_id, "client_id": client_id, "parameters": params,
                                "expires_at": now + lifetime, "created_at": now}
            return uri, lifetime

    def take_pushed(self, uri: str) -> dict[str, Any] | None:
        """Consume a pushed request (single use); None when unknown, used or expired."""
        with self.lock:
            item = self.pushed.pop(uri, None)
            if item is None or item["expires_at"] < self.now():
                return None
            return item

    # ----- persistence ----------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """Serialisable state (environments, keys, applications, secrets)."""
        with self.lock:
            envs = []
            for env in self.environments.values():
                apps = []
                for record in env.apps.values():
                    item: dict[str, Any] = {"data": record.data, "secret": record.secret,
                                            "attributes": list(record.attributes.values())}
                    if record.previous_secret:
                        item["previous"] = {"secret": record.previous_secret, "expiresAt": record.previous_expires_at,
                                            "lastUsed": record.previous_last_used}
                    apps.append(item)
                envs.append({"id": env.id, "name": env.name, "forbidden": env.forbidden, "type": env.type, "createdAt": env.created_at,
                             "updatedAt": env.updated_at, "signingKey": {"kid": env.key.kid, "pem": env.key.to_pem()},
                             "applications": apps, "resources": list(env.resources.values()),
                             "grants": list(env.grants.values()), "roleAssignments": list(env.role_assignments.values()),
                             "customDomains": list(env.custom_domains.values()),
                             "signOnPolicies": list(env.sign_on_policies.values()), "flowPolicies": list(env.flow_policies.values()),
                             "signOnPolicyAssignments": list(env.sign_on_policy_assignments.values()),
                             "flowPolicyAssignments": list(env.flow_policy_assignments.values()),
                             "images": [dict(image, data=base64.b64encode(image["data"]).decode("ascii"))
                                        for image in env.images.values()]})
            return {"version": STATE_VERSION, "environments": envs}

    def save(self) -> None:
        """Write the state file atomically (no-op without --state)."""
        if not self.state_path:
            return
        with self.lock:
            doc = self.to_json()
            directory = os.path.dirname(os.path.abspath(self.state_path))
            fd, tmp = tempfile.mkstemp(prefix=".sim-state-", suffix=".tmp", dir=directory)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(doc, handle, indent=1)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.state_path)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise

    def load(self) -> None:
        """Replace the in-memory state with the state file's content."""
        with self.lock, open(str(self.state_path), encoding="utf-8") as handle:
            doc = json.load(handle)
            if doc.get("version") != STATE_VERSION:
                raise ValueError(f"unsupported state file version {doc.get('version')!r}")
            self.environments = {}
            for item in doc["environments"]:
                key = SigningKey.from_pem(item["signingKey"]["kid"], item["signingKey"]["pem"])
                self._key_cache[item["id"]] = key
                env = Environment(id=item["id"], name=item["name"], key=key, created_at=item["createdAt"],
                                  updated_at=item["updatedAt"], forbidden=bool(item.get("forbidden")),
                                  type=item.get("type") or "SANDBOX")
                for app in item["applications"]:
                    record = AppRecord(data=app["data"], secret=app.get("secret"))
                    record.attributes = {mapping["id"]: mapping for mapping in app.get("attributes", [])}
                    if "attributes" not in app:  # a state file from before attribute mappings existed
                        seed_core_attributes(record, record.data.get("createdAt", env.created_at))
                    self.record_canary("client_secrets", record.secret)
                    previous = app.get("previous")
                    if previous:
                        record.previous_secret = previous.get("secret")
                        self.record_canary("client_secrets", record.previous_secret)
                        record.previous_expires_at = previous.get("expiresAt")
                        record.previous_last_used = previous.get("lastUsed")
                    env.apps[record.id] = record
                env.resources = {res["id"]: res for res in item.get("resources", [])}
                env.grants = {grant["id"]: grant for grant in item.get("grants", [])}
                env.role_assignments = {ra["id"]: ra for ra in item.get("roleAssignments", [])}
                env.custom_domains = {domain["id"]: domain for domain in item.get("customDomains", [])}
                if not env.resources:  # a state file from before resources existed
                    seed_resources(env, env.created_at)
                env.sign_on_policies = {policy["id"]: policy for policy in item.get("signOnPolicies", [])}
                env.flow_policies = {policy["id"]: policy for policy in item.get("flowPolicies", [])}
                env.sign_on_policy_assignments = {sopa["id"]: sopa for sopa in item.get("signOnPolicyAssignments", [])}
                env.flow_policy_assignments = {fpa["id"]: fpa for fpa in item.get("flowPolicyAssignments", [])}
                env.images = {image["id"]: dict(image, data=base64.b64decode(image["data"])) for image in item.get("images", [])}
                if "signOnPolicies" not in item:  # a state file from before sign-on policies existed
                    seed_sign_on_policies(env, env.created_at)
                self.environments[env.id] = env
