#!/usr/bin/python
# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: pingone_access_token
short_description: Obtain a PingOne worker access token once, to share between tasks
version_added: 0.1.0
description:
  - Requests a management API access token for the worker application with the C(client_credentials) grant,
    using the same connection options as every module of this collection, and returns it with its lifetime.
  - Feed RV(access_token) to O(pingone_access_token) in the C(module_defaults) of the C(group/pingone.oidc.pingone)
    action group, and the later tasks of the play send no token request of their own. PingOne limits the number of
    requests per licence, so a play that manages many applications saves one request per task.
  - Always requests a new token from O(pingone_environment_id), O(pingone_client_id) and O(pingone_client_secret);
    O(pingone_access_token) is ignored, so the task can run again under C(module_defaults) that already hold an
    older token, to refresh it before RV(expires_at).
  - Never changes anything and never reports a change; runs the same in check mode, so that later tasks in check
    mode can read PingOne.
  - The token is a secret. Set C(no_log) on the task (its result then shows nowhere, also not with C(-vvv)) and do
    not print the registered variable.
author:
  - PingOne OIDC collection maintainers (@pingone-oidc)
options:
  environment_id:
    description:
      - Not used. Accepted so that C(module_defaults) of the C(group/pingone.oidc.pingone) action group may set the
        environment the other modules work in; the token is always requested for the worker application in
        O(pingone_environment_id).
    type: str
extends_documentation_fragment:
  - pingone.oidc.auth
  - pingone.oidc.attributes
  - pingone.oidc.attributes.INFO_MODULE
notes:
  - A module given O(pingone_access_token) uses that token as it is and does not renew it; a module given only the
    worker credentials requests its own token and requests one more once when the API answers HTTP 401. Refresh a
    shared token by running this module again while RV(expires_at) is still ahead, see the example.
seealso:
  - module: pingone.oidc.pingone_application
  - module: pingone.oidc.pingone_token_check
    description: Checks that any client-credentials application, not only the worker, can obtain a token.
"""

EXAMPLES = r"""
- name: Manage many applications with one token request
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/pingone.oidc.pingone:
      pingone_region: EU
      pingone_environment_id: "{{ worker_environment_id }}"
      pingone_client_id: "{{ worker_client_id }}"
      pingone_client_secret: "{{ worker_client_secret }}"
      # Nested module_defaults of one group replace each other, they do not merge: set the shared
      # token here, at play level, and omit it until the first task has obtained it.
      pingone_access_token: "{{ pingone_token.access_token | default(omit) }}"
  tasks:
    - name: Authenticate once
      pingone.oidc.pingone_access_token:
      register: pingone_token
      no_log: true

    - name: Create or update each application with the shared token
      pingone.oidc.pingone_application:
        environment_id: "{{ target_environment_id }}"
        name: "{{ item.name }}"
        type: "{{ item.type }}"
      loop: "{{ applications }}"

    # A skipped task would overwrite a registered variable: register the refresh under another name.
    - name: Request a new token when this one expires within five minutes
      pingone.oidc.pingone_access_token:
      register: pingone_new_token
      no_log: true
      when: pingone_token.expires_at - 300 < now().timestamp()

    - name: Use the new token from now on
      ansible.builtin.set_fact:
        pingone_token: "{{ pingone_new_token }}"
      no_log: true
      when: pingone_new_token is not skipped
"""

RETURN = r"""
access_token:
  description:
    - The access token for the management API. B(A secret); set C(no_log) on the task that registers it.
    - Pass it as O(pingone_access_token) to the modules of this collection.
  returned: success
  type: str
token_type:
  description: The token type, normally C(Bearer).
  returned: success
  type: str
  sample: Bearer
expires_in:
  description: Lifetime of the token in seconds, as the authorization server said.
  returned: success
  type: int
  sample: 3600
expires_at:
  description:
    - When the token expires, in seconds since the epoch (UTC), computed from the time of the request and RV(expires_in).
    - Compare it with C(now(\).timestamp(\)) (the controller's clock now) to decide when to refresh;
      C(ansible_date_time.epoch) is only as fresh as the last fact gathering.
  returned: success
  type: int
  sample: 1795003600
token_endpoint:
  description: The token endpoint used.
  returned: always
  type: str
  sample: https://auth.pingone.eu/0c8a6f54-3d52-4d8f-a4a4-6d4e5f2f9a11/as/token
"""

import time

from ansible_collections.pingone.oidc.plugins.module_utils._client import token_lifetime
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneOptionError
from ansible_collections.pingone.oidc.plugins.module_utils._module import PingOneModule
from ansible_collections.pingone.oidc.plugins.module_utils._result import Result

# environment_id is accepted for module_defaults of the action group and not used.
OPTIONS = dict(environment_id=dict(type='str'))


def ensure(ctx):
    # Always a new token from the worker credentials: a given pingone_access_token will not do.
    missing = ctx.config.missing_credentials(token_will_do=False)
    if missing:
        raise PingOneOptionError(
            'Missing PingOne worker credentials: %s. This module always requests a new token, so it needs '
            'pingone_environment_id, pingone_client_id and pingone_client_secret (task options, module_defaults for '
            'group/pingone.oidc.pingone, or the environment variables PINGONE_ENVIRONMENT_ID, PINGONE_CLIENT_ID and '
            'PINGONE_CLIENT_SECRET); pingone_access_token is not used' % ', '.join(missing))
    client = ctx.client
    requested_at = time.time()
    body = client.request_token()
    seconds = int(token_lifetime(body))
    return Result('Obtained a worker access token from %s, valid %d s' % (client.token_url, seconds),
                  access_token=body['access_token'], token_type=body.get('token_type') or 'Bearer', expires_in=seconds,
                  expires_at=int(requested_at) + seconds, token_endpoint=client.token_url)


def main():
    PingOneModule(OPTIONS).run(ensure)


if __name__ == '__main__':
    main()
