# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pingone_application_resource_grant's main() against the in-process simulator."""

from __future__ import annotations

import pytest
import requests

from ansible_collections.pingone.oidc.plugins.module_utils import _access
from ansible_collections.pingone.oidc.plugins.module_utils._client import ClientConfig, PingOneClient
from ansible_collections.pingone.oidc.plugins.modules import pingone_application
from ansible_collections.pingone.oidc.plugins.modules import pingone_application_resource_grant as module

GRANTS = '/v1/environments/{envId}/applications/{appId}/grants'
WRITE_ROUTES = ('POST ' + GRANTS, 'PUT ' + GRANTS + '/{grantId}', 'DELETE ' + GRANTS + '/{grantId}')


@pytest.fixture
def env(simulator, run_module):
    env_id = simulator.new_environment('grants')
    result, failed = run_module(pingone_application, dict(simulator.module_auth(), environment_id=env_id, name='Grant App',
                                                          type='WEB_APP', redirect_uris=['https://g.example.com/cb']))
    assert not failed
    return env_id, result['client_id']


def service(simulator, env_id):
    client = PingOneClient(ClientConfig(api_url=simulator.api_url, auth_url=simulator.url, environment_id=simulator.environment_id,
                                        client_id=simulator.client_id, client_secret=simulator.client_secret))
    return _access.AccessService(client, env_id)


def run(run_module, simulator, env_id, check_mode=False, diff=False, **args):
    args.setdefault('name', 'Grant App')
    return run_module(module, dict(simulator.module_auth(), environment_id=env_id, **args), check_mode, diff)


def writes(simulator):
    by_route = simulator.stats()['by_route']
    return sum(by_route.get(route, 0) for route in WRITE_ROUTES)


def granted(simulator, env_id, app_id, resource_name):
    svc = service(simulator, env_id)
    resource = svc.resolve_resource(resource_name)
    names = {scope['id']: scope['name'] for scope in svc.list_scopes(resource['id'])}
    grant = svc.find_grant(app_id, resource['id'])
    return [names[item['id']] for item in grant['scopes']] if grant else None


def test_add_scopes_without_dropping_others_then_remove(simulator, env, run_module):
    env_id, app_id = env
    planned, failed = run(run_module, simulator, env_id, resource='openid', scopes=['openid', 'profile'], check_mode=True, diff=True)
    assert not failed and planned['changed'] is True and planned['scopes'] == ['openid', 'profile'] and 'grant' not in planned
    assert planned['diff'] == {'before': {'resource': 'openid', 'scopes': []}, 'after': {'resource': 'openid', 'scopes': ['openid', 'profile']}}
    assert writes(simulator) == 0 and granted(simulator, env_id, app_id, 'openid') is None
    first, failed = run(run_module, simulator, env_id, resource='OpenID', scopes=['openid', 'profile'])
    assert not failed and first['changed'] is True and first['resource']['type'] == 'OPENID_CONNECT'
    assert first['msg'] == "Resource 'openid' for application 'Grant App': granted openid, profile (grant created)"
    assert first['grant']['resource'] == {'id': first['resource']['id']} and '_links' not in first['grant']
    assert granted(simulator, env_id, app_id, 'openid') == ['openid', 'profile']
    again, failed = run(run_module, simulator, env_id, resource='openid', scopes=['profile', 'openid'])
    assert not failed and again['changed'] is False and again['grant']['id'] == first['grant']['id']
    assert writes(simulator) == 1
    more, failed = run(run_module, simulator, env_id, resource=first['resource']['id'], scopes=['offline_access'], diff=True)
    assert not failed and more['changed'] is True and more['scopes'] == ['openid', 'profile', 'offline_access']
    assert more['diff']['after']['scopes'] == ['offline_access', 'openid', 'profile']
    assert granted(simulator, env_id, app_id, 'openid') == ['openid', 'profile', 'offline_access']
    assert more['grant']['id'] == first['grant']['id']  # updated in place, not recreated
    planned_removal, failed = run(run_module, simulator, env_id, resource='openid', scopes=['profile'], state='absent', check_mode=True)
    assert not failed and planned_removal['changed'] and planned_removal['scopes'] == ['openid', 'offline_access']
    assert granted(simulator, env_id, app_id, 'openid') == ['openid', 'profile', 'offline_access']
    removed, failed = run(run_module, simulator, env_id, resource='openid', scopes=['profile', 'email'], state='absent')
    assert not failed and removed['changed'] and removed['msg'].endswith('revoked profile')
    assert granted(simulator, env_id, app_id, 'openid') == ['openid', 'offline_access']
    same, failed = run(run_module, simulator, env_id, resource='openid', scopes=['profile'], state='absent')
    assert not failed and same['changed'] is False
    deleted, failed = run(run_module, simulator, env_id, resource='openid', state='absent')
    assert not failed and deleted['changed'] and deleted['scopes'] == [] and 'grant' not in deleted
    assert deleted['msg'].endswith('(grant deleted)') and granted(simulator, env_id, app_id, 'openid') is None
    nothing, failed = run(run_module, simulator, env_id, resource='openid', state='absent')
    assert not failed and nothing['changed'] is False and nothing['msg'] == "Application 'Grant App' has no grant for resource 'openid'"


def test_exclusive_sets_exactly_the_scopes_and_removing_the_last_deletes_the_grant(simulator, env, run_module):
    env_id, app_id = env
    run(run_module, simulator, env_id, resource='openid', scopes=['openid', 'profile', 'email'])
    exact, failed = run(run_module, simulator, env_id, resource='openid', scopes=['email', 'phone'], exclusive=True)
    assert not failed and exact['changed'] and exact['scopes'] == ['email', 'phone']
    assert exact['msg'] == "Resource 'openid' for application 'Grant App': granted phone; revoked openid, profile"
    assert granted(simulator, env_id, app_id, 'openid') == ['email', 'phone']
    reordered, failed = run(run_module, simulator, env_id, resource='openid', scopes=['phone', 'email'], exclusive=True)
    assert not failed and reordered['changed'] is False
    last, failed = run(run_module, simulator, env_id, resource='openid', scopes=['email', 'phone'], state='absent')
    assert not failed and last['changed'] and granted(simulator, env_id, app_id, 'openid') is None


def test_custom_resource_and_pingone_api_grants_are_separate(simulator, env, run_module):
    env_id, app_id = env
    svc = service(simulator, env_id)
    orders = svc.create_resource('Orders API', audience='https://orders.example.com')
    read = svc.create_scope(orders['id'], 'orders:read')
    svc.create_scope(orders['id'], 'orders:write')
    custom, failed = run(run_module, simulator, env_id, resource='orders api', scopes=[read['id'], 'orders:write'])
    assert not failed and custom['resource'] == {'id': orders['id'], 'name': 'Orders API', 'type': 'CUSTOM'}
    assert custom['scopes'] == ['orders:read', 'orders:write']
    api, failed = run(run_module, simulator, env_id, resource='PingOne API', scopes=['p1:read:user'])
    assert not failed and api['changed']
    assert granted(simulator, env_id, app_id, 'Orders API') == ['orders:read', 'orders:write']
    assert granted(simulator, env_id, app_id, 'PingOne API') == ['p1:read:user']


def test_bad_input_fails_with_one_line_naming_the_option(simulator, env, run_module):
    env_id, dummy = env
    cases = [
        (dict(resource='openid', scopes=['openid', 'superpowers']), "scopes: 'superpowers' is not a scope of resource 'openid'"),
        (dict(resource='Nope', scopes=['x']), "Resource 'Nope' does not exist in environment"),
        (dict(resource='openid'), 'scopes'),
        (dict(resource='openid', scopes=[]), 'scopes must list at least one scope'),
        (dict(resource='openid', state='absent', exclusive=True), 'exclusive applies to state=present only'),
        (dict(resource='openid', scopes=['openid'], name='Nobody'), "Application 'Nobody' does not exist"),
    ]
    for args, text in cases:
        result, failed = run(run_module, simulator, env_id, **args)
        assert failed and text in result['msg'] and '\n' not in result['msg'], (args, result['msg'])
    assert writes(simulator) == 0
    assert simulator.client_secret not in str(result)


def test_granted_custom_scopes_reach_client_credentials_tokens(simulator, run_module):
    env_id = simulator.new_environment('tokens')
    args = dict(simulator.module_auth(), environment_id=env_id, name='Svc', type='WORKER', enabled=True, grant_types=['CLIENT_CREDENTIALS'])
    app, failed = run_module(pingone_application, args)
    assert not failed
    svc = service(simulator, env_id)
    orders = svc.create_resource('Orders API', audience='https://orders.example.com')
    svc.create_scope(orders['id'], 'orders:read')
    dummy, failed = run(run_module, simulator, env_id, name='Svc', resource='Orders API', scopes=['orders:read'])
    assert not failed
    secret = svc.client.request('GET', 'environments/%s/applications/%s/secret' % (env_id, app['client_id']), 'Reading').body['secret']
    token = requests.post('%s/%s/as/token' % (simulator.url, env_id), data={'grant_type': 'client_credentials'},
                          auth=(app['client_id'], secret), timeout=10).json()
    assert token.get('scope') == 'orders:read', token
