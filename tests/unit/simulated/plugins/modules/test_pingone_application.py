# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pingone_application's main() against the in-process simulator, counting requests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils._applications import ApplicationsService
from ansible_collections.pingone.oidc.plugins.module_utils._client import ClientConfig, PingOneClient
from ansible_collections.pingone.oidc.plugins.modules import pingone_application as module
from ansible_collections.pingone.oidc.plugins.modules import pingone_application_info as info_module

RSA_JWK = {'kty': 'RSA', 'kid': 'unit-key', 'use': 'sig', 'alg': 'RS256', 'e': 'AQAB',
           'n': 'sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyX'
                'ss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-l'
                'A_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDW'
                'FLN-aEAw3vRw'}


WORKER_BODY = {'type': 'WORKER', 'protocol': 'OPENID_CONNECT', 'enabled': True, 'grantTypes': ['CLIENT_CREDENTIALS'],
               'tokenEndpointAuthMethod': 'CLIENT_SECRET_BASIC'}


def direct_service(simulator, env):
    """The application service on its own client: what another run, or the console, does behind the module's back."""
    config = ClientConfig(api_url=simulator.api_url, auth_url=simulator.url, environment_id=simulator.environment_id,
                          client_id=simulator.client_id, client_secret=simulator.client_secret)
    return ApplicationsService(PingOneClient(config, sleep=lambda seconds: None), env)


@pytest.fixture
def env(simulator):
    return simulator.new_environment('apps')


def run(run_module, simulator, env, check_mode=False, diff=False, **args):
    return run_module(module, dict(simulator.module_auth(), environment_id=env, **args), check_mode, diff)


def requests_since_reset(simulator):
    simulator_stats = simulator.stats()
    simulator.control('DELETE', 'stats')
    return simulator_stats['total'], simulator_stats['by_route']


def test_create_is_idempotent_and_within_the_request_budget(simulator, env, run_module):
    simulator.control('DELETE', 'stats')
    created, failed = run(run_module, simulator, env, name='Budget Worker', type='WORKER', enabled=True)
    assert not failed and created['changed'] is True
    assert created['msg'] == "Created application 'Budget Worker' (WORKER)"
    assert created['client_id'] == created['application']['id']
    assert created['application']['grantTypes'] == ['CLIENT_CREDENTIALS']
    assert created['token_endpoint'] == '%s/%s/as/token' % (simulator.url, env)
    total, routes = requests_since_reset(simulator)
    assert total <= 4  # token, list, POST, and the list that shows no other run created a twin meanwhile
    assert routes['POST /v1/environments/{envId}/applications'] == 1

    again, failed = run(run_module, simulator, env, name='budget worker', type='WORKER', enabled=True)
    assert not failed and again['changed'] is False
    assert again['msg'] == "Application 'Budget Worker' is up to date"
    total, routes = requests_since_reset(simulator)
    assert total <= 2  # token + one read, and no write
    assert not [route for route in routes if route.startswith(('PUT', 'POST /v1'))]


def test_update_one_field_keeps_the_others(simulator, env, run_module):
    created, dummy = run(run_module, simulator, env, name='Web', type='WEB_APP', enabled=True,
                         redirect_uris=['https://web.example.com/cb'], pkce_enforcement='S256_REQUIRED', description='d')
    simulator.control('DELETE', 'stats')
    updated, failed = run(run_module, simulator, env, name='Web', par_timeout=120)
    assert not failed and updated['changed'] is True
    assert updated['changed_options'] == ['par_timeout']
    app = updated['application']
    assert app['parTimeout'] == 120 and app['pkceEnforcement'] == 'S256_REQUIRED' and app['description'] == 'd'
    assert app['redirectUris'] == ['https://web.example.com/cb'] and app['id'] == created['application']['id']
    total, routes = requests_since_reset(simulator)
    assert total <= 3 and not any(route.startswith('GET /v1/environments/{envId}/applications/{') for route in routes)


def test_check_mode_writes_nothing(simulator, env, run_module):
    result, failed = run(run_module, simulator, env, check_mode=True, name='Ghost', type='WEB_APP',
                         redirect_uris=['https://ghost.example.com/cb'])
    assert not failed and result['changed'] is True and 'client_id' not in result
    assert result['msg'] == "Would create application 'Ghost' (WEB_APP)"
    listed, dummy = run(run_module, simulator, env, check_mode=True, name='Ghost', state='absent')
    assert listed['changed'] is False  # it was never created
    run(run_module, simulator, env, name='Real', type='WORKER')
    simulator.control('DELETE', 'stats')
    result, failed = run(run_module, simulator, env, check_mode=True, name='Real', description='changed')
    assert result['changed'] is True and result['application']['description'] == 'changed'
    assert result['msg'] == "Would update application 'Real': description"
    result, failed = run(run_module, simulator, env, check_mode=True, name='Real', state='absent')
    assert result['changed'] is True and result['msg'].startswith("Would delete application 'Real' (")
    result, failed = run(run_module, simulator, env, check_mode=True, name='Real', type='WEB_APP', recreate_on_type_change=True,
                         redirect_uris=['https://real.example.com/cb'])
    assert result['changed'] is True and result['msg'] == "Would replace WORKER application 'Real' by a new WEB_APP application"
    dummy, routes = requests_since_reset(simulator)
    assert not [route for route in routes if route.split()[0] in ('PUT', 'DELETE') or route.startswith('POST /v1')]


def test_diff_shows_before_after_with_jwks_by_kid_and_no_secrets(simulator, env, run_module):
    run(run_module, simulator, env, name='Keys', type='WEB_APP', redirect_uris=['https://k.example.com/cb'])
    result, failed = run(run_module, simulator, env, diff=True, name='Keys', token_endpoint_auth_method='PRIVATE_KEY_JWT',
                         jwks={'keys': [RSA_JWK]})
    assert not failed and result['changed'] is True
    diff = result['diff']
    assert diff['before']['tokenEndpointAuthMethod'] == 'CLIENT_SECRET_BASIC'
    assert diff['after']['tokenEndpointAuthMethod'] == 'PRIVATE_KEY_JWT'
    assert diff['after']['jwks'] == ['unit-key (RSA RS256)']
    assert RSA_JWK['n'] not in json.dumps(diff)
    assert simulator.client_secret not in json.dumps(result)


def test_delete_twice(simulator, env, run_module):
    run(run_module, simulator, env, name='Doomed', type='WORKER')
    first, failed = run(run_module, simulator, env, name='Doomed', state='absent', diff=True)
    assert not failed and first['changed'] is True and first['diff']['after'] == {}
    second, failed = run(run_module, simulator, env, name='Doomed', state='absent')
    assert not failed and second['changed'] is False and second['msg'] == "Application 'Doomed' is already absent"


def test_ambiguous_name_fails_listing_the_ids(simulator, env, run_module):
    first, dummy = run(run_module, simulator, env, application_id=None, name='Twin', type='WORKER')
    # a second app of the same name, made behind the module's back
    other = {'client_id': direct_service(simulator, env).create(dict(WORKER_BODY, name='TWIN'))[0]['id']}
    result, failed = run(run_module, simulator, env, name='twin', description='x')
    assert failed
    assert "2 applications are named 'twin'" in result['msg']
    assert first['client_id'] in result['msg'] and other['client_id'] in result['msg']
    assert 'set application_id' in result['msg']


def test_type_change_fails_unless_recreate_is_asked(simulator, env, run_module):
    created, dummy = run(run_module, simulator, env, name='Shifty', type='WORKER')
    result, failed = run(run_module, simulator, env, name='Shifty', type='WEB_APP')
    assert failed and "its type cannot change to WEB_APP in place" in result['msg']
    assert 'recreate_on_type_change' in result['msg']
    result, failed = run(run_module, simulator, env, name='Shifty', type='WEB_APP', recreate_on_type_change=True,
                         redirect_uris=['https://shifty.example.com/cb'])
    assert not failed and result['changed'] is True
    assert result['msg'] == "Replaced WORKER application 'Shifty' by a new WEB_APP application"
    assert result['application']['type'] == 'WEB_APP' and result['client_id'] != created['client_id']
    assert 'new client ID' in json.dumps(result.get('warnings', []))


def test_invalid_settings_fail_before_any_write(simulator, env, run_module):
    simulator.control('DELETE', 'stats')
    result, failed = run(run_module, simulator, env, name='Bad', type='WEB_APP', par_timeout=900,
                         redirect_uris=['https://bad.example.com/cb#x'], token_endpoint_auth_method='PRIVATE_KEY_JWT')
    assert failed
    assert result['msg'].startswith("Invalid settings for application 'Bad': ")
    for text in ('par_timeout must be between 1 and 600', 'redirect_uris: https://bad.example.com/cb#x must not contain a fragment',
                 'PRIVATE_KEY_JWT needs the public keys: set jwks or jwks_url'):
        assert text in result['msg']
    dummy, routes = requests_since_reset(simulator)
    assert not [route for route in routes if route.startswith('POST /v1')]


def test_private_jwks_is_refused_without_echoing_key_material(simulator, env, run_module):
    private = dict(RSA_JWK, d='PRIVATE-EXPONENT-VALUE')
    result, failed = run(run_module, simulator, env, name='Leaky', type='WEB_APP', token_endpoint_auth_method='PRIVATE_KEY_JWT',
                         jwks={'keys': [private]})
    assert failed and 'holds private key members (d)' in result['msg']
    assert 'PRIVATE-EXPONENT-VALUE' not in json.dumps(result)


def test_missing_type_and_unknown_id(simulator, env, run_module):
    result, failed = run(run_module, simulator, env, name='Nameless type')
    assert failed and result['msg'] == "type is required to create application 'Nameless type', which does not exist in environment '%s'" % env
    result, failed = run(run_module, simulator, env, application_id='11111111-2222-4333-8444-555555555555', description='x')
    assert failed and "No application with ID '11111111-2222-4333-8444-555555555555'" in result['msg']


def test_bad_choice_names_the_option(simulator, env, run_module):
    result, failed = run(run_module, simulator, env, name='x', type='WORKER', token_endpoint_auth_method='CLIENT_SECRET')
    assert failed and 'token_endpoint_auth_method' in result['msg']


def test_server_side_rejection_is_reported_with_its_details(simulator, env, run_module):
    # the simulator, like PingOne, rejects what our pre-checks let through only in odd cases: force one with a fault
    simulator.control('POST', 'faults', json={'action': 'status', 'status': 400, 'count': 1, 'method': 'POST',
                                              'path_regex': '/applications$'})
    result, failed = run(run_module, simulator, env, name='Refused', type='WORKER')
    assert failed and result['status_code'] == 400
    assert result['msg'].startswith("Creating application 'Refused' in environment '%s' failed: HTTP 400" % env)


def test_lost_create_reply_is_recovered_without_a_duplicate(simulator, env, run_module):
    simulator.control('POST', 'faults', json={'action': 'commit_then_drop', 'count': 1, 'method': 'POST',
                                              'path_regex': '/applications$'})
    result, failed = run(run_module, simulator, env, name='Dropped', type='WORKER')
    assert not failed and result['changed'] is True and result['client_id']
    listed, dummy = run(run_module, simulator, env, name='Dropped')
    assert listed['changed'] is False
    assert 'the application it made was found by name' in json.dumps(result.get('warnings', []))


def test_a_rename_onto_a_name_another_application_has_is_refused(simulator, env, run_module):
    first, dummy = run(run_module, simulator, env, name='Orders', type='WORKER')
    second, dummy = run(run_module, simulator, env, name='Billing', type='WORKER')
    result, failed = run(run_module, simulator, env, application_id=second['client_id'], name='ORDERS')
    assert failed and result['msg'].startswith("name 'ORDERS' is taken by application 'Orders' (%s)" % first['client_id'])
    listed, dummy = run_module(info_module, dict(simulator.module_auth(), environment_id=env, name='orders'))
    assert [app['id'] for app in listed['applications']] == [first['client_id']]
    renamed, failed = run(run_module, simulator, env, application_id=second['client_id'], name='Billing v2')
    assert not failed and renamed['application']['name'] == 'Billing v2'


@pytest.mark.parametrize('state', ['present', 'absent'])
def test_system_applications_are_neither_changed_deleted_nor_shadowed(simulator, env, run_module, state):
    result, failed = run(run_module, simulator, env, name='PingOne Admin Console', type='WORKER', state=state)
    assert failed and "is PingOne's own PING_ONE_ADMIN_CONSOLE application" in result['msg']
    listed, dummy = run_module(info_module, dict(simulator.module_auth(), environment_id=env, name='PingOne Admin Console',
                                                 include_system_applications=True))
    assert [app['type'] for app in listed['applications']] == ['PING_ONE_ADMIN_CONSOLE']


def count_named(simulator, env, name):
    return len(direct_service(simulator, env).find_by_name(name))


def test_a_create_processed_after_the_client_timeout_is_found_not_sent_again(simulator, env, run_module):
    # hold-then-commit: the service processes the POST two seconds late, after the client gave up waiting
    simulator.control('POST', 'faults', json={'action': 'delay', 'delay': 2, 'method': 'POST', 'path_regex': '/applications$'})
    result, failed = run(run_module, simulator, env, name='Slow', type='WORKER', pingone_timeout=1)
    assert not failed and result['changed'] is True, result['msg']
    assert 'found by name' in json.dumps(result.get('warnings', []))
    time.sleep(1.5)  # anything still held has landed now
    assert count_named(simulator, env, 'Slow') == 1
    assert simulator.stats()['by_route']['POST /v1/environments/{envId}/applications'] == 1


@pytest.mark.parametrize('other_first', [True, False])
def test_a_twin_created_by_another_run_at_the_same_time_converges_on_the_oldest(
        simulator, env, run_module, monkeypatch, other_first):
    other_run = direct_service(simulator, env)
    made = []
    original = ApplicationsService.create

    def racing_create(self, body):
        if other_first:
            made.append(original(other_run, dict(body))[0])
        mine = original(self, body)
        made.append(mine[0])
        if not other_first:
            made.append(original(other_run, dict(body))[0])
        return mine

    monkeypatch.setattr(ApplicationsService, 'create', racing_create)
    result, failed = run(run_module, simulator, env, name='Racer', type='WORKER')
    assert not failed and result['changed'] is True
    kept = min(made, key=lambda app: (app['createdAt'], app['id']))
    assert result['client_id'] == kept['id']
    assert 'Another run created application' in json.dumps(result.get('warnings', []))
    remaining = direct_service(simulator, env).find_by_name('Racer')
    # this run deleted its own copy when it was the newer one; the other run deletes its copy the same way
    mine = made[1] if other_first else made[0]
    assert kept['id'] in [app['id'] for app in remaining]
    assert (mine['id'] in [app['id'] for app in remaining]) == (mine['id'] == kept['id'])


def test_two_runs_at_once_leave_one_application(simulator, env, tmp_path):
    # both runs list before either creates: the service holds each POST for a moment
    simulator.control('POST', 'faults', json={'action': 'delay', 'delay': 0.5, 'count': 2, 'method': 'POST',
                                              'path_regex': '/applications$'})
    args = dict(simulator.module_auth(), environment_id=env, name='Together', type='WORKER')
    args_file = tmp_path / 'args.json'
    args_file.write_text(json.dumps({'ANSIBLE_MODULE_ARGS': args}))
    environ = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    runs = [subprocess.Popen([sys.executable, '-m', module.__name__, str(args_file)], stdout=subprocess.PIPE, env=environ)
            for dummy in range(2)]
    results = [json.loads(process.communicate(timeout=60)[0]) for process in runs]
    assert all(not result.get('failed') for result in results), results
    assert len({result['client_id'] for result in results}) == 1
    assert count_named(simulator, env, 'Together') == 1


def test_an_update_processed_after_the_client_timeout_is_not_sent_again(simulator, env, run_module):
    run(run_module, simulator, env, name='Held', type='WORKER')
    simulator.control('DELETE', 'stats')
    simulator.control('POST', 'faults', json={'action': 'delay', 'delay': 2, 'method': 'PUT', 'path_regex': '/applications/'})
    result, failed = run(run_module, simulator, env, name='Held', description='late but once', pingone_timeout=1)
    assert not failed and result['changed'] is True and result['application']['description'] == 'late but once'
    time.sleep(1.5)
    assert simulator.stats()['by_route']['PUT /v1/environments/{envId}/applications/{appId}'] == 1


@pytest.mark.parametrize('app_type, extra', [('WORKER', {'assign_actor_roles': False}),
                                             ('WEB_APP', {'redirect_uris': ['https://d.example.com/cb']})])
def test_the_check_mode_diff_is_the_diff_of_the_real_run(simulator, env, run_module, app_type, extra):
    run(run_module, simulator, env, name='Same', type=app_type, **extra)
    change = dict(description='new', pkce_enforcement='S256_REQUIRED')
    planned, failed = run(run_module, simulator, env, check_mode=True, diff=True, name='Same', **change)
    assert not failed and planned['msg'].startswith('Would update')
    done, failed = run(run_module, simulator, env, diff=True, name='Same', **change)
    assert not failed and planned['diff'] == done['diff']
    assert {key for key in done['diff']['after'] if done['diff']['after'].get(key) != done['diff']['before'].get(key)} == {
        'description', 'pkceEnforcement'}


def test_the_worker_the_task_authenticates_as_is_never_deleted_or_replaced(simulator, run_module):
    own = dict(simulator.module_auth(), application_id=simulator.client_id)
    replace = dict(own, type='WEB_APP', recreate_on_type_change=True, redirect_uris=['https://w.example.com/cb'])
    for args in (dict(own, state='absent'), replace):
        for check_mode in (True, False):
            result, failed = run_module(module, args, check_mode)
            assert failed and 'is the worker this task authenticates as (pingone_client_id)' in result['msg']
    listed, dummy = run_module(info_module, dict(simulator.module_auth(), application_id=simulator.client_id))
    assert [app['type'] for app in listed['applications']] == ['WORKER']


def test_a_replace_whose_create_fails_says_the_old_application_was_deleted(simulator, env, run_module):
    created, dummy = run(run_module, simulator, env, name='Halfway', type='WORKER')
    simulator.control('POST', 'faults', json={'action': 'status', 'status': 400, 'method': 'POST', 'path_regex': '/applications$'})
    result, failed = run(run_module, simulator, env, name='Halfway', type='WEB_APP', recreate_on_type_change=True,
                         redirect_uris=['https://h.example.com/cb'])
    assert failed and result['changed'] is True and result['deleted_id'] == created['client_id']
    assert "application 'Halfway' (%s) was deleted before this create and is not created again" % created['client_id'] in result['msg']


def test_check_mode_warnings_say_what_would_happen(simulator, env, run_module):
    run(run_module, simulator, env, name='Shape', type='WORKER')
    result, failed = run(run_module, simulator, env, check_mode=True, name='Shape', type='WEB_APP', recreate_on_type_change=True,
                         redirect_uris=['https://s.example.com/cb'])
    assert not failed and 'would be deleted and created again' in json.dumps(result.get('warnings', []))
