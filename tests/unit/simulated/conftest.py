# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The in-process PingOne simulator on a loopback port (the built collection does not ship these tests)."""

from __future__ import annotations

import os
import sys
import threading
import uuid
from dataclasses import dataclass

import pytest
import requests

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'simulator'))

from pingone_sim.app import create_app  # noqa: E402 pylint: disable=wrong-import-position
from pingone_sim.config import SimConfig  # noqa: E402 pylint: disable=wrong-import-position
from werkzeug.serving import make_server  # noqa: E402 pylint: disable=wrong-import-position


@dataclass
class Simulator:
    url: str
    environment_id: str
    client_id: str
    client_secret: str
    forbidden_environment_id: str

    @property
    def api_url(self):
        return self.url + '/v1'

    def control(self, method, path, **kwargs):
        response = requests.request(method, self.url + '/_sim/' + path, timeout=10, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def new_environment(self, name='unit'):
        return self.control('POST', 'environments', json={'name': name})['id']

    def stats(self):
        return self.control('GET', 'stats')

    def module_auth(self):
        """The connection options of a module run against this simulator."""
        return dict(pingone_api_url=self.api_url, pingone_auth_url=self.url, pingone_environment_id=self.environment_id,
                    pingone_client_id=self.client_id, pingone_client_secret=self.client_secret)


def _start(page_size=0):
    environment_id, client_id, forbidden_id = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    secret = 'unit-' + uuid.uuid4().hex + uuid.uuid4().hex
    config = SimConfig(host='127.0.0.1', port=0, page_size=page_size, quiet=True,
                       environments=[{'id': environment_id, 'name': 'Administrators', 'forbidden': False},
                                     {'id': forbidden_id, 'name': 'Forbidden', 'forbidden': True}],
                       workers=[{'environment_id': environment_id, 'client_id': client_id, 'client_secret': secret,
                                 'name': 'Unit Worker', 'token_endpoint_auth_method': 'CLIENT_SECRET_BASIC'}])
    server = make_server('127.0.0.1', 0, None, threaded=True)
    config.public_url = 'http://127.0.0.1:%d' % server.server_port
    server.app = create_app(config)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, Simulator(config.public_url, environment_id, client_id, secret, forbidden_id)


@pytest.fixture(scope='session')
def simulator_server():
    server, sim = _start()
    yield sim
    server.shutdown()


@pytest.fixture
def simulator(simulator_server):
    """The shared simulator, reset to its bootstrap state for each test."""
    simulator_server.control('POST', 'reset')
    return simulator_server


@pytest.fixture(scope='session')
def paging_simulator():
    """A second simulator that pages collections two items at a time."""
    server, sim = _start(page_size=2)
    yield sim
    server.shutdown()
