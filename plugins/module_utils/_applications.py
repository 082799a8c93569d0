# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""Application operations of the management API, on top of ``PingOneClient`` (no Ansible)."""

from __future__ import annotations

from urllib.parse import quote

from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneApiError

# Built-in applications every environment has; they are not user-managed OIDC apps.
SYSTEM_APPLICATION_TYPES = frozenset((
    'PING_ONE_ADMIN_CONSOLE', 'PING_ONE_SELF_SERVICE', 'PING_ONE_PORTAL',
))
# Response members that must never leave a module (PingOne only echoes them on import-style
# creates, but a sanitiser that does not rely on that is cheaper than a leak).
SECRET_MEMBERS = frozenset(('clientSecret',))


def _seg(value):
    return quote(str(value), safe='')


def sanitize_application(app):
    """A copy of an application without secret members and HAL links."""
    return {key: value for key, value in app.items() if key not in SECRET_MEMBERS and key != '_links'}


def is_system_application(app):
    return app.get('type') in SYSTEM_APPLICATION_TYPES


class ApplicationsService:
    """List, read and find applications of one environment."""

    def __init__(self, client, environment_id):
        self.client = client
        self.environment_id = environment_id
        self.base = 'environments/%s/applications' % _seg(environment_id)

    def list(self):
        operation = "Listing applications of environment '%s'" % self.environment_id
        return list(self.client.iterate(self.base, operation, 'applications'))

    def get(self, application_id):
        """The application, or None when PingOne answers 404."""
        operation = "Reading application '%s' in environment '%s'" % (application_id, self.environment_id)
        try:
            return self.client.request('GET', '%s/%s' % (self.base, _seg(application_id)), operation).body
        except PingOneApiError as exc:
            if not exc.is_not_found:
                raise
            self.require_environment()
            return None

    def find_by_name(self, name, include_system=False):
        """Every application whose name equals ``name`` ignoring case (names are not unique)."""
        wanted = name.casefold()
        return [app for app in self.list()
                if (app.get('name') or '').casefold() == wanted and (include_system or not is_system_application(app))]

    def create(self, body):
        operation = "Creating application '%s' in environment '%s'" % (body.get('name'), self.environment_id)
        return self.client.request('POST', self.base, operation, json_body=body, expected=(201,)).body

    def update(self, application_id, body):
        """Full replacement (PingOne's PUT clears whatever the body leaves out)."""
        operation = "Updating application '%s' (%s) in environment '%s'" % (body.get('name'), application_id, self.environment_id)
        return self.client.request('PUT', '%s/%s' % (self.base, _seg(application_id)), operation, json_body=body).body

    def delete(self, application_id):
        """Delete; True when deleted, False when it was already gone."""
        operation = "Deleting application '%s' in environment '%s'" % (application_id, self.environment_id)
        try:
            self.client.request('DELETE', '%s/%s' % (self.base, _seg(application_id)), operation, expected=(204,))
        except PingOneApiError as exc:
            if exc.is_not_found:
                return False
            raise
        return True

    def require_environment(self):
        """Raise the API error when the environment itself does not exist (or is not visible)."""
        operation = "Reading environment '%s'" % self.environment_id
        self.client.request('GET', 'environments/%s' % _seg(self.environment_id), operation)
