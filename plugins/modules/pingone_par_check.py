#!/usr/bin/python
# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: pingone_par_check
short_description: Prove that an application can push an authorization request (RFC 9126), live
version_added: 0.1.0
description:
  - Sends a pushed authorization request to the authorization server with the application's own client
    authentication (any of the five PingOne methods) and reports the C(request_uri) the server issued, or the
    server's error with its likely cause.
  - This proves that the application exists, is enabled, accepts its credentials or keys, allows an interactive
    grant and has the redirect URI registered, without a browser.
  - "The request carries C(client_id), C(response_type), C(redirect_uri), C(scope), C(state) (O(oauth_state)), C(nonce)
    and, by default, a PKCE S256 C(code_challenge). A client-credentials-only application cannot push an authorization
    request: use M(pingone.oidc.pingone_token_check) for it."
  - "O(acr_values), O(login_hint), O(max_age), O(prompt), O(response_mode) and O(code_challenge_method) add the
    authorization parameters of the same names, checked before any request."
  - "With O(signed_request_object), the authorization parameters also travel as the claims of a signed request object
    (the C(request) parameter, RFC 9101), with C(iss) and C(client_id) the client ID, C(aud) the issuer, and C(iat),
    C(nbf), C(exp) (60 seconds) and a fresh C(jti). A C(PRIVATE_KEY_JWT) application signs it with its private key
    (the algorithm of O(signing_alg), else of the registered key, else RS256 for an RSA key and ES256, ES384 or ES512
    for an EC key); any other application with its client secret (HS256, or the HMAC algorithm of O(signing_alg)).
    The same parameters stay in the form too, as PingOne requires C(response_type) and C(redirect_uri) there. The
    request object is never returned or logged."
  - Never changes anything; runs the same in check mode.
author:
  - PingOne OIDC collection maintainers (@pingone-oidc)
options:
  response_type:
    description:
      - The response type requested.
    type: str
    default: code
  redirect_uri:
    description:
      - Where the authorization server would send the browser. Defaults to the application's first registered
        redirect URI when the application is read from PingOne.
    type: str
  scope:
    description:
      - Scopes requested, separated by spaces.
    type: str
    default: openid
  oauth_state:
    description:
      - The OAuth C(state) value sent in the authorization request. Defaults to a random value.
      - The alias O(state) exists only for compatibility with playbooks written when this option had that name; it is
        not the Ansible C(state) (V(present) or V(absent)) of other modules. Use O(oauth_state).
    type: str
    aliases: [state]
  nonce:
    description:
      - The C(nonce) value. Defaults to a random value.
    type: str
  pkce:
    description:
      - Whether to send a PKCE S256 code challenge. Applications that enforce PKCE refuse requests without one.
    type: bool
    default: true
  par_endpoint:
    description:
      - The PAR endpoint, overriding the one from the discovery document or the region.
    type: str
  extra_params:
    description:
      - More authorization request parameters, sent as given (and, with a signed request object, as its claims).
      - Prefer the typed options O(acr_values), O(login_hint), O(max_age), O(prompt), O(response_mode) and
        O(code_challenge_method), which are checked before any request; giving one of them here as well fails.
    type: dict
  acr_values:
    description:
      - The sign-on policies to apply, by name, in order of preference (sent space-separated as C(acr_values)); PingOne
        also takes a single DaVinci flow policy ID. The policies must be assigned to the application.
      - An item may hold several names separated by spaces.
    type: list
    elements: str
    version_added: 0.2.0
  login_hint:
    description:
      - A hint about the user who signs on, for example a username or email address (C(login_hint)).
    type: str
    version_added: 0.2.0
  max_age:
    description:
      - The longest time in seconds since the user last signed on that still needs no new sign-on (C(max_age)); V(0)
        always asks for a new sign-on.
    type: int
    version_added: 0.2.0
  prompt:
    description:
      - What the authorization server asks the user (C(prompt), sent space-separated). V(none) cannot be combined with
        the other values.
    type: list
    elements: str
    choices: [login, consent, none]
    version_added: 0.2.0
  response_mode:
    description:
      - How the authorization response is returned (C(response_mode)). V(pi.flow) is PingOne's mode for flows that
        render their own sign-on pages. V(query) is refused for a O(response_type) that returns a token.
    type: str
    choices: [query, fragment, form_post, pi.flow]
    version_added: 0.2.0
  code_challenge_method:
    description:
      - The PKCE method (C(code_challenge_method)). Defaults to V(S256). V(plain) sends the verifier itself as the
        challenge; applications whose PKCE enforcement is C(S256_REQUIRED) refuse it. Needs O(pkce=true).
    type: str
    choices: [S256, plain]
    version_added: 0.2.0
  signed_request_object:
    description:
      - Whether to send the authorization parameters as a signed request object as well (see the description above).
      - Defaults to the application's C(require_signed_request_object) when the application is read from PingOne
        (O(application_id) or O(name)), else to V(false).
      - V(false) for an application that requires a signed request object lets the server refuse the request, which
        proves that the requirement is enforced.
      - An application whose O(auth_method) is V(NONE) can sign only with a O(client_secret) given.
    type: bool
    version_added: 0.2.0
extends_documentation_fragment:
  - pingone.oidc.client_auth
  - pingone.oidc.auth
  - pingone.oidc.attributes
  - pingone.oidc.attributes.INFO_MODULE
seealso:
  - module: pingone.oidc.pingone_token_check
  - name: RFC 9126 OAuth 2.0 Pushed Authorization Requests
    description: The protocol this module speaks.
    link: https://www.rfc-editor.org/rfc/rfc9126
"""

EXAMPLES = r"""
- name: Check the payments app, reading its settings and secret with the worker credentials
  pingone.oidc.pingone_par_check:
    environment_id: "{{ target_environment_id }}"
    name: Payments Web App
  register: par

- name: Check with only the application's own credentials (no management access)
  pingone.oidc.pingone_par_check:
    environment_id: "{{ target_environment_id }}"
    pingone_region: EU
    client_id: "{{ payments_client_id }}"
    auth_method: PRIVATE_KEY_JWT
    private_key_path: /etc/payments/client-key.pem
    redirect_uri: https://payments.example.com/callback

- name: Check with a chosen OAuth state and login hint
  pingone.oidc.pingone_par_check:
    environment_id: "{{ target_environment_id }}"
    name: Payments Web App
    oauth_state: ansible-check-{{ 999999 | random }}
    login_hint: someone@example.com

- name: Check an app that requires a signed request object, with a forced sign-on and a sign-on policy
  pingone.oidc.pingone_par_check:
    environment_id: "{{ target_environment_id }}"
    name: Payments Web App
    signed_request_object: true
    prompt: login
    max_age: 0
    acr_values: [Multi_Factor]
    login_hint: someone@example.com
    response_mode: form_post

- name: Show where a browser would continue
  ansible.builtin.debug:
    msg: "{{ par.authorization_url }} (valid {{ par.expires_in }} s)"
"""

RETURN = r"""
request_uri:
  description: The request URI the server issued (single use).
  returned: success
  type: str
  sample: urn:ietf:params:oauth:request_uri:0f9a3c6e-2b7d-4c1e-9d1a-4b8e2f6a9c3d
expires_in:
  description: Seconds the request URI stays valid (the application's PAR timeout on PingOne).
  returned: success
  type: int
  sample: 60
par_endpoint:
  description: The endpoint the request was pushed to.
  returned: always
  type: str
authorization_url:
  description: The authorization URL to continue in a browser.
  returned: success
  type: str
  sample: https://auth.pingone.eu/0c8a.../as/authorize?client_id=5a2b...&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3A0f9a...
auth_method:
  description: The client authentication method used.
  returned: always
  type: str
  sample: PRIVATE_KEY_JWT
client_id:
  description: The client ID used.
  returned: always
  type: str
redirect_uri:
  description: The redirect URI sent.
  returned: always
  type: str
issuer:
  description: The issuer of the authorization server.
  returned: always
  type: str
pkce:
  description: Whether a PKCE code challenge was sent.
  returned: always
  type: bool
signed_request_object:
  description: Whether the parameters were also sent as a signed request object.
  returned: success
  type: bool
  version_added: 0.2.0
request_object_alg:
  description: The algorithm the request object was signed with; null when none was sent.
  returned: success
  type: str
  sample: RS256
  version_added: 0.2.0
"""

import secrets
from urllib.parse import urlencode

from ansible_collections.pingone.oidc.plugins.module_utils._applications import APPLICATION_OPTIONS
from ansible_collections.pingone.oidc.plugins.module_utils import _authz_request, _checks
from ansible_collections.pingone.oidc.plugins.module_utils._client_auth import ClientAuthError, pkce_pair
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneOptionError
from ansible_collections.pingone.oidc.plugins.module_utils._module import PingOneModule
from ansible_collections.pingone.oidc.plugins.module_utils._result import Result

OPTIONS = dict(
    APPLICATION_OPTIONS,
    **_checks.CLIENT_AUTH_OPTIONS,
    response_type=dict(type='str', default='code'),
    redirect_uri=dict(type='str'),
    scope=dict(type='str', default='openid'),
    oauth_state=dict(type='str', aliases=['state']),
    nonce=dict(type='str'),
    pkce=dict(type='bool', default=True),
    par_endpoint=dict(type='str'),
    extra_params=dict(type='dict'),
    signed_request_object=dict(type='bool'),
    **_authz_request.TYPED_OPTIONS
)


def check_options(params):
    _checks.require_libraries(params)
    _checks.check_client_auth_options(params)
    _authz_request.check_options(params)
    if params['signed_request_object'] and 'request' in (params['extra_params'] or {}):
        raise PingOneOptionError('signed_request_object true makes the request object; leave request out of extra_params')
    if params['signed_request_object'] and params['auth_method'] == 'NONE' and not params['client_secret']:
        raise PingOneOptionError('signed_request_object true needs a key to sign with: auth_method NONE has none; give client_secret '
                                 '(the application secret signs with HS256)')


def wants_request_object(params, context):
    """signed_request_object when given; else whether the application read from PingOne requires one (and extra_params
    does not already carry a request object)."""
    if params['signed_request_object'] is not None:
        return params['signed_request_object']
    return bool(context.app_value('requireSignedRequestObject')) and 'request' not in (params['extra_params'] or {})


def request_object_alg(params, context):
    """The alg of the request object to send, None when none is sent; CheckError (before any request) when the client has
    nothing to sign one with."""
    if not wants_request_object(params, context):
        return None
    try:
        return context.authenticator.request_object_alg
    except ClientAuthError as exc:
        raise _checks.CheckError('%s cannot sign a request object: %s' % (
            "Application '%s'" % context.app_value('name') if context.app else 'The client', exc)) from None


def ensure(ctx):
    params = ctx.params
    context = _checks.loaded_context(ctx)
    grants = context.app_value('grantTypes')
    if context.app and not set(grants or []) & set(_checks.INTERACTIVE_GRANTS):
        raise _checks.CheckError("Application '%s' cannot push an authorization request: its grant types (%s) have no interactive "
                                 "grant (AUTHORIZATION_CODE or IMPLICIT); check a client-credentials application with "
                                 "pingone.oidc.pingone_token_check" % (context.app_value('name'), ', '.join(grants or []) or 'none'))
    redirect_uri = params['redirect_uri'] or (context.app_value('redirectUris') or [None])[0]
    if not redirect_uri:
        raise _checks.CheckError('redirect_uri is required: %s' % (
            'the application has no registered redirect URI' if context.app else 'give it, or the application to read it from'))
    endpoint = params['par_endpoint'] or context.endpoints.get('par_endpoint')
    if not endpoint:
        raise _checks.CheckError('The discovery document of %s names no pushed_authorization_request_endpoint; set par_endpoint'
                                 % context.endpoints['issuer'])
    parameters = {'response_type': params['response_type'], 'redirect_uri': redirect_uri, 'scope': params['scope'],
                  'state': params['oauth_state'] or secrets.token_urlsafe(16), 'nonce': params['nonce'] or secrets.token_urlsafe(16)}
    parameters.update(_authz_request.typed_parameters(params))
    parameters.update({key: str(value) for key, value in (params['extra_params'] or {}).items()})
    if params['pkce']:
        method = params['code_challenge_method'] or 'S256'
        dummy_verifier, parameters['code_challenge'] = pkce_pair(method)
        parameters['code_challenge_method'] = method
    form = _authz_request.form_values(parameters)
    alg = request_object_alg(params, context)
    signed = alg is not None
    audience = context.audience(endpoint)

    def signed_form():
        """The form with a request object signed anew for each attempt; the request object is masked in all output."""
        if not signed:
            return context.authenticator.apply(form, audience)
        request_object = context.authenticator.request_object(parameters, context.endpoints['issuer'])
        ctx.protect([request_object])
        return context.authenticator.apply(dict(form, request=request_object), audience)

    operation = 'Pushed authorization request to %s' % endpoint
    response = context.http.post_form(endpoint, operation, signed_form)
    body = response.body if isinstance(response.body, dict) else {}
    if response.status not in (200, 201) or not body.get('request_uri'):
        raise context.explain(operation, response)
    values = dict(par_endpoint=endpoint, auth_method=context.method, client_id=context.client_id, redirect_uri=redirect_uri,
                  issuer=context.endpoints['issuer'], pkce=params['pkce'], request_uri=body['request_uri'],
                  expires_in=body.get('expires_in'), signed_request_object=signed, request_object_alg=alg)
    authorize = context.endpoints.get('authorization_endpoint')
    if authorize:
        values['authorization_url'] = '%s?%s' % (authorize, urlencode({'client_id': context.client_id, 'request_uri': body['request_uri']}))
    return Result("Application %s pushed an authorization request with %s%s: %s, valid %s s"
                  % (context.client_id, context.method, ' and a request object signed with %s' % alg if signed else '',
                     body['request_uri'], body.get('expires_in')), **values)


def main():
    PingOneModule(OPTIONS, mutually_exclusive=_checks.CLIENT_AUTH_MUTUALLY_EXCLUSIVE).run(ensure, check_options)


if __name__ == '__main__':
    main()
