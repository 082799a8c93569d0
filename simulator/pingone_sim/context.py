"""Access to the simulator objects of the current Flask app, and URL helpers."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request

from .config import SimConfig
from .faults import FaultRegistry, Stats
from .store import Store

EXTENSION = "pingone_sim"


@dataclass
class Sim:
    """The simulator objects one app works with."""

    config: SimConfig
    store: Store
    faults: FaultRegistry
    stats: Stats


def sim() -> Sim:
    """The Sim of the current app."""
    return current_app.extensions[EXTENSION]


def base_url() -> str:
    """Public base URL: --public-url, else the URL the request came in on."""
    public = sim().config.public_url
    return (public or request.host_url).rstrip("/")


def api_url(path: str) -> str:
    """Absolute management API URL for a path below /v1 (path starts with '/')."""
    return f"{base_url()}/v1{path}"


def served_domain(env_id: str) -> str | None:
    """The ACTIVE custom domain of the environment that this request came in on (its Host header), else None."""
    env = sim().store.environment_of_domain(request.host)
    return request.host.lower().removesuffix(":443") if env is not None and env.id == env_id else None


def issuer(env_id: str) -> str:
    """The environment's issuer as this request sees it: https://<domain>/as on its active custom domain (PingOne
    serves custom domains over https only), else {public_url}/{envId}/as."""
    domain = served_domain(env_id)
    return f"https://{domain}/as" if domain else f"{base_url()}/{env_id}/as"


def issuers(env_id: str) -> list[str]:
    """Every issuer the environment's tokens may carry: {public_url}/{envId}/as and one per ACTIVE custom domain."""
    env = sim().store.get_environment(env_id)
    domains = [item["domainName"].lower() for item in env.custom_domains.values() if item["status"] == "ACTIVE"] if env else []
    return [f"{base_url()}/{env_id}/as"] + [f"https://{domain}/as" for domain in domains]
