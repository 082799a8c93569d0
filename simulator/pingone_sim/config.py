"""Simulator configuration: defaults, the --config JSON file and bootstrap data."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from .store import Bootstrap

DEFAULT_ENVIRONMENT_ID = "11111111-1111-4111-8111-111111111111"
DEFAULT_WORKER_ID = "22222222-2222-4222-8222-222222222222"
DEFAULT_WORKER_SECRET = "sim-default-worker-secret.local-test-fixture~0123456789abcdefghijklmnopqrstuvwxyz"
DEFAULT_ENVIRONMENT_NAME = "Administrators"
DEFAULT_WORKER_NAME = "Bootstrap Worker"

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
WORKER_METHODS = ("CLIENT_SECRET_BASIC", "CLIENT_SECRET_POST", "CLIENT_SECRET_JWT", "PRIVATE_KEY_JWT")
MIN_SECRET_LENGTH = 8


class ConfigError(ValueError):
    """Invalid configuration."""


@dataclass
class SimConfig:  # pylint: disable=too-many-instance-attributes
    """Everything create_app needs."""

    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str | None = None
    page_size: int = 0
    token_lifetime: int = 3600
    state_path: str | None = None
    quiet: bool = False
    record_path: str | None = None
    environments: list[dict[str, Any]] = field(default_factory=list)
    workers: list[dict[str, Any]] = field(default_factory=list)

    def bootstrap(self) -> Bootstrap:
        """Bootstrap data; the documented default environment and worker when no worker is configured."""
        environments = list(self.environments)
        workers = list(self.workers)
        if not workers:
            if not any(env["id"] == DEFAULT_ENVIRONMENT_ID for env in environments):
                environments.append({"id": DEFAULT_ENVIRONMENT_ID, "name": DEFAULT_ENVIRONMENT_NAME, "forbidden": False})
            workers.append({"environment_id": DEFAULT_ENVIRONMENT_ID, "client_id": DEFAULT_WORKER_ID,
                            "client_secret": DEFAULT_WORKER_SECRET, "name": DEFAULT_WORKER_NAME,
                            "token_endpoint_auth_method": "CLIENT_SECRET_BASIC"})
        return Bootstrap(environments=environments, workers=workers)


def _uuid(value: Any, what: str) -> str:
    if not isinstance(value, str) or not UUID_RE.match(value):
        raise ConfigError(f"{what} must be a lowercase UUID, got {value!r}")
    return value


def _int(value: Any, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(f"{what} must be an integer between {low} and {high}")
    return value


def check_environment(item: Any) -> dict[str, Any]:
    """Validate one entry of "environments"."""
    if not isinstance(item, dict):
        raise ConfigError("each environment must be an object")
    env_id = _uuid(item.get("id"), "environment id")
    name = item.get("name") or f"Environment {env_id[:8]}"
    if not isinstance(name, str):
        raise ConfigError("environment name must be a string")
    forbidden = item.get("forbidden", False)
    if not isinstance(forbidden, bool):
        raise ConfigError("environment forbidden must be a boolean")
    return {"id": env_id, "name": name, "forbidden": forbidden}


def check_worker(item: Any) -> dict[str, Any]:
    """Validate one entry of "workers"."""
    if not isinstance(item, dict):
        raise ConfigError("each worker must be an object")
    worker = {
        "environment_id": _uuid(item.get("environment_id"), "worker environment_id"),
        "client_id": _uuid(item.get("client_id"), "worker client_id"),
        "name": item.get("name") or DEFAULT_WORKER_NAME,
        "token_endpoint_auth_method": item.get("token_endpoint_auth_method") or "CLIENT_SECRET_BASIC",
    }
    secret = item.get("client_secret")
    if not isinstance(secret, str) or len(secret) < MIN_SECRET_LENGTH:
        raise ConfigError(f"worker {worker['client_id']}: client_secret must be a string of at least {MIN_SECRET_LENGTH} characters")
    worker["client_secret"] = secret
    if worker["token_endpoint_auth_method"] not in WORKER_METHODS:
        raise ConfigError(f"worker token_endpoint_auth_method must be one of {', '.join(WORKER_METHODS)}")
    for key in ("jwks", "jwksUrl"):
        if item.get(key) is not None:
            worker[key] = item[key]
    return worker


def load_config_file(path: str) -> dict[str, Any]:
    """Read and validate a --config JSON file (all keys optional)."""
    try:
        with open(path, encoding="utf-8") as handle:
            doc = json.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from exc
    except ValueError as exc:
        raise ConfigError(f"config file {path} is not valid JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise ConfigError("config file must hold a JSON object")
    unknown = sorted(set(doc) - {"environments", "workers", "page_size", "token_lifetime"})
    if unknown:
        raise ConfigError(f"unknown config keys: {', '.join(unknown)}")
    result: dict[str, Any] = {}
    envs = doc.get("environments", [])
    workers = doc.get("workers", [])
    if not isinstance(envs, list) or not isinstance(workers, list):
        raise ConfigError("environments and workers must be arrays")
    result["environments"] = [check_environment(item) for item in envs]
    result["workers"] = [check_worker(item) for item in workers]
    if "page_size" in doc:
        result["page_size"] = _int(doc["page_size"], "page_size", 0, 1000)
    if "token_lifetime" in doc:
        result["token_lifetime"] = _int(doc["token_lifetime"], "token_lifetime", 1, 86400)
    ids = [env["id"] for env in result["environments"]]
    if len(ids) != len(set(ids)):
        raise ConfigError("duplicate environment ids in config")
    clients = [worker["client_id"] for worker in result["workers"]]
    if len(clients) != len(set(clients)):
        raise ConfigError("duplicate worker client_ids in config")
    return result
