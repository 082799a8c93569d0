"""Fixtures for the simulator tests (Flask test client, no sockets)."""

from __future__ import annotations

import os
import sys
from typing import Any

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# pylint: disable=wrong-import-position
from sim_helpers import Api  # noqa: E402
from pingone_sim.app import create_app  # noqa: E402
from pingone_sim.config import SimConfig  # noqa: E402


@pytest.fixture(name="make_app")
def fixture_make_app() -> Any:
    """Factory for apps with a custom config."""
    def make(**kwargs: Any) -> Any:
        kwargs.setdefault("quiet", True)
        return create_app(SimConfig(**kwargs))
    return make


@pytest.fixture(name="app")
def fixture_app(make_app: Any) -> Any:
    """Default simulator app."""
    return make_app()


@pytest.fixture(name="client")
def fixture_client(app: Any) -> Any:
    """Flask test client."""
    return app.test_client()


@pytest.fixture(name="api")
def fixture_api(client: Any) -> Api:
    """Authenticated management API helper."""
    return Api(client)
