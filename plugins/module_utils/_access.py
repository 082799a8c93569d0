# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""What an application may do: built-in roles and worker role assignments, resources with their
scopes, and resource grants. On top of ``PingOneClient``; no Ansible imports."""

from __future__ import annotations

import time
from urllib.parse import quote

from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneApiError, PingOneError

SCOPE_TYPES = ('ENVIRONMENT', 'ORGANIZATION', 'POPULATION')
# Texts PingOne uses while a role assignment made moments ago has not reached every service yet
# (terraform-provider-pingone retries on the same texts; see peers.md section 1.7).
PROPAGATION_MESSAGES = (
    'The actor attempting to perform the request is not authorized',
    'You do not have access to this resource',
)
BROADER_SCOPE_MESSAGE = 'Must have role at the same or broader scope'


def _seg(value):
    return quote(str(value), safe='')


class AccessLookupError(PingOneError):
    """A role, resource or scope named in the options does not exist (or is ambiguous)."""


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


class AccessService:
    """Roles, role assignments, resources, scopes and grants of one environment."""

    def __init__(self, client, environment_id):
        self.client = client
        self.environment_id = environment_id
        self.env_base = 'environments/%s' % _seg(environment_id)

    # -- environment ---------------------------------------------------------------------------

    def organization_id(self):
        """The ID of the organization the environment belongs to (None when PingOne does not say)."""
        operation = "Reading environment '%s'" % self.environment_id
        body = self.client.request('GET', self.env_base, operation).body or {}
        return (body.get('organization') or {}).get('id')

    # -- roles ---------------------------------------------------------------------------------

    def list_roles(self):
        return list(self.client.iterate('roles', 'Listing the PingOne roles', 'roles'))

    def resolve_role(self, name_or_id):
        """The built-in role with this ID, else the one with this name (ignoring case)."""
        roles = self.list_roles()
        for role in roles:
            if role.get('id') == name_or_id:
                return role
        wanted = str(name_or_id).casefold()
        matches = [role for role in roles if str(role.get('name') or '').casefold() == wanted]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise AccessLookupError("%d roles are named '%s' (IDs %s); give the role ID"
                                    % (len(matches), name_or_id, ', '.join(sorted(role['id'] for role in matches))))
        raise AccessLookupError("Role '%s' does not exist; known roles: %s"
                                % (name_or_id, ', '.join(sorted(str(role.get('name')) for role in roles))))

    # -- role assignments ----------------------------------------------------------------------

    def _assignments_path(self, application_id):
        return '%s/applications/%s/roleAssignments' % (self.env_base, _seg(application_id))

    def list_role_assignments(self, application_id):
        operation = "Listing the role assignments of application '%s' in environment '%s'" % (application_id, self.environment_id)
        return list(self.client.iterate(self._assignments_path(application_id), operation, 'roleAssignments'))

    def find_role_assignment(self, application_id, role_id, scope_type, scope_id):
        for item in self.list_role_assignments(application_id):
            if (item.get('role') or {}).get('id') == role_id and scope_key(item.get('scope')) == (scope_type, scope_id):
                return item
        return None

    def create_role_assignment(self, application_id, role_id, scope_type, scope_id):
        operation = "Assigning role '%s' at %s scope '%s' to application '%s' in environment '%s'" % (
            role_id, scope_type, scope_id, application_id, self.environment_id)
        body = {'role': {'id': role_id}, 'scope': {'id': scope_id, 'type': scope_type}}
        return self.client.request('POST', self._assignments_path(application_id), operation, json_body=body, expected=(201,)).body

    def delete_role_assignment(self, application_id, assignment_id):
        """True when deleted, False when it was already gone."""
        operation = "Removing role assignment '%s' from application '%s' in environment '%s'" % (
            assignment_id, application_id, self.environment_id)
        try:
            self.client.request('DELETE', '%s/%s' % (self._assignments_path(application_id), _seg(assignment_id)), operation,
                                expected=(204,))
        except PingOneApiError as exc:
            if exc.is_not_found:
                return False
            raise
        return True

    # -- resources and scopes ------------------------------------------------------------------

    def list_resources(self):
        operation = "Listing the resources of environment '%s'" % self.environment_id
        return list(self.client.iterate('%s/resources' % self.env_base, operation, 'resources'))

    def resolve_resource(self, name_or_id):
        """The resource with this ID, else the one with this name (ignoring case)."""
        resources = self.list_resources()
        for resource in resources:
            if resource.get('id') == name_or_id:
                return resource
        wanted = str(name_or_id).casefold()
        matches = [res for res in resources if str(res.get('name') or '').casefold() == wanted]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise AccessLookupError("%d resources are named '%s' in environment '%s' (IDs %s); give the resource ID"
                                    % (len(matches), name_or_id, self.environment_id, ', '.join(sorted(r['id'] for r in matches))))
        raise AccessLookupError("Resource '%s' does not exist in environment '%s'; resources there: %s"
                                % (name_or_id, self.environment_id, ', '.join(sorted(str(r.get('name')) for r in resources))))

    def list_scopes(self, resource_id):
        operation = "Listing the scopes of resource '%s' in environment '%s'" % (resource_id, self.environment_id)
        return list(self.client.iterate('%s/resources/%s/scopes' % (self.env_base, _seg(resource_id)), operation, 'scopes'))

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
        return self.client.request('POST', '%s/resources' % self.env_base, operation, json_body=body, expected=(201,)).body

    def create_scope(self, resource_id, name, description=None):
        body = {'name': name}
        if description:
            body['description'] = description
        operation = "Creating scope '%s' of resource '%s' in environment '%s'" % (name, resource_id, self.environment_id)
        return self.client.request('POST', '%s/resources/%s/scopes' % (self.env_base, _seg(resource_id)), operation,
                                   json_body=body, expected=(201,)).body

    # -- grants --------------------------------------------------------------------------------

    def _grants_path(self, application_id):
        return '%s/applications/%s/grants' % (self.env_base, _seg(application_id))

    def list_grants(self, application_id):
        operation = "Listing the grants of application '%s' in environment '%s'" % (application_id, self.environment_id)
        return list(self.client.iterate(self._grants_path(application_id), operation, 'grants'))

    def find_grant(self, application_id, resource_id):
        """The application's grant for this resource (PingOne allows one per resource), or None."""
        for grant in self.list_grants(application_id):
            if (grant.get('resource') or {}).get('id') == resource_id:
                return grant
        return None

    def create_grant(self, application_id, resource_id, scope_ids):
        operation = "Granting scopes of resource '%s' to application '%s' in environment '%s'" % (
            resource_id, application_id, self.environment_id)
        body = {'resource': {'id': resource_id}, 'scopes': [{'id': scope_id} for scope_id in scope_ids]}
        return self.client.request('POST', self._grants_path(application_id), operation, json_body=body, expected=(201,)).body

    def update_grant(self, application_id, grant_id, resource_id, scope_ids):
        operation = "Updating grant '%s' of application '%s' in environment '%s'" % (grant_id, application_id, self.environment_id)
        body = {'resource': {'id': resource_id}, 'scopes': [{'id': scope_id} for scope_id in scope_ids]}
        return self.client.request('PUT', '%s/%s' % (self._grants_path(application_id), _seg(grant_id)), operation, json_body=body).body

    def delete_grant(self, application_id, grant_id):
        """True when deleted, False when it was already gone."""
        operation = "Deleting grant '%s' of application '%s' in environment '%s'" % (grant_id, application_id, self.environment_id)
        try:
            self.client.request('DELETE', '%s/%s' % (self._grants_path(application_id), _seg(grant_id)), operation, expected=(204,))
        except PingOneApiError as exc:
            if exc.is_not_found:
                return False
            raise
        return True


def resolve_scopes(available, wanted, resource_name):
    """Map scope names or IDs to the resource's scope objects, in the order given; AccessLookupError on unknown ones."""
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
        raise AccessLookupError("scopes: %s %s not a scope of resource '%s' (its scopes: %s)" % (
            ', '.join("'%s'" % name for name in unknown), 'is' if len(unknown) == 1 else 'are', resource_name,
            ', '.join(str(scope.get('name')) for scope in available) or 'none'))
    return result
