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
  - With O(as_definitions), each application is also returned as a definition in RV(definitions), the options of
    M(pingone.oidc.pingone_application) that describe it, ready for that module or for M(pingone.oidc.pingone_applications).
    The playbook C(pingone.oidc.export) of this collection writes them to a vars file.
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
  as_definitions:
    description:
      - Whether to also return the applications as definitions in RV(definitions).
      - Applying a definition to the application it was read from changes nothing, and applying it to another environment
        creates an equivalent application, except for the settings no option models (see RV(definitions)).
      - PingOne's own system applications and applications of another protocol than OpenID Connect are skipped, also with
        O(include_system_applications).
    type: bool
    default: false
    version_added: 0.2.0
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

- name: Read every application of an environment as a definition
  pingone.oidc.pingone_application_info:
    environment_id: "{{ source_environment_id }}"
    as_definitions: true
  register: source

- name: Make another environment hold the same applications (see also playbooks/export.yml)
  pingone.oidc.pingone_applications:
    environment_id: "{{ target_environment_id }}"
    applications: "{{ source.definitions }}"
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
definitions:
  description:
    - The OpenID Connect applications found, each as a definition, sorted by name like RV(applications) - the options of
      M(pingone.oidc.pingone_application) (and of an item of O(pingone.oidc.pingone_applications#module:applications)) that
      describe it, named and valued as those modules take them - C(name), C(type) and each option the application has a
      value for.
    - Left out are read-only members (ID, client ID, environment, dates), empty values, and PingOne's defaults that creating
      the application without them gives anyway (for example O(pingone.oidc.pingone_application#module:par_timeout=60)).
      Booleans are given as PingOne stores them, V(false) included.
    - No secret is ever in a definition - no client secret, and sensitive settings are left out rather than masked;
      O(pingone.oidc.pingone_application#module:jwks) holds public keys only.
    - Settings no option models (for example C(icon), C(mobile), C(kerberos) or custom members) cannot be in a definition.
      Applying a definition to the application it was read from keeps them (an update keeps what it does not manage); an
      application created from it does not have them. A warning names the applications that have such settings.
    - A definition names its application by name, compared ignoring case; a warning names the applications that share a
      name, which a definition cannot tell apart.
    - PingOne's own system applications and applications of another protocol are not returned here.
  returned: when O(as_definitions=true)
  type: list
  elements: dict
  sample:
    - name: Payments Web App
      type: WEB_APP
      enabled: true
      token_endpoint_auth_method: CLIENT_SECRET_BASIC
      grant_types: [AUTHORIZATION_CODE]
      response_types: [CODE]
      redirect_uris: ["https://payments.example.com/callback"]
      cors_settings:
        behavior: ALLOW_SPECIFIC_ORIGINS
        origins: ["https://payments.example.com"]
environment_id:
  description: The ID of the environment read (O(environment_id), else O(pingone_environment_id)).
  returned: always
  type: str
  sample: 0c8a6f54-3d52-4d8f-a4a4-6d4e5f2f9a11
  version_added: 0.2.0
endpoints:
  description:
    - The endpoints of the environment's authorization server, derived from the region or O(pingone_auth_url), or on the
      environment's custom domain with O(pingone_custom_domain).
  returned: always
  type: dict
  contains:
    issuer:
      description: The issuer of the environment (C(https://<custom domain>/as) on a custom domain).
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

from ansible_collections.pingone.oidc.plugins.module_utils import _app_model as model
from ansible_collections.pingone.oidc.plugins.module_utils._applications import (
    APPLICATION_OPTIONS,
    ApplicationsService,
    is_system_application,
    sanitize_application,
)
from ansible_collections.pingone.oidc.plugins.module_utils._module import PingOneModule
from ansible_collections.pingone.oidc.plugins.module_utils._result import Result

OPTIONS = dict(APPLICATION_OPTIONS, include_system_applications=dict(type='bool', default=False),
               as_definitions=dict(type='bool', default=False))
# Applications named in one warning before "and N more".
SHOWN = 10


def ensure(ctx):
    params = ctx.params
    service = ApplicationsService(ctx.client, ctx.environment_id)
    if params['application_id']:
        app = service.get(params['application_id'])
        found = [app] if app else []
    elif params['name'] is not None:
        found = service.find_by_name(params['name'], include_system=params['include_system_applications'])
    else:
        found = [app for app in service.list() if params['include_system_applications'] or not is_system_application(app)]
    applications = sorted((sanitize_application(app) for app in found),
                          key=lambda app: ((app.get('name') or '').casefold(), app.get('id') or ''))
    result = Result("Found %s in environment '%s'" % (counted(len(applications)), service.environment_id),
                    applications=applications, endpoints=ctx.endpoints(), environment_id=service.environment_id)
    if params['as_definitions']:
        add_definitions(result, applications)
    return result


def counted(number):
    return '%d application%s' % (number, '' if number == 1 else 's')


def listed(items):
    """Items of a one-line warning: the first few, then how many more."""
    return '; '.join(items[:SHOWN]) + ('; and %d more' % (len(items) - SHOWN) if len(items) > SHOWN else '')


def add_definitions(result, applications):
    """The OpenID Connect applications as definitions, with a warning for what a definition cannot say."""
    definitions, partial, names = [], [], {}
    for app in applications:
        definition = model.definition_from_api(app)
        if definition is None:
            continue  # a system application, or another protocol
        definitions.append(definition)
        name = str(definition['name'])
        names.setdefault(name.casefold(), []).append(name)
        members = model.unmodelled_members(app)
        if members:
            partial.append("'%s' (%s)" % (model.shown(name), ', '.join(model.shown(member) for member in members)))
    result.values['definitions'] = definitions
    if len(definitions) != len(applications):
        result.summary += ', %d of them as definitions' % len(definitions)
    if partial:
        result.warn('%s settings no option of pingone.oidc.pingone_application models, which their definitions do not carry '
                    '(applying a definition to the same application keeps them; creating from it does not): %s'
                    % ('1 application has' if len(partial) == 1 else '%d applications have' % len(partial), listed(partial)))
    shared = ["'%s' (%d)" % (model.shown(same[0]), len(same)) for same in names.values() if len(same) > 1]
    if shared:
        result.warn('Several applications share a name (ignoring case), which their definitions cannot tell apart; rename '
                    'all but one before applying them: %s' % listed(shared))


def main():
    PingOneModule(OPTIONS, mutually_exclusive=[('application_id', 'name')]).run(ensure)


if __name__ == '__main__':
    main()
