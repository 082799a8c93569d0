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
      - More authorization request parameters, for example C(login_hint), C(acr_values) or C(prompt).
    type: dict
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
    extra_params:
      login_hint: someone@example.com

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
"""

import secrets
from urllib.parse import urlencode

from ansible_collections.pingone.oidc.plugins.module_utils._applications import APPLICATION_OPTIONS
from ansible_collections.pingone.oidc.plugins.module_utils import _checks
from ansible_collections.pingone.oidc.plugins.module_utils._client_auth import pkce_pair
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
)


def check_options(params):
    _checks.require_libraries(params)
    _checks.check_client_auth_options(params)


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
    form = {'response_type': params['response_type'], 'redirect_uri': redirect_uri, 'scope': params['scope'],
            'state': params['oauth_state'] or secrets.token_urlsafe(16), 'nonce': params['nonce'] or secrets.token_urlsafe(16)}
    form.update({key: str(value) for key, value in (params['extra_params'] or {}).items()})
    if params['pkce']:
        dummy_verifier, form['code_challenge'] = pkce_pair()
        form['code_challenge_method'] = 'S256'
    audience = context.audience(endpoint)
    operation = 'Pushed authorization request to %s' % endpoint
    response = context.http.post_form(endpoint, operation, lambda: context.authenticator.apply(form, audience))
    body = response.body if isinstance(response.body, dict) else {}
    if response.status not in (200, 201) or not body.get('request_uri'):
        raise context.explain(operation, response)
    values = dict(par_endpoint=endpoint, auth_method=context.method, client_id=context.client_id, redirect_uri=redirect_uri,
                  issuer=context.endpoints['issuer'], pkce=params['pkce'], request_uri=body['request_uri'],
                  expires_in=body.get('expires_in'))
    authorize = context.endpoints.get('authorization_endpoint')
    if authorize:
        values['authorization_url'] = '%s?%s' % (authorize, urlencode({'client_id': context.client_id, 'request_uri': body['request_uri']}))
    return Result("Application %s pushed an authorization request with %s: %s, valid %s s"
                  % (context.client_id, context.method, body['request_uri'], body.get('expires_in')), **values)


def main():
    PingOneModule(OPTIONS, mutually_exclusive=_checks.CLIENT_AUTH_MUTUALLY_EXCLUSIVE).run(ensure, check_options)


if __name__ == '__main__':
    main()
