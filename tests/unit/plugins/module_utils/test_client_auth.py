# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Client authentication: RFC 6749 Basic encoding, RFC 7523 assertions, PKCE."""

from __future__ import annotations

import base64
import hashlib

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from ansible_collections.pingone.oidc.plugins.module_utils import _client
from ansible_collections.pingone.oidc.plugins.module_utils import _client_auth as auth
from ansible_collections.pingone.oidc.plugins.module_utils import _jwk

SECRET = 'a' * 60 + ':/+%&='
TOKEN_URL = 'https://auth.example.com/env/as/token'


def test_basic_credentials_are_form_encoded_before_base64():
    header = _client.basic_authorization('client id', SECRET)
    decoded = base64.b64decode(header.split(' ')[1]).decode()
    assert decoded == 'client%20id:' + 'a' * 60 + '%3A%2F%2B%25%26%3D'


@pytest.mark.parametrize('method, header, fields', [
    ('NONE', False, {'client_id'}),
    ('CLIENT_SECRET_BASIC', True, set()),
    ('CLIENT_SECRET_POST', False, {'client_id', 'client_secret'}),
    ('CLIENT_SECRET_JWT', False, {'client_id', 'client_assertion', 'client_assertion_type'}),
])
def test_where_each_method_puts_its_credentials(method, header, fields):
    authenticator = auth.ClientAuthenticator(method, 'cid', client_secret=SECRET)
    headers, form = authenticator.apply({'grant_type': 'client_credentials'}, TOKEN_URL, client_id_in_body=False)
    assert ('Authorization' in headers) is header
    assert set(form) - {'grant_type'} == fields
    # RFC 9126: a PAR always carries client_id
    dummy, par_form = authenticator.apply({}, TOKEN_URL)
    assert par_form['client_id'] == 'cid'


@pytest.mark.parametrize('alg', ['HS256', 'HS384', 'HS512'])
def test_client_secret_jwt_assertion_claims(alg):
    now = 1_800_000_000
    authenticator = auth.ClientAuthenticator('CLIENT_SECRET_JWT', 'cid', client_secret=SECRET, alg=alg, clock=lambda: now)
    dummy, form = authenticator.apply({}, TOKEN_URL)
    assert form['client_assertion_type'] == 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
    claims = jwt.decode(form['client_assertion'], SECRET.encode(), algorithms=[alg], audience=TOKEN_URL,
                        options={'verify_exp': False, 'verify_nbf': False, 'verify_iat': False})
    assert claims['iss'] == claims['sub'] == 'cid'
    assert claims['aud'] == TOKEN_URL
    assert claims['exp'] - claims['iat'] == 60 and claims['iat'] == now
    assert jwt.get_unverified_header(form['client_assertion'])['alg'] == alg


@pytest.mark.parametrize('key, alg', [
    (rsa.generate_private_key(public_exponent=65537, key_size=2048), 'RS256'),
    (rsa.generate_private_key(public_exponent=65537, key_size=2048), 'PS384'),
    (ec.generate_private_key(ec.SECP256R1()), 'ES256'),
    (ec.generate_private_key(ec.SECP521R1()), 'ES512'),
])
def test_private_key_jwt_is_signed_with_the_key_and_names_its_kid(key, alg):
    authenticator = auth.ClientAuthenticator('PRIVATE_KEY_JWT', 'cid', private_key=key, alg=alg)
    dummy, form = authenticator.apply({}, TOKEN_URL)
    header = jwt.get_unverified_header(form['client_assertion'])
    assert header['alg'] == alg
    assert header['kid'] == _jwk.thumbprint(_jwk.public_jwk(key.public_key()))  # pingone_app_key's default kid
    claims = jwt.decode(form['client_assertion'], key.public_key(), algorithms=[alg], audience=TOKEN_URL)
    assert claims['iss'] == claims['sub'] == 'cid'


def test_every_assertion_has_a_fresh_jti():
    authenticator = auth.ClientAuthenticator('CLIENT_SECRET_JWT', 'cid', client_secret=SECRET)
    jtis = {jwt.decode(authenticator.assertion(TOKEN_URL), options={'verify_signature': False})['jti'] for dummy in range(20)}
    assert len(jtis) == 20


def test_default_algorithms_follow_the_key():
    assert auth.ClientAuthenticator('CLIENT_SECRET_JWT', 'c', client_secret=SECRET).alg == 'HS256'
    assert auth.ClientAuthenticator('PRIVATE_KEY_JWT', 'c', private_key=ec.generate_private_key(ec.SECP384R1())).alg == 'ES384'


@pytest.mark.parametrize('kwargs, message', [
    (dict(method='CLIENT_SECRET_POST', client_id='c'), 'auth_method CLIENT_SECRET_POST needs client_secret'),
    (dict(method='PRIVATE_KEY_JWT', client_id='c'), 'needs private_key or private_key_path'),
    (dict(method='CLIENT_SECRET_JWT', client_id='c', client_secret=SECRET, alg='RS256'), 'signing_alg RS256 does not fit CLIENT_SECRET_JWT'),
    (dict(method='PRIVATE_KEY_JWT', client_id='c', private_key=ec.generate_private_key(ec.SECP256R1()), alg='RS256'),
     'signing_alg: alg RS256 does not fit an EC P-256 key; use ES256'),
    (dict(method='PRIVATE_KEY_JWT', client_id='c', private_key=ec.generate_private_key(ec.SECP256R1()), alg='HS256'),
     'signing_alg HS256 does not fit PRIVATE_KEY_JWT'),
    (dict(method='BEARER', client_id='c'), 'auth_method must be one of'),
    (dict(method='NONE', client_id=''), 'client_id is required'),
])
def test_impossible_combinations_are_refused(kwargs, message):
    with pytest.raises(auth.ClientAuthError) as info:
        auth.ClientAuthenticator(**kwargs)
    assert message in str(info.value) and SECRET not in str(info.value)


def test_pkce_s256_pair_matches_rfc7636():
    verifier, challenge = auth.pkce_pair()
    assert 43 <= len(verifier) <= 128
    expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b'=').decode()
    assert challenge == expected
    assert auth.pkce_pair()[0] != verifier


def test_unverified_claims():
    token = jwt.encode({'client_id': 'c', 'scope': 'a b'}, 'k' * 32, algorithm='HS256')
    assert auth.unverified_claims(token) == {'client_id': 'c', 'scope': 'a b'}
    assert auth.unverified_claims('opaque-token') is None


def test_pkce_plain_pair_sends_the_verifier():
    verifier, challenge = auth.pkce_pair('plain')
    assert challenge == verifier and 43 <= len(verifier) <= 128


# -- request objects (RFC 9101) ------------------------------------------------------------------

ISSUER = 'https://auth.example.com/env/as'
PARAMETERS = {'response_type': 'code', 'redirect_uri': 'https://app.example.com/cb', 'scope': 'openid', 'max_age': 0,
              'prompt': 'login consent'}


def _request_claims(token, key, alg):
    return jwt.decode(token, key, algorithms=[alg], audience=ISSUER, options={'verify_nbf': False, 'verify_iat': False})


@pytest.mark.parametrize('method, alg, expected', [
    ('CLIENT_SECRET_BASIC', None, 'HS256'),
    ('CLIENT_SECRET_POST', 'HS512', 'HS512'),
    ('CLIENT_SECRET_JWT', 'HS384', 'HS384'),
    ('NONE', None, 'HS256'),  # a public client that was given its secret
])
def test_request_object_signed_with_the_client_secret(method, alg, expected):
    now = 1_800_000_000
    authenticator = auth.ClientAuthenticator(method, 'cid', client_secret=SECRET, alg=alg, clock=lambda: now)
    token = authenticator.request_object(PARAMETERS, ISSUER)
    header = jwt.get_unverified_header(token)
    assert header == {'alg': expected, 'typ': 'oauth-authz-req+jwt'}
    claims = jwt.decode(token, SECRET.encode(), algorithms=[expected], audience=ISSUER,
                        options={'verify_exp': False, 'verify_nbf': False, 'verify_iat': False})
    assert {key: claims[key] for key in PARAMETERS} == PARAMETERS  # max_age stays a number
    assert claims['iss'] == claims['client_id'] == 'cid' and claims['aud'] == ISSUER
    assert claims['iat'] == claims['nbf'] == now and claims['exp'] == now + 60
    assert 'sub' not in claims and SECRET not in token


@pytest.mark.parametrize('key, expected', [
    (rsa.generate_private_key(public_exponent=65537, key_size=2048), 'RS256'),
    (ec.generate_private_key(ec.SECP256R1()), 'ES256'),
    (ec.generate_private_key(ec.SECP384R1()), 'ES384'),
])
def test_request_object_signed_with_the_private_key_by_key_type(key, expected):
    authenticator = auth.ClientAuthenticator('PRIVATE_KEY_JWT', 'cid', private_key=key)
    token = authenticator.request_object(PARAMETERS, ISSUER)
    header = jwt.get_unverified_header(token)
    assert header['alg'] == expected and header['typ'] == 'oauth-authz-req+jwt'
    assert header['kid'] == _jwk.thumbprint(_jwk.public_jwk(key.public_key()))
    claims = _request_claims(token, key.public_key(), expected)
    assert claims['iss'] == 'cid' and claims['prompt'] == 'login consent'


def test_request_object_follows_the_assertion_alg_and_kid():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    authenticator = auth.ClientAuthenticator('PRIVATE_KEY_JWT', 'cid', private_key=key, kid='k1', alg='PS256')
    header = jwt.get_unverified_header(authenticator.request_object(PARAMETERS, ISSUER))
    assert header['alg'] == 'PS256' and header['kid'] == 'k1'


def test_every_request_object_has_a_fresh_jti():
    authenticator = auth.ClientAuthenticator('CLIENT_SECRET_BASIC', 'cid', client_secret=SECRET)
    jtis = {jwt.decode(authenticator.request_object(PARAMETERS, ISSUER), options={'verify_signature': False})['jti']
            for dummy in range(20)}
    assert len(jtis) == 20


@pytest.mark.parametrize('kwargs, message', [
    (dict(method='NONE', client_id='c'), 'auth_method NONE gives neither (give client_secret to sign with HS256)'),
    (dict(method='CLIENT_SECRET_BASIC', client_id='c', client_secret=SECRET, alg='RS256'),
     'signing_alg RS256 cannot sign a request object with the client secret'),
])
def test_a_request_object_that_cannot_be_signed_is_refused(kwargs, message):
    authenticator = auth.ClientAuthenticator(**kwargs)
    with pytest.raises(auth.ClientAuthError) as info:
        authenticator.request_object(PARAMETERS, ISSUER)
    assert message in str(info.value) and SECRET not in str(info.value)
