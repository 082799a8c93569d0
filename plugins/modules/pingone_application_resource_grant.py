#!/usr/bin/python
# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: pingone_application_resource_grant
short_description: Grant a PingOne application the scopes of a resource
version_added: 0.1.0
description:
  - An application gets OAuth scopes through grants, one grant per resource. This module adds scopes to, or removes
    scopes from, the application's grant for one resource, and creates or deletes that grant as needed.
  - Resources are the built-in V(openid) resource (scopes C(openid), C(profile), C(email), C(address), C(phone) and
    C(offline_access), the last one needed for refresh tokens), the V(PingOne API) resource (C(p1:...) scopes), and
    custom resources. A resource is found by ID, or by name ignoring case; scopes by name or ID.
  - By default the scopes listed are added and the other scopes of the grant are kept; O(exclusive=true) makes the
    grant hold exactly the scopes listed. With O(state=absent) the scopes listed are removed (the grant is deleted
    when none is left), or, without O(scopes), the whole grant for the resource is deleted.
  - "For the client credentials grant PingOne issues only scopes of custom resources: one custom resource's granted
    scopes at a time, and never C(openid) or PingOne API scopes."
author:
  - PingOne OIDC collection maintainers (@pingone-oidc)
options:
  state:
    description:
      - V(present) makes sure the scopes are granted, V(absent) makes sure they are not.
    type: str
    choices: [present, absent]
    default: present
  resource:
    description:
      - The resource, by name (compared without regard to case, for example V(openid) or V(PingOne API)) or by ID.
    type: str
    required: true
  scopes:
    description:
      - Names or IDs of scopes of O(resource). Required with O(state=present).
      - With O(state=absent), the scopes to remove; when not set, the whole grant is deleted.
    type: list
    elements: str
  exclusive:
    description:
      - With O(state=present), remove every scope of the grant that O(scopes) does not list.
    type: bool
    default: false
extends_documentation_fragment:
  - pingone.oidc.application
  - pingone.oidc.auth
  - pingone.oidc.attributes
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
    support: full
    details:
      - The diff lists the names of the granted scopes of the resource before and after.
seealso:
  - module: pingone.oidc.pingone_application
  - module: pingone.oidc.pingone_application_role_assignment
"""

EXAMPLES = r"""
- name: Let the web app ask for the user's profile and e-mail, and for refresh tokens
  pingone.oidc.pingone_application_resource_grant:
    environment_id: "{{ prod_environment_id }}"
    name: Payments Web App
    resource: openid
    scopes: [openid, profile, email, offline_access]

- name: Let a service call the custom Orders API with exactly these scopes
  pingone.oidc.pingone_application_resource_grant:
    environment_id: "{{ prod_environment_id }}"
    name: Billing Service
    resource: Orders API
    scopes: [orders:read, orders:write]
    exclusive: true

- name: Take back refresh tokens only
  pingone.oidc.pingone_application_resource_grant:
    environment_id: "{{ prod_environment_id }}"
    name: Payments Web App
    resource: openid
    scopes: [offline_access]
    state: absent

- name: Remove the whole grant of the PingOne API resource
  pingone.oidc.pingone_application_resource_grant:
    environment_id: "{{ prod_environment_id }}"
    name: Payments Web App
    resource: PingOne API
    state: absent
"""

RETURN = r"""
msg:
  description: What the module did, in one line.
  returned: always
  type: str
  sample: "Granted scopes offline_access of resource 'openid' to application 'Payments Web App'"
application_id:
  description: ID of the application.
  returned: always
  type: str
resource:
  description: The resource.
  returned: always
  type: dict
  contains:
    id:
      description: Resource ID.
      type: str
    name:
      description: Resource name.
      type: str
    type:
      description: V(OPENID_CONNECT), V(PINGONE_API) or V(CUSTOM).
      type: str
  sample: {id: 8c1e..., name: openid, type: OPENID_CONNECT}
scopes:
  description: Names of the scopes of the resource granted to the application after the change (or as they would be in
    check mode).
  returned: always
  type: list
  elements: str
  sample: [openid, profile, email, offline_access]
grant:
  description: The grant as PingOne returns it (without links). Not returned in check mode before it exists, nor once deleted.
  returned: when the grant exists
  type: dict
  sample:
    id: 3d2b...
    application: {id: 9f0c...}
    resource: {id: 8c1e...}
    scopes: [{id: 1a2b...}, {id: 3c4d...}]
"""

from ansible_collections.pingone.oidc.plugins.module_utils import _access
from ansible_collections.pingone.oidc.plugins.module_utils._applications import sanitize_application
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneError
from ansible_collections.pingone.oidc.plugins.module_utils._module import PingOneModule, application_argument_spec


class GrantRunner:
    """Reads the application's grant for the resource and adds, removes or replaces scopes in it."""

    def __init__(self, wrapper):
        self.wrapper = wrapper
        self.params = wrapper.params
        self.check_mode = wrapper.check_mode

    def run(self):
        params = self.params
        environment_id, app = self.wrapper.existing_application()
        client = self.wrapper.client
        service = _access.AccessService(client, environment_id)
        resource = service.resolve_resource(params['resource'])
        available = service.list_scopes(resource['id'])
        wanted = [scope['id'] for scope in _access.resolve_scopes(available, params['scopes'] or [], resource.get('name'))]
        grant = service.find_grant(app['id'], resource['id'])
        current = [item.get('id') for item in (grant or {}).get('scopes') or []]
        desired = self.desired(current, wanted)
        names = {scope.get('id'): scope.get('name') for scope in available}
        result = dict(application_id=app['id'], changed=desired != current,
                      resource={'id': resource['id'], 'name': resource.get('name'), 'type': resource.get('type')},
                      scopes=[names.get(scope_id, scope_id) for scope_id in desired])
        if result['changed'] and not self.check_mode:
            if not desired:
                service.delete_grant(app['id'], grant['id'])
                grant = None
            elif grant is None:
                grant = service.create_grant(app['id'], resource['id'], desired)
            else:
                grant = service.update_grant(app['id'], grant['id'], resource['id'], desired)
        elif result['changed'] and not desired:
            grant = None
        if grant is not None:
            result['grant'] = sanitize_application(grant)
        result['msg'] = self.message(app.get('name'), resource.get('name'), current, desired, names)
        if self.wrapper.module._diff:
            result['diff'] = dict(before={'resource': resource.get('name'), 'scopes': sorted(names.get(s, s) for s in current)},
                                  after={'resource': resource.get('name'), 'scopes': sorted(names.get(s, s) for s in desired)})
        return result

    def desired(self, current, wanted):
        params = self.params
        if params['state'] == 'absent':
            if params['scopes'] is None:
                return []
            return [scope_id for scope_id in current if scope_id not in wanted]
        if params['exclusive']:
            # keep PingOne's order for scopes that stay, so a reordered list is not a change
            return [scope_id for scope_id in current if scope_id in wanted] + [scope_id for scope_id in wanted if scope_id not in current]
        return current + [scope_id for scope_id in wanted if scope_id not in current]

    @staticmethod
    def message(app_name, resource_name, current, desired, names):
        added = [names.get(s, s) for s in desired if s not in current]
        removed = [names.get(s, s) for s in current if s not in desired]
        if not added and not removed:
            if not desired:
                return "Application '%s' has no grant for resource '%s'" % (app_name, resource_name)
            return "Application '%s' already has the scopes of resource '%s' it should have" % (app_name, resource_name)
        parts = []
        if added:
            parts.append('granted %s' % ', '.join(added))
        if removed:
            parts.append('revoked %s' % ', '.join(removed))
        text = "Resource '%s' for application '%s': %s" % (resource_name, app_name, '; '.join(parts))
        if not desired:
            text += ' (grant deleted)'
        elif not current:
            text += ' (grant created)'
        return text


def main():
    wrapper = PingOneModule(
        argument_spec=dict(
            application_argument_spec(),
            state=dict(type='str', default='present', choices=['present', 'absent']),
            resource=dict(type='str', required=True),
            scopes=dict(type='list', elements='str'),
            exclusive=dict(type='bool', default=False),
        ),
        required_one_of=[('application_id', 'name')],
        required_if=[('state', 'present', ['scopes'])],
        supports_check_mode=True,
    )
    params = wrapper.params
    if params['state'] == 'present' and not params['scopes']:
        wrapper.fail_json(msg='scopes must list at least one scope with state=present (to delete the grant use state=absent)')
    if params['exclusive'] and params['state'] == 'absent':
        wrapper.fail_json(msg='exclusive applies to state=present only')
    try:
        result = GrantRunner(wrapper).run()
    except PingOneError as exc:
        wrapper.fail_from_error(exc)
    wrapper.exit_json(**result)


if __name__ == '__main__':
    main()
