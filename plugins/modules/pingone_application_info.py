#!/usr/bin/python
# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: pingone_application_info
short_description: List PingOne applications or read one by ID or name
version_added: 0.1.0
description:
  - Lists the applications of a PingOne environment, or reads one by O(application_id) or by O(name).
  - Client secrets are never returned; use a module made for secrets to read them.
author:
  - PingOne OIDC collection maintainers (@pingone-oidc)
options:
  environment_id:
    description:
      - ID of the environment whose applications to read.
      - Defaults to O(pingone_environment_id), the environment of the worker application.
    type: str
  application_id:
    description:
      - ID of one application to read. When it does not exist, RV(applications) is empty.
    type: str
  name:
    description:
      - Name of the applications to read, compared without regard to case.
      - PingOne does not require names to be unique, so several applications may be returned.
    type: str
  include_system_applications:
    description:
      - Whether the built-in applications every environment has (C(PING_ONE_ADMIN_CONSOLE), C(PING_ONE_SELF_SERVICE),
        C(PING_ONE_PORTAL)) are returned when listing or searching by name.
    type: bool
    default: false
extends_documentation_fragment:
  - pingone.oidc.auth
  - pingone.oidc.attributes
  - pingone.oidc.attributes.INFO_MODULE
seealso:
  - name: PingOne applications API
    description: Application operations of the PingOne Platform API.
    link: https://apidocs.pingidentity.com/pingone/platform/v1/api/#applications
"""

EXAMPLES = r"""
- name: List the applications of an environment
  pingone.oidc.pingone_application_info:
    environment_id: "{{ target_environment_id }}"
    pingone_environment_id: "{{ worker_environment_id }}"
    pingone_client_id: "{{ worker_client_id }}"
    pingone_client_secret: "{{ worker_client_secret }}"
    pingone_region: EU
  register: apps

- name: Read one application by name, credentials from PINGONE_* environment variables
  pingone.oidc.pingone_application_info:
    environment_id: "{{ target_environment_id }}"
    name: Payments Web App
  register: web_app

- name: Show its client ID and token endpoint
  ansible.builtin.debug:
    msg: "{{ web_app.applications[0].clientId }} at {{ web_app.endpoints.token_endpoint }}"
  when: web_app.applications | length == 1
"""

RETURN = r"""
applications:
  description:
    - The applications found, as the PingOne API represents them (camelCase keys), without HAL links
      and without any client secret.
    - Sorted by name, then ID.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 5a2b4c1e-8a31-4f6c-9d1e-2b1e0c9d7f10
      clientId: 5a2b4c1e-8a31-4f6c-9d1e-2b1e0c9d7f10
      name: Payments Web App
      type: WEB_APP
      protocol: OPENID_CONNECT
      enabled: true
      tokenEndpointAuthMethod: CLIENT_SECRET_BASIC
      grantTypes: [AUTHORIZATION_CODE]
      responseTypes: [CODE]
      redirectUris: ["https://payments.example.com/callback"]
      pkceEnforcement: OPTIONAL
      parRequirement: OPTIONAL
      parTimeout: 60
      environment:
        id: 0c8a6f54-3d52-4d8f-a4a4-6d4e5f2f9a11
endpoints:
  description: The endpoints of the environment's authorization server, derived from the region or O(pingone_auth_url).
  returned: always
  type: dict
  contains:
    issuer:
      description: The issuer of the environment.
      type: str
      returned: always
      sample: https://auth.pingone.eu/0c8a6f54-3d52-4d8f-a4a4-6d4e5f2f9a11/as
    discovery_endpoint:
      description: The OpenID Connect discovery document.
      type: str
      returned: always
    authorization_endpoint:
      description: The authorization endpoint.
      type: str
      returned: always
    token_endpoint:
      description: The token endpoint.
      type: str
      returned: always
    par_endpoint:
      description: The pushed authorization request endpoint.
      type: str
      returned: always
    jwks_uri:
      description: The environment's signing keys.
      type: str
      returned: always
    userinfo_endpoint:
      description: The userinfo endpoint.
      type: str
      returned: always
"""

from ansible_collections.pingone.oidc.plugins.module_utils._applications import (
    ApplicationsService,
    is_system_application,
    sanitize_application,
)
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneError
from ansible_collections.pingone.oidc.plugins.module_utils._module import PingOneModule


def main():
    wrapper = PingOneModule(
        argument_spec=dict(
            environment_id=dict(type='str'),
            application_id=dict(type='str'),
            name=dict(type='str'),
            include_system_applications=dict(type='bool', default=False),
        ),
        mutually_exclusive=[('application_id', 'name')],
        supports_check_mode=True,
    )
    params = wrapper.params
    environment_id = wrapper.target_environment()
    service = ApplicationsService(wrapper.client, environment_id)
    try:
        if params['application_id']:
            app = service.get(params['application_id'])
            found = [app] if app else []
        elif params['name'] is not None:
            found = service.find_by_name(params['name'], include_system=params['include_system_applications'])
        else:
            found = [app for app in service.list()
                     if params['include_system_applications'] or not is_system_application(app)]
    except PingOneError as exc:
        wrapper.fail_from_error(exc)
    applications = sorted((sanitize_application(app) for app in found),
                          key=lambda app: ((app.get('name') or '').casefold(), app.get('id') or ''))
    wrapper.exit_json(changed=False, applications=applications, endpoints=wrapper.endpoints(environment_id))


if __name__ == '__main__':
    main()
