# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""OAuth client authentication as an application does it at the token and PAR endpoints.

The five PingOne methods (RFC 6749 2.3.1, RFC 7523, OIDC Core 9), PKCE (RFC 7636), and the
reading of OAuth error replies. Nothing here is PingOne-specific beyond the method names, so
it works with any conformant server. No Ansible imports.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
import traceback
import uuid

from ansible_collections.pingone.oidc.plugins.module_utils import _jwk
from ansible_collections.pingone.oidc.plugins.module_utils._app_model import AUTH_METHODS as METHODS
from ansible_collections.pingone.oidc.plugins.module_utils._client import basic_authorization

try:
    import jwt
    HAS_PYJWT = True
    PYJWT_IMPORT_ERROR = None
except ImportError:
    HAS_PYJWT = False
    PYJWT_IMPORT_ERROR = traceback.format_exc()

HMAC_ALGS = ('HS256', 'HS384', 'HS512')
ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
# Short-lived on purpose: PingOne rejects assertions valid for more than an hour.
ASSERTION_LIFETIME = 60
# A request object is pushed at once, so it needs no longer life than an assertion.
REQUEST_OBJECT_LIFETIME = ASSERTION_LIFETIME
# RFC 9101 section 10.8: explicit typing, so that a request object cannot pass for another kind of JWT.
REQUEST_OBJECT_TYPE = 'oauth-authz-req+jwt'


class ClientAuthError(ValueError):
    """Client authentication cannot be built from what was given; never contains a secret."""


def pkce_pair(method='S256'):
    """(code_verifier, code_challenge) for the S256 or the plain method."""
    verifier = secrets.token_urlsafe(48)  # 64 characters from the unreserved set
    if method == 'plain':
        return verifier, verifier
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode('ascii')).digest()).rstrip(b'=').decode('ascii')
    return verifier, challenge


def unverified_claims(token):
    """The payload of a JWT without checking its signature (to report, never to trust); None if not a JWT."""
    try:
        claims = jwt.decode(token, options={'verify_signature': False})
    except jwt.PyJWTError:
        return None
    return claims if isinstance(claims, dict) else None


class ClientAuthenticator:
    """Adds one application's client authentication to a form request.

    ``private_key`` is a cryptography private key; the assertion is signed anew for every call
    with a fresh random ``jti``, because servers reject replayed assertions.
    """

    def __init__(self, method, client_id, client_secret=None, private_key=None, kid=None, alg=None, clock=time.time):
        if method not in METHODS:
            raise ClientAuthError('auth_method must be one of %s' % ', '.join(METHODS))
        if not client_id:
            raise ClientAuthError('client_id is required')
        if method in ('CLIENT_SECRET_BASIC', 'CLIENT_SECRET_POST', 'CLIENT_SECRET_JWT') and not client_secret:
            raise ClientAuthError('auth_method %s needs client_secret' % method)
        if method == 'PRIVATE_KEY_JWT' and private_key is None:
            raise ClientAuthError('auth_method PRIVATE_KEY_JWT needs private_key or private_key_path')
        self.method = method
        self.client_id = client_id
        self.client_secret = client_secret
        self.private_key = private_key
        self.clock = clock
        self.kid = kid
        self.alg = alg or self._default_alg()
        if method == 'CLIENT_SECRET_JWT' and self.alg not in HMAC_ALGS:
            raise ClientAuthError('signing_alg %s does not fit CLIENT_SECRET_JWT; use one of %s' % (self.alg, ', '.join(HMAC_ALGS)))
        if method == 'PRIVATE_KEY_JWT':
            if self.alg in HMAC_ALGS:
                raise ClientAuthError('signing_alg %s does not fit PRIVATE_KEY_JWT; use an RS, PS or ES algorithm' % self.alg)
            try:
                _jwk.check_alg(self.public_jwk, self.alg)
            except _jwk.JwkError as exc:
                raise ClientAuthError('signing_alg: %s' % exc) from None
            if self.kid is None:
                self.kid = _jwk.thumbprint(self.public_jwk)

    @property
    def public_jwk(self):
        return _jwk.public_jwk(self.private_key.public_key()) if self.private_key is not None else None

    def _default_alg(self):
        if self.method == 'CLIENT_SECRET_JWT':
            return 'HS256'
        if self.method == 'PRIVATE_KEY_JWT' and self.private_key is not None:
            return _jwk.default_alg(_jwk.public_jwk(self.private_key.public_key()))
        return None

    def assertion(self, audience):
        """A signed client assertion (RFC 7523 section 3) for ``audience``."""
        now = int(self.clock())
        claims = {'iss': self.client_id, 'sub': self.client_id, 'aud': audience, 'iat': now, 'nbf': now,
                  'exp': now + ASSERTION_LIFETIME, 'jti': str(uuid.uuid4())}
        if self.method == 'CLIENT_SECRET_JWT':
            return jwt.encode(claims, self.client_secret.encode('utf-8'), algorithm=self.alg, headers={'typ': 'JWT'})
        headers = {'typ': 'JWT'}
        if self.kid:
            headers['kid'] = self.kid
        return jwt.encode(claims, self.private_key, algorithm=self.alg, headers=headers)

    @property
    def request_object_alg(self):
        """The alg a request object is signed with: the private key's for PRIVATE_KEY_JWT, else an HMAC with the client
        secret (signing_alg when it is one, HS256 otherwise). ClientAuthError when this client has nothing to sign with."""
        if self.method == 'PRIVATE_KEY_JWT':
            return self.alg
        if not self.client_secret:
            raise ClientAuthError('it is signed with the client secret or a private key, and auth_method %s gives neither '
                                  '(give client_secret to sign with HS256)' % self.method)
        if self.alg is None:
            return 'HS256'
        if self.alg not in HMAC_ALGS:
            raise ClientAuthError('signing_alg %s cannot sign a request object with the client secret; use one of %s'
                                  % (self.alg, ', '.join(HMAC_ALGS)))
        return self.alg

    def request_object(self, parameters, audience):
        """A signed request object (RFC 9101) carrying the authorization request ``parameters`` as claims, for the
        authorization server whose issuer is ``audience``; a fresh ``jti`` each time."""
        alg = self.request_object_alg
        now = int(self.clock())
        claims = dict(parameters, client_id=self.client_id, iss=self.client_id, aud=audience, iat=now, nbf=now,
                      exp=now + REQUEST_OBJECT_LIFETIME, jti=str(uuid.uuid4()))
        headers = {'typ': REQUEST_OBJECT_TYPE}
        if self.method == 'PRIVATE_KEY_JWT':
            if self.kid:
                headers['kid'] = self.kid
            return jwt.encode(claims, self.private_key, algorithm=alg, headers=headers)
        return jwt.encode(claims, self.client_secret.encode('utf-8'), algorithm=alg, headers=headers)

    def apply(self, form, audience, client_id_in_body=True):
        """(headers, form) with this client's authentication added to a copy of ``form``."""
        form = dict(form)
        headers = {'Accept': 'application/json'}
        if self.method == 'CLIENT_SECRET_BASIC':
            headers['Authorization'] = basic_authorization(self.client_id, self.client_secret)
        elif self.method == 'CLIENT_SECRET_POST':
            form['client_secret'] = self.client_secret
        elif self.method in ('CLIENT_SECRET_JWT', 'PRIVATE_KEY_JWT'):
            form['client_assertion_type'] = ASSERTION_TYPE
            form['client_assertion'] = self.assertion(audience)
        if client_id_in_body or self.method != 'CLIENT_SECRET_BASIC':
            form['client_id'] = self.client_id
        return headers, form

    def secrets(self):
        """Values that must never appear in output (for no_log registration)."""
        return [value for value in (self.client_secret,) if value]
