# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Normalisation, comparison, merge and validation of the OIDC application model."""

from __future__ import annotations

import json
import re

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _app_model as model
from ansible_collections.pingone.oidc.plugins.module_utils import _jose
from ansible_collections.pingone.oidc.tests.unit.child import top_level_imports

# The example keys of RFC 7517 appendix A.1 (RSA 2048 bits, EC P-256): usable public signing keys.
RSA_N = ('0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMs'
         'tn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1'
         'n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw')
RSA_KEY = {'kty': 'RSA', 'kid': 'k1', 'use': 'sig', 'alg': 'RS256', 'e': 'AQAB', 'n': RSA_N}
EC_KEY = {'kty': 'EC', 'kid': 'k2', 'crv': 'P-256', 'x': 'MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4',
          'y': '4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM'}
RSA_1024_N = _jose.b64url(((1 << 1023) | 1).to_bytes(128, 'big'))

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
                      'tokenEndpointAuthMethod': 'CLIENT_SECRET_BASIC', 'enabled': False}
    assert model.creation_body('w', 'WORKER', desired(enabled=True))['enabled'] is True
    spa = model.creation_body('s', 'SINGLE_PAGE_APP', desired(pkce_enforcement='REQUIRED'))
    assert spa['tokenEndpointAuthMethod'] == 'NONE' and spa['pkceEnforcement'] == 'REQUIRED' and spa['responseTypes'] == ['CODE']
    device = model.creation_body('d', 'WEB_APP', desired(grant_types=['DEVICE_CODE']))
    assert 'responseTypes' not in device
    # the authorization code grant gets CODE whatever the type (the option's documentation says so)
    for app_type in model.OIDC_TYPES:
        body = model.creation_body('a', app_type, desired(grant_types=['AUTHORIZATION_CODE']))
        assert body['responseTypes'] == ['CODE'], app_type
    implicit = model.creation_body('i', 'SINGLE_PAGE_APP', desired(grant_types=['IMPLICIT'], response_types=['ID_TOKEN']))
    assert implicit['responseTypes'] == ['ID_TOKEN']


def test_create_sends_enabled_which_pingone_requires():
    """The API lists enabled as required on create; unset, the module sends PingOne's documented default, false."""
    for app_type in model.OIDC_TYPES:
        body = model.creation_body('a', app_type, desired())
        assert body['enabled'] is False, app_type
        assert model.validate_body(body) == [], app_type  # every preset is a valid application
    assert model.creation_body('a', 'WEB_APP', desired(enabled=False))['enabled'] is False


@pytest.mark.parametrize('changes, expected', [
    ({'tokenEndpointAuthMethod': 'PRIVATE_KEY_JWT'}, 'token_endpoint_auth_method PRIVATE_KEY_JWT needs the public keys'),
    ({'jwks': '{"keys": [1]}'}, 'jwks key 0 has no "kty"'),
    ({'jwks': 'not json'}, 'jwks is not valid JSON'),
    ({'jwks': json.dumps({'keys': [dict(RSA_KEY, d='private', p='x')]})}, 'jwks key k1 holds private key members (d, p)'),
    ({'jwksUrl': 'http://keys.example.com/jwks'}, 'jwks_url: http://keys.example.com/jwks must be an https URL'),
    ({'jwksUrl': 'https:///jwks'}, 'jwks_url: https:///jwks must be an https URL'),
    ({'jwks': json.dumps({'keys': [RSA_KEY]}), 'jwksUrl': 'https://k.example.com'}, 'jwks and jwks_url are alternatives'),
    ({'redirectUris': ['https://a.example.com/cb#frag']}, 'redirect_uris: https://a.example.com/cb#frag must not contain a fragment'),
    ({'redirectUris': ['https://*.example.com/cb']}, 'set allow_wildcard_in_redirect_uris to allow it'),
    ({'redirectUris': ['http://app.example.com/cb']}, 'uses http, which PingOne only allows for localhost, 127.0.0.1 and [::1]'),
    ({'redirectUris': ['https://:443/cb']}, 'redirect_uris: https://:443/cb has no host'),
    ({'postLogoutRedirectUris': ['https://*.example.com/out']}, 'post_logout_redirect_uris: https://*.example.com/out contains a wildcard'),
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
    ({'devicePathId': 'ends-with-newline\n'}, 'device_path_id must be 1 to 50'),
    ({'corsSettings': {'behavior': 'ALLOW_SPECIFIC_ORIGINS'}}, 'cors_settings.origins must list at least one origin'),
    ({'corsSettings': {'behavior': 'ALLOW_NO_ORIGINS', 'origins': ['https://a.com']}}, 'must be empty when behavior is ALLOW_NO_ORIGINS'),
    ({'corsSettings': {'behavior': 'ALLOW_SPECIFIC_ORIGINS', 'origins': ['https://a.com/path']}}, 'without a path'),
    ({'corsSettings': {'behavior': 'ALLOW_SPECIFIC_ORIGINS', 'origins': ['https://a.com/']}}, 'https://a.com/ must be an http(s) origin'),
    ({'corsSettings': {'behavior': 'ALLOW_SPECIFIC_ORIGINS', 'origins': ['https://a.com\n']}}, 'https://a.com\\n must be an http(s) origin'),
    ({'corsSettings': {'behavior': 'ALLOW_SPECIFIC_ORIGINS', 'origins': ['https://a%d.com' % i for i in range(41)]}},
     'cors_settings.origins allows at most 40 origins'),
    ({'homePageUrl': 'ftp://x'}, 'home_page_url: ftp://x must be an http(s) URL'),
    ({'homePageUrl': 'https://:80/'}, 'home_page_url: https://:80/ must be an http(s) URL'),
    ({'targetLinkUri': 'com.example.app://home#x'}, 'target_link_uri: com.example.app://home#x must not contain a fragment'),
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
    ok = dict(body, redirectUris=['http://localhost:3000/cb', 'http://127.0.0.1/cb', 'http://[::1]:8080/cb', 'com.example.app://cb',
                                  'https://*.example.com/cb'], allowWildcardInRedirectUris=True,
              postLogoutRedirectUris=['https://*.example.com/out', 'http://[::1]/out'],
              tokenEndpointAuthMethod='PRIVATE_KEY_JWT', jwks=json.dumps({'keys': [RSA_KEY, EC_KEY]}),
              targetLinkUri='com.example.app://home', refreshTokenDuration=3600, refreshTokenRollingDuration=3600,
              loginPageUrl='https://login.example.com/#/signin', corsSettings={'behavior': 'ALLOW_SPECIFIC_ORIGINS', 'origins': [
                  'https://*.example.com', 'http://localhost:8080', 'https://10.0.0.1'] + ['https://a%d.com' % i for i in range(37)]})
    assert model.validate_body(ok) == []


URL_OPTIONS = [field for field in model.FIELDS if field.url]
UNSAFE_URLS = [
    ('https://a.example.com/c b', 'contains a space or a control character'),
    ('https://a.example.com/cb\n', 'contains a space or a control character'),
    ('https://a.example.com/\r\nSet-Cookie:x', 'contains a space or a control character'),
    ('\thttps://a.example.com/cb', 'contains a space or a control character'),
    ('https://a.example.com/\x00', 'contains a space or a control character'),
    ('https://a.example.com/\x7f', 'contains a space or a control character'),
    ('https://a.example.com/\u200b', 'contains a space or a control character'),
    ('https://a.example.com/\u202egpj.exe', 'contains a space or a control character'),
    ('https://a.example.com/\xa0', 'contains a space or a control character'),
    ('javascript:alert(1)', 'uses the javascript: scheme'),
    ('JavaScript://%0aalert(1)', 'uses the javascript: scheme'),
    ('data:text/html,<script>alert(1)</script>', 'uses the data: scheme'),
    ('vbscript:msgbox(1)', 'uses the vbscript: scheme'),
    ('file:///etc/passwd', 'uses the file: scheme'),
]


@pytest.mark.parametrize('url, problem', UNSAFE_URLS)
@pytest.mark.parametrize('field', URL_OPTIONS, ids=lambda field: field.option)
def test_unsafe_urls_are_refused_in_every_url_option(field, url, problem):
    """Spaces, control characters and script or local schemes never reach PingOne, whatever the option."""
    body = dict(model.merge(CURRENT, desired()), allowWildcardInRedirectUris=True)
    model.set_path(body, field.path, [url] if field.kind == 'set' else url)
    errors = [error for error in model.validate_body(body) if error.startswith(field.option + ':')]
    assert len(errors) == 1 and problem in errors[0], errors
    assert errors[0].isprintable(), errors  # one line, no control character echoed
    assert model.shown(url) in errors[0]


def test_unsafe_origins_and_values_are_shown_escaped():
    body = dict(model.merge(CURRENT, desired()), corsSettings={'behavior': 'ALLOW_SPECIFIC_ORIGINS', 'origins': ['https://a.com\r\n']},
                devicePathId='id\n')
    errors = model.validate_body(body)
    assert 'cors_settings.origins: https://a.com\\r\\n must be an http(s) origin' in errors[-1]
    assert 'device_path_id must be 1 to 50 letters, digits, "_" or "-"' in errors
    assert all(error.isprintable() for error in errors)
    assert model.shown('a b\tc\u200b') == 'a b\\tc\\u200b'
    assert model.shown(7) == '7'


def jwks(*keys):
    return json.dumps({'keys': list(keys)})


@pytest.mark.parametrize('keys, expected', [
    ([dict(RSA_KEY, n=RSA_1024_N)], 'jwks key k1 RSA key of 1024 bits is too weak; use at least 2048 bits'),
    ([dict(EC_KEY, crv='secp256k1')], "jwks key k2 EC curve 'secp256k1' is not supported; use P-256, P-384 or P-521"),
    ([dict(EC_KEY, crv='P-384')], 'jwks key k2 EC key member "x" does not fit curve P-384'),
    ([dict(EC_KEY, y='AQAB')], 'jwks key k2 EC key member "y" does not fit curve P-256'),
    ([dict(RSA_KEY, use='enc')], "jwks key k1 has use 'enc'; client authentication keys are for signatures"),
    ([dict(RSA_KEY, alg='ES256')], 'jwks key k1 alg ES256 does not fit an RSA key'),
    ([dict(EC_KEY, alg='ES384')], 'jwks key k2 alg ES384 does not fit an EC P-256 key; use ES256'),
    ([{'kty': 'OKP', 'kid': 'ed', 'crv': 'Ed25519', 'x': 'AQAB'}], "jwks key ed has kty 'OKP'; only RSA and EC keys are supported"),
    ([dict(RSA_KEY, n='')], 'jwks key k1 RSA key has no "n"'),
    ([RSA_KEY, dict(EC_KEY, kid='k1')], 'jwks holds more than one key with kid k1; each key needs its own kid'),
    ([dict(RSA_KEY, kid='a\nb'), dict(EC_KEY, kid='a\nb')], 'jwks holds more than one key with kid a\\nb'),
    ([dict(RSA_KEY, kid=None, n=RSA_1024_N)], 'jwks key 0 RSA key of 1024 bits is too weak'),
])
def test_jwks_is_held_to_the_rules_of_pingone_app_key(keys, expected):
    body = dict(model.merge(CURRENT, desired()), tokenEndpointAuthMethod='PRIVATE_KEY_JWT', jwks=jwks(*keys))
    errors = model.validate_body(body)
    assert any(error.startswith(expected) for error in errors), errors
    assert all(error.isprintable() for error in errors)
    assert RSA_N[:12] not in ' '.join(errors)  # no key material in the messages


def test_jwks_rules_are_those_of_jose():
    assert model.jwks_problems(jwks(RSA_KEY, EC_KEY, dict(RSA_KEY, kid='k3'))) == []
    assert model.jwks_problems({'keys': [dict(RSA_KEY, kid=None), dict(EC_KEY, kid=None)]}) == []  # no kid: nothing to clash
    assert model.jwks_problems('{"keys": []}') == ['must be a JSON Web Key Set: an object with a non-empty "keys" list']
    # comparing a weak key set still works (pingone_app_key reads what is there before replacing it)
    assert model.parse_jwks(jwks(dict(RSA_KEY, n=RSA_1024_N)))['keys'][0]['n'] == RSA_1024_N


@pytest.mark.parametrize('app_type, changes, expected', [
    ('WORKER', {'tokenEndpointAuthMethod': 'NONE'},
     'grant_types CLIENT_CREDENTIALS needs a token_endpoint_auth_method that authenticates the client, not NONE'),
    ('CUSTOM_APP', {'tokenEndpointAuthMethod': 'NONE', 'grantTypes': ['CLIENT_CREDENTIALS', 'DEVICE_CODE']},
     'grant_types CLIENT_CREDENTIALS needs a token_endpoint_auth_method that authenticates the client'),
    ('SINGLE_PAGE_APP', {'grantTypes': ['CLIENT_CREDENTIALS']}, 'grant_types CLIENT_CREDENTIALS needs a token_endpoint_auth_method'),
    ('WEB_APP', {'responseTypes': ['TOKEN']}, 'grant_types AUTHORIZATION_CODE needs response_types CODE'),
    ('WORKER', {'grantTypes': ['AUTHORIZATION_CODE'], 'responseTypes': None}, 'grant_types AUTHORIZATION_CODE needs response_types CODE'),
    ('SINGLE_PAGE_APP', {'grantTypes': ['IMPLICIT'], 'responseTypes': ['CODE']}, 'grant_types IMPLICIT needs response_types TOKEN or ID_TOKEN'),
    ('WORKER', {'grantTypes': ['CLIENT_CREDENTIALS', 'REFRESH_TOKEN']},
     'grant_types REFRESH_TOKEN needs a grant that issues refresh tokens: AUTHORIZATION_CODE, DEVICE_CODE, CIBA, TOKEN_EXCHANGE'),
    ('SINGLE_PAGE_APP', {'grantTypes': ['IMPLICIT', 'REFRESH_TOKEN'], 'responseTypes': ['TOKEN']}, 'grant_types REFRESH_TOKEN needs'),
])
def test_grant_combinations_that_cannot_work_are_refused(app_type, changes, expected):
    body = model.creation_body('app', app_type, desired())
    body.update(changes)
    errors = model.validate_body({key: value for key, value in body.items() if value is not None})
    assert any(error.startswith(expected) for error in errors), errors


@pytest.mark.parametrize('app_type, changes', [
    ('WORKER', {'tokenEndpointAuthMethod': 'NONE', 'grantTypes': ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'], 'responseTypes': ['CODE']}),
    ('WORKER', {'grantTypes': ['CLIENT_CREDENTIALS'], 'responseTypes': ['TOKEN']}),
    ('NATIVE_APP', {'grantTypes': ['CLIENT_CREDENTIALS'], 'tokenEndpointAuthMethod': 'CLIENT_SECRET_BASIC'}),
    ('SINGLE_PAGE_APP', {'grantTypes': ['IMPLICIT'], 'responseTypes': ['TOKEN', 'ID_TOKEN']}),
    ('WEB_APP', {'grantTypes': ['AUTHORIZATION_CODE', 'IMPLICIT'], 'responseTypes': ['CODE', 'ID_TOKEN']}),
    ('WEB_APP', {'tokenEndpointAuthMethod': 'NONE'}),
    ('CUSTOM_APP', {'tokenEndpointAuthMethod': 'NONE', 'grantTypes': ['DEVICE_CODE', 'REFRESH_TOKEN']}),
    ('CUSTOM_APP', {'grantTypes': ['TOKEN_EXCHANGE', 'REFRESH_TOKEN']}),
    ('SERVICE', {'grantTypes': ['AUTHORIZATION_CODE', 'CLIENT_CREDENTIALS', 'IMPLICIT', 'REFRESH_TOKEN'],
                 'responseTypes': ['CODE', 'TOKEN', 'ID_TOKEN']}),
])
def test_grant_combinations_pingone_accepts_pass(app_type, changes):
    body = dict(model.creation_body('app', app_type, desired()), **changes)
    assert model.validate_body(body) == []


def test_views_mask_sensitive_members_and_show_jwks_by_kid():
    app = dict(CURRENT, jwks=json.dumps({'keys': [RSA_KEY, EC_KEY]}))
    view = model.diff_view(app)
    assert view['jwks'] == ['k1 (RSA RS256)', 'k2 (EC)']
    assert view['mobile']['integrityDetection']['googlePlay']['decryptionKey'] == model.MASK
    assert 'very-secret' not in json.dumps(view) and RSA_N[:12] not in json.dumps(view)
    assert '_links' not in model.sanitize(app) and 'createdAt' not in view
    assert view['redirectUris'] == sorted(CURRENT['redirectUris'])
    assert CURRENT['mobile']['integrityDetection']['googlePlay']['decryptionKey'] == 'very-secret'


def test_set_path_removes_empty_parents():
    obj = {'signing': {'keyRotationPolicy': {'id': 'x'}}, 'a': 1}
    model.set_path(obj, ('signing', 'keyRotationPolicy', 'id'), None)
    assert obj == {'a': 1}
    model.set_path(obj, ('signing', 'keyRotationPolicy', 'id'), 'y')
    assert obj['signing'] == {'keyRotationPolicy': {'id': 'y'}}


# -- the table -------------------------------------------------------------------------------

STR, INT, BOOL, LIST = dict(type='str'), dict(type='int'), dict(type='bool'), dict(type='list', elements='str')
NOT_SECRET = dict(no_log=False)
# The argument spec as the module documentation describes it (validate-modules compares the two).
ARGUMENT_SPEC = {
    'description': STR,
    'enabled': BOOL,
    'token_endpoint_auth_method': dict(STR, no_log=False, choices=['NONE', 'CLIENT_SECRET_BASIC', 'CLIENT_SECRET_POST',
                                                                   'CLIENT_SECRET_JWT', 'PRIVATE_KEY_JWT']),
    'grant_types': dict(LIST, choices=['AUTHORIZATION_CODE', 'IMPLICIT', 'REFRESH_TOKEN', 'CLIENT_CREDENTIALS', 'DEVICE_CODE',
                                       'TOKEN_EXCHANGE', 'CIBA']),
    'response_types': dict(LIST, choices=['CODE', 'TOKEN', 'ID_TOKEN']),
    'jwks': dict(type='raw'),
    'jwks_url': STR,
    'redirect_uris': LIST,
    'post_logout_redirect_uris': LIST,
    'allow_wildcard_in_redirect_uris': BOOL,
    'pkce_enforcement': dict(STR, choices=['OPTIONAL', 'REQUIRED', 'S256_REQUIRED']),
    'par_requirement': dict(STR, choices=['OPTIONAL', 'REQUIRED']),
    'par_timeout': INT,
    'refresh_token_duration': dict(INT, **NOT_SECRET),
    'refresh_token_rolling_duration': dict(INT, **NOT_SECRET),
    'refresh_token_rolling_grace_period_duration': dict(INT, **NOT_SECRET),
    'refresh_token_type': dict(STR, choices=['JSON_WEB_TOKEN', 'OPAQUE_TOKEN'], **NOT_SECRET),
    'additional_refresh_token_replay_protection_enabled': dict(BOOL, **NOT_SECRET),
    'home_page_url': STR,
    'login_page_url': STR,
    'initiate_login_uri': STR,
    'target_link_uri': STR,
    'require_signed_request_object': BOOL,
    'support_unsigned_request_object': BOOL,
    'include_x5t': BOOL,
    'op_session_check_enabled': BOOL,
    'idp_signoff': BOOL,
    'request_scopes_for_multiple_resources_enabled': BOOL,
    'hidden_from_app_portal': BOOL,
    'device_path_id': STR,
    'device_custom_verification_uri': STR,
    'device_timeout': INT,
    'device_polling_interval': INT,
    'signing_key_rotation_policy_id': dict(STR, **NOT_SECRET),
    'tags': dict(LIST, choices=['PING_FED_CONNECTION_INTEGRATION']),
    'cors_settings': dict(type='dict', options=dict(
        behavior=dict(STR, required=True, choices=['ALLOW_NO_ORIGINS', 'ALLOW_SPECIFIC_ORIGINS']),
        origins=LIST,
    )),
    'access_control': dict(type='dict', options=dict(
        role_type=dict(STR, choices=['ADMIN_USERS_ONLY']),
        group_type=dict(STR, choices=['ANY_GROUP', 'ALL_GROUPS']),
        groups=LIST,
    )),
}
# ansible-test validate-modules wants no_log set explicitly on options whose names match this.
SECRET_LOOKING = re.compile(r'(?:pass(?!ive)|secret|token|key)', re.I)


def test_argument_spec_is_pinned():
    spec = model.field_argument_spec()
    assert spec == ARGUMENT_SPEC
    # FIELDS order is the order of changed_options; a resolved option only for the modules that resolve it
    assert list(spec) == [field.option for field in model.FIELDS if not field.resolved]
    spec['grant_types']['choices'].append('changed')  # a copy: callers cannot alter the table
    assert model.field_argument_spec() == ARGUMENT_SPEC
    resolving = model.field_argument_spec(resolved=True)
    assert list(resolving) == [field.option for field in model.FIELDS]
    assert resolving['icon'] == dict(type='dict', options=dict(id=STR, path=dict(type='path')), mutually_exclusive=[('id', 'path')])


def test_no_log_is_explicit_never_guessed():
    for field in model.FIELDS:
        assert ('no_log' in field.spec) == bool(SECRET_LOOKING.search(field.option)), field.option
    assert not [field.option for field in model.FIELDS if field.sensitive]
    secret = model.Field('client_secret', 'clientSecret', no_log=True)
    plain = model.Field('refresh_token_duration', 'refreshTokenDuration', type='int')
    assert secret.sensitive and 'no_log' not in plain.spec


def test_every_fact_names_a_known_rule_or_option():
    for field in model.FIELDS:
        assert field.url is None or field.url in model.URL_RULES, field.option
        assert field.bounds is None or field.spec['type'] == 'int', field.option
        assert field.absent_means is None or field.kind == 'scalar', field.option
        choices = field.spec.get('choices')
        assert field.absent_means is None or not choices or field.absent_means in choices, field.option
    assert set(model.CREATE_DEFAULTS) == set(model.OIDC_TYPES)
    for app_type, defaults in model.CREATE_DEFAULTS.items():
        for option, value in defaults.items():
            choices = model.FIELDS_BY_OPTION[option].spec['choices']
            assert set(value if isinstance(value, list) else [value]) <= set(choices), (app_type, option)
    with pytest.raises(ValueError, match='unknown kind'):
        model.Field('x', 'x', 'sets')


def test_field_facts_drive_the_behaviour():
    bounds = {field.option: field.bounds for field in model.FIELDS if field.bounds}
    assert bounds == {'par_timeout': (1, 600), 'refresh_token_duration': (60, model.MAX_INT),
                      'refresh_token_rolling_duration': (60, model.MAX_INT), 'refresh_token_rolling_grace_period_duration': (0, 86400),
                      'device_timeout': (1, 3600), 'device_polling_interval': (1, 60)}
    absent = {field.api_name: field.absent_means for field in model.FIELDS if field.absent_means is not None}
    assert absent == {'pkceEnforcement': 'OPTIONAL', 'parRequirement': 'OPTIONAL', 'parTimeout': 60,
                      'refreshTokenRollingGracePeriodDuration': 0, 'deviceTimeout': 600, 'devicePollingInterval': 5}
    urls = {field.option: field.url for field in model.FIELDS if field.url}
    assert urls == {'jwks_url': 'https', 'redirect_uris': 'redirect', 'post_logout_redirect_uris': 'redirect', 'home_page_url': 'url',
                    'login_page_url': 'login', 'initiate_login_uri': 'url', 'target_link_uri': 'custom-scheme',
                    'device_custom_verification_uri': 'url'}
    assert [field.option for field in model.FIELDS if field.kind == 'set'] == [
        'grant_types', 'response_types', 'redirect_uris', 'post_logout_redirect_uris', 'tags']


def test_url_rules():
    body = model.merge(CURRENT, desired())
    wildcard = dict(body, allowWildcardInRedirectUris=True)
    rules = model.URL_RULES
    assert 'wildcard' in rules['redirect']('https://*.example.com/cb', body)
    assert rules['redirect']('https://*.example.com/cb', wildcard) is None
    assert rules['redirect']('com.example.app://cb', body) is None
    assert rules['redirect']('http://[::1]:8080/cb', body) is None
    assert rules['login']('com.example.app://login', body) == 'must use https'
    assert rules['login']('http://[::1]/login#/start', body) is None
    assert rules['https']('http://keys.example.com', body) == 'must be an https URL'
    assert rules['url']('com.example.app://home', body) == 'must be an http(s) URL'
    assert rules['custom-scheme']('com.example.app://home', body) is None
    assert rules['custom-scheme']('home', body) == 'is not an absolute URI'


def test_range_messages_follow_the_option_order():
    body = dict(model.merge(CURRENT, desired()), deviceTimeout=0, parTimeout=0, refreshTokenDuration=1)
    assert [error.split()[0] for error in model.validate_body(body) if ' between ' in error] == [
        'par_timeout', 'refresh_token_duration', 'device_timeout']


def test_masked_members_are_the_unmanaged_secrets_and_the_no_log_options():
    assert model.SENSITIVE_PATHS == model.UNMANAGED_SECRETS + tuple(field.path for field in model.FIELDS if field.sensitive)
    assert model.sanitize(dict(CURRENT, clientSecret='s'))['clientSecret'] == model.MASK


def test_shared_constants_exist_once():
    from ansible_collections.pingone.oidc.plugins.module_utils import _client_auth, _jwk
    assert _client_auth.METHODS is model.AUTH_METHODS
    assert model.PRIVATE_JWK_MEMBERS is _jose.PRIVATE_MEMBERS
    assert _jwk.private_members is _jose.private_members
    for name in ('JwkError', 'check_public_jwk', 'check_alg', 'default_alg', 'b64url', 'b64url_decode', 'RSA_ALGS', 'ALGS',
                 'EC_CURVE_ALGS', 'EC_CURVE_SIZES', 'MIN_RSA_BITS'):
        assert getattr(_jwk, name) is getattr(_jose, name), name  # moved down, still importable from _jwk
    assert model.FIELDS_BY_OPTION['token_endpoint_auth_method'].spec['choices'] == list(model.AUTH_METHODS)


def test_the_model_imports_no_key_library():
    loaded = top_level_imports('ansible_collections.pingone.oidc.plugins.module_utils._app_model')
    assert sorted(loaded & {'jwt', 'cryptography', 'ansible'}) == []


# -- definitions: the inverse of to_api -----------------------------------------------------------

STORED = {'id': 'x', 'clientId': 'x', 'environment': {'id': 'env'}, 'createdAt': '2026-01-01T00:00:00.000Z',
          'updatedAt': '2026-01-01T00:00:00.000Z', 'assignActorRoles': False, 'protocol': 'OPENID_CONNECT',
          'pkceEnforcement': 'OPTIONAL', 'parRequirement': 'OPTIONAL', 'parTimeout': 60, 'deviceTimeout': 600,
          'devicePollingInterval': 5, 'requestScopesForMultipleResourcesEnabled': False}
# Applications as PingOne stores them: every type, every option with a value of its own in at least one of them,
# PingOne's defaults stored or absent, and members no option models.
STORED_APPS = [
    dict(STORED, name='Worker', type='WORKER', enabled=True, grantTypes=['CLIENT_CREDENTIALS'],
         tokenEndpointAuthMethod='CLIENT_SECRET_BASIC', accessControl={'role': {'type': 'ADMIN_USERS_ONLY'}},
         tags=['PING_FED_CONNECTION_INTEGRATION']),
    dict(STORED, name='Web', type='WEB_APP', enabled=True, description='Payments', tokenEndpointAuthMethod='PRIVATE_KEY_JWT',
         jwks=json.dumps({'keys': [RSA_KEY, EC_KEY]}, indent=2), grantTypes=['REFRESH_TOKEN', 'AUTHORIZATION_CODE'],
         responseTypes=['CODE'], redirectUris=['https://b.example.com/cb', 'https://*.example.com/cb', 'https://b.example.com/cb'],
         postLogoutRedirectUris=['https://b.example.com/bye'], allowWildcardInRedirectUris=True, pkceEnforcement='S256_REQUIRED',
         parRequirement='REQUIRED', parTimeout=90, refreshTokenDuration=3600, refreshTokenRollingDuration=86400,
         refreshTokenRollingGracePeriodDuration=30, refreshTokenType='OPAQUE_TOKEN',
         additionalRefreshTokenReplayProtectionEnabled=False, homePageUrl='https://b.example.com',
         loginPageUrl='https://b.example.com/login', initiateLoginUri='https://b.example.com/start',
         targetLinkUri='https://b.example.com/home', requireSignedRequestObject=True, includeX5t=True,
         opSessionCheckEnabled=True, idpSignoff=True, requestScopesForMultipleResourcesEnabled=True, hiddenFromAppPortal=True,
         signing={'keyRotationPolicy': {'id': 'krp-1'}},
         corsSettings={'behavior': 'ALLOW_SPECIFIC_ORIGINS', 'origins': ['https://b.example.com', 'https://*.a.example.com']},
         accessControl={'group': {'type': 'ANY_GROUP', 'groups': [{'id': 'g2'}, {'id': 'g1'}]}}),
    {'id': 'spa', 'name': 'Spa', 'type': 'SINGLE_PAGE_APP', 'protocol': 'OPENID_CONNECT', 'enabled': False,
     'tokenEndpointAuthMethod': 'NONE', 'grantTypes': ['IMPLICIT'], 'responseTypes': ['TOKEN', 'ID_TOKEN'],
     'redirectUris': ['https://spa.example.com/cb'], 'supportUnsignedRequestObject': True,
     'corsSettings': {'behavior': 'ALLOW_NO_ORIGINS'}},  # no pkceEnforcement: OPTIONAL, which the preset would not give
    dict(STORED, name='Native', type='NATIVE_APP', enabled=True, tokenEndpointAuthMethod='NONE',
         grantTypes=['DEVICE_CODE', 'REFRESH_TOKEN'], devicePathId='tv-app', deviceCustomVerificationUri='https://tv.example.com/go',
         deviceTimeout=300, devicePollingInterval=10, targetLinkUri='com.example.tv://home', refreshTokenDuration=2592000,
         additionalRefreshTokenReplayProtectionEnabled=True, mobile={'bundleId': 'com.example.tv'}),
    dict(STORED, name='Service', type='SERVICE', enabled=True, tokenEndpointAuthMethod='PRIVATE_KEY_JWT',
         jwksUrl='https://keys.example.com/jwks', grantTypes=['CLIENT_CREDENTIALS', 'TOKEN_EXCHANGE'],
         accessControl={'role': {'type': 'ADMIN_USERS_ONLY'}, 'group': {'type': 'ALL_GROUPS', 'groups': [{'id': 'g1'}]}}),
    dict(STORED, name='Custom', type='CUSTOM_APP', enabled=False, description='', tokenEndpointAuthMethod='CLIENT_SECRET_POST',
         grantTypes=['CIBA', 'CLIENT_CREDENTIALS'], redirectUris=[], refreshTokenRollingGracePeriodDuration=0,
         clientSecret='never-exported-secret', icon={'id': 'i1', 'href': 'https://icons.example.com/i1.png'},
         kerberos={'key': {'id': 'kk1'}}, customAttribute={'kept': True}, _links={'self': {'href': 'x'}}),
    dict(STORED, name='Jwt', type='WEB_APP', enabled=True, tokenEndpointAuthMethod='CLIENT_SECRET_JWT',
         grantTypes=['AUTHORIZATION_CODE'], responseTypes=['CODE'], redirectUris=['http://localhost:8080/cb'],
         pkceEnforcement='REQUIRED', accessControl={'role': {'type': 'ADMIN_USERS_ONLY'}}),
]


def created_from(definition):
    return model.creation_body(definition['name'], definition['type'], model.desired_from_params(definition))


@pytest.mark.parametrize('app', STORED_APPS, ids=[app['name'] for app in STORED_APPS])
def test_a_definition_applied_to_its_application_changes_nothing(app):
    definition = model.definition_from_api(app)
    assert model.changed_options(app, model.desired_from_params(definition)) == []
    assert definition['name'] == app['name'] and definition['type'] == app['type']
    assert set(definition) <= {'name', 'type'} | set(model.FIELDS_BY_OPTION)


@pytest.mark.parametrize('app', STORED_APPS, ids=[app['name'] for app in STORED_APPS])
def test_a_definition_creates_an_equivalent_application(app):
    created = created_from(model.definition_from_api(app))
    assert model.validate_body(created) == []
    for field in (field for field in model.FIELDS if not field.resolved):  # an image of this environment stays behind
        assert model.normalize(field, model.get_path(created, field.path)) == model.normalize(field, model.get_path(app, field.path)), \
            field.option


def test_the_stored_applications_cover_every_option_and_kind():
    given = {option for app in STORED_APPS for option in model.definition_from_api(app)}
    assert given == {'name', 'type'} | {field.option for field in model.FIELDS if not field.resolved}
    assert {field.kind for field in model.FIELDS} == set(model.KINDS)
    types = {app['type'] for app in STORED_APPS}
    assert types == set(model.OIDC_TYPES)


def test_definitions_use_the_option_names_and_values():
    web = model.definition_from_api(STORED_APPS[1])
    assert web['grant_types'] == ['AUTHORIZATION_CODE', 'REFRESH_TOKEN']
    assert web['redirect_uris'] == ['https://*.example.com/cb', 'https://b.example.com/cb']  # sorted, no duplicates
    assert web['jwks'] == {'keys': [RSA_KEY, EC_KEY]}  # a dict, not PingOne's JSON string
    assert web['cors_settings'] == {'behavior': 'ALLOW_SPECIFIC_ORIGINS', 'origins': ['https://*.a.example.com', 'https://b.example.com']}
    assert web['access_control'] == {'group_type': 'ANY_GROUP', 'groups': ['g1', 'g2']}
    assert web['signing_key_rotation_policy_id'] == 'krp-1'
    assert web['par_timeout'] == 90 and web['additional_refresh_token_replay_protection_enabled'] is False
    service = model.definition_from_api(STORED_APPS[4])
    assert service['access_control'] == {'role_type': 'ADMIN_USERS_ONLY', 'group_type': 'ALL_GROUPS', 'groups': ['g1']}
    assert service['jwks_url'] == 'https://keys.example.com/jwks' and 'jwks' not in service


def test_definitions_leave_out_read_only_members_empty_values_and_server_defaults():
    worker = model.definition_from_api(STORED_APPS[0])
    assert worker == {'name': 'Worker', 'type': 'WORKER', 'enabled': True, 'grant_types': ['CLIENT_CREDENTIALS'],
                      'token_endpoint_auth_method': 'CLIENT_SECRET_BASIC', 'access_control': {'role_type': 'ADMIN_USERS_ONLY'},
                      'tags': ['PING_FED_CONNECTION_INTEGRATION'], 'request_scopes_for_multiple_resources_enabled': False}
    custom = model.definition_from_api(STORED_APPS[5])
    for option in ('description', 'redirect_uris', 'refresh_token_rolling_grace_period_duration', 'par_timeout'):
        assert option not in custom
    assert custom['enabled'] is False  # a stored boolean is given as stored


def test_a_default_the_type_preset_would_not_give_is_kept():
    spa = model.definition_from_api(STORED_APPS[2])
    assert spa['pkce_enforcement'] == 'OPTIONAL'  # absent on the application; the SINGLE_PAGE_APP preset is S256_REQUIRED
    native = model.definition_from_api(STORED_APPS[3])
    assert native['pkce_enforcement'] == 'OPTIONAL'  # stored, and the NATIVE_APP preset differs
    assert native['device_timeout'] == 300 and 'device_polling_interval' in native
    assert 'par_timeout' not in native and 'par_requirement' not in native


def test_definitions_hold_no_secret():
    custom = model.definition_from_api(STORED_APPS[5])
    assert 'never-exported-secret' not in json.dumps(custom) and 'client_secret' not in custom
    private = dict(RSA_KEY, d='private-exponent', p='prime-p')
    app = dict(STORED_APPS[1], jwks=json.dumps({'keys': [private, EC_KEY]}))
    definition = model.definition_from_api(app)
    assert definition['jwks'] == {'keys': [RSA_KEY, EC_KEY]}
    assert 'private-exponent' not in json.dumps(definition)
    assert 'jwks' not in model.definition_from_api(dict(app, jwks='{not json'))


def test_sensitive_options_are_left_out_not_masked(monkeypatch):
    secret_field = model.Field('api_secret', 'apiSecret', no_log=True)
    monkeypatch.setattr(model, 'FIELDS', model.FIELDS + (secret_field,))
    app = dict(STORED_APPS[0], apiSecret='s3cr3t')
    definition = model.definition_from_api(app)
    assert 'api_secret' not in definition and 's3cr3t' not in json.dumps(definition)
    assert model.MASK not in json.dumps(definition)
    assert model.unmodelled_members(app) == ['apiSecret']  # not carried, and said so


def test_unmodelled_members_are_named_and_survive_applying_the_definition():
    custom = STORED_APPS[5]
    assert model.unmodelled_members(custom) == ['customAttribute', 'icon', 'kerberos']
    assert model.unmodelled_members(STORED_APPS[3]) == ['mobile']
    assert model.unmodelled_members(STORED_APPS[1]) == []  # signing.keyRotationPolicy.id is an option
    assert model.unmodelled_members(dict(STORED_APPS[0], jwks='{not json')) == ['jwks']  # stored, not carried
    definition = model.definition_from_api(custom)
    # the definition changes nothing; and when it does change something, the update still keeps them
    assert model.changed_options(custom, model.desired_from_params(definition)) == []
    body = model.merge(custom, model.desired_from_params(dict(definition, enabled=True, description='Now described')))
    for member in ('icon', 'kerberos', 'customAttribute'):
        assert body[member] == custom[member]
    assert 'clientSecret' not in body


def test_system_and_other_protocol_applications_have_no_definition():
    assert model.definition_from_api({'id': 'c', 'name': 'PingOne Admin Console', 'type': 'PING_ONE_ADMIN_CONSOLE',
                                      'protocol': 'OPENID_CONNECT'}) is None
    assert model.definition_from_api({'id': 's', 'name': 'Saml', 'type': 'WEB_APP', 'protocol': 'SAML'}) is None
    assert model.definition_from_api(None) is None


def test_option_value_inverts_to_api_for_every_kind():
    for app in STORED_APPS:
        for field in model.FIELDS:
            value = model.option_value(field, model.get_path(app, field.path))
            if value is not None:
                assert model.normalize(field, model.to_api(field, value)) == model.normalize(field, model.get_path(app, field.path))
    access = model.FIELDS_BY_OPTION['access_control']
    assert model.option_value(access, {'group': {'type': 'ANY_GROUP', 'groups': []}}) == {'group_type': 'ANY_GROUP'}
    assert model.option_value(access, {}) is None
    cors = model.FIELDS_BY_OPTION['cors_settings']
    assert model.option_value(cors, {'origins': ['https://a.example.com']}) is None
