# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pingone_access_token's main() against the in-process simulator: one token request, a usable token, no leak."""

from __future__ import annotations

import json
import time

import requests

from ansible_collections.pingone.oidc.plugins.module_utils._client import token_lifetime
from ansible_collections.pingone.oidc.plugins.modules import pingone_access_token as module
from ansible_collections.pingone.oidc.plugins.modules import pingone_application as application_module

TOKEN_ROUTE = 'POST /{envId}/as/token'


def reset_stats(simulator):
    simulator.control('DELETE', 'stats')


def list_status(simulator, token):
    response = requests.get('%s/environments/%s/applications' % (simulator.api_url, simulator.environment_id),
                            headers={'Authorization': 'Bearer ' + token}, timeout=10)
    return response.status_code


def test_one_token_request_returns_a_usable_token_and_its_expiry(simulator, run_module):
    reset_stats(simulator)
    before = int(time.time())
    result, failed = run_module(module, simulator.module_auth())
    after = int(time.time())
    assert not failed and result['changed'] is False
    stats = simulator.stats()
    assert stats['total'] == 1 and stats['by_route'] == {TOKEN_ROUTE: 1}
    token = result['access_token']
    assert token and token.count('.') == 2  # the simulator issues JWTs
    assert result['token_type'] == 'Bearer'
    assert result['expires_in'] == 3600
    assert before + 3600 <= result['expires_at'] <= after + 3600
    assert result['token_endpoint'] == '%s/%s/as/token' % (simulator.url, simulator.environment_id)
    assert list_status(simulator, token) == 200
    # The token is only in its documented return value.
    assert token not in result['msg'] and token not in json.dumps(result.get('warnings', []))
    assert result['msg'] == 'Obtained a worker access token from %s, valid 3600 s' % result['token_endpoint']


def test_check_mode_still_obtains_the_token(simulator, run_module):
    result, failed = run_module(module, simulator.module_auth(), check_mode=True)
    assert not failed and result['changed'] is False
    assert list_status(simulator, result['access_token']) == 200
    # nothing changed, so check mode words it the same (no "Would ...")
    assert result['msg'] == 'Obtained a worker access token from %s, valid 3600 s' % result['token_endpoint']


def test_a_shared_token_lets_other_modules_skip_their_token_request(simulator, run_module):
    token = run_module(module, simulator.module_auth())[0]['access_token']
    env = simulator.new_environment('shared-token')
    reset_stats(simulator)
    args = dict(pingone_api_url=simulator.api_url, pingone_auth_url=simulator.url, pingone_access_token=token,
                environment_id=env, type='WORKER')
    for index in range(3):
        result, failed = run_module(application_module, dict(args, name='Shared %d' % index))
        assert not failed and result['changed'] is True
    stats = simulator.stats()
    assert TOKEN_ROUTE not in stats['by_route']
    assert stats['total'] == 9  # per application: one list, one POST, and the list that shows no twin was made meanwhile


def test_a_given_access_token_is_ignored_and_a_new_one_requested(simulator, run_module):
    old, dummy = run_module(module, simulator.module_auth())
    simulator.control('POST', 'tokens/revoke')
    reset_stats(simulator)
    result, failed = run_module(module, dict(simulator.module_auth(), pingone_access_token=old['access_token']))
    assert not failed
    assert result['access_token'] != old['access_token']
    assert simulator.stats()['by_route'] == {TOKEN_ROUTE: 1}
    assert list_status(simulator, old['access_token']) == 401
    assert list_status(simulator, result['access_token']) == 200


def test_expires_at_is_the_request_time_plus_expires_in(simulator, run_module, monkeypatch):
    monkeypatch.setattr(module.time, 'time', lambda: 1000000.5)
    result, failed = run_module(module, simulator.module_auth())
    assert not failed and result['expires_at'] == 1000000 + 3600


def test_lifetime_parsing():
    # the module and the client's token cache read the lifetime the same way
    assert token_lifetime({'expires_in': 120}) == 120
    assert token_lifetime({'expires_in': '7200'}) == 7200
    assert token_lifetime({'expires_in': None}) == 3600
    assert token_lifetime({'expires_in': 'soon'}) == 3600
    assert token_lifetime({'expires_in': -5}) == 0


def test_wrong_secret_fails_without_leaking_it(simulator, run_module):
    secret = 'wrong-' + simulator.client_secret
    result, failed = run_module(module, dict(simulator.module_auth(), pingone_client_secret=secret))
    assert failed and 'access_token' not in result
    assert result['status_code'] == 401 and result['error'] == 'invalid_client'
    assert result['msg'].startswith('Obtaining a worker access token from %s/%s/as/token failed: HTTP 401 invalid_client'
                                    % (simulator.url, simulator.environment_id))
    assert 'Check pingone_client_id, pingone_client_secret' in result['msg']
    assert secret not in json.dumps(result)


def test_client_secret_post_is_sent_as_configured(simulator, run_module):
    # The simulator's worker uses CLIENT_SECRET_BASIC, so a POST attempt is refused naming both methods.
    result, failed = run_module(module, dict(simulator.module_auth(), pingone_client_auth_method='CLIENT_SECRET_POST'))
    assert failed and result['status_code'] == 401
    assert 'CLIENT_SECRET_POST' in result['msg'] and simulator.client_secret not in json.dumps(result)


def test_missing_credentials_fail_before_any_request(simulator, run_module, monkeypatch):
    for name in ('PINGONE_ENVIRONMENT_ID', 'PINGONE_CLIENT_ID', 'PINGONE_CLIENT_SECRET', 'PINGONE_API_ACCESS_TOKEN'):
        monkeypatch.delenv(name, raising=False)
    reset_stats(simulator)
    args = simulator.module_auth()
    del args['pingone_client_secret']
    result, failed = run_module(module, dict(args, pingone_access_token='not-used'))
    assert failed
    assert result['msg'].startswith('Missing PingOne worker credentials: pingone_client_secret.')
    assert 'not-used' not in json.dumps(result)
    assert simulator.stats()['total'] == 0


def test_throttled_token_request_is_retried(simulator, run_module):
    simulator.control('POST', 'faults', json={'action': 'status', 'status': 429, 'retry_after': '0', 'count': 1,
                                              'method': 'POST', 'path_regex': '/as/token$'})
    reset_stats(simulator)
    result, failed = run_module(module, simulator.module_auth())
    assert not failed and result['access_token']
    assert simulator.stats()['by_route'] == {TOKEN_ROUTE: 2}
