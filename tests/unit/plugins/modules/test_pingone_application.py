# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pingone_application's main() against the in-process simulator, counting requests."""

from __future__ import annotations

import json

import pytest

from ansible_collections.pingone.oidc.plugins.modules import pingone_application as module

RSA_JWK = {'kty': 'RSA', 'kid': 'unit-key', 'use': 'sig', 'alg': 'RS256', 'e': 'AQAB',
           'n': 'sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyX'
                'ss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-l'
                'A_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDW'
                'FLN-aEAw3vRw'}


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
    total, dummy = requests_since_reset(simulator)
    assert total <= 3  # token, list, POST

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
    listed, dummy = run(run_module, simulator, env, check_mode=True, name='Ghost', state='absent')
    assert listed['changed'] is False  # it was never created
    run(run_module, simulator, env, name='Real', type='WORKER')
    simulator.control('DELETE', 'stats')
    result, failed = run(run_module, simulator, env, check_mode=True, name='Real', description='changed')
    assert result['changed'] is True and result['application']['description'] == 'changed'
    result, failed = run(run_module, simulator, env, check_mode=True, name='Real', state='absent')
    assert result['changed'] is True
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
    # a second app of the same name, made behind the module's back by renaming another one
    other, dummy = run(run_module, simulator, env, name='Other', type='WORKER')
    run(run_module, simulator, env, application_id=other['client_id'], name='TWIN')
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
    assert 'reply to the create request was lost' in json.dumps(result.get('warnings', []))
