#!/usr/bin/python
# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: pingone_token_check
short_description: Prove that an application can get a client-credentials token, live
version_added: 0.1.0
description:
  - Requests an access token with the C(client_credentials) grant and the application's own client authentication
    (any of the five PingOne methods), and reports what came back, or the server's error with its likely cause.
  - Meant for WORKER and other client-credentials applications, which cannot push an authorization request
    (see M(pingone.oidc.pingone_par_check) for interactive applications).
  - The access token itself is not returned unless O(return_token) is set; its claims are, decoded without
    verifying the signature (for inspection only).
  - Never changes anything; runs the same in check mode.
author:
  - PingOne OIDC collection maintainers (@pingone-oidc)
options:
  scope:
    description:
      - Scopes to request, separated by spaces. By default none are requested and the server grants its default.
    type: str
  expected_scopes:
    description:
      - Scopes the token must carry; the check fails naming the missing ones. Use it to prove the grants of
        M(pingone.oidc.pingone_application_resource_grant) are in effect (client-credentials tokens carry the scopes of
        the application's custom resource).
    type: list
    elements: str
  return_token:
    description:
      - Also return the access token in RV(access_token). It is a secret; use C(no_log) on the task.
    type: bool
    default: false
  token_endpoint:
    description:
      - The token endpoint, overriding the one from the discovery document or the region.
    type: str
extends_documentation_fragment:
  - pingone.oidc.client_auth
  - pingone.oidc.auth
  - pingone.oidc.attributes
  - pingone.oidc.attributes.INFO_MODULE
seealso:
  - module: pingone.oidc.pingone_par_check
"""

EXAMPLES = r"""
- name: Check that the inventory worker authenticates, reading its settings and secret with the admin worker
  pingone.oidc.pingone_token_check:
    environment_id: "{{ target_environment_id }}"
    name: Inventory Sync
  register: token

- name: Check with only the application's own credentials
  pingone.oidc.pingone_token_check:
    environment_id: "{{ target_environment_id }}"
    client_id: "{{ inventory_client_id }}"
    client_secret: "{{ inventory_client_secret }}"
    auth_method: CLIENT_SECRET_POST
  no_log: true

- name: Check it at the environment's custom domain, https://auth.example.com/as/token
  pingone.oidc.pingone_token_check:
    environment_id: "{{ target_environment_id }}"
    name: Inventory Sync
    pingone_custom_domain: auth.example.com
"""

RETURN = r"""
token_type:
  description: The token type, normally C(Bearer).
  returned: success
  type: str
  sample: Bearer
expires_in:
  description: Lifetime of the access token in seconds.
  returned: success
  type: int
  sample: 3600
scope:
  description: The scopes granted, when the server says.
  returned: success, when the server returns them
  type: str
claims:
  description: The claims of a JWT access token, decoded without verifying its signature; empty for opaque tokens.
  returned: success
  type: dict
  sample:
    client_id: 5a2b4c1e-8a31-4f6c-9d1e-2b1e0c9d7f10
    iss: https://auth.pingone.eu/0c8a6f54-3d52-4d8f-a4a4-6d4e5f2f9a11/as
    exp: 1795000000
access_token:
  description: The access token. A secret.
  returned: when O(return_token=true)
  type: str
token_endpoint:
  description: The token endpoint used.
  returned: always
  type: str
auth_method:
  description: The client authentication method used.
  returned: always
  type: str
client_id:
  description: The client ID used.
  returned: always
  type: str
issuer:
  description: The issuer of the authorization server.
  returned: always
  type: str
"""

from ansible_collections.pingone.oidc.plugins.module_utils._applications import APPLICATION_OPTIONS
from ansible_collections.pingone.oidc.plugins.module_utils import _checks
from ansible_collections.pingone.oidc.plugins.module_utils._client_auth import unverified_claims
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneOptionError
from ansible_collections.pingone.oidc.plugins.module_utils._module import PingOneModule
from ansible_collections.pingone.oidc.plugins.module_utils._result import Result

OPTIONS = dict(
    APPLICATION_OPTIONS,
    **_checks.CLIENT_AUTH_OPTIONS,
    scope=dict(type='str'),
    expected_scopes=dict(type='list', elements='str'),
    return_token=dict(type='bool', default=False, no_log=False),
    token_endpoint=dict(type='str', no_log=False),
)
PUBLIC_CLIENT = 'A public client (auth_method NONE) cannot use the client_credentials grant'


def check_options(params):
    _checks.require_libraries(params)
    _checks.check_client_auth_options(params)
    if params['auth_method'] == 'NONE':
        raise PingOneOptionError(PUBLIC_CLIENT)


def ensure(ctx):
    params = ctx.params
    context = _checks.loaded_context(ctx)
    grants = context.app_value('grantTypes')
    if context.app and 'CLIENT_CREDENTIALS' not in (grants or []):
        raise _checks.CheckError("Application '%s' cannot request a client-credentials token: CLIENT_CREDENTIALS is not among its "
                                 "grant types (%s); check an interactive application with pingone.oidc.pingone_par_check"
                                 % (context.app_value('name'), ', '.join(grants or []) or 'none'))
    if context.method == 'NONE':
        raise _checks.CheckError(PUBLIC_CLIENT)
    endpoint = params['token_endpoint'] or context.endpoints['token_endpoint']
    form = {'grant_type': 'client_credentials'}
    if params['scope']:
        form['scope'] = params['scope']
    audience = context.audience(endpoint)
    operation = 'Token request to %s' % endpoint
    # client_id goes in the body for every method but Basic, where some servers refuse it twice
    response = context.http.post_form(endpoint, operation, lambda: context.authenticator.apply(form, audience, client_id_in_body=False))
    body = response.body if isinstance(response.body, dict) else {}
    if response.status != 200 or not body.get('access_token'):
        raise context.explain(operation, response)
    token = body['access_token']
    if not params['return_token']:
        ctx.protect([token])
    missing = sorted(set(params['expected_scopes'] or []) - set((body.get('scope') or '').split()))
    if missing:
        raise _checks.CheckError('The token of application %s lacks the expected scopes %s (granted: %s); grant them with '
                                 'pingone.oidc.pingone_application_resource_grant'
                                 % (context.client_id, ', '.join(missing), body.get('scope') or 'none'))
    values = dict(token_endpoint=endpoint, auth_method=context.method, client_id=context.client_id, issuer=context.endpoints['issuer'],
                  token_type=body.get('token_type'), expires_in=body.get('expires_in'), claims=unverified_claims(token) or {})
    if body.get('scope') is not None:
        values['scope'] = body['scope']
    if params['return_token']:
        values['access_token'] = token
    return Result('Application %s obtained a %s token with %s, valid %s s'
                  % (context.client_id, body.get('token_type'), context.method, body.get('expires_in')), **values)


def main():
    PingOneModule(OPTIONS, mutually_exclusive=_checks.CLIENT_AUTH_MUTUALLY_EXCLUSIVE).run(ensure, check_options)


if __name__ == '__main__':
    main()
