# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Normalisation, comparison, merge and validation of the OIDC application model."""

from __future__ import annotations

import json

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _app_model as model

RSA_KEY = {'kty': 'RSA', 'kid': 'k1', 'use': 'sig', 'alg': 'RS256', 'e': 'AQAB', 'n': 'sXch'}
EC_KEY = {'kty': 'EC', 'kid': 'k2', 'crv': 'P-256', 'x': 'f83O', 'y': 'x_FE'}

CURRENT = {
    'id': 'app-1', 'clientId': 'app-1', 'environment': {'id': 'env'}, '_links': {'self': {'href': 'x'}},
    'createdAt': '2026-01-01T00:00:00.000Z', 'updatedAt': '2026-01-01T00:00:00.000Z', 'assignActorRoles': False,
    'name': 'Web', 'type': 'WEB_APP', 'protocol': 'OPENID_CONNECT', 'enabled': True,
    'grantTypes': ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'], 'responseTypes': ['CODE'],
    'redirectUris': ['https://b.example.com/cb', 'https://a.example.com/cb'],
    'tokenEndpointAuthMethod': 'CLIENT_SECRET_BASIC', 'pkceEnforcement': 'OPTIONAL', 'parRequirement': 'OPTIONAL',
    'parTimeout': 60, 'deviceTimeout': 600, 'devicePollingInterval': 5, 'refreshTokenDuration': 2592000,
    'signing': {'keyRotationPolicy': {'id': 'krp-1'}},
    'mobile': {'integrityDetection': {'googlePlay': {'decryptionKey': 'very-secret'}}},
    'someFutureProperty': {'kept': True},
}


def desired(**params):
    return model.desired_from_params(params)


def test_unset_options_are_not_managed():
    assert model.desired_from_params({'par_timeout': None, 'enabled': None}) == {}
    assert model.changed_options(CURRENT, desired()) == []


def test_list_order_and_duplicates_do_not_matter():
    same = desired(redirect_uris=['https://a.example.com/cb', 'https://b.example.com/cb', 'https://a.example.com/cb'],
                   grant_types=['REFRESH_TOKEN', 'AUTHORIZATION_CODE'])
    assert model.changed_options(CURRENT, same) == []
    assert model.changed_options(CURRENT, desired(redirect_uris=['https://a.example.com/cb'])) == ['redirect_uris']


def test_server_defaults_and_absent_values_are_no_change():
    bare = {'name': 'x', 'type': 'WEB_APP'}
    quiet = desired(pkce_enforcement='OPTIONAL', par_requirement='OPTIONAL', par_timeout=60, include_x5t=False,
                    redirect_uris=[], description='', device_polling_interval=5)
    assert model.changed_options(bare, quiet) == []
    assert model.changed_options(bare, desired(par_timeout=61)) == ['par_timeout']
    assert model.changed_options(bare, desired(include_x5t=True)) == ['include_x5t']


def test_jwks_compares_as_parsed_json():
    stored = json.dumps({'keys': [RSA_KEY, EC_KEY]}, indent=4)
    app = dict(CURRENT, jwks=stored, tokenEndpointAuthMethod='PRIVATE_KEY_JWT')
    reordered = {'keys': [dict(sorted(EC_KEY.items())), RSA_KEY]}
    assert model.changed_options(app, desired(jwks=reordered)) == []
    assert model.changed_options(app, desired(jwks=json.dumps(reordered))) == []
    assert model.changed_options(app, desired(jwks={'keys': [RSA_KEY]})) == ['jwks']


def test_nested_options_compare_as_a_whole():
    app = dict(CURRENT, corsSettings={'behavior': 'ALLOW_SPECIFIC_ORIGINS', 'origins': ['https://b.com', 'https://a.com']},
               accessControl={'role': {'type': 'ADMIN_USERS_ONLY'}})
    assert model.changed_options(app, desired(
        cors_settings={'behavior': 'ALLOW_SPECIFIC_ORIGINS', 'origins': ['https://a.com', 'https://b.com']},
        access_control={'role_type': 'ADMIN_USERS_ONLY', 'group_type': None, 'groups': None})) == []
    assert model.changed_options(app, desired(cors_settings={'behavior': 'ALLOW_NO_ORIGINS', 'origins': None})) == ['cors_settings']
    assert model.changed_options(app, desired(signing_key_rotation_policy_id='krp-2')) == ['signing_key_rotation_policy_id']


def test_merge_keeps_unmanaged_fields_and_strips_read_only_ones():
    body = model.merge(CURRENT, desired(par_timeout=90, description='new'))
    assert body['parTimeout'] == 90 and body['description'] == 'new'
    # the Terraform provider's bug #1326: an update must not drop what it does not manage
    assert body['signing'] == {'keyRotationPolicy': {'id': 'krp-1'}}
    assert body['someFutureProperty'] == {'kept': True}
    assert body['redirectUris'] == CURRENT['redirectUris']
    for member in ('id', 'clientId', 'environment', '_links', 'createdAt', 'updatedAt', 'assignActorRoles'):
        assert member not in body
    assert 'parTimeout' not in CURRENT or CURRENT['parTimeout'] == 60  # the input is not modified


def test_merge_clears_with_empty_values_and_switches_key_source():
    app = dict(CURRENT, jwksUrl='https://keys.example.com/jwks.json', description='old')
    body = model.merge(app, desired(description='', redirect_uris=[], jwks={'keys': [RSA_KEY]},
                                    signing_key_rotation_policy_id=''))
    assert 'description' not in body and 'redirectUris' not in body and 'signing' not in body
    assert 'jwksUrl' not in body and json.loads(body['jwks']) == {'keys': [RSA_KEY]}
    body = model.merge(dict(CURRENT, jwks='{"keys": []}'), desired(jwks_url='https://keys.example.com/jwks.json'))
    assert 'jwks' not in body


def test_creation_defaults_depend_on_type_and_never_override_the_user():
    worker = model.creation_body('w', 'WORKER', desired())
    assert worker == {'name': 'w', 'type': 'WORKER', 'protocol': 'OPENID_CONNECT', 'grantTypes': ['CLIENT_CREDENTIALS'],
                      'tokenEndpointAuthMethod': 'CLIENT_SECRET_BASIC'}
    spa = model.creation_body('s', 'SINGLE_PAGE_APP', desired(pkce_enforcement='REQUIRED'))
    assert spa['tokenEndpointAuthMethod'] == 'NONE' and spa['pkceEnforcement'] == 'REQUIRED' and spa['responseTypes'] == ['CODE']
    device = model.creation_body('d', 'WEB_APP', desired(grant_types=['DEVICE_CODE']))
    assert 'responseTypes' not in device


@pytest.mark.parametrize('changes, expected', [
    ({'tokenEndpointAuthMethod': 'PRIVATE_KEY_JWT'}, 'token_endpoint_auth_method PRIVATE_KEY_JWT needs the public keys'),
    ({'jwks': '{"keys": [1]}'}, 'jwks key 0 has no "kty"'),
    ({'jwks': 'not json'}, 'jwks is not valid JSON'),
    ({'jwks': json.dumps({'keys': [dict(RSA_KEY, d='private', p='x')]})}, 'jwks key k1 holds private key members (d, p)'),
    ({'jwksUrl': 'http://keys.example.com/jwks'}, 'jwks_url must be an https URL'),
    ({'jwks': json.dumps({'keys': [RSA_KEY]}), 'jwksUrl': 'https://k.example.com'}, 'jwks and jwks_url are alternatives'),
    ({'redirectUris': ['https://a.example.com/cb#frag']}, 'redirect_uris: https://a.example.com/cb#frag must not contain a fragment'),
    ({'redirectUris': ['https://*.example.com/cb']}, 'set allow_wildcard_in_redirect_uris to allow it'),
    ({'redirectUris': ['http://app.example.com/cb']}, 'uses http, which PingOne only allows for localhost'),
    ({'redirectUris': ['/relative']}, 'is not an absolute URI'),
    ({'parTimeout': 601}, 'par_timeout must be between 1 and 600, got 601'),
    ({'parTimeout': 0}, 'par_timeout must be between 1 and 600, got 0'),
    ({'deviceTimeout': 3601}, 'device_timeout must be between 1 and 3600'),
    ({'devicePollingInterval': 61}, 'device_polling_interval must be between 1 and 60'),
    ({'refreshTokenDuration': 59}, 'refresh_token_duration must be between 60 and 2147483647'),
    ({'refreshTokenRollingGracePeriodDuration': 86401}, 'refresh_token_rolling_grace_period_duration must be between 0 and 86400'),
    ({'refreshTokenDuration': 7200, 'refreshTokenRollingDuration': 3600}, 'must not exceed refresh_token_rolling_duration'),
    ({'requireSignedRequestObject': True, 'supportUnsignedRequestObject': True}, 'cannot both be true'),
    ({'devicePathId': 'has space'}, 'device_path_id must be 1 to 50'),
    ({'corsSettings': {'behavior': 'ALLOW_SPECIFIC_ORIGINS'}}, 'cors_settings.origins must list at least one origin'),
    ({'corsSettings': {'behavior': 'ALLOW_NO_ORIGINS', 'origins': ['https://a.com']}}, 'must be empty when behavior is ALLOW_NO_ORIGINS'),
    ({'corsSettings': {'behavior': 'ALLOW_SPECIFIC_ORIGINS', 'origins': ['https://a.com/path']}}, 'without a path'),
    ({'homePageUrl': 'ftp://x'}, 'home_page_url: ftp://x must be an http(s) URL'),
    ({'loginPageUrl': 'http://login.example.com'}, 'login_page_url: http://login.example.com uses http'),
    ({'accessControl': {'group': {'type': 'ANY_GROUP', 'groups': []}}}, 'access_control needs both group_type and groups'),
])
def test_validation_names_the_option_and_the_rule(changes, expected):
    body = dict(model.merge(CURRENT, desired()), **changes)
    errors = model.validate_body(body)
    assert any(expected in error for error in errors), errors


def test_valid_bodies_pass():
    body = model.merge(CURRENT, desired())
    assert model.validate_body(body) == []
    ok = dict(body, redirectUris=['http://localhost:3000/cb', 'http://127.0.0.1/cb', 'com.example.app://cb',
                                  'https://*.example.com/cb'], allowWildcardInRedirectUris=True,
              tokenEndpointAuthMethod='PRIVATE_KEY_JWT', jwks=json.dumps({'keys': [RSA_KEY, EC_KEY]}),
              targetLinkUri='com.example.app://home', refreshTokenDuration=3600, refreshTokenRollingDuration=3600)
    assert model.validate_body(ok) == []


def test_views_mask_sensitive_members_and_show_jwks_by_kid():
    app = dict(CURRENT, jwks=json.dumps({'keys': [RSA_KEY, EC_KEY]}))
    view = model.diff_view(app)
    assert view['jwks'] == ['k1 (RSA RS256)', 'k2 (EC)']
    assert view['mobile']['integrityDetection']['googlePlay']['decryptionKey'] == model.MASK
    assert 'very-secret' not in json.dumps(view) and 'sXch' not in json.dumps(view)
    assert '_links' not in model.sanitize(app) and 'createdAt' not in view
    assert view['redirectUris'] == sorted(CURRENT['redirectUris'])
    assert CURRENT['mobile']['integrityDetection']['googlePlay']['decryptionKey'] == 'very-secret'


def test_set_path_removes_empty_parents():
    obj = {'signing': {'keyRotationPolicy': {'id': 'x'}}, 'a': 1}
    model.set_path(obj, ('signing', 'keyRotationPolicy', 'id'), None)
    assert obj == {'a': 1}
    model.set_path(obj, ('signing', 'keyRotationPolicy', 'id'), 'y')
    assert obj['signing'] == {'keyRotationPolicy': {'id': 'y'}}
