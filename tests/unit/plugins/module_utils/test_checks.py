# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the live checks share: options, pure option checks, and CheckContext on plain inputs (no wrapper)."""

from __future__ import annotations

import json

import jwt
import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from ansible_collections.pingone.oidc.plugins.doc_fragments.client_auth import ModuleDocFragment
from ansible_collections.pingone.oidc.plugins.module_utils import _checks, _client_auth, _jwk
from ansible_collections.pingone.oidc.plugins.module_utils._applications import APPLICATION_OPTIONS
from ansible_collections.pingone.oidc.plugins.module_utils._client import ApiResponse
from ansible_collections.pingone.oidc.plugins.module_utils._endpoints import environment_endpoints
from ansible_collections.pingone.oidc.plugins.module_utils._errors import (
    PingOneError,
    PingOneLookupError,
    PingOneMissingLibrary,
    PingOneOptionError,
)

ENV = 'env-1'
ENDPOINTS = environment_endpoints(ENV, auth_override='https://auth.example.com')
APP_SECRET = 'read-from-pingone-' + 'x' * 40
GIVEN_SECRET = 'given-secret-' + 'y' * 40
APP = {'id': 'app-1', 'clientId': 'app-1', 'name': 'Web', 'protocol': 'OPENID_CONNECT', 'type': 'WEB_APP', 'enabled': True,
       'tokenEndpointAuthMethod': 'CLIENT_SECRET_BASIC', 'grantTypes': ['AUTHORIZATION_CODE'],
       'redirectUris': ['https://app.example.com/cb'], 'pkceEnforcement': 'S256_REQUIRED'}


def params(**given):
    """Module options as the wrapper hands them over: every option present, unset ones None."""
    values = {name: spec.get('default') for name, spec in dict(APPLICATION_OPTIONS, **_checks.CLIENT_AUTH_OPTIONS).items()}
    values.update(given)
    return values


class FakeHttp:
    """The OAuth side of PingOneClient: scripted replies, recorded calls."""

    def __init__(self, *replies):
        self.replies = list(replies)
        self.calls = []

    def _reply(self, method, url, **extra):
        self.calls.append(dict(method=method, url=url, **extra))
        if not self.replies:
            raise AssertionError('unexpected request %s %s' % (method, url))
        return self.replies.pop(0)

    def get_json(self, url, operation):
        return self._reply('GET', url)

    def post_form(self, url, operation, prepare):
        headers, form = prepare()
        return self._reply('POST', url, headers=headers, form=form)


class FakeManagement:
    """The management API side of PingOneClient for ApplicationsService: one environment's applications."""

    def __init__(self, *apps, secret=APP_SECRET):
        self.apps = list(apps)
        self.secret = secret
        self.paths = []

    def iterate(self, path, operation, embedded_key, **kwargs):
        self.paths.append(path)
        return iter(self.apps)

    def read(self, path, operation, **kwargs):
        self.paths.append(path)
        return next((app for app in self.apps if path.endswith('/' + app['id'])), None)

    def request(self, method, path, operation, **kwargs):
        self.paths.append(path)
        if path.endswith('/secret'):
            return ApiResponse(200, {}, {'secret': self.secret}, path)
        return ApiResponse(200, {}, {'id': ENV}, path)  # the environment exists


def fragment_options():
    return yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']


# -- options --------------------------------------------------------------------------------------

def test_the_doc_fragment_documents_exactly_the_options():
    documented = fragment_options()
    spec = dict(APPLICATION_OPTIONS, **_checks.CLIENT_AUTH_OPTIONS)
    assert sorted(documented) == sorted(spec)
    for name, option in spec.items():
        doc = documented[name]
        assert doc.get('type', 'str') == option.get('type', 'str'), name
        assert doc.get('choices') == option.get('choices'), name
        assert doc.get('default') == option.get('default'), name


def test_secret_options_are_no_log_and_the_spec_is_data():
    spec = _checks.CLIENT_AUTH_OPTIONS
    assert {name for name, option in spec.items() if option.get('no_log')} == {'client_secret', 'private_key', 'private_key_passphrase'}
    assert spec['auth_method']['choices'] == list(_client_auth.METHODS)
    assert json.loads(json.dumps(spec)) == spec  # plain data, nothing Ansible


@pytest.mark.parametrize('given, message, option', [
    (dict(client_id='c'), 'auth_method is required when the application is not read from PingOne', 'auth_method'),
    (dict(auth_method='NONE'), 'client_id is required when the application is not read from PingOne', 'client_id'),
    (dict(client_id='c', auth_method='PRIVATE_KEY_JWT'), 'auth_method PRIVATE_KEY_JWT needs private_key or private_key_path',
     'private_key_path'),
    (dict(name='Web', auth_method='PRIVATE_KEY_JWT'), 'auth_method PRIVATE_KEY_JWT needs private_key or private_key_path',
     'private_key'),
])
def test_option_checks_name_the_option(given, message, option):
    with pytest.raises(PingOneOptionError) as info:
        _checks.check_client_auth_options(params(**given))
    assert str(info.value).startswith(message) and option in str(info.value)


@pytest.mark.parametrize('given', [
    dict(name='Web'),                      # everything else comes from the application
    dict(application_id='app-1', auth_method='CLIENT_SECRET_POST'),
    dict(client_id='c', auth_method='NONE'),
    dict(client_id='c', auth_method='PRIVATE_KEY_JWT', private_key_path='/k.pem'),
])
def test_option_checks_pass(given):
    _checks.check_client_auth_options(params(**given))


def missing(given):
    """(library, import error) that require_libraries raises for these options, else None."""
    try:
        _checks.require_libraries(params(**given))
    except PingOneMissingLibrary as exc:
        return exc.library, exc.import_error
    return None


def test_missing_libraries_are_named(monkeypatch):
    assert missing(dict(client_id='c', auth_method='PRIVATE_KEY_JWT')) is None
    monkeypatch.setattr(_jwk, 'HAS_CRYPTOGRAPHY', False)
    monkeypatch.setattr(_jwk, 'CRYPTOGRAPHY_IMPORT_ERROR', 'Traceback: no cryptography')
    assert missing(dict(client_id='c', auth_method='CLIENT_SECRET_JWT')) is None  # HMAC needs no cryptography
    assert missing(dict(name='Web', private_key_path='/k.pem')) == ('cryptography', 'Traceback: no cryptography')
    monkeypatch.setattr(_client_auth, 'HAS_PYJWT', False)
    monkeypatch.setattr(_client_auth, 'PYJWT_IMPORT_ERROR', 'Traceback: no jwt')
    assert missing(dict(client_id='c', auth_method='NONE')) == ('PyJWT', 'Traceback: no jwt')


# -- CheckContext on plain inputs -----------------------------------------------------------------

def test_own_credentials_need_no_request_and_no_management_client():
    http = FakeHttp()
    context = _checks.CheckContext(params(client_id='c', client_secret=GIVEN_SECRET, auth_method='CLIENT_SECRET_JWT'),
                                   None, http, ENDPOINTS).load()
    assert http.calls == [] and context.app is None
    assert context.method == 'CLIENT_SECRET_JWT' and context.client_id == 'c'
    assert context.endpoints is ENDPOINTS
    assert context.audience('https://x/par') == ENDPOINTS['token_endpoint']
    assert context.secrets() == [GIVEN_SECRET]


def test_the_application_and_its_secret_are_read_and_the_secret_is_handed_out_to_mask():
    management = FakeManagement(APP)
    context = _checks.CheckContext(params(name='web'), management, FakeHttp(), ENDPOINTS, ENV).load()
    assert context.app['id'] == 'app-1'
    assert context.method == 'CLIENT_SECRET_BASIC' and context.client_id == 'app-1'
    assert management.paths[-1] == 'environments/%s/applications/app-1/secret' % ENV
    assert APP_SECRET in context.secrets()
    headers, dummy = context.authenticator.apply({}, ENDPOINTS['token_endpoint'])
    assert headers['Authorization'].startswith('Basic ')


def test_a_given_secret_is_not_read_from_pingone():
    management = FakeManagement(APP)
    context = _checks.CheckContext(params(application_id='app-1', client_secret=GIVEN_SECRET), management, FakeHttp(),
                                   ENDPOINTS, ENV).load()
    assert not [path for path in management.paths if path.endswith('/secret')]
    assert APP_SECRET not in context.secrets() and GIVEN_SECRET in context.secrets()


@pytest.mark.parametrize('given, wanted', [
    (dict(name='Gone'), "Application 'Gone' does not exist in environment 'env-1'; create it first with "
                        "pingone.oidc.pingone_application"),
    (dict(application_id='nope'), "Application with application_id 'nope' does not exist in environment 'env-1'; create it "
                                  "first with pingone.oidc.pingone_application"),
])
def test_a_missing_application_is_the_one_lookup_error(given, wanted):
    context = _checks.CheckContext(params(**given), FakeManagement(APP), FakeHttp(), ENDPOINTS, ENV)
    with pytest.raises(PingOneLookupError) as info:
        context.load()
    assert str(info.value) == wanted


def test_the_secret_read_is_exposed_even_when_loading_fails_afterwards():
    app = dict(APP, tokenEndpointAuthMethod='CLIENT_SECRET_JWT')
    context = _checks.CheckContext(params(name='Web', signing_alg='RS256'), FakeManagement(app), FakeHttp(), ENDPOINTS, ENV)
    with pytest.raises(_checks.CheckError) as info:
        context.load()
    assert 'signing_alg RS256 does not fit CLIENT_SECRET_JWT' in str(info.value)
    assert APP_SECRET not in str(info.value) and APP_SECRET in context.secrets()


def test_endpoints_from_the_discovery_document():
    doc = {'issuer': 'https://login.example.com/as', 'token_endpoint': 'https://login.example.com/as/token',
           'pushed_authorization_request_endpoint': 'https://login.example.com/as/par',
           'authorization_endpoint': 'https://login.example.com/as/authorize'}
    http = FakeHttp(ApiResponse(200, {}, doc, ''))
    context = _checks.CheckContext(params(client_id='c', auth_method='NONE', issuer='https://login.example.com/as/',
                                          assertion_audience='issuer'), None, http, None).load()
    assert http.calls[0]['url'] == 'https://login.example.com/as/.well-known/openid-configuration'
    assert context.endpoints['par_endpoint'] == 'https://login.example.com/as/par'
    assert context.audience('https://login.example.com/as/par') == 'https://login.example.com/as'


def test_an_unusable_discovery_document_names_issuer():
    http = FakeHttp(ApiResponse(404, {}, None, ''))
    context = _checks.CheckContext(params(client_id='c', auth_method='NONE', issuer='https://nowhere.example.com'), None, http, None)
    with pytest.raises(_checks.CheckError) as info:
        context.load()
    assert str(info.value) == ('Reading the discovery document https://nowhere.example.com/.well-known/openid-configuration failed: '
                               'HTTP 404; check issuer')


def test_private_key_errors_name_the_option(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    path = tmp_path / 'enc.pem'
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.BestAvailableEncryption(b'passphrase-123')))
    cases = [
        (dict(private_key_path='/nonexistent/key.pem'), 'private_key_path /nonexistent/key.pem cannot be read: No such file or directory'),
        (dict(private_key_path=str(path)), 'private_key_path %s is encrypted; set private_key_passphrase' % path),
        (dict(private_key='not a key'), 'private_key is not a readable PEM private key (or the passphrase is wrong)'),
    ]
    for given, wanted in cases:
        context = _checks.CheckContext(params(client_id='c', auth_method='PRIVATE_KEY_JWT', **given), None, FakeHttp(), ENDPOINTS)
        with pytest.raises(_checks.CheckError) as info:
            context.load()
        assert str(info.value) == wanted
    context = _checks.CheckContext(params(client_id='c', auth_method='PRIVATE_KEY_JWT', private_key_path=str(path),
                                          private_key_passphrase='passphrase-123'), None, FakeHttp(), ENDPOINTS).load()
    assert context.authenticator.alg == 'ES256'


def test_kid_and_alg_come_from_the_registered_key_that_matches():
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    registered = dict(_jwk.public_jwk(key.public_key()), kid='key-2026', alg='ES256', use='sig')
    other = dict(_jwk.public_jwk(ec.generate_private_key(ec.SECP256R1()).public_key()), kid='other', alg='ES256')
    app = dict(APP, tokenEndpointAuthMethod='PRIVATE_KEY_JWT', jwks=json.dumps({'keys': [other, registered]}))
    context = _checks.CheckContext(params(name='Web', private_key=pem), FakeManagement(app), FakeHttp(), ENDPOINTS, ENV).load()
    assert context.authenticator.kid == 'key-2026'
    assertion = context.authenticator.assertion(ENDPOINTS['token_endpoint'])
    assert jwt.get_unverified_header(assertion)['kid'] == 'key-2026'
    assert context.secrets() == []


def test_oauth_errors_are_explained_with_status_and_likely_cause():
    context = _checks.CheckContext(params(name='Web', auth_method='CLIENT_SECRET_POST'),
                                   FakeManagement(dict(APP, enabled=False)), FakeHttp(), ENDPOINTS, ENV).load()
    error = context.explain('Token request to T', ApiResponse(401, {}, {'error': 'invalid_client', 'error_description': 'Bad'}, ''))
    assert isinstance(error, PingOneError) and error.status == 401 and error.error == 'invalid_client'
    assert str(error) == ("Token request to T failed: HTTP 401 invalid_client: Bad. Likely cause: the application is disabled; or "
                          "auth_method CLIENT_SECRET_POST differs from the application's token_endpoint_auth_method "
                          "CLIENT_SECRET_BASIC; or a wrong client secret, or one rotated since")
    error = context.explain('PAR to P', ApiResponse(400, {}, {'error': 'invalid_request', 'error_description': 'Invalid redirect_uri'}, ''))
    assert str(error).endswith('Likely cause: redirect_uri is not registered for the application (registered: https://app.example.com/cb)')
    error = context.explain('PAR to P', ApiResponse(502, {}, 'bad gateway', ''))
    assert str(error) == 'PAR to P failed: HTTP 502' and error.error is None


# -- the assertion's algorithm (signing_alg) --------------------------------------------------------------------------

RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
RSA_PEM = RSA_KEY.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
INVALID_CLIENT = 'Token request to T failed: HTTP 401 invalid_client: '


def refused(context, description):
    body = {'error': 'invalid_client', 'error_description': description}
    return str(context.explain('Token request to T', ApiResponse(401, {}, body, '')))


def pinned_app(alg):
    """An application whose one registered key (kid key-2026) is RSA_KEY's public key, pinned to ``alg``."""
    registered = dict(_jwk.public_jwk(RSA_KEY.public_key()), kid='key-2026', alg=alg, use='sig')
    return dict(APP, tokenEndpointAuthMethod='PRIVATE_KEY_JWT', jwks=json.dumps({'keys': [registered]}))


@pytest.mark.parametrize('description', ['Bad', 'no key in the JWKS fits client_assertion alg RS256'])
def test_a_signing_alg_other_than_the_registered_keys_alg_is_named(description):
    context = _checks.CheckContext(params(name='Web', private_key=RSA_PEM, signing_alg='RS256'), FakeManagement(pinned_app('PS256')),
                                   FakeHttp(), ENDPOINTS, ENV).load()
    assert refused(context, description) == (
        INVALID_CLIENT + description + ". Likely cause: signing_alg RS256 differs from the alg PS256 of registered key key-2026; set "
        "signing_alg PS256 (or leave signing_alg out to use the registered key's alg)")


def test_without_signing_alg_the_registered_keys_alg_is_used_and_a_refusal_points_elsewhere():
    context = _checks.CheckContext(params(name='Web', private_key=RSA_PEM), FakeManagement(pinned_app('PS256')), FakeHttp(), ENDPOINTS,
                                   ENV).load()
    assert context.authenticator.alg == 'PS256' and context.authenticator.kid == 'key-2026'
    assert refused(context, 'Bad') == (INVALID_CLIENT + 'Bad. Likely cause: the private key matches registered key key-2026, so the '
                                       'assertion itself may be refused: check assertion_audience and the clock of this host')


def test_an_alg_refusal_without_the_application_names_signing_alg():
    context = _checks.CheckContext(params(client_id='c', auth_method='PRIVATE_KEY_JWT', private_key=RSA_PEM, signing_alg='PS256'),
                                   None, FakeHttp(), ENDPOINTS).load()
    cause = refused(context, 'Unsupported algorithm PS256').split('. Likely cause: ')[1]
    assert cause.startswith('signing_alg PS256 is not accepted for the key; or the private key does not match a registered public key')


@pytest.mark.parametrize('description, named', [('client_assertion alg HS512 is not allowed', True), ('Bad signature', False)])
def test_client_secret_jwt_names_signing_alg_when_the_server_speaks_of_the_alg(description, named):
    context = _checks.CheckContext(params(client_id='c', auth_method='CLIENT_SECRET_JWT', client_secret=GIVEN_SECRET, signing_alg='HS512'),
                                   None, FakeHttp(), ENDPOINTS).load()
    cause = refused(context, description).split('. Likely cause: ')[1]
    wanted = ('signing_alg HS512 is not accepted for CLIENT_SECRET_JWT; set signing_alg to an HMAC algorithm the server accepts '
              '(HS256, HS384, HS512)')
    assert cause.startswith(wanted) is named
    assert 'a wrong client secret, or one rotated since' in cause


@pytest.mark.parametrize('member', ['token_endpoint', 'pushed_authorization_request_endpoint'])
def test_a_discovery_document_naming_another_host_for_credentials_is_refused(member):
    doc = {'issuer': 'https://login.example.com/as', 'token_endpoint': 'https://login.example.com/as/token',
           'pushed_authorization_request_endpoint': 'https://login.example.com/as/par'}
    doc[member] = 'https://collector.example.net/as/x'
    http = FakeHttp(ApiResponse(200, {}, doc, ''))
    context = _checks.CheckContext(params(client_id='c', auth_method='CLIENT_SECRET_POST', client_secret=APP_SECRET,
                                          issuer='https://login.example.com/as'), None, http, None)
    with pytest.raises(_checks.CheckError) as info:
        context.load()
    assert str(info.value).startswith('The discovery document of issuer https://login.example.com/as names %s on another host '
                                      '(https://collector.example.net)' % member)
    assert len(http.calls) == 1


# -- request objects (RFC 9101) -------------------------------------------------------------------------------------

def par_refusal(context, error, description):
    body = {'error': error, 'error_description': description}
    return str(context.explain('PAR to P', ApiResponse(400, {}, body, '')))


@pytest.mark.parametrize('description', ['A signed request object (request) is required: requireSignedRequestObject is true',
                                         'Request Object must be used by this client'])
def test_a_missing_request_object_names_signed_request_object(description):
    context = _checks.CheckContext(params(name='Web'), FakeManagement(APP), FakeHttp(), ENDPOINTS, ENV).load()
    assert par_refusal(context, 'invalid_request', description).endswith(
        'Likely cause: the application requires a signed request object (require_signed_request_object); set signed_request_object '
        'true, or leave it out and name the application (application_id or name) so that its setting is read')


def test_other_request_object_words_are_not_taken_for_a_missing_one():
    context = _checks.CheckContext(params(name='Web'), FakeManagement(APP), FakeHttp(), ENDPOINTS, ENV).load()
    text = par_refusal(context, 'invalid_request', 'prompt differ between the request object and the form parameters')
    assert 'Likely cause' not in text


@pytest.mark.parametrize('app, given, description, cause', [
    (APP, {}, "Invalid request object: the request object signature does not verify with the application's client secret",
     'a wrong client secret, or one rotated since'),
    (pinned_app('RS256'), dict(private_key=RSA_PEM), 'Invalid request object: the request object kid None matches no key',
     "the private key does not match a key of the application's JWKS (jwks or jwks_url), or its kid differs"),
    (APP, {}, 'Invalid request object: aud must be the issuer (https://other.example.com/env-1/as).',
     'the request object is addressed (aud) to issuer https://auth.example.com/env-1/as, which the server does not take as its '
     'own; check issuer'),
    (APP, {}, 'Invalid request object: it has expired (exp is in the past).', 'the clock of this host is off'),
    (APP, {}, 'could not parse Request Object', None),
])
def test_a_refused_request_object_is_explained(app, given, description, cause):
    context = _checks.CheckContext(params(name='Web', **given), FakeManagement(app), FakeHttp(), ENDPOINTS, ENV).load()
    text = par_refusal(context, 'invalid_request_object', description)
    assert text.startswith('PAR to P failed: HTTP 400 invalid_request_object: ')
    if cause is None:
        assert 'Likely cause' not in text
    else:
        assert text.endswith('Likely cause: %s' % cause)
