# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The bad-input catalogue: one table of wrong inputs across every module.

Each case must fail with a one-line ``msg`` that names the option at fault and states the rule,
never a traceback, and without any secret given in the arguments anywhere in the result.
Cases whose message does not name the option yet are marked ``xfail(strict=True)`` with the
message they should give: fixing the module turns them into failures that ask to drop the mark.
"""

from __future__ import annotations

import json
import re
import socket
import uuid

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from ansible_collections.pingone.oidc.plugins.module_utils._client import ClientConfig, PingOneClient
from ansible_collections.pingone.oidc.plugins.modules import pingone_access_token as access_token
from ansible_collections.pingone.oidc.plugins.modules import pingone_app_key as app_key
from ansible_collections.pingone.oidc.plugins.modules import pingone_app_secret as app_secret
from ansible_collections.pingone.oidc.plugins.modules import pingone_application as application
from ansible_collections.pingone.oidc.plugins.modules import pingone_application_info as application_info
from ansible_collections.pingone.oidc.plugins.modules import pingone_application_resource_grant as resource_grant
from ansible_collections.pingone.oidc.plugins.modules import pingone_application_role_assignment as role_assignment
from ansible_collections.pingone.oidc.plugins.modules import pingone_par_check as par_check
from ansible_collections.pingone.oidc.plugins.modules import pingone_token_check as token_check

# Distinctive fake secrets: none of them may appear anywhere in a result.
FAKE_CLIENT_SECRET = 'FAKE-catalogue-client-secret-5d1e9b7c'
FAKE_ACCESS_TOKEN = 'not-a-token-FAKE-catalogue-4a8f2e61'
FAKE_APP_SECRET = 'FAKE-catalogue-app-secret-0c3b6a94'
FAKE_PASSPHRASE = 'FAKE-catalogue-passphrase-e27d41f3'
FAKE_PRIVATE_KEY = '-----BEGIN PRIVATE KEY-----\nFAKEcatalogueprivatekeymaterial93b1\n-----END PRIVATE KEY-----\n'
FAKE_D = 'FAKE-catalogue-private-exponent-6b02c8d5'

# Option values that are secret wherever they appear in the arguments (private JWK members included).
SECRET_KEYS = ('pingone_client_secret', 'pingone_access_token', 'client_secret', 'private_key', 'private_key_passphrase',
               'd', 'p', 'q', 'dp', 'dq', 'qi', 'k')
CONNECTION_VARIABLES = ('PINGONE_ENVIRONMENT_ID', 'PINGONE_CLIENT_ID', 'PINGONE_CLIENT_SECRET', 'PINGONE_API_ACCESS_TOKEN',
                        'PINGONE_REGION_CODE', 'PINGONE_API_URL', 'PINGONE_AUTH_URL')
UNREACHABLE = 'http://127.0.0.1:9'
RSA_JWK = {'kty': 'RSA', 'kid': 'catalogue-key', 'use': 'sig', 'alg': 'RS256', 'e': 'AQAB',
           'n': 'sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyX'
                'ss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-l'
                'A_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDW'
                'FLN-aEAw3vRw'}
WEB = dict(type='WEB_APP', redirect_uris=['https://cat.example.com/cb'])


class World:
    """What a case builds its arguments from: the simulator, a fresh environment, apps and files made on demand."""

    def __init__(self, simulator, run_module, tmp_path):
        self.sim = simulator
        self.run_module = run_module
        self.tmp_path = tmp_path
        self.extra_secrets = []
        self._env = None

    @property
    def env(self):
        if self._env is None:
            self._env = self.sim.new_environment('catalogue')
        return self._env

    def auth(self, **args):
        """Connection options for the simulator, working in this case's environment."""
        return dict(self.sim.module_auth(), environment_id=self.env, **args)

    def bare(self, **args):
        """The simulator's URLs only: no management credentials."""
        return dict(pingone_api_url=self.sim.api_url, pingone_auth_url=self.sim.url, environment_id=self.env, **args)

    def app(self, name, **options):
        """Create an application (a WORKER unless told) and return its client ID."""
        options.setdefault('type', 'WORKER')
        result, failed = self.run_module(application, self.auth(name=name, **options))
        assert not failed, result['msg']
        return result['client_id']

    def with_app(self, web=False, **args):
        """Create the application 'Cat' (a WORKER, or a WEB_APP), then the arguments of a task on it."""
        self.app('Cat', **(WEB if web else {}))
        return self.auth(name='Cat', **args)

    def secret(self, value):
        """Register a value that must not appear in the result although its option is not secret."""
        self.extra_secrets.append(value)
        return value

    def file(self, name, content, mode=0o600):
        path = self.tmp_path / name
        path.write_text(content)
        path.chmod(mode)
        return str(path)

    @staticmethod
    def public_pem(key):
        return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()

    def rsa_public_pem(self, bits):
        return self.public_pem(rsa.generate_private_key(public_exponent=65537, key_size=bits))

    def ec_public_pem(self):
        return self.public_pem(ec.generate_private_key(ec.SECP256R1()))

    def private_pem(self):
        """An unencrypted private key, registered as a secret."""
        key = ec.generate_private_key(ec.SECP256R1())
        return self.secret(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()).decode())

    def socket(self, name):
        """A path of the test that holds a Unix socket (the file stays when the socket is closed)."""
        path = str(self.tmp_path / name)
        with socket.socket(socket.AF_UNIX) as listener:
            listener.bind(path)
        return path

    def encrypted_key_file(self):
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.BestAvailableEncryption(FAKE_PASSPHRASE.encode()))
        return self.file('encrypted.pem', pem.decode())


# -- the cases -----------------------------------------------------------------------------------
# (id, module, args builder, option the msg must name, further texts the msg must contain[, proposed msg])

def _twins(w):
    first = w.app('Twin')
    # a second 'twin', made behind the module's back (the module itself refuses to make one)
    config = ClientConfig(api_url=w.sim.api_url, auth_url=w.sim.url, environment_id=w.sim.environment_id,
                          client_id=w.sim.client_id, client_secret=w.sim.client_secret)
    body = {'name': 'TWIN', 'type': 'WORKER', 'protocol': 'OPENID_CONNECT', 'enabled': True, 'grantTypes': ['CLIENT_CREDENTIALS'],
            'tokenEndpointAuthMethod': 'CLIENT_SECRET_BASIC'}
    other = PingOneClient(config).request('POST', 'environments/%s/applications' % w.env, 'Creating', json_body=body,
                                          expected=(201,)).body['id']
    assert first != other
    return w.auth(name='twin', description='which one?')


def _type_change(w):
    w.app('Shifty')
    return w.auth(name='Shifty', **WEB)


CASES = [
    # --- wrong types -------------------------------------------------------------------------------------------
    ('par_timeout_not_an_int', application, lambda w: w.auth(name='Cat', par_timeout='abc', **WEB),
     'par_timeout', ("unable to convert to int",)),
    ('enabled_not_a_bool', application, lambda w: w.auth(name='Cat', type='WORKER', enabled='maybe'),
     'enabled', ('unable to convert to bool',)),
    ('pkce_not_a_bool', par_check, lambda w: w.bare(client_id='c', auth_method='NONE', pkce='sometimes'),
     'pkce', ('unable to convert to bool',)),
    ('pingone_timeout_not_a_float', application_info, lambda w: w.auth(pingone_timeout='soon'),
     'pingone_timeout', ('unable to convert to float',)),
    ('jwk_not_a_dict', app_key, lambda w: w.auth(name='Cat', jwk='RSA 2048'),
     'jwk', ('unable to convert to dict',)),
    # ansible-core stops collecting no_log values when a dict option with suboptions is an unparsable string, and its
    # message misses the option: the module wrapper masks the no_log options and names the option.
    ('cors_settings_not_a_dict', application, lambda w: w.auth(name='Cat', cors_settings='ALLOW_NO_ORIGINS', **WEB),
     'cors_settings', ('must be a dictionary',)),
    ('type_unknown_choice', application, lambda w: w.auth(name='Cat', type='SPA'),
     'type', ('must be one of', 'SINGLE_PAGE_APP', 'got: SPA')),
    ('token_endpoint_auth_method_unknown_choice', application,
     lambda w: w.auth(name='Cat', type='WORKER', token_endpoint_auth_method='CLIENT_SECRET'),
     'token_endpoint_auth_method', ('must be one of', 'got: CLIENT_SECRET')),
    ('grant_types_unknown_element', application, lambda w: w.auth(name='Cat', type='WORKER', grant_types=['PASSWORD']),
     'grant_types', ('must be one or more of', 'PASSWORD')),
    ('pingone_region_unknown_choice', application_info, lambda w: w.auth(pingone_region='XX'),
     'pingone_region', ('must be one of', 'got: XX')),
    ('pingone_client_auth_method_unknown_choice', access_token, lambda w: w.auth(pingone_client_auth_method='PRIVATE_KEY_JWT'),
     'pingone_client_auth_method', ('must be one of', 'CLIENT_SECRET_BASIC')),
    ('auth_method_unknown_choice', token_check, lambda w: w.bare(client_id='c', auth_method='BASIC'),
     'auth_method', ('must be one of', 'got: BASIC')),
    ('key_size_unknown_choice', app_key, lambda w: w.auth(name='Cat', generate=True, private_key_path=str(w.tmp_path / 'k.pem'),
                                                          key_size=1024),
     'key_size', ('must be one of', '2048')),
    ('scope_type_unknown_choice', role_assignment, lambda w: w.auth(name='Cat', role='Identity Data Admin', scope_type='TENANT'),
     'scope_type', ('must be one of', 'got: TENANT')),
    # --- bad URIs ----------------------------------------------------------------------------------------------
    ('redirect_uri_with_fragment', application, lambda w: w.auth(name='Cat', type='WEB_APP', redirect_uris=['https://cat.example.com/cb#x']),
     'redirect_uris', ('https://cat.example.com/cb#x must not contain a fragment',)),
    ('redirect_uri_http_not_localhost', application, lambda w: w.auth(name='Cat', type='WEB_APP', redirect_uris=['http://cat.example.com/cb']),
     'redirect_uris', ('uses http, which PingOne only allows for localhost, 127.0.0.1 and [::1]',)),
    ('redirect_uri_wildcard_not_allowed', application, lambda w: w.auth(name='Cat', type='WEB_APP', redirect_uris=['https://*.example.com/cb']),
     'redirect_uris', ('contains a wildcard (*)', 'set allow_wildcard_in_redirect_uris')),
    ('redirect_uri_relative', application, lambda w: w.auth(name='Cat', type='WEB_APP', redirect_uris=['/cb']),
     'redirect_uris', ('/cb is not an absolute URI',)),
    ('post_logout_redirect_uri_http_not_localhost', application,
     lambda w: w.auth(name='Cat', post_logout_redirect_uris=['http://cat.example.com/bye'], **WEB),
     'post_logout_redirect_uris', ('uses http',)),
    ('jwks_url_http', application,
     lambda w: w.auth(name='Cat', type='WORKER', token_endpoint_auth_method='PRIVATE_KEY_JWT', jwks_url='http://keys.example.com/jwks'),
     'jwks_url', ('must be an https URL',)),
    ('home_page_url_not_http', application, lambda w: w.auth(name='Cat', home_page_url='ftp://cat.example.com/', **WEB),
     'home_page_url', ('must be an http(s) URL',)),
    # --- keys --------------------------------------------------------------------------------------------------
    ('jwks_with_private_member', application,
     lambda w: w.auth(name='Cat', type='WORKER', token_endpoint_auth_method='PRIVATE_KEY_JWT', jwks={'keys': [dict(RSA_JWK, d=FAKE_D)]}),
     'jwks', ('holds private key members (d)', 'publish only the public key')),
    ('jwks_not_json', application,
     lambda w: w.auth(name='Cat', type='WORKER', token_endpoint_auth_method='PRIVATE_KEY_JWT', jwks='{"keys": [oops'),
     'jwks', ('is not valid JSON',)),
    ('private_key_jwt_without_keys', application,
     lambda w: w.auth(name='Cat', type='WORKER', token_endpoint_auth_method='PRIVATE_KEY_JWT'),
     'token_endpoint_auth_method', ('PRIVATE_KEY_JWT needs the public keys: set jwks or jwks_url',)),
    ('app_key_weak_rsa_key', app_key,
     lambda w: w.with_app(public_key=w.rsa_public_pem(1024)),
     'public_key', ('RSA key of 1024 bits is too weak; use at least 2048 bits',)),
    ('app_key_public_key_is_private', app_key,
     lambda w: w.with_app(public_key=w.private_pem()),
     'public_key', ('holds a private key',)),
    ('app_key_jwk_with_private_member', app_key, lambda w: w.with_app(jwk=dict(RSA_JWK, d=FAKE_D)),
     'jwk', ('holds private key members (d)',)),
    ('app_key_alg_does_not_fit_key', app_key,
     lambda w: w.with_app(public_key=w.ec_public_pem(), alg='RS256'),
     'alg', ('RS256 does not fit an EC P-256 key',)),
    ('app_key_private_key_path_not_pem', app_key,
     lambda w: w.with_app(generate=True, private_key_path=w.file('notes.txt', 'not a key\n')),
     'private_key_path', ('is not a readable PEM private key',)),
    ('app_key_private_key_path_in_missing_directory', app_key,
     lambda w: w.with_app(generate=True, private_key_path=str(w.tmp_path / 'missing' / 'k.pem')),
     'private_key_path', ('its directory does not exist',)),
    ('app_key_generate_without_private_key_path', app_key, lambda w: w.auth(name='Cat', generate=True),
     'private_key_path', ('generate is True',)),
    ('app_key_absent_without_kid', app_key, lambda w: w.with_app(state='absent'),
     'kid', ('state=absent needs kid',)),
    ('app_key_public_key_two_pem_blocks', app_key,
     lambda w: w.with_app(public_key=w.ec_public_pem() + w.ec_public_pem()),
     'public_key', ('holds 2 PEM blocks; give exactly one',)),
    ('app_key_private_key_path_encrypted', app_key,
     lambda w: w.with_app(generate=True, private_key_path=w.encrypted_key_file()),
     'private_key_passphrase', ('is encrypted; set private_key_passphrase',)),
    ('app_key_private_key_path_readable_by_others', app_key,
     lambda w: w.with_app(generate=True, private_key_path=w.file('shared.pem', w.private_pem(), mode=0o644)),
     'private_key_path', ('has mode 0644: other users can read or write it',)),
    ('private_key_path_missing_file', par_check,
     lambda w: w.bare(client_id='c', auth_method='PRIVATE_KEY_JWT', private_key_path='/nonexistent/catalogue.pem'),
     'private_key_path', ('/nonexistent/catalogue.pem cannot be read: No such file or directory',)),
    ('private_key_path_not_pem', token_check,
     lambda w: w.bare(client_id='c', auth_method='PRIVATE_KEY_JWT', private_key_path=w.file('cert.txt', 'hello\n')),
     'private_key_path', ('is not a readable PEM private key',)),
    ('private_key_encrypted_without_passphrase', token_check,
     lambda w: w.bare(client_id='c', auth_method='PRIVATE_KEY_JWT', private_key_path=w.encrypted_key_file()),
     'private_key_passphrase', ('is encrypted; set private_key_passphrase',)),
    ('private_key_jwt_without_a_key', token_check, lambda w: w.bare(client_id='c', auth_method='PRIVATE_KEY_JWT'),
     'private_key_path', ('auth_method PRIVATE_KEY_JWT needs private_key or private_key_path',)),
    ('private_key_and_private_key_path', par_check,
     lambda w: w.bare(client_id='c', auth_method='PRIVATE_KEY_JWT', private_key=FAKE_PRIVATE_KEY, private_key_path='/tmp/k.pem'),
     'private_key', ('mutually exclusive', 'private_key_path')),
    # --- application settings ----------------------------------------------------------------------------------
    ('par_timeout_zero', application, lambda w: w.auth(name='Cat', par_timeout=0, **WEB),
     'par_timeout', ('must be between 1 and 600, got 0',)),
    ('par_timeout_601', application, lambda w: w.auth(name='Cat', par_timeout=601, **WEB),
     'par_timeout', ('must be between 1 and 600, got 601',)),
    ('refresh_durations_out_of_order', application,
     lambda w: w.auth(name='Cat', refresh_token_duration=7200, refresh_token_rolling_duration=3600, **WEB),
     'refresh_token_duration', ('(7200) must not exceed refresh_token_rolling_duration (3600)',)),
    ('cors_specific_origins_without_origins', application,
     lambda w: w.auth(name='Cat', cors_settings={'behavior': 'ALLOW_SPECIFIC_ORIGINS'}, **WEB),
     'cors_settings', ('origins must list at least one origin when behavior is ALLOW_SPECIFIC_ORIGINS',)),
    ('cors_origin_with_a_path', application,
     lambda w: w.auth(name='Cat', cors_settings={'behavior': 'ALLOW_SPECIFIC_ORIGINS', 'origins': ['https://cat.example.com/app']}, **WEB),
     'cors_settings', ('https://cat.example.com/app must be an http(s) origin without a path',)),
    ('device_path_id_bad_characters', application, lambda w: w.auth(name='Cat', type='NATIVE_APP', device_path_id='bad path!'),
     'device_path_id', ('must be 1 to 50 letters, digits',)),
    ('signed_and_unsigned_request_objects', application,
     lambda w: w.auth(name='Cat', require_signed_request_object=True, support_unsigned_request_object=True, **WEB),
     'require_signed_request_object', ('support_unsigned_request_object cannot both be true',)),
    ('jwks_and_jwks_url', application,
     lambda w: w.auth(name='Cat', type='WORKER', jwks={'keys': [RSA_JWK]}, jwks_url='https://keys.example.com/jwks'),
     'jwks', ('mutually exclusive', 'jwks_url')),
    ('type_missing_on_create', application, lambda w: w.auth(name='Cat'),
     'type', ("is required to create application 'Cat'",)),
    ('unknown_application_id', application, lambda w: w.auth(application_id=str(uuid.uuid4()), description='x'),
     'application_id', ('No application with ID',)),
    ('ambiguous_name', application, _twins,
     'application_id', ("2 applications are named 'twin'", 'set application_id to choose one')),
    ('type_change_without_recreate', application, _type_change,
     'recreate_on_type_change', ('its type cannot change to WEB_APP in place',)),
    ('application_id_and_name_for_info', application_info, lambda w: w.auth(application_id='a', name='b'),
     'application_id', ('mutually exclusive', 'name')),
    # --- secrets -----------------------------------------------------------------------------------------------
    ('rotate_if_older_than_bad_duration', app_secret,
     lambda w: w.auth(name='Cat', rotate_if_older_than='soon', dest=str(w.tmp_path / 'secret')),
     'rotate_if_older_than', ("must be a duration such as 30d", "got 'soon'")),
    ('previous_secret_grace_period_bad_duration', app_secret,
     lambda w: w.auth(name='Cat', rotate=True, previous_secret_grace_period='2 weeks'),
     'previous_secret_grace_period', ('must be a duration such as 30d',)),
    ('previous_secret_grace_period_too_long', app_secret, lambda w: w.auth(name='Cat', rotate=True, previous_secret_grace_period='31d'),
     'previous_secret_grace_period', ('between 1m (1 minute) and 30d (30 days)',)),
    ('rotate_if_older_than_without_dest', app_secret, lambda w: w.auth(name='Cat', rotate_if_older_than='30d'),
     'rotate_if_older_than', ('dest',)),
    ('dest_in_missing_directory', app_secret, lambda w: w.auth(name='Cat', dest=str(w.tmp_path / 'missing' / 'secret')),
     'dest', ('does not exist',)),
    ('dest_is_a_socket', app_secret, lambda w: w.auth(name='Cat', dest=w.socket('secret')),
     'dest', ('is not a regular file (a socket)',)),
    ('grace_period_with_revoke_previous', app_secret,
     lambda w: w.auth(name='Cat', rotate=True, previous_secret_grace_period='1h', revoke_previous=True),
     'previous_secret_grace_period', ('revoke_previous cannot be used together',)),
    # --- live checks -------------------------------------------------------------------------------------------
    ('check_without_auth_method', par_check, lambda w: w.bare(client_id='c', client_secret=FAKE_APP_SECRET),
     'auth_method', ('is required when the application is not read from PingOne',)),
    ('par_check_without_redirect_uri', par_check, lambda w: w.bare(client_id='c', auth_method='NONE'),
     'redirect_uri', ('is required',)),
    ('par_check_prompt_none_with_login', par_check, lambda w: w.bare(client_id='c', auth_method='NONE', prompt=['none', 'login']),
     'prompt', ('none cannot be combined with other values',)),
    ('par_check_max_age_also_in_extra_params', par_check,
     lambda w: w.bare(client_id='c', auth_method='NONE', max_age=60, extra_params={'max_age': 30}),
     'max_age', ('is given both as an option and in extra_params',)),
    ('token_check_public_client', token_check, lambda w: w.bare(client_id='c', auth_method='NONE'),
     'auth_method', ('NONE', 'cannot use the client_credentials grant')),
    # --- access: roles and resource grants ---------------------------------------------------------------------
    ('unknown_role_name', role_assignment, lambda w: w.with_app(role='Super Admin'),
     'role', ("'Super Admin' does not exist", 'known roles')),
    ('population_scope_without_scope_id', role_assignment,
     lambda w: w.with_app(role='Identity Data Admin', scope_type='POPULATION'),
     'scope_id', ('is required with scope_type=POPULATION',)),
    ('negative_propagation_timeout', role_assignment,
     lambda w: w.with_app(role='Identity Data Admin', propagation_timeout=-1),
     'propagation_timeout', ('must not be negative',)),
    ('application_scope_without_application', role_assignment,
     lambda w: w.with_app(role='Application Owner', scope_type='APPLICATION'),
     'scope_id', ('is required with scope_type=APPLICATION',)),
    ('unknown_scope_application_name', role_assignment,
     lambda w: w.with_app(role='Application Owner', scope_type='APPLICATION', scope_name='Nope'),
     'scope_name', ("no application is named 'Nope'",)),
    ('exclusive_without_roles', role_assignment, lambda w: w.with_app(role='Identity Data Admin', exclusive=True),
     'exclusive', ('needs roles',)),
    ('unknown_scope', resource_grant, lambda w: w.with_app(web=True, resource='openid', scopes=['openid', 'superpowers']),
     'scopes', ("'superpowers' is not a scope of resource 'openid'",)),
    ('unknown_resource', resource_grant, lambda w: w.with_app(web=True, resource='Nope', scopes=['x']),
     'resource', ("'Nope' does not exist in environment",)),
    ('empty_scopes', resource_grant, lambda w: w.auth(name='Cat', resource='openid', scopes=[]),
     'scopes', ('must list at least one scope',)),
    ('exclusive_with_state_absent', resource_grant, lambda w: w.auth(name='Cat', resource='openid', state='absent', exclusive=True),
     'exclusive', ('applies to state=present only',)),
    # --- connection: credentials, region, host, token, environment ---------------------------------------------
    ('missing_credentials', application_info, lambda w: w.bare(),
     'pingone_client_secret', ('Missing PingOne credentials: pingone_environment_id, pingone_client_id, pingone_client_secret',)),
    ('access_token_module_missing_secret', access_token,
     lambda w: {k: v for k, v in w.auth(pingone_access_token=FAKE_ACCESS_TOKEN).items() if k != 'pingone_client_secret'},
     'pingone_client_secret', ('Missing PingOne worker credentials: pingone_client_secret',)),
    ('wrong_client_secret', application_info, lambda w: w.auth(pingone_client_secret=FAKE_CLIENT_SECRET),
     'pingone_client_secret', ('HTTP 401 invalid_client',)),
    ('unreachable_host', application_info,
     lambda w: w.auth(pingone_api_url=UNREACHABLE + '/v1', pingone_auth_url=UNREACHABLE),
     'pingone_auth_url', ('connection refused', 'pingone_api_url')),
    ('invalid_access_token_without_worker_credentials', application_info,
     lambda w: w.bare(pingone_access_token=FAKE_ACCESS_TOKEN),
     'pingone_access_token', ('HTTP 401', 'The access token (pingone_access_token) was refused')),
    ('unknown_environment', application_info, lambda w: dict(w.auth(), environment_id=str(uuid.uuid4())),
     'environment_id', ('HTTP 404', 'Check environment_id: the environment does not exist')),
    ('pingone_timeout_zero', application_info, lambda w: w.auth(pingone_timeout=0),
     'pingone_timeout', ('pingone_timeout must be positive, got 0',)),
    ('pingone_max_retries_negative', application_info, lambda w: w.auth(pingone_max_retries=-1),
     'pingone_max_retries', ('pingone_max_retries must not be negative, got -1',)),
]


def _params():
    params = []
    for case in CASES:
        marks = ()
        if len(case) > 5:
            marks = pytest.mark.xfail(strict=True, reason='msg does not name %s; proposed: %s' % (case[3], case[5]))
        params.append(pytest.param(*case[1:5], id=case[0], marks=marks))
    return params


def _secrets_in(value):
    """The values of secret options anywhere in the (nested) arguments."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in SECRET_KEYS and isinstance(item, str) and item:
                yield item
            else:
                yield from _secrets_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _secrets_in(item)


def _forms(secret):
    """The secret as given, as JSON escapes it, and each long line of a PEM block."""
    yield secret
    yield json.dumps(secret)[1:-1]
    for line in secret.splitlines():
        if len(line) >= 16 and not line.startswith('-----'):
            yield line


def names(msg, option):
    """Whether msg names the option as a word of its own (``roles`` does not name ``role``)."""
    return re.search(r'(?<![\w.])%s(?!\w)' % re.escape(option), msg, re.IGNORECASE) is not None


@pytest.fixture(autouse=True)
def no_connection_variables(monkeypatch):
    for name in CONNECTION_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_the_catalogue_is_large_and_distinct():
    ids = [case[0] for case in CASES]
    assert len(ids) >= 30 and len(set(ids)) == len(ids)
    assert {case[1] for case in CASES} == {access_token, app_key, app_secret, application, application_info, resource_grant,
                                           role_assignment, par_check, token_check}


@pytest.mark.parametrize('module, build, option, texts', _params())
def test_bad_input_fails_with_one_clear_line(simulator, run_module, tmp_path, module, build, option, texts):
    world = World(simulator, run_module, tmp_path)
    args = build(world)
    result, failed = run_module(module, args)
    msg = result.get('msg')
    assert failed, result
    assert isinstance(msg, str) and msg.strip(), result
    assert '\n' not in msg, msg
    assert not msg.startswith('Traceback') and 'Traceback' not in msg, msg
    text = json.dumps(result)
    leaks = sum(1 for secret in list(_secrets_in(args)) + world.extra_secrets for form in _forms(secret) if form in text)
    assert leaks == 0, 'a secret given in the arguments is in the result'  # the count only: never print the secret
    for wanted in texts:
        assert wanted in msg, msg
    assert names(msg, option), 'msg does not name %s: %s' % (option, msg)
