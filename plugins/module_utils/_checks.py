# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""What the live check modules share: their client authentication options, the application's
settings, its endpoints, its client authentication, and turning an OAuth error reply into a likely
cause. No Ansible imports: the module gives plain values in and gets values or a PingOneError out.

Importing this loads PyJWT and cryptography (through ``_client_auth`` and ``_jwk``): only the modules
that sign client assertions import it.
"""

from __future__ import annotations

import json
import re

from ansible_collections.pingone.oidc.plugins.module_utils import _client_auth, _jwk
from ansible_collections.pingone.oidc.plugins.module_utils._applications import ApplicationsService
from ansible_collections.pingone.oidc.plugins.module_utils._client import origin
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneError, PingOneMissingLibrary, PingOneOptionError

INTERACTIVE_GRANTS = ('AUTHORIZATION_CODE', 'IMPLICIT')
SECRET_METHODS = ('CLIENT_SECRET_BASIC', 'CLIENT_SECRET_POST', 'CLIENT_SECRET_JWT')
# An error description that speaks of the signing algorithm ("alg", "algorithm").
MENTIONS_ALG = re.compile(r'\balg')

# How a check authenticates as the application: the options of the ``client_auth`` doc fragment besides
# APPLICATION_OPTIONS (environment_id, application_id, name), which the fragment documents too.
CLIENT_AUTH_OPTIONS = dict(
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
CLIENT_AUTH_MUTUALLY_EXCLUSIVE = [('private_key', 'private_key_path')]


def require_libraries(params):
    """Raise PingOneMissingLibrary for a Python library this check needs and cannot import.

    PyJWT always (assertions, token claims); cryptography when a private key is given or asked for.
    """
    if not _client_auth.HAS_PYJWT:
        raise PingOneMissingLibrary('PyJWT', _client_auth.PYJWT_IMPORT_ERROR)
    wants_key = params.get('private_key') or params.get('private_key_path') or params.get('auth_method') == 'PRIVATE_KEY_JWT'
    if wants_key and not _jwk.HAS_CRYPTOGRAPHY:
        raise PingOneMissingLibrary('cryptography', _jwk.CRYPTOGRAPHY_IMPORT_ERROR)


def names_application(params):
    """Whether the options name an application to read from PingOne (with the management credentials)."""
    return bool(params.get('application_id') or params.get('name'))


def check_client_auth_options(params):
    """The checks of the client authentication options that need no request; PingOneOptionError names the option."""
    if not names_application(params):
        if not params.get('auth_method'):
            raise PingOneOptionError('auth_method is required when the application is not read from PingOne '
                                     '(give application_id or name, with management credentials, to read it)')
        if not params.get('client_id'):
            raise PingOneOptionError('client_id is required when the application is not read from PingOne')
    if params.get('auth_method') == 'PRIVATE_KEY_JWT' and not (params.get('private_key') or params.get('private_key_path')):
        raise PingOneOptionError('auth_method PRIVATE_KEY_JWT needs private_key or private_key_path')


class CheckError(PingOneError):
    """A check that cannot run or that failed; the message names the cause, never a secret.

    ``status`` and ``error`` are the HTTP status and OAuth error of a refused request, when there was one.
    """

    def __init__(self, message, status=None, error=None, **result):
        super().__init__(message, **result)
        self.status = status
        self.error = error


class CheckContext:
    """Everything a live check needs, from the module options and (when named) the application.

    ``params``: the module options (CLIENT_AUTH_OPTIONS, APPLICATION_OPTIONS, and ``pingone_*``);
    ``management_client``: a PingOneClient that may read the application, or None when none is named;
    ``http_client``: the client for the OAuth endpoints (no token needed);
    ``default_endpoints``: the environment's endpoints (``environment_endpoints``), used when ``issuer``
    is not given; ``environment_id``: where the named application lives.
    Nothing is read until ``load()``; afterwards ``secrets()`` are the values the module must mask.
    """

    def __init__(self, params, management_client, http_client, default_endpoints=None, environment_id=None):
        self.params = params
        self.management_client = management_client
        self.http = http_client
        self.default_endpoints = default_endpoints
        self.environment_id = environment_id
        self.app = None
        self.client_secret = None  # read from PingOne when not given
        self.endpoints = None
        self.authenticator = None

    def load(self):
        """Read the application (when named) and its secret (when needed), find the endpoints, build the authenticator."""
        params = self.params
        if names_application(params):
            if self.management_client is None:
                raise CheckError('reading the application from PingOne needs the management credentials')
            service = ApplicationsService(self.management_client, self.environment_id)
            self.app = service.require(params['application_id'], params['name'])
            if not params['client_secret'] and self.method in SECRET_METHODS:
                self.client_secret = service.get_secret(self.app['id']).get('secret')
        self.endpoints = self._endpoints()
        self.authenticator = self._authenticator()
        return self

    def secrets(self):
        """Values that must never appear in the module's output: the client secret given or read from PingOne."""
        values = [self.params.get('client_secret'), self.client_secret]
        if self.authenticator is not None:
            values.extend(self.authenticator.secrets())
        return sorted({value for value in values if value})

    # -- settings ------------------------------------------------------------------------------

    @property
    def method(self):
        return self.params['auth_method'] or (self.app or {}).get('tokenEndpointAuthMethod')

    @property
    def client_id(self):
        return self.params['client_id'] or (self.app or {}).get('clientId') or (self.app or {}).get('id')

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
            # the client's credentials go to these endpoints: never to a host other than the issuer's
            for member in ('token_endpoint', 'pushed_authorization_request_endpoint'):
                if doc.get(member) and origin(str(doc[member])) != origin(issuer):
                    raise CheckError('The discovery document of issuer %s names %s on another host (%s); the client credentials '
                                     'are not sent there (give the endpoint as an option if that host is right)'
                                     % (issuer, member, origin(str(doc[member]))))
            return {
                'issuer': doc.get('issuer', issuer),
                'token_endpoint': doc['token_endpoint'],
                'par_endpoint': doc.get('pushed_authorization_request_endpoint'),
                'authorization_endpoint': doc.get('authorization_endpoint'),
            }
        if self.default_endpoints is None:
            raise CheckError('issuer or environment_id is required to find the endpoints of the authorization server')
        return self.default_endpoints

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
        private_key = self._private_key() if self.method == 'PRIVATE_KEY_JWT' else None
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
            return _client_auth.ClientAuthenticator(self.method, self.client_id, params['client_secret'] or self.client_secret,
                                                    private_key, kid, alg)
        except _client_auth.ClientAuthError as exc:
            raise CheckError(str(exc)) from None

    def _private_key(self):
        """The private key given as an option, or None (ClientAuthenticator then says it is needed)."""
        params = self.params
        passphrase = params['private_key_passphrase']
        try:
            if params['private_key']:
                return _jwk.load_private_key(params['private_key'].encode('utf-8'), passphrase)
            if params['private_key_path']:
                return _jwk.read_private_key_file(params['private_key_path'], passphrase)
        except _jwk.JwkError as exc:
            where = 'private_key' if params['private_key'] else 'private_key_path %s' % params['private_key_path']
            if isinstance(exc, _jwk.EncryptedKeyError):
                raise CheckError('%s is encrypted; set private_key_passphrase' % where) from None
            raise CheckError('%s %s' % (where, exc)) from None
        return None

    # -- failures ------------------------------------------------------------------------------

    def explain(self, operation, response):
        """A CheckError for an OAuth error reply, with the server's words and the likely cause."""
        body = response.body if isinstance(response.body, dict) else {}
        error = body.get('error')
        text = '%s failed: HTTP %s' % (operation, response.status)
        if error:
            text += ' %s' % error
        if body.get('error_description'):
            text += ': %s' % body['error_description']
        cause = self.likely_cause(error, body.get('error_description') or '')
        if cause:
            text += '. Likely cause: %s' % cause
        return CheckError(' '.join(text.split()), status=response.status, error=error)

    def assertion_key(self):
        """The registered key a PRIVATE_KEY_JWT assertion is checked with: the one with its kid, else the one with the
        material of the private key; None when unknown."""
        keys = self.registered_keys()
        kid = self.authenticator.kid
        public = self.authenticator.public_jwk
        return (next((key for key in keys if kid is not None and key.get('kid') == kid), None)
                or next((key for key in keys if public is not None and _jwk.same_material(key, public)), None))

    def alg_causes(self, described):
        """Why the assertion's algorithm (signing_alg) may be refused: it differs from the alg the registered key pins,
        or the server's description speaks of the alg."""
        authenticator = self.authenticator
        mentioned = bool(MENTIONS_ALG.search(described))
        if self.method == 'PRIVATE_KEY_JWT':
            key = self.assertion_key()
            registered = key.get('alg') if key else None
            if registered and registered != authenticator.alg:
                return ["signing_alg %s differs from the alg %s of registered key %s; set signing_alg %s (or leave signing_alg out "
                        "to use the registered key's alg)" % (authenticator.alg, registered, key.get('kid'), registered)]
            if mentioned:
                algs = sorted({str(key.get('alg')) for key in self.registered_keys() if key.get('alg')})
                return ['signing_alg %s is not accepted for the key%s' % (
                    authenticator.alg, ' (registered key algs: %s)' % ', '.join(algs) if algs else '')]
        if self.method == 'CLIENT_SECRET_JWT' and mentioned:
            return ['signing_alg %s is not accepted for CLIENT_SECRET_JWT; set signing_alg to an HMAC algorithm the server '
                    'accepts (HS256, HS384, HS512)' % authenticator.alg]
        return []

    def request_object_cause(self, described):
        """Why a signed request object may be refused, from the server's description."""
        if any(word in described for word in ('signature', 'jwks', 'kid', 'verif')):
            if self.method == 'PRIVATE_KEY_JWT':
                return "the private key does not match a key of the application's JWKS (jwks or jwks_url), or its kid differs"
            return 'a wrong client secret, or one rotated since'
        if re.search(r'\baud\b', described):
            return 'the request object is addressed (aud) to issuer %s, which the server does not take as its own; check issuer' % (
                self.endpoints['issuer'])
        if re.search(r'\b(exp|nbf|iat)\b', described):
            return 'the clock of this host is off'
        return None

    def likely_cause(self, error, description):
        described = description.lower()
        if error == 'invalid_client':
            causes = self.alg_causes(described)
            if self.app and self.app_value('enabled') is False:
                causes.append('the application is disabled')
            app_method = self.app_value('tokenEndpointAuthMethod')
            if app_method and app_method != self.method:
                causes.append("auth_method %s differs from the application's token_endpoint_auth_method %s" % (self.method, app_method))
            if self.method in SECRET_METHODS:
                causes.append('a wrong client secret, or one rotated since')
            if self.method == 'PRIVATE_KEY_JWT':
                key = self.assertion_key()
                kid = self.authenticator.kid
                if key is not None and key.get('kid') == kid and _jwk.same_material(key, self.authenticator.public_jwk):
                    if not causes:
                        causes.append('the private key matches registered key %s, so the assertion itself may be refused: check '
                                      'assertion_audience and the clock of this host' % kid)
                else:
                    kids = [key.get('kid') for key in self.registered_keys()]
                    causes.append('the private key does not match a registered public key, or kid %s is not registered%s'
                                  % (kid, ' (registered: %s)' % ', '.join(map(str, kids)) if self.app else ''))
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
        if error == 'invalid_request' and 'request object' in described and ('required' in described or 'must be used' in described):
            return ('the application requires a signed request object (require_signed_request_object); set signed_request_object '
                    'true, or leave it out and name the application (application_id or name) so that its setting is read')
        if error == 'invalid_request_object':
            return self.request_object_cause(described)
        if error in ('unsupported_response_type', 'invalid_request') and 'response_type' in described:
            return 'response_type is not among the application response types (%s)' % ', '.join(self.app_value('responseTypes') or [])
        return None


def loaded_context(ctx):
    """The loaded CheckContext of a module run, from the module context ``ctx`` (its params, clients and endpoints).

    Every secret read while loading is masked (``ctx.protect``), also when loading fails half way.
    """
    params = ctx.params
    named = names_application(params)
    context = CheckContext(params, ctx.client if named else None, ctx.http_client(),
                           None if params['issuer'] else ctx.endpoints(), ctx.environment_id if named else None)
    try:
        context.load()
    finally:
        ctx.protect(context.secrets())
    return context
