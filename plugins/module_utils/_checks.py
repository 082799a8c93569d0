# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""What the live check modules share: the application's settings, its endpoints, its client
authentication, and turning an OAuth error reply into a likely cause."""

from __future__ import annotations

import json

from ansible_collections.pingone.oidc.plugins.module_utils import _client_auth, _jwk
from ansible_collections.pingone.oidc.plugins.module_utils._applications import ApplicationsService
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneError

INTERACTIVE_GRANTS = ('AUTHORIZATION_CODE', 'IMPLICIT')


def client_auth_argument_spec():
    """The options of the ``client_auth`` doc fragment."""
    return dict(
        client_id=dict(type='str'),
        client_secret=dict(type='str', no_log=True),
        private_key=dict(type='str', no_log=True),
        private_key_path=dict(type='path', no_log=False),
        private_key_passphrase=dict(type='str', no_log=True),
        kid=dict(type='str'),
        auth_method=dict(type='str', choices=list(_client_auth.METHODS)),
        signing_alg=dict(type='str', choices=list(_client_auth.HMAC_ALGS + _jwk.ALGS)),
        assertion_audience=dict(type='str', default='token_endpoint', choices=['token_endpoint', 'issuer', 'endpoint']),
        issuer=dict(type='str'),
    )


class CheckError(PingOneError):
    """A check that cannot run or that failed; the message names the cause, never a secret."""


class CheckContext:
    """Everything a live check needs, from the module options and (when given) the application."""

    def __init__(self, wrapper):
        self.wrapper = wrapper
        self.params = wrapper.params
        self.app = None
        self.http = wrapper.http_client()

    def load(self):
        params = self.params
        if params['application_id'] or params['name']:
            service = ApplicationsService(self.wrapper.client, self.wrapper.target_environment())
            self.app = service.resolve(params['application_id'], params['name'])
            if self.app is None:
                raise CheckError("Application '%s' does not exist in environment '%s'"
                                 % (params['application_id'] or params['name'], service.environment_id))
            if not params['client_secret'] and self.method in ('CLIENT_SECRET_BASIC', 'CLIENT_SECRET_POST', 'CLIENT_SECRET_JWT'):
                secret = service.get_secret(self.app['id']).get('secret')
                self.wrapper.protect([secret])
                self.client_secret = secret
        self.endpoints = self._endpoints()
        self.authenticator = self._authenticator()
        self.wrapper.protect(self.authenticator.secrets())

    # -- settings ------------------------------------------------------------------------------

    @property
    def method(self):
        return self.params['auth_method'] or (self.app or {}).get('tokenEndpointAuthMethod')

    @property
    def client_id(self):
        return self.params['client_id'] or (self.app or {}).get('clientId') or (self.app or {}).get('id')

    client_secret = None

    def app_value(self, key, default=None):
        return (self.app or {}).get(key, default)

    def registered_keys(self):
        try:
            return json.loads(self.app_value('jwks') or '{}').get('keys') or []
        except ValueError:
            return []

    # -- endpoints -----------------------------------------------------------------------------

    def _endpoints(self):
        issuer = self.params['issuer']
        if issuer:
            url = issuer.rstrip('/') + '/.well-known/openid-configuration'
            response = self.http.get_json(url, 'Reading the discovery document %s' % url)
            doc = response.body if isinstance(response.body, dict) else {}
            if response.status != 200 or not doc.get('token_endpoint'):
                raise CheckError('Reading the discovery document %s failed: HTTP %s; check issuer' % (url, response.status))
            return {
                'issuer': doc.get('issuer', issuer),
                'token_endpoint': doc['token_endpoint'],
                'par_endpoint': doc.get('pushed_authorization_request_endpoint'),
                'authorization_endpoint': doc.get('authorization_endpoint'),
            }
        return self.wrapper.endpoints(self.wrapper.target_environment())

    def audience(self, endpoint_url):
        choice = self.params['assertion_audience']
        if choice == 'issuer':
            return self.endpoints['issuer']
        if choice == 'endpoint':
            return endpoint_url
        return self.endpoints['token_endpoint']

    # -- client authentication -----------------------------------------------------------------

    def _authenticator(self):
        params = self.params
        method = self.method
        if not method:
            raise CheckError('auth_method is required when the application is not read from PingOne '
                             '(give application_id or name, with management credentials, to read it)')
        if not self.client_id:
            raise CheckError('client_id is required when the application is not read from PingOne')
        private_key = None
        if method == 'PRIVATE_KEY_JWT':
            private_key = self._private_key()
        kid = params['kid']
        alg = params['signing_alg']
        if private_key is not None and (kid is None or alg is None):
            public = _jwk.public_jwk(private_key.public_key())
            for key in self.registered_keys():
                if _jwk.same_material(key, public):
                    kid = kid or key.get('kid')
                    alg = alg or key.get('alg')
                    break
        try:
            return _client_auth.ClientAuthenticator(method, self.client_id, params['client_secret'] or self.client_secret,
                                                    private_key, kid, alg)
        except _client_auth.ClientAuthError as exc:
            raise CheckError(str(exc)) from None

    def _private_key(self):
        params = self.params
        passphrase = params['private_key_passphrase']
        try:
            if params['private_key']:
                return _jwk.load_private_key(params['private_key'].encode('utf-8'), passphrase)
            if params['private_key_path']:
                return _jwk.read_private_key_file(params['private_key_path'], passphrase)
        except _jwk.JwkError as exc:
            where = 'private_key' if params['private_key'] else 'private_key_path %s' % params['private_key_path']
            text = '%s %s' % (where, exc)
            if 'is encrypted' in text:
                text = '%s is encrypted; set private_key_passphrase' % where
            raise CheckError(text) from None
        raise CheckError('auth_method PRIVATE_KEY_JWT needs private_key or private_key_path')

    # -- failures ------------------------------------------------------------------------------

    def explain(self, operation, response):
        """A CheckError for an OAuth error reply, with the server's words and the likely cause."""
        body = response.body if isinstance(response.body, dict) else {}
        error = body.get('error') or 'HTTP %s' % response.status
        text = '%s failed: HTTP %s %s' % (operation, response.status, error)
        if body.get('error_description'):
            text += ': %s' % body['error_description']
        cause = self.likely_cause(error, body.get('error_description') or '')
        if cause:
            text += '. Likely cause: %s' % cause
        exc = CheckError(' '.join(text.split()))
        exc.status = response.status
        exc.error = body.get('error')
        return exc

    def likely_cause(self, error, description):
        described = description.lower()
        if error == 'invalid_client':
            causes = []
            if self.app and self.app_value('enabled') is False:
                causes.append('the application is disabled')
            app_method = self.app_value('tokenEndpointAuthMethod')
            if app_method and app_method != self.method:
                causes.append("auth_method %s differs from the application's token_endpoint_auth_method %s" % (self.method, app_method))
            if self.method in ('CLIENT_SECRET_BASIC', 'CLIENT_SECRET_POST', 'CLIENT_SECRET_JWT'):
                causes.append('a wrong client secret, or one rotated since')
            if self.method == 'PRIVATE_KEY_JWT':
                kids = [key.get('kid') for key in self.registered_keys()]
                causes.append('the private key does not match a registered public key, or kid %s is not registered%s'
                              % (self.authenticator.kid, ' (registered: %s)' % ', '.join(map(str, kids)) if self.app else ''))
            if not self.app:
                causes.append("auth_method differs from the application's token endpoint authentication method")
            if 'jti' in described:
                causes = ['the assertion was replayed (its jti was used before)']
            return '; or '.join(causes)
        if error == 'unauthorized_client':
            grants = self.app_value('grantTypes')
            return 'the application is not allowed this grant%s' % (' (its grant types: %s)' % ', '.join(grants) if grants else '')
        if error == 'invalid_request' and 'redirect' in described:
            return 'redirect_uri is not registered for the application%s' % (
                ' (registered: %s)' % ', '.join(self.app_value('redirectUris') or []) if self.app else '')
        if error == 'invalid_request' and ('code_challenge' in described or 'pkce' in described):
            return 'the application requires PKCE (pkce_enforcement %s); keep pkce enabled' % self.app_value('pkceEnforcement', 'REQUIRED')
        if error == 'invalid_scope':
            return 'the scope is not granted to the application'
        if error in ('unsupported_response_type', 'invalid_request') and 'response_type' in described:
            return 'response_type is not among the application response types (%s)' % ', '.join(self.app_value('responseTypes') or [])
        return None
