# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pingone_application_info's main() against the in-process simulator."""

from __future__ import annotations

import json
import re

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils._client import ClientConfig, PingOneClient
from ansible_collections.pingone.oidc.plugins.modules import pingone_application as application_module
from ansible_collections.pingone.oidc.plugins.modules import pingone_application_info as module
from ansible_collections.pingone.oidc.plugins.modules import pingone_applications as fleet_module
from ansible_collections.pingone.oidc.tests.unit.results import warning_texts

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


# -- definitions ---------------------------------------------------------------------------------------

# The example keys of RFC 7517 appendix A.1 (RSA 2048 bits, EC P-256): usable public signing keys.
RSA_KEY = {'kty': 'RSA', 'kid': 'k1', 'use': 'sig', 'alg': 'RS256', 'e': 'AQAB',
           'n': '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjh'
                'Mstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5h'
                'ajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw'}
EC_KEY = {'kty': 'EC', 'kid': 'k2', 'crv': 'P-256', 'x': 'MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4',
          'y': '4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM'}
OIDC = {'protocol': 'OPENID_CONNECT'}
# Applications made through the API as a console or another tool would: every type and option kind, members no option
# models (icon, mobile, kerberos, template), and an application of another protocol.
SEEDS = [
    dict(OIDC, name='Export Worker', type='WORKER', enabled=True, grantTypes=['CLIENT_CREDENTIALS'],
         tokenEndpointAuthMethod='CLIENT_SECRET_BASIC', tags=['PING_FED_CONNECTION_INTEGRATION']),
    dict(OIDC, name='Export Web', type='WEB_APP', enabled=True, description='Payments', tokenEndpointAuthMethod='PRIVATE_KEY_JWT',
         jwks=json.dumps({'keys': [RSA_KEY, EC_KEY]}), grantTypes=['AUTHORIZATION_CODE', 'REFRESH_TOKEN'], responseTypes=['CODE'],
         redirectUris=['https://web.example.com/cb', 'https://*.web.example.com/cb'], allowWildcardInRedirectUris=True,
         postLogoutRedirectUris=['https://web.example.com/bye'], pkceEnforcement='S256_REQUIRED', parRequirement='REQUIRED',
         parTimeout=90, refreshTokenDuration=3600, refreshTokenRollingDuration=86400, refreshTokenRollingGracePeriodDuration=30,
         refreshTokenType='OPAQUE_TOKEN', additionalRefreshTokenReplayProtectionEnabled=False,
         homePageUrl='https://web.example.com', loginPageUrl='https://web.example.com/login',
         initiateLoginUri='https://web.example.com/start', targetLinkUri='https://web.example.com/home',
         requireSignedRequestObject=True, includeX5t=True, opSessionCheckEnabled=True, idpSignoff=True,
         requestScopesForMultipleResourcesEnabled=True, hiddenFromAppPortal=True, signing={'keyRotationPolicy': {'id': 'krp-1'}},
         corsSettings={'behavior': 'ALLOW_SPECIFIC_ORIGINS', 'origins': ['https://web.example.com']},
         accessControl={'group': {'type': 'ANY_GROUP', 'groups': [{'id': 'g2'}, {'id': 'g1'}]}},
         icon={'id': 'icon-1', 'href': 'https://icons.example.com/1.png'}),
    dict(OIDC, name='Export Spa', type='SINGLE_PAGE_APP', enabled=False, tokenEndpointAuthMethod='NONE', grantTypes=['IMPLICIT'],
         responseTypes=['TOKEN', 'ID_TOKEN'], redirectUris=['https://spa.example.com/cb'], supportUnsignedRequestObject=True,
         corsSettings={'behavior': 'ALLOW_NO_ORIGINS'}),
    dict(OIDC, name='Export Native', type='NATIVE_APP', enabled=True, tokenEndpointAuthMethod='NONE',
         grantTypes=['DEVICE_CODE', 'REFRESH_TOKEN'], devicePathId='tv-app', deviceCustomVerificationUri='https://tv.example.com/go',
         deviceTimeout=300, devicePollingInterval=10, targetLinkUri='com.example.tv://home', mobile={'bundleId': 'com.example.tv'}),
    dict(OIDC, name='Export Service', type='SERVICE', enabled=True, tokenEndpointAuthMethod='PRIVATE_KEY_JWT',
         jwksUrl='https://keys.example.com/jwks', grantTypes=['CLIENT_CREDENTIALS', 'TOKEN_EXCHANGE'],
         accessControl={'role': {'type': 'ADMIN_USERS_ONLY'}, 'group': {'type': 'ALL_GROUPS', 'groups': [{'id': 'g1'}]}},
         kerberos={'key': {'id': 'kerberos-key-1'}}),
    dict(OIDC, name='Export Custom', type='CUSTOM_APP', enabled=True, tokenEndpointAuthMethod='CLIENT_SECRET_POST',
         grantTypes=['CIBA'], template={'name': 'custom-template'}),
    {'name': 'Export Saml', 'type': 'WEB_APP', 'protocol': 'SAML', 'enabled': True, 'spEntityId': 'urn:example:saml'},
]
UNMODELLED = {'Export Web': ['icon'], 'Export Native': ['mobile'], 'Export Service': ['kerberos'], 'Export Custom': ['template']}


def api_client(simulator):
    return PingOneClient(ClientConfig(api_url=simulator.api_url, auth_url=simulator.url,
                                      environment_id=simulator.environment_id, client_id=simulator.client_id,
                                      client_secret=simulator.client_secret))


@pytest.fixture
def exported(simulator, run_module):
    """An environment seeded through the API, and its applications read as definitions."""
    client = api_client(simulator)
    env = simulator.new_environment('export')
    for seed in SEEDS:
        client.request('POST', 'environments/%s/applications' % env, 'Seeding', json_body=seed, expected=(201,))
    result, failed = run_module(module, dict(simulator.module_auth(), environment_id=env, as_definitions=True))
    assert not failed, result
    return env, result


def read_apps(simulator, env):
    found = api_client(simulator).request('GET', 'environments/%s/applications' % env, 'Listing').body
    return {app['name']: app for app in found['_embedded']['applications']}


def test_definitions_only_when_asked(simulator, seeded, run_module):
    env, dummy, dummy2 = seeded
    result, failed = run_module(module, dict(simulator.module_auth(), environment_id=env))
    assert not failed and 'definitions' not in result


def test_definitions_are_the_oidc_applications_sorted_by_name(exported):
    env, result = exported
    assert result['msg'] == "Found 7 applications in environment '%s', 6 of them as definitions" % env
    names = [definition['name'] for definition in result['definitions']]
    assert names == sorted((seed['name'] for seed in SEEDS if seed['protocol'] == 'OPENID_CONNECT'), key=str.casefold)
    assert len(result['applications']) == len(SEEDS)  # the SAML application is listed, but has no definition
    web = next(definition for definition in result['definitions'] if definition['name'] == 'Export Web')
    assert web['jwks'] == {'keys': [RSA_KEY, EC_KEY]}
    assert web['access_control'] == {'group_type': 'ANY_GROUP', 'groups': ['g1', 'g2']}
    assert 'par_timeout' in web and 'device_timeout' not in web  # 90 is a setting, 600 PingOne's default
    assert all('client_id' not in definition and 'id' not in definition for definition in result['definitions'])


def test_system_applications_never_become_definitions(simulator, exported, run_module):
    env, dummy = exported
    result, failed = run_module(module, dict(simulator.module_auth(), environment_id=env, as_definitions=True,
                                             include_system_applications=True))
    assert not failed
    assert [app for app in result['applications'] if app['type'].startswith('PING_ONE_')]
    assert not [definition for definition in result['definitions'] if definition['type'].startswith('PING_ONE_')]


def test_the_applications_with_unmodelled_settings_are_named(exported):
    dummy, result = exported
    warning = ' '.join(warning_texts(result))
    assert '4 applications have settings no option of pingone.oidc.pingone_application models' in warning
    for name, members in UNMODELLED.items():
        assert "'%s' (%s)" % (name, ', '.join(members)) in warning
    assert "'Export Worker'" not in warning


def test_applying_each_definition_changes_nothing_and_keeps_unmodelled_settings(simulator, exported, run_module):
    env, result = exported
    before = read_apps(simulator, env)
    for definition in result['definitions']:
        applied, failed = run_module(application_module, dict(simulator.module_auth(), environment_id=env, **definition))
        assert not failed and applied['changed'] is False, (definition['name'], applied)
    after = read_apps(simulator, env)
    for name, members in UNMODELLED.items():
        for member in members:
            assert after[name][member] == before[name][member]


def test_applying_the_whole_list_with_the_fleet_module_changes_nothing(simulator, exported, run_module):
    env, result = exported
    applied, failed = run_module(fleet_module, dict(simulator.module_auth(), environment_id=env,
                                                    applications=result['definitions']))
    assert not failed and applied['changed'] is False, applied
    assert applied['counts']['unchanged'] == len(result['definitions'])


def test_definitions_recreate_equivalent_applications_in_an_empty_environment(simulator, exported, run_module):
    dummy, result = exported
    empty = simulator.new_environment('empty')
    applied, failed = run_module(fleet_module, dict(simulator.module_auth(), environment_id=empty,
                                                    applications=result['definitions']))
    assert not failed and applied['counts']['created'] == len(result['definitions']), applied
    again, failed = run_module(module, dict(simulator.module_auth(), environment_id=empty, as_definitions=True))
    assert not failed
    assert again['definitions'] == result['definitions']  # what PingOne stores for them reads back the same
    assert not warning_texts(again)  # the unmodelled settings are what a definition cannot carry


def test_one_definition_recreates_its_application_with_the_single_module(simulator, exported, run_module):
    dummy, result = exported
    empty = simulator.new_environment('empty')
    for definition in result['definitions']:
        created, failed = run_module(application_module, dict(simulator.module_auth(), environment_id=empty, **definition))
        assert not failed and created['changed'] is True, created
    again, dummy2 = run_module(module, dict(simulator.module_auth(), environment_id=empty, as_definitions=True))
    assert again['definitions'] == result['definitions']


def test_definitions_hold_no_secret(simulator, exported, run_module):
    env, result = exported
    secrets = [api_client(simulator).request('GET', 'environments/%s/applications/%s/secret' % (env, app['id']), 'Secret').body['secret']
               for app in result['applications'] if app['protocol'] == 'OPENID_CONNECT']
    text = json.dumps(result['definitions'])
    assert secrets and not [secret for secret in secrets if secret in text]
    assert 'clientSecret' not in text and 'client_secret' not in text


def test_applications_sharing_a_name_are_named_in_a_warning(simulator, seeded, run_module):
    env, web, dummy = seeded
    api_client(simulator).request('POST', 'environments/%s/applications' % env, 'Seeding',
                                  json_body=dict(WEB_APP, name='ORDERS WEB'), expected=(201,))
    result, failed = run_module(module, dict(simulator.module_auth(), environment_id=env, as_definitions=True))
    assert not failed and len(result['definitions']) == 3
    shared = [text for text in warning_texts(result) if 'share a name (ignoring case)' in text]
    assert len(shared) == 1 and re.search(r": '(Orders Web|ORDERS WEB)' \(2\)$", shared[0]), shared
