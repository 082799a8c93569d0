"""Helpers shared by the simulator tests."""

from __future__ import annotations

import base64
import os
import sys
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# pylint: disable=wrong-import-position
from pingone_sim.config import DEFAULT_ENVIRONMENT_ID, DEFAULT_WORKER_ID, DEFAULT_WORKER_SECRET  # noqa: E402

ENV = DEFAULT_ENVIRONMENT_ID
WORKER = DEFAULT_WORKER_ID
SECRET = DEFAULT_WORKER_SECRET
BASE = "http://localhost"
APPS = f"/v1/environments/{ENV}/applications"


def basic(client_id: str, secret: str) -> dict[str, str]:
    """Authorization header for client_secret_basic."""
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def get_token(client: Any, client_id: str = WORKER, secret: str = SECRET, env: str = ENV) -> str:
    """A management API token for a worker."""
    resp = client.post(f"/{env}/as/token", data={"grant_type": "client_credentials"}, headers=basic(client_id, secret))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.json["access_token"]


def web_app(**extra: Any) -> dict[str, Any]:
    """A minimal valid OIDC web application body."""
    body = {"name": "Web", "enabled": True, "type": "WEB_APP", "protocol": "OPENID_CONNECT",
            "grantTypes": ["AUTHORIZATION_CODE"], "responseTypes": ["CODE"], "redirectUris": ["https://app.example.com/cb"],
            "tokenEndpointAuthMethod": "CLIENT_SECRET_BASIC"}
    body.update(extra)
    return {k: v for k, v in body.items() if v is not None}


class Api:
    """Test client wrapper that sends the worker's bearer token."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.token = get_token(client)

    def headers(self) -> dict[str, str]:
        """Bearer header."""
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, **kw: Any) -> Any:
        """GET."""
        return self.client.get(path, headers=self.headers(), **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Any:
        """POST JSON (body None: no body)."""
        if body is None:
            return self.client.post(path, headers=self.headers(), **kw)
        return self.client.post(path, headers=self.headers(), json=body, **kw)

    def put(self, path: str, body: Any, **kw: Any) -> Any:
        """PUT JSON."""
        return self.client.put(path, headers=self.headers(), json=body, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        """DELETE."""
        return self.client.delete(path, headers=self.headers(), **kw)

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create an application and return its JSON."""
        resp = self.post(APPS, body)
        assert resp.status_code == 201, resp.get_data(as_text=True)
        return resp.json

    def secret(self, app_id: str) -> str:
        """Current secret of an application."""
        resp = self.get(f"{APPS}/{app_id}/secret")
        assert resp.status_code == 200, resp.get_data(as_text=True)
        return resp.json["secret"]
