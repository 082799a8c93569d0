# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""What an application may do: built-in roles and worker role assignments, resources with their
scopes, and resource grants. On top of ``PingOneClient``; no Ansible imports.

Every ID that goes into a URL path passes through ``_client.segment``, which refuses dot segments
and control characters (the module wrapper refuses them in ``*_id`` options first). Role, scope
and resource IDs go in request bodies only, after being resolved against what PingOne lists.
"""

from __future__ import annotations

import time

from ansible_collections.pingone.oidc.plugins.module_utils import _lookup
from ansible_collections.pingone.oidc.plugins.module_utils._client import segment
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneApiError, PingOneConnectionError, PingOneLookupError

# What a role assignment's scope can be (the spec's EnumRoleAssignmentScopeType); the scope ID is the ID of that
# organization, environment, population or application.
SCOPE_TYPES = ('ENVIRONMENT', 'ORGANIZATION', 'POPULATION', 'APPLICATION')
# The roles that let a worker manage applications and their role assignments in an environment: removing the one a run
# authenticates with takes away what that run, and every later one, relies on.
ACTOR_ROLE_NAMES = ('Environment Admin', 'Client Application Developer')
# Texts PingOne uses while a role assignment made moments ago has not reached every service yet
# (terraform-provider-pingone retries on the same texts; see peers.md section 1.7).
PROPAGATION_MESSAGES = (
    'The actor attempting to perform the request is not authorized',
    'You do not have access to this resource',
)
BROADER_SCOPE_MESSAGE = 'Must have role at the same or broader scope'


def outcome_unknown(exc):
    """A write that may or may not have taken effect: no reply, or HTTP 500/502/504 to a POST or PUT."""
    return isinstance(exc, (PingOneApiError, PingOneConnectionError)) and bool(getattr(exc, 'maybe_committed', False))


def refused_as_conflict(exc):
    """A write PingOne refused in a way another run's change explains: 400 or 409 (for a create, PingOne's uniqueness
    violation: one grant per resource, "May not assign duplicate Role"), or 404 (the object went away). Worth one more
    read; whether it was a conflict shows only in what that read finds."""
    return isinstance(exc, PingOneApiError) and exc.status in (400, 404, 409) and not outcome_unknown(exc)


def needs_broader_scope(exc):
    """The API refused a role assignment because the caller lacks the role at that scope (yet)."""
    return isinstance(exc, PingOneApiError) and any(
        isinstance(item, dict) and str(item.get('message') or '').startswith(BROADER_SCOPE_MESSAGE) for item in exc.details)


def is_propagation_error(exc):
    """A 401/403, or the broader-scope refusal, that a just-assigned role may cure once it has propagated."""
    if not isinstance(exc, PingOneApiError):
        return False
    if needs_broader_scope(exc):
        return True
    if exc.status not in (401, 403):
        return False
    texts = [exc.api_message or ''] + [str(item.get('message') or '') for item in exc.details if isinstance(item, dict)]
    return exc.status == 403 or any(text.startswith(PROPAGATION_MESSAGES) for text in texts)


def retry_propagation(call, timeout, sleep=None, clock=None, interval=2.0, max_interval=10.0):
    """Run ``call()``; while it fails with a permission-propagation error, wait and try again for at most
    ``timeout`` seconds. Returns (result, attempts). The last error is raised when time is up."""
    sleep = sleep or time.sleep
    clock = clock or time.monotonic
    started = clock()
    attempts = 0
    delay = interval
    while True:
        attempts += 1
        try:
            return call(), attempts
        except PingOneApiError as exc:
            if not is_propagation_error(exc) or clock() - started + delay > timeout:
                exc.attempts = attempts
                raise
        sleep(delay)
        delay = min(delay * 2, max_interval)


def scope_key(scope):
    """(type, id) of a role assignment scope."""
    scope = scope or {}
    return (scope.get('type'), scope.get('id'))


def assignment_key(item):
    """(role ID, scope type, scope ID) of a role assignment: PingOne allows one assignment per key."""
    return (_ref_id(item, 'role'),) + scope_key(item.get('scope'))


def plan_role_assignments(current, wanted, state, exclusive):
    """What to change so that an application's assignments ``current`` match the ``wanted`` keys: (keys to add,
    assignments to remove, read-only assignments kept although ``exclusive`` would remove them). With state=absent the
    wanted assignments that exist are removed; read-only ones among them stay in the list to remove, for the caller to
    refuse."""
    have = {assignment_key(item): item for item in current}
    if state == 'absent':
        return [], [have[key] for key in wanted if key in have], []
    add = [key for key in wanted if key not in have]
    extra = [item for item in current if exclusive and assignment_key(item) not in set(wanted)]
    return add, [item for item in extra if not item.get('readOnly')], [item for item in extra if item.get('readOnly')]


def manages_applications_in(item, role_names, environment_id):
    """Whether an assignment lets its holder manage the applications of ``environment_id``: one of ACTOR_ROLE_NAMES at
    ORGANIZATION scope or at that environment's scope (``role_names`` maps role IDs to names)."""
    scope_type, scope_id = scope_key(item.get('scope'))
    return role_names.get(_ref_id(item, 'role')) in ACTOR_ROLE_NAMES and (
        scope_type == 'ORGANIZATION' or (scope_type, scope_id) == ('ENVIRONMENT', environment_id))


def _first(items, test):
    """The first item ``test`` accepts, or None."""
    return next((item for item in items if test(item)), None)


def _ref_id(item, member):
    """The ``id`` of a reference member such as ``{"role": {"id": ...}}``."""
    return (item.get(member) or {}).get('id')


def find_named(items, wanted, kind, where, label):
    """The item with this ID, else the one with this name (ignoring case); PingOneLookupError when the
    name is ambiguous or nothing matches (the message lists the names there are, after ``label``)."""
    found = _lookup.by_id_or_name(items, wanted, kind, where, '%s to an ID' % kind)
    hint = '; %s: %s' % (label, ', '.join(sorted(str(item.get('name')) for item in items)) or 'none')
    return _lookup.require(found, kind, wanted, where, hint)


def resolve_scopes(available, wanted, resource_name):
    """Map scope names or IDs to the resource's scope objects, in the order given; PingOneLookupError on unknown ones."""
    by_id = {scope.get('id'): scope for scope in available}
    by_name = {scope.get('name'): scope for scope in available}
    result = []
    unknown = []
    for item in wanted:
        scope = by_id.get(item) or by_name.get(item)
        if scope is None:
            unknown.append(item)
        elif scope not in result:
            result.append(scope)
    if unknown:
        raise PingOneLookupError("scopes: %s %s not a scope of resource '%s' (its scopes: %s)" % (
            ', '.join("'%s'" % name for name in unknown), 'is' if len(unknown) == 1 else 'are', resource_name,
            ', '.join(str(scope.get('name')) for scope in available) or 'none'))
    return result


class AccessService:
    """Roles, role assignments, resources, scopes and grants of one environment."""

    def __init__(self, client, environment_id):
        self.client = client
        self.environment_id = environment_id
        self.env_base = 'environments/%s' % segment(environment_id)

    def _list(self, path, embedded_key, what, owner=None):
        """Every item of a collection: ``what`` names it in the operation, ``owner`` (e.g. "application 'A'") its holder."""
        where = "environment '%s'" % self.environment_id
        operation = 'Listing the %s of %s' % (what, '%s in %s' % (owner, where) if owner else where)
        return list(self.client.iterate(path, operation, embedded_key))

    # -- environment ---------------------------------------------------------------------------

    def organization_id(self):
        """The ID of the organization the environment belongs to (None when PingOne does not say)."""
        operation = "Reading environment '%s'" % self.environment_id
        body = self.client.request('GET', self.env_base, operation, subject='environment').body or {}
        return _ref_id(body, 'organization')

    # -- roles ---------------------------------------------------------------------------------

    def list_roles(self):
        return list(self.client.iterate('roles', 'Listing the PingOne roles', 'roles'))

    def resolve_role(self, name_or_id, roles=None):
        """The built-in role with this ID, else the one with this name (ignoring case), among ``roles`` when given."""
        return find_named(self.list_roles() if roles is None else roles, name_or_id, 'role', '', 'known roles')

    # -- role assignments ----------------------------------------------------------------------

    def _assignments_path(self, application_id):
        return '%s/applications/%s/roleAssignments' % (self.env_base, segment(application_id))

    def list_role_assignments(self, application_id):
        return self._list(self._assignments_path(application_id), 'roleAssignments', 'role assignments',
                          "application '%s'" % application_id)

    def find_role_assignment(self, application_id, role_id, scope_type, scope_id):
        """The application's assignment of this role at this scope, or None."""
        return _first(self.list_role_assignments(application_id),
                      lambda item: _ref_id(item, 'role') == role_id and scope_key(item.get('scope')) == (scope_type, scope_id))

    def create_role_assignment(self, application_id, role_id, scope_type, scope_id):
        operation = "Assigning role '%s' at %s scope '%s' to application '%s' in environment '%s'" % (
            role_id, scope_type, scope_id, application_id, self.environment_id)
        body = {'role': {'id': role_id}, 'scope': {'id': scope_id, 'type': scope_type}}
        return self.client.request('POST', self._assignments_path(application_id), operation, json_body=body, expected=(201,)).body

    def delete_role_assignment(self, application_id, assignment_id):
        """True when deleted, False when it was already gone."""
        operation = "Removing role assignment '%s' from application '%s' in environment '%s'" % (
            assignment_id, application_id, self.environment_id)
        return self.client.delete('%s/%s' % (self._assignments_path(application_id), segment(assignment_id)), operation,
                                  subject='role assignment')

    # -- resources and scopes ------------------------------------------------------------------

    def _resources_path(self, resource_id=None):
        path = '%s/resources' % self.env_base
        return path if resource_id is None else '%s/%s' % (path, segment(resource_id))

    def list_resources(self):
        return self._list(self._resources_path(), 'resources', 'resources')

    def resolve_resource(self, name_or_id):
        """The resource with this ID, else the one with this name (ignoring case)."""
        return find_named(self.list_resources(), name_or_id, 'resource', " in environment '%s'" % self.environment_id,
                          'resources there')

    def list_scopes(self, resource_id):
        return self._list(self._resources_path(resource_id) + '/scopes', 'scopes', 'scopes', "resource '%s'" % resource_id)

    def create_resource(self, name, audience=None, description=None, access_token_validity_seconds=None):
        """A CUSTOM resource (used by tests and roles that set up APIs)."""
        body = {'name': name, 'type': 'CUSTOM'}
        if audience:
            body['audience'] = audience
        if description:
            body['description'] = description
        if access_token_validity_seconds:
            body['accessTokenValiditySeconds'] = access_token_validity_seconds
        operation = "Creating resource '%s' in environment '%s'" % (name, self.environment_id)
        return self.client.request('POST', self._resources_path(), operation, json_body=body, expected=(201,)).body

    def create_scope(self, resource_id, name, description=None):
        body = {'name': name}
        if description:
            body['description'] = description
        operation = "Creating scope '%s' of resource '%s' in environment '%s'" % (name, resource_id, self.environment_id)
        return self.client.request('POST', self._resources_path(resource_id) + '/scopes', operation, json_body=body,
                                   expected=(201,)).body

    def get_resource(self, resource_id):
        """The resource with this ID, or None when there is none (PingOneApiError when the environment is missing)."""
        operation = "Reading resource '%s' in environment '%s'" % (resource_id, self.environment_id)
        resource = self.client.read(self._resources_path(resource_id), operation, subject='resource')
        if resource is None:
            self.organization_id()  # a missing environment answers 404 too: say so rather than "no such resource"
        return resource

    def find_resource(self, resource_id=None, name=None):
        """The resource with this ID, else the one named ``name`` (ignoring case), else None."""
        if resource_id:
            return self.get_resource(resource_id)
        return _lookup.unique(_lookup.named(self.list_resources(), name), 'resource', name,
                              " in environment '%s'" % self.environment_id, 'resource_id')

    def _write_settled(self, method, path, operation, body, read, landed):
        """PUT (or POST) ``body``; when the outcome is unknown (no reply, or HTTP 500/502/504) and ``landed(read())`` shows
        the change, the object as read, else the write once more. Returns (object, True when it had to be read back)."""
        try:
            return self.client.request(method, path, operation, json_body=body).body, False
        except (PingOneApiError, PingOneConnectionError) as exc:
            if not outcome_unknown(exc) or landed is None:
                raise
        found = self.client.settle(read, lambda value: value is not None and landed(value))
        if found is not None:
            return found, True
        return self.client.request(method, path, operation, json_body=body).body, True

    def update_resource(self, resource_id, body, landed=None):
        """Full replacement of a resource (PingOne's PUT clears what the body leaves out); see ``_write_settled``."""
        operation = "Updating resource '%s' (%s) in environment '%s'" % (body.get('name'), resource_id, self.environment_id)
        return self._write_settled('PUT', self._resources_path(resource_id), operation, body,
                                   lambda: self.get_resource(resource_id), landed)

    def delete_resource(self, resource_id):
        """Delete a resource (PingOne deletes its scopes and grants with it); True when deleted, False when already gone."""
        operation = "Deleting resource '%s' in environment '%s'" % (resource_id, self.environment_id)
        return self.client.delete(self._resources_path(resource_id), operation, subject='resource')

    def _scope_path(self, resource_id, scope_id):
        return '%s/scopes/%s' % (self._resources_path(resource_id), segment(scope_id))

    def get_scope(self, resource_id, scope_id):
        """The scope, or None when there is none."""
        operation = "Reading scope '%s' of resource '%s' in environment '%s'" % (scope_id, resource_id, self.environment_id)
        return self.client.read(self._scope_path(resource_id, scope_id), operation, subject='scope')

    def update_scope(self, resource_id, scope_id, body, landed=None):
        """Full replacement of a scope; see ``_write_settled``."""
        operation = "Updating scope '%s' (%s) of resource '%s' in environment '%s'" % (
            body.get('name'), scope_id, resource_id, self.environment_id)
        return self._write_settled('PUT', self._scope_path(resource_id, scope_id), operation, body,
                                   lambda: self.get_scope(resource_id, scope_id), landed)

    def delete_scope(self, resource_id, scope_id):
        """Delete a scope (PingOne removes it from every grant); True when deleted, False when already gone."""
        operation = "Deleting scope '%s' of resource '%s' in environment '%s'" % (scope_id, resource_id, self.environment_id)
        return self.client.delete(self._scope_path(resource_id, scope_id), operation, subject='scope')

    # -- grants --------------------------------------------------------------------------------

    def _grants_path(self, application_id, grant_id=None):
        path = '%s/applications/%s/grants' % (self.env_base, segment(application_id))
        return path if grant_id is None else '%s/%s' % (path, segment(grant_id))

    @staticmethod
    def _grant_body(resource_id, scope_ids):
        return {'resource': {'id': resource_id}, 'scopes': [{'id': scope_id} for scope_id in scope_ids]}

    def list_grants(self, application_id):
        return self._list(self._grants_path(application_id), 'grants', 'grants', "application '%s'" % application_id)

    def find_grant(self, application_id, resource_id):
        """The application's grant for this resource (PingOne allows one per resource), or None."""
        return _first(self.list_grants(application_id), lambda grant: _ref_id(grant, 'resource') == resource_id)

    def create_grant(self, application_id, resource_id, scope_ids):
        operation = "Granting scopes of resource '%s' to application '%s' in environment '%s'" % (
            resource_id, application_id, self.environment_id)
        return self.client.request('POST', self._grants_path(application_id), operation, json_body=self._grant_body(resource_id, scope_ids),
                                   expected=(201,)).body

    def update_grant(self, application_id, grant_id, resource_id, scope_ids):
        operation = "Updating grant '%s' of application '%s' in environment '%s'" % (grant_id, application_id, self.environment_id)
        return self.client.request('PUT', self._grants_path(application_id, grant_id), operation,
                                   json_body=self._grant_body(resource_id, scope_ids)).body

    def delete_grant(self, application_id, grant_id):
        """True when deleted, False when it was already gone."""
        operation = "Deleting grant '%s' of application '%s' in environment '%s'" % (grant_id, application_id, self.environment_id)
        return self.client.delete(self._grants_path(application_id, grant_id), operation, subject='grant')
