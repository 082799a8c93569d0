# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pingone_par_check's typed authorization parameters and signed request objects, against the in-process simulator."""

from __future__ import annotations

import json

import pytest
import requests

from ansible_collections.pingone.oidc.plugins.modules import pingone_app_key, pingone_app_secret, pingone_application
from ansible_collections.pingone.oidc.plugins.modules import pingone_par_check as par_check

REDIRECT = 'https://app.example.com/cb'


@pytest.fixture
def web_app(simulator, run_module, tmp_path):
    """Creates a web app authenticating with ``method`` (a generated key for PRIVATE_KEY_JWT); returns how to reach it."""
    env = simulator.new_environment('par options')

    def create(name, method='CLIENT_SECRET_BASIC', key_type='RSA', **settings):
        args = dict(simulator.module_auth(), environment_id=env, name=name, type='WEB_APP', enabled=True, redirect_uris=[REDIRECT],
                    token_endpoint_auth_method='CLIENT_SECRET_BASIC' if method == 'PRIVATE_KEY_JWT' else method, **settings)
        created, failed = run_module(pingone_application, args)
        assert not failed, created['msg']
        app = dict(env=env, name=name, client_id=created['client_id'], options=dict(simulator.module_auth(), environment_id=env, name=name))
        if method == 'PRIVATE_KEY_JWT':
            key_path = str(tmp_path / ('%s.pem' % created['client_id']))
            key, failed = run_module(pingone_app_key, dict(simulator.module_auth(), environment_id=env, name=name, generate=True,
                                                           key_type=key_type, private_key_path=key_path, set_auth_method=True))
            assert not failed, key['msg']
            app['options']['private_key_path'] = key_path
        return app
    return create


def pushed_parameters(result):
    """What the simulator stored for the pushed request (its authorize endpoint echoes it once)."""
    return requests.get(result['authorization_url'], timeout=10).json()['parameters']


def leaks_nothing(result, *secrets):
    text = json.dumps(result)
    assert 'eyJ' not in text  # no JWT: neither the request object nor a client assertion
    for secret in secrets:
        assert secret not in text


@pytest.mark.parametrize('options, sent', [
    (dict(acr_values=['Single_Factor Multi_Factor']), dict(acr_values='Single_Factor Multi_Factor')),
    (dict(acr_values=['Single_Factor', 'Multi_Factor']), dict(acr_values='Single_Factor Multi_Factor')),
    (dict(login_hint='someone@example.com'), dict(login_hint='someone@example.com')),
    (dict(max_age=0), dict(max_age='0')),
    (dict(prompt=['login', 'consent']), dict(prompt='login consent')),
    (dict(prompt='none'), dict(prompt='none')),
    (dict(response_mode='pi.flow'), dict(response_mode='pi.flow')),
    (dict(response_mode='form_post'), dict(response_mode='form_post')),
    (dict(code_challenge_method='plain'), dict(code_challenge_method='plain')),
])
def test_each_typed_option_is_sent(simulator, web_app, run_module, options, sent):
    app = web_app('typed', pkce_enforcement='REQUIRED')
    result, failed = run_module(par_check, dict(app['options'], **options))
    assert not failed, result['msg']
    assert result['signed_request_object'] is False and result['request_object_alg'] is None
    parameters = pushed_parameters(result)
    assert {key: parameters.get(key) for key in sent} == sent
    if options.get('code_challenge_method') == 'plain':
        assert len(parameters['code_challenge']) == 64


def test_extra_params_work_as_before(simulator, web_app, run_module):
    app = web_app('extra')
    result, failed = run_module(par_check, dict(app['options'], extra_params={'prompt': 'login', 'ui_locales': 'de'}))
    assert not failed, result['msg']
    parameters = pushed_parameters(result)
    assert (parameters['prompt'], parameters['ui_locales']) == ('login', 'de')


@pytest.mark.parametrize('options, wanted', [
    (dict(prompt=['banana']), 'value of prompt must be one or more of: login, consent, none. Got no match for: banana'),
    (dict(prompt=['none', 'login']), 'prompt none cannot be combined with other values'),
    (dict(response_mode='jwt'), 'value of response_mode must be one of: query, fragment, form_post, pi.flow, got: jwt'),
    (dict(code_challenge_method='S512'), 'value of code_challenge_method must be one of: S256, plain, got: S512'),
    (dict(max_age=-5), 'max_age must be 0 or more'),
    (dict(max_age='soon'), 'max_age'),
    (dict(login_hint='a\r\nb'), 'login_hint contains a control character'),
    (dict(prompt=['login'], extra_params={'prompt': 'consent'}), 'prompt is given both as an option and in extra_params'),
    (dict(signed_request_object=True, extra_params={'request': 'x.y.z'}), 'signed_request_object true makes the request object'),
    (dict(client_id='c', auth_method='NONE', signed_request_object=True, redirect_uri=REDIRECT),
     'signed_request_object true needs a key to sign with: auth_method NONE has none'),
])
def test_bad_options_fail_before_any_request_naming_the_option(simulator, run_module, options, wanted):
    simulator.control('DELETE', 'stats')
    args = dict(simulator.module_auth(), environment_id=simulator.environment_id)
    args.update(options if 'client_id' in options else dict(options, name='Any'))
    result, failed = run_module(par_check, args)
    assert failed and wanted in result['msg'], result['msg']
    assert simulator.stats()['total'] == 0


@pytest.mark.parametrize('key_type, alg', [('RSA', 'RS256'), ('EC', 'ES256')])
def test_a_private_key_jwt_app_that_requires_a_request_object(simulator, web_app, run_module, key_type, alg):
    app = web_app('jar %s' % key_type, 'PRIVATE_KEY_JWT', key_type=key_type, require_signed_request_object=True)
    result, failed = run_module(par_check, dict(app['options'], prompt='login', login_hint='jar@example.com'))
    assert not failed, result['msg']
    assert result['signed_request_object'] is True and result['request_object_alg'] == alg
    assert result['msg'].startswith('Application %s pushed an authorization request with PRIVATE_KEY_JWT and a request object '
                                    'signed with %s: urn:' % (app['client_id'], alg))
    parameters = pushed_parameters(result)
    assert parameters['prompt'] == 'login' and parameters['login_hint'] == 'jar@example.com'
    leaks_nothing(result, 'PRIVATE KEY')


@pytest.mark.parametrize('method, signing_alg, alg', [
    ('CLIENT_SECRET_BASIC', None, 'HS256'),
    ('CLIENT_SECRET_POST', None, 'HS256'),
    ('CLIENT_SECRET_JWT', 'HS512', 'HS512'),
])
def test_a_client_secret_app_that_requires_a_request_object(simulator, web_app, run_module, method, signing_alg, alg):
    app = web_app('jar %s' % method, method, require_signed_request_object=True)
    options = dict(app['options'], max_age=300, response_mode='query')
    if signing_alg:
        options['signing_alg'] = signing_alg
    result, failed = run_module(par_check, options)
    assert not failed, result['msg']
    assert result['signed_request_object'] is True and result['request_object_alg'] == alg
    assert pushed_parameters(result)['max_age'] == '300'
    secret, dummy = run_module(pingone_app_secret, dict(simulator.module_auth(), environment_id=app['env'], name=app['name']))
    leaks_nothing(result, secret['secret'])


def test_a_missing_request_object_fails_with_its_cause(simulator, web_app, run_module):
    app = web_app('jar refused', require_signed_request_object=True)
    result, failed = run_module(par_check, dict(app['options'], signed_request_object=False))
    assert failed and result['status_code'] == 400
    assert 'invalid_request: A signed request object (request) is required' in result['msg']
    assert result['msg'].endswith('Likely cause: the application requires a signed request object (require_signed_request_object); '
                                  'set signed_request_object true, or leave it out and name the application (application_id or '
                                  'name) so that its setting is read')


def test_with_only_the_applications_own_credentials_the_request_object_is_asked_for(simulator, web_app, run_module):
    app = web_app('jar own', 'CLIENT_SECRET_POST', require_signed_request_object=True)
    secret, dummy = run_module(pingone_app_secret, dict(simulator.module_auth(), environment_id=app['env'], name=app['name']))
    own = dict(pingone_auth_url=simulator.url, environment_id=app['env'], client_id=app['client_id'], client_secret=secret['secret'],
               auth_method='CLIENT_SECRET_POST', redirect_uri=REDIRECT)
    result, failed = run_module(par_check, own)
    assert failed and 'set signed_request_object true' in result['msg']
    result, failed = run_module(par_check, dict(own, signed_request_object=True))
    assert not failed and result['request_object_alg'] == 'HS256', result['msg']
    leaks_nothing(result, secret['secret'])


def test_a_public_app_that_requires_a_request_object_cannot_sign_without_its_secret(simulator, web_app, run_module):
    app = web_app('jar public', 'NONE', pkce_enforcement='S256_REQUIRED', require_signed_request_object=True)
    simulator.control('DELETE', 'stats')
    result, failed = run_module(par_check, app['options'])
    assert failed
    assert result['msg'] == ("Application 'jar public' cannot sign a request object: it is signed with the client secret or a private "
                             "key, and auth_method NONE gives neither (give client_secret to sign with HS256)")
    assert not [route for route in simulator.stats()['by_route'] if '/as/par' in route]
    secret, dummy = run_module(pingone_app_secret, dict(simulator.module_auth(), environment_id=app['env'], name=app['name']))
    result, failed = run_module(par_check, dict(app['options'], client_secret=secret['secret']))
    assert not failed and result['request_object_alg'] == 'HS256', result['msg']
    leaks_nothing(result, secret['secret'])
