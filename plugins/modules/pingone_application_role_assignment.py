#!/usr/bin/python
# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: pingone_application_role_assignment
short_description: Assign or remove PingOne administrator roles of a worker application
version_added: 0.1.0
description:
  - Gives a PingOne C(WORKER) application built-in administrator roles (for example V(Environment Admin),
    V(Identity Data Admin), V(Client Application Developer) or V(Application Owner)) at the scope of an environment, of
    the organization, of a population or of one application, or removes them. A new worker application has no roles, so
    it cannot call the management API until it gets one.
  - One assignment is described by O(role), O(scope_type) and O(scope_id) or O(scope_name). Several are listed in
    O(roles); with O(exclusive=true) the application ends up with exactly the assignments listed, every other one
    being removed. Otherwise other roles of the application are left alone.
  - A role is found by ID, or by name ignoring case. An assignment is identified by role, scope type and scope ID.
  - PingOne lets a worker assign only roles it holds itself at the same or a broader scope, and a role assigned moments
    ago can take a while to reach every PingOne service. Refusals of that kind (HTTP 401/403, or C(Must have role at the
    same or broader scope)) are retried for up to O(propagation_timeout) seconds; if they persist, the message says which
    role the connecting worker lacks.
  - Roles apply to C(WORKER) applications only; any other application type is refused before anything is written.
  - Everything the task names (the roles, each scope, the application of an V(APPLICATION) scope, and for
    O(exclusive=true) what would be removed) is resolved and checked before the first write; a failure names the option.
author:
  - PingOne OIDC collection maintainers (@pingone-oidc)
options:
  state:
    description:
      - V(present) makes sure the application has the assignment (or every assignment of O(roles)), V(absent) removes it
        (or each of them).
    type: str
    choices: [present, absent]
    default: present
  role:
    description:
      - The role of one assignment, by name (compared without regard to case, for example V(Identity Data Admin)) or by ID.
      - One of O(role) and O(roles) is required; they exclude each other.
    type: str
  scope_type:
    description:
      - What the role of O(role) applies to; V(ENVIRONMENT) when not set. Each role allows only some scope types (its
        C(applicableTo)); for example V(Client Application Developer) applies to environments only, and
        V(Application Owner) to one application only.
      - Not with O(roles), whose entries have their own.
    type: str
    choices: [ENVIRONMENT, ORGANIZATION, POPULATION, APPLICATION]
  scope_id:
    description:
      - ID of the environment, organization, population or application the role of O(role) applies to.
      - Defaults to the environment of the application with O(scope_type=ENVIRONMENT), and to that environment's
        organization with O(scope_type=ORGANIZATION). Required with O(scope_type=POPULATION). With
        O(scope_type=APPLICATION), the ID of an application of the same environment as the worker, or use O(scope_name).
      - Not with O(roles), whose entries have their own.
    type: str
  scope_name:
    description:
      - With O(scope_type=APPLICATION), the name of the application the role applies to (ignoring case), instead of
        O(scope_id). It must name exactly one application of the worker's environment.
      - Not with O(roles), whose entries have their own.
    type: str
    version_added: 0.2.0
  roles:
    description:
      - Several assignments at once, each described like the top-level options. With O(state=present) each one is made
        present, with O(state=absent) each one is removed.
      - With O(exclusive=true), the complete list of the assignments the application should have.
      - Excludes O(role), O(scope_type), O(scope_id) and O(scope_name).
    type: list
    elements: dict
    suboptions:
      role:
        description:
          - The role, by name (ignoring case) or by ID.
        type: str
        required: true
      scope_type:
        description:
          - What the role applies to, as O(scope_type).
        type: str
        choices: [ENVIRONMENT, ORGANIZATION, POPULATION, APPLICATION]
        default: ENVIRONMENT
      scope_id:
        description:
          - ID of the environment, organization, population or application, with the defaults of O(scope_id).
        type: str
      scope_name:
        description:
          - With V(scope_type=APPLICATION), the name of the application instead of its ID.
        type: str
    version_added: 0.2.0
  exclusive:
    description:
      - With V(true), the application ends up holding exactly the assignments listed in O(roles) (V([]) for none); the
        others are removed, after the missing ones are assigned. Requires O(roles) and O(state=present).
      - An assignment PingOne marks C(readOnly) is never removed; it is kept, and the task warns.
      - It never removes, unasked, the V(Environment Admin) or V(Client Application Developer) assignment (at the
        organization, or at the environment of O(environment_id)) of the worker this task authenticates as
        (O(pingone_client_id) in O(pingone_environment_id)); such a run fails before any write, see
        O(allow_actor_role_removal). When the task authenticates with O(pingone_access_token) only, the connecting worker
        is unknown and every worker is treated as possibly being it.
    type: bool
    default: false
    version_added: 0.2.0
  allow_actor_role_removal:
    description:
      - With O(exclusive=true), let the run remove the connecting worker's own V(Environment Admin) or
        V(Client Application Developer) assignment when O(roles) does not list it. Those removals come last, the task
        warns, and later runs with the same credentials may be refused.
    type: bool
    default: false
    version_added: 0.2.0
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
      - With O(role), the diff shows whether the role is assigned at that scope, before and after.
      - With O(roles), the diff lists every assignment of the application (role name, scope type, scope ID, read only),
        before and after.
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
  - An assignment PingOne marks C(readOnly) (one the connecting worker may not delete) is never removed. Removing it by
    name (O(state=absent)) fails, in check mode too; O(exclusive=true) keeps it and warns.
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

- name: Let the billing deployer manage the Billing Portal application only
  pingone.oidc.pingone_application_role_assignment:
    environment_id: "{{ prod_environment_id }}"
    name: Billing Deployer
    role: Application Owner
    scope_type: APPLICATION
    scope_name: Billing Portal

- name: The reporting worker holds exactly these roles, nothing else
  pingone.oidc.pingone_application_role_assignment:
    environment_id: "{{ prod_environment_id }}"
    name: Reporting Worker
    roles:
      - role: Identity Data Read Only
      - role: Application Owner
        scope_type: APPLICATION
        scope_id: "{{ reports_app_id }}"
    exclusive: true

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
  returned: with O(role)
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
  returned: with O(role)
  type: dict
  contains:
    type:
      description: V(ENVIRONMENT), V(ORGANIZATION), V(POPULATION) or V(APPLICATION).
      type: str
    id:
      description: ID of the environment, organization, population or application.
      type: str
    name:
      description: The application's name, with V(APPLICATION) scope.
      type: str
  sample: {type: ENVIRONMENT, id: 5a4f...}
role_assignment:
  description: The role assignment, as PingOne returns it (without links). Not returned in check mode before it exists.
  returned: with O(role) and O(state=present), when it exists
  type: dict
  sample:
    id: 0f3b...
    role: {id: 1ac6ba3a-...}
    scope: {id: 5a4f..., type: ENVIRONMENT}
    readOnly: false
role_assignments:
  description:
    - Every role assignment of the application after the run, as PingOne returns them (without links).
    - In check mode, the ones it has now, without those the run would remove; those it would add do not exist yet.
  returned: with O(roles)
  type: list
  elements: dict
  sample:
    - id: 0f3b...
      role: {id: 1ac6ba3a-...}
      scope: {id: 5a4f..., type: ENVIRONMENT}
      readOnly: false
"""

from ansible_collections.pingone.oidc.plugins.module_utils import _access, _lookup
from ansible_collections.pingone.oidc.plugins.module_utils._applications import APPLICATION_OPTIONS, PRESENT_OR_ABSENT
from ansible_collections.pingone.oidc.plugins.module_utils._applications import ApplicationsService, is_own_worker, sanitize_application
from ansible_collections.pingone.oidc.plugins.module_utils._client import identifier_problem
from ansible_collections.pingone.oidc.plugins.module_utils._errors import (
    PingOneApiError,
    PingOneConnectionError,
    PingOneError,
    PingOneLookupError,
    PingOneOptionError,
)
from ansible_collections.pingone.oidc.plugins.module_utils._module import PingOneModule, explain
from ansible_collections.pingone.oidc.plugins.module_utils._result import Result

# The options that describe one assignment, at the top level or in an entry of roles.
ASSIGNMENT_OPTIONS = ('role', 'scope_type', 'scope_id', 'scope_name')
OPTIONS = dict(
    APPLICATION_OPTIONS,
    state=PRESENT_OR_ABSENT,
    role=dict(type='str'),
    # no default here, so that one given beside roles is noticed; ENVIRONMENT when not set
    scope_type=dict(type='str', choices=list(_access.SCOPE_TYPES)),
    scope_id=dict(type='str'),
    scope_name=dict(type='str'),
    roles=dict(type='list', elements='dict', options=dict(
        role=dict(type='str', required=True),
        scope_type=dict(type='str', default='ENVIRONMENT', choices=list(_access.SCOPE_TYPES)),
        scope_id=dict(type='str'),
        scope_name=dict(type='str'),
    )),
    exclusive=dict(type='bool', default=False),
    allow_actor_role_removal=dict(type='bool', default=False),
    propagation_timeout=dict(type='float', default=60),
)


def requested(params):
    """(option prefix, assignment options) of each assignment the task names: the one of the top-level options (prefix
    ""), or each entry of roles (prefix "roles[N].")."""
    if params['roles'] is None:
        entry = {option: params.get(option) for option in ASSIGNMENT_OPTIONS}
        entry['scope_type'] = entry['scope_type'] or 'ENVIRONMENT'
        return [('', entry)]
    return [('roles[%d].' % index, entry) for index, entry in enumerate(params['roles'])]


def check_options(params):
    if params['propagation_timeout'] < 0:
        raise PingOneOptionError('propagation_timeout must not be negative, got %g' % params['propagation_timeout'])
    if params['roles'] is not None:
        given = [option for option in ASSIGNMENT_OPTIONS if params.get(option) is not None]
        if given:
            raise PingOneOptionError('%s cannot go with roles: each entry of roles gives its own role, scope_type, scope_id or '
                                     'scope_name' % ', '.join(given))
    if params['exclusive'] and params['state'] == 'absent':
        raise PingOneOptionError('exclusive applies to state=present only')
    if params['exclusive'] and params['roles'] is None:
        raise PingOneOptionError('exclusive needs roles, the complete list of the role assignments the application should have '
                                 '(roles: [] with exclusive removes them all)')
    for prefix, entry in requested(params):
        check_assignment(prefix, entry)


def check_assignment(prefix, entry):
    """The options of one assignment, on their own (``prefix`` names where they are: "" or "roles[N].")."""
    scope_type, scope_id, scope_name = entry['scope_type'], entry['scope_id'], entry['scope_name']
    problem = identifier_problem(scope_id) if scope_id else None
    if problem:
        raise PingOneOptionError('%sscope_id %s' % (prefix, problem))
    if scope_id and scope_name:
        raise PingOneOptionError('%sscope_id and %sscope_name exclude each other (both name the scope)' % (prefix, prefix))
    if scope_name and scope_type != 'APPLICATION':
        raise PingOneOptionError('%sscope_name names an application and goes with scope_type=APPLICATION only; give %sscope_id '
                                 'for %s scope' % (prefix, prefix, scope_type))
    if scope_type == 'POPULATION' and not scope_id:
        raise PingOneOptionError('%sscope_id is required with scope_type=POPULATION (the ID of the population)' % prefix)
    if scope_type == 'APPLICATION' and not (scope_id or scope_name):
        raise PingOneOptionError('%sscope_id or %sscope_name is required with scope_type=APPLICATION (the ID or name of the '
                                 'application the role applies to)' % (prefix, prefix))


def label(item):
    """How a wanted assignment is named in messages."""
    return "role '%s' at %s scope '%s'" % (item['role'].get('name'), item['scope_type'], item['scope_id'])


def view_order(view):
    return tuple(str(view[member]) for member in ('role', 'scope_type', 'scope_id'))


def ensure(ctx):
    return AssignmentRun(ctx).run()


class AssignmentRun:
    """One run: the worker and the assignments the task names, all resolved and checked before any write; then the
    writes (assignments first, removals after, so a worker never goes without a role it is about to get)."""

    def __init__(self, ctx):
        self.params = params = ctx.params
        self.check_mode = ctx.check_mode
        self.environment_id = ctx.environment_id
        self.apps = ApplicationsService(ctx.client, ctx.environment_id)
        self.app = self.apps.require(params['application_id'], params['name'])
        self.name = self.app.get('name')
        if self.app.get('type') != 'WORKER':
            raise PingOneError("Application '%s' is a %s application; roles can be assigned to WORKER applications only"
                               % (self.name, self.app.get('type')))
        self.service = _access.AccessService(ctx.client, ctx.environment_id)
        self.roles = self.service.list_roles()
        self.role_names = {role.get('id'): role.get('name') for role in self.roles}
        self.organization_id = None
        self.listed_applications = None
        self.wanted = self.resolve_all()

    # -- resolving what the task names ---------------------------------------------------------------------------------

    def resolve_all(self):
        wanted, seen = [], {}
        for prefix, entry in requested(self.params):
            item = self.resolve(prefix, entry)
            if item['key'] in seen:
                raise PingOneOptionError('%s names the same assignment as %s (%s)' % (item['option'], seen[item['key']], label(item)))
            seen[item['key']] = item['option']
            wanted.append(item)
        return wanted

    def resolve(self, prefix, entry):
        """One assignment as {option, role, scope_type, scope_id, scope_name, key}; errors name the option."""
        try:
            role = self.service.resolve_role(entry['role'], self.roles)
        except PingOneLookupError as exc:
            if not prefix:
                raise
            raise PingOneLookupError('%srole: %s' % (prefix, exc)) from exc
        scope_type = entry['scope_type']
        applicable = role.get('applicableTo') or []
        if applicable and scope_type not in applicable:
            raise PingOneOptionError("%sscope_type %s is not allowed for role '%s'; it can be assigned at %s scope"
                                     % (prefix, scope_type, role.get('name'), ' or '.join(applicable)))
        item = {'option': prefix.rstrip('.') or 'role', 'role': role, 'scope_type': scope_type, 'scope_name': None}
        if scope_type == 'APPLICATION':
            target = self.scope_application(prefix, entry['scope_id'], entry['scope_name'])
            item.update(scope_id=target['id'], scope_name=target.get('name'))
        else:
            item['scope_id'] = entry['scope_id'] or self.default_scope_id(prefix, scope_type)
        item['key'] = (role['id'], scope_type, item['scope_id'])
        return item

    def default_scope_id(self, prefix, scope_type):
        """The environment for ENVIRONMENT scope, its organization for ORGANIZATION scope."""
        if scope_type == 'ENVIRONMENT':
            return self.environment_id
        if self.organization_id is None:
            self.organization_id = self.service.organization_id()
        if not self.organization_id:
            raise PingOneOptionError("%sscope_id is required with scope_type=ORGANIZATION: environment '%s' does not name its "
                                     "organization" % (prefix, self.environment_id))
        return self.organization_id

    def scope_application(self, prefix, scope_id, scope_name):
        """The application an APPLICATION scope names, by ID or by name, in the worker's environment."""
        where = " in environment '%s'" % self.environment_id
        if scope_id:
            found = self.apps.get(scope_id)
            if found is None:
                raise PingOneOptionError("%sscope_id: no application has the ID '%s'%s (with scope_type=APPLICATION, scope_id is "
                                         "the ID of the application the role applies to)" % (prefix, scope_id, where))
            return found
        if self.listed_applications is None:
            self.listed_applications = self.apps.list()
        found = _lookup.unique(_lookup.named(self.listed_applications, scope_name), 'application', scope_name, where,
                               prefix + 'scope_id')
        if found is None:
            raise PingOneOptionError("%sscope_name: no application is named '%s'%s" % (prefix, scope_name, where))
        return found

    # -- the run -------------------------------------------------------------------------------------------------------

    def run(self):
        if self.params['roles'] is None:
            return self.run_one(self.wanted[0])
        return self.run_set(self.service.list_role_assignments(self.app['id']))

    def scope_value(self, item):
        scope = {'type': item['scope_type'], 'id': item['scope_id']}
        if item['scope_name'] is not None:
            scope['name'] = item['scope_name']
        return scope

    def run_one(self, item):
        """The top-level options: one assignment made present or absent."""
        role, name, text = item['role'], self.name, label(item)
        existing = self.service.find_role_assignment(self.app['id'], role['id'], item['scope_type'], item['scope_id'])
        result = Result(application_id=self.app['id'], scope=self.scope_value(item),
                        role={'id': role['id'], 'name': role.get('name'), 'applicable_to': list(role.get('applicableTo') or [])})
        state = {'role': role.get('name'), 'scope_type': item['scope_type'], 'scope_id': item['scope_id']}
        result.diff(dict(state, assigned=existing is not None), dict(state, assigned=self.params['state'] == 'present'))
        if self.params['state'] == 'present':
            outcome = 'assigned before' if existing is not None else 'planned'
            if existing is None and not self.check_mode:
                existing, outcome = self.assign(item)
            if outcome in ('assigned before', 'raced'):
                result.summary = "Application '%s' already has %s" % (name, text)
            else:
                result.change('assign', "%s to application '%s'" % (text, name))
            if outcome == 'raced':
                result.diff(dict(state, assigned=True), dict(state, assigned=True))
            self.warn_outcome(result, outcome, text)
            if existing is not None:
                result.values['role_assignment'] = sanitize_application(existing)
            return result
        if existing is not None and existing.get('readOnly'):
            raise self.read_only_error(text, **result.values)
        if existing is not None and (self.check_mode or self.service.delete_role_assignment(self.app['id'], existing['id'])):
            result.change('remove', "%s from application '%s'" % (text, name))
        else:
            result.summary = "Application '%s' does not have %s" % (name, text)
        return result

    def run_set(self, current):
        """roles: each assignment listed made present (and, with exclusive, every other one removed) or absent."""
        params, name = self.params, self.name
        by_key = {item['key']: item for item in self.wanted}
        add, remove, kept = _access.plan_role_assignments(current, list(by_key), params['state'], params['exclusive'])
        read_only = [existing for existing in remove if existing.get('readOnly')]
        if read_only:
            raise self.read_only_error(self.describe(read_only[0]), application_id=self.app['id'])
        own = self.refuse_stripping_actor(remove)
        remove.sort(key=lambda existing: existing in own)  # what the connecting worker runs with goes last
        result = Result(application_id=self.app['id'])
        after, assigned, removed = list(current), [], []
        for key in add:
            if self.check_mode:
                assigned.append(by_key[key])
                continue
            created, outcome = self.assign(by_key[key])
            self.warn_outcome(result, outcome, label(by_key[key]))
            after.append(created)
            if outcome != 'raced':
                assigned.append(by_key[key])
        for existing in remove:
            if self.check_mode or self.service.delete_role_assignment(self.app['id'], existing['id']):
                removed.append(existing)
            after = [item for item in after if item.get('id') != existing.get('id')]
        if assigned:
            result.change('assign', "%s to application '%s'" % (', '.join(label(item) for item in assigned), name))
        if removed:
            result.change('remove', "%s from application '%s'" % (', '.join(self.describe(item) for item in removed), name))
        stripped = [existing for existing in removed if existing in own]
        if stripped:
            result.warn("allow_actor_role_removal: %s %s from application '%s', the worker this task authenticates as; later "
                        "requests with its credentials may be refused" % ('would remove' if self.check_mode else 'removed',
                                                                          ', '.join(self.describe(item) for item in stripped), name))
        for existing in kept:
            result.warn("Application '%s' keeps %s although roles does not list it: PingOne marks it read only (the connecting "
                        "worker may not delete it)" % (name, self.describe(existing)))
        if params['state'] == 'absent':
            result.summary = "Application '%s' has none of the role assignments listed in roles" % name
        elif params['exclusive'] and not kept:
            result.summary = "Application '%s' has exactly the role assignments listed in roles" % name
        else:
            result.summary = "Application '%s' already has the role assignments listed in roles" % name
        planned = [self.view_wanted(item) for item in assigned] if self.check_mode else []
        result.diff({'role_assignments': sorted((self.view(item) for item in current), key=view_order)},
                    {'role_assignments': sorted(planned + [self.view(item) for item in after], key=view_order)})
        result.values['role_assignments'] = [sanitize_application(item) for item in after]
        return result

    # -- guards --------------------------------------------------------------------------------------------------------

    def refuse_stripping_actor(self, remove):
        """The connecting worker's own assignments among ``remove`` that it manages applications here with: refused
        (PingOneOptionError, before any write) unless allow_actor_role_removal. exclusive removes what the task does not
        list, so it must not take away, unasked, the role this very run works with. When the task authenticates with
        an access token the connecting worker is unknown, and the application is taken to be it."""
        params = self.params
        actor = params.get('pingone_client_id')
        if not params['exclusive']:
            return []
        if actor and not is_own_worker(self.app, self.environment_id, params.get('pingone_environment_id'), actor):
            return []
        own = [existing for existing in remove if _access.manages_applications_in(existing, self.role_names, self.environment_id)]
        if own and not params['allow_actor_role_removal']:
            who = ('it is the worker this task authenticates as (pingone_client_id)' if actor else
                   'the task authenticates with pingone_access_token, so it may be the worker the task runs as')
            raise PingOneOptionError(
                "exclusive would remove %s from application '%s', and %s: that role is what it manages applications in "
                "environment '%s' with. List it in roles to keep it, or set allow_actor_role_removal to remove it all the same"
                % (', '.join(self.describe(item) for item in own), self.name, who, self.environment_id))
        return own

    def read_only_error(self, text, **values):
        return PingOneError("The assignment of %s to application '%s' is read only (PingOne does not let the connecting worker "
                            "delete it) and cannot be removed" % (text, self.name), **values)

    # -- views ---------------------------------------------------------------------------------------------------------

    def describe(self, existing):
        """How an assignment PingOne listed is named in messages."""
        role_id = (existing.get('role') or {}).get('id')
        scope_type, scope_id = _access.scope_key(existing.get('scope'))
        return "role '%s' at %s scope '%s'" % (self.role_names.get(role_id, role_id), scope_type, scope_id)

    def view(self, existing):
        """An assignment PingOne listed, as the diff shows it."""
        role_id = (existing.get('role') or {}).get('id')
        scope_type, scope_id = _access.scope_key(existing.get('scope'))
        return {'role': self.role_names.get(role_id, role_id), 'scope_type': scope_type, 'scope_id': scope_id,
                'read_only': bool(existing.get('readOnly'))}

    @staticmethod
    def view_wanted(item):
        return {'role': item['role'].get('name'), 'scope_type': item['scope_type'], 'scope_id': item['scope_id'], 'read_only': False}

    # -- writes --------------------------------------------------------------------------------------------------------

    def warn_outcome(self, result, outcome, text):
        """Say how an assignment came about when it was not simply created."""
        name = self.name
        if outcome == 'raced':
            result.warn("Another run assigned %s to application '%s' at the same time; this run found that assignment and "
                        "left it as it is" % (text, name))
        elif outcome == 'found':
            result.warn("The request to assign %s to application '%s' had no clear outcome (no reply, or HTTP 500/502/504); "
                        "reading the assignments again showed it in place" % (text, name))
        elif outcome == 'resent':
            result.warn("The request to assign %s to application '%s' had no clear outcome and the assignment did not show when "
                        "read again; the request was sent once more" % (text, name))

    def assign(self, item):
        """Create the assignment; returns (assignment, outcome). Outcomes: 'created'; 'raced' when PingOne refused it as a
        duplicate because another run made it since this run read the assignments; 'found' when the request had no clear
        outcome and the assignment showed on reading again; 'resent' when it did not show and the request was sent once
        more (safe: PingOne allows one assignment per role and scope, so a second one is refused, never made)."""
        def find():
            return self.service.find_role_assignment(self.app['id'], item['role']['id'], item['scope_type'], item['scope_id'])

        try:
            return self.create(item), 'created'
        except (PingOneApiError, PingOneConnectionError) as exc:
            if not _access.outcome_unknown(exc):
                found = find() if _access.refused_as_conflict(exc) else None
                if found is None:
                    raise
                return found, 'raced'
            found = self.service.client.settle(find, lambda value: value is not None)
            if found is not None:
                return found, 'found'
        try:
            return self.create(item), 'resent'
        except PingOneApiError as exc:
            found = find() if _access.refused_as_conflict(exc) else None
            if found is None:
                raise
            return found, 'found'  # the first request took effect after all, late

    def create(self, item):
        """Assign the role, retrying refusals that a role still propagating would explain."""
        role, timeout = item['role'], self.params['propagation_timeout']
        try:
            created, dummy = _access.retry_propagation(
                lambda: self.service.create_role_assignment(self.app['id'], role['id'], item['scope_type'], item['scope_id']), timeout)
        except PingOneApiError as exc:
            if not _access.is_propagation_error(exc):
                raise
            raise PingOneError(
                "Cannot assign %s to application '%s': %s. The connecting worker (pingone_client_id) must itself hold role '%s' "
                "at the same or a broader scope (or be an organization-level Environment Admin); a role it was given moments ago "
                "may still be propagating (tried %d time(s) over up to %g s, see propagation_timeout)"
                % (label(item), self.name, explain(exc, self.params), role.get('name'), getattr(exc, 'attempts', 1), timeout),
                status_code=exc.status, code=exc.code) from exc
        return created


def main():
    PingOneModule(OPTIONS, required_one_of=[('application_id', 'name'), ('role', 'roles')]).run(ensure, check_options)


if __name__ == '__main__':
    main()
