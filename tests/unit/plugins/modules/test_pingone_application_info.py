# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pingone_application_info's main() against the in-process simulator."""

from __future__ import annotations

import json

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils._client import ClientConfig, PingOneClient
from ansible_collections.pingone.oidc.plugins.modules import pingone_application_info as module

WEB_APP = {'name': 'Orders Web', 'type': 'WEB_APP', 'protocol': 'OPENID_CONNECT', 'enabled': True,
           'grantTypes': ['AUTHORIZATION_CODE'], 'responseTypes': ['CODE'],
           'redirectUris': ['https://orders.example.com/cb'], 'tokenEndpointAuthMethod': 'CLIENT_SECRET_BASIC'}


@pytest.fixture
def seeded(simulator):
    client = PingOneClient(ClientConfig(api_url=simulator.api_url, auth_url=simulator.url,
                                        environment_id=simulator.environment_id, client_id=simulator.client_id,
                                        client_secret=simulator.client_secret))
    env = simulator.new_environment()
    path = 'environments/%s/applications' % env
    web = client.request('POST', path, 'Creating', json_body=WEB_APP, expected=(201,)).body
    other = client.request('POST', path, 'Creating', json_body=dict(WEB_APP, name='Billing'), expected=(201,)).body
    return env, web, other


def test_lists_user_applications_sorted_by_name(simulator, seeded, run_module):
    env, web, other = seeded
    result, failed = run_module(module, dict(simulator.module_auth(), environment_id=env))
    assert not failed and result['changed'] is False
    assert [app['id'] for app in result['applications']] == [other['id'], web['id']]
    assert all('_links' not in app for app in result['applications'])
    assert result['endpoints']['token_endpoint'] == '%s/%s/as/token' % (simulator.url, env)


def test_gets_by_id_and_by_name(simulator, seeded, run_module):
    env, web, dummy = seeded
    by_id, failed = run_module(module, dict(simulator.module_auth(), environment_id=env, application_id=web['id']))
    assert not failed and [app['name'] for app in by_id['applications']] == ['Orders Web']
    by_name, failed = run_module(module, dict(simulator.module_auth(), environment_id=env, name='orders WEB'))
    assert not failed and [app['id'] for app in by_name['applications']] == [web['id']]


def test_secrets_never_leave_the_module(simulator, seeded, run_module):
    env, web, dummy = seeded
    result, dummy2 = run_module(module, dict(simulator.module_auth(), environment_id=env))
    text = json.dumps(result)
    assert simulator.client_secret not in text
    assert 'clientSecret' not in text


def test_environment_defaults_to_the_worker_environment(simulator, run_module):
    result, failed = run_module(module, simulator.module_auth())
    assert not failed
    assert simulator.environment_id in result['endpoints']['issuer']
    # the bootstrap worker lives there
    assert simulator.client_id in [app['id'] for app in result['applications']]


def test_wrong_secret_fails_with_a_hint_and_no_secret(simulator, run_module):
    args = dict(simulator.module_auth(), pingone_client_secret='definitely-wrong-secret')
    result, failed = run_module(module, args)
    assert failed
    assert 'invalid_client' in result['msg'] and 'pingone_client_secret' in result['msg']
    assert 'definitely-wrong-secret' not in json.dumps(result)
    assert result['status_code'] == 401


def test_missing_credentials_name_the_options(run_module, monkeypatch):
    for name in ('PINGONE_CLIENT_ID', 'PINGONE_CLIENT_SECRET', 'PINGONE_ENVIRONMENT_ID', 'PINGONE_API_ACCESS_TOKEN'):
        monkeypatch.delenv(name, raising=False)
    result, failed = run_module(module, dict(environment_id='e', pingone_client_id='x'))
    assert failed
    assert result['msg'].startswith('Missing PingOne credentials: pingone_environment_id, pingone_client_secret.')


def test_credentials_from_environment_variables(simulator, run_module, monkeypatch):
    monkeypatch.setenv('PINGONE_API_URL', simulator.api_url)
    monkeypatch.setenv('PINGONE_AUTH_URL', simulator.url)
    monkeypatch.setenv('PINGONE_ENVIRONMENT_ID', simulator.environment_id)
    monkeypatch.setenv('PINGONE_CLIENT_ID', simulator.client_id)
    monkeypatch.setenv('PINGONE_CLIENT_SECRET', simulator.client_secret)
    result, failed = run_module(module, {})
    assert not failed and result['applications']


def test_unknown_environment_is_a_one_line_404(simulator, run_module):
    result, failed = run_module(module, dict(simulator.module_auth(), environment_id='99999999-9999-4999-8999-999999999999'))
    assert failed and result['status_code'] == 404
    assert 'HTTP 404 NOT_FOUND' in result['msg'] and '\n' not in result['msg']
