# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pingone_application_resource_grant's main() against the in-process simulator."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest
import requests

from ansible_collections.pingone.oidc.plugins.module_utils import _access, _client
from ansible_collections.pingone.oidc.plugins.module_utils._client import ClientConfig, PingOneClient
from ansible_collections.pingone.oidc.plugins.modules import pingone_application_resource_grant as module
from ansible_collections.pingone.oidc.tests.unit.results import warning_texts

GRANTS = '/v1/environments/{envId}/applications/{appId}/grants'
WRITE_ROUTES = ('POST ' + GRANTS, 'PUT ' + GRANTS + '/{grantId}', 'DELETE ' + GRANTS + '/{grantId}')


WEB_APP = {'type': 'WEB_APP', 'protocol': 'OPENID_CONNECT', 'enabled': True, 'grantTypes': ['AUTHORIZATION_CODE'],
           'responseTypes': ['CODE'], 'redirectUris': ['https://g.example.com/cb'], 'tokenEndpointAuthMethod': 'CLIENT_SECRET_BASIC'}
WORKER_APP = {'type': 'WORKER', 'protocol': 'OPENID_CONNECT', 'enabled': True, 'grantTypes': ['CLIENT_CREDENTIALS'],
              'tokenEndpointAuthMethod': 'CLIENT_SECRET_BASIC'}


def service(simulator, env_id):
    client = PingOneClient(ClientConfig(api_url=simulator.api_url, auth_url=simulator.url, environment_id=simulator.environment_id,
                                        client_id=simulator.client_id, client_secret=simulator.client_secret))
    return _access.AccessService(client, env_id)


def create_app(simulator, env_id, name, body):
    """An application made straight through the API (these tests do not depend on pingone_application)."""
    return service(simulator, env_id).client.request('POST', 'environments/%s/applications' % env_id, 'Creating',
                                                     json_body=dict(body, name=name), expected=(201,)).body['id']


@pytest.fixture
def env(simulator):
    env_id = simulator.new_environment('grants')
    return env_id, create_app(simulator, env_id, 'Grant App', WEB_APP)


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
    assert first['msg'] == "Granted openid, profile of resource 'openid' to application 'Grant App' (creating the grant)"
    assert first['grant']['resource'] == {'id': first['resource']['id']} and '_links' not in first['grant']
    assert granted(simulator, env_id, app_id, 'openid') == ['openid', 'profile']
    again, failed = run(run_module, simulator, env_id, resource='openid', scopes=['profile', 'openid'])
    assert not failed and again['changed'] is False and again['grant']['id'] == first['grant']['id']
    assert again['msg'] == "Application 'Grant App' already has the scopes of resource 'openid' it should have"
    assert writes(simulator) == 1
    more, failed = run(run_module, simulator, env_id, resource=first['resource']['id'], scopes=['offline_access'], diff=True)
    assert not failed and more['changed'] is True and more['scopes'] == ['openid', 'profile', 'offline_access']
    assert more['diff']['after']['scopes'] == ['offline_access', 'openid', 'profile']
    assert granted(simulator, env_id, app_id, 'openid') == ['openid', 'profile', 'offline_access']
    assert more['grant']['id'] == first['grant']['id']  # updated in place, not recreated
    assert more['msg'] == "Granted offline_access of resource 'openid' to application 'Grant App'"
    planned_removal, failed = run(run_module, simulator, env_id, resource='openid', scopes=['profile'], state='absent', check_mode=True)
    assert not failed and planned_removal['changed'] and planned_removal['scopes'] == ['openid', 'offline_access']
    assert planned_removal['msg'] == "Would revoke profile of resource 'openid' from application 'Grant App'"
    assert granted(simulator, env_id, app_id, 'openid') == ['openid', 'profile', 'offline_access']
    removed, failed = run(run_module, simulator, env_id, resource='openid', scopes=['profile', 'email'], state='absent')
    assert not failed and removed['changed'] and removed['msg'] == "Revoked profile of resource 'openid' from application 'Grant App'"
    assert granted(simulator, env_id, app_id, 'openid') == ['openid', 'offline_access']
    same, failed = run(run_module, simulator, env_id, resource='openid', scopes=['profile'], state='absent')
    assert not failed and same['changed'] is False
    deleted, failed = run(run_module, simulator, env_id, resource='openid', state='absent')
    assert not failed and deleted['changed'] and deleted['scopes'] == [] and 'grant' not in deleted
    assert deleted['msg'] == "Revoked openid, offline_access of resource 'openid' from application 'Grant App' (deleting the grant)"
    assert granted(simulator, env_id, app_id, 'openid') is None
    nothing, failed = run(run_module, simulator, env_id, resource='openid', state='absent')
    assert not failed and nothing['changed'] is False and nothing['msg'] == "Application 'Grant App' has no grant for resource 'openid'"


def test_check_mode_words_the_plan_and_writes_nothing(simulator, env, run_module):
    env_id, app_id = env
    planned, failed = run(run_module, simulator, env_id, resource='openid', scopes=['openid', 'profile'], check_mode=True)
    assert not failed and planned['changed'] is True
    assert planned['msg'] == "Would grant openid, profile of resource 'openid' to application 'Grant App' (creating the grant)"
    assert writes(simulator) == 0 and granted(simulator, env_id, app_id, 'openid') is None
    run(run_module, simulator, env_id, resource='openid', scopes=['openid', 'profile'])
    before = writes(simulator)
    planned, failed = run(run_module, simulator, env_id, resource='openid', scopes=['email'], exclusive=True, check_mode=True)
    assert not failed and planned['changed'] is True and planned['msg'].startswith('Would grant email ')
    assert planned['msg'].endswith("; would revoke openid, profile of resource 'openid' from application 'Grant App'")
    planned, failed = run(run_module, simulator, env_id, resource='openid', state='absent', check_mode=True)
    assert not failed and planned['changed'] is True and 'grant' not in planned
    assert planned['msg'] == "Would revoke openid, profile of resource 'openid' from application 'Grant App' (deleting the grant)"
    assert writes(simulator) == before and granted(simulator, env_id, app_id, 'openid') == ['openid', 'profile']


def test_exclusive_sets_exactly_the_scopes_and_removing_the_last_deletes_the_grant(simulator, env, run_module):
    env_id, app_id = env
    run(run_module, simulator, env_id, resource='openid', scopes=['openid', 'profile', 'email'])
    exact, failed = run(run_module, simulator, env_id, resource='openid', scopes=['email', 'phone'], exclusive=True)
    assert not failed and exact['changed'] and exact['scopes'] == ['email', 'phone']
    assert exact['msg'] == ("Granted phone of resource 'openid' to application 'Grant App'; "
                            "revoked openid, profile of resource 'openid' from application 'Grant App'")
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
        (dict(resource='Nope', scopes=['x']), "Resource 'Nope' does not exist in environment '%s'; resources there: PingOne API, openid" % env_id),
        (dict(resource='openid'), 'scopes must list at least one scope with state=present (to delete the grant use state=absent)'),
        (dict(resource='openid', scopes=[]), 'scopes must list at least one scope'),
        (dict(resource='openid', state='absent', exclusive=True), 'exclusive applies to state=present only'),
        (dict(resource='openid', scopes=['openid'], name='Nobody'),
         "Application 'Nobody' does not exist in environment '%s'; create it first with pingone.oidc.pingone_application" % env_id),
    ]
    for args, text in cases:
        result, failed = run(run_module, simulator, env_id, **args)
        assert failed and text in result['msg'] and '\n' not in result['msg'], (args, result['msg'])
    assert writes(simulator) == 0
    assert simulator.client_secret not in str(result)


def test_granted_custom_scopes_reach_client_credentials_tokens(simulator, run_module):
    env_id = simulator.new_environment('tokens')
    app_id = create_app(simulator, env_id, 'Svc', WORKER_APP)
    svc = service(simulator, env_id)
    orders = svc.create_resource('Orders API', audience='https://orders.example.com')
    svc.create_scope(orders['id'], 'orders:read')
    dummy, failed = run(run_module, simulator, env_id, name='Svc', resource='Orders API', scopes=['orders:read'])
    assert not failed
    secret = svc.client.request('GET', 'environments/%s/applications/%s/secret' % (env_id, app_id), 'Reading').body['secret']
    token = requests.post('%s/%s/as/token' % (simulator.url, env_id), data={'grant_type': 'client_credentials'},
                          auth=(app_id, secret), timeout=10).json()
    assert token.get('scope') == 'orders:read', token


# -- IDs and scope names never walk the URL path -------------------------------------------------------------------------


def test_a_scope_that_is_not_listed_fails_naming_scopes_before_any_write(simulator, env, run_module):
    env_id, dummy = env
    for scopes in (['../x'], ['openid', '..'], ['%2e%2e']):
        result, failed = run(run_module, simulator, env_id, resource='openid', scopes=scopes)
        assert failed and result['msg'].startswith('scopes: ') and "not a scope of resource 'openid'" in result['msg'], result['msg']
    assert writes(simulator) == 0
    assert not [route for route in simulator.stats()['by_route'] if 'unmatched' in route]


# -- two runs at once: the second POST meets the first run's grant --------------------------------------------------------


def params(**args):
    """Every option of the module with its default, then ``args`` (what ``ensure`` gets as ctx.params)."""
    values = {name: spec.get('default') for name, spec in module.OPTIONS.items()}
    values.update(args)
    return values


def context(simulator, env_id, **args):
    """What ``ensure`` uses of the wrapper, with a client of its own (one per thread)."""
    client = service(simulator, env_id).client
    return SimpleNamespace(params=params(**args), check_mode=False, diff_mode=False, client=client, environment_id=env_id)


def make_grant_behind_the_back(monkeypatch, simulator, env_id, app_id, scope_names):
    """The first read of the grant finds none, and right after it another run creates one with these scopes."""
    real = _access.AccessService.find_grant
    reads = []

    def find_grant(self, application_id, resource_id):
        reads.append(resource_id)
        if len(reads) == 1:
            other = service(simulator, env_id)
            wanted = [s['id'] for s in other.list_scopes(resource_id) if s['name'] in scope_names]
            other.create_grant(application_id, resource_id, wanted)
            return None
        return real(self, application_id, resource_id)

    monkeypatch.setattr(_access.AccessService, 'find_grant', find_grant)
    return reads


def test_a_grant_created_by_another_run_meanwhile_gets_the_wanted_scopes_merged_in(simulator, env, run_module, monkeypatch):
    env_id, app_id = env
    reads = make_grant_behind_the_back(monkeypatch, simulator, env_id, app_id, ['openid', 'email'])
    result, failed = run(run_module, simulator, env_id, resource='openid', scopes=['openid', 'profile'], diff=True)
    assert not failed and result['changed'] is True, result
    assert result['msg'] == "Granted profile of resource 'openid' to application 'Grant App'"
    assert warning_texts(result) == ["Another run created the grant of resource 'openid' of application 'Grant App' at the same time; "
                                     "this run planned again from what is there now"]
    assert result['scopes'] == ['openid', 'email', 'profile'] and result['diff']['before']['scopes'] == ['email', 'openid']
    assert len(reads) == 2
    by_route = simulator.stats()['by_route']
    assert by_route['POST ' + GRANTS] == 2 and by_route['PUT ' + GRANTS + '/{grantId}'] == 1  # the other run's POST, ours, our PUT
    grants = service(simulator, env_id).list_grants(app_id)
    assert len(grants) == 1 and result['grant']['id'] == grants[0]['id']
    assert granted(simulator, env_id, app_id, 'openid') == ['openid', 'email', 'profile']


def test_a_grant_another_run_made_just_as_wanted_is_left_alone(simulator, env, run_module, monkeypatch):
    env_id, app_id = env
    make_grant_behind_the_back(monkeypatch, simulator, env_id, app_id, ['openid', 'profile'])
    result, failed = run(run_module, simulator, env_id, resource='openid', scopes=['profile', 'openid'])
    assert not failed and result['changed'] is False, result
    assert result['msg'] == "Application 'Grant App' already has the scopes of resource 'openid' it should have"
    assert warning_texts(result)[0].startswith("Another run created the grant of resource 'openid' of application 'Grant App' ")
    assert simulator.stats()['by_route'].get('PUT ' + GRANTS + '/{grantId}', 0) == 0
    assert len(service(simulator, env_id).list_grants(app_id)) == 1


def test_two_runs_at_once_end_with_one_grant_holding_both_runs_scopes(simulator, env, monkeypatch):
    """Both threads read "no grant" (a barrier holds each after its first read until the other has read too), both POST;
    PingOne takes one and refuses the other, which reads again and merges its scope in."""
    env_id, app_id = env
    real = _access.AccessService.find_grant
    barrier = threading.Barrier(2, timeout=20)
    local = threading.local()

    def find_grant(self, application_id, resource_id):
        found = real(self, application_id, resource_id)
        if not getattr(local, 'read', False):
            local.read = True
            barrier.wait()
        return found

    monkeypatch.setattr(_access.AccessService, 'find_grant', find_grant)
    outcomes = {}

    def one_run(scope):
        try:
            outcomes[scope] = module.ensure(context(simulator, env_id, name='Grant App', resource='openid', scopes=[scope]))
        except Exception as exc:  # pylint: disable=broad-except
            outcomes[scope] = exc

    threads = [threading.Thread(target=one_run, args=(scope,)) for scope in ('email', 'phone')]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    monkeypatch.undo()
    results = list(outcomes.values())
    assert all(not isinstance(item, Exception) for item in results), results
    assert all(item.changed for item in results)
    assert sorted(len(item.warnings) for item in results) == [0, 1]
    loser = next(item for item in results if item.warnings)
    assert loser.warnings[0].startswith('Another run created the grant') and loser.values['scopes'] in (['email', 'phone'], ['phone', 'email'])
    assert simulator.stats()['by_route']['POST ' + GRANTS] == 2
    assert len(service(simulator, env_id).list_grants(app_id)) == 1
    assert sorted(granted(simulator, env_id, app_id, 'openid')) == ['email', 'phone']


# -- lost replies ---------------------------------------------------------------------------------------------------------


def test_a_create_whose_reply_is_lost_is_found_on_reading_again(simulator, env, run_module):
    env_id, app_id = env
    simulator.control('POST', 'faults', json={'action': 'commit_then_drop', 'method': 'POST', 'path_regex': '/grants$'})
    result, failed = run(run_module, simulator, env_id, resource='openid', scopes=['openid', 'profile'])
    assert not failed and result['changed'] is True, result
    assert result['msg'] == "Granted openid, profile of resource 'openid' to application 'Grant App' (creating the grant)"
    assert warning_texts(result) == ["The request to create the grant of resource 'openid' of application 'Grant App' had no clear outcome "
                                     "(no reply, or HTTP 500/502/504); reading the grant again showed the change in place"]
    assert simulator.stats()['by_route']['POST ' + GRANTS] == 1
    assert result['grant']['id'] == service(simulator, env_id).list_grants(app_id)[0]['id']


def test_an_update_whose_reply_is_lost_is_found_on_reading_again(simulator, env, run_module):
    env_id, app_id = env
    run(run_module, simulator, env_id, resource='openid', scopes=['openid'])
    simulator.control('POST', 'faults', json={'action': 'commit_then_drop', 'method': 'PUT', 'path_regex': '/grants/'})
    result, failed = run(run_module, simulator, env_id, resource='openid', scopes=['email'])
    assert not failed and result['changed'] is True and warning_texts(result)[0].startswith('The request to update the grant '), result
    assert simulator.stats()['by_route']['PUT ' + GRANTS + '/{grantId}'] == 1
    assert granted(simulator, env_id, app_id, 'openid') == ['openid', 'email']


def test_a_create_that_never_arrived_is_sent_again(simulator, env, run_module, monkeypatch):
    env_id, app_id = env
    monkeypatch.setattr(_client, 'SETTLE_DELAYS', ())
    simulator.control('POST', 'faults', json={'action': 'status', 'status': 502, 'count': 6, 'method': 'POST', 'path_regex': '/grants$'})
    result, failed = run(run_module, simulator, env_id, resource='openid', scopes=['openid'], pingone_max_retries=0)
    assert failed and result['status_code'] == 502, result  # one 502 per round, three rounds: the module gives up
    assert simulator.stats()['by_route']['POST ' + GRANTS] == 3
    simulator.control('DELETE', 'faults')
    simulator.control('POST', 'faults', json={'action': 'status', 'status': 502, 'count': 1, 'method': 'POST', 'path_regex': '/grants$'})
    result, failed = run(run_module, simulator, env_id, resource='openid', scopes=['openid'], pingone_max_retries=0)
    assert not failed and result['changed'] is True, result
    assert warning_texts(result) == ["The request to create the grant of resource 'openid' of application 'Grant App' had no clear outcome "
                                     "and the change did not show when the grant was read again; this run planned again from what is there now"]
    assert granted(simulator, env_id, app_id, 'openid') == ['openid']
