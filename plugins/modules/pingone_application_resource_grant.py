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
notes:
  - PingOne allows one grant per resource and application. When another run creates that grant between this run's read
    and its write, PingOne refuses this run's create; the module reads the grant again, merges the scopes it wants into
    it (nothing to do means not changed) and warns.
  - When a create or update gets no reply (or HTTP 500/502/504), the module reads the grant again and sends the change
    once more only if it does not show.
  - Two runs that change the scopes of the same existing grant at the same moment can overwrite each other (PingOne
    replaces the whole scope list and offers no version check). The last write wins; running again repairs it.
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
  sample: "Granted offline_access of resource 'openid' to application 'Payments Web App'"
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
from ansible_collections.pingone.oidc.plugins.module_utils._applications import APPLICATION_OPTIONS, PRESENT_OR_ABSENT
from ansible_collections.pingone.oidc.plugins.module_utils._applications import ApplicationsService, sanitize_application
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneApiError, PingOneConnectionError, PingOneOptionError
from ansible_collections.pingone.oidc.plugins.module_utils._module import PingOneModule
from ansible_collections.pingone.oidc.plugins.module_utils._result import Result

OPTIONS = dict(
    APPLICATION_OPTIONS,
    state=PRESENT_OR_ABSENT,
    resource=dict(type='str', required=True),
    scopes=dict(type='list', elements='str'),
    exclusive=dict(type='bool', default=False),
)


def check_options(params):
    if params['state'] == 'present' and not params['scopes']:
        raise PingOneOptionError('scopes must list at least one scope with state=present (to delete the grant use state=absent)')
    if params['exclusive'] and params['state'] == 'absent':
        raise PingOneOptionError('exclusive applies to state=present only')


def desired_scopes(params, current, wanted):
    """The scope IDs the grant should hold, given the IDs it holds and the IDs the options list."""
    if params['state'] == 'absent':
        if params['scopes'] is None:
            return []
        return [scope_id for scope_id in current if scope_id not in wanted]
    if params['exclusive']:
        # keep PingOne's order for scopes that stay, so a reordered list is not a change
        return [scope_id for scope_id in current if scope_id in wanted] + [scope_id for scope_id in wanted if scope_id not in current]
    return current + [scope_id for scope_id in wanted if scope_id not in current]


# How often a run plans again after another run changed the grant under it, or after a write with no clear outcome.
MAX_ROUNDS = 3


def scope_ids(grant):
    """The scope IDs a grant holds, in PingOne's order ([] for no grant)."""
    return [item.get('id') for item in (grant or {}).get('scopes') or []]


def same_state(first, second):
    """Whether two reads show the same grant with the same scopes (or no grant both times)."""
    if first is None or second is None:
        return first is second
    return first.get('id') == second.get('id') and sorted(scope_ids(first)) == sorted(scope_ids(second))


class GrantRun:
    """One run: the grant as read, the plan for it, and the write; planned again from a fresh read when another run
    changed the grant between this run's read and its write, or when a write had no clear outcome."""

    def __init__(self, ctx):
        self.params = params = ctx.params
        self.check_mode = ctx.check_mode
        self.app = ApplicationsService(ctx.client, ctx.environment_id).require(params['application_id'], params['name'])
        self.service = _access.AccessService(ctx.client, ctx.environment_id)
        self.resource = self.service.resolve_resource(params['resource'])
        available = self.service.list_scopes(self.resource['id'])
        # every scope is resolved against the resource's own list: nothing unlisted is ever sent
        self.wanted = [scope['id'] for scope in _access.resolve_scopes(available, params['scopes'] or [], self.resource.get('name'))]
        self.names = {scope.get('id'): scope.get('name') for scope in available}
        self.warnings = []

    @property
    def label(self):
        return "the grant of resource '%s' of application '%s'" % (self.resource.get('name'), self.app.get('name'))

    def find(self):
        return self.service.find_grant(self.app['id'], self.resource['id'])

    def plan(self, grant):
        """The Result for the grant as read (None: there is none), and the scope IDs it should hold."""
        names = self.names
        current = scope_ids(grant)
        desired = desired_scopes(self.params, current, self.wanted)
        app_name, resource_name = self.app.get('name'), self.resource.get('name')
        result = Result(application_id=self.app['id'], resource={'id': self.resource['id'], 'name': resource_name,
                                                                 'type': self.resource.get('type')},
                        scopes=[names.get(scope_id, scope_id) for scope_id in desired])
        result.diff({'resource': resource_name, 'scopes': sorted(names.get(s, s) for s in current)},
                    {'resource': resource_name, 'scopes': sorted(names.get(s, s) for s in desired)})
        added = [names.get(s, s) for s in desired if s not in current]
        removed = [names.get(s, s) for s in current if s not in desired]
        if not desired and grant is not None:
            if removed:
                result.change('revoke', "%s of resource '%s' from application '%s' (deleting the grant)"
                              % (', '.join(removed), resource_name, app_name))
            else:
                result.change('delete', "the empty grant of resource '%s' of application '%s'" % (resource_name, app_name))
        else:
            if added:
                result.change('grant', "%s of resource '%s' to application '%s'%s"
                              % (', '.join(added), resource_name, app_name, '' if grant else ' (creating the grant)'))
            if removed:
                result.change('revoke', "%s of resource '%s' from application '%s'" % (', '.join(removed), resource_name, app_name))
        if not result.changed:
            result.summary = ("Application '%s' already has the scopes of resource '%s' it should have" % (app_name, resource_name)
                              if grant else "Application '%s' has no grant for resource '%s'" % (app_name, resource_name))
        return result, desired

    def finish(self, result, grant):
        for warning in self.warnings:
            result.warn(warning)
        if grant is not None:
            result.values['grant'] = sanitize_application(grant)
        return result

    def write(self, grant, desired):
        """POST or PUT so that the grant holds ``desired``; the grant PingOne returns."""
        if grant is None:
            return self.service.create_grant(self.app['id'], self.resource['id'], desired)
        return self.service.update_grant(self.app['id'], grant['id'], self.resource['id'], desired)

    def run(self):
        grant = self.find()
        failure = None
        for dummy in range(MAX_ROUNDS):
            result, desired = self.plan(grant)
            if self.check_mode or not result.changed:
                return self.finish(result, grant if desired else None)
            if not desired:
                if self.service.delete_grant(self.app['id'], grant['id']):
                    return self.finish(result, None)
                grant = None  # already gone: plan again, which finds nothing left to do
                continue
            try:
                return self.finish(result, self.write(grant, desired))
            except (PingOneApiError, PingOneConnectionError) as exc:
                failure = exc
                landed, grant = self.recover(exc, grant, desired)
                if landed:
                    return self.finish(result, grant)
        raise failure

    def recover(self, exc, grant, desired):
        """After a failed POST or PUT: (True, grant) when the write took effect after all, else (False, the grant to plan
        again from). Raises ``exc`` when no other run's change explains the failure."""
        verb = 'create' if grant is None else 'update'
        if _access.outcome_unknown(exc):
            landed = self.service.client.settle(self.find, lambda found: found is not None and sorted(scope_ids(found)) == sorted(desired))
            if landed is not None:
                self.warnings.append('The request to %s %s had no clear outcome (no reply, or HTTP 500/502/504); reading the grant '
                                     'again showed the change in place' % (verb, self.label))
                return True, landed
            self.warnings.append('The request to %s %s had no clear outcome and the change did not show when the grant was read '
                                 'again; this run planned again from what is there now' % (verb, self.label))
            return False, self.find()
        if not _access.refused_as_conflict(exc):
            raise exc
        latest = self.find()
        if same_state(latest, grant):
            raise exc
        what = 'created' if grant is None else 'deleted' if latest is None else 'changed'
        self.warnings.append('Another run %s %s at the same time; this run planned again from what is there now'
                             % (what, self.label))
        return False, latest


def ensure(ctx):
    return GrantRun(ctx).run()


def main():
    PingOneModule(OPTIONS, required_one_of=[('application_id', 'name')]).run(ensure, check_options)


if __name__ == '__main__':
    main()
