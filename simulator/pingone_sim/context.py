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


def issuer(env_id: str) -> str:
    """The environment's issuer, {public_url}/{envId}/as."""
    return f"{base_url()}/{env_id}/as"
