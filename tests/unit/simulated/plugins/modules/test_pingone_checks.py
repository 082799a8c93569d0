# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pingone_par_check and pingone_token_check against the in-process simulator."""

from __future__ import annotations

import json

import pytest
import requests

from ansible_collections.pingone.oidc.plugins.modules import pingone_app_key, pingone_app_secret, pingone_application
from ansible_collections.pingone.oidc.plugins.modules import pingone_par_check as par_check
from ansible_collections.pingone.oidc.plugins.modules import pingone_token_check as token_check

METHODS = ['NONE', 'CLIENT_SECRET_BASIC', 'CLIENT_SECRET_POST', 'CLIENT_SECRET_JWT', 'PRIVATE_KEY_JWT']


@pytest.fixture
def make_app(simulator, run_module, tmp_path):
    """Creates an app with the given auth method (and a registered key for PRIVATE_KEY_JWT); returns its facts."""
    env = simulator.new_environment('checks')

    def maker(name, method, app_type='WEB_APP', **options):
        args = dict(simulator.module_auth(), environment_id=env, name=name, type=app_type, enabled=True, **options)
        if app_type == 'WEB_APP':
            args.setdefault('redirect_uris', ['https://app.example.com/cb'])
            args.setdefault('pkce_enforcement', 'S256_REQUIRED')
        args['token_endpoint_auth_method'] = 'CLIENT_SECRET_BASIC' if method == 'PRIVATE_KEY_JWT' else method
        created, failed = run_module(pingone_application, args)
        assert not failed, created['msg']
        facts = dict(env=env, client_id=created['client_id'], key_path=None)
        if method == 'PRIVATE_KEY_JWT':
            facts['key_path'] = str(tmp_path / ('%s.pem' % created['client_id']))
            key, failed = run_module(pingone_app_key, dict(simulator.module_auth(), environment_id=env, name=name, generate=True,
                                                           private_key_path=facts['key_path'], set_auth_method=True))
            assert not failed, key['msg']
            facts['kid'] = key['kid']
        return facts
    return maker


def check(run_module, simulator, module, facts, **args):
    merged = dict(simulator.module_auth(), environment_id=facts['env'], **args)
    if facts.get('key_path'):
        merged.setdefault('private_key_path', facts['key_path'])
    return run_module(module, merged)


def secret_of(run_module, simulator, facts):
    result, dummy = run_module(pingone_app_secret, dict(simulator.module_auth(), environment_id=facts['env'],
                                                        application_id=facts['client_id']))
    return result['secret']


@pytest.mark.parametrize('method', METHODS)
def test_par_succeeds_with_every_method_and_leaks_nothing(simulator, make_app, run_module, method):
    facts = make_app('par %s' % method, method)
    result, failed = check(run_module, simulator, par_check, facts, name='par %s' % method)
    assert not failed, result['msg']
    assert result['changed'] is False
    assert result['request_uri'].startswith('urn:ietf:params:oauth:request_uri:')
    assert result['expires_in'] == 60 and result['auth_method'] == method
    assert result['redirect_uri'] == 'https://app.example.com/cb'
    assert result['authorization_url'].startswith('%s/%s/as/authorize?client_id=%s&request_uri=urn' % (simulator.url, facts['env'],
                                                                                                       facts['client_id']))
    text = json.dumps(result)
    assert secret_of(run_module, simulator, facts) not in text
    assert simulator.client_secret not in text and 'client_assertion' not in text and 'PRIVATE KEY' not in text


@pytest.mark.parametrize('method', METHODS[1:])
def test_token_check_succeeds_with_every_confidential_method(simulator, make_app, run_module, method):
    facts = make_app('tok %s' % method, method, app_type='WORKER')
    result, failed = check(run_module, simulator, token_check, facts, name='tok %s' % method)
    assert not failed, result['msg']
    assert result['token_type'] == 'Bearer' and result['expires_in'] == 3600
    assert result['claims']['client_id'] == facts['client_id']
    assert 'access_token' not in result
    with_token, failed = check(run_module, simulator, token_check, facts, name='tok %s' % method, return_token=True)
    assert not failed and with_token['access_token'].count('.') == 2


def test_checks_with_only_the_applications_own_credentials(simulator, make_app, run_module):
    facts = make_app('own', 'CLIENT_SECRET_JWT')
    secret = secret_of(run_module, simulator, facts)
    own = dict(pingone_auth_url=simulator.url, environment_id=facts['env'], client_id=facts['client_id'], client_secret=secret,
               auth_method='CLIENT_SECRET_JWT', signing_alg='HS512', redirect_uri='https://app.example.com/cb')
    simulator.control('DELETE', 'stats')
    result, failed = run_module(par_check, own)
    assert not failed, result['msg']
    routes = simulator.stats()['by_route']
    assert not [route for route in routes if '/v1/' in route]  # no management call at all
    assert secret not in json.dumps(result)


@pytest.mark.parametrize('audience', ['issuer', 'endpoint', 'token_endpoint'])
def test_assertion_audiences(simulator, make_app, run_module, audience):
    facts = make_app('aud %s' % audience, 'PRIVATE_KEY_JWT')
    result, failed = check(run_module, simulator, par_check, facts, name='aud %s' % audience, assertion_audience=audience)
    assert not failed, result['msg']


def test_endpoints_from_discovery(simulator, make_app, run_module):
    facts = make_app('disco', 'CLIENT_SECRET_POST')
    simulator.control('DELETE', 'stats')
    result, failed = check(run_module, simulator, par_check, facts, name='disco', issuer='%s/%s/as' % (simulator.url, facts['env']))
    assert not failed, result['msg']
    assert result['par_endpoint'] == '%s/%s/as/par' % (simulator.url, facts['env'])
    assert simulator.stats()['by_route'].get('GET /{envId}/as/.well-known/openid-configuration') == 1


def test_wrong_secret_is_explained(simulator, make_app, run_module):
    facts = make_app('wrong', 'CLIENT_SECRET_BASIC')
    result, failed = check(run_module, simulator, par_check, facts, name='wrong', client_secret='not-the-secret-1234')
    assert failed and result['status_code'] == 401
    assert 'invalid_client' in result['msg'] and 'Likely cause: a wrong client secret' in result['msg']
    assert 'not-the-secret-1234' not in json.dumps(result)


def test_method_mismatch_is_explained(simulator, make_app, run_module):
    facts = make_app('mismatch', 'CLIENT_SECRET_BASIC')
    result, failed = check(run_module, simulator, par_check, facts, name='mismatch', auth_method='CLIENT_SECRET_POST')
    assert failed
    assert "auth_method CLIENT_SECRET_POST differs from the application's token_endpoint_auth_method CLIENT_SECRET_BASIC" in result['msg']


def test_unregistered_kid_and_wrong_key(simulator, make_app, run_module, tmp_path):
    facts = make_app('kid', 'PRIVATE_KEY_JWT')
    result, failed = check(run_module, simulator, par_check, facts, name='kid', kid='not-registered')
    assert failed and 'kid not-registered is not registered (registered: %s)' % facts['kid'] in result['msg']
    other = make_app('other key', 'PRIVATE_KEY_JWT')
    result, failed = check(run_module, simulator, par_check, facts, name='kid', private_key_path=other['key_path'])
    assert failed and 'invalid_client' in result['msg']


def test_a_signing_alg_the_registered_key_does_not_pin_is_explained(simulator, make_app, run_module):
    """The key pins RS256 (pingone_app_key's default for RSA keys); an assertion signed with PS256 is refused."""
    facts = make_app('pinned', 'PRIVATE_KEY_JWT')
    result, failed = check(run_module, simulator, par_check, facts, name='pinned', signing_alg='PS256')
    assert failed and result['status_code'] == 401 and 'invalid_client' in result['msg']
    assert result['msg'].endswith(
        "Likely cause: signing_alg PS256 differs from the alg RS256 of registered key %s; set signing_alg RS256 (or leave "
        "signing_alg out to use the registered key's alg)" % facts['kid'])
    result, failed = check(run_module, simulator, par_check, facts, name='pinned')
    assert not failed, result['msg']


@pytest.mark.parametrize('option', ['oauth_state', 'state'])
def test_the_oauth_state_is_sent_as_given(simulator, make_app, run_module, option):
    """oauth_state is the OAuth state; its alias state (the option's first name) still works."""
    facts = make_app('state %s' % option, 'CLIENT_SECRET_BASIC')
    result, failed = check(run_module, simulator, par_check, facts, name='state %s' % option, **{option: 'xyz-%s' % option})
    assert not failed, result['msg']
    pushed = requests.get(result['authorization_url'], timeout=10).json()
    assert pushed['parameters']['state'] == 'xyz-%s' % option


def test_oauth_state_defaults_to_a_fresh_random_value(simulator, make_app, run_module):
    facts = make_app('random state', 'CLIENT_SECRET_BASIC')
    states = []
    for dummy in range(2):
        result, failed = check(run_module, simulator, par_check, facts, name='random state')
        assert not failed, result['msg']
        states.append(requests.get(result['authorization_url'], timeout=10).json()['parameters']['state'])
    assert len(set(states)) == 2 and all(len(state) >= 16 for state in states)


def test_unregistered_redirect_uri_and_missing_pkce(simulator, make_app, run_module):
    facts = make_app('redirect', 'CLIENT_SECRET_POST')
    result, failed = check(run_module, simulator, par_check, facts, name='redirect', redirect_uri='https://evil.example.com/cb')
    assert failed and 'redirect_uri is not registered for the application (registered: https://app.example.com/cb)' in result['msg']
    result, failed = check(run_module, simulator, par_check, facts, name='redirect', pkce=False)
    assert failed and 'the application requires PKCE (pkce_enforcement S256_REQUIRED)' in result['msg']


def test_disabled_application(simulator, make_app, run_module):
    facts = make_app('disabled', 'CLIENT_SECRET_BASIC')
    run_module(pingone_application, dict(simulator.module_auth(), environment_id=facts['env'], name='disabled', enabled=False))
    result, failed = check(run_module, simulator, par_check, facts, name='disabled')
    assert failed and 'the application is disabled' in result['msg']


def test_grant_type_mismatches(simulator, make_app, run_module):
    worker = make_app('cc only', 'CLIENT_SECRET_BASIC', app_type='WORKER')
    result, failed = check(run_module, simulator, par_check, worker, name='cc only')
    assert failed and 'cannot push an authorization request' in result['msg'] and 'pingone_token_check' in result['msg']
    web = make_app('code only', 'CLIENT_SECRET_BASIC')
    result, failed = check(run_module, simulator, token_check, web, name='code only')
    assert failed and 'CLIENT_CREDENTIALS is not among its grant types (AUTHORIZATION_CODE)' in result['msg']
    # without the app's settings the server itself says so
    secret = secret_of(run_module, simulator, web)
    result, failed = run_module(token_check, dict(pingone_auth_url=simulator.url, environment_id=web['env'],
                                                  client_id=web['client_id'], client_secret=secret, auth_method='CLIENT_SECRET_BASIC'))
    assert failed and 'unauthorized_client' in result['msg'] and secret not in json.dumps(result)


def test_throttled_par_is_retried_with_a_fresh_assertion(simulator, make_app, run_module):
    facts = make_app('throttled', 'CLIENT_SECRET_JWT')
    simulator.control('POST', 'faults', json={'action': 'status', 'status': 429, 'retry_after': '0', 'count': 1,
                                              'path_regex': '/as/par$'})
    result, failed = check(run_module, simulator, par_check, facts, name='throttled')
    assert not failed, result['msg']


def test_missing_inputs_are_named(simulator, run_module):
    result, failed = run_module(par_check, dict(pingone_auth_url=simulator.url, environment_id='e', client_id='c'))
    assert failed and result['msg'].startswith('auth_method is required')
    result, failed = run_module(par_check, dict(pingone_auth_url=simulator.url, environment_id='e', client_id='c',
                                                auth_method='PRIVATE_KEY_JWT', private_key_path='/nonexistent/key.pem'))
    assert failed and result['msg'] == 'private_key_path /nonexistent/key.pem cannot be read: No such file or directory'
    result, failed = run_module(par_check, dict(pingone_auth_url=simulator.url, environment_id='e', client_id='c', auth_method='NONE'))
    assert failed and result['msg'].startswith('redirect_uri is required')


@pytest.mark.parametrize('module', [par_check, token_check])
def test_a_missing_application_is_named_with_the_fix(simulator, run_module, module):
    env = simulator.new_environment('checks missing')
    result, failed = run_module(module, dict(simulator.module_auth(), environment_id=env, name='Nowhere'))
    assert failed
    assert result['msg'] == ("Application 'Nowhere' does not exist in environment '%s'; create it first with "
                             "pingone.oidc.pingone_application" % env)


def test_checks_change_nothing_and_say_the_same_in_check_mode(simulator, make_app, run_module):
    facts = make_app('modes', 'CLIENT_SECRET_POST', app_type='WORKER')
    normal, failed = check(run_module, simulator, token_check, facts, name='modes')
    assert not failed and normal['changed'] is False
    assert normal['msg'] == 'Application %s obtained a Bearer token with CLIENT_SECRET_POST, valid 3600 s' % facts['client_id']
    checked, failed = run_module(token_check, dict(simulator.module_auth(), environment_id=facts['env'], name='modes'),
                                 check_mode=True, diff=True)
    assert not failed and checked['changed'] is False and checked['msg'] == normal['msg'] and 'diff' not in checked
    web = make_app('modes web', 'CLIENT_SECRET_BASIC')
    pushed, failed = run_module(par_check, dict(simulator.module_auth(), environment_id=web['env'], name='modes web'), check_mode=True)
    assert not failed and pushed['changed'] is False
    assert pushed['msg'] == 'Application %s pushed an authorization request with CLIENT_SECRET_BASIC: %s, valid 60 s' % (
        web['client_id'], pushed['request_uri'])


@pytest.mark.parametrize('module, args, wanted', [
    (token_check, dict(name='Any', auth_method='NONE'), 'A public client (auth_method NONE) cannot use the client_credentials grant'),
    (par_check, dict(name='Any', auth_method='PRIVATE_KEY_JWT'), 'auth_method PRIVATE_KEY_JWT needs private_key or private_key_path'),
    (par_check, dict(client_id='c'), 'auth_method is required when the application is not read from PingOne'),
    (token_check, dict(auth_method='CLIENT_SECRET_BASIC'), 'client_id is required when the application is not read from PingOne'),
])
def test_option_errors_come_before_any_request(simulator, run_module, module, args, wanted):
    simulator.control('DELETE', 'stats')
    result, failed = run_module(module, dict(simulator.module_auth(), environment_id=simulator.environment_id, **args))
    assert failed and result['msg'].startswith(wanted)
    assert simulator.stats()['total'] == 0
