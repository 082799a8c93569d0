# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""No credential reaches another host: redirects and foreign paging links injected by the simulator's fault control."""

from __future__ import annotations

import http.server
import threading

import pytest

from ansible_collections.pingone.oidc.plugins.modules import pingone_application_info as info_module


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen = []

    def _record(self):
        length = int(self.headers.get('Content-Length') or 0)
        self.seen.append({'method': self.command, 'path': self.path, 'headers': dict(self.headers),
                          'body': self.rfile.read(length).decode('utf-8', 'replace') if length else ''})
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', '2')
        self.end_headers()
        self.wfile.write(b'{}')

    do_GET = do_POST = do_PUT = do_DELETE = _record  # noqa: N815

    def log_message(self, *args):  # pylint: disable=arguments-differ
        pass


@pytest.fixture
def other_host():
    """A server on another loopback address that records whatever reaches it."""
    _Recorder.seen = []
    try:
        server = http.server.HTTPServer(('127.0.0.2', 0), _Recorder)
    except OSError:
        server = http.server.HTTPServer(('127.0.0.1', 0), _Recorder)  # still another origin (port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield 'http://%s:%d' % server.server_address, _Recorder.seen
    server.shutdown()


@pytest.mark.parametrize('auth_method', ['CLIENT_SECRET_BASIC', 'CLIENT_SECRET_POST'])
def test_the_worker_secret_does_not_follow_a_redirect_of_the_token_endpoint(simulator, run_module, other_host, auth_method):
    url, seen = other_host
    simulator.control('POST', 'faults', json={'action': 'redirect', 'status': 307, 'method': 'POST', 'path_regex': '/as/token$',
                                              'location': url + '/steal'})
    result, failed = run_module(info_module, dict(simulator.module_auth(), pingone_client_auth_method=auth_method))
    assert failed and 'which is not followed' in result['msg'] and url in result['msg']
    assert seen == []


def test_the_bearer_token_does_not_follow_a_paging_link_to_another_host(simulator, run_module, other_host):
    url, seen = other_host
    simulator.control('POST', 'faults', json={'action': 'foreign_next', 'method': 'GET', 'path_regex': '/applications$',
                                              'location': url + '/v1/environments/x/applications?cursor=2'})
    result, failed = run_module(info_module, simulator.module_auth())
    assert failed and 'FOREIGN_PAGE_LINK' in result['msg'] and url in result['msg']
    assert seen == []


def test_an_api_redirect_is_not_followed_with_the_bearer_token(simulator, run_module, other_host):
    url, seen = other_host
    simulator.control('POST', 'faults', json={'action': 'redirect', 'status': 308, 'method': 'GET', 'path_regex': '/applications$',
                                              'location': url + '/v1/steal'})
    result, failed = run_module(info_module, simulator.module_auth())
    assert failed and 'HTTP 308 with a redirect to %s' % url in result['msg']
    assert seen == []
