#!/usr/bin/python
# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: pingone_application_role_assignment
short_description: Assign or remove a PingOne administrator role of a worker application
version_added: 0.1.0
description:
  - Gives a PingOne C(WORKER) application one built-in administrator role (for example V(Environment Admin),
    V(Identity Data Admin) or V(Client Application Developer)) at the scope of an environment, of the organization or
    of a population, or removes it. A new worker application has no roles, so it cannot call the management API until
    it gets one.
  - The role is found by ID, or by name ignoring case. The assignment is identified by role, scope type and scope ID;
    other roles of the application are left alone.
  - PingOne lets a worker assign only roles it holds itself at the same or a broader scope, and a role assigned moments
    ago can take a while to reach every PingOne service. Refusals of that kind (HTTP 401/403, or C(Must have role at the
    same or broader scope)) are retried for up to O(propagation_timeout) seconds; if they persist, the message says which
    role the connecting worker lacks.
  - Roles apply to C(WORKER) applications only; any other application type is refused before anything is written.
author:
  - PingOne OIDC collection maintainers (@pingone-oidc)
options:
  state:
    description:
      - V(present) makes sure the application has the role at that scope, V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
  role:
    description:
      - The role, by name (compared without regard to case, for example V(Identity Data Admin)) or by ID.
    type: str
    required: true
  scope_type:
    description:
      - What the role applies to. Each role allows only some scope types (its C(applicableTo)); for example
        V(Client Application Developer) applies to environments only.
    type: str
    choices: [ENVIRONMENT, ORGANIZATION, POPULATION]
    default: ENVIRONMENT
  scope_id:
    description:
      - ID of the environment, organization or population the role applies to.
      - Defaults to the environment of the application with O(scope_type=ENVIRONMENT), and to that environment's
        organization with O(scope_type=ORGANIZATION). Required with O(scope_type=POPULATION).
    type: str
  propagation_timeout:
    description:
      - How many seconds to keep retrying an assignment that PingOne refuses because permissions have not propagated
        yet (see the description). V(0) tries once.
    type: float
    default: 60
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
      - The diff shows whether the role is assigned at that scope, before and after.
seealso:
  - module: pingone.oidc.pingone_application
  - module: pingone.oidc.pingone_application_resource_grant
notes:
  - The connecting worker needs the role it assigns, at the same or a broader scope (an organization-level
    V(Environment Admin) may assign the environment roles).
  - When another run assigns the same role at the same scope between this run's read and its write, PingOne refuses
    this run's request as a duplicate; the module reads the assignments again, reports the role as already assigned
    (not changed) and warns.
  - When the request gets no reply (or HTTP 500/502/504), the module reads the assignments again and sends it once more
    only if the assignment does not show; PingOne refuses a duplicate, so this never makes two.
  - An assignment PingOne marks C(readOnly) (one the connecting worker may not delete) is never removed; the task fails.
"""

EXAMPLES = r"""
- name: Let the provisioning worker manage users of the production environment
  pingone.oidc.pingone_application_role_assignment:
    environment_id: "{{ prod_environment_id }}"
    name: Provisioning Worker
    role: Identity Data Admin

- name: Let the CI worker manage applications
  pingone.oidc.pingone_application_role_assignment:
    environment_id: "{{ prod_environment_id }}"
    name: CI Worker
    role: Client Application Developer

- name: Organization-wide Environment Admin
  pingone.oidc.pingone_application_role_assignment:
    environment_id: "{{ admin_environment_id }}"
    name: Platform Worker
    role: Environment Admin
    scope_type: ORGANIZATION

- name: Read-only access to one population
  pingone.oidc.pingone_application_role_assignment:
    environment_id: "{{ prod_environment_id }}"
    name: Reporting Worker
    role: Identity Data Read Only
    scope_type: POPULATION
    scope_id: "{{ population_id }}"

- name: Take the role away again
  pingone.oidc.pingone_application_role_assignment:
    environment_id: "{{ prod_environment_id }}"
    name: Provisioning Worker
    role: Identity Data Admin
    state: absent
"""

RETURN = r"""
msg:
  description: What the module did, in one line.
  returned: always
  type: str
  sample: "Assigned role 'Identity Data Admin' at ENVIRONMENT scope '5a4f...' to application 'Provisioning Worker'"
application_id:
  description: ID of the worker application.
  returned: always
  type: str
role:
  description: The role as PingOne describes it.
  returned: always
  type: dict
  contains:
    id:
      description: Role ID.
      type: str
    name:
      description: Role name.
      type: str
    applicable_to:
      description: The scope types the role can be assigned at.
      type: list
      elements: str
  sample: {id: 1ac6ba3a-..., name: Identity Data Admin, applicable_to: [ENVIRONMENT, POPULATION]}
scope:
  description: The scope of the assignment.
  returned: always
  type: dict
  contains:
    type:
      description: V(ENVIRONMENT), V(ORGANIZATION) or V(POPULATION).
      type: str
    id:
      description: ID of the environment, organization or population.
      type: str
  sample: {type: ENVIRONMENT, id: 5a4f...}
role_assignment:
  description: The role assignment, as PingOne returns it (without links). Not returned in check mode before it exists.
  returned: with O(state=present), when it exists
  type: dict
  sample:
    id: 0f3b...
    role: {id: 1ac6ba3a-...}
    scope: {id: 5a4f..., type: ENVIRONMENT}
    readOnly: false
"""

from ansible_collections.pingone.oidc.plugins.module_utils import _access
from ansible_collections.pingone.oidc.plugins.module_utils._applications import APPLICATION_OPTIONS, PRESENT_OR_ABSENT
from ansible_collections.pingone.oidc.plugins.module_utils._applications import ApplicationsService, sanitize_application
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneApiError, PingOneConnectionError, PingOneError, PingOneOptionError
from ansible_collections.pingone.oidc.plugins.module_utils._module import PingOneModule, explain
from ansible_collections.pingone.oidc.plugins.module_utils._result import Result

OPTIONS = dict(
    APPLICATION_OPTIONS,
    state=PRESENT_OR_ABSENT,
    role=dict(type='str', required=True),
    scope_type=dict(type='str', default='ENVIRONMENT', choices=list(_access.SCOPE_TYPES)),
    scope_id=dict(type='str'),
    propagation_timeout=dict(type='float', default=60),
)


def check_options(params):
    if params['propagation_timeout'] < 0:
        raise PingOneOptionError('propagation_timeout must not be negative, got %g' % params['propagation_timeout'])
    if params['scope_type'] == 'POPULATION' and not params['scope_id']:
        raise PingOneOptionError('scope_id is required with scope_type=POPULATION (the ID of the population)')


def ensure(ctx):
    params = ctx.params
    app = ApplicationsService(ctx.client, ctx.environment_id).require(params['application_id'], params['name'])
    name = app.get('name')
    if app.get('type') != 'WORKER':
        raise PingOneError("Application '%s' is a %s application; roles can be assigned to WORKER applications only"
                           % (name, app.get('type')))
    service = _access.AccessService(ctx.client, ctx.environment_id)
    role = service.resolve_role(params['role'])
    scope_type = params['scope_type']
    applicable = role.get('applicableTo') or []
    if applicable and scope_type not in applicable:
        raise PingOneOptionError("scope_type %s is not allowed for role '%s'; it can be assigned at %s scope"
                                 % (scope_type, role.get('name'), ' or '.join(applicable)))
    scope_id = params['scope_id'] or default_scope_id(service, scope_type)
    existing = service.find_role_assignment(app['id'], role['id'], scope_type, scope_id)
    result = Result(application_id=app['id'], scope={'type': scope_type, 'id': scope_id},
                    role={'id': role['id'], 'name': role.get('name'), 'applicable_to': list(applicable)})
    label = "role '%s' at %s scope '%s'" % (role.get('name'), scope_type, scope_id)
    state = {'role': role.get('name'), 'scope_type': scope_type, 'scope_id': scope_id}
    result.diff(dict(state, assigned=existing is not None), dict(state, assigned=params['state'] == 'present'))
    if params['state'] == 'present':
        outcome = 'assigned before' if existing is not None else 'planned'
        if existing is None and not ctx.check_mode:
            existing, outcome = assign(service, app, role, scope_type, scope_id, params)
        if outcome in ('assigned before', 'raced'):
            result.summary = "Application '%s' already has %s" % (name, label)
        else:
            result.change('assign', "%s to application '%s'" % (label, name))
        if outcome == 'raced':
            result.diff(dict(state, assigned=True), dict(state, assigned=True))
            result.warn("Another run assigned %s to application '%s' at the same time; this run found that assignment and "
                        "left it as it is" % (label, name))
        elif outcome == 'found':
            result.warn("The request to assign %s to application '%s' had no clear outcome (no reply, or HTTP 500/502/504); "
                        "reading the assignments again showed it in place" % (label, name))
        elif outcome == 'resent':
            result.warn("The request to assign %s to application '%s' had no clear outcome and the assignment did not show when "
                        "read again; the request was sent once more" % (label, name))
        if existing is not None:
            result.values['role_assignment'] = sanitize_application(existing)
        return result
    if existing is not None and existing.get('readOnly'):
        raise PingOneError("The assignment of %s to application '%s' is read only (PingOne does not let the connecting worker delete it) and cannot be removed"
                           % (label, name), **result.values)
    if existing is not None and (ctx.check_mode or service.delete_role_assignment(app['id'], existing['id'])):
        result.change('remove', "%s from application '%s'" % (label, name))
    else:
        result.summary = "Application '%s' does not have %s" % (name, label)
    return result


def default_scope_id(service, scope_type):
    """The environment for ENVIRONMENT scope, its organization for ORGANIZATION scope."""
    if scope_type == 'ENVIRONMENT':
        return service.environment_id
    organization_id = service.organization_id()
    if not organization_id:
        raise PingOneOptionError("scope_id is required with scope_type=ORGANIZATION: environment '%s' does not name its organization"
                                 % service.environment_id)
    return organization_id


def assign(service, app, role, scope_type, scope_id, params):
    """Create the assignment; returns (assignment, outcome). Outcomes: 'created'; 'raced' when PingOne refused it as a
    duplicate because another run made it since this run read the assignments; 'found' when the request had no clear
    outcome and the assignment showed on reading again; 'resent' when it did not show and the request was sent once more
    (safe: PingOne allows one assignment per role and scope, so a second one is refused, never made)."""
    def find():
        return service.find_role_assignment(app['id'], role['id'], scope_type, scope_id)

    try:
        return create(service, app, role, scope_type, scope_id, params), 'created'
    except (PingOneApiError, PingOneConnectionError) as exc:
        if not _access.outcome_unknown(exc):
            found = find() if _access.refused_as_conflict(exc) else None
            if found is None:
                raise
            return found, 'raced'
        found = service.client.settle(find, lambda item: item is not None)
        if found is not None:
            return found, 'found'
    try:
        return create(service, app, role, scope_type, scope_id, params), 'resent'
    except PingOneApiError as exc:
        found = find() if _access.refused_as_conflict(exc) else None
        if found is None:
            raise
        return found, 'found'  # the first request took effect after all, late


def create(service, app, role, scope_type, scope_id, params):
    """Assign the role, retrying refusals that a role still propagating would explain."""
    label = "role '%s' at %s scope '%s'" % (role.get('name'), scope_type, scope_id)
    timeout = params['propagation_timeout']
    try:
        created, dummy = _access.retry_propagation(
            lambda: service.create_role_assignment(app['id'], role['id'], scope_type, scope_id), timeout)
    except PingOneApiError as exc:
        if not _access.is_propagation_error(exc):
            raise
        raise PingOneError(
            "Cannot assign %s to application '%s': %s. The connecting worker (pingone_client_id) must itself hold role '%s' "
            "at the same or a broader scope (or be an organization-level Environment Admin); a role it was given moments ago "
            "may still be propagating (tried %d time(s) over up to %g s, see propagation_timeout)"
            % (label, app.get('name'), explain(exc, params), role.get('name'), getattr(exc, 'attempts', 1), timeout),
            status_code=exc.status, code=exc.code) from exc
    return created


def main():
    PingOneModule(OPTIONS, required_one_of=[('application_id', 'name')]).run(ensure, check_options)


if __name__ == '__main__':
    main()
